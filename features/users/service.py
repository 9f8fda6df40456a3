"""User profiles: updates, password changes, account deletion and export (fields are checked by schemas.py)."""

import secrets
import string
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from werkzeug.security import check_password_hash, generate_password_hash

from config import Settings
from features.auth import sessions
from features.auth.login_delay import PasswordAttempt
from features.avatars import service as avatars_service
from features.body_measurements import service as measurements_service
from features.tryon import service as tryon_service
from features.users import model as user_model
from features.users.schemas import ProfileUpdate
from features.wardrobe import service as wardrobe_service
from shared import clock
from shared.ai_models import gemini_file_rows
from shared.ai_models.gemini_file_rows import deleting_user_photos
from shared.database import Database, IntegrityError
from shared.errors import AuthenticationError, ConflictError, NotFoundError, ValidationError
from shared.storage import Storage
from shared.validators import validate_new_password

if TYPE_CHECKING:
    from shared.ai_models.gemini_files import UploadedPhotos

User = Mapping[str, Any]  # a users row (features/users/model.py)

_USERID_ALPHABET = string.ascii_lowercase + string.digits
# Verifying against this when the email is unknown keeps both failure paths equally slow.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


def new_userid() -> str:
    return "".join(secrets.choice(_USERID_ALPHABET) for _ in range(8))


def hash_password(password: str) -> str:
    hashed: str = generate_password_hash(password)
    return hashed


def verify_credentials(*, db: Database, email: object, password: object) -> dict[str, Any]:
    """The user row for a correct email/password pair; the same error for every wrong pair."""
    user = user_model.get_by_email(db, email.strip().lower()) if isinstance(email, str) else None
    password = password if isinstance(password, str) else ""
    valid = check_password_hash(user["password"] if user else _DUMMY_HASH, password)
    if not user or not valid or not user["is_active"]:
        raise AuthenticationError("Email or password is incorrect", code="INVALID_CREDENTIALS")
    return user


def get_profile(*, db: Database, userid: str) -> dict[str, Any]:
    user = user_model.get_by_userid(db, userid)
    if user is None:
        raise NotFoundError("User not found", code="USER_NOT_FOUND")
    return user


def update_profile(
    *, db: Database, settings: Settings, user: User, update: ProfileUpdate, client: str | None
) -> dict[str, Any] | None:
    """Change the profile fields a parsed ProfileUpdate carries; a new email also needs `current_password`,
    checked before the address is.

    A stolen token alone cannot move the account to another address, and whether an address is taken
    (409 EMAIL_EXISTS) is only told to someone who knows the password, counted like a sign-in.
    """
    changes = update.given()
    changes.pop("current_password", None)
    if changes.get("email", user["email"]) != user["email"]:
        if update.current_password in (None, ""):
            raise ValidationError(
                "Confirm an email change with your current password (current_password)",
                code="CURRENT_PASSWORD_REQUIRED",
                details={"field": "current_password"},
            )
        confirm_password(
            db=db,
            settings=settings,
            user=user,
            password=update.current_password,
            client=client,
            message="Current password is incorrect",
        )
    try:
        return user_model.update(db, user["userid"], changes)
    except IntegrityError:
        raise ConflictError("An account with this email already exists", code="EMAIL_EXISTS") from None


def confirm_password(
    *, db: Database, settings: Settings, user: User, password: object, client: str | None, message: str
) -> None:
    """401 INVALID_CREDENTIALS unless password is the user's; failures count like failed sign-ins."""
    attempt = PasswordAttempt.begin(db=db, settings=settings, email=user["email"], client=client)
    if not isinstance(password, str) or not check_password_hash(user["password"], password):
        attempt.failed()
        raise AuthenticationError(message, code="INVALID_CREDENTIALS")
    attempt.succeeded()


def change_password(
    *,
    db: Database,
    settings: Settings,
    user: User,
    current_password: object,
    new_password: object,
    client: str | None,
    session_id: str | None,
    device: str | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set a new password: every token issued before stops working, every other session ends and every reset
    code still outstanding is spent; the caller's session (`session_id`) stays signed in with the new pair of tokens returned (user, tokens).
    A caller whose token names no session gets a new one on `device`."""
    confirm_password(
        db=db,
        settings=settings,
        user=user,
        password=current_password,
        client=client,
        message="Current password is incorrect",
    )
    password = validate_new_password(
        new_password, email=user["email"], min_length=settings.PASSWORD_MIN_LENGTH, field="new_password"
    )
    if current_password == password:
        raise ValidationError("The new password must differ from the current one", code="PASSWORD_UNCHANGED")
    with db.transaction():
        user_model.change_password(db, user["userid"], hash_password(password))
        sessions.password_changed(db, user["userid"], keep=session_id)
    changed = get_profile(db=db, userid=user["userid"])
    return changed, sessions.renew(
        db=db, settings=settings, user=changed, session_id=session_id, device=device
    )


def delete_account(
    *,
    db: Database,
    settings: Settings,
    storage: Storage,
    user: User,
    password: object,
    client: str | None,
    gemini_photos: "UploadedPhotos | None" = None,
) -> None:
    """Delete the user and everything stored about them, after confirming the password.

    The rows go first in one statement (every table cascades from users), so the account can never be
    half-deleted; then the files of each feature are removed, and the user's photos uploaded to Gemini are
    deleted there in the background (marked in the same transaction: gemini_file_rows.deleting_user_photos).
    """
    confirm_password(
        db=db,
        settings=settings,
        user=user,
        password=password,
        client=client,
        message="Password is incorrect; confirm the deletion with your current password",
    )
    userid = user["userid"]
    with deleting_user_photos(db, userid, gemini_photos):
        user_model.delete(db, userid)
    wardrobe_service.delete_all_for_user(db=db, storage=storage, user_id=userid)
    tryon_service.delete_all_for_user(db=db, storage=storage, user_id=userid)
    avatars_service.delete_all_for_user(storage=storage, user_id=userid)


def export_account(*, db: Database, storage: Storage, userid: str) -> dict[str, Any]:
    """Everything stored about the user, with signed URLs for their images. (Other features' tables name the
    users.userid they belong to `user_id`.)"""
    user = get_profile(db=db, userid=userid)
    items = _all_pages(
        lambda limit, offset: wardrobe_service.list_items(db=db, user_id=userid, limit=limit, offset=offset)[
            0
        ]
    )
    jobs = _all_pages(
        lambda limit, offset: tryon_service.list_jobs(db=db, user_id=userid, limit=limit, offset=offset)[0]
    )
    sections = wardrobe_service.list_categories(db=db, user_id=userid)
    return {
        "exported_at": clock.timestamp(),
        "profile": user_model.to_public_dict(user),
        "avatar_url": storage.signed_url(user["avatar_path"]) if user["avatar_path"] else None,
        "body_url": storage.signed_url(user["body_avatar_path"]) if user["body_avatar_path"] else None,
        "body_measurements": measurements_service.get_or_none(db=db, user_id=userid),
        "wardrobe": {
            "items": [
                {**item, "image_url": storage.signed_url(item["image_path"]) if item["image_path"] else None}
                for item in items
            ],
            "sections": [
                {k: v for k, v in s.items() if k != "categories"} for s in sections if not s["is_platform"]
            ],
            "categories": [c for s in sections for c in s["categories"] if not c["is_platform"]],
        },
        "tryon_jobs": [tryon_service.present_job(job, storage) for job in jobs],
        "gemini_files": [_gemini_file(row) for row in gemini_file_rows.of_user(db, userid)],
    }


def _gemini_file(row: Mapping[str, Any]) -> dict[str, Any]:
    """One of the user's photos uploaded to the Gemini Files API, as their export shows it."""
    active = row["state"] == gemini_file_rows.ACTIVE
    return {
        "name": row["name"],
        "state": row["state"],
        "uploaded_at": row["created_at"],
        "expires_at": row["expires_at"] if active else None,
    }


def _all_pages(
    fetch_page: Callable[[int, int], list[dict[str, Any]]], page_size: int = 100
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = fetch_page(page_size, offset)
        rows.extend(page)
        if len(page) < page_size:
            return rows
        offset += page_size
