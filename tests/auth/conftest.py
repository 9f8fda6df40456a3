import pytest

from app import create_app, shutdown_app
from tests.helpers import app_settings


@pytest.fixture
def app_factory_with_limits(tmp_path):
    app = create_app(
        app_settings(
            tmp_path,
            database="limits.db",
            RATELIMIT_ENABLED=True,
            LOGIN_FREE_FAILURES=3,
            RATELIMIT_LOGIN="100 per minute",
            RATELIMIT_CREATE_ACCOUNT="100 per minute",
            RATELIMIT_STORAGE_URI="memory://",
        )
    )
    yield app
    shutdown_app(app)
