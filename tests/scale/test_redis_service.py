"""Redis as the shared store of rate limits across API processes, and as a component /health watches."""

import time
from urllib.parse import urlsplit, urlunsplit

import requests

from tests.helpers import app_environment, unique_email
from tests.scale.api_process import ApiProcess

PASSWORD = "correct horse 1"


def test_login_limit_is_counted_across_api_processes(redis_url, backends, tmp_path):
    env = app_environment(
        tmp_path,
        database="shared.db",
        LOG_TO_FILES=False,
        REDIS_URL=redis_url,
        DATABASE_URL=backends["DATABASE_URL"],
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="3 per minute",
        RATELIMIT_CREATE_ACCOUNT="100 per minute",
    )
    with ApiProcess(env, tmp_path / "api-a.log") as first, ApiProcess(env, tmp_path / "api-b.log") as second:
        email = unique_email("shared")
        created = requests.post(
            f"{first.url}/api/create-account",
            timeout=10,
            json={"email": email, "password": PASSWORD, "confirm_password": PASSWORD},
        )
        assert created.status_code == 201
        credentials = {"email": email, "password": PASSWORD}
        statuses = [
            requests.post(f"{api.url}/api/login", json=credentials, timeout=10).status_code
            for api in (second, first, second)
        ]
        assert statuses == [200, 200, 200]  # the account made on one process signs in on the other
        refused = requests.post(f"{first.url}/api/login", json=credentials, timeout=10)
    assert refused.status_code == 429  # neither process alone has seen 3 logins: the count lives in Redis
    assert refused.json()["error"]["code"] == "RATE_LIMITED" and int(refused.headers["Retry-After"]) > 0


def _through(proxy, url):
    return urlunsplit(urlsplit(url)._replace(netloc=f"127.0.0.1:{proxy.port}"))


def _health(client):
    """Status and the health body without the AI part (a local model here, reported on its own)."""
    response = client.get("/health")
    data = response.get_json()["data"]
    assert data.pop("ai")["status"] == "ok"
    return response.status_code, data


def test_redis_outage_shows_in_health_while_limited_endpoints_keep_answering(redis_url, make_app, proxy_to):
    server = urlsplit(redis_url)
    proxy = proxy_to((server.hostname, server.port))
    app = make_app(
        REDIS_URL=_through(proxy, redis_url), RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="100 per minute"
    )
    client = app.test_client()
    wrong = {"email": unique_email(), "password": "not the password"}
    assert _health(client) == (
        200,
        {"status": "healthy", "database": "connected", "storage": "connected", "redis": "connected"},
    )
    assert client.post("/api/login", json=wrong).status_code == 401

    proxy.cut()
    assert _health(client) == (
        503,
        {"status": "unhealthy", "database": "connected", "storage": "connected", "redis": "unavailable"},
    )
    during = client.post("/api/login", json=wrong)
    assert during.status_code == 401 and during.get_json()["error"]["code"] == "INVALID_CREDENTIALS"

    proxy.restore()
    deadline = time.monotonic() + 30
    while _health(client)[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _health(client) == (
        200,
        {"status": "healthy", "database": "connected", "storage": "connected", "redis": "connected"},
    )
