"""Two API processes and two worker processes sharing one PostgreSQL, Redis and image store.

The image store is this test's S3 bucket in the S3 pass (TEST_S3), else one local images folder
that every process is given.
"""

import time

import pytest
import redis
import requests
from rq import Worker

from tests.helpers import app_environment
from tests.photos import t_shirt
from tests.scale.api_process import ApiProcess
from tests.scale.worker_process import WorkerProcess
from tests.stored_images import FetchedImage

PASSWORD = "correct horse 1"
JOBS = 4  # within MAX_JOBS_PER_USER: one user has them all in progress at once


@pytest.fixture
def shared_env(postgres_url, redis_url, backends, fake_gemini, tmp_path):
    """One environment for every process: shared database, queue, images and secrets."""
    storage = {
        name: value for name, value in backends.items() if name == "STORAGE_BACKEND" or name.startswith("S3_")
    }
    return app_environment(
        tmp_path,
        LOG_TO_FILES=False,
        DATABASE_URL=postgres_url,
        REDIS_URL=redis_url,
        JOB_QUEUE="rq",
        SECRET_KEY="shared-secret",
        JWT_SECRET_KEY="shared-jwt-secret",
        **fake_gemini.app_settings(),
        JOB_TIMEOUT_SECONDS=8,  # a killed worker's job is taken back after 8 s
        **storage,
    )


def _sign_up(api):
    email = f"many-{time.time_ns()}@example.com"
    response = requests.post(
        f"{api.url}/api/create-account",
        timeout=10,
        json={"email": email, "password": PASSWORD, "confirm_password": PASSWORD},
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['data']['token']}"}


def _submit(api, headers, standing_png):
    response = requests.post(
        f"{api.url}/api/tryon",
        headers=headers,
        timeout=30,
        data={"options": '{"garments": [{"type": "top"}]}'},  # only generations call Gemini
        files={
            "selfie": ("me.png", standing_png, "image/png"),
            "garment_image": ("shirt.png", t_shirt(), "image/png"),
        },
    )
    assert response.status_code == 202, response.text
    return response.json()["data"]["job_id"]


def _wait_for_job(api, headers, job_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = requests.get(f"{api.url}/api/job/{job_id}", headers=headers, timeout=10).json()["data"]
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['status']} after {timeout}s")


def _fetch(url):
    response = requests.get(url, timeout=10)
    return FetchedImage(response.status_code, response.content, response.headers.get("Content-Type", ""))


def _busy_worker(redis_url, workers):
    """The one of workers running a job right now, from RQ's own registry in Redis (None while none is)."""
    connection = redis.Redis.from_url(redis_url)
    try:
        busy_pids = {
            worker.pid for worker in Worker.all(connection=connection) if worker.get_current_job_id()
        }
    finally:
        connection.close()
    busy = [worker for worker in workers if worker.pid in busy_pids]
    return busy[0] if len(busy) == 1 else None


def test_jobs_cross_processes_and_survive_a_killed_worker(
    shared_env, redis_url, fake_gemini, standing_png, tmp_path
):
    with (
        ApiProcess(shared_env, tmp_path / "api-a.log") as api_a,
        ApiProcess(shared_env, tmp_path / "api-b.log") as api_b,
        WorkerProcess(shared_env, tmp_path / "worker-1.log") as worker_1,
        WorkerProcess(shared_env, tmp_path / "worker-2.log") as worker_2,
    ):
        workers = (worker_1, worker_2)
        headers = _sign_up(api_a)
        job_ids = [_submit(api_a, headers, standing_png) for _ in range(JOBS)]
        jobs = [_wait_for_job(api_b, headers, job_id) for job_id in job_ids]  # read from the other API
        assert [job["status"] for job in jobs] == ["done"] * JOBS, [job["error"] for job in jobs]
        assert fake_gemini.request_count == JOBS
        result = _fetch(jobs[0]["result_url"])  # an image one process stored, through a URL another signed
        assert (
            result.status_code == 200
            and result.mimetype == "image/png"
            and result.data.startswith(b"\x89PNG")
        )

        fake_gemini.delay = 60  # the next job hangs in the model call until its worker is killed
        job_id = _submit(api_b, headers, standing_png)
        deadline = time.monotonic() + 30
        while (
            _busy_worker(redis_url, workers) is None or fake_gemini.in_flight == 0
        ) and time.monotonic() < deadline:
            time.sleep(0.05)
        busy = _busy_worker(redis_url, workers)
        assert busy is not None and fake_gemini.in_flight == 1
        busy.kill()
        fake_gemini.release()
        job = _wait_for_job(api_a, headers, job_id)
        assert job["status"] == "done", job["error"]
        assert (
            requests.get(f"{api_b.url}/api/jobs", headers=headers, timeout=10).json()["pagination"]["total"]
            == JOBS + 1
        )
