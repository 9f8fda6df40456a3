"""Sign-up and sign-in request shapes."""

from typing import Annotated

from pydantic import ConfigDict, create_model

from features.body_measurements.schemas import MEASUREMENT_TYPES, Measurements, MeasurementsInput
from features.users.schemas import PASSWORD_RULES, PROFILE_TYPES, User
from shared.schemas import RawJson, RequestSchema, ResponseSchema, email_address, secret


class _SignUp(RequestSchema):
    # Other fields are ignored, as they always were (the apps send their whole sign-up form).
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "email": "ada@example.com",
                    "password": "correct horse 1",
                    "confirm_password": "correct horse 1",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "gender": "female",
                    "birthday": "1990-01-15",
                    "height": 168,
                    "weight": 60,
                }
            ]
        },
    )


CreateAccountRequest = create_model(  # type: ignore[call-overload]  # profile and measurement fields shared with their endpoints
    "CreateAccountRequest",
    __base__=_SignUp,
    __doc__="The account, optionally with its profile and body measurements (nested in body_measurements, or "
    "at the top level; nested values win).",
    email=(Annotated[str, email_address()], ...),
    password=(Annotated[RawJson, secret(PASSWORD_RULES, min_length=8, max_length=256)], ...),
    confirm_password=(
        Annotated[RawJson, secret("When sent, must equal password (PASSWORD_MISMATCH).")],
        None,
    ),
    **PROFILE_TYPES,
    **MEASUREMENT_TYPES,
    body_measurements=(MeasurementsInput | None, None),
    measurements=(MeasurementsInput | None, None),
)


class LoginRequest(RequestSchema):
    """A wrong pair, whatever its shape, is one answer: 401 INVALID_CREDENTIALS."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"required": ["email", "password"]})

    email: Annotated[RawJson, secret()] = None
    password: Annotated[RawJson, secret()] = None


class AccountCreated(ResponseSchema):
    token: str
    user: User
    body_measurements: Measurements | None
