"""New passwords: not one of the most common passwords, not the email, no control characters (typed 400s)."""

import pytest

from tests.helpers import sign_up, unique_email


@pytest.mark.parametrize(
    "password,code",
    [
        ("password1", "COMMON_PASSWORD"),
        ("Password123", "COMMON_PASSWORD"),  # the list is compared without regard to case
        ("  qwertyuiop ", "COMMON_PASSWORD"),  # nor to surrounding spaces
        ("iloveyou2", "COMMON_PASSWORD"),
        ("pass\x00word-x7", "INVALID_PASSWORD"),  # NUL
        ("tab\tin-password", "INVALID_PASSWORD"),
        ("esc\x1b[31m-red", "INVALID_PASSWORD"),
        ("del\x7fcharacter", "INVALID_PASSWORD"),
        ("line\u2028separator", "INVALID_PASSWORD"),
    ],
)
def test_sign_up_refuses_common_passwords_and_control_characters(client, app, password, code):
    email = unique_email("weak")
    response = client.post("/api/create-account", json={"email": email, "password": password})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and error["details"]["field"] == "password"
    assert password.strip() not in error["message"] and len(error["message"]) < 200
    assert app.extensions["db"].execute_query("SELECT COUNT(*) AS n FROM users", fetch_one=True)["n"] == 0


def test_sign_up_refuses_the_email_or_its_name_as_password(client):
    for email, password in [
        ("margaret.hamilton@example.com", "margaret.hamilton@example.com"),
        ("margaret.hamilton@example.com", "MARGARET.HAMILTON@EXAMPLE.COM"),
        ("margaret.hamilton@example.com", "margaret.hamilton1969"),
        ("grace@example.com", "1906-grace-hopper"),
    ]:
        response = client.post("/api/create-account", json={"email": email, "password": password})
        assert response.status_code == 400, password
        assert response.get_json()["error"]["code"] == "PASSWORD_LIKE_EMAIL"
    # a short local part ("al") inside a password says nothing about it
    assert (
        client.post(
            "/api/create-account", json={"email": "al@example.com", "password": "royal blue wall 7"}
        ).status_code
        == 201
    )


def test_password_change_applies_the_same_rules(client):
    account = sign_up(client, email="ada.lovelace@example.com")
    for new_password, code in [
        ("password123", "COMMON_PASSWORD"),
        ("ada.lovelace-1815", "PASSWORD_LIKE_EMAIL"),
        ("new\npassword-42", "INVALID_PASSWORD"),
    ]:
        response = client.post(
            "/api/users/profile/change-password",
            headers=account["headers"],
            json={"current_password": account["password"], "new_password": new_password},
        )
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert error["code"] == code and error["details"]["field"] == "new_password"
    assert (
        client.post(
            "/api/login", json={"email": account["email"], "password": account["password"]}
        ).status_code
        == 200
    )


def test_ordinary_passphrases_are_accepted(client):
    for password in ("correct horse 1", "Zürich im Frühling 2024", "tea-at-four-o'clock"):
        assert (
            client.post(
                "/api/create-account", json={"email": unique_email(), "password": password}
            ).status_code
            == 201
        )
