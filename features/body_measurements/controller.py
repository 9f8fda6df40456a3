"""HTTP endpoints for body measurements (always the caller's own)."""
from flask import Blueprint, g

from features.body_measurements import service
from shared.database import get_db
from shared.errors import NotFoundError
from shared.middleware import require_auth
from shared.request_data import json_body, json_limit
from shared.response import success_response

bp = Blueprint("body_measurements", __name__, url_prefix="/api/body-measurements")


@bp.post("")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
def create_or_update_measurements():
    measurements, created = service.save(db=get_db(), user_id=g.user_id, data=json_body())
    return success_response(measurements, "Measurements saved", 201 if created else 200)


@bp.put("")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
def update_measurements():
    measurements, created = service.save(db=get_db(), user_id=g.user_id, data=json_body())
    return success_response(measurements, "Measurements saved", 201 if created else 200)


@bp.get("")
@require_auth
def get_measurements():
    return success_response(service.get(db=get_db(), user_id=g.user_id))


@bp.get("/<user_id>")
@require_auth
def get_measurements_by_user(user_id):
    """Kept for older clients; only ever answers with the caller's own data."""
    if user_id != g.user_id:
        raise NotFoundError("No body measurements stored for that user", code="MEASUREMENTS_NOT_FOUND")
    return success_response(service.get(db=get_db(), user_id=g.user_id))
