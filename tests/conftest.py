"""Fixtures every test folder can ask for: a fresh app on a temporary SQLite file and images directory,
signed-up users, photos, a loopback shop and fake Gemini servers. Plain helpers are in tests/helpers.py."""

import pytest

from app import create_app, shutdown_app
from tests.fakes.shop_server import ShopServer
from tests.helpers import app_settings, sign_up, unique_email
from tests.photos import astronaut_png, cameraman_png, jeans, t_shirt
from tests.scale.backends import backend_environment, s3_pass
from tests.scale.s3_server import S3Server

# `gemini_server` (one fake Gemini for the session), `gemini` (that server reset for each test) and
# `fake_gemini` (a fresh server of the test's own).
pytest_plugins = ["tests.fakes.gemini_server"]


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
    application = create_app(
        app_settings(tmp_path, database="test.db", **{"GEMINI_API_KEY": "", **settings_overrides})
    )
    yield application
    shutdown_app(application)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_app(tmp_path):
    """make_app(**settings) builds apps sharing one database and images folder (restarts of one server, or
    several processes of one deployment); every one is shut down afterwards."""
    apps = []

    def build(**settings):
        apps.append(create_app(app_settings(tmp_path, database="shared.db", **settings)))
        return apps[-1]

    yield build
    for application in apps:
        shutdown_app(application)


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
    return astronaut_png()


@pytest.fixture(scope="session")
def standing_png():
    """PNG bytes of a real photo of a person down to the thighs: a try-on dresses it as it is (no body is built)."""
    return cameraman_png()


@pytest.fixture
def shop():
    """A fresh loopback shop (tests/fakes/shop_server.py), so request counts are this test's own."""
    with ShopServer() as server:
        yield server


@pytest.fixture(scope="session")
def top_png():
    """A red T-shirt laid flat (PNG bytes)."""
    return t_shirt((200, 30, 40))


@pytest.fixture(scope="session")
def bottom_png():
    """Blue jeans laid flat (PNG bytes)."""
    return jeans((30, 40, 160))
