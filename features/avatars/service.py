"""Avatars: validate the photo, remove its background, store it, keep exactly one file per user; and the body
avatar, a full-length photo an AI model builds from a head-and-shoulders one (one per user as well)."""

import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any

from features.body_measurements import service as measurements_service
from features.users import model as user_model
from shared.ai_models import BodyBuilder, ImageModel, ImageModelError
from shared.ai_models.gemini_file_rows import deleting_user_photos
from shared.ai_models.usage import UsageMeter
from shared.database import Database
from shared.errors import NotFoundError, ValidationError
from shared.image_processing import preprocess_image
from shared.logger import get_logger
from shared.storage import Storage

if TYPE_CHECKING:
    from shared.ai_models.gemini_files import UploadedPhotos

# Stored avatars are at most this size: plenty for try-on, and what the models work at.
AVATAR_MAX_DIMENSION = 2048
IMAGE_FOLDERS = ("avatars/",)  # where this feature stores files: "avatars/<user_id>/..."
# The measurements that shape a body avatar (the model is told height, weight, chest, waist and hips).
BODY_FIELDS = (
    "height",
    "weight",
    "breast_circumference",
    "chest",
    "waist_circumference",
    "waist",
    "hip_circumference",
    "hips",
)

log = get_logger("avatars")


def save_avatar(
    *,
    db: Database,
    storage: Storage,
    background_model: ImageModel,
    user_id: str,
    image_data: bytes,
    filename: str | None = None,
    max_bytes: int,
    max_dimension: int,
    gemini_photos: "UploadedPhotos | None" = None,
) -> tuple[str, bool]:
    """Store the photo (background removed when the model can) as the user's avatar; the user's photos uploaded
    to Gemini are deleted there (in the background, once the new avatar is stored).

    Returns (relative path, background_removed). A person the model cannot find is an error; a
    model that is down or over quota only means the photo is stored with its background.
    """
    image = preprocess_image(
        image_data,
        filename,
        max_dimension=AVATAR_MAX_DIMENSION,
        max_bytes=max_bytes,
        max_input_dimension=max_dimension,
    )
    background_removed = True
    try:
        image = background_model.remove_background(image, owner=user_id)
    except ImageModelError as exc:
        if not exc.retryable:
            raise
        log.warning("avatar stored with its background", extra={"user_id": user_id, "reason": exc.code})
        background_removed = False
    key = f"avatars/{user_id}/{uuid.uuid4().hex}.png"
    path = storage.upload_image(image, key, "image/png")
    try:
        # the row stays locked until the new path is stored: one save at a time
        with deleting_user_photos(db, user_id, gemini_photos):
            previous = _existing(user_model.lock(db, user_id))["avatar_path"]
            user_model.update(db, user_id, {"avatar_path": path})
    except BaseException:
        storage.delete_image(key)
        raise
    if previous and previous != path:
        _delete_quietly(storage, previous)
    return path, background_removed


def get_avatar_paths(*, db: Database, storage: Storage, user_id: str) -> tuple[str | None, str | None]:
    """(avatar path or None, body avatar path or None); AVATAR_NOT_FOUND when neither is stored."""
    user = user_model.get_by_userid(db, user_id)
    avatar, body = (
        user[column] if user and user[column] and _exists(storage, user[column]) else None
        for column in ("avatar_path", "body_avatar_path")
    )
    paths = (avatar, body)
    if paths == (None, None):
        raise NotFoundError(
            "No avatar saved yet; upload one with POST /api/save-avatar", code="AVATAR_NOT_FOUND"
        )
    return paths


def body_avatar(
    *,
    db: Database,
    storage: Storage,
    model: BodyBuilder,
    user_id: str,
    photo: bytes,
    meter: UsageMeter | None = None,
    timeout_seconds: float | None = None,
) -> bytes:
    """PNG of the user's full-length body built from `photo` (head and shoulders) by `model`: the stored one
    while the photo, the measurements and the gender are those it was built from, else a new one, stored in
    place of the previous."""
    user = _existing(user_model.get_by_userid(db, user_id))
    measurements = measurements_service.get_or_none(db=db, user_id=user_id) or {}
    guidance = {name: measurements[name] for name in BODY_FIELDS if measurements.get(name)}
    key = hashlib.sha256(photo + json.dumps([guidance, user["gender"]], sort_keys=True).encode()).hexdigest()
    if (
        user["body_avatar_key"] == key
        and user["body_avatar_path"]
        and _exists(storage, user["body_avatar_path"])
    ):
        return storage.read_image(user["body_avatar_path"])
    body = model.build_body(
        photo,
        gender=user["gender"],
        measurements=guidance,
        meter=meter,
        timeout_seconds=timeout_seconds,
        owner=user_id,
    )
    path = storage.upload_image(body, f"avatars/{user_id}/body-{uuid.uuid4().hex}.png", "image/png")
    try:
        with db.transaction():  # as for the avatar: the previous file is read and replaced one save at a time
            previous = _existing(user_model.lock(db, user_id))["body_avatar_path"]
            user_model.update(db, user_id, {"body_avatar_path": path, "body_avatar_key": key})
    except BaseException:
        storage.delete_image(path)
        raise
    if previous and previous != path:
        _delete_quietly(storage, previous)
    return body


def delete_all_for_user(*, storage: Storage, user_id: str) -> None:
    """Remove every avatar file of the user (their account is being deleted)."""
    storage.delete_prefix(f"avatars/{user_id}/")


def remove_background(
    *,
    background_model: ImageModel,
    image_data: bytes,
    filename: str | None = None,
    max_bytes: int,
    max_dimension: int,
) -> bytes:
    """PNG of the photo with its background removed (nothing is stored)."""
    image = preprocess_image(
        image_data,
        filename,
        max_dimension=AVATAR_MAX_DIMENSION,
        max_bytes=max_bytes,
        max_input_dimension=max_dimension,
    )
    return background_model.remove_background(image)


def _existing(user: dict[str, Any] | None) -> dict[str, Any]:
    """The user's row; an account deleted while its request or try-on was under way is 404 USER_NOT_FOUND
    (a new file stored meanwhile is removed by the caller)."""
    if user is None:
        raise NotFoundError("User not found", code="USER_NOT_FOUND")
    return user


def _exists(storage: Storage, path: str) -> bool:
    try:
        return storage.exists(path)
    except ValidationError:
        return False


def _delete_quietly(storage: Storage, path: str) -> None:
    """Old avatar files are best-effort clean-up: a failure must not undo the new avatar."""
    try:
        storage.delete_image(path)
    except (ValidationError, OSError) as exc:
        log.warning("previous avatar not deleted", extra={"path": path, "error": str(exc)})


def image_paths_in_use(*, db: Database) -> list[str]:
    """The stored paths of every user's avatar and body avatar (the files under IMAGE_FOLDERS rows point to)."""
    return user_model.stored_image_paths(db)
