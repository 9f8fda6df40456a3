"""Every rate limit: 429 RATE_LIMITED with Retry-After past its configured value, counted per the right key.

Sign-up, session refreshes, remove-bg and product pages count per client IP; login per IP, and failed sign-ins per account
(after LOGIN_FREE_FAILURES an address that keeps failing waits: tests/auth/test_login_failures.py); try-ons,
fit checks and email changes per user, so one shopper cannot use up another's. The limits come from
settings; RATELIMIT_ENABLED=false turns them off.
"""

import threading
import time

import pytest

from tests.helpers import unique_email
from tests.trust.conftest import assert_refused

LIMIT = 2
SETTINGS = (
    "RATELIMIT_LOGIN",
    "RATELIMIT_REFRESH",
    "RATELIMIT_CREATE_ACCOUNT",
    "RATELIMIT_REMOVE_BG",
    "RATELIMIT_SCRAPE",
    "RATELIMIT_CATEGORIZE",
    "RATELIMIT_TRYON",
    "RATELIMIT_FITTING",
    "RATELIMIT_EMAIL_CHANGE",
)


def as_ip(address):
    return {"environ_base": {"REMOTE_ADDR": address}}


# setting -> (key, request(client, caller)); caller is an IP address, a signed-up user or an email
CASES = {
    "RATELIMIT_CREATE_ACCOUNT": (
        "ip",
        lambda client, ip: client.post(
            "/api/create-account", json={"email": unique_email(), "password": "too short"}, **as_ip(ip)
        ),
    ),
    "RATELIMIT_LOGIN": (
        "ip",
        lambda client, ip: client.post(
            "/api/login", json={"email": unique_email(), "password": "wrong password"}, **as_ip(ip)
        ),
    ),
    "RATELIMIT_REFRESH": (
        "ip",
        lambda client, ip: client.post("/api/auth/refresh", json={"refresh_token": "x.0.y"}, **as_ip(ip)),
    ),
    "LOGIN_FREE_FAILURES": (
        "account",
        lambda client, email: client.post("/api/login", json={"email": email, "password": "wrong password"}),
    ),
    "RATELIMIT_REMOVE_BG": ("ip", lambda client, ip: client.post("/api/remove-bg", **as_ip(ip))),
    "RATELIMIT_SCRAPE": (
        "ip",
        lambda client, ip: client.post("/api/garments/scrape", json={"url": "not a url"}, **as_ip(ip)),
    ),
    "RATELIMIT_CATEGORIZE": (
        "ip",
        lambda client, ip: client.post(
            "/api/garments/categorize", json={"title": "Linen shirt"}, **as_ip(ip)
        ),
    ),
    "RATELIMIT_TRYON": (
        "user",
        lambda client, user: client.post("/api/tryon", headers=user["headers"], json={}),
    ),
    "RATELIMIT_FITTING": (
        "user",
        lambda client, user: client.post("/api/fitting/check", headers=user["headers"], json={}),
    ),
    "RATELIMIT_EMAIL_CHANGE": (
        "user",
        lambda client, user: client.put(
            "/api/users/profile",
            headers=user["headers"],
            json={"email": unique_email(), "current_password": "wrong"},
        ),
    ),
}


@pytest.fixture
def settings_overrides(request):
    tested = request.node.callspec.params.get("setting")
    return {
        "RATELIMIT_ENABLED": True,
        **{name: f"{LIMIT if name == tested else 1000} per minute" for name in SETTINGS},
        "LOGIN_FREE_FAILURES": LIMIT if tested == "LOGIN_FREE_FAILURES" else 1000,
    }


@pytest.mark.parametrize("setting", CASES)
def test_each_limit_answers_429_with_retry_after_and_counts_per_its_key(client, user, other_user, setting):
    key, send = CASES[setting]
    limited, spared = {
        "ip": ("10.0.0.1", "10.0.0.2"),
        "user": (user, other_user),
        "account": (user["email"], other_user["email"]),
    }[key]
    answers = [send(client, limited) for _ in range(LIMIT + 1)]
    assert [response.status_code == 429 for response in answers] == [False] * LIMIT + [True]
    error = assert_refused(answers[-1], (429,))
    assert error["code"] == ("LOGIN_DELAYED" if setting == "LOGIN_FREE_FAILURES" else "RATE_LIMITED")
    assert int(answers[-1].headers["Retry-After"]) > 0
    assert send(client, spared).status_code != 429  # another IP, user or account is not held back


@pytest.mark.parametrize(
    "settings_overrides",
    [{"RATELIMIT_ENABLED": False, "LOGIN_FREE_FAILURES": 1, **{name: "1 per minute" for name in SETTINGS}}],
)
def test_rate_limits_can_be_switched_off(client, user):
    for setting, (key, send) in CASES.items():
        caller = {"ip": "10.0.0.3", "user": user, "account": user["email"]}[key]
        assert [send(client, caller).status_code for _ in range(3)].count(429) == 0, setting


class TestPageReadsAtOnce:
    """A request reading a shop's page may wait on the shop for SCRAPER_TOTAL_TIMEOUT, so one client may have only
    MAX_PAGE_READS_PER_CLIENT of them running at once: a rate limit alone would let it hold every server thread."""

    @pytest.fixture
    def settings_overrides(self):
        return {
            "RATELIMIT_ENABLED": True,
            "MAX_PAGE_READS_PER_CLIENT": 2,
            "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
            **{name: "1000 per minute" for name in SETTINGS},
        }

    def test_one_client_cannot_have_more_page_reads_running_than_the_limit(self, client, user, shop):
        slow = shop.url("/trickle?headers=3")
        running = [
            threading.Thread(
                target=client.post,
                args=("/api/garments/scrape",),
                kwargs={"json": {"url": slow}, **as_ip("10.0.0.7")},
            )
            for _ in range(2)
        ]
        for thread in running:
            thread.start()
        deadline = time.monotonic() + 10
        while shop.count("/trickle?headers=3") < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        for refused in (
            client.post("/api/garments/extract-images", json={"url": slow}, **as_ip("10.0.0.7")),
            client.post(
                "/api/fitting/check", headers=user["headers"], json={"url": slow}, **as_ip("10.0.0.7")
            ),
        ):
            error = assert_refused(refused, (429,))
            assert error["code"] == "TOO_MANY_CONCURRENT_REQUESTS" and refused.headers["Retry-After"] == "5"
        other = client.post(
            "/api/garments/scrape", json={"url": shop.url("/pages/jsonld_graph")}, **as_ip("10.0.0.8")
        )
        assert other.status_code == 200
        for thread in running:
            thread.join()
        again = client.post(
            "/api/garments/scrape", json={"url": shop.url("/pages/jsonld_graph")}, **as_ip("10.0.0.7")
        )
        assert again.status_code == 200
