"""Reachability of each component the service is configured to use."""
import redis

from shared.database import DatabaseUnavailableError
from shared.logger import get_logger

CONNECTED = "connected"
UNAVAILABLE = "unavailable"
_REDIS_TIMEOUT_SECONDS = 2

log = get_logger("health")


def database_status(*, db):
    """"connected" when a trivial query succeeds, else "unavailable"."""
    try:
        db.ping()
    except DatabaseUnavailableError as exc:
        log.warning("database unavailable", extra={"error": str(exc)})
        return UNAVAILABLE
    return CONNECTED


def redis_status(*, url):
    """"connected" when Redis at url answers PING within a couple of seconds, else "unavailable"."""
    client = redis.Redis.from_url(url, socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
                                  socket_timeout=_REDIS_TIMEOUT_SECONDS)
    try:
        client.ping()
    except redis.RedisError as exc:
        log.warning("redis unavailable", extra={"error": str(exc)})
        return UNAVAILABLE
    finally:
        client.close()
    return CONNECTED


def component_statuses(*, db, redis_url):
    """The state of the database, and of Redis when one is configured."""
    statuses = {"database": database_status(db=db)}
    if redis_url:
        statuses["redis"] = redis_status(url=redis_url)
    return statuses
