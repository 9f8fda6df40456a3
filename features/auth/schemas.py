"""Sign-up, sign-in and session shapes."""

from typing import Annotated

from pydantic import ConfigDict, Field, create_model

from features.auth.sessions import DEVICE_MAX_LENGTH
from features.body_measurements.schemas import MEASUREMENT_TYPES, Measurements, MeasurementsInput
from features.users.schemas import PASSWORD_RULES, PROFILE_TYPES, AuthResult
from shared.schemas import RawJson, RequestSchema, ResponseSchema, Timestamp, email_address, secret, text

# The label of the session a sign-in starts, shown in GET /api/users/sessions.
Device = Annotated[
    str | None,
    text(
        DEVICE_MAX_LENGTH,
        'A name for this device in the sessions list ("Ada\'s iPhone"); the User-Agent when absent.',
    ),
]


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
    device=(Device, None),
)


class LoginRequest(RequestSchema):
    """A wrong pair, whatever its shape, is one answer: 401 INVALID_CREDENTIALS."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"required": ["email", "password"]})

    email: Annotated[RawJson, secret()] = None
    password: Annotated[RawJson, secret()] = None
    device: Device = None


class AccountCreated(AuthResult):
    body_measurements: Measurements | None


class RefreshRequest(RequestSchema):
    """The refresh token of the last sign-in or refresh; it works once."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"refresh_token": "<refresh_token>"}]})

    refresh_token: Annotated[str, text(200)]


class SignedOut(ResponseSchema):
    signed_out: bool = Field(
        description="false when the token names no session (issued before sessions existed): it stays valid "
        "until it expires."
    )
    session_id: str | None


class Session(ResponseSchema):
    """A signed-in device."""

    id: str = Field(description="The session id (DELETE /api/users/sessions/{session_id} ends it).")
    device: str | None = Field(description="The label sent at sign-in, else the User-Agent.")
    created_at: Timestamp
    last_used_at: Timestamp = Field(description="Sign-in or last refresh.")
    expires_at: Timestamp = Field(description="When the refresh token expires unless it is used before.")
    current: bool = Field(description="The session of the token this request was sent with.")
