"""Idempotency-Key on sign-up: a retried sign-up makes one account and hands back a token that works. Sign-up
has no caller yet, so the key alone is the scope; what is stored for it gives nothing away (SECURITY.md)."""

import base64
import json

from tests.helpers import allow_writes, assert_replayed_exactly, leases_run_out, refuse_writes, unique_email

SIGN_UP = "/api/create-account"


def sign_up_body(email, password="correct horse 1"):
    return {"email": email, "password": password, "confirm_password": password, "first_name": "Ada"}


def sign_up(client, body, key):
    return client.post(SIGN_UP, json=body, headers={"Idempotency-Key": key})


def accounts(app, email):
    return app.extensions["db"].execute_query(
        "SELECT COUNT(*) AS n FROM users WHERE email = ?", (email,), fetch_one=True
    )["n"]


def test_a_retried_sign_up_makes_one_account_and_its_token_works(app, client):
    body = sign_up_body(unique_email())
    first, again = sign_up(client, body, "signup-1"), sign_up(client, body, "signup-1")
    assert first.status_code == 201 and first.headers["Content-Type"] == "application/json", first.get_json()
    assert_replayed_exactly(first, again)
    assert accounts(app, body["email"]) == 1
    token = again.get_json()["data"]["token"]
    profile = client.get("/api/users/profile", headers={"Authorization": f"Bearer {token}"})
    assert profile.status_code == 200 and profile.get_json()["data"]["email"] == body["email"]
    refreshed = client.post(
        "/api/auth/refresh", json={"refresh_token": again.get_json()["data"]["refresh_token"]}
    )
    assert refreshed.status_code == 200 and refreshed.get_json()["data"]["user"]["email"] == body["email"]


def test_another_sign_up_under_a_used_key_gets_no_token(app, client):
    """A second client that guesses (or reuses) a key gets the first answer only by sending the identical body,
    password included: anything else is refused without a token."""
    email = unique_email()
    assert sign_up(client, sign_up_body(email), "guessable").status_code == 201
    for body in (sign_up_body(email, "another password 2"), sign_up_body(unique_email())):
        response = sign_up(client, body, "guessable")
        assert (
            response.status_code == 422 and response.get_json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
        )
        assert "token" not in json.dumps(response.get_json())
    assert accounts(app, email) == 1


def test_the_stored_sign_up_reveals_neither_the_token_nor_the_password(app, client):
    body = sign_up_body(unique_email(), "a very secret 9")
    token = sign_up(client, body, "at-rest").get_json()["data"]["token"]
    row = app.extensions["db"].execute_query("SELECT * FROM idempotency_keys", fetch_one=True)
    stored = json.dumps(row, default=str)
    assert token not in stored and body["password"] not in stored and body["email"] not in stored
    assert token.encode() not in base64.b64decode(row["answer"])


def test_the_fingerprint_is_keyed_by_the_server_secret(make_app):
    """Without SECRET_KEY the stored fingerprint cannot be matched to a guessed password offline: a server
    with another secret does not recognise the same request (after a rotation, a key is simply reused)."""
    body = sign_up_body(unique_email())
    first = make_app(SECRET_KEY="first secret " * 3, JWT_SECRET_KEY="jwt secret " * 4)
    rotated = make_app(SECRET_KEY="second secret " * 3, JWT_SECRET_KEY="jwt secret " * 4)
    assert sign_up(first.test_client(), body, "rotation").status_code == 201
    elsewhere = sign_up(rotated.test_client(), body, "rotation")
    assert elsewhere.status_code == 422 and "token" not in json.dumps(elsewhere.get_json())


def test_a_refused_sign_up_is_refused_again_with_the_same_answer(app, client):
    body = sign_up_body(unique_email(), "short")
    first, again = sign_up(client, body, "weak"), sign_up(client, body, "weak")
    assert first.status_code == again.status_code == 400
    assert again.get_json() == first.get_json() and again.headers["Idempotency-Replayed"] == "true"
    assert accounts(app, body["email"]) == 0


def test_a_process_dying_between_the_account_and_its_answer_leaves_one_account_the_retries_can_use(
    app, client
):
    """The database refuses the key's answer (the write after the account's) and the key's release: what a
    process killed between the two leaves behind, its key held until the lease runs out. The retry gets an
    account and tokens, not 409 EMAIL_EXISTS for an account it never heard of."""
    body = sign_up_body(unique_email())
    refuse_writes(app, "UPDATE", "idempotency_keys")
    refuse_writes(app, "DELETE", "idempotency_keys")
    crashed = sign_up(client, body, "dies-midway")
    assert crashed.status_code == 500 and crashed.get_json()["error"]["code"] == "INTERNAL_ERROR"
    assert accounts(app, body["email"]) == 0
    assert app.extensions["db"].execute_query("SELECT COUNT(*) AS n FROM sessions", fetch_one=True)["n"] == 0
    allow_writes(app, "UPDATE", "idempotency_keys")
    allow_writes(app, "DELETE", "idempotency_keys")

    leases_run_out(app)
    retried = sign_up(client, body, "dies-midway")
    assert retried.status_code == 201 and "Idempotency-Replayed" not in retried.headers, retried.get_json()
    assert accounts(app, body["email"]) == 1

    leases_run_out(app)  # the retry's answer was lost on the way too: the next retry still gets its tokens
    again = sign_up(client, body, "dies-midway")
    assert again.status_code == 201 and again.headers["Idempotency-Replayed"] == "true"
    assert again.get_json() == retried.get_json() and accounts(app, body["email"]) == 1
    token = again.get_json()["data"]["token"]
    profile = client.get("/api/users/profile", headers={"Authorization": f"Bearer {token}"})
    assert profile.status_code == 200 and profile.get_json()["data"]["email"] == body["email"]
