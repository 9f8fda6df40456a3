"""A try-on job's progress as Server-Sent Events (GET /api/job/<id>/events).

The stream reads the job's row every EVENT_STREAM_POLL_SECONDS (one primary-key read of a few columns) and
sends what changed: `stage` when the stage changed (the first event of a connection is always one, with the
current state), `progress` when only the progress moved, then `done` or `failed`, and ends. The row is the
only source: the stream works the same whether this process, another one or an RQ worker runs the job. A
stage shorter than the poll interval may be folded into the next one; the states a stream sends only ever
move forward.

Event ids are the job's state, not a count of this connection's events, so any process can resume after
one: `<run>-<progress>`, and `<run>-end` for the final event. `run` counts the job's passes through the
queue (0 waiting for its first run, 1 running it, 2 queued again after a lost worker, 3 its second run), so
ids order the states of a job even across a retry. `Last-Event-ID` sends only states after it; an id that
cannot be read, or names a state this job has not reached, is ignored (the stream starts with the current
state: at worst one state is shown again, where a 400 would leave a client that kept an id from an older
version of the API with no stream at all).
"""

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from config import Settings
from features.tryon import model, stream_model
from shared import clock, event_stream
from shared.database import Database
from shared.errors import NotFoundError, RateLimitedError, ServiceUnavailableError
from shared.logger import get_logger
from shared.storage import Storage

log = get_logger("tryon.events")

RETRY_MILLISECONDS = 2000  # how long a client waits before reconnecting once a stream has ended or broken
_FINAL = 101  # the rank of the final event: after every progress (0-100) of its run


@dataclass(frozen=True, order=True)
class EventId:
    """A job's state as an event id: the run (pass through the queue) and the progress, or _FINAL."""

    run: int
    rank: int

    def __str__(self) -> str:
        return f"{self.run}-{'end' if self.rank == _FINAL else self.rank}"

    @property
    def final(self) -> bool:
        return self.rank == _FINAL

    @classmethod
    def parse(cls, text: str | None) -> "EventId | None":
        """The id a client sent back (Last-Event-ID), or None when it is not one of ours."""
        run, _, rank = (text or "").strip().partition("-")
        if not (_is_number(run) and len(run) <= 6):
            return None
        if rank == "end":
            return cls(int(run), _FINAL)
        if _is_number(rank) and int(rank) <= 100:
            return cls(int(run), int(rank))
        return None


def _is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²", which int() refuses."""
    return text.isascii() and text.isdigit()


def event_id(job: dict[str, Any]) -> EventId:
    """The id of a job's current state (a row of model.get_progress)."""
    attempts = job["attempts"]
    run = 2 * attempts if job["status"] == model.QUEUED else max(0, 2 * attempts - 1)
    finished = job["status"] in (model.DONE, model.FAILED)
    return EventId(run, _FINAL if finished else job["progress"])


@dataclass(frozen=True)
class StreamStart:
    """A stream that may start: the state the client already has (None: nothing yet), the renewal of its lease
    (called as it runs) and its release (safe to call more than once)."""

    after: EventId | None
    renew: Callable[[], None]
    release: Callable[[], None]


class StreamSlots:
    """Streams open in this app (one per process): each holds a server thread for its whole life, so
    MAX_EVENT_STREAMS bounds them per process. The app keeps one (app.py), so two apps in one process, as in the
    tests, count apart. A user's streams are counted across processes (StreamLease)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = 0

    def take(self, *, limit: int) -> Callable[[], None]:
        """A slot for one more stream, or 503 EVENT_STREAMS_BUSY; returns its release (safe to call more than
        once)."""
        with self._lock:
            if self._total >= limit:
                raise ServiceUnavailableError(
                    "Too many try-ons are being followed live right now; poll GET /api/job/<job_id> instead",
                    code="EVENT_STREAMS_BUSY",
                    headers={"Retry-After": "5"},
                )
            self._total += 1
        released = threading.Event()

        def release() -> None:
            with self._lock:
                if not released.is_set():
                    released.set()
                    self._total -= 1

        return release


class StreamLease:
    """One open stream counted against its user's MAX_EVENT_STREAMS_PER_USER in the database, which every API
    process shares: renewed every EVENT_STREAM_HEARTBEAT_SECONDS while the stream runs and deleted when it ends;
    a stream whose process died stops counting when its lease runs out (twice that, plus one poll)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._renew_every = settings.EVENT_STREAM_HEARTBEAT_SECONDS
        self._length = 2 * settings.EVENT_STREAM_HEARTBEAT_SECONDS + settings.EVENT_STREAM_POLL_SECONDS
        self._id = secrets.token_urlsafe(24)
        self._renewed = time.monotonic()
        self._released = threading.Event()

    @classmethod
    def take(cls, *, db: Database, settings: Settings, user_id: str) -> "StreamLease":
        """The user's lease on one more stream, or 429 TOO_MANY_STREAMS."""
        lease = cls(db, settings)
        limit = settings.MAX_EVENT_STREAMS_PER_USER
        if not stream_model.take(
            db,
            lease_id=lease._id,
            user_id=user_id,
            limit=limit,
            now=clock.timestamp(),
            lease_until=lease._until(),
        ):
            raise RateLimitedError(
                f"You already follow {limit} try-ons live; close one, or poll GET /api/job/<job_id>",
                code="TOO_MANY_STREAMS",
                details={"limit": limit},
                headers={"Retry-After": "5"},
            )
        return lease

    def renew(self) -> None:
        """Move the lease on once EVENT_STREAM_HEARTBEAT_SECONDS have passed since it last moved."""
        if time.monotonic() - self._renewed >= self._renew_every and not self._released.is_set():
            self._renewed = time.monotonic()
            stream_model.renew(self._db, self._id, self._until())

    def release(self) -> None:
        """Delete the lease (once); should the database refuse, the lease runs out instead."""
        if self._released.is_set():
            return
        self._released.set()
        try:
            stream_model.end(self._db, self._id)
        except Exception:
            log.exception("could not end an event stream's lease; it runs out instead")

    def _until(self) -> str:
        return clock.timestamp(seconds_from_now=self._length)


def open_stream(
    *,
    db: Database,
    settings: Settings,
    slots: StreamSlots,
    user_id: str,
    job_id: str,
    last_event_id: str | None,
) -> StreamStart | None:
    """Check the caller may follow the job and take a stream slot: 404 JOB_NOT_FOUND (not the caller's job),
    429 TOO_MANY_STREAMS, 503 EVENT_STREAMS_BUSY. None when the client already has the final event (nothing
    is left to send)."""
    job = model.get_progress(db, job_id, user_id)
    if job is None:
        raise NotFoundError("No such try-on job", code="JOB_NOT_FOUND")
    current, after = event_id(job), EventId.parse(last_event_id)
    if after is not None and after > current:
        after = None  # not a state this job has been in
    if after is not None and after.final:
        return None
    lease = StreamLease.take(db=db, settings=settings, user_id=user_id)
    try:
        release_slot = slots.take(limit=settings.MAX_EVENT_STREAMS)
    except ServiceUnavailableError:
        lease.release()
        raise

    def release() -> None:
        release_slot()
        lease.release()

    return StreamStart(after=after, renew=lease.renew, release=release)


def follow(
    *,
    db: Database,
    storage: Storage,
    settings: Settings,
    user_id: str,
    job_id: str,
    after: EventId | None,
    client_gone: Callable[[], bool],
    renew: Callable[[], None],
) -> Iterator[str]:
    """The stream's frames: the retry delay, then each new state of the job until its final event, with
    heartbeats between; it ends early when the client has gone or after EVENT_STREAM_MAX_SECONDS. It calls
    renew (its lease's) as it goes. Its end is logged with the number of row reads it made and why it ended."""
    started = last_write = time.monotonic()
    reads, ended = 0, "client closed"
    try:
        yield event_stream.retry(RETRY_MILLISECONDS)
        for frame in _frames(db, storage, user_id, job_id, after):
            reads += 1  # every item is one read of the row
            renew()
            if frame is None:  # nothing new
                now = time.monotonic()
                if now - started >= settings.EVENT_STREAM_MAX_SECONDS:
                    ended = "time limit"
                    yield event_stream.comment("time limit of this stream; reconnect with Last-Event-ID")
                    yield event_stream.retry(RETRY_MILLISECONDS)
                    return
                if now - last_write >= settings.EVENT_STREAM_HEARTBEAT_SECONDS:
                    yield event_stream.comment("keep-alive")
                    last_write = now
                time.sleep(settings.EVENT_STREAM_POLL_SECONDS)
                if client_gone():
                    return
            else:
                yield frame
                last_write = time.monotonic()
        ended = "job ended"
    finally:
        log.info(
            "event stream closed",
            extra={
                "job_id": job_id,
                "row_reads": reads,
                "seconds": round(time.monotonic() - started, 3),
                "ended": ended,
            },
        )


def _frames(
    db: Database, storage: Storage, user_id: str, job_id: str, after: EventId | None
) -> Iterator[str | None]:
    """Reads the job's row each time it is asked for the next item: the event of a state newer than the last
    one sent, None when nothing is new; it ends after the final event."""
    sent, sent_stage, first = after, None, True
    while True:
        job = model.get_progress(db, job_id, user_id)
        if job is None:  # deleted while followed
            final = EventId(sent.run if sent is not None else 0, _FINAL)
            yield event_stream.event("failed", _deleted(job_id), str(final))
            return
        state = event_id(job)
        if sent is not None and state <= sent:
            yield None
            continue
        name = _event_name(job, stage_changed=first or job["stage"] != sent_stage)
        yield event_stream.event(name, _event_data(job, storage), str(state))
        if state.final:
            return
        sent, sent_stage, first = state, job["stage"], False


def _event_name(job: dict[str, Any], *, stage_changed: bool) -> str:
    if job["status"] == model.DONE:
        return "done"
    if job["status"] == model.FAILED:
        return "failed"
    return "stage" if stage_changed else "progress"


def _event_data(job: dict[str, Any], storage: Storage) -> dict[str, Any]:
    """What every event says (as GET /api/job/<id> names it), with the result's URL or the error at the end."""
    data: dict[str, Any] = {
        "job_id": job["job_id"],
        "status": job["status"],
        "stage": job["stage"],
        "progress": job["progress"],
    }
    if job["status"] == model.DONE:
        data["result_url"] = storage.signed_url(job["result_image_path"])
    elif job["status"] == model.FAILED:
        data["error"] = {"code": job["error_code"], "message": job["error_message"]}
    return data


def _deleted(job_id: str) -> dict[str, Any]:
    """The final event of a job deleted while followed: only a queued job can be deleted before it ends."""
    return {
        "job_id": job_id,
        "status": model.FAILED,
        "stage": "queued",
        "progress": 0,
        "error": {"code": "JOB_NOT_FOUND", "message": "This try-on was deleted"},
    }
