"""Body-measurement request and answer shapes (the fields and their bounds are fields.py's)."""

from typing import Annotated, Literal

from pydantic import ConfigDict, create_model

from features.body_measurements.fields import MEASUREMENT_FIELDS, UNITS
from shared.schemas import RequestSchema, ResponseSchema, Timestamp, choice, number

_LEGACY = ("chest", "waist", "hips", "inseam", "shoulder_width")


def _described(name: str, kind: str, low: float, high: float) -> str:
    unit, imperial = ("kg", "pounds") if kind == "mass" else ("cm", "inches")
    return f"{low}-{high} {unit} ({imperial} with unit=imperial)" + ("; legacy" if name in _LEGACY else "")


# Each measurement field's type, also accepted at the top level of a sign-up (features/auth/schemas.py).
MEASUREMENT_TYPES = {
    "unit": (
        Annotated[str | None, choice(UNITS, "Units of the values sent; stored values are always metric.")],
        None,
    ),
    **{
        name: (Annotated[float | None, number(description=_described(name, kind, low, high))], None)
        for name, (kind, low, high) in MEASUREMENT_FIELDS.items()
    },
}


class _MeasurementsInput(RequestSchema):
    """Any of the fields; lengths in cm and weight in kg (inches and pounds with unit=imperial). Values must
    be realistic (e.g. height 100-250 cm); fields not sent keep their value, null clears one."""

    # Other fields are ignored, as they always were: a client may send back the answer it read, and a
    # sign-up's nested body_measurements was never checked for them.
    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [{"height": 168, "weight": 60}]})


MeasurementsInput = create_model(  # type: ignore[call-overload]  # fields from MEASUREMENT_TYPES, shared with sign-up
    "MeasurementsInput", __base__=_MeasurementsInput, __doc__=_MeasurementsInput.__doc__, **MEASUREMENT_TYPES
)

Measurements = create_model(  # type: ignore[call-overload]  # one field per MEASUREMENT_FIELDS entry
    "Measurements",
    __base__=ResponseSchema,
    __doc__="The caller's measurements, metric (null: not given).",
    id=(int, ...),
    user_id=(str, ...),
    unit=(Literal["metric"], ...),
    **{name: (float | None, ...) for name in MEASUREMENT_FIELDS},
    created_at=(Timestamp, ...),
    updated_at=(Timestamp, ...),
)
