"""One google-genai client per process, shared by every Gemini caller: try-on, the body builder, background
removal, the garment categoriser (and any other text reader).

- `GeminiClient.generate` calls generate_content with the SDK's own retries (HttpRetryOptions on
  408/429/5xx and transport timeouts); what is left after the last attempt becomes an ImageModelError
  whose message is ours and whose `details["upstream"]` keeps the provider's words for the log and the
  operator. Each answer's token counts go to the caller's UsageMeter.
- `ModelChoice` picks, from an ordered list of model names, the first one the API says this key can use
  (models.list): at start-up, every refresh interval, and at once when a call meets a 404. A call that
  meets a 404 is made once more on the next usable model. State is per process: every API and worker
  process asks for itself.
- Photos used again are uploaded once to the Files API and named by uri afterwards (a caller passes its
  UploadedPhotos, gemini_files.py, GEMINI_UPLOAD_ON_USE); a call whose named file the API cannot read
  (expired, deleted) is made once more with the photos inline, and those files are uploaded anew at their
  next use.
- `final_image` / `answer_text` read an answer: parts marked `thought` (interim images and thinking
  text) are never the result, and every finish or block reason becomes a typed error.
"""

import functools
import importlib
import importlib.util
import math
import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NoReturn

from google import genai
from google.genai import errors, files, types

from config import ConfigurationError
from shared.ai_models import ModelStatus
from shared.ai_models.errors import ImageModelError
from shared.ai_models.gemini_files import UploadedPhotos, is_unusable_file_error, key_fingerprint
from shared.ai_models.usage import Price, UsageMeter, parse_prices
from shared.logger import get_logger
from shared.text_patterns import compile_pattern

if TYPE_CHECKING:
    from config import Settings

log = get_logger("ai.gemini")

RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504]
DEFAULT_RETRY_AFTER_SECONDS = 30
MAX_DISCOVERY_SECONDS = 10.0  # one attempt, so a start-up without a network does not hang
_GENERATE = "generateContent"
# Finish and block reasons that mean the safety checks stopped the answer; any other reason without an
# image is NO_IMAGE_RETURNED.
BLOCKING_REASONS = frozenset(
    {
        "SAFETY",
        "IMAGE_SAFETY",
        "IMAGE_PROHIBITED_CONTENT",
        "PROHIBITED_CONTENT",
        "BLOCKLIST",
        "SPII",
        "IMAGE_RECITATION",
        "RECITATION",
        "MODEL_ARMOR",
        "JAILBREAK",
    }
)
_UPSTREAM_TEXT_LENGTH = 300
_RETRY_DELAY = compile_pattern(r"(\d+)(?:\.\d+)?s")
# The SDK sends through httpx2 by default and httpx when configured so; transport errors come from either.
_HTTP_LIBRARIES = [
    importlib.import_module(name)
    for name in ("httpx2", "httpx")
    if importlib.util.find_spec(name) is not None
]
_TIMEOUT_ERRORS = tuple(library.TimeoutException for library in _HTTP_LIBRARIES)
_TRANSPORT_ERRORS = tuple(library.HTTPError for library in _HTTP_LIBRARIES)
# What a call can fail with: the API's answer, the transport, or a body that is not the answer's shape.
_CALL_FAILURES = (errors.APIError, *_TRANSPORT_ERRORS, ValueError)
# What a request sends: the prompt's text and the images, in order.
Contents = list[types.PartUnionDict]


class ModelNotFoundError(ImageModelError):
    """The API does not know the model we called (it was renamed or shut down)."""

    def __init__(self, model: str, details: dict[str, object]) -> None:
        super().__init__("AI_UNAVAILABLE", details={"model": model, **details})
        self.model = model


class NamedFilesRefused(ImageModelError):
    """A request that named photos by uri was refused: a file the API cannot read (expired, deleted, still
    processing: `names_a_file`), or a 400 that may be the model's refusal of file references."""

    def __init__(self, details: dict[str, object], *, names_a_file: bool) -> None:
        super().__init__("UPSTREAM_REJECTED", details=details)
        self.names_a_file = names_a_file


class GeminiClient:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout_seconds: float = 60.0,
        max_attempts: int = 3,
        retry_delay_seconds: float = 1.0,
        prices: Mapping[str, Price] | None = None,
    ) -> None:
        self.timeout_seconds = timeout_seconds
        self.prices = prices or {}
        retry = types.HttpRetryOptions(
            attempts=max_attempts,
            http_status_codes=RETRY_STATUS_CODES,
            initial_delay=retry_delay_seconds,
            jitter=retry_delay_seconds,
        )
        self._client = genai.Client(
            api_key=api_key,
            http_options=types.HttpOptions(
                base_url=base_url or None, timeout=int(timeout_seconds * 1000), retry_options=retry
            ),
        )
        # What names this key's uploads in the shared record (gemini_files rows), never the key itself.
        self.key_fingerprint = key_fingerprint(api_key, base_url)

    @property
    def files(self) -> files.Files:
        """The SDK's Files API on this client (uploads, deletions)."""
        return self._client.files

    def generate(
        self,
        *,
        models: "ModelChoice",
        contents: Contents,
        config: types.GenerateContentConfig,
        meter: UsageMeter | None = None,
        timeout_seconds: float | None = None,
        photos: UploadedPhotos | None = None,
        owner: str | None = None,
    ) -> types.GenerateContentResponse:
        """The answer of the model `models` (a ModelChoice) picks now; after a 404 the next usable model
        is asked once more. With `photos` and an `owner` (the user whose request this is), photos with a
        usable upload are named by uri and photos used often enough are uploaded; when such a call is
        refused (a file the API cannot read, or a 400), it is made once more with every photo inline.
        timeout_seconds (a job's time left) shortens the request's timeout below the client's. Raises
        ImageModelError."""
        if photos is None or owner is None:
            return self._generate_on_choice(models, contents, config, meter, timeout_seconds)
        sent, uris = photos.referenced(contents, owner=owner)
        if not uris:
            return self._generate_on_choice(models, contents, config, meter, timeout_seconds)
        try:
            return self._generate_on_choice(models, sent, config, meter, timeout_seconds, names_files=True)
        except NamedFilesRefused as refusal:
            photos.forget(uris)
            log.warning(
                "Gemini refused a request naming uploaded photos; sending the photos inline",
                extra={"files": uris, "upstream": refusal.details.get("upstream")},
            )
            answer = self._generate_on_choice(models, contents, config, meter, timeout_seconds)
            if not refusal.names_a_file:  # the same request was taken inline: this model does not take uris
                photos.pause(reason=refusal.details.get("upstream"))
            return answer

    def _generate_on_choice(
        self,
        models: "ModelChoice",
        contents: Contents,
        config: types.GenerateContentConfig,
        meter: UsageMeter | None,
        timeout_seconds: float | None,
        *,
        names_files: bool = False,
    ) -> types.GenerateContentResponse:
        model = models.current()
        try:
            return self._generate_on(
                model, contents, config, meter, timeout_seconds, models.draws_images, names_files
            )
        except ModelNotFoundError:
            models.gone(model)
        retry_model = models.current()
        try:
            return self._generate_on(
                retry_model, contents, config, meter, timeout_seconds, models.draws_images, names_files
            )
        except ModelNotFoundError:
            models.gone(retry_model)
            raise

    def listed_models(self) -> dict[str, list[str]]:
        """{model name: supported actions} of every model this key can use, asked of the API (every page).
        Raises ImageModelError when the API cannot be asked."""
        options = types.HttpOptions(
            timeout=int(min(self.timeout_seconds, MAX_DISCOVERY_SECONDS) * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        try:
            return {
                _bare_name(model.name): list(model.supported_actions or [])
                for model in self._client.models.list(
                    config=types.ListModelsConfig(page_size=1000, http_options=options)
                )
                if model.name
            }
        except _CALL_FAILURES as exc:
            raise _typed_error(exc, None) from exc

    def _generate_on(
        self,
        model: str,
        contents: Contents,
        config: types.GenerateContentConfig,
        meter: UsageMeter | None,
        timeout_seconds: float | None,
        draws_images: bool,
        names_files: bool = False,
    ) -> types.GenerateContentResponse:
        if timeout_seconds is not None and timeout_seconds < self.timeout_seconds:
            config = config.model_copy(
                update={"http_options": types.HttpOptions(timeout=max(1, int(timeout_seconds * 1000)))}
            )
        started = time.monotonic()
        try:
            response = self._client.models.generate_content(model=model, contents=contents, config=config)
        except _CALL_FAILURES as exc:
            if names_files and isinstance(exc, errors.APIError):
                names_a_file = is_unusable_file_error(exc)
                if names_a_file or exc.code == 400:
                    raise NamedFilesRefused({"upstream": _upstream(exc)}, names_a_file=names_a_file) from exc
            error = _typed_error(exc, model)
            log.warning(
                "Gemini call failed",
                extra={"model": model, "code": error.code, "upstream": error.details.get("upstream")},
            )
            raise error from exc
        if meter is not None:
            meter.record(
                model=model,
                usage_metadata=response.usage_metadata,
                seconds=time.monotonic() - started,
                draws_images=draws_images,
            )
        return response


def process_client(settings: "Settings") -> GeminiClient:
    """The process's GeminiClient for these settings: every Gemini caller of the process shares it (one
    connection pool, as google-genai expects), for the life of the process."""
    return _client_for(
        settings.GEMINI_API_KEY,
        settings.GEMINI_BASE_URL,
        settings.GEMINI_TIMEOUT_SECONDS,
        settings.GEMINI_MAX_ATTEMPTS,
        settings.GEMINI_RETRY_DELAY_SECONDS,
        settings.GEMINI_PRICES,
    )


@functools.lru_cache(maxsize=8)
def _client_for(
    api_key: str,
    base_url: str,
    timeout_seconds: float,
    max_attempts: int,
    retry_delay_seconds: float,
    prices: str,
) -> GeminiClient:
    return GeminiClient(
        api_key=api_key,
        base_url=base_url,
        timeout_seconds=timeout_seconds,
        max_attempts=max_attempts,
        retry_delay_seconds=retry_delay_seconds,
        prices=parse_prices(prices),
    )


class ModelChoice:
    """The first of an ordered list of model names (blanks ignored, `models/` optional) that this key can use
    for generateContent."""

    def __init__(
        self,
        client: GeminiClient,
        names: Iterable[str],
        *,
        draws_images: bool,
        refresh_seconds: float = 900.0,
        retry_seconds: float = 30.0,
    ) -> None:
        self.names = [_bare_name(name) for name in names if name.strip()]
        if not self.names:
            raise ConfigurationError("A Gemini model list is empty: name at least one model")
        self.draws_images = draws_images
        self._client = client
        self._refresh_seconds = refresh_seconds
        self._retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._check_lock = threading.Lock()
        self._model: str | None = None
        self._reason: str | None = "not checked yet"
        self._gone: set[str] = set()
        self._next_check = -math.inf

    def check(self) -> None:
        """Ask the API which models the key can use and choose the first configured one that is there."""
        with self._check_lock:
            self._check(scheduled=True)

    def current(self) -> str:
        """The model to call now; AI_UNAVAILABLE with Retry-After while none is usable."""
        self._refresh_when_due()
        with self._lock:
            model, reason = self._model, self._reason
        if model is None:
            retry_after = self.retry_after_seconds()
            raise ImageModelError(
                "AI_UNAVAILABLE",
                details={"reason": reason, "retry_after": retry_after},
                headers={"Retry-After": str(retry_after)},
            )
        return model

    def gone(self, model: str) -> None:
        """A call met a 404: the model is left out and the API asked again now (once for many callers)."""
        with self._check_lock:
            with self._lock:
                if model != self._model:  # another caller already replaced it
                    return
                self._gone.add(model)
            log.warning("Gemini model not found; choosing again", extra={"model": model})
            self._check(scheduled=False)

    def status(self) -> ModelStatus:
        """{"model", "status" (ok | unavailable), "reason"}, and "retry_after" (seconds) while unavailable."""
        self._refresh_when_due()
        with self._lock:
            if self._model:
                return {"model": self._model, "status": "ok", "reason": None}
            reason = self._reason
        return {
            "model": None,
            "status": "unavailable",
            "reason": reason,
            "retry_after": self.retry_after_seconds(),
        }

    def retry_after_seconds(self) -> int:
        """Seconds until the next time the API is asked (at least 1)."""
        with self._lock:
            return max(1, math.ceil(self._next_check - time.monotonic()))

    def _refresh_when_due(self) -> None:
        """A due refresh runs in the background; callers go on with the current choice meanwhile."""
        with self._lock:
            if time.monotonic() < self._next_check or self._check_lock.locked():
                return
            self._next_check = time.monotonic() + self._retry_seconds  # no second refresh while this one runs
        threading.Thread(target=self._background_check, name="gemini-models", daemon=True).start()

    def _background_check(self) -> None:
        if self._check_lock.acquire(blocking=False):
            try:
                self._check(scheduled=True)
            finally:
                self._check_lock.release()

    def _check(self, *, scheduled: bool) -> None:
        try:
            listing = self._client.listed_models()
        except ImageModelError as error:
            self._listing_failed(error)
            return
        with self._lock:
            if scheduled:
                self._gone.clear()  # a model that came back is tried again at each scheduled refresh
            usable = [
                name for name in self.names if _GENERATE in listing.get(name, ()) and name not in self._gone
            ]
            previous, chosen = self._model, usable[0] if usable else None
            self._model = chosen
            self._reason = (
                None
                if usable
                else (f"none of the configured models ({', '.join(self.names)}) is available to this API key")
            )
            self._next_check = time.monotonic() + (self._refresh_seconds if usable else self._retry_seconds)
            left_out = sorted(self._gone)
        if chosen is None:
            log.error(
                "no configured Gemini model is usable",
                extra={
                    "tried": self.names,
                    "left_out_after_404": left_out,
                    "usable_image_models": sorted(
                        name for name, actions in listing.items() if _GENERATE in actions and "image" in name
                    ),
                },
            )
        elif chosen != previous:
            log.info("Gemini model chosen", extra={"model": chosen, "previous": previous})

    def _listing_failed(self, error: ImageModelError) -> None:
        """A key the API refuses makes every model unusable; an unreachable API keeps the last choice."""
        refused = error.code == "UPSTREAM_REJECTED"
        with self._lock:
            if refused or self._model is None:
                self._model = None
                self._reason = (
                    "the API key was refused"
                    if refused
                    else f"the AI provider could not be asked which models are available ({error.code})"
                )
            self._next_check = time.monotonic() + self._retry_seconds
            kept = self._model
        log.error(
            "could not list Gemini models",
            extra={"code": error.code, "upstream": error.details.get("upstream"), "model_kept": kept},
        )


def final_image(response: types.GenerateContentResponse) -> bytes:
    """The last non-thought image of the answer, or the typed reason there is none."""
    _raise_if_prompt_blocked(response)
    parts = _answer_parts(response)
    images = [
        part.inline_data.data
        for part in parts
        if not part.thought
        and part.inline_data
        and part.inline_data.data
        and (part.inline_data.mime_type or "").startswith("image/")
    ]
    if images:
        return images[-1]
    _raise_for_finish(response, parts)


def answer_text(response: types.GenerateContentResponse) -> str:
    """The answer's text without thinking, or the typed reason there is none."""
    _raise_if_prompt_blocked(response)
    parts = _answer_parts(response)
    text = " ".join(part.text for part in parts if part.text and not part.thought).strip()
    if text:
        return text
    _raise_for_finish(response, parts)


def _answer_parts(response: types.GenerateContentResponse) -> list[types.Part]:
    return [
        part
        for candidate in response.candidates or []
        if candidate.content
        for part in candidate.content.parts or []
    ]


def _raise_if_prompt_blocked(response: types.GenerateContentResponse) -> None:
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason:
        reason = _enum_text(feedback.block_reason)
        raise ImageModelError(
            "CONTENT_BLOCKED",
            details={
                "reason": reason,
                "upstream": {
                    "block_reason": reason,
                    "message": (feedback.block_reason_message or "")[:_UPSTREAM_TEXT_LENGTH],
                },
            },
        )


def _raise_for_finish(response: types.GenerateContentResponse, parts: list[types.Part]) -> NoReturn:
    reasons = [
        _enum_text(candidate.finish_reason)
        for candidate in response.candidates or []
        if candidate.finish_reason
    ]
    reason = reasons[0] if reasons else None
    text = " ".join(part.text for part in parts if part.text and not part.thought).strip()
    upstream = {"finish_reason": reason, "model_text": text[:_UPSTREAM_TEXT_LENGTH]}
    code = "CONTENT_BLOCKED" if reason in BLOCKING_REASONS else "NO_IMAGE_RETURNED"
    log.warning("Gemini answered without a result", extra={"code": code, "upstream": upstream})
    raise ImageModelError(code, details={"reason": reason, "upstream": upstream})


def _typed_error(exc: Exception, model: str | None) -> ImageModelError:
    if isinstance(exc, errors.APIError):
        upstream = _upstream(exc)
        if exc.code == 404 and model is not None:
            return ModelNotFoundError(model, {"upstream": upstream})
        if exc.code == 429:
            retry_after = _retry_delay_seconds(exc.details)
            return ImageModelError(
                "RATE_LIMITED",
                details={"retry_after": retry_after, "upstream": upstream},
                headers={"Retry-After": str(retry_after)},
            )
        if exc.code in (408, 504):
            return ImageModelError("TIMEOUT", details={"upstream": upstream})
        if exc.code >= 500:
            return ImageModelError("UPSTREAM_UNAVAILABLE", details={"upstream": upstream})
        return ImageModelError("UPSTREAM_REJECTED", details={"upstream": upstream})
    if isinstance(exc, _TIMEOUT_ERRORS):
        return ImageModelError("TIMEOUT", details={"upstream": {"error": type(exc).__name__}})
    if isinstance(exc, _TRANSPORT_ERRORS):
        return ImageModelError("UPSTREAM_UNAVAILABLE", details={"upstream": {"error": type(exc).__name__}})
    return ImageModelError("BAD_UPSTREAM_RESPONSE", details={"upstream": {"error": type(exc).__name__}})


def _upstream(exc: errors.APIError) -> dict[str, object]:
    return {
        "status": exc.code,
        "reason": exc.status,
        "message": str(exc.message or "")[:_UPSTREAM_TEXT_LENGTH],
    }


def _retry_delay_seconds(error_body: object) -> int:
    """Seconds from a google.rpc.RetryInfo detail ("7s"), or a default."""
    error = (error_body or {}).get("error", {}) if isinstance(error_body, dict) else {}
    for detail in error.get("details") or []:
        match = _RETRY_DELAY.fullmatch(str(detail.get("retryDelay", "")))
        if match:
            return max(1, int(match[1]))
    return DEFAULT_RETRY_AFTER_SECONDS


def _bare_name(name: str) -> str:
    return name.strip().removeprefix("models/")


def _enum_text(value: types.FinishReason | types.BlockedReason | str) -> str:
    """The enum's text (a plain string when the SDK passes one through)."""
    return str(getattr(value, "value", value))
