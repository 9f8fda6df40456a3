"""Body measurements: validation, unit conversion, partial updates."""

from typing import Any

from features.body_measurements import model
from features.body_measurements.fields import MEASUREMENT_FIELDS, to_metric
from shared.database import Database
from shared.errors import NotFoundError, ValidationError
from shared.schemas import RequestSchema


def clean_measurements(measurements: RequestSchema) -> dict[str, float | None]:
    """Metric values of the fields a parsed MeasurementsInput carries (an explicit null clears a field).

    Input may be in imperial units (`unit: "imperial"`: inches and pounds); bounds are checked after
    conversion, so the same realistic ranges apply to both.
    """
    given = measurements.given()
    unit = given.get("unit") or "metric"
    cleaned: dict[str, float | None] = {}
    for name, raw in given.items():
        if name not in MEASUREMENT_FIELDS:
            continue
        if raw is None:
            cleaned[name] = None
            continue
        kind, low, high = MEASUREMENT_FIELDS[name]
        value = round(to_metric(kind, raw, unit), 2)
        if not low <= value <= high:
            unit_name = "kg" if kind == "mass" else "cm"
            raise ValidationError(
                f"{name} must be between {low} and {high} {unit_name}"
                + (" (after converting from imperial)" if unit == "imperial" else ""),
                code="OUT_OF_RANGE",
                details={"field": name, "min": low, "max": high, "unit": unit_name},
            )
        cleaned[name] = value
    return cleaned


def get(*, db: Database, user_id: str) -> dict[str, Any]:
    """The caller's measurements; NotFoundError when none were stored."""
    row = model.get_by_user(db, user_id)
    if row is None:
        raise NotFoundError("No body measurements stored yet", code="MEASUREMENTS_NOT_FOUND")
    return model.to_dict(row)


def get_or_none(*, db: Database, user_id: str) -> dict[str, Any] | None:
    row = model.get_by_user(db, user_id)
    return model.to_dict(row) if row else None


def save(*, db: Database, user_id: str, measurements: RequestSchema) -> tuple[dict[str, Any], bool]:
    """Create or partially update from a parsed MeasurementsInput; returns (measurements dict, created?)."""
    values = clean_measurements(measurements)
    if not values and model.get_by_user(db, user_id) is None:
        raise ValidationError(
            "Send at least one measurement field",
            code="MISSING_FIELDS",
            details={"fields": list(MEASUREMENT_FIELDS)},
        )
    row, created = model.upsert(db, user_id, values)
    return model.to_dict(row), created
