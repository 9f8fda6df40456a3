"""The outbox lives in the database: a delivery due when the server stops is sent by the next one, a lease
whose process died is taken again, and finished deliveries are deleted after WEBHOOK_RETENTION_DAYS."""

import time

from app import shutdown_app
from shared import clock
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.helpers import sign_up
from tests.trust.conftest import wait_until
from tests.webhooks.conftest import QUICK_RETRIES, callback_once, job_of, secret_of, start_tryon, verify


def test_a_pending_delivery_is_sent_by_the_next_server(make_app, person_png, top_png):
    with WebhookReceiver(statuses=[500, 200]) as receiver:
        first = make_app(**{**QUICK_RETRIES, "WEBHOOK_RETRY_BASE_SECONDS": 3.0})
        client = first.test_client()
        user = sign_up(client)
        secret = secret_of(client, user)
        job_id = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks"))
        assert callback_once(client, user, job_id, lambda c: c["attempts"] == 1)["last_status"] == 500
        shutdown_app(first)  # before its retry (2.4 s or more later) is due
        rows = first.extensions["db"].execute_query("SELECT * FROM webhook_deliveries", fetch_all=True)
        assert [row["status"] for row in rows] == ["pending"]

        second = make_app(**QUICK_RETRIES)
        # as a process that died holding the row would leave it: leased, the lease run out
        second.extensions["db"].execute_query(
            "UPDATE webhook_deliveries SET lease_token = 'dead-process', lease_until = ?",
            (clock.timestamp(seconds_from_now=-1),),
        )
        client = second.test_client()
        _, retried = receiver.wait_for(2)
        callback = callback_once(client, user, job_id, lambda c: c["status"] == "delivered")
    assert callback["attempts"] == 2 and callback["last_status"] == 200
    assert verify(retried, secret)["job_id"] == job_id
    assert len(receiver.received) == 2


def test_a_live_lease_is_not_taken_by_another_process(make_app, person_png, top_png):
    with WebhookReceiver(statuses=[500, 200]) as receiver:
        first = make_app(**{**QUICK_RETRIES, "WEBHOOK_RETRY_BASE_SECONDS": 0.5})
        client = first.test_client()
        user = sign_up(client)
        job_id = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks"))
        callback_once(client, user, job_id, lambda c: c["attempts"] == 1)
        shutdown_app(first)
        first.extensions["db"].execute_query(  # another process is sending it right now
            "UPDATE webhook_deliveries SET lease_token = 'busy-process', lease_until = ?",
            (clock.timestamp(seconds_from_now=4),),
        )
        second = make_app(**QUICK_RETRIES)
        client = second.test_client()
        time.sleep(2)  # the retry is due, but the row is another live process's for 2 s more
        assert len(receiver.received) == 1
        assert job_of(client, user, job_id)["callback"]["attempts"] == 1
        receiver.wait_for(2)  # sent once that lease ran out
        callback = callback_once(client, user, job_id, lambda c: c["status"] == "delivered")
    assert callback["attempts"] == 2


def test_finished_deliveries_are_deleted_after_the_retention(make_app, person_png, top_png):
    with WebhookReceiver() as receiver:
        first = make_app(**QUICK_RETRIES)
        client = first.test_client()
        user = sign_up(client)
        kept = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks"))
        old = start_tryon(client, user, person_png, top_png, callback_url=receiver.url("/hooks"))
        for job_id in (kept, old):
            callback_once(client, user, job_id, lambda c: c["status"] == "delivered")
    shutdown_app(first)
    first.extensions["db"].execute_query(
        "UPDATE webhook_deliveries SET finished_at = ? WHERE job_id = ?",
        (clock.timestamp(seconds_from_now=-8 * 86400), old),
    )
    second = make_app(
        **QUICK_RETRIES
    )  # WEBHOOK_RETENTION_DAYS = 7: its first maintenance pass deletes the old one
    client = second.test_client()
    remaining = lambda: second.extensions["db"].execute_query(  # noqa: E731
        "SELECT job_id FROM webhook_deliveries", fetch_all=True
    )
    wait_until(lambda: remaining() == [{"job_id": kept}])
    assert job_of(client, user, old)["callback"] is None
    assert job_of(client, user, kept)["callback"]["status"] == "delivered"
