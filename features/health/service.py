"""Reachability of each component the service is configured to use."""

from typing import Protocol

import redis

from shared.database import Database, DatabaseUnavailableError
from shared.logger import get_logger
from shared.storage import StorageUnavailableError

CONNECTED = "connected"
UNAVAILABLE = "unavailable"
_REDIS_TIMEOUT_SECONDS = 2

log = get_logger("health")


class ImageStore(Protocol):
    """What the health check needs of the image storage (LocalStorage or S3Storage)."""

    def ping(self) -> None: ...


def database_status(*, db: Database) -> str:
    """ "connected" when a trivial query succeeds, else "unavailable"."""
    try:
        db.ping()
    except DatabaseUnavailableError as exc:
        log.warning("database unavailable", extra={"error": str(exc)})
        return UNAVAILABLE
    return CONNECTED


def redis_status(*, url: str) -> str:
    """ "connected" when Redis at url answers PING within a couple of seconds, else "unavailable"."""
    client = redis.Redis.from_url(
        url, socket_connect_timeout=_REDIS_TIMEOUT_SECONDS, socket_timeout=_REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        log.warning("redis unavailable", extra={"error": str(exc)})
        return UNAVAILABLE
    finally:
        client.close()
    return CONNECTED


def storage_status(*, storage: ImageStore) -> str:
    """ "connected" when the image store (directory or bucket) answers, else "unavailable"."""
    try:
        storage.ping()
    except StorageUnavailableError as exc:
        log.warning("storage unavailable", extra={"error": exc.message})
        return UNAVAILABLE
    return CONNECTED


def component_statuses(*, db: Database, storage: ImageStore, redis_url: str | None) -> dict[str, str]:
    """The state of the database and the image storage, and of Redis when one is configured."""
    statuses = {"database": database_status(db=db), "storage": storage_status(storage=storage)}
    if redis_url:
        statuses["redis"] = redis_status(url=redis_url)
    return statuses
