"""What AI calls cost: token counts from each answer's usage_metadata, priced per model (GEMINI_PRICES).

Prices are USD per million tokens, one entry per model: `name=input/text_output/image_output`. Image
models bill the image they draw at the image rate and their text and thinking at the text rate; a
name matches the longest configured name it starts with (`gemini-3-pro-image-preview` is priced as
`gemini-3-pro-image`). A model without a price is counted in tokens, and its cost stays unknown.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from config import ConfigurationError

if TYPE_CHECKING:
    from google.genai import types

_MILLION = 1_000_000


@dataclass(frozen=True)
class Price:
    input: float
    text_output: float
    image_output: float


class TokenCounts(TypedDict):
    """One answer's tokens; output = image_output + text_output."""

    prompt: int
    output: int
    thoughts: int
    total: int
    image_output: int
    text_output: int


class JobUsage(TypedDict):
    """What a job's AI calls used (`UsageMeter.as_dict`)."""

    model: str | None
    calls: int
    prompt_tokens: int
    output_tokens: int
    thought_tokens: int
    total_tokens: int
    estimated_cost_usd: float | None
    model_seconds: float


def parse_prices(text: str | None) -> dict[str, Price]:
    """{model name: Price} from `name=input/text_output/image_output, ...`."""
    prices: dict[str, Price] = {}
    for entry in (part.strip() for part in (text or "").split(",")):
        if not entry:
            continue
        name, _, rates = entry.partition("=")
        try:
            values = [float(rate) for rate in rates.split("/")]
            prices[_bare_name(name)] = Price(*values)
        except (TypeError, ValueError):
            raise ConfigurationError(
                f"GEMINI_PRICES entry {entry!r} is not name=input/text_output/image_output "
                "(USD per million tokens)"
            ) from None
    return prices


def price_for(prices: Mapping[str, Price], model: str) -> Price | None:
    """The Price of the longest configured name the model's name starts with, or None."""
    matches = [name for name in prices if _bare_name(model).startswith(name)]
    return prices[max(matches, key=len)] if matches else None


class UsageMeter:
    """Adds up the calls one job makes (try-on, body, categoriser): model, tokens, estimated cost, seconds."""

    def __init__(self, prices: Mapping[str, Price] | None = None) -> None:
        self._prices = prices or {}
        self._lock = threading.Lock()
        self.model: str | None = None
        self.calls = 0
        self.prompt_tokens = self.output_tokens = self.thought_tokens = self.total_tokens = 0
        self.cost_usd: float | None = 0.0  # None once a call's model has no price
        self.model_seconds = 0.0

    def record(
        self,
        *,
        model: str,
        usage_metadata: "types.GenerateContentResponseUsageMetadata | None",
        seconds: float,
        draws_images: bool = True,
    ) -> None:
        """One answered call; an image model's call names the job's model (a text model's only when alone)."""
        counts = token_counts(usage_metadata, draws_images)
        price = price_for(self._prices, model)
        with self._lock:
            if draws_images or self.model is None:
                self.model = model
            self.calls += 1
            self.prompt_tokens += counts["prompt"]
            self.output_tokens += counts["output"]
            self.thought_tokens += counts["thoughts"]
            self.total_tokens += counts["total"]
            self.model_seconds += seconds
            if price is None or self.cost_usd is None:
                self.cost_usd = None
            else:
                self.cost_usd += (
                    counts["prompt"] * price.input
                    + counts["image_output"] * price.image_output
                    + (counts["text_output"] + counts["thoughts"]) * price.text_output
                ) / _MILLION

    def as_dict(self) -> JobUsage | None:
        """The job's `usage`, or None when no AI call was made."""
        if not self.calls:
            return None
        return {
            "model": self.model,
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "output_tokens": self.output_tokens,
            "thought_tokens": self.thought_tokens,
            "total_tokens": self.total_tokens,
            "estimated_cost_usd": None if self.cost_usd is None else round(self.cost_usd, 6),
            "model_seconds": round(self.model_seconds, 3),
        }


def token_counts(
    usage_metadata: "types.GenerateContentResponseUsageMetadata | None", draws_images: bool = True
) -> TokenCounts:
    """Token counts of one answer; output tokens split into image and text by the per-modality details
    (without details, an image model's output counts as image output)."""
    prompt = _count(usage_metadata, "prompt_token_count")
    output = _count(usage_metadata, "candidates_token_count")
    thoughts = _count(usage_metadata, "thoughts_token_count")
    total = _count(usage_metadata, "total_token_count") or prompt + output + thoughts
    details = getattr(usage_metadata, "candidates_tokens_details", None) or []
    if details:
        image = sum(
            detail.token_count or 0
            for detail in details
            if str(getattr(detail.modality, "value", detail.modality)) == "IMAGE"
        )
    else:
        image = output if draws_images else 0
    return {
        "prompt": prompt,
        "output": output,
        "thoughts": thoughts,
        "total": total,
        "image_output": image,
        "text_output": output - image,
    }


def _count(usage_metadata: "types.GenerateContentResponseUsageMetadata | None", name: str) -> int:
    return int(getattr(usage_metadata, name, None) or 0) if usage_metadata is not None else 0


def _bare_name(name: str) -> str:
    return name.strip().removeprefix("models/")
