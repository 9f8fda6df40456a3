"""Sessions as a client sees them: an access token and a refresh token per sign-in, rotation, reuse detection,
sign-out, the sessions list and the password change."""

import threading
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from shared import clock
from tests.helpers import sign_up

SESSION_TIMES = ("created_at", "last_used_at", "expires_at", "rotated_at")


def _login(client, account, device=None, user_agent=None):
    body = {"email": account["email"], "password": account["password"]}
    if device is not None:
        body["device"] = device
    headers = {"User-Agent": user_agent} if user_agent else {}
    response = client.post("/api/login", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def _bearer(tokens):
    return {"Authorization": f"Bearer {tokens['token']}"}


def _refresh(client, refresh_token, **environ):
    return client.post("/api/auth/refresh", json={"refresh_token": refresh_token}, environ_base=environ)


def _error(response):
    return response.status_code, response.get_json()["error"]["code"]


def _sessions(client, tokens):
    response = client.get("/api/users/sessions", headers=_bearer(tokens))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def _pass_time(app, seconds):
    """Move every session's times back, as if the client had waited (the way tests move login failures)."""
    db = app.extensions["db"]
    for row in db.execute_query(f"SELECT id, {', '.join(SESSION_TIMES)} FROM sessions", fetch_all=True):
        moved = [clock.timestamp(clock.parse(row[name]), seconds_from_now=-seconds) for name in SESSION_TIMES]
        db.execute_query(
            f"UPDATE sessions SET {', '.join(f'{name} = ?' for name in SESSION_TIMES)} WHERE id = ?",
            (*moved, row["id"]),
        )


def test_sign_up_and_login_answer_an_access_token_and_a_refresh_token(client, app):
    account = sign_up(client)
    tokens = _login(client, account, device="Ada's phone")
    for answer in (account, tokens):
        assert answer["expires_in"] == 15 * 60
        assert answer["refresh_token"] and answer["refresh_token"] != answer["token"]
    assert tokens["token_type"] == "Bearer" and tokens["user"]["userid"] == account["user"]["userid"]
    assert tokens["session_id"] != account["session_id"]
    assert client.get("/api/users/profile", headers=_bearer(tokens)).status_code == 200
    stored = app.extensions["db"].execute_query(
        "SELECT refresh_hash FROM sessions WHERE id = ?", (tokens["session_id"],), fetch_one=True
    )
    assert stored["refresh_hash"] != tokens["refresh_token"]  # only a hash is kept
    assert tokens["refresh_token"] not in str(stored)


def test_refresh_rotates_the_pair_and_each_refresh_token_works_once(client, app):
    account = sign_up(client)
    first = _refresh(client, account["refresh_token"])
    assert first.status_code == 200
    rotated = first.get_json()["data"]
    assert rotated["session_id"] == account["session_id"]
    assert rotated["refresh_token"] != account["refresh_token"]
    assert rotated["user"]["userid"] == account["user"]["userid"] and rotated["token_type"] == "Bearer"
    assert client.get("/api/users/profile", headers=_bearer(rotated)).status_code == 200
    assert _error(_refresh(client, account["refresh_token"])) == (401, "INVALID_REFRESH_TOKEN")  # used
    second = _refresh(client, rotated["refresh_token"])
    assert second.status_code == 200
    assert client.get("/api/users/profile", headers=_bearer(second.get_json()["data"])).status_code == 200


def test_a_used_refresh_token_ends_the_session_and_the_newer_tokens_with_it(client, app):
    account = sign_up(client)
    stolen = account["refresh_token"]
    rotated = _refresh(client, stolen).get_json()["data"]  # the owner refreshes first
    newest = _refresh(client, rotated["refresh_token"]).get_json()["data"]
    _pass_time(app, 60)

    replay = _refresh(client, stolen)  # the thief comes second: the session ends
    assert _error(replay) == (401, "REFRESH_TOKEN_REUSED")
    assert _error(_refresh(client, newest["refresh_token"])) == (401, "INVALID_REFRESH_TOKEN")
    refused = client.get("/api/users/profile", headers=_bearer(newest))
    assert _error(refused) == (401, "SESSION_ENDED")
    assert "used twice" in refused.get_json()["error"]["message"]
    other = _login(client, account)
    assert [s["id"] for s in _sessions(client, other)] == [other["session_id"]]


def test_the_thief_refreshing_first_is_caught_when_the_owner_refreshes(client, app):
    account = sign_up(client)
    thief = _refresh(client, account["refresh_token"]).get_json()["data"]
    thief = _refresh(client, thief["refresh_token"]).get_json()["data"]  # and again, hiding the first use
    _pass_time(app, 60)
    assert _error(_refresh(client, account["refresh_token"])) == (401, "REFRESH_TOKEN_REUSED")
    assert _error(client.get("/api/users/profile", headers=_bearer(thief))) == (401, "SESSION_ENDED")
    assert _error(_refresh(client, thief["refresh_token"])) == (401, "INVALID_REFRESH_TOKEN")


def _refreshed(client, tokens, times):
    """The pair after `times` refreshes in a row, starting from `tokens`."""
    for _ in range(times):
        tokens = _refresh(client, tokens["refresh_token"]).get_json()["data"]
    return tokens


def test_a_real_token_of_any_earlier_generation_ends_the_session(client):
    account = sign_up(client)
    newest = _refreshed(client, account, 3)
    assert _error(_refresh(client, account["refresh_token"])) == (401, "REFRESH_TOKEN_REUSED")  # generation 0
    assert _error(client.get("/api/users/profile", headers=_bearer(newest))) == (401, "SESSION_ENDED")
    assert _error(_refresh(client, newest["refresh_token"])) == (401, "INVALID_REFRESH_TOKEN")


def test_a_made_up_token_of_an_earlier_generation_harms_no_session(client):
    """A session's id is no secret (its access tokens carry it); a token made up around it must not end it."""
    account = sign_up(client)
    newest = _refreshed(client, account, 3)
    session_id, _, secret = account["refresh_token"].split(".")
    for generation in (0, 1, 2):
        made_up = f"{session_id}.{generation}.{secret[::-1]}"
        assert _error(_refresh(client, made_up)) == (401, "INVALID_REFRESH_TOKEN"), generation
    assert client.get("/api/users/profile", headers=_bearer(newest)).status_code == 200
    assert _refresh(client, newest["refresh_token"]).status_code == 200


def test_a_session_from_before_token_seeds_keeps_its_tokens_working(client, app):
    """A row from before the seeds (token_seed NULL) has random refresh tokens: they rotate as they did, and a
    used one still ends the session."""
    account = sign_up(client)
    app.extensions["db"].execute_query(
        "UPDATE sessions SET token_seed = NULL WHERE id = ?", (account["session_id"],)
    )
    rotated = _refresh(client, account["refresh_token"])
    assert rotated.status_code == 200
    newest = _refresh(client, rotated.get_json()["data"]["refresh_token"]).get_json()["data"]
    assert client.get("/api/users/profile", headers=_bearer(newest)).status_code == 200
    _pass_time(app, 60)
    assert _error(_refresh(client, account["refresh_token"])) == (401, "REFRESH_TOKEN_REUSED")
    assert _error(client.get("/api/users/profile", headers=_bearer(newest))) == (401, "SESSION_ENDED")


def test_two_refreshes_with_one_token_at_once_exactly_one_wins(make_app):
    apps = [make_app(), make_app()]  # two server processes on one database
    account = sign_up(apps[0].test_client())
    answers = []
    barrier = threading.Barrier(6)

    def refresh(app):
        client = app.test_client()
        barrier.wait()
        answers.append(_refresh(client, account["refresh_token"]))

    threads = [threading.Thread(target=refresh, args=(apps[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [answer for answer in answers if answer.status_code == 200]
    assert len(winners) == 1
    assert (
        sorted(_error(answer) for answer in answers if answer.status_code != 200)
        == [(401, "INVALID_REFRESH_TOKEN")] * 5
    )
    # The losers came within REFRESH_REUSE_GRACE_SECONDS, whether they read the session before the winner's
    # rotation or after it: each is told so, and the session goes on with the winner's tokens.
    assert {answer.get_json()["error"]["message"] for answer in answers if answer.status_code != 200} == {
        "This refresh token was just used by another request; use the tokens that request received"
    }
    won = winners[0].get_json()["data"]
    client = apps[1].test_client()
    assert client.get("/api/users/profile", headers=_bearer(won)).status_code == 200
    assert _refresh(client, won["refresh_token"]).status_code == 200
    generation = (
        apps[0]
        .extensions["db"]
        .execute_query("SELECT generation FROM sessions WHERE id = ?", (won["session_id"],), fetch_one=True)[
            "generation"
        ]
    )
    assert generation == 2  # one rotation per successful refresh, none for the losers


def test_logout_ends_the_session_at_once(client):
    account = sign_up(client)
    phone = _login(client, account, device="phone")
    response = client.post("/api/auth/logout", headers=_bearer(phone))
    assert response.status_code == 200
    assert response.get_json()["data"] == {"signed_out": True, "session_id": phone["session_id"]}
    assert _error(client.get("/api/users/profile", headers=_bearer(phone))) == (401, "SESSION_ENDED")
    assert _error(client.post("/api/auth/logout", headers=_bearer(phone))) == (401, "SESSION_ENDED")
    assert _error(_refresh(client, phone["refresh_token"])) == (401, "INVALID_REFRESH_TOKEN")
    assert client.get("/api/users/profile", headers=account["headers"]).status_code == 200  # another device


def test_sessions_list_shows_each_device_and_which_is_current(client):
    account = sign_up(client, device="laptop")
    phone = _login(client, account, device="  Ada's phone  ")
    browser = _login(client, account, user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
    listed = _sessions(client, phone)
    assert {s["id"]: s["device"] for s in listed} == {
        account["session_id"]: "laptop",
        phone["session_id"]: "Ada's phone",
        browser["session_id"]: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
    }
    assert [s["id"] for s in listed if s["current"]] == [phone["session_id"]]
    assert set(listed[0]) == {"id", "device", "created_at", "last_used_at", "expires_at", "current"}
    assert [s["id"] for s in _sessions(client, browser) if s["current"]] == [browser["session_id"]]


def test_a_refresh_moves_last_used_at_and_the_session_to_the_top(client, app):
    account = sign_up(client)
    later = _login(client, account)
    _pass_time(app, 120)
    before = {s["id"]: s for s in _sessions(client, later)}
    refreshed = _refresh(client, account["refresh_token"]).get_json()["data"]
    after = _sessions(client, refreshed)
    assert after[0]["id"] == account["session_id"] and after[0]["current"]
    assert after[0]["last_used_at"] > before[account["session_id"]]["last_used_at"]
    assert after[0]["expires_at"] > before[account["session_id"]]["expires_at"]  # 30 days from the refresh
    assert after[0]["created_at"] == before[account["session_id"]]["created_at"]


def test_a_long_user_agent_is_shortened_and_a_long_device_label_refused(client):
    account = sign_up(client)
    tokens = _login(client, account, user_agent="Agent/" + "x" * 300)
    assert [s["device"] for s in _sessions(client, tokens) if s["current"]] == ["Agent/" + "x" * 94]
    refused = client.post(
        "/api/login", json={"email": account["email"], "password": account["password"], "device": "d" * 101}
    )
    assert refused.status_code == 400 and refused.get_json()["error"]["details"]["field"] == "device"


def test_deleting_a_session_signs_that_device_out(client):
    account = sign_up(client)
    phone = _login(client, account, device="lost phone")
    response = client.delete(f"/api/users/sessions/{phone['session_id']}", headers=account["headers"])
    assert response.status_code == 200
    assert response.get_json()["data"] == {"signed_out": True, "session_id": phone["session_id"]}
    assert _error(client.get("/api/users/profile", headers=_bearer(phone))) == (401, "SESSION_ENDED")
    assert _error(_refresh(client, phone["refresh_token"])) == (401, "INVALID_REFRESH_TOKEN")
    assert [s["id"] for s in _sessions(client, account)] == [account["session_id"]]
    again = client.delete(f"/api/users/sessions/{phone['session_id']}", headers=account["headers"])
    assert _error(again) == (404, "SESSION_NOT_FOUND")


def test_another_users_session_is_not_found_and_keeps_working(client):
    owner, stranger = sign_up(client), sign_up(client)
    response = client.delete(f"/api/users/sessions/{owner['session_id']}", headers=stranger["headers"])
    unknown = client.delete("/api/users/sessions/no-such-session", headers=stranger["headers"])
    assert _error(response) == _error(unknown) == (404, "SESSION_NOT_FOUND")
    assert response.get_json()["error"] == unknown.get_json()["error"]  # nothing tells them apart
    assert client.get("/api/users/profile", headers=owner["headers"]).status_code == 200
    assert _refresh(client, owner["refresh_token"]).status_code == 200


def test_a_password_change_ends_every_other_session_but_not_the_callers(client):
    account = sign_up(client, device="laptop")
    phone = _login(client, account, device="phone")
    changed = client.post(
        "/api/users/profile/change-password",
        headers=account["headers"],
        json={"current_password": account["password"], "new_password": "brand-new-pass"},
    )
    assert changed.status_code == 200
    kept = changed.get_json()["data"]
    assert kept["session_id"] == account["session_id"] and kept["token_type"] == "Bearer"
    assert client.get("/api/users/profile", headers=_bearer(kept)).status_code == 200
    assert [(s["id"], s["current"]) for s in _sessions(client, kept)] == [(account["session_id"], True)]
    # Every token from before the change stops working, the caller's too: the answer's pair replaces them.
    assert _error(client.get("/api/users/profile", headers=_bearer(phone))) == (401, "SESSION_ENDED")
    assert _error(_refresh(client, phone["refresh_token"]))[0] == 401
    assert _error(client.get("/api/users/profile", headers=account["headers"])) == (401, "TOKEN_REVOKED")
    assert _error(_refresh(client, account["refresh_token"]))[0] == 401
    assert _refresh(client, kept["refresh_token"]).status_code == 200


def test_an_expired_refresh_token_is_refused_and_its_row_purged(client, app):
    account = sign_up(client)
    _pass_time(app, 30 * 24 * 3600 + 1)  # REFRESH_TOKEN_DAYS
    assert _error(_refresh(client, account["refresh_token"])) == (401, "INVALID_REFRESH_TOKEN")
    assert _error(client.get("/api/users/profile", headers=account["headers"])) == (401, "SESSION_ENDED")
    _login(client, account)  # a new session clears the expired ones
    ids = app.extensions["db"].execute_query("SELECT id FROM sessions", fetch_all=True)
    assert account["session_id"] not in [row["id"] for row in ids] and len(ids) == 1


def test_ended_sessions_are_purged_once_their_refresh_token_would_have_expired(client, app):
    account = sign_up(client)
    client.post("/api/auth/logout", headers=account["headers"])
    db = app.extensions["db"]
    _login(client, account)
    assert db.execute_query("SELECT COUNT(*) AS n FROM sessions", fetch_one=True)["n"] == 2
    _pass_time(app, 30 * 24 * 3600 + 1)
    _login(client, account)
    assert db.execute_query("SELECT COUNT(*) AS n FROM sessions", fetch_one=True)["n"] == 1


@pytest.mark.parametrize(
    "body, code",
    [
        ("{not json", "INVALID_JSON"),
        ('["a"]', None),
        ("{}", "MISSING_FIELDS"),
        ('{"refresh_token": ""}', "MISSING_FIELDS"),
        ('{"refresh_token": null}', "MISSING_FIELDS"),
        ('{"refresh_token": 42}', "VALIDATION_ERROR"),
        ('{"refresh_token": ["x"]}', "VALIDATION_ERROR"),
        ('{"refresh_token": "a.0.b", "extra": 1}', "UNKNOWN_FIELDS"),
    ],
)
def test_malformed_refresh_bodies_are_400_json(client, body, code):
    response = client.post("/api/auth/refresh", data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["success"] is False
    if code:
        assert response.get_json()["error"]["code"] == code


def test_unknown_and_forged_refresh_tokens_are_refused_without_harm(client):
    account = sign_up(client)
    session_id, generation, secret = account["refresh_token"].split(".")
    tampered = f"{session_id}.{generation}.{secret[:-2]}{'AA' if secret[-2:] != 'AA' else 'BB'}"
    for token in (
        "not-a-token",
        "a.b.c",
        "x.0.y",
        f"{session_id}.0",
        f"{session_id}.99999999999999.{secret}",
        f"{session_id}.7.{secret}",  # a generation this session never reached
        f"{session_id}.\u00b2.{secret}",  # a digit, but not one a generation is written with
        tampered,
        jwt.encode({"sub": "x"}, "k" * 32, algorithm="HS256"),
    ):
        assert _error(_refresh(client, token)) == (401, "INVALID_REFRESH_TOKEN"), token
    assert _refresh(client, account["refresh_token"]).status_code == 200  # the real one still works
    assert _error(client.post("/api/auth/refresh", data="x", content_type="text/plain"))[0] == 415


def test_a_token_from_before_sessions_keeps_working_until_it_expires(client, app):
    account = sign_up(client)
    user = account["user"]
    now = datetime.now(UTC)
    legacy = jwt.encode(
        {
            "sub": user["userid"],
            "user_id": user["userid"],
            "email": account["email"],
            "tv": 0,
            "iat": now,
            "exp": now + timedelta(hours=24),
        },
        app.extensions["settings"].JWT_SECRET_KEY,
        algorithm="HS256",
    )
    headers = {"Authorization": f"Bearer {legacy}"}
    assert client.get("/api/users/profile", headers=headers).status_code == 200
    assert not any(
        s["current"] for s in client.get("/api/users/sessions", headers=headers).get_json()["data"]
    )
    out = client.post("/api/auth/logout", headers=headers)
    assert out.status_code == 200 and out.get_json()["data"] == {"signed_out": False, "session_id": None}
    changed = client.post(
        "/api/users/profile/change-password",
        headers=headers,
        json={"current_password": account["password"], "new_password": "brand-new-pass"},
    )
    assert changed.status_code == 200  # the caller gets a session of its own, every other one ends
    fresh = changed.get_json()["data"]
    assert [s["id"] for s in _sessions(client, fresh)] == [fresh["session_id"]]
    assert _error(client.get("/api/users/profile", headers=headers)) == (401, "TOKEN_REVOKED")


def test_deleting_the_account_deletes_its_sessions(client, app):
    account = sign_up(client)
    _login(client, account)
    deleted = client.delete(
        "/api/users/profile", headers=account["headers"], json={"password": account["password"]}
    )
    assert deleted.status_code == 200
    assert app.extensions["db"].execute_query("SELECT COUNT(*) AS n FROM sessions", fetch_one=True)["n"] == 0
    assert _error(_refresh(client, account["refresh_token"])) == (401, "INVALID_REFRESH_TOKEN")
