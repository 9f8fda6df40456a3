"""GET/PUT /api/users/webhook and POST /api/users/webhook/rotate: the account's default callback URL and the
secret that signs its deliveries."""

import pytest

from tests.envelope import error
from tests.helpers import sign_up


def test_the_secret_is_made_on_first_use_and_stays_until_rotated(client, user, other_user):
    first = client.get("/api/users/webhook", headers=user["headers"])
    assert first.status_code == 200
    endpoint = first.get_json()["data"]
    assert endpoint["url"] is None
    assert endpoint["secret"].startswith("whsec_") and len(endpoint["secret"]) == len("whsec_") + 64
    assert client.get("/api/users/webhook", headers=user["headers"]).get_json()["data"] == endpoint
    other = client.get("/api/users/webhook", headers=other_user["headers"]).get_json()["data"]
    assert other["secret"] != endpoint["secret"]

    rotated = client.post("/api/users/webhook/rotate", headers=user["headers"])
    assert rotated.status_code == 200
    assert rotated.get_json()["data"]["secret"] not in (endpoint["secret"], other["secret"])
    assert (
        client.get("/api/users/webhook", headers=user["headers"]).get_json()["data"]
        == rotated.get_json()["data"]
    )


def test_rotate_before_any_get_makes_a_secret(client, user):
    rotated = client.post("/api/users/webhook/rotate", headers=user["headers"]).get_json()["data"]
    assert rotated["secret"].startswith("whsec_")
    assert client.get("/api/users/webhook", headers=user["headers"]).get_json()["data"] == rotated


def test_the_default_url_is_set_kept_with_the_secret_and_cleared_with_null(client, user, receiver):
    secret = client.get("/api/users/webhook", headers=user["headers"]).get_json()["data"]["secret"]
    response = client.put("/api/users/webhook", headers=user["headers"], json={"url": receiver.url("/hooks")})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"] == {"url": receiver.url("/hooks"), "secret": secret}
    assert client.get("/api/users/webhook", headers=user["headers"]).get_json()["data"][
        "url"
    ] == receiver.url("/hooks")

    cleared = client.put("/api/users/webhook", headers=user["headers"], json={"url": None})
    assert cleared.status_code == 200
    assert cleared.get_json()["data"] == {"url": None, "secret": secret}


@pytest.mark.parametrize(
    "url, reason",
    [
        ("ftp://hooks.example.com/x", "URL_NOT_ALLOWED"),
        ("https://user:password@hooks.example.com/x", "INVALID_URL"),
        ("hooks.example.com/x", "INVALID_URL"),
        ("https://hooks.example.com/" + "x" * 2048, "INVALID_URL"),
        ("", "INVALID_URL"),
        (42, "INVALID_URL"),
        ("https://no-such-host.invalid/x", "UPSTREAM_UNREACHABLE"),
    ],
)
def test_urls_the_server_may_not_post_to_are_refused(client, user, url, reason):
    found = error(
        client.put("/api/users/webhook", headers=user["headers"], json={"url": url}),
        400,
        "CALLBACK_URL_NOT_ALLOWED",
    )
    assert found["details"]["reason"] == reason and found["details"]["field"] == "callback_url"
    assert client.get("/api/users/webhook", headers=user["headers"]).get_json()["data"]["url"] is None


class TestWithoutPrivateNetworks:
    @pytest.fixture
    def settings_overrides(self):
        return {"SCRAPER_ALLOW_PRIVATE_NETWORKS": False}

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:8013/hooks",
            "http://localhost/hooks",
            "http://10.0.0.5/hooks",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/hooks",
            "http://2130706433/hooks",
        ],
    )
    def test_private_addresses_are_refused(self, client, user, url):
        found = error(
            client.put("/api/users/webhook", headers=user["headers"], json={"url": url}),
            400,
            "CALLBACK_URL_NOT_ALLOWED",
        )
        assert found["details"]["reason"] == "URL_NOT_ALLOWED"


def test_bad_bodies_are_refused(client, user):
    error(client.put("/api/users/webhook", headers=user["headers"], json={}), 400, "MISSING_FIELDS")
    error(
        client.put("/api/users/webhook", headers=user["headers"], json={"url": None, "secret": "mine"}),
        400,
        "UNKNOWN_FIELDS",
    )


def test_every_webhook_endpoint_needs_a_token(client):
    for method, path in (
        ("get", "/api/users/webhook"),
        ("put", "/api/users/webhook"),
        ("post", "/api/users/webhook/rotate"),
    ):
        error(getattr(client, method)(path, json={"url": None}), 401, "AUTHENTICATION_REQUIRED")


def test_deleting_the_account_deletes_its_webhook(client, app):
    user = sign_up(client)
    client.put("/api/users/webhook", headers=user["headers"], json={"url": "https://1.1.1.1/hooks"})
    assert app.extensions["db"].execute_query("SELECT url FROM webhook_endpoints", fetch_all=True) == [
        {"url": "https://1.1.1.1/hooks"}
    ]
    deleted = client.delete(
        "/api/users/profile", headers=user["headers"], json={"password": user["password"]}
    )
    assert deleted.status_code == 200, deleted.get_json()
    assert app.extensions["db"].execute_query("SELECT * FROM webhook_endpoints", fetch_all=True) == []
