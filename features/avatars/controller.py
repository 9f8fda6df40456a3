"""HTTP endpoints for the caller's avatar, and POST /api/remove-bg (no account needed, rate limited)."""
from flask import Blueprint, Response, current_app, g, request

from features.avatars import service
from shared.ai_models import get_image_models
from shared.database import get_db
from shared.errors import ValidationError
from shared.image_processing import decode_base64_image
from shared.middleware import require_auth
from shared.rate_limit import limit
from shared.request_data import json_body, json_limit, read_upload
from shared.response import success_response
from shared.storage import get_storage

bp = Blueprint("avatars", __name__, url_prefix="/api")


@bp.post("/save-avatar")
@require_auth
def save_avatar():
    image_data, filename = _uploaded_image("avatar")
    return _store_avatar(image_data, filename)


@bp.put("/update-avatar")
@json_limit("max_image_body_size")
@require_auth
def update_avatar():
    settings = current_app.extensions["settings"]
    image_data = decode_base64_image(json_body().get("avatar"), "avatar", max_bytes=settings.MAX_UPLOAD_SIZE)
    return _store_avatar(image_data, None)


@bp.get("/get-avatar")
@require_auth
def get_avatar():
    storage = get_storage()
    avatar, body = service.get_avatar_paths(db=get_db(), storage=storage, user_id=g.user_id)
    return success_response({"avatar_url": storage.signed_url(avatar) if avatar else None,
                             "body_url": storage.signed_url(body) if body else None})


@bp.post("/remove-bg")
@limit("RATELIMIT_REMOVE_BG")
def remove_background():
    """Answers with the PNG itself: nothing is stored for an anonymous caller."""
    settings = current_app.extensions["settings"]
    image_data, filename = _uploaded_image("image")
    png = service.remove_background(background_model=get_image_models().background, image_data=image_data,
                                    filename=filename, max_bytes=settings.MAX_UPLOAD_SIZE,
                                    max_dimension=settings.MAX_IMAGE_DIMENSION)
    return Response(png, mimetype="image/png", headers={
        "Cache-Control": "no-store", "Content-Disposition": 'inline; filename="background-removed.png"'})


def _uploaded_image(field):
    upload = request.files.get(field)
    if upload is None:
        raise ValidationError(f"Send the photo as the multipart/form-data file field '{field}'",
                              code="MISSING_FILE", details={"field": field})
    return read_upload(upload, field, current_app.extensions["settings"].MAX_UPLOAD_SIZE), upload.filename


def _store_avatar(image_data, filename):
    settings = current_app.extensions["settings"]
    storage = get_storage()
    path, background_removed = service.save_avatar(
        db=get_db(), storage=storage, background_model=get_image_models().background, user_id=g.user_id,
        image_data=image_data, filename=filename, max_bytes=settings.MAX_UPLOAD_SIZE,
        max_dimension=settings.MAX_IMAGE_DIMENSION)
    return success_response({"message": "Avatar saved successfully", "background_removed": background_removed,
                             "avatar_url": storage.signed_url(path)}, "Avatar saved successfully")
