"""Photos the model sees again are sent once: uploaded to the Gemini Files API, then named by uri.

A generation request carries its photos inline, as base64 inside its JSON (a try-on ~0.7 MB, whose base64
and `json.dumps` run on the process's interpreter lock). A photo that comes back (a shopper's selfie with
garment after garment, a popular garment tried by many shoppers) is uploaded once, in the background, at its
`upload_on_use`-th use in this process (raw bytes, the SDK's resumable protocol), and later requests name it
by uri (`file_data`) while the file is valid: until its expirationTime (48 h after the upload) minus a
margin. No request waits for an upload: until the file is ACTIVE the photo goes inline as before, so the
first try-on of a photo is never slower, and an upload that fails leaves the photo inline (tried again after
a pause).

The record is shared by every process (gemini_files rows, gemini_file_rows.py), per API key (its fingerprint)
and keyed by the photo's SHA-256: a photo is uploaded once per key per 48 h however many processes use it (the
upload is claimed by one INSERT), and a process that did not upload it names it too. Each process keeps what it
read in memory, so a photo named again costs no query. Each file records whose photo it is: the user whose
request sent it, no one once a second user's request sent the same photo. When a user deletes a photo or the
account, their files are marked in that transaction and deleted at Google after it (`delete_marked_soon`);
`sweep` retries what failed and drops the rows of expired files. A request without an owner (an anonymous one)
sends its photos inline and uploads nothing.
"""

import hashlib
import io
import threading
import time
from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from google.genai import errors, files, types

from shared import clock
from shared.ai_models import gemini_file_rows as rows
from shared.ai_models.gemini_types import Part
from shared.database import Database, IntegrityError
from shared.logger import get_logger
from shared.text_patterns import compile_pattern

log = get_logger("ai.gemini.files")

FILE_LIFETIME_SECONDS = 48 * 3600  # the Files API keeps an upload this long (when it does not say)
# A file is no longer named this long before it expires: longer than a request with its retries can take.
EXPIRY_MARGIN_SECONDS = 3600.0
RETRY_UPLOAD_SECONDS = 300.0  # a photo whose upload failed is not uploaded again sooner
# A claimed upload that never ended (its process died) lets another process upload the photo after this.
CLAIM_SECONDS = 600.0
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
class FilesSweep:
    """What a sweep of the Gemini files did."""

    deleted: int  # files of deleted photos deleted at Google
    left: int  # still to delete at Google (it failed again): tried at the next sweep
    expired: int  # rows of files Google has let go of (or of claims that lapsed), dropped


@dataclass(frozen=True)
class UploadedFile:
    row_id: int
    name: str
    uri: str
    mime_type: str
    usable_until: float  # time.time()
    owner: str | None  # the user whose photo it is; None once two users' requests sent it


class UploadedPhotos:
    def __init__(
        self,
        api_files: files.Files,
        *,
        db: Database,
        key_fingerprint: str,
        upload_on_use: int,
        margin_seconds: float = EXPIRY_MARGIN_SECONDS,
        retry_seconds: float = RETRY_UPLOAD_SECONDS,
        processing_check_seconds: float = PROCESSING_CHECK_SECONDS,
    ) -> None:
        self._api_files = api_files
        self._db = db
        self._fingerprint = key_fingerprint
        self._upload_on_use = upload_on_use
        self._margin_seconds = margin_seconds
        self._retry_seconds = retry_seconds
        self._processing_check_seconds = processing_check_seconds
        self._lock = threading.Lock()
        self._uses: OrderedDict[str, int] = OrderedDict()
        self._uploaded: OrderedDict[str, UploadedFile] = OrderedDict()
        self._uploading: set[str] = set()
        self._not_before: dict[str, float] = {}
        self._paused_until = 0.0
        self._deleting = threading.Lock()  # one deletion pass of this process at a time
        self._delete_again = False  # asked for a deletion pass since the running one started
        self._deleter: threading.Thread | None = None

    def referenced(
        self, contents: list[types.PartUnionDict], *, owner: str
    ) -> tuple[list[types.PartUnionDict], list[str]]:
        """The contents with every inline image that has a usable upload named by its uri instead, and the
        uris named. Counts each image's use (a request of `owner`, a user id) and starts the upload of one used
        often enough."""
        if time.time() < self._paused_until:
            return contents, []
        images = {
            index: part.inline_data
            for index, part in enumerate(contents)
            if isinstance(part, types.Part) and part.inline_data and part.inline_data.data
        }
        digests = {index: hashlib.sha256(inline.data or b"").hexdigest() for index, inline in images.items()}
        known = self._known(list(digests.values()))
        sent: list[types.PartUnionDict] = []
        uris: list[str] = []
        for index, part in enumerate(contents):
            inline = images.get(index)
            if inline is None:
                sent.append(part)
                continue
            digest = digests[index]
            uploaded = known.get(digest)
            if uploaded is None:
                self._count_use(digest, inline.data or b"", inline.mime_type, owner)
                sent.append(part)
                continue
            if uploaded.owner is not None and uploaded.owner != owner:
                self._disown(digest, uploaded)
            sent.append(Part.from_uri(file_uri=uploaded.uri, mime_type=uploaded.mime_type))
            uris.append(uploaded.uri)
        return sent, uris

    def forget(self, uris: list[str]) -> None:
        """The API could not read these files: no process names them again (their photos are uploaded anew at
        their next use)."""
        with self._lock:
            for digest in [digest for digest, file in self._uploaded.items() if file.uri in uris]:
                del self._uploaded[digest]
        self._quietly("forget unreadable files", rows.unreadable, self._db, self._fingerprint, uris)

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

    # --- deleting ---------------------------------------------------------------------------------------
    def delete_marked_soon(self) -> None:
        """Delete this key's marked files at Google on a background thread (a pass already running goes round
        once more): the request that deleted the photos never waits for Google."""
        with self._lock:
            self._delete_again = True
            if self._deleter is None:
                self._deleter = threading.Thread(
                    target=self._delete_while_asked, name="gemini-delete", daemon=True
                )
                self._deleter.start()

    def wait_for_deletions(self) -> None:
        """Block until the background deletions asked for so far have ended (for tests)."""
        with self._lock:
            deleter = self._deleter
        if deleter is not None:
            deleter.join()

    def sweep(self) -> "FilesSweep":
        """Delete at Google what is still marked (a deletion that failed, or a process that died before it), and
        the rows of files Google has let go of (expired) or of claims that lapsed."""
        deleted = self.delete_marked()
        return FilesSweep(
            deleted=deleted,
            left=len(rows.marked(self._db, self._fingerprint)),
            expired=drop_expired_rows(self._db),
        )

    def delete_marked(self) -> int:
        """Delete this key's marked files at Google, then their rows; a file Google no longer has counts as
        deleted, any other failure is logged and left for the sweep. The number of files deleted."""
        done = 0
        with self._deleting:
            for row in rows.marked(self._db, self._fingerprint):
                if row["name"] and not self._delete_at_google(row["name"]):
                    continue
                rows.deleted(self._db, row["id"])
                self._drop(row["name"])
                done += row["name"] is not None
        if done:
            log.info("Gemini files deleted", extra={"count": done})
        return done

    def _delete_while_asked(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._delete_again:
                        self._deleter = None
                        return
                    self._delete_again = False
                self._quietly("delete marked files", self.delete_marked)
        finally:
            self._db.close_thread_connection()

    def _delete_at_google(self, name: str) -> bool:
        """True once Google no longer has the file."""
        try:
            self._api_files.delete(name=name)
        except errors.APIError as exc:
            if exc.code == 404 or (exc.code == 403 and is_unusable_file_error(exc)):
                return True
            log.warning(
                "Gemini file not deleted; the sweep tries again",
                extra={"file": name, "status": exc.code, "upstream": str(exc.message or "")[:300]},
            )
            return False
        except Exception as exc:  # transport, SDK: tried again by the sweep
            log.warning(
                "Gemini file not deleted; the sweep tries again",
                extra={"file": name, "error": type(exc).__name__},
            )
            return False
        return True

    def _drop(self, name: str | None) -> None:
        with self._lock:
            for digest in [digest for digest, file in self._uploaded.items() if file.name == name]:
                del self._uploaded[digest]

    # --- using ------------------------------------------------------------------------------------------
    def _known(self, digests: list[str]) -> dict[str, UploadedFile]:
        """The usable files of these photos: this process's memory, else the shared rows (read once here)."""
        now = time.time()
        known: dict[str, UploadedFile] = {}
        with self._lock:
            for digest in digests:
                uploaded = self._uploaded.get(digest)
                if uploaded is not None and uploaded.usable_until > now:
                    self._uploaded.move_to_end(digest)
                    known[digest] = uploaded
                else:
                    self._uploaded.pop(digest, None)
        missing = sorted(set(digests) - set(known))
        if not missing:
            return known
        found = self._quietly(
            "read uploaded files",
            rows.find,
            self._db,
            self._fingerprint,
            missing,
            clock.timestamp(seconds_from_now=self._margin_seconds),
        )
        with self._lock:
            for row in found or []:
                uploaded = UploadedFile(
                    row_id=row["id"],
                    name=row["name"],
                    uri=row["uri"],
                    mime_type=row["mime_type"],
                    usable_until=_epoch(row["expires_at"]) - self._margin_seconds,
                    owner=row["user_id"],
                )
                self._uploaded[row["sha256"]] = uploaded
                known[row["sha256"]] = uploaded
            _trim(self._uploaded)
        return known

    def _disown(self, digest: str, uploaded: UploadedFile) -> None:
        with self._lock:
            self._uploaded[digest] = replace(uploaded, owner=None)
        self._quietly("disown a shared photo", rows.disown, self._db, uploaded.row_id)

    def _count_use(self, digest: str, data: bytes, mime_type: str | None, owner: str) -> None:
        now = time.time()
        with self._lock:
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
                args=(digest, data, mime_type or "application/octet-stream", owner),
                name="gemini-upload",
                daemon=True,
            ).start()

    def _upload(self, digest: str, data: bytes, mime_type: str, owner: str) -> None:
        try:
            self._claimed_upload(digest, data, mime_type, owner)
        finally:
            with self._lock:
                self._uploading.discard(digest)
            self._db.close_thread_connection()

    def _claimed_upload(self, digest: str, data: bytes, mime_type: str, owner: str) -> None:
        try:
            row_id = rows.claim(self._db, self._fingerprint, digest, owner, CLAIM_SECONDS)
        except (
            IntegrityError
        ):  # another process has it (uploaded or uploading), or the owner's account is gone
            return
        except Exception:
            log.warning("could not claim a Gemini file upload; the photo is sent inline", exc_info=True)
            return
        assert row_id is not None  # gemini_files has an id
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
            self._quietly("release a failed upload's claim", rows.release, self._db, row_id)
            with self._lock:
                self._not_before[digest] = time.time() + self._retry_seconds
                _trim(self._not_before)
            return
        expires = (
            file.expiration_time.timestamp() if file.expiration_time else started + FILE_LIFETIME_SECONDS
        )
        uploaded = UploadedFile(
            row_id=row_id,
            name=file.name or "",
            uri=file.uri or "",
            mime_type=file.mime_type or mime_type,
            usable_until=expires - self._margin_seconds,
            owner=owner,
        )
        recorded = self._quietly(
            "record an uploaded file",
            rows.activate,
            self._db,
            row_id,
            name=uploaded.name,
            uri=uploaded.uri,
            mime_type=uploaded.mime_type,
            expires_at=clock.timestamp(datetime.fromtimestamp(expires, UTC)),
        )
        if not recorded:  # the user deleted the photo (or the account) while it was uploading
            if not self._delete_at_google(uploaded.name):
                self._quietly("keep an unrecorded file for the sweep", rows.release, self._db, row_id)
            return
        with self._lock:
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

    @staticmethod
    def _quietly(what: str, action: Any, *args: Any, **kwargs: Any) -> Any:
        """action(*args, **kwargs), or None when the database fails it: the record only saves uploads, so a
        try-on never fails for it (the photo goes inline)."""
        try:
            return action(*args, **kwargs)
        except Exception:
            log.warning(f"could not {what}", exc_info=True)
            return None


def drop_expired_rows(db: Database) -> int:
    """Drop the rows of files Google has let go of (expired) or of claims that lapsed, of every key: the number
    dropped (0 when the database failed: logged, tried at the next sweep)."""
    try:
        swept = rows.delete_expired(db)
    except Exception:
        log.exception("could not sweep expired files")
        return 0
    if swept:
        log.info("expired Gemini file rows deleted", extra={"count": swept})
    return swept


def key_fingerprint(api_key: str, base_url: str | None) -> str:
    """What identifies an API key's files in the shared record: a SHA-256 of the service's URL and the key."""
    return hashlib.sha256(f"{base_url or ''}\n{api_key}".encode()).hexdigest()


def is_unusable_file_error(error: errors.APIError) -> bool:
    """The API could not read a file a request named (deleted, expired, never there, still processing)."""
    message = str(error.message or "")
    return error.code in (400, 403, 404) and _FILE_IN_MESSAGE.search(message) is not None


def _epoch(timestamp: str) -> float:
    moment = clock.parse(timestamp)
    return moment.timestamp() if moment else 0.0


def _trim(record: MutableMapping[str, Any]) -> None:
    while len(record) > MAX_PHOTOS:
        del record[next(iter(record))]
