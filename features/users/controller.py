"""HTTP endpoints for the caller's profile."""
from flask import Blueprint, current_app, g

from features.auth.service import issue_token
from features.users import service
from shared.database import get_db
from shared.middleware import require_auth
from shared.models.user import to_public_dict
from shared.request_data import json_body
from shared.response import success_response
from shared.storage import get_storage

bp = Blueprint("users", __name__, url_prefix="/api/users")


@bp.get("/profile")
@require_auth
def get_profile():
    return success_response(to_public_dict(g.current_user))  # the row authentication read for this request


@bp.put("/profile")
@require_auth
def update_profile():
    user = service.update_profile(db=get_db(), user_id=g.user_id, data=json_body())
    return success_response(to_public_dict(user), "Profile updated")


@bp.post("/profile/change-password")
@require_auth
def change_password():
    data = json_body()
    settings = current_app.extensions["settings"]
    user = service.change_password(db=get_db(), user_id=g.user_id, current_password=data.get("current_password"),
                                   new_password=data.get("new_password"), min_length=settings.PASSWORD_MIN_LENGTH)
    # Every older token is now revoked; hand the caller a fresh one so this device stays signed in.
    return success_response({"token": issue_token(settings, user), "user": to_public_dict(user)},
                            "Password changed; other sessions were signed out")


@bp.delete("/profile")
@require_auth
def delete_account():
    """Delete the account and everything stored about it (body: {"password": "..."})."""
    service.delete_account(db=get_db(), storage=get_storage(), user_id=g.user_id,
                           password=json_body().get("password"))
    return success_response({"deleted": True}, "Your account and all its data were deleted")


@bp.get("/profile/export")
@require_auth
def export_account():
    """Everything stored about the caller, as JSON (images as signed URLs)."""
    return success_response(service.export_account(db=get_db(), storage=get_storage(), user_id=g.user_id))
