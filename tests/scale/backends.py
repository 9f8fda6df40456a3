"""Which database, Redis and image storage a test runs on, chosen from the environment.

Unset TEST_DATABASE_URL / TEST_REDIS_URL / TEST_S3: the embedded default (SQLite file, in-memory
limits, images on local disk).
Set (scripts/test.sh's scale-out pass, with the servers of scripts/services.sh): every test gets a
fresh PostgreSQL schema of its own, dropped afterwards, and the Redis database, emptied before the test.
TEST_S3=1: every test stores its images in a fresh bucket of an S3-compatible server on loopback
(tests/scale/s3_server.py, one per session), deleted afterwards.
The settings reach every app a test builds through DATABASE_URL, REDIS_URL, STORAGE_BACKEND and
S3_* in the environment.
"""

import itertools
import os
from contextlib import ExitStack, contextmanager
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import psycopg
import redis

POSTGRES_SKIP_REASON = (
    "PostgreSQL pass not run: set TEST_DATABASE_URL to a PostgreSQL database where tests "
    'may create schemas (`eval "$(bash scripts/services.sh)"` starts one; scripts/test.sh '
    "runs the pass when it is up)"
)
REDIS_SKIP_REASON = (
    "Redis pass not run: set TEST_REDIS_URL to a Redis database the tests may empty "
    '(`eval "$(bash scripts/services.sh)"` starts one; scripts/test.sh runs the pass)'
)

_schema_names = itertools.count()


def postgres_admin_url():
    return os.environ.get("TEST_DATABASE_URL", "")


def redis_test_url():
    return os.environ.get("TEST_REDIS_URL", "")


def s3_pass():
    return os.environ.get("TEST_S3", "").strip().lower() in ("1", "true", "yes", "on")


def with_query(url, **params):
    """url with these query parameters added (libpq reads connection options from the query)."""
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params, quote_via=quote)]))
    return urlunsplit(parts._replace(query=query))


@contextmanager
def fresh_postgres_schema(admin_url):
    """A new, empty schema on admin_url's database; yields a URL whose connections use only it.

    A schema costs a millisecond where a database costs a checkpoint. Connections are tagged with
    the schema's name, so afterwards any a test left open are ended before the schema is dropped.
    """
    name = f"bf_test_{os.getpid()}_{next(_schema_names)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield with_query(admin_url, options=f"-csearch_path={name}", application_name=name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", (name,)
            )
            admin.execute(f'DROP SCHEMA "{name}" CASCADE')


def emptied_redis(url):
    """The Redis database of url, with every key of earlier tests removed."""
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
    return url


@contextmanager
def backend_environment(s3_server=None):
    """DATABASE_URL, REDIS_URL and the storage settings for one test ("" / local = the embedded default)."""
    redis_url = emptied_redis(redis_test_url()) if redis_test_url() else ""
    with ExitStack() as stack:
        database_url = (
            stack.enter_context(fresh_postgres_schema(postgres_admin_url())) if postgres_admin_url() else ""
        )
        storage = (
            s3_server.settings(stack.enter_context(s3_server.fresh_bucket()))
            if s3_server
            else {"STORAGE_BACKEND": "local"}
        )
        yield {"DATABASE_URL": database_url, "REDIS_URL": redis_url, **storage}
