"""The pages in a real browser: Debian's chromium driven by Playwright against a live server.

The playground walk is what a person does: sign up, save measurements, save a selfie as avatar,
try on a garment photo, then a product page with the saved avatar, and read the size advice.
Screenshots land in the test's temp dir (kept by CI as artifacts).
"""

import time

import jwt
import pytest

from tests.docs.conftest import FIXTURES

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRY_ON_TIMEOUT_MS = 90_000


@pytest.fixture
def page(chromium):
    from playwright.sync_api import sync_playwright  # after the fixture checked that it is installed

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # Script errors, and answers a client must never get; a 4xx the page handles (e.g. no
        # measurements saved yet) is normal traffic.
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.on(
            "response",
            lambda response: (
                response.status >= 500 and page.problems.append(f"{response.status} {response.url}")
            ),
        )
        yield page
        browser.close()


def _wait_for_result(page):
    page.wait_for_selector("#result:not([hidden])", timeout=TRY_ON_TIMEOUT_MS)
    assert not page.locator("#message.error").is_visible(), page.inner_text("#message")
    assert page.eval_on_selector("#result-image", "img => img.complete && img.naturalWidth > 0")
    assert page.eval_on_selector("#result-person", "img => img.complete && img.naturalWidth > 0")
    assert page.locator("#stages li.done").count() == page.locator("#stages li").count() == 8
    page.wait_for_function(
        "() => { const bar = document.getElementById('progress-bar');"
        " return bar.offsetWidth === bar.parentElement.clientWidth; }"
    )


def _sign_up(page, base_url, email, *, first_name="", sizes_for=""):
    page.goto(base_url + "/playground")
    page.fill("#email", email)
    page.fill("#password", "correct horse 1")
    page.fill("#first-name", first_name)
    page.select_option("#gender", sizes_for)
    page.click("#auth-submit")
    page.wait_for_selector("#studio:not([hidden])")


def test_the_playground_walks_the_whole_try_on_flow(page, live_server, product_shop, app, tmp_path):
    _sign_up(page, live_server.url, "playground@example.com", first_name="Ada", sizes_for="male")
    assert "playground@example.com" in page.inner_text("#whoami")

    page.fill("#m-height", "180")
    page.fill("#m-weight", "78")
    page.fill("#m-chest", "99")
    page.fill("#m-waist", "86")
    page.click("#save-measurements")
    page.wait_for_selector("#message.info")

    page.set_input_files("#selfie", str(FIXTURES / "person.jpg"))
    page.click("#save-avatar")
    page.wait_for_selector("#message.info >> text=Avatar saved")
    assert page.is_checked("#use-avatar")

    # A garment photo on the selfie, followed through the job's event stream.
    page.check("#use-selfie")
    page.set_input_files("#garment-photo", str(FIXTURES / "garment.jpg"))
    page.select_option("#garment-category", "t_shirts")
    job_reads = []
    page.on("request", lambda request: "/api/job/" in request.url and job_reads.append(request.url))
    page.evaluate(
        "() => { window.shownStatuses = []; const status = document.getElementById('job-status');"
        " new MutationObserver(() => window.shownStatuses.push(status.textContent))"
        ".observe(status, {childList: true, characterData: true, subtree: true}); }"
    )
    page.click("#try-on")
    _wait_for_result(page)
    assert [url.rsplit("/", 1)[1] == "events" for url in job_reads] == [
        True,
        False,
    ]  # the stream, one last read
    shown = page.evaluate("window.shownStatuses")
    assert shown[0].startswith("queued") and shown[-1].startswith("done")
    assert any(status.startswith("processing") for status in shown), shown  # the stages arrived live
    page.screenshot(path=str(tmp_path / "playground-garment-photo.png"), full_page=True)

    # A product page on the saved avatar, with the size advice for it.
    page.check("#use-avatar")
    page.set_input_files("#garment-photo", [])
    page.fill("#product-urls", product_shop.product_url)
    page.click("#try-on")
    _wait_for_result(page)
    page.wait_for_selector(".size-card .size")
    assert page.inner_text(".size-card .size") in ("S", "M", "L", "XL")
    assert "sure" in page.inner_text(".size-card .confidence")
    assert "Harbour Cotton T-Shirt" in page.inner_text("#result-garments")
    page.screenshot(path=str(tmp_path / "playground.png"), full_page=True)

    jobs = app.extensions["db"].execute_query(
        "SELECT status, kind FROM tryon_jobs ORDER BY created_at", fetch_all=True
    )
    assert jobs == [{"status": "done", "kind": "single"}, {"status": "done", "kind": "single"}]
    assert page.problems == []


def test_the_playground_says_what_is_missing_before_calling_the_api(page, live_server):
    _sign_up(page, live_server.url, "impatient@example.com")
    page.click("#try-on")
    assert "product URL" in page.inner_text("#message.error")
    page.fill("#product-urls", "not a url")
    page.set_input_files("#selfie", str(FIXTURES / "person.jpg"))
    page.click("#try-on")
    page.wait_for_selector("#message.error >> text=INVALID_URL")


def test_signing_out_and_back_in(page, live_server):
    _sign_up(page, live_server.url, "returning@example.com")
    page.reload()
    page.wait_for_selector("#studio:not([hidden])")  # the token was kept
    page.click("#sign-out")
    page.wait_for_selector("#account:not([hidden])")
    page.click("#tab-signin")
    assert page.is_hidden("#first-name")
    page.fill("#email", "returning@example.com")
    page.fill("#password", "wrong password")
    page.click("#auth-submit")
    page.wait_for_selector("#message.error >> text=INVALID_CREDENTIALS")
    page.fill("#password", "correct horse 1")
    page.click("#auth-submit")
    page.wait_for_selector("#studio:not([hidden])")
    assert "returning@example.com" in page.inner_text("#whoami")


def test_the_playground_refreshes_an_expired_access_token_and_signs_out_on_the_server(page, live_server, app):
    _sign_up(page, live_server.url, "staying@example.com")
    stored = "localStorage.getItem('because-future.playground.{}')"
    token, refresh_token = (
        page.evaluate(stored.format("token")),
        page.evaluate(stored.format("refresh-token")),
    )
    key = app.extensions["settings"].JWT_SECRET_KEY
    now = int(time.time())
    expired = jwt.encode(
        {**jwt.decode(token, key, algorithms=["HS256"]), "iat": now - 3600, "exp": now - 60}, key, "HS256"
    )
    page.evaluate(f"localStorage.setItem('because-future.playground.token', '{expired}')")
    page.reload()
    page.wait_for_selector("#studio:not([hidden])")  # the profile read refreshed the pair and went on
    assert page.evaluate(stored.format("token")) != expired
    assert page.evaluate(stored.format("refresh-token")) not in (None, refresh_token)
    sessions = "SELECT generation, end_reason FROM sessions"
    assert app.extensions["db"].execute_query(sessions, fetch_all=True) == [
        {"generation": 1, "end_reason": None}
    ]
    page.click("#sign-out")
    page.wait_for_selector("#account:not([hidden])")
    assert app.extensions["db"].execute_query(sessions, fetch_all=True) == [
        {"generation": 1, "end_reason": "logout"}
    ]
    assert page.evaluate(stored.format("refresh-token")) is None
    assert page.problems == []


def test_the_docs_page_renders_every_operation(page, live_server, client, tmp_path):
    operations = sum(
        1
        for item in client.get("/openapi.json").get_json()["paths"].values()
        for method in item
        if method in ("get", "put", "post", "delete", "patch")
    )
    page.goto(live_server.url + "/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == operations
    assert page.locator(".errors-wrapper").count() == 0
    assert "Because Future API" in page.inner_text(".info .title")
    page.screenshot(path=str(tmp_path / "docs.png"))
    assert page.problems == []


def test_the_reset_email_link_opens_a_page_that_sets_the_new_password(page, live_server, app, client):
    import email
    import email.policy
    import re

    import requests

    from tests.helpers import sign_up

    user = sign_up(client)
    asked = requests.post(
        live_server.url + "/api/auth/forgot-password", json={"email": user["email"]}, timeout=10
    )
    assert asked.status_code == 202
    app.extensions["mailer"].stop()  # writes what is queued to the mail folder (no SMTP_HOST here)
    (written,) = app.extensions["settings"].mail_dir.glob("*.eml")
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    link = re.search(r"http://\S+", message.get_body(("plain",)).get_content()).group(0)
    assert link.startswith(live_server.url + "/reset-password#token=")

    page.goto(link)
    assert page.input_value("#token") == link.partition("#token=")[2]
    assert "#" not in page.url  # the code left the address bar (and never reached the server's logs)
    page.fill("#new-password", "brand new horse 7")
    page.fill("#confirm-password", "brand new horse 7")
    page.click("button[type=submit]")
    page.wait_for_selector("#message.done")
    assert page.problems == []
    signed_in = client.post("/api/login", json={"email": user["email"], "password": "brand new horse 7"})
    assert signed_in.status_code == 200

    page.goto("about:blank")
    page.goto(link)  # the same link again, opened later: the page says why it no longer works
    page.fill("#new-password", "another new horse 9")
    page.fill("#confirm-password", "another new horse 9")
    page.click("button[type=submit]")
    page.wait_for_selector("#message.error")
    assert "already used" in page.inner_text("#message")
