"""Webhook tests run try-ons on the local model against a loopback receiver (tests/fakes/webhook_receiver.py).
The receiver is on 127.0.0.1, so these apps admit private addresses unless a test says otherwise, and wait
a fraction of a second between attempts instead of 30 s, 1 min, 2 min …"""

import hashlib
import hmac
import json
import time

import pytest

from tests.fakes.webhook_receiver import WebhookReceiver
from tests.helpers import submit_tryon

QUICK_RETRIES = {
    "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
    "WEBHOOK_RETRY_BASE_SECONDS": 0.2,
    "WEBHOOK_TIMEOUT_SECONDS": 5.0,
}


@pytest.fixture
def settings_overrides():
    return dict(QUICK_RETRIES)


@pytest.fixture
def receiver():
    with WebhookReceiver() as server:
        yield server


def secret_of(client, user):
    response = client.get("/api/users/webhook", headers=user["headers"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]["secret"]


def start_tryon(client, user, person_png, top_png, **fields):
    """A try-on on the local model (done in about a second); its job id."""
    return submit_tryon(client, user, selfie=person_png, garment_image=top_png, **fields)


def job_of(client, user, job_id):
    return client.get(f"/api/job/{job_id}", headers=user["headers"]).get_json()["data"]


def callback_once(client, user, job_id, condition, timeout=30):
    """The job's `callback` once condition(callback) holds, polled like a client."""
    deadline = time.monotonic() + timeout
    while True:
        callback = job_of(client, user, job_id)["callback"]
        if callback is not None and condition(callback):
            return callback
        assert time.monotonic() < deadline, f"callback still {callback}"
        time.sleep(0.05)


def verify(delivery, secret, tolerance_seconds=300):
    """What a receiver does (README): the job, if BecauseFuture-Signature is the HMAC of "<t>.<body>" under the
    secret and t is recent; AssertionError otherwise."""
    parts = dict(item.split("=", 1) for item in delivery["headers"]["BecauseFuture-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), f"{parts['t']}.".encode() + delivery["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(expected, parts["v1"]), "signature does not match"
    assert abs(time.time() - int(parts["t"])) <= tolerance_seconds, "signature too old"
    return json.loads(delivery["body"])
