"""JOB_QUEUE=rq: try-on jobs sent to Redis and run by separate worker processes (scripts/worker.py)."""

import itertools
import time
from contextlib import ExitStack

import pytest

from app import create_app, shutdown_app
from config import ConfigurationError
from shared import clock
from tests.docs.live_server import LiveServer
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.helpers import (
    TYPED_TOP,
    EventStream,
    app_environment,
    app_settings,
    mediapipe_model_loads,
    sign_up,
    submit_tryon,
    wait_for_job,
)
from tests.photos import t_shirt
from tests.scale.worker_process import WorkerProcess
from tests.stored_images import fetch_image, stored_keys, swept_in_time
from tests.webhooks.conftest import callback_once, secret_of, verify


@pytest.fixture
def job_timeout_seconds():
    """The job deadline: the default, so a worker process loading its models on a busy machine (mediapipe's import
    alone takes seconds there) never fails a job. A test about overdue jobs parametrizes a short one."""
    return "120"


@pytest.fixture
def rq_settings(tmp_path, redis_url, fake_gemini, job_timeout_seconds):
    return app_environment(
        tmp_path,
        database="rq.db",
        JOB_QUEUE="rq",
        REDIS_URL=redis_url,
        **fake_gemini.app_settings(),
        GEMINI_TIMEOUT_SECONDS=60,
        JOB_TIMEOUT_SECONDS=job_timeout_seconds,
    )


@pytest.fixture
def workers(rq_settings, tmp_path):
    """Start worker processes with the API's environment; all are killed at the end."""
    numbers = itertools.count()
    with ExitStack() as started:

        def start(processes=1):
            log_path = tmp_path / f"worker{next(numbers)}.log"
            return started.enter_context(WorkerProcess(rq_settings, log_path, processes=processes))

        yield start


@pytest.fixture
def rq_app(rq_settings):
    application = create_app(rq_settings)
    yield application
    shutdown_app(application)


def test_jobs_are_run_by_worker_processes(rq_app, workers, standing_png, fake_gemini):
    client = rq_app.test_client()
    user = sign_up(client)
    job_ids = [
        submit_tryon(client, user, selfie=standing_png, garment_image=t_shirt(), options=TYPED_TOP)
        for _ in range(3)
    ]
    workers(processes=2)
    jobs = [wait_for_job(client, user["headers"], job_id) for job_id in job_ids]
    assert [j["status"] for j in jobs] == ["done"] * 3
    assert {j["provider"] for j in jobs} == {"gemini"} and fake_gemini.request_count == 3
    assert fetch_image(client, jobs[0]["result_url"]).status_code == 200


def test_a_fresh_worker_loads_its_models_before_it_takes_a_job(rq_app, workers, standing_png, tmp_path):
    """A job waiting when a worker process starts: its clock, and its deadline, start at the claim, after every
    model the worker uses was loaded (mediapipe's pose and faces check each photo's hips)."""
    client = rq_app.test_client()
    user = sign_up(client)
    job_id = submit_tryon(client, user, selfie=standing_png, garment_image=t_shirt(), options=TYPED_TOP)
    workers()
    job = wait_for_job(client, user["headers"], job_id)
    assert job["status"] == "done", job["error"]
    loads = mediapipe_model_loads(tmp_path / "worker0.log")
    assert len(loads) >= 3, "pose (two models) and faces load for every job"
    assert max(loads) < clock.parse(job["started_at"]).timestamp() + 0.001  # started_at: whole milliseconds


@pytest.mark.parametrize("job_timeout_seconds", ["3"])  # the job is queued again once overdue
def test_worker_killed_mid_job_leaves_a_job_that_still_ends(rq_app, workers, standing_png, fake_gemini):
    client = rq_app.test_client()
    user = sign_up(client)
    fake_gemini.delay = 60  # the first worker hangs in the model call until it is killed
    first = workers(processes=1)
    job_id = submit_tryon(client, user, selfie=standing_png, garment_image=t_shirt(), options=TYPED_TOP)
    deadline = time.monotonic() + 30
    while fake_gemini.in_flight == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake_gemini.in_flight == 1
    first.kill()
    fake_gemini.release()
    workers(processes=1)
    job = wait_for_job(client, user["headers"], job_id, timeout=60)
    assert job["status"] == "done", job["error"]
    attempts = rq_app.extensions["db"].execute_query(
        "SELECT attempts FROM tryon_jobs WHERE job_id = ?", (job_id,), fetch_one=True
    )["attempts"]
    assert attempts == 2  # the first attempt died with its worker; the job was queued again once


def test_a_job_a_worker_process_ends_is_delivered_by_the_web_process(rq_settings, workers, standing_png):
    application = create_app({**rq_settings, "SCRAPER_ALLOW_PRIVATE_NETWORKS": "true"})
    try:
        client = application.test_client()
        user = sign_up(client)
        with WebhookReceiver() as receiver:
            job_id = submit_tryon(
                client,
                user,
                selfie=standing_png,
                garment_image=t_shirt(),
                options=TYPED_TOP,
                callback_url=receiver.url("/hooks"),
            )
            workers(processes=1)
            (delivery,) = receiver.wait_for(1, timeout=60)
            callback = callback_once(client, user, job_id, lambda c: c["status"] == "delivered")
        assert verify(delivery, secret_of(client, user))["status"] == "done"
        assert callback["attempts"] == 1 and callback["last_status"] == 200
    finally:
        shutdown_app(application)


def test_rq_queue_needs_redis(tmp_path):
    with pytest.raises(ConfigurationError, match="REDIS_URL"):
        create_app(app_settings(tmp_path, LOG_TO_FILES=False, JOB_QUEUE="rq", REDIS_URL=""))


def test_a_job_run_by_a_worker_process_is_followed_by_its_event_stream(rq_app, workers, standing_png):
    """The stream reads the job's row, so it sees the stages an RQ worker in another process writes."""
    client = rq_app.test_client()
    user = sign_up(client)
    job_id = submit_tryon(client, user, selfie=standing_png, garment_image=t_shirt(), options=TYPED_TOP)
    workers(processes=1)
    with LiveServer(rq_app) as server, EventStream(server.url, job_id, user["headers"]) as stream:
        events = stream.events()
    assert events[-1]["event"] == "done", events[-1]
    assert fetch_image(client, events[-1]["data"]["result_url"]).status_code == 200
    ids = [e["id"] for e in events]
    assert events[0]["event"] == "stage" and ids[-1].endswith("-end")
    assert len(set(ids)) == len(ids)


def test_a_worker_process_sweeps_orphaned_image_files(rq_app, rq_settings, tmp_path):
    """An RQ worker process sweeps too (the API's sweep is off here): the file no row names goes, the avatar stays."""
    user_id = sign_up(rq_app.test_client())["user"]["userid"]
    storage = rq_app.extensions["storage"]
    avatar, orphan = f"avatars/{user_id}/{'a' * 32}.png", f"wardrobe/{user_id}/{'b' * 32}.png"
    storage.upload_image(b"an avatar", avatar)
    rq_app.extensions["db"].execute_query(
        "UPDATE users SET avatar_path = ? WHERE userid = ?", (f"/images/{avatar}", user_id)
    )
    storage.upload_image(b"left behind", orphan)
    sweeping = {**rq_settings, "IMAGE_SWEEP_INTERVAL_SECONDS": "1", "IMAGE_SWEEP_GRACE_SECONDS": "0"}
    with WorkerProcess(sweeping, tmp_path / "sweeper.log"):
        # the worker loads its models first: seconds on a busy machine
        assert swept_in_time(rq_app, [orphan], timeout=120), (tmp_path / "sweeper.log").read_text()[-2000:]
    assert stored_keys(rq_app) == [avatar]
