"""GET /images/<key>?expires=...&sig=...: a stored image, only through a URL the API signed."""
import mimetypes

from flask import Blueprint, redirect, request, send_file

from shared.errors import NotFoundError, ValidationError
from shared.storage import get_storage

bp = Blueprint("images", __name__)


def init_app(app):
    """The route follows IMAGES_BASE_URL, the prefix storage puts in front of every key."""
    prefix = app.extensions["storage"].url_prefix
    app.add_url_rule(f"{prefix}/<path:filename>", endpoint="images.serve_image", view_func=serve_image,
                     methods=["GET"])


def serve_image(filename):
    storage = get_storage()
    try:
        remaining_seconds = storage.verify_signature(filename, request.args.get("expires"), request.args.get("sig"))
        path = storage.get_image_path(filename)
    except ValidationError:
        raise NotFoundError("Image not found", code="IMAGE_NOT_FOUND") from None
    if path is None:  # object storage: the store itself serves the file, through a presigned URL
        return redirect(storage.signed_url(filename))
    if not path.is_file():
        raise NotFoundError("Image not found", code="IMAGE_NOT_FOUND")
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = send_file(path, mimetype=mimetype, conditional=True, etag=True, max_age=remaining_seconds)
    # Private: the URL grants access to one user's file; shared caches must not keep it.
    response.cache_control.private = True
    response.cache_control.public = False
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
