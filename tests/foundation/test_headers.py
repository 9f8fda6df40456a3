"""Response headers: nosniff everywhere, no-store on JSON (tokens, personal data), a CSP on the pages
that keep a token, Retry-After only where a client should retry, and no default CORS origin in production."""

import io
import secrets

import pytest

from app import create_app, shutdown_app
from config import Settings
from tests.helpers import app_settings, sign_up


def test_every_response_says_nosniff(client, user):
    for response in (
        client.get("/health"),
        client.get("/api/nope"),
        client.get("/docs"),
        client.get("/openapi.json"),
        client.post("/api/login", json={}),
        client.get("/api/users/profile", headers=user["headers"]),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff", response.request.path


def test_responses_with_tokens_are_not_stored(client):
    account = sign_up(client)
    login = client.post("/api/login", json={"email": account["email"], "password": account["password"]})
    changed = client.post(
        "/api/users/profile/change-password",
        headers=account["headers"],
        json={"current_password": account["password"], "new_password": "a new passphrase 9"},
    )
    created = client.post(
        "/api/create-account", json={"email": "grace@example.com", "password": "correct horse 1"}
    )
    refreshed = client.post(
        "/api/auth/refresh", json={"refresh_token": created.get_json()["data"]["refresh_token"]}
    )
    for response in (login, changed, created, refreshed):
        assert response.status_code in (200, 201) and response.get_json()["data"]["token"]
        assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/docs", "/playground"])
def test_pages_that_keep_a_token_have_a_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["frame-ancestors"] == ["'none'"]
    assert (
        "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    )
    assert directives["object-src"] == ["'none'"]


@pytest.fixture
def settings_overrides():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_SCRAPE": "1 per minute",
    }


def test_retry_after_only_on_refusals_that_ask_for_a_retry(client):
    first = client.post("/api/garments/scrape", json={"url": "not a url"})
    assert first.status_code == 400 and "Retry-After" not in first.headers
    assert "Retry-After" not in client.get("/health").headers
    limited = client.post("/api/garments/scrape", json={"url": "not a url"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0


def test_production_has_no_default_cors_origins(tmp_path):
    assert Settings.from_env(env={"FLASK_ENV": "production"}).cors_origins == ()
    assert Settings.from_env(env={"FLASK_ENV": "development"}).cors_origins
    assert Settings.from_env(
        env={"FLASK_ENV": "production", "CORS_ORIGINS": "https://app.test"}
    ).cors_origins == ("https://app.test",)
    app = create_app(
        app_settings(
            tmp_path,
            database="p.db",
            FLASK_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(32),
            JWT_SECRET_KEY=secrets.token_urlsafe(32),
            LOG_TO_FILES=False,
        )
    )
    client = app.test_client()
    preflight = client.options(
        "/api/login", headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"}
    )
    read = client.get("/health", headers={"Origin": "http://localhost:3000"})
    assert preflight.status_code == 200 and read.status_code == 200
    for response in (preflight, read):
        assert not [name for name, _value in response.headers if name.lower().startswith("access-control-")]
        assert "Vary" not in response.headers
    shutdown_app(app)


@pytest.mark.parametrize(
    "settings_overrides",
    [
        {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_TRYON": "1000 per minute",
            "MAX_QUEUE_SIZE": 1,
        }
    ],
)
def test_the_queue_keeps_its_own_retry_after(app, client, user, person_png):
    app.extensions["tryon_queue"].stop()  # the first job stays queued

    def submit():
        return client.post(
            "/api/tryon",
            headers=user["headers"],
            content_type="multipart/form-data",
            data={
                "selfie": (io.BytesIO(person_png), "me.png"),
                "garment_url": "https://shop.test/p",
                "html": "<h1>A linen shirt</h1>",
            },
        )

    accepted = submit()
    assert accepted.status_code == 202 and "Retry-After" not in accepted.headers
    full = submit()
    assert full.get_json()["error"]["code"] == "QUEUE_FULL"
    assert full.headers["Retry-After"] == str(accepted.get_json()["data"]["estimated_time"])
