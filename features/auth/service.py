"""Sign-up and sign-in (the session each starts: features/auth/sessions.py)."""

from collections.abc import Callable
from typing import Any, Protocol

from config import Settings
from features.auth import sessions
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
    *,
    db: Database,
    settings: Settings,
    data: SignUp,
    device: str | None,
    on_created: Callable[[dict[str, Any]], None] = lambda account: None,
) -> dict[str, Any]:
    """Validate everything first (data: a parsed CreateAccountRequest), then store the user, the measurements
    and a session on `device` in one transaction. Returns the sign-up answer: the session's tokens, the user and
    the measurements.

    `on_created` is called with that answer inside the transaction: what it writes (the request's idempotent
    answer) commits with the account or not at all, so a retry never finds an account whose tokens it cannot get.
    """
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

    with db.transaction():
        if user_model.get_by_email(db, email):
            raise _email_exists()
        user = _insert_user(db, email=email, password_hash=password_hash, profile=profile)
        if measurements:
            measurements_service.save(db=db, user_id=user["userid"], measurements=measurements_input)
        account = {
            **sessions.start(db=db, settings=settings, user=user, device=device),
            "user": user_model.to_public_dict(user),
            "body_measurements": measurements_service.get_or_none(db=db, user_id=user["userid"]),
        }
        on_created(account)
    return account


def _insert_user(db: Database, *, email: str, password_hash: str, profile: dict[str, Any]) -> dict[str, Any]:
    """Inside the sign-up's block: the new user under a fresh random id. Only this insert is retried (under a
    savepoint, so the block goes on): a clash of random 8-character ids is rare, and a refused write elsewhere
    in the block is no reason to start the account again."""
    for _attempt in range(5):
        try:
            with db.savepoint():
                return user_model.insert(
                    db,
                    userid=users_service.new_userid(),
                    email=email,
                    password_hash=password_hash,
                    profile=profile,
                )
        except IntegrityError:
            if user_model.get_by_email(db, email):  # another sign-up with this email committed meanwhile
                raise _email_exists() from None
    raise ConflictError("Could not allocate a user id; try again", code="USERID_EXHAUSTED")


def _email_exists() -> ConflictError:
    return ConflictError("An account with this email already exists", code="EMAIL_EXISTS")


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
