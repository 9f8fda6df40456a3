"""tryon_jobs rows: the persistent queue. Every state change is a conditional UPDATE, so two workers
(threads or processes) can never both own a job and a late worker cannot overwrite a timed-out job."""

import json
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from typing import Any, overload

from shared import clock
from shared.database import Database

Job = dict[str, Any]  # a tryon_jobs row with its JSON columns decoded and its `usage`

QUEUED, PROCESSING, DONE, FAILED = "queued", "processing", "done", "failed"
USAGE_COUNTS = ("calls", "prompt_tokens", "output_tokens", "thought_tokens", "total_tokens")
# A job with its usage row (tryon_usage: model, tokens, estimated cost), as `usage_*` columns.
_SELECT_JOB = (
    "SELECT j.*, u.model AS usage_model, u.cost_usd AS usage_cost_usd, "
    "u.model_seconds AS usage_model_seconds, "
    + ", ".join(f"u.{name} AS usage_{name}" for name in USAGE_COUNTS)
    + " FROM tryon_jobs j LEFT JOIN tryon_usage u ON u.job_id = j.job_id"
)


def insert(
    db: Database,
    *,
    job_id: str,
    user_id: str,
    kind: str,
    inputs: Mapping[str, Any],
    options: Mapping[str, Any],
    person_image_path: str | None,
    garment_image_path: str | None,
) -> None:
    """The job row and its usage row (what the daily limit counts); call inside a transaction."""
    now = clock.timestamp()
    db.execute_query(
        "INSERT INTO tryon_jobs (job_id, user_id, kind, status, progress, stage, person_image_path, "
        "garment_image_path, inputs, options, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 'queued', ?, ?, ?, ?, ?, ?)",
        (
            job_id,
            user_id,
            kind,
            QUEUED,
            person_image_path,
            garment_image_path,
            json.dumps(inputs),
            json.dumps(options),
            now,
            now,
        ),
    )
    db.execute_query(
        "INSERT INTO tryon_usage (job_id, user_id, day, created_at) VALUES (?, ?, ?, ?)",
        (job_id, user_id, utc_day(now), now),
    )


def may_have_callback(job: Job) -> bool:
    """Whether the job was accepted with a callback (inputs.callback); a job accepted before that was recorded
    may have one."""
    return bool(job["inputs"].get("callback", True))


def utc_day(iso_moment: str | None = None) -> str:
    """The UTC date (YYYY-MM-DD) of a stored timestamp (shared/clock.py), or of now."""
    return (iso_moment or clock.timestamp())[:10]


def admission_counts(db: Database, user_id: str, day: str) -> dict[str, int]:
    """What admission checks, in one statement (it runs while admissions wait for each other): try-ons the user
    started on a UTC day (deleted ones included), jobs waiting in the queue, and the user's jobs in flight."""
    counts = db.execute_query(
        "SELECT (SELECT COUNT(*) FROM tryon_usage WHERE user_id = ? AND day = ?) AS accepted_today, "
        "(SELECT COUNT(*) FROM tryon_jobs WHERE status = ?) AS waiting, "
        "(SELECT COUNT(*) FROM tryon_jobs WHERE user_id = ? AND status IN (?, ?)) AS in_flight",
        (user_id, day, QUEUED, user_id, QUEUED, PROCESSING),
        fetch_one=True,
    )
    assert counts is not None  # a SELECT without FROM always answers one row
    return counts


def record_usage(db: Database, job_id: str, *, provider: str | None, usage: Mapping[str, Any] | None) -> None:
    """The provider, model, token counts, estimated cost and model seconds a job's AI calls used."""
    usage = usage or {}
    db.execute_query(
        "UPDATE tryon_usage SET provider = ?, model = ?, cost_usd = ?, model_seconds = ?, "
        + ", ".join(f"{name} = ?" for name in USAGE_COUNTS)
        + " WHERE job_id = ?",
        (
            provider,
            usage.get("model"),
            usage.get("estimated_cost_usd"),
            usage.get("model_seconds"),
            *(usage.get(name) or 0 for name in USAGE_COUNTS),
            job_id,
        ),
    )


def forget_usage(db: Database, job_id: str) -> None:
    """A job cancelled before it ran used nothing: it no longer counts towards the daily limit."""
    db.execute_query("DELETE FROM tryon_usage WHERE job_id = ?", (job_id,))


def get(db: Database, job_id: str) -> Job | None:
    row: dict[str, Any] | None = db.execute_query(
        f"{_SELECT_JOB} WHERE j.job_id = ?", (job_id,), fetch_one=True
    )
    return _decode(row)


def get_for_user(db: Database, job_id: str, user_id: str) -> Job | None:
    row: dict[str, Any] | None = db.execute_query(
        f"{_SELECT_JOB} WHERE j.job_id = ? AND j.user_id = ?", (job_id, user_id), fetch_one=True
    )
    return _decode(row)


def get_progress(db: Database, job_id: str, user_id: str) -> dict[str, Any] | None:
    """What a job's event stream reads every poll: its state columns only, by primary key (no JSON to decode,
    no usage row to join)."""
    row: dict[str, Any] | None = db.execute_query(
        "SELECT job_id, status, stage, progress, attempts, result_image_path, error_code, error_message "
        "FROM tryon_jobs WHERE job_id = ? AND user_id = ?",
        (job_id, user_id),
        fetch_one=True,
    )
    return row


def list_for_user(
    db: Database, user_id: str, *, status: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[Job], int]:
    where, params = "j.user_id = ?", [user_id]
    if status:
        where += " AND j.status = ?"
        params.append(status)
    counted = db.execute_query(
        f"SELECT COUNT(*) AS n FROM tryon_jobs j WHERE {where}", params, fetch_one=True
    )
    assert counted is not None  # COUNT(*) always answers one row
    total: int = counted["n"]
    rows: list[dict[str, Any]] = db.execute_query(
        f"{_SELECT_JOB} WHERE {where} ORDER BY j.created_at DESC, j.job_id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
        fetch_all=True,
    )
    return [_decode(row) for row in rows], total


def count_waiting(db: Database) -> int:
    counted = db.execute_query(
        "SELECT COUNT(*) AS n FROM tryon_jobs WHERE status = ?", (QUEUED,), fetch_one=True
    )
    assert counted is not None  # COUNT(*) always answers one row
    waiting: int = counted["n"]
    return waiting


def oldest_queued(db: Database, limit: int, exclude_users: Collection[str] = ()) -> list[dict[str, Any]]:
    """(job_id, user_id) rows of the oldest queued jobs, skipping those of the users named."""
    skip = f" AND user_id NOT IN ({', '.join('?' * len(exclude_users))})" if exclude_users else ""
    rows: list[dict[str, Any]] = db.execute_query(
        f"SELECT job_id, user_id FROM tryon_jobs WHERE status = ?{skip} ORDER BY created_at, job_id LIMIT ?",
        (QUEUED, *exclude_users, limit),
        fetch_all=True,
    )
    return rows


def claim(db: Database, job_id: str) -> Job | None:
    """Move a queued job to processing; returns the job if this caller won it, else None."""
    won = claim_many(db, [job_id])
    return won[0] if won else None


def claim_many(db: Database, job_ids: Collection[str]) -> list[Job]:
    """Move the queued jobs among job_ids to processing in one statement; the jobs this caller won, oldest first
    (another worker may have won some; those are left out)."""
    now = clock.timestamp()
    rows: list[dict[str, Any]] = db.execute_query(
        "UPDATE tryon_jobs SET status = ?, stage = 'starting', progress = 5, attempts = attempts + 1, "
        f"started_at = ?, updated_at = ? WHERE job_id IN ({', '.join('?' * len(job_ids))}) AND status = ? "
        "RETURNING *",
        (PROCESSING, now, now, *job_ids, QUEUED),
        fetch_all=True,
    )
    return sorted((_decode(row) for row in rows), key=lambda job: (job["created_at"], job["job_id"]))


def set_stage(
    db: Database,
    job_id: str,
    attempt: int,
    stage: str,
    progress: int,
    garments: list[dict[str, Any]] | None = None,
) -> bool:
    """Record progress, and with garments what the job found out about them (type, type_source, photo_type, in
    input order) in the same write; False when the job is no longer ours (timed out, deleted)."""
    garments_column = ", garments = ?" if garments is not None else ""
    changed: int = db.execute_query(
        f"UPDATE tryon_jobs SET stage = ?, progress = ?{garments_column}, updated_at = ? "
        "WHERE job_id = ? AND status = ? AND attempts = ?",
        (
            stage,
            progress,
            *([json.dumps(garments)] if garments is not None else []),
            clock.timestamp(),
            job_id,
            PROCESSING,
            attempt,
        ),
    )
    return changed == 1


def mark_done(db: Database, job_id: str, attempt: int, *, result_image_path: str, provider: str) -> bool:
    now = clock.timestamp()
    changed: int = db.execute_query(
        "UPDATE tryon_jobs SET status = ?, stage = 'done', progress = 100, result_image_path = ?, provider = ?, "
        "finished_at = ?, updated_at = ? WHERE job_id = ? AND status = ? AND attempts = ?",
        (DONE, result_image_path, provider, now, now, job_id, PROCESSING, attempt),
    )
    return changed == 1


def mark_failed(
    db: Database,
    job_id: str,
    attempt: int,
    *,
    code: str,
    message: str,
    provider: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> bool:
    now = clock.timestamp()
    changed: int = db.execute_query(
        "UPDATE tryon_jobs SET status = ?, error_code = ?, error_message = ?, error_details = ?, "
        "provider = COALESCE(?, provider), finished_at = ?, updated_at = ? "
        "WHERE job_id = ? AND status = ? AND attempts = ?",
        (
            FAILED,
            code,
            message,
            json.dumps(details, default=str) if details else None,
            provider,
            now,
            now,
            job_id,
            PROCESSING,
            attempt,
        ),
    )
    return changed == 1


def mark_timed_out(
    db: Database, job_id: str, attempt: int, timeout_seconds: float, provider: str | None = None
) -> bool:
    return mark_failed(
        db,
        job_id,
        attempt,
        code="TIMEOUT",
        provider=provider,
        message=f"The try-on took longer than {timeout_seconds:g} s and was stopped; please try again",
    )


def has_overdue(db: Database, timeout_seconds: float, grace_seconds: float) -> bool:
    """Whether a job is still processing grace_seconds after its timeout (what fail_overdue and recover_overdue
    act on): a read, so the maintenance loop opens a transaction only when there is something to end."""
    cutoff = clock.timestamp(seconds_from_now=-(timeout_seconds + grace_seconds))
    return bool(
        db.execute_query(
            "SELECT 1 AS overdue FROM tryon_jobs WHERE status = ? AND started_at < ? LIMIT 1",
            (PROCESSING, cutoff),
            fetch_one=True,
        )
    )


def fail_overdue(db: Database, timeout_seconds: float, grace_seconds: float) -> list[str]:
    """Fail every job still processing grace_seconds after its timeout (its worker never let go); their ids."""
    cutoff = clock.timestamp(seconds_from_now=-(timeout_seconds + grace_seconds))
    rows = db.execute_query(
        "SELECT job_id, attempts FROM tryon_jobs WHERE status = ? AND started_at < ?",
        (PROCESSING, cutoff),
        fetch_all=True,
    )
    return [
        row["job_id"] for row in rows if mark_timed_out(db, row["job_id"], row["attempts"], timeout_seconds)
    ]


def recover_overdue(
    db: Database, timeout_seconds: float, grace_seconds: float, max_attempts: int
) -> tuple[list[str], list[str]]:
    """Jobs processing grace_seconds past the timeout (a live worker fails its job at the timeout, so their worker
    process died): queue again once, then fail."""
    cutoff, now = clock.timestamp(seconds_from_now=-(timeout_seconds + grace_seconds)), clock.timestamp()
    rows = db.execute_query(
        "SELECT job_id, attempts FROM tryon_jobs WHERE status = ? AND started_at < ?",
        (PROCESSING, cutoff),
        fetch_all=True,
    )
    requeued: list[str] = []
    failed: list[str] = []
    for row in rows:
        if row["attempts"] < max_attempts:
            if (
                db.execute_query(
                    "UPDATE tryon_jobs SET status = ?, stage = 'queued', progress = 0, updated_at = ? "
                    "WHERE job_id = ? AND status = ? AND attempts = ?",
                    (QUEUED, now, row["job_id"], PROCESSING, row["attempts"]),
                )
                == 1
            ):
                requeued.append(row["job_id"])
        elif mark_failed(
            db,
            row["job_id"],
            row["attempts"],
            code="WORKER_LOST",
            message="The worker generating this try-on stopped twice; please start it again",
        ):
            failed.append(row["job_id"])
    return requeued, failed


def queued_before(db: Database, age_seconds: float) -> list[str]:
    rows = db.execute_query(
        "SELECT job_id FROM tryon_jobs WHERE status = ? AND updated_at < ?",
        (QUEUED, clock.timestamp(seconds_from_now=-age_seconds)),
        fetch_all=True,
    )
    return [row["job_id"] for row in rows]


def recover_interrupted(db: Database, max_attempts: int) -> tuple[int, list[str]]:
    """After a restart: jobs left processing are queued again once, then failed with a reason; how many were
    queued again and the ids of those failed."""
    now = clock.timestamp()
    with db.transaction():
        requeued: int = db.execute_query(
            "UPDATE tryon_jobs SET status = ?, stage = 'queued', progress = 0, updated_at = ? "
            "WHERE status = ? AND attempts < ?",
            (QUEUED, now, PROCESSING, max_attempts),
        )
        failed = db.execute_query(
            "UPDATE tryon_jobs SET status = ?, error_code = 'WORKER_LOST', error_message = ?, finished_at = ?, "
            "updated_at = ? WHERE status = ? RETURNING job_id",
            (
                FAILED,
                "The server restarted twice while working on this try-on; please start it again",
                now,
                now,
                PROCESSING,
            ),
            fetch_all=True,
        )
    return requeued, [row["job_id"] for row in failed]


def delete_unless_processing(db: Database, job_id: str, user_id: str) -> bool:
    deleted: int = db.execute_query(
        "DELETE FROM tryon_jobs WHERE job_id = ? AND user_id = ? AND status <> ?",
        (job_id, user_id, PROCESSING),
    )
    return deleted == 1


def delete_for_user(db: Database, user_id: str) -> None:
    db.execute_query("DELETE FROM tryon_jobs WHERE user_id = ?", (user_id,))


def recent_durations(db: Database, limit: int = 20) -> list[float]:
    """Seconds from start to finish of the most recently accepted successful jobs (in the order of the status
    index, so every POST reads `limit` rows, not every finished job there ever was)."""
    rows = db.execute_query(
        "SELECT started_at, finished_at FROM tryon_jobs WHERE status = ? "
        "AND started_at IS NOT NULL ORDER BY created_at DESC LIMIT ?",
        (DONE, limit),
        fetch_all=True,
    )
    return [(_moment(r["finished_at"]) - _moment(r["started_at"])).total_seconds() for r in rows]


def finished_with_inputs_before(db: Database, cutoff_iso: str, limit: int = 200) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = db.execute_query(
        "SELECT job_id, user_id FROM tryon_jobs WHERE status IN (?, ?) AND finished_at < ? "
        "AND person_image_path IS NOT NULL LIMIT ?",
        (DONE, FAILED, cutoff_iso, limit),
        fetch_all=True,
    )
    return rows


def forget_inputs(db: Database, job_id: str) -> None:
    db.execute_query(
        "UPDATE tryon_jobs SET person_image_path = NULL, garment_image_path = NULL, updated_at = ? "
        "WHERE job_id = ?",
        (clock.timestamp(), job_id),
    )


def _moment(text: str) -> datetime:
    """A timestamp column that is set (a finished job's start and finish)."""
    moment = clock.parse(text)
    assert moment is not None
    return moment


@overload
def _decode(row: None) -> None: ...
@overload
def _decode(row: Mapping[str, Any]) -> Job: ...
def _decode(row: Mapping[str, Any] | None) -> Job | None:
    if row is None:
        return None
    row = dict(row)
    row["inputs"] = json.loads(row["inputs"]) if row.get("inputs") else {}
    row["options"] = json.loads(row["options"]) if row.get("options") else {}
    row["garments"] = json.loads(row["garments"]) if row.get("garments") else None
    row["error_details"] = json.loads(row["error_details"]) if row.get("error_details") else {}
    row["usage"] = None
    if row.get("usage_calls"):
        row["usage"] = {
            "model": row["usage_model"],
            **{name: row[f"usage_{name}"] for name in USAGE_COUNTS},
            "estimated_cost_usd": row["usage_cost_usd"],
            "model_seconds": row["usage_model_seconds"],
        }
    return row


def stored_paths(db: Database) -> Iterator[str]:
    """Every value of a job's row that may name a stored file: its path columns, and every text in its JSON (the
    inputs: person, garment photos, client pages; what it found out about the garments; its options), so a
    file a later version records elsewhere in them is still seen as in use."""
    rows = db.execute_query(
        "SELECT person_image_path, garment_image_path, result_image_path, inputs, garments, options "
        "FROM tryon_jobs",
        fetch_all=True,
    )
    for row in rows:
        yield from (row[column] for column in _PATH_COLUMNS if row[column])
        for column in _JSON_COLUMNS:
            if row[column]:
                yield from _texts(json.loads(row[column]))


_PATH_COLUMNS = ("person_image_path", "garment_image_path", "result_image_path")
_JSON_COLUMNS = ("inputs", "garments", "options")


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
