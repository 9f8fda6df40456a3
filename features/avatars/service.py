"""Avatars: validate the photo, remove its background, store it, keep exactly one file per user."""
import uuid

from shared.ai_models import ImageModelError
from shared.errors import NotFoundError, ValidationError
from shared.image_processing import preprocess_image
from shared.logger import get_logger
from shared.models import user as user_model

# Stored avatars are at most this size: plenty for try-on, and what the models work at.
AVATAR_MAX_DIMENSION = 2048

log = get_logger("avatars")


def save_avatar(*, db, storage, background_model, user_id, image_data, filename=None, max_bytes, max_dimension):
    """Store the photo (background removed when the model can) as the user's avatar.

    Returns (relative path, background_removed). A person the model cannot find is an error; a
    model that is down or over quota only means the photo is stored with its background.
    """
    image = preprocess_image(image_data, filename, max_dimension=AVATAR_MAX_DIMENSION, max_bytes=max_bytes,
                             max_input_dimension=max_dimension)
    background_removed = True
    try:
        image = background_model.remove_background(image)
    except ImageModelError as exc:
        if not exc.retryable:
            raise
        log.warning("avatar stored with its background", extra={"user_id": user_id, "reason": exc.code})
        background_removed = False
    key = f"avatars/{user_id}/{uuid.uuid4().hex}.png"
    path = storage.upload_image(image, key, "image/png")
    try:
        with db.transaction():  # the row stays locked until the new path is stored: one save at a time
            previous = user_model.lock(db, user_id)["avatar_path"]
            user_model.update(db, user_id, {"avatar_path": path})
    except BaseException:
        storage.delete_image(key)
        raise
    if previous and previous != path:
        _delete_quietly(storage, previous)
    return path, background_removed


def get_avatar_path(*, db, storage, user_id):
    """Relative path of the user's avatar; AVATAR_NOT_FOUND when none is stored."""
    user = user_model.get_by_userid(db, user_id)
    path = user["avatar_path"] if user else None
    if not path or not _exists(storage, path):
        raise NotFoundError("No avatar saved yet; upload one with POST /api/save-avatar", code="AVATAR_NOT_FOUND")
    return path


def load_avatar(*, db, storage, user_id):
    """The bytes of the user's avatar (PNG); AVATAR_NOT_FOUND when none is stored."""
    return storage.read_image(get_avatar_path(db=db, storage=storage, user_id=user_id))


def remove_background(*, background_model, image_data, filename=None, max_bytes, max_dimension):
    """PNG of the photo with its background removed (nothing is stored)."""
    image = preprocess_image(image_data, filename, max_dimension=AVATAR_MAX_DIMENSION, max_bytes=max_bytes,
                             max_input_dimension=max_dimension)
    return background_model.remove_background(image)


def _exists(storage, path):
    try:
        return storage.exists(path)
    except ValidationError:
        return False


def _delete_quietly(storage, path):
    """Old avatar files are best-effort clean-up: a failure must not undo the new avatar."""
    try:
        storage.delete_image(path)
    except (ValidationError, OSError) as exc:
        log.warning("previous avatar not deleted", extra={"path": path, "error": str(exc)})
