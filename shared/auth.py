"""JWT issue and verification (HS256 by default, algorithm pinned on verify)."""
from datetime import timedelta

import jwt

from shared import clock
from shared.errors import AuthenticationError


def generate_token(settings, *, user_id, email, token_version=0, additional_claims=None):
    now = clock.now()
    claims = {
        "sub": user_id,
        "user_id": user_id,
        "email": email,
        "tv": token_version,
        "iat": now,
        "exp": now + timedelta(hours=settings.JWT_EXPIRATION_HOURS),
    }
    claims.update(additional_claims or {})
    return jwt.encode(claims, settings.JWT_SECRET_KEY, algorithm=settings.JWT_ALGORITHM)


def verify_token(settings, token):
    """Decoded claims of a valid token; AuthenticationError for anything else."""
    try:
        claims = jwt.decode(token, settings.JWT_SECRET_KEY, algorithms=[settings.JWT_ALGORITHM],
                            options={"require": ["exp", "iat", "sub"]})
    except jwt.ExpiredSignatureError:
        raise AuthenticationError("Token has expired; sign in again", code="TOKEN_EXPIRED") from None
    except jwt.InvalidTokenError:
        raise AuthenticationError("Token is invalid", code="INVALID_TOKEN") from None
    if not isinstance(claims.get("sub"), str):
        raise AuthenticationError("Token is invalid", code="INVALID_TOKEN")
    return claims
