"""`Idempotency-Key` on the POSTs that create things: a retried request gets the first answer, and the work is
done once.

    @bp.post("/tryon")
    @require_auth        # above: keys are the caller's own
    @limit(...)
    @idempotent
    @operation(...)
    def create_tryon_job(): ...

A client sends `Idempotency-Key: <1-255 printable ASCII characters>` (a fresh random UUID per action). The
first request with a key claims it by inserting the key's row (the primary key (scope, key) lets exactly
one of two simultaneous requests in, in any process), does the work and stores its answer. Within
IDEMPOTENCY_TTL_HOURS the same key from the same caller with the same request gets that answer again (status,
body, Location) with `Idempotency-Replayed: true`, without the work being done again; while the first is still
running a repeat waits up to IDEMPOTENCY_WAIT_SECONDS for it, then answers 409 IDEMPOTENCY_IN_PROGRESS with
Retry-After. The same key with another request is 422 IDEMPOTENCY_KEY_REUSED.

A view whose work commits in a database block stores its answer in that same block (`record_answer`): the work
and the key's answer are written together or not at all, so a process that dies at any instant leaves either
nothing (a retry runs again) or both (a retry gets the answer), never work a retry would do a second time. The
answer is built once there and the view sends the response it stored (`AnswerOnce`), so a replay is byte for
byte what the first request got.

Answers that ask the client to come back (5xx, 408, 429) and crashes are not stored: the key is let go so a
retry runs again. Other 4xx answers are stored (a retried bad request gets the same 4xx). A first request
whose process died holds its key until IDEMPOTENCY_LEASE_SECONDS have passed; then a retry runs again.

The scope is the signed-in user, or `anonymous` for a caller without one (sign-up). What is stored reveals
neither the request nor the answer (a sign-up's carries a password and a token): the fingerprint is an HMAC
under SECRET_KEY, and the answer is encrypted (AES-GCM) with a key derived from SECRET_KEY and the request
itself, which is never stored: only a caller who sends the identical request can read it (SECURITY.md).
"""

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar, cast

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Response, current_app, g, request
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from config import Settings
from shared import clock
from shared.database import Database, IntegrityError, Row, get_db
from shared.errors import ApiError, ConflictError, UnprocessableError, ValidationError
from shared.logger import get_logger

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotency-Replayed"
MAX_KEY_LENGTH = 255
# The codes a route taking the header may answer, by status (the API document lists them).
ERROR_CODES = {
    400: ["INVALID_IDEMPOTENCY_KEY"],
    409: ["IDEMPOTENCY_IN_PROGRESS"],
    422: ["IDEMPOTENCY_KEY_REUSED"],
}
RETRY_AFTER_SECONDS = 2  # what a 409 IDEMPOTENCY_IN_PROGRESS asks the client to wait
ANONYMOUS = "anonymous"
# Answers that tell the client to try again later: replaying them would keep refusing a request that may now pass.
_RETRY_LATER = {408, 429}
# Answer headers a client needs from a replay (the JSON body carries the rest).
_REPLAYED_HEADERS = ("Location",)
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
_POLL_SECONDS = 0.1
_CLAIM_ATTEMPTS = 3
_CLAIM = "idempotency_claim"  # the request's _Claim in flask.g, for record_answer

log = get_logger("idempotency")
View = TypeVar("View", bound=Callable[..., Any])
Made = TypeVar("Made")


def idempotent(view: View) -> View:
    """The route honours Idempotency-Key (put it under the auth decorator, above @operation)."""

    @wraps(view)
    def once(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        _check_key(key)
        settings: Settings = current_app.extensions["settings"]
        userid = getattr(g, "userid", None)
        claim = _Claim(
            db=get_db(),
            settings=settings,
            scope=f"user:{userid}" if userid else ANONYMOUS,
            key=key,
            user_id=userid,
            secrets=_RequestSecrets.derive(settings.SECRET_KEY, _request_digest()),
        )
        first_answer = _first_answer(claim, settings.IDEMPOTENCY_WAIT_SECONDS)
        if first_answer is not None:
            return first_answer
        setattr(g, _CLAIM, claim)
        return _answer_once(claim, lambda: view(*args, **kwargs))

    once.idempotent = True  # type: ignore[attr-defined]  # the API document says so (features/docs/openapi.py)
    return cast(View, once)


def record_answer(response: Response) -> Response:
    """Store the request's answer now, inside the caller's `db.transaction()` that does its work (nothing without
    an Idempotency-Key), and hand it back: the view sends that very response, so a retry gets what the first
    request got. Should the key no longer be this request's (its lease ran out and a retry took it),
    409 IDEMPOTENCY_IN_PROGRESS undoes the block: the retry holding the key does the work once."""
    claim: _Claim | None = g.get(_CLAIM)
    if claim is not None and not claim.finish(response):
        raise _in_progress()
    return response


class AnswerOnce(Generic[Made]):
    """A creating view's answer, built once from what its service made, inside the transaction that stores it
    (`record`, the service's on_created/on_accepted), then sent as it was stored:

        answer = AnswerOnce(_item_added)
        service.create_item(..., on_created=answer.record)
        return answer.response
    """

    def __init__(self, build: Callable[[Made], Response]) -> None:
        self._build = build
        self._response: Response | None = None

    def record(self, made: Made) -> None:
        self._response = record_answer(self._build(made))

    @property
    def response(self) -> Response:
        if self._response is None:
            raise RuntimeError("the service returned without handing over what it made")
        return self._response


def _check_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(" " <= character <= "~" for character in key):
        raise ValidationError(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters (a random UUID is best)",
            code="INVALID_IDEMPOTENCY_KEY",
            details={"header": HEADER, "max_length": MAX_KEY_LENGTH},
        )


def _request_digest() -> bytes:
    """SHA-256 of what makes two requests the same one: method, path, content type and body; for a form, its
    fields and each file's name and bytes (not the part boundaries, which a client draws anew for every send)."""
    digest = hashlib.sha256(json.dumps([request.method, request.path, request.mimetype]).encode())
    if request.mimetype in _FORMS:
        for name, values in sorted(request.form.lists()):
            digest.update(json.dumps(["field", name, values]).encode())
        for name, uploads in sorted(request.files.lists()):
            for upload in uploads:
                digest.update(json.dumps(["file", name, upload.filename, _file_sha256(upload)]).encode())
    else:
        digest.update(b"body\x00" + request.get_data(cache=True))
    return digest.digest()


def _file_sha256(upload: FileStorage) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.stream.read(1 << 16), b""):
        digest.update(chunk)
    upload.stream.seek(0)  # the view reads the file next
    return digest.hexdigest()


@dataclass(frozen=True)
class _RequestSecrets:
    """What the request's digest gives: its stored fingerprint and the key its answer is encrypted with."""

    fingerprint: str
    answer_key: bytes

    @classmethod
    def derive(cls, secret_key: str, digest: bytes) -> "_RequestSecrets":
        secret = secret_key.encode("utf-8")
        return cls(
            fingerprint=hmac.new(secret, b"idempotency fingerprint\x00" + digest, hashlib.sha256).hexdigest(),
            answer_key=hmac.new(secret, b"idempotency answer\x00" + digest, hashlib.sha256).digest(),
        )


@dataclass
class _Claim:
    """One request's hold on its key: the key's row in idempotency_keys."""

    db: Database
    settings: Settings
    scope: str
    key: str
    user_id: str | None
    secrets: _RequestSecrets
    created_at: str = ""  # of the row this request inserted: which claim is its own

    def take(self) -> Row | None:
        """None once this request holds the key; else the row of the request that does. Expired rows (any key's:
        the table never outgrows a day of keys) and this key's abandoned claim are deleted first."""
        for _ in range(_CLAIM_ATTEMPTS):
            now = clock.now()
            self.db.execute_query(
                "DELETE FROM idempotency_keys WHERE expires_at < ? OR (scope = ? AND idempotency_key = ? "
                "AND state = 'in_progress' AND lease_until < ?)",
                (clock.timestamp(now), self.scope, self.key, clock.timestamp(now)),
            )
            self.created_at = clock.timestamp(now)
            try:
                self.db.execute_query(
                    "INSERT INTO idempotency_keys (scope, idempotency_key, user_id, fingerprint, state, "
                    "lease_until, created_at, expires_at) VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?)",
                    (
                        self.scope,
                        self.key,
                        self.user_id,
                        self.secrets.fingerprint,
                        clock.timestamp(now, seconds_from_now=self.settings.IDEMPOTENCY_LEASE_SECONDS),
                        self.created_at,
                        clock.timestamp(now, seconds_from_now=self.settings.IDEMPOTENCY_TTL_HOURS * 3600),
                    ),
                )
                return None
            except IntegrityError:
                row = self.current()
                if row is not None:
                    return row
        raise _in_progress()  # the key changed hands under us each time: as busy as can be

    def current(self) -> Row | None:
        return self.db.execute_query(
            "SELECT fingerprint, state, status, answer FROM idempotency_keys WHERE scope = ? AND idempotency_key = ?",
            (self.scope, self.key),
            fetch_one=True,
        )

    def finish(self, response: Response) -> bool:
        """Store the answer (encrypted) and mark the key done; False when the key is not held by this request
        (its answer is already stored, or the key was let go or taken by another)."""
        answer = {
            "mimetype": response.mimetype,
            "headers": {
                name: response.headers[name] for name in _REPLAYED_HEADERS if name in response.headers
            },
            "body": response.get_data(as_text=True),
        }
        nonce = os.urandom(12)
        sealed = nonce + AESGCM(self.secrets.answer_key).encrypt(
            nonce, json.dumps(answer).encode(), self._aad
        )
        changed = self.db.execute_query(
            "UPDATE idempotency_keys SET state = 'done', status = ?, answer = ? "
            "WHERE scope = ? AND idempotency_key = ? AND created_at = ? AND state = 'in_progress'",
            (
                response.status_code,
                base64.b64encode(sealed).decode("ascii"),
                self.scope,
                self.key,
                self.created_at,
            ),
        )
        return changed == 1

    def release(self) -> None:
        """Let go of the key without an answer, so a retry runs the request again."""
        self.db.execute_query(
            "DELETE FROM idempotency_keys WHERE scope = ? AND idempotency_key = ? AND created_at = ? "
            "AND state = 'in_progress'",
            (self.scope, self.key, self.created_at),
        )

    def replay(self, row: Row) -> Response:
        """The stored answer, as it was first sent, marked as a replay."""
        sealed = base64.b64decode(row["answer"])
        answer = json.loads(AESGCM(self.secrets.answer_key).decrypt(sealed[:12], sealed[12:], self._aad))
        response = Response(answer["body"], status=row["status"], mimetype=answer["mimetype"])
        for name, value in answer["headers"].items():
            response.headers[name] = value
        response.headers[REPLAYED_HEADER] = "true"
        return response

    @property
    def _aad(self) -> bytes:
        """Binds a stored answer to its scope and key: a row copied under another key cannot be read there."""
        return f"{self.scope}\x00{self.key}".encode()


def _first_answer(claim: _Claim, wait_seconds: float) -> Response | None:
    """The first request's answer for a repeat (after waiting for it, at most wait_seconds); None when this
    request is the first and holds the key."""
    deadline = time.monotonic() + wait_seconds
    row = claim.take()
    while row is not None:
        if not hmac.compare_digest(row["fingerprint"], claim.secrets.fingerprint):
            raise UnprocessableError(
                f"This {HEADER} was already used for a different request; use a new key for a new request",
                code="IDEMPOTENCY_KEY_REUSED",
                details={"header": HEADER},
            )
        if row["state"] == "done":
            return claim.replay(row)
        if time.monotonic() >= deadline:
            raise _in_progress()
        time.sleep(_POLL_SECONDS)
        row = claim.current() or claim.take()  # gone: the first one failed and let go, so this one runs
    return None


def _in_progress() -> ConflictError:
    return ConflictError(
        f"A request with this {HEADER} is still being processed; retry after Retry-After seconds to get its answer",
        code="IDEMPOTENCY_IN_PROGRESS",
        details={"header": HEADER},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _answer_once(claim: _Claim, run: Callable[[], Any]) -> Response:
    """Run the view while holding the key; store its answer unless it asks for a retry (or the view stored it
    already: record_answer), else let go of the key."""
    stored = False
    try:
        try:
            response = current_app.make_response(run())
        except (ApiError, HTTPException) as error:
            if not _replayable(error.status_code if isinstance(error, ApiError) else error.code or 500):
                raise
            response = current_app.make_response(current_app.handle_user_exception(error))
        if _replayable(response.status_code):
            claim.finish(response)
            stored = True
        return response
    finally:
        if not stored:
            _release_quietly(claim)


def _replayable(status: int) -> bool:
    return status < 500 and status not in _RETRY_LATER


def _release_quietly(claim: _Claim) -> None:
    """Release the key; should the database refuse, the claim lapses at its lease instead (the request's own
    answer, or error, matters more to the client)."""
    try:
        claim.release()
    except Exception:
        log.exception("could not release an idempotency key", extra={"scope": claim.scope})
