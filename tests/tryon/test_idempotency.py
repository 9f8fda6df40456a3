"""Idempotency-Key on try-on submissions: a phone that retries on a flaky network gets its first job back, and
the model is called once. Two apps on one database stand for two server processes (SQLite, and PostgreSQL
on the scale-out pass)."""

import threading

import pytest

from shared import clock
from tests.helpers import (
    TYPED_TOP,
    allow_writes,
    assert_replayed_exactly,
    job_rows,
    leases_run_out,
    post_tryon,
    refuse_writes,
    sign_up,
    unique_email,
    wait_for_job,
)


@pytest.fixture
def settings_overrides(fake_gemini):
    return fake_gemini.app_settings(
        GEMINI_TIMEOUT_SECONDS=90,
    )


def keyed(user, key):
    return {**user, "headers": {**user["headers"], "Idempotency-Key": key}}


def tryon(client, user, key, person, garment, endpoint="/api/tryon", **form):
    return post_tryon(
        client, keyed(user, key), endpoint, selfie=person, garment_image=garment, options=TYPED_TOP, **form
    )


def error_code(response):
    return response.get_json()["error"]["code"]


def test_a_retried_tryon_gets_the_first_job_and_the_model_is_called_once(
    app, client, user, standing_png, top_png, fake_gemini
):
    first = tryon(client, user, "retry-1", standing_png, top_png)
    again = tryon(client, user, "retry-1", standing_png, top_png)
    assert first.status_code == 202 and first.headers["Location"].endswith(first.get_json()["data"]["job_id"])
    assert_replayed_exactly(first, again)
    assert len(job_rows(app)) == 1
    job = wait_for_job(client, user["headers"], first.get_json()["data"]["job_id"])
    assert job["status"] == "done", job["error"]
    replayed_after_the_job = tryon(client, user, "retry-1", standing_png, top_png)
    assert replayed_after_the_job.get_json()["data"]["job_id"] == job["job_id"]
    assert fake_gemini.request_count == 1 and len(job_rows(app)) == 1


def test_a_retried_multi_garment_tryon_gets_the_first_job(
    app, client, user, standing_png, top_png, bottom_png
):
    def submit():
        return post_tryon(
            client,
            keyed(user, "outfit"),
            "/api/tryon/multi",
            selfie=standing_png,
            garment_images=top_png,
            garment_image=bottom_png,
            options='{"garments": [{"type": "top"}, {"type": "bottom"}]}',
        )

    first, again = submit(), submit()
    assert first.status_code == again.status_code == 202, first.get_json()
    assert again.get_json()["data"]["job_id"] == first.get_json()["data"]["job_id"]
    assert len(job_rows(app)) == 1


def test_the_same_key_with_another_request_is_refused_and_starts_nothing(
    app, client, user, standing_png, top_png, bottom_png
):
    assert tryon(client, user, "k", standing_png, top_png).status_code == 202
    other_garment = tryon(client, user, "k", standing_png, bottom_png)  # same field names, other bytes
    assert other_garment.status_code == 422 and error_code(other_garment) == "IDEMPOTENCY_KEY_REUSED"
    other_endpoint = tryon(client, user, "k", standing_png, top_png, endpoint="/api/tryon/multi")
    assert other_endpoint.status_code == 422 and error_code(other_endpoint) == "IDEMPOTENCY_KEY_REUSED"
    json_body = client.post(
        "/api/tryon",
        headers=keyed(user, "k")["headers"],
        json={"item_urls": ["https://shop.example/products/linen-tee"]},
    )
    assert json_body.status_code == 422
    assert len(job_rows(app)) == 1


def test_users_sending_the_same_key_each_get_their_own_job(app, client, user, standing_png, top_png):
    other = sign_up(client, email=unique_email("other"))
    mine = tryon(client, user, "shared-key", standing_png, top_png)
    theirs = tryon(client, other, "shared-key", standing_png, top_png)
    assert mine.status_code == theirs.status_code == 202
    assert "Idempotency-Replayed" not in theirs.headers
    assert mine.get_json()["data"]["job_id"] != theirs.get_json()["data"]["job_id"]
    assert sorted(row["user_id"] for row in job_rows(app)) == sorted(
        [user["user"]["userid"], other["user"]["userid"]]
    )


def test_a_key_is_forgotten_after_a_day(app, client, user, standing_png, top_png):
    first = tryon(client, user, "yesterday", standing_png, top_png).get_json()["data"]["job_id"]
    app.extensions["db"].execute_query(  # a day passes
        "UPDATE idempotency_keys SET created_at = ?, expires_at = ?",
        (clock.timestamp(seconds_from_now=-86401), clock.timestamp(seconds_from_now=-1)),
    )
    later = tryon(client, user, "yesterday", standing_png, top_png)
    assert later.status_code == 202 and "Idempotency-Replayed" not in later.headers
    assert later.get_json()["data"]["job_id"] != first
    assert len(job_rows(app)) == 2
    rows = app.extensions["db"].execute_query("SELECT expires_at FROM idempotency_keys", fetch_all=True)
    assert len(rows) == 1 and rows[0]["expires_at"] > clock.timestamp()  # the expired row was purged


def test_a_process_dying_between_the_job_and_its_answer_leaves_one_job_for_the_retries(
    app, client, user, standing_png, top_png
):
    """The database refuses the key's answer (the write after the job's) and the key's release: what a process
    killed between the two leaves behind, its key held until the lease runs out."""
    refuse_writes(app, "UPDATE", "idempotency_keys")
    refuse_writes(app, "DELETE", "idempotency_keys")
    crashed = tryon(client, user, "dies-midway", standing_png, top_png)
    assert crashed.status_code == 500 and error_code(crashed) == "INTERNAL_ERROR"
    assert job_rows(app) == []
    assert app.extensions["storage"].list_keys(f"tryon-inputs/{user['user']['userid']}/") == []
    allow_writes(app, "UPDATE", "idempotency_keys")
    allow_writes(app, "DELETE", "idempotency_keys")

    leases_run_out(app)
    retried = tryon(client, user, "dies-midway", standing_png, top_png)
    assert retried.status_code == 202 and "Idempotency-Replayed" not in retried.headers
    job_id = retried.get_json()["data"]["job_id"]
    assert [row["job_id"] for row in job_rows(app)] == [job_id]

    leases_run_out(app)  # the retry's answer was lost on the way too: the next retry still gets its job
    again = tryon(client, user, "dies-midway", standing_png, top_png)
    assert again.status_code == 202 and again.headers["Idempotency-Replayed"] == "true"
    assert again.get_json()["data"]["job_id"] == job_id and len(job_rows(app)) == 1


@pytest.mark.parametrize(
    "key",
    ["", "x" * 256, "tab\there", "caf\u00e9", "bell\x7f"],
    ids=["empty", "too-long", "control", "non-ascii", "delete"],
)
def test_a_malformed_key_is_refused_before_anything_is_stored(app, client, user, standing_png, top_png, key):
    response = tryon(client, user, key, standing_png, top_png)
    assert response.status_code == 400 and error_code(response) == "INVALID_IDEMPOTENCY_KEY"
    assert job_rows(app) == []


def test_a_key_of_255_printable_characters_is_accepted(client, user, standing_png, top_png):
    key = "".join(chr(33 + n % 94) for n in range(255))
    assert tryon(client, user, key, standing_png, top_png).status_code == 202


def test_a_refused_request_is_answered_again_the_same_way(app, client, user, standing_png):
    def without_garment():
        return post_tryon(client, keyed(user, "no-garment"), selfie=standing_png)

    first, again = without_garment(), without_garment()
    assert first.status_code == again.status_code == 400
    assert again.get_json() == first.get_json() and error_code(first) == "NO_GARMENT"
    assert again.headers["Idempotency-Replayed"] == "true"


@pytest.mark.parametrize("settings_overrides", [{"MAX_QUEUE_SIZE": 1}])
def test_an_answer_that_asks_for_a_retry_is_not_kept(app, client, user, standing_png, top_png, bottom_png):
    app.extensions["tryon_queue"].stop()  # the first job stays queued and fills the queue
    waiting = tryon(client, user, "first", standing_png, top_png).get_json()["data"]["job_id"]
    full = tryon(client, user, "second", standing_png, bottom_png)
    assert full.status_code == 429 and error_code(full) == "QUEUE_FULL"
    assert client.delete(f"/api/job/{waiting}", headers=user["headers"]).status_code == 200
    retried = tryon(client, user, "second", standing_png, bottom_png)
    assert retried.status_code == 202 and "Idempotency-Replayed" not in retried.headers
    assert [row["job_id"] for row in job_rows(app)] == [retried.get_json()["data"]["job_id"]]


def test_identical_requests_racing_at_two_servers_make_one_job(make_app, standing_png, top_png):
    apps = [make_app(IDEMPOTENCY_WAIT_SECONDS=60) for _ in range(2)]
    for application in apps:
        application.extensions["tryon_queue"].stop()  # the job stays queued: only admission is measured
    account = sign_up(apps[0].test_client())
    racers = 8
    barrier, answers = threading.Barrier(racers), [None] * racers

    def submit(n):
        client = apps[n % 2].test_client()
        barrier.wait(30)
        response = tryon(client, account, "double-tap", standing_png, top_png)
        answers[n] = (response.status_code, response.get_json()["data"]["job_id"])

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    job_ids = {job_id for _, job_id in answers}
    assert {status for status, _ in answers} == {202} and len(job_ids) == 1
    assert [row["job_id"] for row in job_rows(apps[0])] == list(job_ids)
