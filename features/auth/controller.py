"""Sign-up and sign-in endpoints."""

from flask import Blueprint, current_app, request

from features.auth import service
from features.auth.schemas import AccountCreated, CreateAccountRequest, LoginRequest
from features.users.model import to_public_dict
from features.users.schemas import AuthResult
from shared.database import get_db
from shared.idempotency import idempotent
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
    summary="Create an account (optionally with profile and body measurements) and get a token.",
    answers={201: Answer(AccountCreated, "Account created; the token is valid for JWT_EXPIRATION_HOURS.")},
    errors={
        400: ["INVALID_EMAIL", *_PASSWORD_CODES, "PASSWORD_MISMATCH", "OUT_OF_RANGE", "INVALID_DATE"],
        409: ["EMAIL_EXISTS", "USERID_EXHAUSTED"],
    },
)
def create_account(body):
    settings = current_app.extensions["settings"]
    user, measurements = service.create_account(db=get_db(), settings=settings, data=body)
    return success_response(
        {
            "token": service.issue_token(settings, user),
            "user": to_public_dict(user),
            "body_measurements": measurements,
        },
        "Account created",
        201,
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
    user, token = service.login(
        db=get_db(),
        settings=current_app.extensions["settings"],
        email=body.email,
        password=body.password,
        client=request.remote_addr,
    )
    return success_response({"token": token, "user": to_public_dict(user)}, "Signed in")
