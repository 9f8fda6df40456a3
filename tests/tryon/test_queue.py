"""The persistent queue: restart recovery, capacity limits, cancellation, history."""

import time

import requests

from features.tryon import job_queue
from shared import clock
from tests.helpers import (
    TYPED_TOP,
    app_environment,
    job_rows,
    mediapipe_model_loads,
    post_tryon,
    sign_up,
    submit_tryon,
    wait_for_job,
)
from tests.photos import t_shirt
from tests.scale.api_process import ApiProcess
from tests.stored_images import stored_keys


def test_a_fresh_server_loads_its_models_before_it_starts_a_job(tmp_path, standing_png):
    """A new server process (its own interpreter, nothing loaded) given a try-on at once: the job's clock, and its
    deadline, start at its claim, after every model it uses was loaded; none is loaded on the job's time."""
    env = app_environment(tmp_path, database="fresh.db", LOG_TO_FILES=False, GEMINI_API_KEY="")
    with ApiProcess(env, tmp_path / "api.log") as api:
        token = requests.post(
            f"{api.url}/api/create-account",
            timeout=30,
            json={
                "email": "fresh@example.com",
                "password": "correct horse 1",
                "confirm_password": "correct horse 1",
            },
        ).json()["data"]["token"]
        headers = {"Authorization": f"Bearer {token}"}
        accepted = requests.post(
            f"{api.url}/api/tryon",
            headers=headers,
            timeout=30,
            data={"options": TYPED_TOP},
            files={
                "selfie": ("me.png", standing_png, "image/png"),
                "garment_image": ("tee.png", t_shirt(), "image/png"),
            },
        )
        assert accepted.status_code == 202, accepted.text
        job_url = f"{api.url}/api/job/{accepted.json()['data']['job_id']}"
        deadline = time.monotonic() + 60
        job = requests.get(job_url, headers=headers, timeout=10).json()["data"]
        while job["status"] in ("queued", "processing") and time.monotonic() < deadline:
            time.sleep(0.05)
            job = requests.get(job_url, headers=headers, timeout=10).json()["data"]
    assert job["status"] == "done", job["error"]
    loads = mediapipe_model_loads(tmp_path / "api.log")
    assert len(loads) >= 3, "pose (two models) and faces load for every job"
    assert max(loads) < clock.parse(job["started_at"]).timestamp() + 0.001  # started_at: whole milliseconds


def test_restart_resumes_queued_jobs_and_retries_interrupted_ones(make_app, person_png, top_png):
    first = make_app()
    first.extensions["tryon_queue"].stop()  # the server "dies" before any worker picks the jobs up
    client = first.test_client()
    user = sign_up(client)
    ids = [submit_tryon(client, user, selfie=person_png, garment_image=top_png) for _ in range(3)]
    db = first.extensions["db"]
    # ids[1] was mid-generation when the process died; ids[2] had already been retried once before
    db.execute_query("UPDATE tryon_jobs SET status = 'processing', attempts = 1 WHERE job_id = ?", (ids[1],))
    db.execute_query("UPDATE tryon_jobs SET status = 'processing', attempts = 2 WHERE job_id = ?", (ids[2],))

    second = make_app()
    client = second.test_client()
    jobs = [wait_for_job(client, user["headers"], job_id) for job_id in ids]
    assert [j["status"] for j in jobs] == ["done", "done", "failed"]
    assert jobs[2]["error"]["code"] == "WORKER_LOST" and "restarted" in jobs[2]["error"]["message"]


def test_a_job_that_crashes_ends_failed_with_a_message_and_the_next_one_runs(make_app, person_png, top_png):
    first = make_app()
    first.extensions["tryon_queue"].stop()
    client = first.test_client()
    user = sign_up(client)
    broken, sound = [submit_tryon(client, user, selfie=person_png, garment_image=top_png) for _ in range(2)]
    # a row the pipeline cannot read (it no longer says where the garment photo is stored): the worker crashes
    first.extensions["db"].execute_query(
        "UPDATE tryon_jobs SET inputs = REPLACE(inputs, '\"image_path\"', '\"lost\"') WHERE job_id = ?",
        (broken,),
    )
    client = make_app().test_client()
    job = wait_for_job(client, user["headers"], broken)
    assert job["status"] == "failed" and job["error"]["code"] == "INTERNAL_ERROR"
    assert "please try again" in job["error"]["message"]
    assert wait_for_job(client, user["headers"], sound)["status"] == "done"


def test_accepted_jobs_start_without_waiting_for_the_dispatchers_poll(
    make_app, monkeypatch, person_png, top_png
):
    """Accepting a job wakes the dispatcher, and so does a worker coming free: with the idle poll an hour long,
    jobs sent to an idle service, more than there are workers, all still run."""
    monkeypatch.setattr(job_queue, "_IDLE_POLL_SECONDS", 3600)
    app = make_app(TRYON_WORKERS=2)
    client = app.test_client()
    user = sign_up(client)
    ids = [submit_tryon(client, user, selfie=person_png, garment_image=top_png) for _ in range(3)]
    assert [wait_for_job(client, user["headers"], job_id)["status"] for job_id in ids] == ["done"] * 3


def test_queue_full_answers_429_and_stores_nothing(make_app, person_png, top_png):
    app = make_app(MAX_QUEUE_SIZE=2, MAX_JOBS_PER_USER=10)
    app.extensions["tryon_queue"].stop()
    client = app.test_client()
    user = sign_up(client)
    assert [
        post_tryon(client, user, selfie=person_png, garment_image=top_png).status_code for _ in range(2)
    ] == [202, 202]
    full = post_tryon(client, user, selfie=person_png, garment_image=top_png)
    assert full.status_code == 429
    assert full.get_json()["error"]["code"] == "QUEUE_FULL" and int(full.headers["Retry-After"]) >= 1
    assert len(job_rows(app)) == 2


def test_per_user_in_flight_limit(make_app, person_png, top_png):
    app = make_app(MAX_JOBS_PER_USER=1)
    app.extensions["tryon_queue"].stop()
    client = app.test_client()
    user, other = sign_up(client), sign_up(client)
    assert post_tryon(client, user, selfie=person_png, garment_image=top_png).status_code == 202
    second = post_tryon(client, user, selfie=person_png, garment_image=top_png)
    assert second.status_code == 429 and second.get_json()["error"]["code"] == "TOO_MANY_JOBS"
    assert post_tryon(client, other, selfie=person_png, garment_image=top_png).status_code == 202


def test_result_before_finish_is_409_and_delete_cancels_with_files(make_app, person_png, top_png):
    app = make_app()
    app.extensions["tryon_queue"].stop()
    client = app.test_client()
    user = sign_up(client)
    job_id = submit_tryon(client, user, selfie=person_png, garment_image=top_png)
    early = client.get(f"/api/job/{job_id}/result", headers=user["headers"])
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "JOB_NOT_FINISHED"
    assert len(stored_keys(app, "tryon-inputs/")) == 2
    deleted = client.delete(f"/api/job/{job_id}", headers=user["headers"])
    assert deleted.status_code == 200 and deleted.get_json()["data"]["was_status"] == "queued"
    assert stored_keys(app, "tryon-inputs/") == []
    assert client.get(f"/api/job/{job_id}", headers=user["headers"]).status_code == 404


def test_running_job_cannot_be_deleted(make_app, person_png, top_png):
    app = make_app()
    app.extensions["tryon_queue"].stop()
    client = app.test_client()
    user = sign_up(client)
    job_id = submit_tryon(client, user, selfie=person_png, garment_image=top_png)
    app.extensions["db"].execute_query(
        "UPDATE tryon_jobs SET status = 'processing' WHERE job_id = ?", (job_id,)
    )
    response = client.delete(f"/api/job/{job_id}", headers=user["headers"])
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "JOB_IN_PROGRESS"


def test_finished_job_delete_removes_result(app, client, user, person_png, top_png):
    job_id = submit_tryon(client, user, selfie=person_png, garment_image=top_png)
    assert wait_for_job(client, user["headers"], job_id)["status"] == "done"
    assert stored_keys(app, "tryon-results/")
    assert client.delete(f"/api/job/{job_id}", headers=user["headers"]).status_code == 200
    assert stored_keys(app, "tryon-results/") == []


def test_history_is_newest_first_and_paginated(make_app, person_png, top_png):
    app = make_app(MAX_JOBS_PER_USER=10)
    app.extensions["tryon_queue"].stop()
    client = app.test_client()
    user = sign_up(client)
    ids = [submit_tryon(client, user, selfie=person_png, garment_image=top_png) for _ in range(3)]
    page = client.get("/api/jobs?limit=2", headers=user["headers"]).get_json()
    assert [j["job_id"] for j in page["data"]] == [ids[2], ids[1]]
    assert page["pagination"] == {"total": 3, "limit": 2, "offset": 0}
    rest = client.get("/api/jobs?limit=2&offset=2", headers=user["headers"]).get_json()
    assert [j["job_id"] for j in rest["data"]] == [ids[0]]
    assert client.get("/api/jobs?limit=0", headers=user["headers"]).status_code == 400
    assert client.get("/api/jobs?status=weird", headers=user["headers"]).status_code == 400


def test_other_users_jobs_are_invisible(client, user, other_user, person_png, top_png):
    job_id = submit_tryon(client, user, selfie=person_png, garment_image=top_png)
    for method, path in [
        ("get", f"/api/job/{job_id}"),
        ("get", f"/api/job/{job_id}/result"),
        ("delete", f"/api/job/{job_id}"),
    ]:
        response = getattr(client, method)(path, headers=other_user["headers"])
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "JOB_NOT_FOUND"
    assert client.get("/api/jobs", headers=other_user["headers"]).get_json()["data"] == []
    assert client.get(f"/api/job/{job_id}", headers=user["headers"]).status_code == 200
