"""Faults: the AI provider failing every way, a locked database, a full disk, the server killed mid-job.

Each fault ends in an answer a client can act on (a failed job with a typed code, 503 or 507 with
Retry-After), never in a half-written row, a stray file or a job that never ends; and the app keeps
serving. A full disk answers 507 INSUFFICIENT_STORAGE (any other failure to write an image, 503
STORAGE_UNAVAILABLE): 507 tells the operator exactly what to fix and the client that retrying later
may work.
"""

import errno
import io
import os
import sqlite3
import subprocess
import threading
from contextlib import contextmanager

import psycopg
import pytest
import requests

from tests.helpers import TYPED_TOP, submit_tryon, wait_for_job
from tests.trust.app_process import AppProcess, server_environment
from tests.trust.conftest import assert_refused, stored_state, wait_until

BUSY_TIMEOUT_MS = 2000


@pytest.fixture
def settings_overrides(request, fake_gemini):
    disk = {"STORAGE_BACKEND": "local"} if "small_disk" in request.fixturenames else {}  # even in the S3 pass
    return fake_gemini.app_settings(
        GEMINI_TIMEOUT_SECONDS=0.5,
        GEMINI_MAX_ATTEMPTS=3,
        GEMINI_RETRY_DELAY_SECONDS=0.01,
        MAX_JOBS_PER_USER=20,
        DATABASE_BUSY_TIMEOUT_MS=BUSY_TIMEOUT_MS,
        # Every photo inline, so a job's requests are its retries alone (a request naming uploaded photos is
        # asked once more inline after a 400: tests/shared/test_gemini_files.py).
        GEMINI_UPLOAD_ON_USE=0,
        **disk,
    )


# The garment's type is sent, so the only calls to the provider are the generations these tests count.


# --- the AI provider failing --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "behaviour,params,hold_seconds,code,requests_per_job",
    [
        ("rate_limit", {"times": 10**6}, 0, "RATE_LIMITED", 3),  # a 429 storm that does not end
        ("server_error", {}, 0, "UPSTREAM_UNAVAILABLE", 3),
        ("ok", {}, 30, "TIMEOUT", 3),  # hangs: the answer would come after 30 s; the client gives up at 0.5 s
        ("malformed", {}, 0, "BAD_UPSTREAM_RESPONSE", 1),
        ("close", {}, 0, "UPSTREAM_UNAVAILABLE", 1),  # the connection is dropped without an answer
        ("error", {"status": 400}, 0, "UPSTREAM_REJECTED", 1),
    ],
    ids=["429-storm", "500s", "hang", "malformed-json", "closed-connection", "400"],
)
def test_each_provider_failure_fails_every_job_after_bounded_retries(
    client, user, fake_gemini, standing_png, top_png, behaviour, params, hold_seconds, code, requests_per_job
):
    fake_gemini.set_behaviour(behaviour, **params)
    fake_gemini.delay = hold_seconds
    job_ids = [
        submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP)
        for _ in range(4)
    ]
    jobs = [wait_for_job(client, user["headers"], job_id) for job_id in job_ids]
    assert {(job["status"], job["error"]["code"]) for job in jobs} == {("failed", code)}
    assert all(job["error"]["message"] for job in jobs)
    assert fake_gemini.request_count == 4 * requests_per_job  # retried as configured, then given up

    # The app keeps serving, and try-ons work again as soon as the provider does.
    assert client.get("/health").status_code == 200
    assert client.get("/api/jobs", headers=user["headers"]).get_json()["pagination"]["total"] == 4
    fake_gemini.set_behaviour("ok")
    fake_gemini.delay = 0
    job_id = submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP)
    assert wait_for_job(client, user["headers"], job_id)["status"] == "done"


# --- a locked database --------------------------------------------------------------------------------
@contextmanager
def write_lock_held_by_another_process(app, seconds):
    """Another connection takes the database's write lock now and keeps it for `seconds` (from a thread)."""
    settings, db = app.extensions["settings"], app.extensions["db"]
    if db.dialect == "sqlite":
        holder = sqlite3.connect(settings.DATABASE_PATH, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = psycopg.connect(settings.DATABASE_URL)
        holder.execute(f"LOCK TABLE {', '.join(db.get_tables())} IN EXCLUSIVE MODE")  # reads still go through
    release = threading.Timer(seconds, holder.commit)
    release.start()
    try:
        yield
    finally:
        release.join()
        holder.close()


MEASUREMENTS = {
    "height": 171,
    "weight": 64,
    "waist_circumference": 74,
    "hip_circumference": 98,
    "neck_circumference": 36,
    "arm_length": 60,
    "foot_length": 25,
    "inner_leg_length": 80,
}


def concurrent_writes(app, user, writers, *, lock_seconds):
    """Each writer thread sets its own measurement of the same user and creates three sections, all
    starting while another connection holds the lock; returns [(response, what it wrote)]."""
    fields = list(MEASUREMENTS)[:writers]
    results, start = [], threading.Barrier(writers + 1)

    def write(field):
        client = app.test_client()
        start.wait()
        response = client.put(
            "/api/body-measurements", headers=user["headers"], json={field: MEASUREMENTS[field]}
        )
        results.append((response, ("measurement", field, MEASUREMENTS[field])))
        for n in range(3):
            response = client.post(
                "/api/wardrobe/category-sections", headers=user["headers"], json={"name": f"{field}_{n}"}
            )
            results.append((response, ("section", f"{field}_{n}")))

    threads = [threading.Thread(target=write, args=(field,)) for field in fields]
    for thread in threads:
        thread.start()
    with write_lock_held_by_another_process(app, lock_seconds):
        start.wait()
        for thread in threads:
            thread.join()
    return results


def stored_writes(client, user):
    measurements = client.get("/api/body-measurements", headers=user["headers"]).get_json().get("data") or {}
    sections = client.get("/api/wardrobe/category-sections", headers=user["headers"]).get_json()["data"]
    return {
        ("measurement", field, value) for field, value in measurements.items() if isinstance(value, float)
    } | {("section", section["name"]) for section in sections if not section["is_platform"]}


def test_writers_wait_out_a_held_lock_and_no_write_is_lost(app, client, user):
    results = concurrent_writes(app, user, 8, lock_seconds=0.5)  # shorter than the busy timeout
    assert [response.status_code for response, _ in results if response.status_code not in (200, 201)] == []
    assert stored_writes(client, user) == {written for _, written in results}


def test_a_lock_held_past_the_busy_timeout_answers_503_and_stores_exactly_what_was_acknowledged(
    app, client, user
):
    results = concurrent_writes(app, user, 4, lock_seconds=BUSY_TIMEOUT_MS / 1000 + 1.5)
    acknowledged = {written for response, written in results if response.status_code in (200, 201)}
    refused = [response for response, _ in results if response.status_code not in (200, 201)]
    for response in refused:
        error = assert_refused(response, (503,))
        assert error["code"] == "SERVICE_UNAVAILABLE" and int(response.headers["Retry-After"]) > 0
    assert stored_writes(client, user) == acknowledged
    if app.extensions["db"].dialect == "sqlite":
        assert refused  # SQLite gives up after DATABASE_BUSY_TIMEOUT_MS; PostgreSQL waits for the lock
    assert client.get("/health").status_code == 200


# --- a full disk --------------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """IMAGES_DIR on its own 4 MB tmpfs (needs root); request it before `app`."""
    path = tmp_path / "images"
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(path)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        reason = f"a full disk is simulated with a tmpfs, and mounting one failed: {mounted.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason + " (run as root)")
    yield path
    subprocess.run(["umount", "-l", str(path)], check=True)


def fill(disk):
    """Write a filler file until the disk has no byte left."""
    with open(disk / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_a_full_disk_refuses_uploads_with_507_and_stores_nothing(
    small_disk, app, client, user, standing_png, top_png
):
    fill(small_disk)
    before = stored_state(app)
    uploads = {
        "wardrobe item": lambda: client.post(
            "/api/wardrobe/items",
            headers=user["headers"],
            content_type="multipart/form-data",
            data={"garment_image": (io.BytesIO(top_png), "top.png"), "category": "shirts"},
        ),
        "try-on": lambda: client.post(
            "/api/tryon",
            headers=user["headers"],
            content_type="multipart/form-data",
            data={
                "selfie": (io.BytesIO(standing_png), "me.png"),
                "garment_image": (io.BytesIO(top_png), "shirt.png"),
            },
        ),
        "avatar": lambda: client.post(
            "/api/save-avatar",
            headers=user["headers"],
            content_type="multipart/form-data",
            data={"avatar": (io.BytesIO(standing_png), "me.png")},
        ),
    }
    for name, upload in uploads.items():
        response = upload()
        error = assert_refused(response, (507,))
        assert error["code"] == "INSUFFICIENT_STORAGE" and int(response.headers["Retry-After"]) > 0, name
        assert stored_state(app) == before, name  # no row, no half-written file, no temporary file
    assert client.get("/health").status_code == 200

    (small_disk / "filler").unlink()
    assert [upload().status_code for upload in uploads.values()] == [201, 202, 200]


def test_a_full_disk_when_the_result_is_saved_fails_the_job_cleanly(
    small_disk, app, client, user, fake_gemini, standing_png, top_png
):
    fake_gemini.delay = 60
    job_id = submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP)
    wait_until(lambda: fake_gemini.in_flight == 1)
    fill(small_disk)
    fake_gemini.release()
    job = wait_for_job(client, user["headers"], job_id)
    assert job["status"] == "failed" and job["error"]["code"] == "INSUFFICIENT_STORAGE"
    assert [path for path in small_disk.rglob("*") if path.is_file() and "tryon-results" in path.parts] == []
    assert client.get(f"/api/job/{job_id}", headers=user["headers"]).status_code == 200


# --- the server killed in the middle of jobs ----------------------------------------------------------
def test_a_server_killed_mid_job_and_restarted_ends_every_accepted_job(
    tmp_path, fake_gemini, standing_png, top_png
):
    fake_gemini.delay = 60  # every generation is in progress when the process dies
    server = AppProcess(
        server_environment(
            tmp_path,
            **fake_gemini.app_settings(GEMINI_TIMEOUT_SECONDS=90, TRYON_WORKERS=3),
        ),
        tmp_path / "app.log",
    ).start()
    try:
        account = requests.post(
            server.url + "/api/create-account",
            timeout=30,
            json={"email": "killed@example.com", "password": "correct horse 1"},
        ).json()["data"]
        headers = {"Authorization": f"Bearer {account['token']}"}
        job_ids = []
        for _ in range(5):  # three generating, two waiting in the queue
            response = requests.post(
                server.url + "/api/tryon",
                headers=headers,
                timeout=30,
                data={"options": TYPED_TOP},
                files={"selfie": ("me.png", standing_png), "garment_image": ("top.png", top_png)},
            )
            assert response.status_code == 202, response.text
            job_ids.append(response.json()["data"]["job_id"])
        wait_until(lambda: fake_gemini.in_flight == 3)

        server.kill()
        fake_gemini.release()  # from now on the provider answers at once
        server.start()

        def status(job_id):
            return requests.get(f"{server.url}/api/job/{job_id}", headers=headers, timeout=30).json()["data"]

        wait_until(
            lambda: all(status(job_id)["status"] in ("done", "failed") for job_id in job_ids), timeout=60
        )
        assert [status(job_id)["status"] for job_id in job_ids] == ["done"] * 5
        assert fake_gemini.request_count == 8  # three interrupted attempts, then one each
    finally:
        server.stop()
