"""Image storage: keys like "wardrobe/<user_id>/<garment_id>.png" and signed, expiring URLs to them.

`Storage` holds what every backend shares (key rules, URL signing); `LocalStorage` keeps files under
IMAGES_DIR. An object-storage backend implements the same five file methods (upload_image,
read_image, exists, delete_image, delete_prefix) and slots in through `create_storage`.

A signed URL covers the key and its expiry with an HMAC whose key is derived from SECRET_KEY, so a
user's files are reachable only through URLs the API handed out. Expiries are rounded up to the
next hour so the same image keeps the same URL for a while and client caches work.
"""
import hashlib
import hmac
import os
import re
import shutil
import tempfile
import time
from base64 import urlsafe_b64encode
from pathlib import Path, PurePosixPath
from urllib.parse import urlencode

from flask import current_app

from config import ConfigurationError
from shared.errors import ForbiddenError, NotFoundError, ValidationError
from shared.url_utils import base_url

_KEY_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_EXPIRY_ROUNDING_SECONDS = 3600


class Storage:
    """Key validation and URL signing shared by every backend."""

    def __init__(self, *, signing_secret, url_ttl, url_prefix="/images"):
        self._signing_key = hmac.new(signing_secret.encode(), b"because-future/image-url/v1", hashlib.sha256).digest()
        self.url_ttl = url_ttl
        self.url_prefix = "/" + url_prefix.strip("/")

    def key_for(self, file_path):
        """The storage key of "/images/a/b.png", "images/a/b.png" or "a/b.png"; refuses anything else."""
        if not isinstance(file_path, str):
            raise ValidationError("Image path must be a string", code="INVALID_IMAGE_PATH")
        path = file_path
        for prefix in (self.url_prefix + "/", self.url_prefix.lstrip("/") + "/"):
            if path.startswith(prefix):
                path = path[len(prefix):]
                break
        segments = path.split("/")
        if not path or not all(_KEY_SEGMENT.match(segment) for segment in segments):
            raise ValidationError("Invalid image path", code="INVALID_IMAGE_PATH", details={"path": file_path[:200]})
        return path

    def relative_url(self, file_path):
        """'/images/<key>': what we store in the database."""
        return f"{self.url_prefix}/{self.key_for(file_path)}"

    def signed_url(self, file_path, ttl=None):
        """Absolute URL to the image, valid for at least ttl seconds (IMAGE_URL_TTL by default)."""
        key = self.key_for(file_path)
        lifetime = self.url_ttl if ttl is None else ttl
        expires = -(-(int(time.time()) + lifetime) // _EXPIRY_ROUNDING_SECONDS) * _EXPIRY_ROUNDING_SECONDS
        query = urlencode({"expires": expires, "sig": self._signature(key, expires)})
        return f"{base_url()}{self.url_prefix}/{key}?{query}"

    def verify_signature(self, file_path, expires, signature):
        """Seconds the URL stays valid; ForbiddenError for a wrong, missing or expired signature."""
        key = self.key_for(file_path)
        if not expires or not signature or not str(expires).isdigit():
            raise ForbiddenError("This image URL is not signed; request a fresh URL from the API",
                                 code="INVALID_SIGNATURE")
        if not hmac.compare_digest(self._signature(key, int(expires)), str(signature)):
            raise ForbiddenError("This image URL's signature is invalid", code="INVALID_SIGNATURE")
        remaining = int(expires) - int(time.time())
        if remaining <= 0:
            raise ForbiddenError("This image URL has expired; request a fresh URL from the API", code="URL_EXPIRED")
        return remaining

    def _signature(self, key, expires):
        digest = hmac.new(self._signing_key, f"{key}\n{expires}".encode(), hashlib.sha256).digest()
        return urlsafe_b64encode(digest).decode().rstrip("=")


class LocalStorage(Storage):
    """Files under the images directory; writes are atomic (temp file + rename)."""

    def __init__(self, *, root, **kwargs):
        super().__init__(**kwargs)
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def upload_image(self, image_data, file_path, content_type="image/png"):
        """Store bytes under the key and return its relative URL ("/images/<key>")."""
        target = self.get_image_path(file_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as temp_file:
                temp_file.write(image_data)
                temp_file.flush()
                os.fsync(temp_file.fileno())
            os.chmod(temp_name, 0o644)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return self.relative_url(file_path)

    def read_image(self, file_path):
        path = self.get_image_path(file_path)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise NotFoundError("Image not found", code="IMAGE_NOT_FOUND") from None

    def exists(self, file_path):
        return self.get_image_path(file_path).is_file()

    def delete_image(self, file_path):
        """True when a file was removed, False when there was none."""
        try:
            self.get_image_path(file_path).unlink()
        except (FileNotFoundError, IsADirectoryError):
            return False
        return True

    def delete_prefix(self, prefix):
        """Remove every file whose key starts with the folder prefix (e.g. "avatars/<user_id>/")."""
        folder = self.get_image_path(prefix.rstrip("/"))
        if not folder.is_dir():
            return 0
        count = sum(1 for entry in folder.rglob("*") if entry.is_file())
        shutil.rmtree(folder, ignore_errors=True)
        return count

    def get_image_path(self, file_path):
        """Filesystem path of the key; never outside the images root (symlinks included)."""
        path = (self.root / PurePosixPath(self.key_for(file_path))).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValidationError("Invalid image path", code="INVALID_IMAGE_PATH")
        return path


def create_storage(settings):
    """The storage backend chosen by STORAGE_BACKEND."""
    common = {"signing_secret": settings.SECRET_KEY, "url_ttl": settings.IMAGE_URL_TTL,
              "url_prefix": settings.IMAGES_BASE_URL}
    if settings.STORAGE_BACKEND == "local":
        return LocalStorage(root=settings.IMAGES_DIR, **common)
    raise ConfigurationError(f"STORAGE_BACKEND={settings.STORAGE_BACKEND!r} is not available; use 'local'")


def get_storage():
    """The app's storage (controllers only)."""
    return current_app.extensions["storage"]
