"""HTTP endpoints for the caller's profile."""

from flask import Blueprint, current_app, g, request

from features.auth import sessions
from features.auth.decorators import require_auth
from features.auth.schemas import Session, SignedOut
from features.users import service
from features.users.model import to_public_dict
from features.users.schemas import (
    AccountDeletion,
    AccountExport,
    AuthResult,
    Deleted,
    PasswordChange,
    ProfileUpdate,
    User,
)
from shared.ai_models import get_image_models
from shared.ai_models.gemini_file_rows import DELETED_AT_GOOGLE
from shared.database import get_db
from shared.rate_limit import limit, user_or_ip_key
from shared.request_data import json_limit
from shared.response import success_response
from shared.schemas import Answer, operation
from shared.storage import get_storage

bp = Blueprint("users", __name__)

TAG = "Profile"
_PASSWORD_CHECK = {401: ["INVALID_CREDENTIALS"], 404: ["USER_NOT_FOUND"], 429: ["LOGIN_DELAYED"]}


@bp.get("/profile")
@require_auth
@operation(
    tag=TAG,
    operation_id="getProfile",
    summary="The caller's profile.",
    answers={200: Answer(User, "The profile.")},
    errors={404: ["USER_NOT_FOUND"]},
)
def get_profile():
    return success_response(to_public_dict(g.current_user))  # the row authentication read for this request


def _not_an_email_change():
    """Only requests that carry an email count against RATELIMIT_EMAIL_CHANGE (names and cities do not)."""
    data = request.get_json(silent=True)
    return not (isinstance(data, dict) and "email" in data)


@bp.put("/profile")
@limit("RATELIMIT_EMAIL_CHANGE", key_func=user_or_ip_key, exempt_when=_not_an_email_change)
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
@operation(
    tag=TAG,
    operation_id="updateProfile",
    body=ProfileUpdate,
    example={"city": "Berlin", "gender": "female"},
    summary="Change some profile fields (only the fields sent change; null clears one).",
    description="A new `email` needs `current_password` too (a token alone cannot move the account), checked "
    "before the address is, and counted like a sign-in (429 LOGIN_DELAYED after repeated "
    "failures). Requests that carry an email are limited per user (RATELIMIT_EMAIL_CHANGE); "
    "other fields are not.",
    answers={200: Answer(User, "The updated profile.")},
    errors={
        400: [
            "UNKNOWN_FIELDS",
            "PASSWORD_NOT_ALLOWED_HERE",
            "CURRENT_PASSWORD_REQUIRED",
            "INVALID_EMAIL",
            "INVALID_DATE",
            "VALIDATION_ERROR",
        ],
        401: ["INVALID_CREDENTIALS"],
        409: ["EMAIL_EXISTS"],
        429: ["LOGIN_DELAYED"],
    },
)
def update_profile(body):
    user = service.update_profile(
        db=get_db(),
        settings=current_app.extensions["settings"],
        user=g.current_user,
        update=body,
        client=request.remote_addr,
    )
    return success_response(to_public_dict(user), "Profile updated")


@bp.post("/profile/change-password")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
@operation(
    tag=TAG,
    operation_id="changePassword",
    body=PasswordChange,
    example={"current_password": "correct horse 1", "new_password": "correct horse 2"},
    summary="Change the password; every other session ends, and this one continues with the tokens returned.",
    description="Every access and refresh token issued before stops working, this device's too: use the "
    "pair in the answer from now on (same session_id).",
    answers={200: Answer(AuthResult, "Password changed; use the new tokens from now on.")},
    errors={
        400: [
            "WEAK_PASSWORD",
            "INVALID_PASSWORD",
            "COMMON_PASSWORD",
            "PASSWORD_LIKE_EMAIL",
            "PASSWORD_UNCHANGED",
        ],
        **_PASSWORD_CHECK,
    },
)
def change_password(body):
    user, tokens = service.change_password(
        db=get_db(),
        settings=current_app.extensions["settings"],
        user=g.current_user,
        current_password=body.current_password,
        new_password=body.new_password,
        client=request.remote_addr,
        session_id=g.session_id,
        device=sessions.device_label(None, request.headers.get("User-Agent")),
    )
    return success_response(
        {**tokens, "user": to_public_dict(user)}, "Password changed; other sessions were signed out"
    )


@bp.get("/sessions")
@require_auth
@operation(
    tag=TAG,
    operation_id="listSessions",
    summary="The caller's signed-in devices (live sessions), the most recently used first.",
    answers={200: Answer(list[Session], "The sessions; `current` marks this request's.")},
)
def list_sessions():
    return success_response(sessions.list_sessions(db=get_db(), userid=g.userid, current=g.session_id))


@bp.delete("/sessions/<session_id>")
@require_auth
@operation(
    tag=TAG,
    operation_id="endSession",
    summary="Sign a device out: the session's access and refresh tokens stop working at once.",
    answers={200: Answer(SignedOut, "The session ended.")},
    errors={404: ["SESSION_NOT_FOUND"]},
    path_parameters={"session_id": ("An id from GET /api/users/sessions.", None)},
)
def end_session(session_id):
    sessions.end_session(db=get_db(), userid=g.userid, session_id=session_id)
    return success_response({"signed_out": True, "session_id": session_id}, "Session ended")


@bp.delete("/profile")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
@operation(
    tag=TAG,
    operation_id="deleteAccount",
    body=AccountDeletion,
    example={"password": "correct horse 1"},
    summary="Delete the account and everything stored about it (wardrobe, try-ons, avatar, images).",
    description=DELETED_AT_GOOGLE,
    answers={200: Answer(Deleted, "Deleted; every token of the account stops working.")},
    errors=_PASSWORD_CHECK,
)
def delete_account(body):
    """Delete the account and everything stored about it."""
    service.delete_account(
        db=get_db(),
        settings=current_app.extensions["settings"],
        storage=get_storage(),
        user=g.current_user,
        password=body.password,
        client=request.remote_addr,
        gemini_photos=get_image_models().photos,
    )
    return success_response({"deleted": True}, "Your account and all its data were deleted")


@bp.get("/profile/export")
@require_auth
@operation(
    tag=TAG,
    operation_id="exportAccount",
    summary="Everything stored about the caller, as JSON (images as signed URLs).",
    description="`gemini_files` lists the caller's photos held at Google's Gemini Files API (with a Gemini key "
    "a photo used again is uploaded once and named in later requests): each file's name, state, when it was "
    "uploaded and when Google deletes it by itself; never the API key.",
    answers={200: Answer(AccountExport, "The export.")},
    errors={404: ["USER_NOT_FOUND"]},
)
def export_account():
    return success_response(service.export_account(db=get_db(), storage=get_storage(), userid=g.userid))
