"""GET /api/job/<id>/events: a job followed live over real HTTP, as the playground and the extension follow it."""

import time

import pytest

from features.tryon.events import EventId, event_id
from tests.docs.live_server import LiveServer
from tests.helpers import (
    TYPED_TOP,
    EventStream,
    app_environment,
    sign_up,
    submit_tryon,
    unique_email,
    wait_for_job,
)
from tests.photos import t_shirt
from tests.scale.api_process import ApiProcess
from tests.stored_images import fetch_image

PIPELINE_ORDER = [
    "queued",
    "starting",
    "fetching_garment",
    "preparing_images",
    "generating",
    "saving",
    "done",
]


@pytest.fixture
def settings_overrides(fake_gemini, request):
    """Gemini on loopback, whose delay holds a job in `generating` as long as a test needs; one worker, so a
    second job waits in the queue; streams read the row often so short stages are seen. A test parametrizes
    (indirect) the settings it adds."""
    return fake_gemini.app_settings(
        GEMINI_TIMEOUT_SECONDS=90,
        TRYON_WORKERS=1,
        EVENT_STREAM_POLL_SECONDS=0.05,
        **getattr(request, "param", {}),
    )


@pytest.fixture
def server(app):
    with LiveServer(app) as live:
        yield live


@pytest.fixture
def start_job(client, user, standing_png):
    return lambda who=user: submit_tryon(
        client, who, selfie=standing_png, garment_image=t_shirt(), options=TYPED_TOP
    )


def _id(event):
    parsed = EventId.parse(event["id"])
    assert parsed is not None, event
    return parsed


def _wait_for_stage(stream, stage):
    for event in iter(stream.next_event, None):
        if event["data"]["stage"] == stage:
            return event


def test_a_job_is_followed_from_the_queue_to_its_result(server, client, user, start_job, fake_gemini):
    fake_gemini.delay = 1.0  # the model call lasts long enough to be seen
    job_id = start_job()
    with EventStream(server.url, job_id, user["headers"]) as stream:
        assert stream.status == 200
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.headers["Cache-Control"] == "no-cache"
        assert stream.headers["X-Accel-Buffering"] == "no"
        frames = list(stream.frames())  # the server ends the stream after the final event

    assert frames[0] == {"retry": "2000"}
    events = [frame for frame in frames if "event" in frame]
    assert [e["event"] for e in events] == ["stage"] * (len(events) - 1) + ["done"]
    ids = [_id(e) for e in events]
    assert ids == sorted(set(ids))  # every id new, in order
    assert events[-1]["id"].endswith("-end")
    stages = [e["data"]["stage"] for e in events]
    assert "generating" in stages
    assert stages == sorted(stages, key=PIPELINE_ORDER.index)
    for event in events:
        assert event["data"]["job_id"] == job_id
        assert {"status", "stage", "progress"} <= set(event["data"])
    progress = [e["data"]["progress"] for e in events]
    assert progress == sorted(progress) and progress[-1] == 100
    done = events[-1]["data"]
    assert done["status"] == "done"
    assert fetch_image(client, done["result_url"]).status_code == 200


def test_last_event_id_resumes_after_that_event(server, user, start_job, fake_gemini):
    fake_gemini.delay = 60  # held in `generating` until released
    job_id = start_job()
    with EventStream(server.url, job_id, user["headers"]) as first:
        generating = _wait_for_stage(first, "generating")
    fake_gemini.release()
    with EventStream(server.url, job_id, user["headers"], last_event_id=generating["id"]) as resumed:
        events = resumed.events()
    assert events and events[-1]["event"] == "done"
    assert "generating" not in [e["data"]["stage"] for e in events]
    assert all(_id(e) > _id(generating) for e in events)


def test_a_failed_job_ends_with_failed_and_its_error(server, user, start_job, fake_gemini):
    fake_gemini.set_behaviour("image_safety")
    job_id = start_job()
    with EventStream(server.url, job_id, user["headers"]) as stream:
        events = stream.events()
    final = events[-1]
    assert final["event"] == "failed" and final["id"].endswith("-end")
    assert final["data"]["status"] == "failed"
    assert final["data"]["error"]["code"] == "CONTENT_BLOCKED"
    assert final["data"]["error"]["message"]


def test_a_finished_job_answers_its_final_event_at_once(server, client, user, start_job):
    job_id = start_job()
    assert wait_for_job(client, user["headers"], job_id)["status"] == "done"
    with EventStream(server.url, job_id, user["headers"]) as stream:
        frames = list(stream.frames())
    assert frames[0] == {"retry": "2000"}
    assert [f.get("event") for f in frames[1:]] == ["done"]
    final_id = frames[1]["id"]

    with EventStream(server.url, job_id, user["headers"], last_event_id="1-60") as earlier:
        assert [e["id"] for e in earlier.events()] == [final_id]
    with EventStream(server.url, job_id, user["headers"], last_event_id=final_id) as seen:
        assert seen.status == 204  # nothing left to send: EventSource stops reconnecting on a 204
        assert seen.response.read() == b""


def test_a_malformed_or_unknown_last_event_id_is_ignored(server, client, user, start_job):
    job_id = start_job()
    wait_for_job(client, user["headers"], job_id)
    for last_event_id in ["banana", "", "1-", "-5", "1-101", "7-end", "1-60-2", "\u00b2-end", "1-5x"]:
        with EventStream(server.url, job_id, user["headers"], last_event_id=last_event_id) as stream:
            assert stream.status == 200, last_event_id
            assert [e["event"] for e in stream.events()] == ["done"], last_event_id


def test_only_the_owner_may_follow_a_job(server, client, user, start_job):
    job_id = start_job()
    other = sign_up(client, email=unique_email("other"))
    with EventStream(server.url, job_id, other["headers"]) as stream:
        assert stream.status == 404
        assert stream.headers["Content-Type"] == "application/json"
        assert stream.json()["error"]["code"] == "JOB_NOT_FOUND"
    with EventStream(server.url, "no-such-job", user["headers"]) as stream:
        assert (stream.status, stream.json()["error"]["code"]) == (404, "JOB_NOT_FOUND")
    with EventStream(server.url, job_id, {}) as stream:
        assert stream.status == 401
        assert stream.json()["success"] is False


@pytest.mark.parametrize(
    "settings_overrides", [{"MAX_EVENT_STREAMS": 1, "MAX_EVENT_STREAMS_PER_USER": 1}], indirect=True
)
def test_streams_are_capped_and_a_closed_one_frees_its_slot(server, client, user, start_job, fake_gemini):
    fake_gemini.delay = 60
    bob = sign_up(client, email=unique_email("bob"))
    user_job, bob_job = start_job(), start_job(bob)
    first = EventStream(server.url, user_job, user["headers"])
    assert first.status == 200 and first.next_event()["event"] == "stage"
    with EventStream(server.url, user_job, user["headers"]) as again:
        assert again.status == 429
        assert again.json()["error"]["code"] == "TOO_MANY_STREAMS"
        assert again.headers["Retry-After"]
    with EventStream(server.url, bob_job, bob["headers"]) as busy:
        assert busy.status == 503
        assert busy.json()["error"]["code"] == "EVENT_STREAMS_BUSY"
    first.close()  # the client goes away mid-stream: its thread and slot are given back
    _follow_once_free(server.url, bob_job, bob)
    fake_gemini.release()


def _follow_once_free(url, job_id, user, timeout=30):
    """Open the job's stream at url as soon as a slot is free (within timeout) and read its first event."""
    deadline = time.monotonic() + timeout
    while True:
        with EventStream(url, job_id, user["headers"]) as retried:
            if retried.status == 200:
                assert retried.next_event()["data"]["job_id"] == job_id
                return
            assert retried.json()["error"]["code"] in ("TOO_MANY_STREAMS", "EVENT_STREAMS_BUSY")
        assert time.monotonic() < deadline, "the slot was never given back"
        time.sleep(0.1)


def test_a_users_stream_cap_holds_across_server_processes(fake_gemini, make_app, standing_png):
    """Two apps on one database stand for two API processes (gunicorn workers, machines): a user at the cap on
    one is refused on the other, until the open stream closes."""
    settings = fake_gemini.app_settings(MAX_EVENT_STREAMS_PER_USER=1, EVENT_STREAM_POLL_SECONDS=0.05)
    one, other = make_app(**settings), make_app(**settings)
    fake_gemini.delay = 60
    client = one.test_client()
    user = sign_up(client)
    job_id = submit_tryon(client, user, selfie=standing_png, garment_image=t_shirt(), options=TYPED_TOP)
    with LiveServer(one) as one_server, LiveServer(other) as other_server:
        first = EventStream(one_server.url, job_id, user["headers"])
        assert first.status == 200 and _wait_for_stage(first, "generating")
        with EventStream(other_server.url, job_id, user["headers"]) as refused:
            assert refused.status == 429 and refused.json()["error"]["code"] == "TOO_MANY_STREAMS"
        first.close()
        _follow_once_free(other_server.url, job_id, user)
    fake_gemini.release()


def test_a_stream_whose_process_died_stops_counting_when_its_lease_runs_out(
    fake_gemini, make_app, standing_png, tmp_path
):
    """A stream open on a process that is killed is never closed: its lease, renewed while it ran (every
    heartbeat), runs out two heartbeats later, and the user may open a stream again."""
    settings = fake_gemini.app_settings(
        MAX_EVENT_STREAMS_PER_USER=1, EVENT_STREAM_POLL_SECONDS=0.05, EVENT_STREAM_HEARTBEAT_SECONDS=2
    )
    survivor = make_app(**settings)
    fake_gemini.delay = 60
    client = survivor.test_client()
    user = sign_up(client)
    job_id = submit_tryon(client, user, selfie=standing_png, garment_image=t_shirt(), options=TYPED_TOP)
    env = app_environment(tmp_path, database="shared.db", **settings)  # make_app's database
    with ApiProcess(env, tmp_path / "dying.log") as dying, LiveServer(survivor) as server:
        with EventStream(dying.url, job_id, user["headers"]) as stream:
            assert stream.status == 200 and _wait_for_stage(stream, "generating")
            keep_alives = 0
            for frame in stream.frames():
                keep_alives += frame == {"comment": "keep-alive"}
                if keep_alives == 3:  # 6 s: past the stream's first lease (4 s), so it was renewed
                    break
            with EventStream(server.url, job_id, user["headers"]) as refused:
                assert refused.status == 429 and refused.json()["error"]["code"] == "TOO_MANY_STREAMS"
            dying.kill()
        _follow_once_free(server.url, job_id, user)
    fake_gemini.release()


@pytest.mark.parametrize(
    "settings_overrides",
    [{"EVENT_STREAM_HEARTBEAT_SECONDS": 0.2, "EVENT_STREAM_MAX_SECONDS": 1}],
    indirect=True,
)
def test_heartbeats_and_the_time_limit(server, user, start_job, fake_gemini):
    fake_gemini.delay = 60
    job_id = start_job()
    with EventStream(server.url, job_id, user["headers"]) as stream:
        frames = list(stream.frames())  # ends at the time limit, the job still running
    fake_gemini.release()
    assert {"comment": "keep-alive"} in frames
    assert frames[-1] == {"retry": "2000"}
    assert "reconnect with Last-Event-ID" in frames[-2]["comment"]
    assert not any(f.get("event") in ("done", "failed") for f in frames)


def test_a_job_deleted_while_followed_ends_its_stream(server, client, user, start_job, fake_gemini):
    fake_gemini.delay = 60  # the only worker is busy with the first job: the second stays queued
    start_job()
    waiting = start_job()
    with EventStream(server.url, waiting, user["headers"]) as stream:
        assert stream.next_event()["data"]["status"] == "queued"
        assert client.delete(f"/api/job/{waiting}", headers=user["headers"]).status_code == 200
        final = stream.next_event()
        assert list(stream.frames()) == []  # and the stream ends
    fake_gemini.release()
    assert final["event"] == "failed"
    assert final["data"]["error"]["code"] == "JOB_NOT_FOUND"


def test_ids_order_a_job_retried_after_a_lost_worker():
    """A job queued again after its worker died (run 2) and run again (run 3) has ids after its first run's."""
    states = [
        {"status": "queued", "attempts": 0, "progress": 0},
        {"status": "processing", "attempts": 1, "progress": 60},
        {"status": "queued", "attempts": 1, "progress": 0},
        {"status": "processing", "attempts": 2, "progress": 5},
        {"status": "failed", "attempts": 2, "progress": 5},
    ]
    ids = [event_id(state) for state in states]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [str(i) for i in ids] == ["0-0", "1-60", "2-0", "3-5", "3-end"]
    assert [EventId.parse(str(i)) for i in ids] == ids
