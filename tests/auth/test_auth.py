"""Sign-up and sign-in as a client sees them."""

import threading
import time
from datetime import UTC, datetime, timedelta

import jwt

from tests.helpers import sign_up, unique_email


def test_create_account_returns_token_user_and_measurements(client):
    email = unique_email()
    response = client.post(
        "/api/create-account",
        json={
            "email": f"  {email.upper()} ",
            "password": "s3cret-pass",
            "confirm_password": "s3cret-pass",
            "first_name": "Grace",
            "last_name": "Hopper",
            "gender": "female",
            "birthday": "1990-01-15",
            "street": "1 Main St",
            "city": "Arlington",
            "height": 170,
            "weight": 60,
            "waist_circumference": 72,
        },
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["user"]["email"] == email  # trimmed and lower-cased
    assert len(data["user"]["userid"]) == 8
    assert data["user"]["gender"] == "female" and data["user"]["birthday"] == "1990-01-15"
    assert "password" not in data["user"]
    assert (
        data["body_measurements"]["height"] == 170 and data["body_measurements"]["waist_circumference"] == 72
    )
    profile = client.get("/api/users/profile", headers={"Authorization": f"Bearer {data['token']}"})
    assert profile.get_json()["data"]["first_name"] == "Grace"


def test_token_claims_and_algorithm(client, app):
    account = sign_up(client)
    claims = jwt.decode(account["token"], app.extensions["settings"].JWT_SECRET_KEY, algorithms=["HS256"])
    assert claims["sub"] == claims["user_id"] == account["user"]["userid"]
    assert claims["email"] == account["email"]
    assert claims["exp"] - claims["iat"] == 15 * 60 == account["expires_in"]  # ACCESS_TOKEN_MINUTES
    assert claims["sid"] == account["session_id"]


def test_login_with_correct_and_wrong_credentials(client):
    account = sign_up(client)
    ok = client.post("/api/login", json={"email": account["email"].upper(), "password": account["password"]})
    assert ok.status_code == 200
    assert ok.get_json()["data"]["user"]["userid"] == account["user"]["userid"]
    wrong_password = client.post("/api/login", json={"email": account["email"], "password": "nope-nope"})
    unknown_email = client.post("/api/login", json={"email": "ghost@example.com", "password": "nope-nope"})
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.get_json()["error"] == unknown_email.get_json()["error"]


def test_duplicate_email_conflicts(client):
    account = sign_up(client)
    again = client.post("/api/create-account", json={"email": account["email"], "password": "another-pass"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "EMAIL_EXISTS"


def test_concurrent_sign_ups_with_same_email_exactly_one_wins(app):
    email = unique_email("race")
    statuses = []
    barrier = threading.Barrier(8)

    def attempt():
        client = app.test_client()
        barrier.wait()
        statuses.append(
            client.post("/api/create-account", json={"email": email, "password": "race-pass-1"}).status_code
        )

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [409] * 7
    rows = app.extensions["db"].execute_query(
        "SELECT COUNT(*) AS n FROM users WHERE email = ?", (email,), fetch_one=True
    )
    assert rows["n"] == 1


def _user_count(app):
    return app.extensions["db"].execute_query("SELECT COUNT(*) AS n FROM users", fetch_one=True)["n"]


def test_invalid_sign_ups_are_refused_and_store_nothing(client, app):
    cases = [
        ({"password": "long-enough"}, "MISSING_FIELDS"),
        ({"email": "not-an-email", "password": "long-enough"}, "INVALID_EMAIL"),
        ({"email": unique_email(), "password": "short"}, "WEAK_PASSWORD"),
        (
            {"email": unique_email(), "password": "long-enough", "confirm_password": "different"},
            "PASSWORD_MISMATCH",
        ),
        ({"email": unique_email(), "password": "long-enough", "gender": "robot"}, "VALIDATION_ERROR"),
        ({"email": unique_email(), "password": "long-enough", "birthday": "2999-01-01"}, "INVALID_DATE"),
        ({"email": unique_email(), "password": "long-enough", "birthday": "15/01/1990"}, "INVALID_DATE"),
        ({"email": unique_email(), "password": "long-enough", "height": 1750}, "OUT_OF_RANGE"),
        ({"email": unique_email(), "password": "long-enough", "weight": "heavy"}, "VALIDATION_ERROR"),
        ({"email": unique_email(), "password": "long-enough", "first_name": "x" * 300}, "VALIDATION_ERROR"),
        ({"email": 42, "password": "long-enough"}, "INVALID_EMAIL"),
    ]
    for body, code in cases:
        response = client.post("/api/create-account", json=body)
        assert response.status_code == 400, body
        assert response.get_json()["error"]["code"] == code, body
    assert _user_count(app) == 0


def test_malformed_and_wrong_type_bodies(client):
    malformed = client.post("/api/create-account", data="{not json", content_type="application/json")
    assert malformed.status_code == 400 and malformed.get_json()["error"]["code"] == "INVALID_JSON"
    array = client.post("/api/login", json=["a", "b"])
    assert array.status_code == 400
    form = client.post("/api/login", data={"email": "a@b.co"})
    assert form.status_code == 415 and form.get_json()["success"] is False
    nan = client.post(
        "/api/create-account",
        data='{"email":"n@x.io","password":"long-enough","height":NaN}',
        content_type="application/json",
    )
    assert nan.status_code == 400


def _token(app, **claims):
    settings = app.extensions["settings"]
    now = datetime.now(UTC)
    base = {
        "sub": "nobody00",
        "user_id": "nobody00",
        "email": "x@y.z",
        "iat": now,
        "exp": now + timedelta(hours=1),
        "tv": 0,
    }
    base.update(claims)
    return jwt.encode(base, settings.JWT_SECRET_KEY, algorithm="HS256")


def test_bad_tokens_are_rejected_with_json_401(client, app):
    account = sign_up(client)
    uid = account["user"]["userid"]
    now = datetime.now(UTC)
    expired = _token(app, sub=uid, user_id=uid, iat=now - timedelta(hours=3), exp=now - timedelta(hours=1))
    forged = jwt.encode(
        {"sub": uid, "user_id": uid, "iat": now, "exp": now + timedelta(hours=1)},
        "another-key-that-is-long-enough-32b",
        algorithm="HS256",
    )
    alg_none = jwt.encode(
        {"sub": uid, "user_id": uid, "iat": now, "exp": now + timedelta(hours=1)}, None, algorithm="none"
    )
    headers_cases = [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": f"Bearer {forged}"},
        {"Authorization": f"Bearer {alg_none}"},
        {"Authorization": f"Bearer {_token(app)}"},
    ]
    for headers in headers_cases:
        response = client.get("/api/users/profile", headers=headers)
        assert response.status_code == 401, headers
        assert response.get_json()["success"] is False
    assert (
        client.get("/api/users/profile", headers={"Authorization": f"Bearer {expired}"}).get_json()["error"][
            "code"
        ]
        == "TOKEN_EXPIRED"
    )


def test_failed_logins_delay_the_failing_address_not_the_owner(app_factory_with_limits):
    client = app_factory_with_limits.test_client()
    account = sign_up(client)
    statuses = [
        client.post(
            "/api/login",
            json={"email": account["email"], "password": "wrong-password"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    delayed = client.post(
        "/api/login",
        json={"email": account["email"], "password": account["password"]},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert delayed.status_code == 429 and delayed.get_json()["error"]["code"] == "LOGIN_DELAYED"
    assert int(delayed.headers["Retry-After"]) > 0
    owner = client.post(
        "/api/login",
        json={"email": account["email"], "password": account["password"]},
        environ_base={"REMOTE_ADDR": "10.0.0.99"},
    )
    assert owner.status_code == 200


def test_login_with_a_password_that_is_not_a_string_is_refused_like_a_wrong_one(client):
    account = sign_up(client)
    for password in (["x"], {"a": 1}, 12345678, True):
        response = client.post("/api/login", json={"email": account["email"], "password": password})
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "INVALID_CREDENTIALS"


def test_a_token_accepted_before_is_refused_once_it_expires(client, app):
    account = sign_up(client)
    uid = account["user"]["userid"]
    expires = int(time.time()) + 2
    token = _token(app, sub=uid, user_id=uid, exp=expires)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/users/profile", headers=headers).status_code == 200
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    refused = client.get("/api/users/profile", headers=headers)
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "TOKEN_EXPIRED"
