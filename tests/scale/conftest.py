"""Fixtures for the PostgreSQL/Redis tests: each skips, with the reason, when its server is not configured."""
import pytest

from shared.database import DatabaseManager, PostgresDatabaseManager
from tests.scale.backends import POSTGRES_SKIP_REASON, REDIS_SKIP_REASON, postgres_admin_url, redis_test_url


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
        database = DatabaseManager(tmp_path / "scale.db")
    else:
        database = PostgresDatabaseManager(request.getfixturevalue("postgres_url"))
    yield database
    database.close_all()
