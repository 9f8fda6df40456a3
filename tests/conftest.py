"""Fixtures: a fresh app on a temporary SQLite file and images directory for every test."""
import itertools

import pytest

from app import create_app, shutdown_app
from tests.fakes.shop_server import ShopServer
from tests.photos import person_photo, png_bytes, standing_person_photo
from tests.scale.backends import backend_environment, s3_pass
from tests.scale.s3_server import S3Server

_emails = itertools.count()


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server on loopback (moto) for the whole session, started when first asked for."""
    with S3Server() as server:
        yield server


@pytest.fixture(autouse=True)
def backends(request, monkeypatch):
    """Every app a test builds uses the backends of tests/scale/backends.py (PostgreSQL/Redis/S3 or embedded)."""
    with backend_environment(request.getfixturevalue("s3_server") if s3_pass() else None) as environment:
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        yield environment


@pytest.fixture
def settings_overrides(tmp_path):
    """Override in a test module to change settings; the defaults isolate each test on disk."""
    return {}


@pytest.fixture
def app(tmp_path, settings_overrides):
    config = {
        "FLASK_ENV": "testing",
        "DATABASE_PATH": str(tmp_path / "test.db"),
        "IMAGES_DIR": str(tmp_path / "images"),
        "LOG_DIR": str(tmp_path / "logs"),
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "RATELIMIT_ENABLED": False,
        "GEMINI_API_KEY": "",
        **settings_overrides,
    }
    application = create_app(config)
    yield application
    shutdown_app(application)


@pytest.fixture
def client(app):
    return app.test_client()


def unique_email(prefix="user"):
    return f"{prefix}{next(_emails)}@example.com"


def sign_up(client, email=None, password="correct horse 1", **extra):
    body = {"email": email or unique_email(), "password": password, "confirm_password": password,
            "first_name": "Ada", "last_name": "Lovelace", **extra}
    response = client.post("/api/create-account", json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    return {"token": data["token"], "user": data["user"], "email": body["email"], "password": password,
            "headers": {"Authorization": f"Bearer {data['token']}"}}


@pytest.fixture
def user(client):
    """A signed-up user: dict with token, user, email, password and ready auth headers."""
    return sign_up(client)


@pytest.fixture
def other_user(client):
    return sign_up(client, email=unique_email("other"))


@pytest.fixture(scope="session")
def person_png():
    """PNG bytes of a real photo of a person."""
    return png_bytes(person_photo())


@pytest.fixture(scope="session")
def standing_png():
    """PNG bytes of a real photo of a person down to the thighs: a try-on dresses it as it is (no body is built)."""
    return png_bytes(standing_person_photo())


@pytest.fixture
def shop():
    """A fresh loopback shop (tests/fakes/shop_server.py), so request counts are this test's own."""
    with ShopServer() as server:
        yield server
