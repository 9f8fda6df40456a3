"""Sign-up, sign-in, refresh and sign-out endpoints."""

from flask import Blueprint, current_app, g, request

from features.auth import service, sessions
from features.auth.decorators import require_auth
from features.auth.schemas import (
    AccountCreated,
    CreateAccountRequest,
    LoginRequest,
    RefreshRequest,
    SignedOut,
)
from features.users.model import to_public_dict
from features.users.schemas import AuthResult
from shared.database import get_db
from shared.rate_limit import limit
from shared.request_data import json_limit
from shared.response import success_response
from shared.schemas import Answer, operation

bp = Blueprint("auth", __name__)

TAG = "Account"
_PASSWORD_CODES = ["INVALID_PASSWORD", "WEAK_PASSWORD", "COMMON_PASSWORD", "PASSWORD_LIKE_EMAIL"]


@bp.post("/create-account")
@limit("RATELIMIT_CREATE_ACCOUNT")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@operation(
    tag=TAG,
    operation_id="createAccount",
    body=CreateAccountRequest,
    summary="Create an account (optionally with profile and body measurements) and sign in.",
    answers={201: Answer(AccountCreated, "Account created, and a session started on this device.")},
    errors={
        400: ["INVALID_EMAIL", *_PASSWORD_CODES, "PASSWORD_MISMATCH", "OUT_OF_RANGE", "INVALID_DATE"],
        409: ["EMAIL_EXISTS", "USERID_EXHAUSTED"],
    },
)
def create_account(body):
    user, measurements = service.create_account(
        db=get_db(), settings=current_app.extensions["settings"], data=body
    )
    return success_response(
        {**_session_started(user, body.device), "body_measurements": measurements}, "Account created", 201
    )


@bp.post("/login")
@limit("RATELIMIT_LOGIN")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@operation(
    tag=TAG,
    operation_id="login",
    body=LoginRequest,
    summary="Sign in with email and password.",
    description="Limited per client IP (RATELIMIT_LOGIN). Failed sign-ins are counted per account: once an "
    "account has LOGIN_FREE_FAILURES of them in the last hour, an address that keeps failing "
    "waits 1, 2, 4 ... seconds (at most LOGIN_MAX_DELAY_SECONDS) before its next attempt is "
    "checked (429 LOGIN_DELAYED with Retry-After). An address without failures, such as the "
    "owner's, is always checked.",
    answers={200: Answer(AuthResult, "Signed in.")},
    errors={401: ["INVALID_CREDENTIALS"], 429: ["LOGIN_DELAYED"]},
)
def login(body):
    user = service.login(
        db=get_db(),
        settings=current_app.extensions["settings"],
        email=body.email,
        password=body.password,
        client=request.remote_addr,
    )
    return success_response(_session_started(user, body.device), "Signed in")


@bp.post("/auth/refresh")
@limit("RATELIMIT_REFRESH")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@operation(
    tag=TAG,
    operation_id="refreshSession",
    body=RefreshRequest,
    summary="Trade the refresh token for a new access token and refresh token (no Bearer needed).",
    description="Each refresh token works once. Presenting one that was already used ends its session "
    "(401 REFRESH_TOKEN_REUSED): a copied token is given away by whichever of the two holders comes second. "
    "Of two refreshes with the same token at once exactly one succeeds; the other, within "
    "REFRESH_REUSE_GRACE_SECONDS, gets 401 INVALID_REFRESH_TOKEN and the session goes on with the winner's "
    "tokens. Limited per client IP (RATELIMIT_REFRESH).",
    answers={200: Answer(AuthResult, "The new pair; the refresh token sent no longer works.")},
    errors={401: ["INVALID_REFRESH_TOKEN", "REFRESH_TOKEN_REUSED"]},
)
def refresh(body):
    user, tokens = sessions.refresh(
        db=get_db(), settings=current_app.extensions["settings"], refresh_token=body.refresh_token
    )
    return success_response({**tokens, "user": to_public_dict(user)}, "Session refreshed")


@bp.post("/auth/logout")
@require_auth
@operation(
    tag=TAG,
    operation_id="logout",
    summary="Sign this device out: the session's access and refresh tokens stop working at once.",
    answers={200: Answer(SignedOut, "Signed out.")},
)
def logout():
    ended = sessions.sign_out(db=get_db(), session_id=g.session_id)
    return success_response(
        {"signed_out": ended, "session_id": g.session_id},
        "Signed out" if ended else "This token belongs to no session; it stays valid until it expires",
    )


def _session_started(user, device):
    """The sign-in answer: a new session's tokens and the account."""
    tokens = sessions.start(
        db=get_db(),
        settings=current_app.extensions["settings"],
        user=user,
        device=sessions.device_label(device, request.headers.get("User-Agent")),
    )
    return {**tokens, "user": to_public_dict(user)}
