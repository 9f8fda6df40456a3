"""HTTP endpoints for the caller's profile."""
from flask import Blueprint, current_app, g, request

from features.auth.service import issue_token
from features.users import service
from shared.database import get_db
from shared.middleware import require_auth
from shared.models.user import to_public_dict
from shared.rate_limit import limit, user_or_ip_key
from shared.request_data import json_body, json_limit
from shared.response import success_response
from shared.storage import get_storage

bp = Blueprint("users", __name__, url_prefix="/api/users")


@bp.get("/profile")
@require_auth
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
def update_profile():
    user = service.update_profile(db=get_db(), settings=current_app.extensions["settings"], user=g.current_user,
                                  data=json_body(), client=request.remote_addr)
    return success_response(to_public_dict(user), "Profile updated")


@bp.post("/profile/change-password")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
def change_password():
    data = json_body()
    settings = current_app.extensions["settings"]
    user = service.change_password(db=get_db(), settings=settings, user=g.current_user,
                                   current_password=data.get("current_password"),
                                   new_password=data.get("new_password"), client=request.remote_addr)
    # Every older token is now revoked; hand the caller a fresh one so this device stays signed in.
    return success_response({"token": issue_token(settings, user), "user": to_public_dict(user)},
                            "Password changed; other sessions were signed out")


@bp.delete("/profile")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
def delete_account():
    """Delete the account and everything stored about it (body: {"password": "..."})."""
    service.delete_account(db=get_db(), settings=current_app.extensions["settings"], storage=get_storage(),
                           user=g.current_user, password=json_body().get("password"), client=request.remote_addr)
    return success_response({"deleted": True}, "Your account and all its data were deleted")


@bp.get("/profile/export")
@require_auth
def export_account():
    """Everything stored about the caller, as JSON (images as signed URLs)."""
    return success_response(service.export_account(db=get_db(), storage=get_storage(), user_id=g.user_id))
