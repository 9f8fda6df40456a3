"""Sign-up, sign-in, refresh, sign-out and password reset endpoints."""

import hashlib

from flask import Blueprint, current_app, g, request

from features.auth import password_reset, service, sessions
from features.auth.decorators import require_auth
from features.auth.schemas import (
    AccountCreated,
    CreateAccountRequest,
    ForgotPasswordRequest,
    LoginRequest,
    PasswordReset,
    RefreshRequest,
    ResetPasswordRequest,
    ResetRequested,
    SignedOut,
)
from features.users.model import to_public_dict
from features.users.schemas import AuthResult
from shared.database import get_db
from shared.idempotency import AnswerOnce, idempotent
from shared.mail import get_mailer
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
@idempotent
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
    answer = AnswerOnce(_account_created)
    service.create_account(
        db=get_db(),
        settings=current_app.extensions["settings"],
        data=body,
        device=_device(body.device),
        on_created=answer.record,
    )
    return answer.response


def _account_created(account):
    return success_response(account, "Account created", 201)


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
        device=_device(device),
    )
    return {**tokens, "user": to_public_dict(user)}


def _device(named):
    """The session's device label: the one the client named, else its User-Agent."""
    return sessions.device_label(named, request.headers.get("User-Agent"))


def _asked_email_key():
    """RATELIMIT_FORGOT_PASSWORD_EMAIL counts per address asked about (hashed: the limiter's storage never
    holds an address), whether or not an account uses it."""
    data = request.get_json(silent=True)
    email = data.get("email") if isinstance(data, dict) else None
    address = email.strip().lower() if isinstance(email, str) else ""
    # surrogatepass: JSON may carry a lone surrogate, which the address check refuses after this runs
    return "forgot-password:" + hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()


@bp.post("/auth/forgot-password")
@limit("RATELIMIT_FORGOT_PASSWORD_EMAIL", key_func=_asked_email_key, scope="forgot-password-email")
@limit("RATELIMIT_FORGOT_PASSWORD")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@operation(
    tag=TAG,
    operation_id="forgotPassword",
    body=ForgotPasswordRequest,
    summary="Email a password reset link and code to the address, if an account uses it.",
    description="Always 202 with the same body, in the same time, whether or not an account uses the "
    "address: the account is looked up and the email sent in the background. The email carries a link "
    "and a code (XXXX-XXXX-XXXX) that work once, for PASSWORD_RESET_MINUTES; spend them with "
    "POST /api/auth/reset-password. Limited per client IP (RATELIMIT_FORGOT_PASSWORD) and per address "
    "asked about (RATELIMIT_FORGOT_PASSWORD_EMAIL).",
    answers={
        202: Answer(ResetRequested, "Accepted; if an account uses the address, an email is on its way.")
    },
    errors={400: ["INVALID_EMAIL"]},
)
def forgot_password(body):
    settings = current_app.extensions["settings"]
    # Behind a proxy only PUBLIC_BASE_URL is known to be ours: in production a Host header the client chose
    # never becomes the link of an email (the email then carries the code alone).
    link_base = settings.PUBLIC_BASE_URL or (None if settings.is_production else request.host_url)
    password_reset.request_reset(
        db=get_db(), settings=settings, mailer=get_mailer(), email=body.email, link_base=link_base
    )
    return success_response(
        {"code_valid_minutes": settings.PASSWORD_RESET_MINUTES},
        "If an account uses this address, we have emailed it a link and a code to reset the password",
        202,
    )


@bp.post("/auth/reset-password")
@limit("RATELIMIT_RESET_PASSWORD")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@operation(
    tag=TAG,
    operation_id="resetPassword",
    body=ResetPasswordRequest,
    summary="Set a new password with the code (or link token) from the reset email.",
    description="The code works once: it is spent, with every other code of the account, and every "
    "session of the account is signed out (sign in again with the new password). A weak password is "
    "refused with the sign-up codes and leaves the code usable.",
    answers={200: Answer(PasswordReset, "Password changed; sign in with it.")},
    errors={400: ["INVALID_RESET_TOKEN", *_PASSWORD_CODES]},
)
def reset_password(body):
    password_reset.reset_password(
        db=get_db(),
        settings=current_app.extensions["settings"],
        token=body.token,
        new_password=body.new_password,
    )
    return success_response({"password_changed": True}, "Password changed; sign in with your new password")
