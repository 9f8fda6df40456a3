"""JWT issue and verification (HS256 by default, algorithm pinned on verify)."""

from collections.abc import Mapping
from datetime import timedelta
from functools import lru_cache
from typing import Any

import jwt

from config import Settings
from shared import clock
from shared.errors import AuthenticationError

VERIFIED_TOKENS_KEPT = 4096  # tokens whose signature this process has proven (a few hundred bytes each)


def generate_token(
    settings: Settings,
    *,
    userid: str,
    email: str,
    token_version: int = 0,
    session_id: str | None = None,
    additional_claims: Mapping[str, Any] | None = None,
) -> str:
    """An access token for the user users.userid names (its subject; clients also read it as the `user_id`
    claim) in the session `session_id` (its `sid` claim), valid ACCESS_TOKEN_MINUTES."""
    now = clock.now()
    claims: dict[str, Any] = {
        "sub": userid,
        "user_id": userid,
        "email": email,
        "tv": token_version,
        "iat": now,
        "exp": now + timedelta(minutes=settings.ACCESS_TOKEN_MINUTES),
    }
    if session_id is not None:
        claims["sid"] = session_id
    claims.update(additional_claims or {})
    return jwt.encode(claims, settings.JWT_SECRET_KEY, algorithm=settings.JWT_ALGORITHM)


def verify_token(settings: Settings, token: str) -> dict[str, Any]:
    """Decoded claims of a valid token; AuthenticationError for anything else.

    A token whose signature and claims were proven once in this process is not decoded again (a client
    sends the same token with every request, and decoding is a fifth of a profile read): its expiry alone
    is checked again, the way PyJWT checks it. Revocation is the caller's check against the user's row.
    """
    try:
        claims = _verified_claims(token, settings.JWT_SECRET_KEY, settings.JWT_ALGORITHM)
    except jwt.ExpiredSignatureError:
        raise _expired() from None
    except jwt.InvalidTokenError:
        raise AuthenticationError("Token is invalid", code="INVALID_TOKEN") from None
    if int(claims["exp"]) <= clock.epoch_seconds():
        raise _expired()
    return dict(claims)


@lru_cache(maxsize=VERIFIED_TOKENS_KEPT)
def _verified_claims(token: str, secret: str, algorithm: str) -> dict[str, Any]:
    """The claims of a token with a valid signature, the claims we require and a string subject (a token
    that fails raises, and nothing is kept of it)."""
    claims = jwt.decode(token, secret, algorithms=[algorithm], options={"require": ["exp", "iat", "sub"]})
    if not isinstance(claims.get("sub"), str):
        raise jwt.InvalidTokenError("Subject must be a string")
    if not isinstance(claims.get("sid", ""), str):
        raise jwt.InvalidTokenError("Session id must be a string")
    return claims


def _expired() -> AuthenticationError:
    return AuthenticationError("Token has expired; sign in again", code="TOKEN_EXPIRED")
