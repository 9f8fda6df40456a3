"""HTTP endpoints for the caller's avatar, and POST /api/remove-bg (no account needed, rate limited)."""

from flask import Blueprint, Response, current_app, g, request

from features.auth.decorators import require_auth
from features.avatars import service
from features.avatars.schemas import AvatarForm, AvatarImage, AvatarSaved, AvatarUrls, PhotoForm
from shared.ai_models import get_image_models
from shared.ai_models.gemini_file_rows import DELETED_AT_GOOGLE
from shared.database import get_db
from shared.errors import ValidationError
from shared.image_processing import decode_base64_image
from shared.rate_limit import limit
from shared.request_data import json_limit, read_upload
from shared.response import success_response
from shared.schemas import Answer, operation
from shared.storage import get_storage

bp = Blueprint("avatars", __name__)

TAG = "Avatar"
_PHOTO_ERRORS = {
    400: ["INVALID_IMAGE", "UNSUPPORTED_IMAGE", "IMAGE_TOO_LARGE"],
    413: ["FILE_TOO_LARGE"],
    422: ["NO_PERSON_DETECTED", "MULTIPLE_PEOPLE", "NO_POSE_DETECTED", "CONTENT_BLOCKED"],
}
_UPLOAD_ERRORS = {**_PHOTO_ERRORS, 400: ["MISSING_FILE", "EMPTY_FILE", *_PHOTO_ERRORS[400]]}
_STORE_ERRORS = {502: ["UPSTREAM_REJECTED"], 503: ["STORAGE_UNAVAILABLE"], 507: ["INSUFFICIENT_STORAGE"]}
_SAVED = {200: Answer(AvatarSaved, "Avatar saved.")}


@bp.post("/save-avatar")
@require_auth
@operation(
    tag=TAG,
    operation_id="saveAvatar",
    form=AvatarForm,
    answers=_SAVED,
    errors={**_UPLOAD_ERRORS, **_STORE_ERRORS},
    summary="Upload a photo of yourself; its background is removed and it becomes your avatar.",
    description="If the background remover is temporarily unavailable the photo is stored with its background "
    "(`background_removed: false`). The previous avatar file is deleted. " + DELETED_AT_GOOGLE,
)
def save_avatar():
    image_data, filename = _uploaded_image("avatar")
    return _store_avatar(image_data, filename)


@bp.put("/update-avatar")
@json_limit("max_image_body_size")
@require_auth
@operation(
    tag=TAG,
    operation_id="updateAvatar",
    body=AvatarImage,
    answers=_SAVED,
    summary="Replace the avatar with an image sent as base64 (or a data URL) in JSON.",
    description="The previous avatar file is deleted. " + DELETED_AT_GOOGLE,
    errors={**_PHOTO_ERRORS, 400: ["MISSING_FIELDS", "INVALID_BASE64", *_PHOTO_ERRORS[400]], **_STORE_ERRORS},
)
def update_avatar(body):
    settings = current_app.extensions["settings"]
    image_data = decode_base64_image(body.avatar, "avatar", max_bytes=settings.MAX_UPLOAD_SIZE)
    return _store_avatar(image_data, None)


@bp.get("/get-avatar")
@require_auth
@operation(
    tag=TAG,
    operation_id="getAvatar",
    summary="Signed URLs of the caller's avatar and of the full-length body built from a head-and-shoulders "
    "photo.",
    answers={
        200: Answer(
            AvatarUrls,
            "The avatar's URL, and `body_url` once a try-on on Gemini has built a "
            "full-length photo of the caller from a photo that does not show the hips (reused "
            "until that photo, the measurements or the gender change). 404 only when neither "
            "exists.",
        )
    },
    errors={404: ["AVATAR_NOT_FOUND"]},
)
def get_avatar():
    storage = get_storage()
    avatar, body = service.get_avatar_paths(db=get_db(), storage=storage, user_id=g.userid)
    return success_response(
        {
            "avatar_url": storage.signed_url(avatar) if avatar else None,
            "body_url": storage.signed_url(body) if body else None,
        }
    )


@bp.post("/remove-bg")
@limit("RATELIMIT_REMOVE_BG")
@operation(
    tag=TAG,
    operation_id="removeBackground",
    form=PhotoForm,
    summary="Remove the background of a photo of a person; answers with the PNG itself (nothing is stored, "
    "no account needed).",
    answers={
        200: Answer(
            None,
            "The photo as a PNG with a transparent background.",
            content={"image/png": {"schema": {"type": "string", "format": "binary"}}},
        )
    },
    errors={
        **_UPLOAD_ERRORS,
        429: ["RATE_LIMITED"],
        502: ["UPSTREAM_UNAVAILABLE", "UPSTREAM_REJECTED", "NO_IMAGE_RETURNED", "BAD_UPSTREAM_RESPONSE"],
        504: ["TIMEOUT"],
    },
)
def remove_background():
    """Answers with the PNG itself: nothing is stored for an anonymous caller."""
    settings = current_app.extensions["settings"]
    image_data, filename = _uploaded_image("image")
    png = service.remove_background(
        background_model=get_image_models().background,
        image_data=image_data,
        filename=filename,
        max_bytes=settings.MAX_UPLOAD_SIZE,
        max_dimension=settings.MAX_IMAGE_DIMENSION,
    )
    return Response(
        png,
        mimetype="image/png",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": 'inline; filename="background-removed.png"',
        },
    )


def _uploaded_image(field):
    upload = request.files.get(field)
    if upload is None:
        raise ValidationError(
            f"Send the photo as the multipart/form-data file field '{field}'",
            code="MISSING_FILE",
            details={"field": field},
        )
    return read_upload(upload, field, current_app.extensions["settings"].MAX_UPLOAD_SIZE), upload.filename


def _store_avatar(image_data, filename):
    settings = current_app.extensions["settings"]
    storage = get_storage()
    path, background_removed = service.save_avatar(
        db=get_db(),
        storage=storage,
        background_model=get_image_models().background,
        user_id=g.userid,
        image_data=image_data,
        filename=filename,
        max_bytes=settings.MAX_UPLOAD_SIZE,
        max_dimension=settings.MAX_IMAGE_DIMENSION,
        gemini_photos=get_image_models().photos,
    )
    return success_response(
        {
            "message": "Avatar saved successfully",
            "background_removed": background_removed,
            "avatar_url": storage.signed_url(path),
        },
        "Avatar saved successfully",
    )
