"""Login counts failures, not attempts: strangers' wrong passwords never lock the owner out.

Past an account's free failures, each address that keeps failing waits longer and longer before its
next attempt on that account is even checked (429 with Retry-After); the owner's correct password
from anywhere still signs in. The failures are rows in the database, so every process sees them.
"""

import pytest

from shared import clock
from tests.helpers import sign_up, unique_email

FREE = 5


def _login(client, email, password, ip):
    return client.post(
        "/api/login", json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )


@pytest.fixture
def settings_overrides():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_CREATE_ACCOUNT": "1000 per minute",
        "LOGIN_FREE_FAILURES": FREE,
    }


def test_strangers_failures_do_not_lock_the_owner_out(client, user):
    for i in range(FREE + 25):  # more than the old "5 per minute; 30 per hour" per account
        assert _login(client, user["email"], f"guess-{i}", f"10.1.{i}.1").status_code in (401, 429)
    owner = _login(client, user["email"], user["password"], "10.9.9.9")
    assert owner.status_code == 200 and owner.get_json()["data"]["token"]
    again = _login(client, user["email"], user["password"], "10.9.9.9")  # successes are not failures
    assert again.status_code == 200


def test_an_address_that_keeps_failing_waits_longer_each_time(app, client, user):
    for i in range(FREE):
        assert _login(client, user["email"], f"guess-{i}", f"10.2.{i}.1").status_code == 401
    attacker = "10.2.200.1"
    waits = []
    for attempt in range(4):
        assert _login(client, user["email"], f"wrong-{attempt}", attacker).status_code == 401
        held = _login(client, user["email"], user["password"], attacker)  # even the right password waits
        assert held.status_code == 429
        error = held.get_json()["error"]
        assert error["code"] == "LOGIN_DELAYED" and "Retry-After" in held.headers
        waits.append(int(held.headers["Retry-After"]))
        _pass_time(app, seconds=waits[-1])
    assert waits == sorted(waits) and waits[-1] > waits[0] >= 1
    assert _login(client, user["email"], user["password"], attacker).status_code == 200  # after waiting


def test_failures_are_counted_the_same_for_unknown_emails(client):
    ghost = unique_email("ghost")
    answers = [_login(client, ghost, f"guess-{i}", "10.3.0.1").status_code for i in range(FREE + 2)]
    assert answers == [401] * FREE + [429, 429]  # as for an account that exists: no hint that it is missing


def test_before_the_free_failures_are_spent_nobody_waits(client, user):
    for i in range(FREE - 1):
        assert _login(client, user["email"], f"typo-{i}", "10.4.0.1").status_code == 401
    assert _login(client, user["email"], user["password"], "10.4.0.1").status_code == 200


def test_failures_are_shared_between_processes(make_app, user):
    """Two apps on one database stand for two server processes: failures on one delay the other."""
    limits = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "LOGIN_FREE_FAILURES": 2}
    first, second = make_app(**limits), make_app(**limits)
    account = sign_up(first.test_client())
    for i in range(3):
        _login(first.test_client(), account["email"], f"guess-{i}", "10.5.0.1")
    assert _login(second.test_client(), account["email"], "guess-x", "10.5.0.1").status_code == 429
    assert _login(second.test_client(), account["email"], account["password"], "10.5.0.2").status_code == 200


@pytest.mark.parametrize("settings_overrides", [{"RATELIMIT_ENABLED": False, "LOGIN_FREE_FAILURES": 1}])
def test_switched_off_with_the_rate_limits(client, user):
    assert [_login(client, user["email"], "wrong", "10.6.0.1").status_code for _ in range(4)] == [401] * 4


def _pass_time(app, seconds):
    """Move every recorded failure back in time, as if the client had waited."""
    db = app.extensions["db"]
    for row in db.execute_query(
        "SELECT account_key, client_key, last_failure_at FROM login_failures", fetch_all=True
    ):
        db.execute_query(
            "UPDATE login_failures SET last_failure_at = ? WHERE account_key = ? AND client_key = ?",
            (
                clock.timestamp(clock.parse(row["last_failure_at"]), seconds_from_now=-seconds),
                row["account_key"],
                row["client_key"],
            ),
        )
