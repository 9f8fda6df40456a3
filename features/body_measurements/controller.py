"""HTTP endpoints for body measurements (always the caller's own)."""

from flask import Blueprint, g

from features.auth.decorators import require_auth
from features.body_measurements import service
from features.body_measurements.schemas import Measurements, MeasurementsInput
from shared.database import get_db
from shared.errors import NotFoundError
from shared.request_data import json_limit
from shared.response import success_response
from shared.schemas import Answer, operation

bp = Blueprint("body_measurements", __name__)

TAG = "Body measurements"


@bp.post("")
@bp.put("")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
@operation(
    tag=TAG,
    operation_id={"POST": "saveMeasurements", "PUT": "updateMeasurements"},
    body=MeasurementsInput,
    answers={
        200: Answer(Measurements, "Measurements updated."),
        201: Answer(Measurements, "Measurements stored for the first time."),
    },
    errors={400: ["MISSING_FIELDS", "OUT_OF_RANGE", "VALIDATION_ERROR"]},
    example={"height": 168, "weight": 60, "waist_circumference": 72},
    summary="Create or update the caller's measurements (fields not sent keep their value; null clears one). "
    "POST and PUT do the same (PUT is kept for clients that update with it).",
)
def save_measurements(body):
    measurements, created = service.save(db=get_db(), user_id=g.userid, measurements=body)
    return success_response(measurements, "Measurements saved", 201 if created else 200)


@bp.get("")
@require_auth
@operation(
    tag=TAG,
    operation_id="getMeasurements",
    summary="The caller's body measurements.",
    answers={200: Answer(Measurements, "The measurements (metric).")},
    errors={404: ["MEASUREMENTS_NOT_FOUND"]},
)
def get_measurements():
    return success_response(service.get(db=get_db(), user_id=g.userid))


@bp.get("/<user_id>")
@require_auth
@operation(
    tag=TAG,
    operation_id="getMeasurementsByUser",
    summary="Kept for older clients; answers only for the caller's own user id (404 for any other).",
    path_parameters={"user_id": ("The caller's user id.", "k3x9q2ab")},
    answers={200: Answer(Measurements, "The measurements (metric).")},
    errors={404: ["MEASUREMENTS_NOT_FOUND"]},
)
def get_measurements_by_user(user_id):
    """Kept for older clients; only ever answers with the caller's own data."""
    if user_id != g.userid:
        raise NotFoundError("No body measurements stored for that user", code="MEASUREMENTS_NOT_FOUND")
    return success_response(service.get(db=get_db(), user_id=g.userid))
