import pytest

from app import create_app, shutdown_app


@pytest.fixture
def app_factory_with_limits(tmp_path):
    app = create_app(
        {
            "FLASK_ENV": "testing",
            "DATABASE_PATH": str(tmp_path / "limits.db"),
            "IMAGES_DIR": str(tmp_path / "images"),
            "LOG_DIR": str(tmp_path / "logs"),
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "RATELIMIT_ENABLED": True,
            "LOGIN_FREE_FAILURES": 3,
            "RATELIMIT_LOGIN": "100 per minute",
            "RATELIMIT_CREATE_ACCOUNT": "100 per minute",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    yield app
    shutdown_app(app)
