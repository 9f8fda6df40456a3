"""The HTTP surface every client relies on: envelope, errors, CORS, request ids, logs, health."""

import json
import os

import pytest

from app import create_app, shutdown_app
from config import ConfigurationError, Settings
from tests.helpers import app_settings, sign_up

LOCAL_AI = {"provider": "local", "model": None, "status": "ok", "reason": None}


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    redis = {"redis": "connected"} if os.environ.get("REDIS_URL") else {}
    assert response.get_json() == {
        "success": True,
        "data": {
            "status": "healthy",
            "database": "connected",
            "storage": "connected",
            **redis,
            "ai": LOCAL_AI,
        },
    }


def test_health_reports_unreachable_database(tmp_path):
    db_dir = tmp_path / "dbdir"
    # SQLite on both test passes: the database goes away with its folder (tests/scale: PostgreSQL down).
    app = create_app(
        app_settings(
            tmp_path, LOG_TO_FILES=False, DATABASE_PATH=str(db_dir / "x.db"), DATABASE_URL="", REDIS_URL=""
        )
    )
    client = app.test_client()
    assert client.get("/health").status_code == 200
    # Moved away in one step: the try-on dispatcher may be opening the file at this very moment.
    db_dir.rename(tmp_path / "gone")
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json()["data"] == {
        "status": "unhealthy",
        "database": "unavailable",
        "storage": "connected",
        "ai": LOCAL_AI,
    }
    shutdown_app(app)


@pytest.mark.parametrize(
    "method,path,status,code",
    [
        ("get", "/api/does-not-exist", 404, "NOT_FOUND"),
        ("delete", "/api/login", 405, "METHOD_NOT_ALLOWED"),
        ("get", "/api/login", 405, "METHOD_NOT_ALLOWED"),
    ],
)
def test_http_errors_come_back_in_the_envelope(client, method, path, status, code):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == code and body["error"]["message"]


def test_oversized_body_is_413_json(tmp_path):
    app = create_app(app_settings(tmp_path, database="t.db", LOG_TO_FILES=False, MAX_REQUEST_SIZE=1024))
    response = app.test_client().post("/api/login", data="x" * 5000, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    shutdown_app(app)


def test_unexpected_exception_is_500_json_with_request_id(app):
    def boom():
        raise RuntimeError("kaboom")

    app.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom", headers={"X-Request-ID": "trace-123"})
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"]["code"] == "INTERNAL_ERROR"
    assert "kaboom" not in body["error"]["message"] and "trace-123" in body["error"]["message"]


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/health", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] == "abc-1"
    generated = client.get("/health", headers={"X-Request-ID": "bad id with spaces"}).headers["X-Request-ID"]
    assert generated and " " not in generated


def test_cors_preflight_for_configured_origins(tmp_path):
    origins = "http://localhost:3000,chrome-extension://abcdefghijklmnop"
    app = create_app(app_settings(tmp_path, database="t.db", LOG_TO_FILES=False, CORS_ORIGINS=origins))
    client = app.test_client()
    preflight = client.options(
        "/api/users/profile",
        headers={
            "Origin": "chrome-extension://abcdefghijklmnop",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "chrome-extension://abcdefghijklmnop"
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    # The extension (clients/chrome-extension) posts a try-on with its Idempotency-Key.
    tryon_preflight = client.options(
        "/api/tryon",
        headers={
            "Origin": "chrome-extension://abcdefghijklmnop",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
    )
    allowed = tryon_preflight.headers["Access-Control-Allow-Headers"].lower()
    assert all(header in allowed for header in ("authorization", "content-type", "idempotency-key"))
    foreign = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers
    shutdown_app(app)


def test_logs_are_json_with_request_id_and_never_contain_secrets(app, client, tmp_path):
    account = sign_up(client, password="very-secret-password")
    client.post(
        "/api/login",
        json={"email": account["email"], "password": "very-secret-password"},
        headers={"X-Request-ID": "login-42"},
    )
    client.get("/api/users/profile", headers=account["headers"])
    text = (tmp_path / "logs" / "app.log").read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    access = [line for line in lines if line.get("path") == "/api/login"]
    assert access and access[0]["request_id"] == "login-42" and access[0]["status"] == 200
    assert "latency_ms" in access[0]
    assert "very-secret-password" not in text and account["token"] not in text


def test_production_refuses_to_start_without_secrets(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(app_settings(tmp_path, database="p.db", FLASK_ENV="production", LOG_TO_FILES=False))


def test_development_generates_per_machine_secrets(tmp_path):
    settings = Settings.from_env(
        env={"INSTANCE_DIR": str(tmp_path / "instance"), "IMAGES_DIR": str(tmp_path / "images")}
    )
    first = create_app(
        settings.with_overrides({"DATABASE_PATH": str(tmp_path / "d.db"), "LOG_TO_FILES": False})
    )
    second = create_app(
        settings.with_overrides({"DATABASE_PATH": str(tmp_path / "d.db"), "LOG_TO_FILES": False})
    )
    other_machine = create_app(
        settings.with_overrides(
            {
                "DATABASE_PATH": str(tmp_path / "e.db"),
                "INSTANCE_DIR": str(tmp_path / "elsewhere"),
                "LOG_TO_FILES": False,
            }
        )
    )
    secret = first.extensions["settings"].JWT_SECRET_KEY
    assert len(secret) >= 32
    assert secret == second.extensions["settings"].JWT_SECRET_KEY  # stable across restarts
    assert secret != other_machine.extensions["settings"].JWT_SECRET_KEY
    for app in (first, second, other_machine):
        shutdown_app(app)


def test_settings_read_from_environment():
    settings = Settings.from_env(
        env={
            "PORT": "9100",
            "CORS_ORIGINS": "http://a.test, chrome-extension://x",
            "RATELIMIT_ENABLED": "false",
            "ACCESS_TOKEN_MINUTES": "60",
        }
    )
    assert settings.PORT == 9100
    assert settings.CORS_ORIGINS == ("http://a.test", "chrome-extension://x")
    assert settings.RATELIMIT_ENABLED is False and settings.ACCESS_TOKEN_MINUTES == 60
