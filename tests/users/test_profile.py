"""Profile reads, updates and password changes."""

from tests.helpers import sign_up, unique_email


def test_profile_update_and_validation(client, user):
    response = client.put(
        "/api/users/profile",
        headers=user["headers"],
        json={
            "first_name": "Augusta",
            "city": "London",
            "gender": "prefer-not-to-say",
            "birthday": "1815-12-10",
        },
    )
    assert response.status_code == 400  # before 1900: a typo, not a shopper
    response = client.put(
        "/api/users/profile",
        headers=user["headers"],
        json={
            "first_name": "Augusta",
            "city": "London",
            "gender": "prefer-not-to-say",
            "birthday": "1985-12-10",
            "userid": "ignored",
            "created_at": "ignored",
        },
    )
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["first_name"], data["city"], data["gender"], data["birthday"]) == (
        "Augusta",
        "London",
        "prefer-not-to-say",
        "1985-12-10",
    )
    assert data["userid"] == user["user"]["userid"]
    assert data["last_name"] == "Lovelace"  # untouched fields keep their value


def test_profile_rejects_bad_fields_without_changing_anything(client, user):
    for body, code in [
        ({"gender": "robot"}, "VALIDATION_ERROR"),
        ({"birthday": "2999-01-01"}, "INVALID_DATE"),
        ({"email": "nope"}, "INVALID_EMAIL"),
        ({"password": "x"}, "PASSWORD_NOT_ALLOWED_HERE"),
        ({"shoe": "42"}, "UNKNOWN_FIELDS"),
        ({"first_name": 5}, "VALIDATION_ERROR"),
    ]:
        response = client.put("/api/users/profile", headers=user["headers"], json=body)
        assert response.status_code == 400, body
        assert response.get_json()["error"]["code"] == code
    profile = client.get("/api/users/profile", headers=user["headers"]).get_json()["data"]
    assert profile["first_name"] == "Ada" and profile["email"] == user["email"]


def test_email_change_conflict(client, user, other_user):
    response = client.put(
        "/api/users/profile",
        headers=user["headers"],
        json={"email": other_user["email"], "current_password": user["password"]},
    )
    assert response.status_code == 409
    new_email = unique_email("moved")
    response = client.put(
        "/api/users/profile",
        headers=user["headers"],
        json={"email": new_email.upper(), "current_password": user["password"]},
    )
    assert response.status_code == 200 and response.get_json()["data"]["email"] == new_email


def test_change_password_revokes_old_tokens(client):
    account = sign_up(client)
    wrong = client.post(
        "/api/users/profile/change-password",
        headers=account["headers"],
        json={"current_password": "not-it", "new_password": "brand-new-pass"},
    )
    assert wrong.status_code == 401
    weak = client.post(
        "/api/users/profile/change-password",
        headers=account["headers"],
        json={"current_password": account["password"], "new_password": "short"},
    )
    assert weak.status_code == 400
    changed = client.post(
        "/api/users/profile/change-password",
        headers=account["headers"],
        json={"current_password": account["password"], "new_password": "brand-new-pass"},
    )
    assert changed.status_code == 200
    old = client.get("/api/users/profile", headers=account["headers"])
    assert old.status_code == 401 and old.get_json()["error"]["code"] == "TOKEN_REVOKED"
    fresh = changed.get_json()["data"]["token"]
    assert client.get("/api/users/profile", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    assert (
        client.post(
            "/api/login", json={"email": account["email"], "password": account["password"]}
        ).status_code
        == 401
    )
    assert (
        client.post("/api/login", json={"email": account["email"], "password": "brand-new-pass"}).status_code
        == 200
    )
