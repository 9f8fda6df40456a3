"""Image storage: keys like "wardrobe/<user_id>/<garment_id>.png" and signed, expiring URLs to them.

`Storage` holds what every backend shares (key rules, URL signing) and declares the methods each one
implements; `LocalStorage` keeps files under IMAGES_DIR (STORAGE_BACKEND=local), `S3Storage` keeps objects
in a bucket of S3 or any S3-compatible store (STORAGE_BACKEND=s3). The database stores "/images/<key>"
whichever is in use.

A signed URL covers the key and its expiry with an HMAC whose key is derived from SECRET_KEY, so a
user's files are reachable only through URLs the API handed out. Expiries are rounded up to the
next hour so the same image keeps the same URL for a while and client caches work. On S3 clients
get presigned GET URLs to the bucket instead, ending at the same rounded-up hour.
"""

import errno
import functools
import hashlib
import hmac
import os
import shutil
import stat
import tempfile
import threading
from abc import ABC, abstractmethod
from base64 import urlsafe_b64encode
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app

from config import ConfigurationError, Settings
from shared import clock
from shared.errors import ApiError, ForbiddenError, NotFoundError, ServiceUnavailableError, ValidationError
from shared.logger import get_logger
from shared.text_patterns import compile_pattern
from shared.url_utils import public_base_url

_KEY_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
_KEY = compile_pattern(rf"{_KEY_SEGMENT}(?:/{_KEY_SEGMENT})*")  # segments joined by "/": no "", "." or ".."
_EXPIRES = compile_pattern(r"[0-9]{1,12}")  # a Unix time in ASCII digits; "²" or 5000 digits are no time
_EXPIRY_ROUNDING_SECONDS = 3600
_PRESIGNED_URL_MAX_SECONDS = 7 * 24 * 3600  # SigV4's limit
_S3_DELETE_BATCH = 1000  # most keys one DeleteObjects call takes
_S3_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_boto3_session_lock = threading.Lock()

log = get_logger("storage")


@dataclass(frozen=True)
class StoredFile:
    """One stored file as its backend lists it."""

    key: str
    size: int  # bytes
    modified: float  # when it was last written, seconds since 1970


class StorageUnavailableError(ServiceUnavailableError):
    """The image store cannot be reached or refused us; the request can be retried later."""

    code = "STORAGE_UNAVAILABLE"

    def __init__(self, message: str = "Image storage is unavailable; try again shortly") -> None:
        super().__init__(message, headers={"Retry-After": "5"})


class Storage(ABC):
    """Key validation and URL signing shared by every backend, and the methods every backend implements.

    public_base_url is the scheme and host of the signed URLs ("https://api.example.com"), or a function
    giving it per answer (create_storage: PUBLIC_BASE_URL, else the request's host): signing needs no
    Flask context of its own, so services sign URLs anywhere.
    """

    def __init__(
        self,
        *,
        signing_secret: str,
        url_ttl: int,
        public_base_url: str | Callable[[], str],
        url_prefix: str = "/images",
    ) -> None:
        self._public_base_url: Callable[[], str] = (
            public_base_url
            if callable(public_base_url)
            else functools.partial(str, public_base_url.rstrip("/"))
        )
        self._signing_key = hmac.new(
            signing_secret.encode(), b"because-future/image-url/v1", hashlib.sha256
        ).digest()
        self.url_ttl = url_ttl
        self.url_prefix = "/" + url_prefix.strip("/")
        # Within the hour a path keeps one URL (so client caches work): worked out once per (path, host, expiry).
        self._local_url = functools.lru_cache(maxsize=4096)(self._sign_url)

    def key_for(self, file_path: object) -> str:
        """The storage key of "/images/a/b.png", "images/a/b.png" or "a/b.png"; refuses anything else
        (a path from a client may be any JSON value)."""
        if not isinstance(file_path, str):
            raise ValidationError("Image path must be a string", code="INVALID_IMAGE_PATH")
        path = file_path
        for prefix in (self.url_prefix + "/", self.url_prefix.lstrip("/") + "/"):
            if path.startswith(prefix):
                path = path[len(prefix) :]
                break
        if not _KEY.fullmatch(path):
            raise ValidationError(
                "Invalid image path", code="INVALID_IMAGE_PATH", details={"path": file_path[:200]}
            )
        return path

    def relative_url(self, file_path: str) -> str:
        """'/images/<key>': what we store in the database."""
        return f"{self.url_prefix}/{self.key_for(file_path)}"

    def signed_url(self, file_path: str, ttl: int | None = None) -> str:
        """Absolute URL to the image, valid for at least ttl seconds (IMAGE_URL_TTL by default)."""
        return self.url_signer(ttl)(file_path)

    def url_signer(self, ttl: int | None = None) -> Callable[[str], str]:
        """signed_url as a function of the path, for the images of one answer: the host and the expiry are
        worked out once (for a list of 20 items they were a third of the signing)."""
        base, expires = self._public_base_url(), self.expires_at(ttl)
        return lambda file_path: self._local_url(file_path, base, expires)

    def _sign_url(self, file_path: str, base: str, expires: int) -> str:
        key = self.key_for(file_path)
        # digits and URL-safe base64 need no quoting (urlencode was a third of a 20-item list's time)
        return f"{base}{self.url_prefix}/{key}?expires={expires}&sig={self._signature(key, expires)}"

    def expires_at(self, ttl: int | None = None) -> int:
        """Unix time a URL made now stops working: ttl (IMAGE_URL_TTL) seconds away, rounded up to the hour."""
        lifetime = self.url_ttl if ttl is None else ttl
        return (
            -(-(int(clock.epoch_seconds()) + lifetime) // _EXPIRY_ROUNDING_SECONDS) * _EXPIRY_ROUNDING_SECONDS
        )

    def verify_signature(self, file_path: str, expires: str | None, signature: str | None) -> int:
        """Seconds the URL stays valid; ForbiddenError for a wrong, missing or expired signature."""
        key = self.key_for(file_path)
        if not signature or not isinstance(expires, str) or not _EXPIRES.fullmatch(expires):
            raise ForbiddenError(
                "This image URL is not signed; request a fresh URL from the API", code="INVALID_SIGNATURE"
            )
        if not hmac.compare_digest(self._signature(key, int(expires)), str(signature)):
            raise ForbiddenError("This image URL's signature is invalid", code="INVALID_SIGNATURE")
        remaining = int(expires) - int(clock.epoch_seconds())
        if remaining <= 0:
            raise ForbiddenError(
                "This image URL has expired; request a fresh URL from the API", code="URL_EXPIRED"
            )
        return remaining

    @abstractmethod
    def upload_image(self, image_data: bytes, file_path: str, content_type: str = "image/png") -> str:
        """Store bytes under the key and return its relative URL ("/images/<key>")."""

    @abstractmethod
    def read_image(self, file_path: str) -> bytes:
        """The stored bytes; NotFoundError (IMAGE_NOT_FOUND) when there are none."""

    @abstractmethod
    def exists(self, file_path: str) -> bool:
        """True when something is stored under the key."""

    @abstractmethod
    def delete_image(self, file_path: str) -> bool:
        """True when a file was removed, False when there was none."""

    @abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Remove every file whose key starts with the folder prefix (e.g. "avatars/<user_id>/"); how many."""

    def list_keys(self, prefix: str = "") -> list[str]:
        """Sorted keys of the stored files under a folder prefix (e.g. "avatars/<user_id>/"; "" for all)."""
        return [stored.key for stored in self.list_files(prefix)]

    @abstractmethod
    def list_files(self, prefix: str = "") -> list[StoredFile]:
        """The stored files under a folder prefix ("" for all), sorted by key, with their size and age."""

    @abstractmethod
    def modified(self, file_path: str) -> float | None:
        """When the file was last written (seconds since 1970); None when there is none."""

    def delete_stale_temporary_files(self, cutoff: float, *, dry_run: bool = False) -> list[StoredFile]:
        """The temporary files of writes that never finished (a process killed mid-write), last written before
        cutoff (seconds since 1970), deleted unless dry_run. A store whose writes leave none has none."""
        return []

    @abstractmethod
    def ping(self) -> None:
        """StorageUnavailableError unless the store can be used."""

    @abstractmethod
    def get_image_path(self, file_path: str) -> Path | None:
        """Filesystem path of the key, or None when the backend keeps no files (refuses an invalid key)."""

    def _signature(self, key: str, expires: int) -> str:
        digest = hmac.new(self._signing_key, f"{key}\n{expires}".encode(), hashlib.sha256).digest()
        return urlsafe_b64encode(digest).decode().rstrip("=")


class LocalStorage(Storage):
    """Files under the images directory; writes are atomic (temp file + rename)."""

    def __init__(self, *, root: str | Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def upload_image(self, image_data: bytes, file_path: str, content_type: str = "image/png") -> str:
        """Store bytes under the key and return its relative URL ("/images/<key>").

        A write the disk refuses leaves no file and is a typed error: 507 when the disk is full, else 503.
        """
        target = self.get_image_path(file_path)
        try:
            _write_atomically(target, image_data)
        except OSError as exc:
            raise _write_error(exc, target) from exc
        return self.relative_url(file_path)

    def read_image(self, file_path: str) -> bytes:
        path = self.get_image_path(file_path)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise NotFoundError("Image not found", code="IMAGE_NOT_FOUND") from None

    def exists(self, file_path: str) -> bool:
        return self.get_image_path(file_path).is_file()

    def delete_image(self, file_path: str) -> bool:
        """True when a file was removed, False when there was none."""
        try:
            self.get_image_path(file_path).unlink()
        except (FileNotFoundError, IsADirectoryError):
            return False
        return True

    def delete_prefix(self, prefix: str) -> int:
        """Remove every file whose key starts with the folder prefix (e.g. "avatars/<user_id>/")."""
        folder = self.get_image_path(prefix.rstrip("/"))
        if not folder.is_dir():
            return 0
        count = sum(1 for entry in folder.rglob("*") if entry.is_file())
        shutil.rmtree(folder, ignore_errors=True)
        return count

    def list_files(self, prefix: str = "") -> list[StoredFile]:
        """The stored files under a folder prefix ("" for all), sorted by key; not a write's temporary file."""
        folder = self.get_image_path(prefix.rstrip("/")) if prefix else self.root
        if not folder.is_dir():
            return []
        found: list[StoredFile] = []
        for entry in folder.rglob("*"):
            if entry.name.startswith("."):
                continue
            try:
                status = entry.stat()
            except FileNotFoundError:  # deleted since it was listed
                continue
            if stat.S_ISREG(status.st_mode):
                found.append(
                    StoredFile(entry.relative_to(self.root).as_posix(), status.st_size, status.st_mtime)
                )
        return sorted(found, key=lambda stored: stored.key)

    def modified(self, file_path: str) -> float | None:
        try:
            return self.get_image_path(file_path).stat().st_mtime
        except FileNotFoundError:
            return None

    def delete_stale_temporary_files(self, cutoff: float, *, dry_run: bool = False) -> list[StoredFile]:
        """The `.upload-*.tmp` files _write_atomically leaves behind when its process dies before the rename."""
        stale: list[StoredFile] = []
        for entry in self.root.rglob(f"{_TEMPORARY_PREFIX}*{_TEMPORARY_SUFFIX}"):
            try:
                status = entry.stat()
            except FileNotFoundError:  # renamed or removed since it was listed
                continue
            if not stat.S_ISREG(status.st_mode) or status.st_mtime > cutoff:
                continue
            if not dry_run:
                entry.unlink(missing_ok=True)
            stale.append(StoredFile(entry.relative_to(self.root).as_posix(), status.st_size, status.st_mtime))
        return stale

    def ping(self) -> None:
        """StorageUnavailableError unless the images directory is there and writable."""
        if not (self.root.is_dir() and os.access(self.root, os.W_OK | os.X_OK)):
            raise StorageUnavailableError(f"The images directory {self.root} is missing or not writable")

    def get_image_path(self, file_path: str) -> Path:
        """Filesystem path of the key; never outside the images root (symlinks included)."""
        path = (self.root / PurePosixPath(self.key_for(file_path))).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValidationError("Invalid image path", code="INVALID_IMAGE_PATH")
        return path


_TEMPORARY_PREFIX, _TEMPORARY_SUFFIX = ".upload-", ".tmp"


def _write_atomically(target: Path, data: bytes) -> None:
    """A temporary file beside the target, renamed over it: readers see the old file or all of the new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(
        dir=target.parent, prefix=_TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX
    )
    try:
        with os.fdopen(handle, "wb") as temp_file:
            temp_file.write(data)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _write_error(exc: OSError, target: Path) -> ApiError:
    """What clients are told when the disk refuses an image: 507 (full disk or quota) or 503."""
    log.error("image not written", extra={"path": str(target), "errno": exc.errno, "error": str(exc)})
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ApiError(
            "The image store is full, so the image was not saved; try again later",
            code="INSUFFICIENT_STORAGE",
            status_code=507,
            headers={"Retry-After": "300"},
        )
    return StorageUnavailableError(
        "The image store cannot be written right now, so the image was not saved; try again shortly"
    )


class S3Storage(Storage):
    """Objects in one bucket of S3 or an S3-compatible store (MinIO, R2...), reached through boto3.

    Objects are written whole by a single PUT, so readers never see half an image. Clients fetch
    them straight from the store through presigned GET URLs. The store being unreachable is a 503
    (STORAGE_UNAVAILABLE), never a 500.
    """

    def __init__(
        self,
        *,
        bucket: str,
        region: str,
        endpoint_url: str = "",
        access_key_id: str = "",
        secret_access_key: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if self.url_ttl + _EXPIRY_ROUNDING_SECONDS > _PRESIGNED_URL_MAX_SECONDS:
            raise ConfigurationError(
                f"IMAGE_URL_TTL={self.url_ttl} is too long for S3 presigned URLs (at most "
                f"{_PRESIGNED_URL_MAX_SECONDS - _EXPIRY_ROUNDING_SECONDS} seconds)"
            )
        self.bucket = bucket
        connection = {
            "region_name": region,
            "endpoint_url": endpoint_url or None,
            "aws_access_key_id": access_key_id or None,
            "aws_secret_access_key": secret_access_key or None,
        }
        # S3-compatible stores on their own endpoint generally serve buckets as paths, not host names.
        addressing = {"addressing_style": "path" if endpoint_url else "auto"}
        self._client = _s3_client(
            connection,
            Config(
                signature_version="s3v4",
                s3=addressing,
                connect_timeout=5,
                read_timeout=30,
                max_pool_connections=64,
                retries={"mode": "standard", "max_attempts": 3},
            ),
        )
        # /health asks with one quick attempt, so an outage shows at once
        self._probe = _s3_client(
            connection,
            Config(
                signature_version="s3v4",
                s3=addressing,
                connect_timeout=2,
                read_timeout=2,
                retries={"mode": "standard", "total_max_attempts": 1},
            ),
        )
        self._presigned_url = functools.lru_cache(maxsize=4096)(self._presign)

    def upload_image(self, image_data: bytes, file_path: str, content_type: str = "image/png") -> str:
        """Store bytes under the key and return its relative URL ("/images/<key>")."""
        key = self.key_for(file_path)
        self._call("put_object", Bucket=self.bucket, Key=key, Body=image_data, ContentType=content_type)
        return self.relative_url(key)

    def read_image(self, file_path: str) -> bytes:
        response = self._call("get_object", Bucket=self.bucket, Key=self.key_for(file_path))
        if response is None:
            raise NotFoundError("Image not found", code="IMAGE_NOT_FOUND")
        try:
            with response["Body"] as body:
                data: bytes = body.read()
            return data
        except BotoCoreError as exc:  # the connection broke while the object was streaming
            log.error("image storage read cut short", extra={"error": str(exc)})
            raise StorageUnavailableError() from None

    def exists(self, file_path: str) -> bool:
        return self._call("head_object", Bucket=self.bucket, Key=self.key_for(file_path)) is not None

    def delete_image(self, file_path: str) -> bool:
        """True when an object was removed, False when there was none."""
        key = self.key_for(file_path)
        if self._call("head_object", Bucket=self.bucket, Key=key) is None:
            return False
        self._call("delete_object", Bucket=self.bucket, Key=key)
        return True

    def delete_prefix(self, prefix: str) -> int:
        """Remove every object whose key starts with the folder prefix (e.g. "avatars/<user_id>/")."""
        keys = self.list_keys(prefix)
        for start in range(0, len(keys), _S3_DELETE_BATCH):
            batch = [{"Key": key} for key in keys[start : start + _S3_DELETE_BATCH]]
            response = self._call(
                "delete_objects", Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
            )
            if response.get("Errors"):
                log.error("objects not deleted", extra={"errors": response["Errors"][:10]})
                raise StorageUnavailableError(
                    "Image storage refused to delete some images; try again shortly"
                )
        return len(keys)

    def list_files(self, prefix: str = "") -> list[StoredFile]:
        """The stored objects under a folder prefix ("" for all), sorted by key."""
        folder = self.key_for(prefix.rstrip("/")) + "/" if prefix else ""
        found: list[StoredFile] = []
        continuation: dict[str, str] = {}
        while True:
            page = self._call("list_objects_v2", Bucket=self.bucket, Prefix=folder, **continuation)
            found += [
                StoredFile(entry["Key"], entry["Size"], entry["LastModified"].timestamp())
                for entry in page.get("Contents", [])
            ]
            if not page.get("IsTruncated"):
                return sorted(found, key=lambda stored: stored.key)
            continuation = {"ContinuationToken": page["NextContinuationToken"]}

    def modified(self, file_path: str) -> float | None:
        head = self._call("head_object", Bucket=self.bucket, Key=self.key_for(file_path))
        return None if head is None else float(head["LastModified"].timestamp())

    def ping(self) -> None:
        """StorageUnavailableError unless the bucket answers (one quick attempt)."""
        try:
            self._probe.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            log.warning("image storage unavailable", extra={"bucket": self.bucket, "error": str(exc)})
            raise StorageUnavailableError(f"S3 bucket {self.bucket!r} cannot be reached") from None

    def get_image_path(self, file_path: str) -> None:
        """None: objects have no filesystem path here; read them with read_image or hand out signed_url."""
        self.key_for(file_path)
        return None

    def url_signer(self, ttl: int | None = None) -> Callable[[str], str]:
        """Presigned GET URLs to the objects, ending when a local signed URL made now would."""
        expires = self.expires_at(ttl)
        return lambda file_path: self._presigned_url(self.key_for(file_path), expires)

    def _presign(self, key: str, expires_at: int) -> str:
        # Kept per (key, expiry) by _presigned_url: within the hour an image keeps one URL, so client caches work.
        lifetime = max(expires_at - int(clock.epoch_seconds()), 1)
        try:
            url: str = self._client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=lifetime
            )
            return url
        except BotoCoreError as exc:
            log.error("could not presign an image URL", extra={"key": key, "error": str(exc)})
            raise StorageUnavailableError() from None

    def _call(self, operation: str, **params: Any) -> Any:
        """The S3 operation's response; None when the object is not there; StorageUnavailableError on failure."""
        try:
            return getattr(self._client, operation)(**params)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _S3_NOT_FOUND and "Key" in params:
                return None
            log.error("image storage refused a request", extra={"operation": operation, "error": str(exc)})
            raise StorageUnavailableError() from None
        except BotoCoreError as exc:
            log.error("image storage unreachable", extra={"operation": operation, "error": str(exc)})
            raise StorageUnavailableError() from None


def _s3_client(connection: dict[str, str | None], config: Config) -> Any:
    # boto3's default session is not thread-safe; the clients it makes are.
    with _boto3_session_lock:
        return boto3.client("s3", config=config, **connection)


def create_storage(settings: Settings) -> Storage:
    """The storage backend chosen by STORAGE_BACKEND."""
    common: dict[str, Any] = {
        "signing_secret": settings.SECRET_KEY,
        "url_ttl": settings.IMAGE_URL_TTL,
        "url_prefix": settings.IMAGES_BASE_URL,
        "public_base_url": public_base_url(settings.PUBLIC_BASE_URL, settings.PORT),
    }
    if settings.STORAGE_BACKEND == "local":
        return LocalStorage(root=settings.IMAGES_DIR, **common)
    if settings.STORAGE_BACKEND == "s3":
        if not settings.S3_BUCKET:
            raise ConfigurationError(
                "STORAGE_BACKEND=s3 needs S3_BUCKET (and S3_REGION, plus S3_ENDPOINT_URL for "
                "an S3-compatible store)"
            )
        return S3Storage(
            bucket=settings.S3_BUCKET,
            region=settings.S3_REGION,
            endpoint_url=settings.S3_ENDPOINT_URL,
            access_key_id=settings.S3_ACCESS_KEY_ID,
            secret_access_key=settings.S3_SECRET_ACCESS_KEY,
            **common,
        )
    raise ConfigurationError(
        f"STORAGE_BACKEND={settings.STORAGE_BACKEND!r} is not available; use 'local' or 's3'"
    )


def get_storage() -> Storage:
    """The app's storage (controllers only)."""
    storage: Storage = current_app.extensions["storage"]
    return storage
