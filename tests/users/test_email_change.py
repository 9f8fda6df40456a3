"""Changing the email needs the current password (a stolen token is not enough), is throttled like
login, and no longer tells a token holder which addresses have accounts."""

import pytest

from tests.helpers import unique_email


def _change(client, user, email, **extra):
    return client.put("/api/users/profile", headers=user["headers"], json={"email": email, **extra})


def test_email_change_needs_the_current_password(client, user, other_user):
    for extra, status, code in [
        ({}, 400, "CURRENT_PASSWORD_REQUIRED"),
        ({"current_password": "not my password"}, 401, "INVALID_CREDENTIALS"),
        ({"current_password": 12345}, 401, "INVALID_CREDENTIALS"),
    ]:
        for email in (other_user["email"], unique_email("free")):  # taken or free: the same answer
            response = _change(client, user, email, **extra)
            assert response.status_code == status, (extra, response.get_json())
            assert response.get_json()["error"]["code"] == code
    profile = client.get("/api/users/profile", headers=user["headers"]).get_json()["data"]
    assert profile["email"] == user["email"]


def test_with_the_password_the_email_changes(client, user, other_user):
    taken = _change(client, user, other_user["email"], current_password=user["password"])
    assert taken.status_code == 409 and taken.get_json()["error"]["code"] == "EMAIL_EXISTS"
    new_email = unique_email("moved")
    moved = _change(client, user, new_email.upper(), current_password=user["password"])
    assert moved.status_code == 200 and moved.get_json()["data"]["email"] == new_email
    assert (
        client.post("/api/login", json={"email": new_email, "password": user["password"]}).status_code == 200
    )


def test_other_fields_and_the_same_email_need_no_password(client, user):
    response = client.put(
        "/api/users/profile", headers=user["headers"], json={"email": user["email"].upper(), "city": "Paris"}
    )
    assert response.status_code == 200 and response.get_json()["data"]["city"] == "Paris"


THROTTLED = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_EMAIL_CHANGE": "3 per hour",
    "RATELIMIT_CREATE_ACCOUNT": "100 per minute",
    "LOGIN_FREE_FAILURES": 3,
}


@pytest.mark.parametrize("settings_overrides", [THROTTLED])
def test_email_changes_are_throttled_per_user(client, user, other_user):
    answers = [
        _change(client, user, unique_email("probe"), current_password="wrong guess").status_code
        for _ in range(4)
    ]
    assert answers[:3] == [401, 401, 401] and answers[3] == 429
    # names and cities are not email changes
    assert client.put("/api/users/profile", headers=user["headers"], json={"city": "Oslo"}).status_code == 200
    assert (
        _change(client, other_user, unique_email("mine"), current_password=other_user["password"]).status_code
        == 200
    )


@pytest.mark.parametrize("settings_overrides", [THROTTLED])
def test_wrong_current_passwords_count_as_failed_sign_ins(client, user):
    for _ in range(3):
        _change(client, user, unique_email("probe"), current_password="wrong guess")
    held = client.post("/api/login", json={"email": user["email"], "password": "another guess"})
    assert held.status_code == 429 and held.get_json()["error"]["code"] == "LOGIN_DELAYED"
