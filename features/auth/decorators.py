"""Authentication decorators: @require_auth and @optional_auth (Bearer JWT), for every feature's controller.

After either, `g.userid` holds the caller's userid (or None for an anonymous optional call),
`g.current_user` the users row and `g.session_id` the session the token belongs to (None for tokens issued
before sessions existed, which carry none). A token is refused when its user is gone or inactive, when its
session has ended (SESSION_ENDED), or when it was issued before the user's last password change. The user
and the session are read in one statement: no other query and no write per request.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, request

from features.auth import sessions
from features.users import model as user_model
from shared.auth import verify_token
from shared.database import get_db
from shared.errors import AuthenticationError

View = TypeVar("View", bound=Callable[..., Any])


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("Authorization header must be 'Bearer <token>'", code="INVALID_TOKEN")
    return token.strip()


def _authenticate(token: str) -> None:
    claims = verify_token(current_app.extensions["settings"], token)
    session_id = claims.get("sid")
    user = user_model.get_signed_in(get_db(), claims["sub"], session_id)
    if user is None or not user["is_active"]:
        raise AuthenticationError("Account no longer exists", code="INVALID_TOKEN")
    if session_id is not None:
        sessions.refuse_ended(user)
    if claims.get("tv", 0) != user["token_version"]:
        raise AuthenticationError(
            "Token was revoked by a password change; sign in again", code="TOKEN_REVOKED"
        )
    g.userid = user["userid"]
    g.current_user = user
    g.session_id = session_id


def require_auth(view: View) -> View:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = _bearer_token()
        if token is None:
            raise AuthenticationError("Authentication required: send 'Authorization: Bearer <token>'")
        _authenticate(token)
        return view(*args, **kwargs)

    wrapper.auth = "required"  # type: ignore[attr-defined]  # the API document says so (features/docs/openapi.py)
    return cast(View, wrapper)


def optional_auth(view: View) -> View:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.userid = None
        g.current_user = None
        g.session_id = None
        token = _bearer_token()
        if token is not None:
            _authenticate(token)
        return view(*args, **kwargs)

    wrapper.auth = "optional"  # type: ignore[attr-defined]
    return cast(View, wrapper)
