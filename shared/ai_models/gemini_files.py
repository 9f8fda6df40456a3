"""Photos the model sees again are sent once: uploaded to the Gemini Files API, then named by uri.

A generation request carries its photos inline, as base64 inside its JSON (a try-on ~0.7 MB, whose base64
and `json.dumps` run on the process's interpreter lock). A photo that comes back (a shopper's selfie with
garment after garment, a popular garment tried by many shoppers) is uploaded once, in the background, at its
`upload_on_use`-th use in this process (raw bytes, the SDK's resumable protocol), and later requests name it
by uri (`file_data`) while the file is valid: until its expirationTime (48 h after the upload) minus a
margin. No request waits for an upload: until the file is ACTIVE the photo goes inline as before, so the
first try-on of a photo is never slower, and an upload that fails leaves the photo inline (tried again after
a pause).

The record is per process and per GeminiClient (so per API key and base URL), keyed by the photo's SHA-256.
"""

import hashlib
import io
import threading
import time
from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from google.genai import errors, files, types

from shared.logger import get_logger
from shared.text_patterns import compile_pattern

log = get_logger("ai.gemini.files")

FILE_LIFETIME_SECONDS = 48 * 3600  # the Files API keeps an upload this long (when it does not say)
# A file is no longer named this long before it expires: longer than a request with its retries can take.
EXPIRY_MARGIN_SECONDS = 3600.0
RETRY_UPLOAD_SECONDS = 300.0  # a photo whose upload failed is not uploaded again sooner
# After a request naming files was refused and taken inline, no file is named for this long.
PAUSE_SECONDS = 3600.0
MAX_PHOTOS = 10_000  # photos remembered (their use counts and their files), the least recently used dropped
# Uploads at once; a photo due while they run stays inline and is uploaded at a later use.
MAX_UPLOADS_AT_ONCE = 2
PROCESSING_CHECKS = 5  # an image is ACTIVE at once in practice; a file still PROCESSING is asked again
PROCESSING_CHECK_SECONDS = 1.0
# The API's messages name the file ("You do not have permission to access the File abc123 or it may not
# exist.", "The File abc123 is not in an ACTIVE state ..."); a model's 404 names the model instead.
_FILE_IN_MESSAGE = compile_pattern(r"(?:^|\W)File (?:files/)?[a-z0-9-]+")


@dataclass(frozen=True)
class UploadedFile:
    uri: str
    mime_type: str
    usable_until: float  # time.time()


class UploadedPhotos:
    def __init__(
        self,
        api_files: files.Files,
        *,
        upload_on_use: int,
        margin_seconds: float = EXPIRY_MARGIN_SECONDS,
        retry_seconds: float = RETRY_UPLOAD_SECONDS,
        processing_check_seconds: float = PROCESSING_CHECK_SECONDS,
    ) -> None:
        self._api_files = api_files
        self._upload_on_use = upload_on_use
        self._margin_seconds = margin_seconds
        self._retry_seconds = retry_seconds
        self._processing_check_seconds = processing_check_seconds
        self._lock = threading.Lock()
        self._uses: OrderedDict[bytes, int] = OrderedDict()
        self._uploaded: OrderedDict[bytes, UploadedFile] = OrderedDict()
        self._uploading: set[bytes] = set()
        self._not_before: dict[bytes, float] = {}
        self._paused_until = 0.0

    def referenced(self, contents: list[types.PartUnionDict]) -> tuple[list[types.PartUnionDict], list[str]]:
        """The contents with every inline image that has a usable upload named by its uri instead, and the
        uris named. Counts each image's use and starts the upload of one used often enough."""
        if time.time() < self._paused_until:
            return contents, []
        sent: list[types.PartUnionDict] = []
        uris: list[str] = []
        for part in contents:
            inline = part.inline_data if isinstance(part, types.Part) else None
            uploaded = self._use(inline.data, inline.mime_type) if inline and inline.data else None
            if uploaded is None:
                sent.append(part)
                continue
            sent.append(types.Part.from_uri(file_uri=uploaded.uri, mime_type=uploaded.mime_type))
            uris.append(uploaded.uri)
        return sent, uris

    def forget(self, uris: list[str]) -> None:
        """The API could not read these files: they are not named again (their photos are uploaded anew at
        their next use)."""
        with self._lock:
            for digest in [digest for digest, file in self._uploaded.items() if file.uri in uris]:
                del self._uploaded[digest]

    def pause(self, *, reason: object) -> None:
        """A request naming files was refused where the same request inline was not: every photo goes inline
        (and nothing is uploaded) for PAUSE_SECONDS."""
        with self._lock:
            self._paused_until = time.time() + PAUSE_SECONDS
            self._uploaded.clear()
        log.error(
            "Gemini refused photos named by uri and took them inline; sending photos inline for a while",
            extra={"seconds": PAUSE_SECONDS, "upstream": reason},
        )

    def wait_for_uploads(self) -> None:
        """Block until every upload started so far has ended (for tests and benchmarks)."""
        while True:
            with self._lock:
                if not self._uploading:
                    return
            time.sleep(0.01)

    def _use(self, data: bytes, mime_type: str | None) -> UploadedFile | None:
        digest = hashlib.sha256(data).digest()
        now = time.time()
        with self._lock:
            uploaded = self._uploaded.get(digest)
            if uploaded is not None and uploaded.usable_until > now:
                self._uploaded.move_to_end(digest)
                return uploaded
            self._uploaded.pop(digest, None)
            uses = self._uses.pop(digest, 0) + 1
            self._uses[digest] = uses
            _trim(self._uses)
            start = (
                uses >= self._upload_on_use
                and digest not in self._uploading
                and len(self._uploading) < MAX_UPLOADS_AT_ONCE
                and self._not_before.get(digest, 0.0) <= now
            )
            if start:
                self._uploading.add(digest)
        if start:  # a daemon thread: an upload never holds up the process's exit
            threading.Thread(
                target=self._upload,
                args=(digest, data, mime_type or "application/octet-stream"),
                name="gemini-upload",
                daemon=True,
            ).start()
        return None

    def _upload(self, digest: bytes, data: bytes, mime_type: str) -> None:
        started = time.time()
        try:
            file = self._active(
                self._api_files.upload(
                    file=io.BytesIO(data), config=types.UploadFileConfig(mime_type=mime_type)
                )
            )
        except Exception as exc:  # whatever the upload meets (API, transport, SDK), the photo stays inline
            log.warning(
                "Gemini file upload failed; the photo is sent inline",
                extra={"error": type(exc).__name__, "upstream": str(exc)[:300]},
            )
            with self._lock:
                self._uploading.discard(digest)
                self._not_before[digest] = time.time() + self._retry_seconds
                _trim(self._not_before)
            return
        expires = (
            file.expiration_time.timestamp() if file.expiration_time else started + FILE_LIFETIME_SECONDS
        )
        uploaded = UploadedFile(
            uri=file.uri or "",
            mime_type=file.mime_type or mime_type,
            usable_until=expires - self._margin_seconds,
        )
        with self._lock:
            self._uploading.discard(digest)
            self._not_before.pop(digest, None)
            self._uploaded[digest] = uploaded
            _trim(self._uploaded)
        log.info(
            "Gemini file uploaded",
            extra={"file": file.name, "bytes": len(data), "seconds": round(time.time() - started, 3)},
        )

    def _active(self, file: types.File) -> types.File:
        """The file once ACTIVE (asked again while PROCESSING); ValueError when it never is or has no uri."""
        for _ in range(PROCESSING_CHECKS):
            if file.state != types.FileState.PROCESSING or not file.name:
                break
            time.sleep(self._processing_check_seconds)
            file = self._api_files.get(name=file.name)
        if file.state != types.FileState.ACTIVE or not file.uri:
            raise ValueError(f"uploaded file {file.name} is {file.state} without a usable uri")
        return file


def is_unusable_file_error(error: errors.APIError) -> bool:
    """The API could not read a file a request named (deleted, expired, never there, still processing)."""
    message = str(error.message or "")
    return error.code in (400, 403, 404) and _FILE_IN_MESSAGE.search(message) is not None


def _trim(record: MutableMapping[bytes, Any]) -> None:
    while len(record) > MAX_PHOTOS:
        del record[next(iter(record))]
