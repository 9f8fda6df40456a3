"""Sessions: a short-lived access token and a rotating refresh token per signed-in device.

Signing in starts a session (a row of the sessions table, features/auth/session_model.py) and answers a pair:
the access token, a JWT valid ACCESS_TOKEN_MINUTES that names the session (`sid`), and a refresh token,
`<session id>.<generation>.<secret>`, of which only the SHA-256 is stored. The secret is an HMAC under
SECRET_KEY of the id, the generation and a random seed kept with the session, so the token of any generation
can be checked: a made-up one is refused and harms nothing. `refresh` trades the session's current refresh
token for a new pair, once: the generation counts the rotations, so a real token of an earlier generation is
a used one, and presenting it ends the session (a copied token was used by someone: whichever of thief and
owner comes second gives it away, and both are signed out). A session started before the seeds (token_seed
NULL) keeps random secrets, of which only the last two hashes tell a used token from a made-up one. Of two refreshes with
the same token at once exactly one wins; the other, within REFRESH_REUSE_GRACE_SECONDS of the winner, is
refused without ending the session (a client that sent it twice keeps the winner's pair).

Every request's access token is checked against its session in the statement that reads the user
(features/auth/decorators.py), so an ended session's tokens stop at once, with no write per request.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from config import Settings
from features.auth import model, session_model
from features.users import model as user_model
from shared import clock
from shared.auth import generate_token
from shared.database import Database, Row
from shared.errors import AuthenticationError, NotFoundError

DEVICE_MAX_LENGTH = 100
_MAX_GENERATION_DIGITS = 12
# Why a session ended (sessions.end_reason), as a client is told when its token is refused.
_ENDED = {
    "logout": "This session was signed out",
    "deleted": "This session was ended from your list of sessions",
    "password": "This session was ended by a password change",
    "reuse": "This session was ended because its refresh token was used twice (it may have been copied)",
}


def start(*, db: Database, settings: Settings, user: dict[str, Any], device: str | None) -> dict[str, Any]:
    """A new session for the user; its tokens (the sign-in answer's token fields)."""
    session_id, seed = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    refresh_token = _refresh_token(settings, session_id, 0, seed)
    now = clock.now()
    session_model.insert(
        db,
        session_id=session_id,
        user_id=user["userid"],
        device=device,
        token_seed=seed,
        refresh_hash=_hash(refresh_token),
        now=clock.timestamp(now),
        expires_at=_refresh_expiry(settings, now),
    )
    return _tokens(settings, user, session_id, refresh_token)


def refresh(*, db: Database, settings: Settings, refresh_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(user, new tokens) for the session's current refresh token; 401 INVALID_REFRESH_TOKEN for anything
    unknown, forged, expired or of an ended session, 401 REFRESH_TOKEN_REUSED (and the session ends) for a
    used one."""
    session_id, generation = _parse(refresh_token)
    session = session_model.get(db, session_id)
    if session is None or not _may_be_issued(settings, session, generation, refresh_token):
        raise _invalid("Refresh token is not valid; sign in again")
    presented = _hash(refresh_token)
    new_token = _refresh_token(settings, session_id, generation + 1, session["token_seed"])
    now = clock.now()
    if session_model.rotate(
        db,
        session_id=session_id,
        presented_hash=presented,
        new_hash=_hash(new_token),
        now=clock.timestamp(now),
        expires_at=_refresh_expiry(settings, now),
    ):
        user = user_model.get_by_userid(db, session["user_id"])
        if user is None or not user["is_active"]:
            raise _invalid("The account no longer exists")
        return user, _tokens(settings, user, session_id, new_token)
    raise _refusal(db, settings, session, generation, presented, now)


def renew(
    *, db: Database, settings: Settings, user: dict[str, Any], session_id: str | None, device: str | None
) -> dict[str, Any]:
    """A new pair for the caller's own live session (its old refresh token stops working), or a new session
    when the caller's token names none (issued before sessions existed) or it has ended meanwhile."""
    session = session_model.get(db, session_id) if session_id is not None else None
    if session is not None:
        refresh_token = _refresh_token(
            settings, session["id"], session["generation"] + 1, session["token_seed"]
        )
        now = clock.now()
        if session_model.rotate(  # as if the caller had refreshed: its old token is now a used one
            db,
            session_id=session["id"],
            presented_hash=session["refresh_hash"],
            new_hash=_hash(refresh_token),
            now=clock.timestamp(now),
            expires_at=_refresh_expiry(settings, now),
        ):
            return _tokens(settings, user, session["id"], refresh_token)
    return start(db=db, settings=settings, user=user, device=device)


def password_changed(db: Database, userid: str, keep: str | None = None) -> None:
    """What a new password (changed or reset) ends, in the caller's transaction: every live session of the user
    except `keep` (a change keeps the caller's), whose access tokens are refused from the next request on and
    refresh tokens at once; and every reset code still outstanding, so a code mailed before (to a mailbox that
    may not be the owner's) cannot set the password again."""
    now = clock.timestamp()
    session_model.end_all(db, userid, keep=keep, reason="password", now=now)
    model.use_all_resets(db, userid=userid, now=now)


def sign_out(*, db: Database, session_id: str | None) -> bool:
    """End the caller's session; False when the token names none (issued before sessions) or it had ended."""
    return session_id is not None and session_model.end(
        db, session_id, reason="logout", now=clock.timestamp()
    )


def end_session(*, db: Database, userid: str, session_id: str) -> None:
    """End one of the user's live sessions; 404 SESSION_NOT_FOUND for any other id (another user's
    included, so an id reveals nothing)."""
    if not session_model.end(db, session_id, reason="deleted", now=clock.timestamp(), user_id=userid):
        raise NotFoundError("No such session", code="SESSION_NOT_FOUND")


def list_sessions(*, db: Database, userid: str, current: str | None) -> list[dict[str, Any]]:
    """The user's live sessions, most recently used first; `current` marks the caller's."""
    return [
        {**row, "current": row["id"] == current}
        for row in session_model.live(db, userid, now=clock.timestamp())
    ]


def refuse_ended(signed_in: dict[str, Any]) -> None:
    """401 SESSION_ENDED unless the session a token names is live (its state read with the user:
    features/users/model.py get_signed_in)."""
    ended_at, expires_at = signed_in["session_ended_at"], signed_in["session_expires_at"]
    if ended_at is None and expires_at is not None and expires_at > clock.timestamp():
        return
    reason = _ENDED.get(signed_in["session_end_reason"] or "", "This session has expired")
    raise AuthenticationError(f"{reason}; sign in again", code="SESSION_ENDED")


def device_label(device: str | None, user_agent: str | None) -> str | None:
    """The label the sessions list shows: the client's own, else its User-Agent (printable, shortened)."""
    if device:
        return device
    printable = "".join(ch for ch in user_agent or "" if ch.isprintable()).strip()
    return printable[:DEVICE_MAX_LENGTH] or None


def _tokens(settings: Settings, user: dict[str, Any], session_id: str, refresh_token: str) -> dict[str, Any]:
    access_token = generate_token(
        settings,
        userid=user["userid"],
        email=user["email"],
        token_version=user["token_version"],
        session_id=session_id,
    )
    return {
        "token": access_token,
        "refresh_token": refresh_token,
        "token_type": "Bearer",
        "expires_in": settings.ACCESS_TOKEN_MINUTES * 60,
        "session_id": session_id,
    }


def _refusal(
    db: Database, settings: Settings, session: Row, generation: int, presented: str, now: datetime
) -> AuthenticationError:
    """Why a refresh token that may have been issued (_may_be_issued) did not rotate, judged on its session as
    read before the rotation; a replayed one ends its session."""
    if session["ended_at"] is not None:
        return _invalid(f"{_ENDED.get(session['end_reason'], 'This session has ended')}; sign in again")
    if session["expires_at"] <= clock.timestamp(now):
        return _invalid("Refresh token has expired; sign in again")
    if generation > session["generation"]:
        return _invalid("Refresh token is not valid; sign in again")  # not one this session handed out
    if generation == session["generation"]:
        if not _same(presented, session["refresh_hash"]):
            return _invalid("Refresh token is not valid; sign in again")
        # The current token, yet the row changed between the read and the rotation: another refresh with the
        # same token won just now (or the session ended at that instant, as its next use will say).
        if settings.REFRESH_REUSE_GRACE_SECONDS > 0:
            return _used_just_now()
    elif generation == session["generation"] - 1:
        if not _same(presented, session["previous_hash"]):
            return _invalid("Refresh token is not valid; sign in again")
        grace = clock.timestamp(now, seconds_from_now=-settings.REFRESH_REUSE_GRACE_SECONDS)
        if session["rotated_at"] >= grace:
            return _used_just_now()
    session_model.end(db, session["id"], reason="reuse", now=clock.timestamp(now))
    return AuthenticationError(
        "This refresh token was already used, so the session was ended to protect the account; sign in again",
        code="REFRESH_TOKEN_REUSED",
    )


def _used_just_now() -> AuthenticationError:
    return _invalid(
        "This refresh token was just used by another request; use the tokens that request received"
    )


def _parse(refresh_token: str) -> tuple[str, int]:
    session_id, _, rest = refresh_token.partition(".")
    generation, _, secret = rest.partition(".")
    if not (
        session_id
        and secret
        and generation.isascii()  # str.isdigit() also takes digits int() refuses, such as "²"
        and generation.isdigit()
        and len(generation) <= _MAX_GENERATION_DIGITS
    ):
        raise _invalid("Refresh token is not valid; sign in again")
    return session_id, int(generation)


def _refresh_token(settings: Settings, session_id: str, generation: int, seed: str | None) -> str:
    """The session's refresh token of that generation: its secret is the HMAC of the id, the generation and the
    session's seed under SECRET_KEY, or random for a session without a seed (started before the seeds)."""
    if seed is None:
        return f"{session_id}.{generation}.{secrets.token_urlsafe(32)}"
    message = f"refresh-token:{session_id}.{generation}.{seed}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).digest()
    return f"{session_id}.{generation}.{base64.urlsafe_b64encode(digest).rstrip(b'=').decode('ascii')}"


def _may_be_issued(settings: Settings, session: Row, generation: int, refresh_token: str) -> bool:
    """False for a token the session cannot have handed out: one whose secret is not its generation's HMAC.
    A session without a seed cannot tell (only _refusal's hashes can, for the last two generations)."""
    seed = session["token_seed"]
    if seed is None:
        return True
    expected = _refresh_token(settings, session["id"], generation, seed)
    return hmac.compare_digest(refresh_token.encode("utf-8", "surrogatepass"), expected.encode("ascii"))


def _hash(refresh_token: str) -> str:
    """SHA-256 is enough for a token with 256 bits nobody can guess (an HMAC under SECRET_KEY, or random):
    nothing to guess, so nothing to slow down."""
    return hashlib.sha256(refresh_token.encode("utf-8", "surrogatepass")).hexdigest()


def _same(presented: str, stored: str | None) -> bool:
    return stored is not None and hmac.compare_digest(presented, stored)


def _refresh_expiry(settings: Settings, now: datetime) -> str:
    return clock.timestamp(now + timedelta(days=settings.REFRESH_TOKEN_DAYS))


def _invalid(message: str) -> AuthenticationError:
    return AuthenticationError(message, code="INVALID_REFRESH_TOKEN")
