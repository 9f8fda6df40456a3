"""Sign-up and sign-in endpoints."""
from flask import Blueprint, current_app, request

from features.auth import service
from shared.database import get_db
from shared.models.user import to_public_dict
from shared.rate_limit import limit
from shared.request_data import json_body, json_limit
from shared.response import success_response

bp = Blueprint("auth", __name__, url_prefix="/api")


@bp.post("/create-account")
@limit("RATELIMIT_CREATE_ACCOUNT")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
def create_account():
    settings = current_app.extensions["settings"]
    user, measurements = service.create_account(db=get_db(), settings=settings, data=json_body())
    return success_response({"token": service.issue_token(settings, user), "user": to_public_dict(user),
                             "body_measurements": measurements}, "Account created", 201)


@bp.post("/login")
@limit("RATELIMIT_LOGIN")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
def login():
    data = json_body()
    user, token = service.login(db=get_db(), settings=current_app.extensions["settings"],
                                email=data.get("email"), password=data.get("password"), client=request.remote_addr)
    return success_response({"token": token, "user": to_public_dict(user)}, "Signed in")
