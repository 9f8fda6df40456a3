"""Body measurements: validation, unit conversion, partial updates."""
from collections.abc import Mapping
from typing import Any

from features.body_measurements import model
from features.body_measurements.fields import MEASUREMENT_FIELDS, UNITS, to_metric
from shared.database import Database
from shared.errors import NotFoundError, ValidationError
from shared.validators import validate_choice, validate_numeric


def clean_measurements(data: Mapping[str, Any]) -> dict[str, float | None]:
    """Metric values of the measurement fields present in data (explicit null clears a field).

    Input may be in imperial units (`unit: "imperial"`: inches and pounds); bounds are checked
    after conversion, so the same realistic ranges apply to both.
    """
    unit = validate_choice(data.get("unit") or "metric", "unit", UNITS)
    cleaned: dict[str, float | None] = {}
    for name, (kind, low, high) in MEASUREMENT_FIELDS.items():
        if name not in data:
            continue
        raw = validate_numeric(data[name], name)
        if raw is None:
            cleaned[name] = None
            continue
        value = round(to_metric(kind, raw, unit), 2)
        if not low <= value <= high:
            unit_name = "kg" if kind == "mass" else "cm"
            raise ValidationError(
                f"{name} must be between {low} and {high} {unit_name}"
                + (" (after converting from imperial)" if unit == "imperial" else ""),
                code="OUT_OF_RANGE", details={"field": name, "min": low, "max": high, "unit": unit_name})
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


def save(*, db: Database, user_id: str, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create or partially update; returns (measurements dict, created?)."""
    values = clean_measurements(data)
    if not values and model.get_by_user(db, user_id) is None:
        raise ValidationError("Send at least one measurement field", code="MISSING_FIELDS",
                              details={"fields": list(MEASUREMENT_FIELDS)})
    row, created = model.upsert(db, user_id, values)
    return model.to_dict(row), created
