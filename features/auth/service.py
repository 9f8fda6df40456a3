"""Sign-up and sign-in (the session each starts: features/auth/sessions.py)."""

from typing import Any, Protocol

from config import Settings
from features.auth.login_delay import PasswordAttempt
from features.body_measurements import service as measurements_service
from features.body_measurements.fields import MEASUREMENT_FIELDS
from features.body_measurements.schemas import MeasurementsInput
from features.users import model as user_model, service as users_service
from shared.database import Database, IntegrityError
from shared.errors import AuthenticationError, ConflictError, ValidationError
from shared.schemas import RequestSchema
from shared.validators import validate_new_password


class SignUp(Protocol):
    """What create_account reads of a parsed CreateAccountRequest (a pydantic model made by create_model,
    whose fields a type checker cannot see)."""

    email: str
    password: str
    confirm_password: str | None
    body_measurements: RequestSchema | None
    measurements: RequestSchema | None

    def given(self) -> dict[str, Any]: ...


def create_account(
    *, db: Database, settings: Settings, data: SignUp
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Validate everything first (data: a parsed CreateAccountRequest), then store the user and measurements
    in one transaction."""
    email = data.email
    password = validate_new_password(data.password, email=email, min_length=settings.PASSWORD_MIN_LENGTH)
    given = data.given()
    if "confirm_password" in given and data.confirm_password != password:
        raise ValidationError(
            "Passwords do not match", code="PASSWORD_MISMATCH", details={"field": "confirm_password"}
        )
    profile = {name: value for name, value in given.items() if name in user_model.PROFILE_FIELDS}
    nested: dict[str, Any] = next(
        (m.given() for m in (data.body_measurements, data.measurements) if m and m.given()), {}
    )
    measurements_input = MeasurementsInput.model_validate(
        {
            **{name: value for name, value in given.items() if name in MEASUREMENT_FIELDS or name == "unit"},
            **nested,
        }
    )
    measurements = measurements_service.clean_measurements(
        measurements_input
    )  # refused before anything is stored
    password_hash = users_service.hash_password(password)

    for _attempt in range(5):  # a clash of random 8-character ids is rare; retry with a new one
        userid = users_service.new_userid()
        try:
            with db.transaction():
                if user_model.get_by_email(db, email):
                    raise ConflictError("An account with this email already exists", code="EMAIL_EXISTS")
                user = user_model.insert(
                    db, userid=userid, email=email, password_hash=password_hash, profile=profile
                )
                if measurements:
                    measurements_service.save(db=db, user_id=userid, measurements=measurements_input)
            break
        except IntegrityError:
            if user_model.get_by_email(db, email):
                raise ConflictError(
                    "An account with this email already exists", code="EMAIL_EXISTS"
                ) from None
    else:
        raise ConflictError("Could not allocate a user id; try again", code="USERID_EXHAUSTED")
    return user, measurements_service.get_or_none(db=db, user_id=userid)


def login(
    *, db: Database, settings: Settings, email: str, password: str, client: str | None
) -> dict[str, Any]:
    """The user of a correct email/password pair; failures are counted per account and client address
    (PasswordAttempt)."""
    attempt = PasswordAttempt.begin(db=db, settings=settings, email=email, client=client)
    try:
        user = users_service.verify_credentials(db=db, email=email, password=password)
    except AuthenticationError:
        attempt.failed()
        raise
    attempt.succeeded()
    return user
