"""Password reset by email: what a shopper receives from a real SMTP server on loopback, and what the code does.

The mail server is aiosmtpd (tests/fakes/smtp_server.py); the app sends to it through smtplib exactly as it
would to a real relay. Without SMTP_HOST, messages land as .eml files in MAIL_DIR.
"""

import json
import re
import secrets

import pytest

from shared import clock
from tests.fakes.smtp_server import SmtpServer
from tests.fakes.tls import CertificateAuthority
from tests.helpers import sign_up, unique_email

CODE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b")
NEW_PASSWORD = "brand new horse 7"


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def settings_overrides(smtp):
    return smtp.settings()


def forgot(client, email, ip="127.0.0.1"):
    return client.post("/api/auth/forgot-password", json={"email": email}, environ_base={"REMOTE_ADDR": ip})


def reset(client, token, new_password=NEW_PASSWORD):
    return client.post("/api/auth/reset-password", json={"token": token, "new_password": new_password})


def code_in(message):
    """The code of a reset email, and the link's token, read from its plain-text part."""
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+", text).group(0)
    return CODE.search(text).group(1), link


def login(client, email, password):
    return client.post("/api/login", json={"email": email, "password": password})


def test_the_email_arrives_and_its_code_sets_a_new_password(client, smtp, user):
    phone = client.post(
        "/api/login", json={"email": user["email"], "password": user["password"], "device": "phone"}
    ).get_json()["data"]
    answer = forgot(client, user["email"])
    assert answer.status_code == 202 and answer.get_json()["data"] == {"code_valid_minutes": 30}

    (message,) = smtp.wait_for_messages(1)
    assert message["To"] == user["email"] and message["Subject"] == "Reset your Because Future password"
    assert smtp.sessions[0]["to"] == [user["email"]]
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Hello Ada,") and "30 minutes" and "ignore this email" in text
    assert message.get_body(("html",)) is not None
    code, link = code_in(message)
    assert link == f"http://localhost/reset-password#token={code}"  # the host the request was sent to

    changed = reset(client, code.lower())  # typed by hand: any case works
    assert changed.status_code == 200 and changed.get_json()["data"] == {"password_changed": True}
    assert login(client, user["email"], user["password"]).status_code == 401
    assert login(client, user["email"], NEW_PASSWORD).status_code == 200
    # every session of the account is ended: neither the access nor the refresh tokens from before work
    for session in (user, phone):
        headers = {"Authorization": f"Bearer {session['token']}"}
        assert client.get("/api/users/profile", headers=headers).status_code == 401
        refused = client.post("/api/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert refused.status_code == 401
        assert refused.get_json()["error"]["code"] == "INVALID_REFRESH_TOKEN"
    fresh = login(client, user["email"], NEW_PASSWORD).get_json()["data"]
    sessions = client.get("/api/users/sessions", headers={"Authorization": f"Bearer {fresh['token']}"})
    listed = {session["id"] for session in sessions.get_json()["data"]}
    assert fresh["session_id"] in listed and not listed & {user["session_id"], phone["session_id"]}


def test_the_link_token_works_like_the_code(client, smtp, user):
    forgot(client, user["email"])
    _, link = code_in(smtp.wait_for_messages(1)[0])
    assert reset(client, link.partition("#token=")[2]).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp, user):
    unknown = forgot(client, unique_email("nobody"))
    known = forgot(client, user["email"])
    assert unknown.status_code == known.status_code == 202
    assert unknown.get_json() == known.get_json()
    # the mailer handles requests in order: once the known address's email is there, the unknown one was done
    smtp.wait_for_messages(1)
    assert [session["to"] for session in smtp.sessions] == [[user["email"]]]


def test_a_code_works_once_and_spends_the_accounts_other_codes(client, smtp, user):
    forgot(client, user["email"])
    forgot(client, user["email"])
    first, second = (code_in(message)[0] for message in smtp.wait_for_messages(2))
    assert first != second
    assert reset(client, second).status_code == 200
    for spent in (second, first):
        refused = reset(client, spent, "another new horse 9")
        assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "INVALID_RESET_TOKEN"
    assert login(client, user["email"], NEW_PASSWORD).status_code == 200


def test_an_expired_code_is_refused(app, client, smtp, user):
    forgot(client, user["email"])
    code, _ = code_in(smtp.wait_for_messages(1)[0])
    app.extensions["db"].execute_query(  # 31 minutes pass
        "UPDATE password_resets SET expires_at = ?", (clock.timestamp(seconds_from_now=-60),)
    )
    refused = reset(client, code)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "INVALID_RESET_TOKEN"
    assert login(client, user["email"], user["password"]).status_code == 200


def test_a_password_change_spends_the_codes_mailed_before_it(app, client, smtp, user):
    """Someone who asked for a reset from a stolen mailbox cannot use the code once the owner changed the password."""
    forgot(client, user["email"])
    code, _ = code_in(smtp.wait_for_messages(1)[0])
    changed = client.post(
        "/api/users/profile/change-password",
        headers=user["headers"],
        json={"current_password": user["password"], "new_password": "the owner's new horse 3"},
    )
    assert changed.status_code == 200
    refused = reset(client, code)
    forgot(client, user["email"])  # a code asked for after the change, left to expire
    later, _ = code_in(smtp.wait_for_messages(2)[1])
    app.extensions["db"].execute_query(
        "UPDATE password_resets SET expires_at = ? WHERE used_at IS NULL",
        (clock.timestamp(seconds_from_now=-60),),
    )
    expired = reset(client, later)
    assert refused.status_code == expired.status_code == 400
    assert refused.get_json() == expired.get_json()
    assert refused.get_json()["error"]["code"] == "INVALID_RESET_TOKEN"
    assert login(client, user["email"], "the owner's new horse 3").status_code == 200


@pytest.mark.parametrize(
    "token",
    ["ABCD-EFGH-JKMN", "0000-0000-0000", "", "short", "ABCD-EFGH-JKMN-PQRS", "x" * 5000, None, 12, ["a"], {}],
)
def test_forged_and_malformed_codes_are_one_clear_400(client, token):
    refused = reset(client, token)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "INVALID_RESET_TOKEN"


@pytest.mark.parametrize(
    "body", ['{"token": "ABCD', "[]", '"text"', "null", '{"token": "ABCD-EFGH-JKMN"}', '{"new_password": 1}']
)
def test_malformed_bodies_are_a_json_400(client, body):
    for path in ("/api/auth/reset-password", "/api/auth/forgot-password"):
        refused = client.post(path, data=body, content_type="application/json")
        assert refused.status_code == 400, (path, body)
        assert refused.get_json()["success"] is False and refused.get_json()["error"]["code"]


@pytest.mark.parametrize(
    "email, code",
    [
        ("not-an-email", "INVALID_EMAIL"),
        ("a@" + "b" * 300 + ".com", "INVALID_EMAIL"),
        (7, "INVALID_EMAIL"),
        ("", "MISSING_FIELDS"),
        (None, "MISSING_FIELDS"),
    ],
)
def test_forgot_password_refuses_what_is_not_an_address(client, smtp, email, code):
    refused = client.post("/api/auth/forgot-password", json={"email": email})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == code


def test_a_weak_password_is_refused_and_the_code_stays_usable(client, smtp, user):
    forgot(client, user["email"])
    code, _ = code_in(smtp.wait_for_messages(1)[0])
    for weak, error in [
        ("short", "WEAK_PASSWORD"),
        ("password123", "COMMON_PASSWORD"),
        (None, "INVALID_PASSWORD"),
    ]:
        refused = reset(client, code, weak)
        assert refused.status_code == 400 and refused.get_json()["error"]["code"] == error
    like_email = reset(client, code, user["email"].split("@")[0] + " 2024!")
    assert like_email.get_json()["error"]["code"] == "PASSWORD_LIKE_EMAIL"
    assert reset(client, code).status_code == 200


def test_the_code_is_stored_only_as_its_hmac(app, client, smtp, user):
    forgot(client, user["email"])
    code, _ = code_in(smtp.wait_for_messages(1)[0])
    rows = app.extensions["db"].execute_query("SELECT * FROM password_resets", fetch_all=True)
    assert len(rows) == 1 and rows[0]["used_at"] is None
    stored = " ".join(str(value) for value in rows[0].values())
    assert code not in stored and code.replace("-", "") not in stored
    expires = clock.parse(rows[0]["expires_at"]) - clock.parse(rows[0]["created_at"])
    assert expires.total_seconds() == 30 * 60


def test_deleting_the_account_deletes_its_codes(app, client, smtp, user):
    forgot(client, user["email"])
    code, _ = code_in(smtp.wait_for_messages(1)[0])
    deleted = client.delete(
        "/api/users/profile", headers=user["headers"], json={"password": user["password"]}
    )
    assert deleted.status_code == 200
    assert app.extensions["db"].execute_query("SELECT * FROM password_resets", fetch_all=True) == []
    assert reset(client, code).get_json()["error"]["code"] == "INVALID_RESET_TOKEN"


def test_forgot_password_is_limited_per_address_and_per_client(make_app, smtp):
    app = make_app(
        **smtp.settings(),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_FORGOT_PASSWORD="4 per hour",
        RATELIMIT_FORGOT_PASSWORD_EMAIL="2 per hour",
    )
    client = app.test_client()
    for address in (sign_up(client)["email"], unique_email("ghost")):  # known or not, the same limit
        answers = [forgot(client, address, ip=f"10.0.0.{i}").status_code for i in range(3)]
        assert answers == [202, 202, 429]
    from_one_client = [forgot(client, unique_email("many"), ip="10.9.9.9").status_code for _ in range(5)]
    assert from_one_client == [202] * 4 + [429]


def test_without_smtp_the_email_is_written_to_the_mail_folder(make_app, tmp_path):
    folder = tmp_path / "outbox"
    app = make_app(MAIL_DIR=str(folder), PUBLIC_BASE_URL="https://api.example.com")
    client = app.test_client()
    user = sign_up(client)
    asked = forgot(client, user["email"])
    assert asked.status_code == 202
    app.extensions["mailer"].stop()  # sends (here: writes) what is queued, as a stopping server does
    (written,) = folder.glob("*.eml")
    assert oct(written.stat().st_mode & 0o777) == "0o600"  # it holds a reset code
    text = written.read_text()
    assert f"To: {user['email']}" in text
    code = CODE.search(text).group(1)
    assert "https://api.example.com/reset-password#token=3D" + code in text  # quoted-printable "="
    log = [json.loads(line) for line in (tmp_path / "logs" / "app.log").read_text().splitlines()]
    (delivered,) = [
        entry for entry in log if str(written) in entry["message"]
    ]  # it says where the email went
    assert delivered["request_id"] == asked.headers["X-Request-ID"]  # and which request asked for it
    assert reset(client, code).status_code == 200


def test_production_without_a_public_url_sends_the_code_but_no_link(make_app, smtp):
    """Behind a proxy the Host header is the client's to choose: it never becomes the link of an email."""
    secret_keys = {name: secrets.token_urlsafe(32) for name in ("SECRET_KEY", "JWT_SECRET_KEY")}
    app = make_app(**smtp.settings(), FLASK_ENV="production", **secret_keys)
    client = app.test_client()
    user = sign_up(client)
    client.post("/api/auth/forgot-password", json={"email": user["email"]}, headers={"Host": "evil.example"})
    text = smtp.wait_for_messages(1)[0].get_body(("plain",)).get_content()
    assert "evil.example" not in text and "http" not in text
    assert CODE.search(text)


def test_starttls_and_auth_against_a_server_that_requires_both(make_app, tmp_path, monkeypatch):
    authority = CertificateAuthority(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.bundle))  # trust our CA, as a private relay's would be
    with SmtpServer(tls=authority.issue("127.0.0.1"), logins={"mailer": "s3cret pass"}) as smtp:
        app = make_app(
            **smtp.settings(SMTP_STARTTLS=True, SMTP_USERNAME="mailer", SMTP_PASSWORD="s3cret pass")
        )
        client = app.test_client()
        user = sign_up(client)
        forgot(client, user["email"])
        smtp.wait_for_messages(1)
        assert smtp.sessions == [{"tls": True, "login": "mailer", "to": [user["email"]]}]


def test_smtp_failures_are_logged_and_never_reach_the_client(make_app, tmp_path, monkeypatch):
    """A wrong SMTP password, an untrusted certificate, a server that is down: the answer stays the same 202."""
    authority = CertificateAuthority(tmp_path)
    with SmtpServer(tls=authority.issue("127.0.0.1"), logins={"mailer": "s3cret pass"}) as smtp:
        cases = {
            "untrusted": smtp.settings(
                SMTP_STARTTLS=True, SMTP_USERNAME="mailer", SMTP_PASSWORD="s3cret pass"
            ),
            "wrong password": smtp.settings(SMTP_STARTTLS=True, SMTP_USERNAME="mailer", SMTP_PASSWORD="nope"),
            "down": {**smtp.settings(), "SMTP_PORT": 1},
        }
        for case, settings in cases.items():
            if case == "wrong password":
                monkeypatch.setenv("SSL_CERT_FILE", str(authority.bundle))
            app = make_app(**settings)
            client = app.test_client()
            user = sign_up(client)
            answer = forgot(client, user["email"])
            assert answer.status_code == 202, case
            app.extensions["mailer"].stop()
        assert smtp.messages == [] and smtp.refused_logins == 1
    errors = (tmp_path / "logs" / "errors.log").read_text()
    assert errors.count("mail not sent") == 3
