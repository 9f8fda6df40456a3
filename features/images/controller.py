"""GET /images/<key>?expires=...&sig=...: a stored image, only through a URL the API signed."""

import mimetypes

from flask import Blueprint, redirect, send_file

from features.images.schemas import Signature
from shared.errors import NotFoundError, ValidationError
from shared.schemas import Answer, operation
from shared.storage import get_storage

bp = Blueprint("images", __name__)


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@bp.get("/<path:filename>")
@operation(
    tag="Images",
    operation_id="getImage",
    query=Signature,
    summary="A stored image, only through a signed URL the API handed out (`expires` and `sig`).",
    description="The filename may contain slashes (e.g. `avatars/<user_id>/<name>.png`).",
    path_parameters={"filename": (None, "avatars/k3x9q2ab/3f2a.png")},
    answers={
        200: Answer(
            None,
            "The image.",
            content={
                "image/png": _BINARY,
                "image/jpeg": _BINARY,
                "image/webp": _BINARY,
                "text/html": {
                    "schema": {"type": "string", "description": "A stored product page (try-on input)."}
                },
                "application/octet-stream": _BINARY,
            },
        ),
        302: Answer(
            None,
            "With object storage (STORAGE_BACKEND=s3), a redirect to the store's own presigned URL.",
            headers={"Location": {"description": "The presigned URL.", "schema": {"type": "string"}}},
        ),
        304: Answer(None, "Not modified (conditional request with If-None-Match / If-Modified-Since)."),
    },
    errors={403: ["INVALID_SIGNATURE", "URL_EXPIRED"], 404: ["IMAGE_NOT_FOUND"]},
)
def serve_image(filename, query):
    storage = get_storage()
    try:
        remaining_seconds = storage.verify_signature(filename, query.expires, query.sig)
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
