"""Fixtures for the PostgreSQL/Redis tests: each skips, with the reason, when its server is not configured."""

import pytest

from shared.database import Database, postgres_engine, sqlite_engine
from tests.scale.backends import POSTGRES_SKIP_REASON, REDIS_SKIP_REASON, postgres_admin_url, redis_test_url
from tests.scale.tcp_proxy import TcpProxy


@pytest.fixture
def postgres_url(backends):
    """The URL of this test's own, empty PostgreSQL schema."""
    if not postgres_admin_url():
        pytest.skip(POSTGRES_SKIP_REASON)
    return backends["DATABASE_URL"]


@pytest.fixture
def redis_url(backends):
    """The URL of the test Redis database, emptied for this test."""
    if not redis_test_url():
        pytest.skip(REDIS_SKIP_REASON)
    return backends["REDIS_URL"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """An empty database of each kind: a SQLite file, and this test's PostgreSQL schema."""
    if request.param == "sqlite":
        database = Database(sqlite_engine(tmp_path / "scale.db"))
    else:
        database = Database(postgres_engine(request.getfixturevalue("postgres_url")))
    yield database
    database.close_all()


@pytest.fixture
def proxy_to():
    """proxy_to((host, port)) starts a TcpProxy to that server; every one is stopped afterwards."""
    proxies = []

    def start(upstream):
        proxies.append(TcpProxy(upstream).start())
        return proxies[-1]

    yield start
    for proxy in proxies:
        proxy.stop()
