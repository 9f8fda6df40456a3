"""A try-on with a callback is POSTed to it when it ends: signed, retried with backoff, given up after the last
attempt, carried on by the next process after a restart, and never sent into a private network."""

import io
import json
from urllib.parse import urlsplit

import pytest

from app import shutdown_app
from tests.envelope import error
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.helpers import post_tryon, sign_up, wait_for_job
from tests.webhooks.conftest import QUICK_RETRIES, callback_once, job_of, secret_of, start_tryon, verify


def test_a_finished_job_is_delivered_signed_as_get_job_shows_it(client, user, receiver, person_png, top_png):
    secret = secret_of(client, user)
    job_id = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks/tryon?ref=7"))
    assert job_of(client, user, job_id)["callback"]["status"] in (None, "pending")

    (delivery,) = receiver.wait_for(1)
    assert delivery["path"] == "/hooks/tryon?ref=7"
    assert delivery["headers"]["Content-Type"] == "application/json"
    assert delivery["headers"]["BecauseFuture-Event"] == "job.done"
    sent = verify(delivery, secret)

    callback = callback_once(client, user, job_id, lambda c: c["status"] == "delivered")
    assert callback == {
        "url": receiver.url("/hooks/tryon?ref=7"),
        "status": "delivered",
        "attempts": 1,
        "last_status": 200,
        "last_error": None,
    }
    shown = job_of(client, user, job_id)
    assert sent["job_id"] == job_id and sent["status"] == "done" and sent["progress"] == 100
    # the job as GET /api/job/<id> shows it, at the moment it was sent (the callback then still pending)
    assert sent["callback"] == {**callback, "status": "pending", "attempts": 0, "last_status": None}
    assert {k: v for k, v in sent.items() if k not in ("callback", "result_url")} == {
        k: v for k, v in shown.items() if k not in ("callback", "result_url")
    }
    # the same image; signed outside any request, its host is PUBLIC_BASE_URL (here unset: localhost:PORT)
    assert urlsplit(sent["result_url"]).path == urlsplit(shown["result_url"]).path

    tampered = {**delivery, "body": delivery["body"].replace(b'"done"', b'"failed"')}
    try:
        verify(tampered, secret)
        raise AssertionError("a changed body must not verify")
    except AssertionError as refusal:
        assert "signature does not match" in str(refusal)


def test_a_failed_job_is_delivered_too(client, user, receiver, person_png, top_png, bottom_png):
    secret = secret_of(client, user)
    response = client.post(
        "/api/tryon/multi",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(person_png), "me.png"),  # ends at the chest: trousers cannot be placed
            "garment_images": [(io.BytesIO(top_png), "top.png"), (io.BytesIO(bottom_png), "bottom.png")],
            "options": '{"garments": [{"type": "top"}, {"type": "bottom"}]}',
            "callback_url": receiver.url("/hooks"),
        },
    )
    assert response.status_code == 202, response.get_json()
    (delivery,) = receiver.wait_for(1)
    assert delivery["headers"]["BecauseFuture-Event"] == "job.failed"
    sent = verify(delivery, secret)
    assert sent["status"] == "failed" and sent["error"]["code"] == "NEEDS_FULL_BODY_PHOTO"


def test_a_500_is_retried_with_the_same_delivery_id_until_a_2xx(client, user, person_png, top_png):
    secret = secret_of(client, user)
    with WebhookReceiver(statuses=[500, 503, 204]) as receiver:
        job_id = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks"))
        first, second, third = receiver.wait_for(3)
        callback = callback_once(client, user, job_id, lambda c: c["status"] == "delivered")
    assert callback["attempts"] == 3 and callback["last_status"] == 204
    ids = {d["headers"]["BecauseFuture-Delivery"] for d in (first, second, third)}
    assert len(ids) == 1  # one delivery, three attempts: a receiver de-duplicates on this id
    assert verify(second, secret)["callback"] == {
        "url": receiver.url("/hooks"),
        "status": "pending",
        "attempts": 1,
        "last_status": 500,
        "last_error": None,
    }
    assert verify(third, secret)["callback"]["last_status"] == 503


class TestGivingUp:
    @pytest.fixture
    def settings_overrides(self):
        return {**QUICK_RETRIES, "WEBHOOK_MAX_ATTEMPTS": 3, "WEBHOOK_RETRY_BASE_SECONDS": 0.1}

    def test_the_delivery_fails_after_the_last_attempt(self, client, user, person_png, top_png):
        with WebhookReceiver(statuses=[500]) as receiver:
            job_id = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks"))
            callback = callback_once(client, user, job_id, lambda c: c["status"] == "failed")
            assert callback == {
                "url": receiver.url("/hooks"),
                "status": "failed",
                "attempts": 3,
                "last_status": 500,
                "last_error": None,
            }
            wait_for_job(client, user["headers"], job_id)
            assert len(receiver.received) == 3
            # nothing more is sent: a later maintenance pass finds no due row
            assert callback_once(client, user, job_id, lambda c: True) == callback
            receiver.wait_for(3)
            assert len(receiver.received) == 3


def test_a_receiver_that_cannot_be_reached_is_retried(client, user, person_png, top_png):
    with WebhookReceiver() as receiver:
        gone = receiver.url("/hooks")
    job_id = start_tryon(client, user, person_png, top_png, callback_url=gone)
    callback = callback_once(client, user, job_id, lambda c: c["attempts"] >= 1)
    assert callback["status"] == "pending" and callback["last_status"] is None
    assert callback["last_error"] == "UNREACHABLE"


def test_the_job_url_wins_over_the_account_default(client, user, receiver, person_png, top_png):
    client.put("/api/users/webhook", headers=user["headers"], json={"url": receiver.url("/default")})
    own = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/own"))
    first = receiver.wait_for(1)
    defaulted = start_tryon(client, user, person_png, top_png)
    second = receiver.wait_for(2)[1]
    assert first[0]["path"] == "/own" and json.loads(first[0]["body"])["job_id"] == own
    assert second["path"] == "/default" and json.loads(second["body"])["job_id"] == defaulted
    assert job_of(client, user, defaulted)["callback"]["url"] == receiver.url("/default")


def test_rotating_the_secret_signs_later_deliveries_with_the_new_one(
    client, user, receiver, person_png, top_png
):
    old = secret_of(client, user)
    new = client.post("/api/users/webhook/rotate", headers=user["headers"]).get_json()["data"]["secret"]
    start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks"))
    (delivery,) = receiver.wait_for(1)
    assert verify(delivery, new)["status"] == "done"
    try:
        verify(delivery, old)
        raise AssertionError("the old secret must no longer verify")
    except AssertionError as refusal:
        assert "signature does not match" in str(refusal)


def test_a_job_without_any_callback_shows_null(client, user, person_png, top_png, app):
    job_id = start_tryon(client, user, person_png, top_png)
    assert wait_for_job(client, user["headers"], job_id)["callback"] is None
    listed = client.get("/api/jobs", headers=user["headers"]).get_json()["data"]
    assert [job["callback"] for job in listed] == [None]
    assert app.extensions["db"].execute_query("SELECT * FROM webhook_deliveries", fetch_all=True) == []


def test_a_refused_callback_url_stores_nothing(client, user, person_png, top_png, app):
    for url in ("ftp://1.1.1.1/x", "https://u:p@1.1.1.1/x", "https://no-such-host.invalid/x", "x" * 3000):
        error(
            post_tryon(client, user, selfie=person_png, garment_image=top_png, callback_url=url),
            400,
            "CALLBACK_URL_NOT_ALLOWED",
        )
    json_body = client.post(
        "/api/tryon",
        headers=user["headers"],
        json={"item_urls": ["https://1.1.1.1/products/tee"], "callback_url": 7},
    )
    error(json_body, 400, "CALLBACK_URL_NOT_ALLOWED")
    assert app.extensions["db"].execute_query("SELECT * FROM tryon_jobs", fetch_all=True) == []
    assert app.extensions["db"].execute_query("SELECT * FROM webhook_deliveries", fetch_all=True) == []


class TestPrivateNetworks:
    """Without SCRAPER_ALLOW_PRIVATE_NETWORKS (production), a callback never reaches a private address."""

    @staticmethod
    def _no_private(**extra):
        return {**QUICK_RETRIES, "SCRAPER_ALLOW_PRIVATE_NETWORKS": False, **extra}

    def test_a_private_callback_url_is_refused_at_submit(self, make_app, receiver, person_png, top_png):
        client = make_app(**self._no_private()).test_client()
        user = sign_up(client)
        for url in (receiver.url("/hooks"), "http://localhost/hooks", "http://169.254.169.254/latest/"):
            found = error(
                post_tryon(client, user, selfie=person_png, garment_image=top_png, callback_url=url),
                400,
                "CALLBACK_URL_NOT_ALLOWED",
            )
            assert found["details"]["reason"] == "URL_NOT_ALLOWED"
        assert receiver.received == []

    def test_a_url_accepted_once_is_checked_again_at_every_attempt(
        self, make_app, receiver, person_png, top_png
    ):
        # accepted while its host was allowed (for the test: a deployment admitting private networks) …
        before = make_app(**QUICK_RETRIES)
        user = sign_up(before.test_client())
        accepted = before.test_client().put(
            "/api/users/webhook", headers=user["headers"], json={"url": receiver.url("/hooks")}
        )
        assert accepted.status_code == 200
        shutdown_app(before)
        # … and sent by a process where that address is not allowed (as when its DNS now says 127.0.0.1)
        client = make_app(**self._no_private()).test_client()
        job_id = start_tryon(client, user, person_png, top_png)
        callback = callback_once(client, user, job_id, lambda c: c["attempts"] >= 2)
        assert callback["status"] == "pending" and callback["last_error"] == "CALLBACK_URL_NOT_ALLOWED"
        assert callback["last_status"] is None
        assert receiver.received == []


def test_a_job_accepted_before_jobs_said_whether_they_have_a_callback_still_shows_it(
    app, client, user, receiver, person_png, top_png
):
    with_callback = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks"))
    without = start_tryon(client, user, person_png, top_png)
    callback_once(client, user, with_callback, lambda c: c["status"] == "delivered")
    wait_for_job(client, user["headers"], without)
    db = app.extensions["db"]
    for job_id in (with_callback, without):  # as stored by a version that did not record inputs.callback
        row = db.execute_query("SELECT inputs FROM tryon_jobs WHERE job_id = ?", (job_id,), fetch_one=True)
        inputs = json.loads(row["inputs"])
        del inputs["callback"]
        db.execute_query("UPDATE tryon_jobs SET inputs = ? WHERE job_id = ?", (json.dumps(inputs), job_id))
    assert job_of(client, user, with_callback)["callback"]["status"] == "delivered"
    assert job_of(client, user, without)["callback"] is None
    listed = client.get("/api/jobs", headers=user["headers"]).get_json()["data"]
    assert {job["job_id"]: job["callback"] and job["callback"]["status"] for job in listed} == {
        with_callback: "delivered",
        without: None,
    }
