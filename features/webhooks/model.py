"""webhook_endpoints (an account's default URL and signing secret) and webhook_deliveries (the outbox).

A delivery is written with its job (`waiting`), made due in the transaction that ends the job (`pending`),
leased by one deliverer at a time (a conditional UPDATE, like the job queue's claims) and ends `delivered` or
`failed`. Every change after the lease names the lease's token, so a deliverer whose lease ran out (and
whose row another process took) cannot overwrite what that one recorded.
"""

import uuid
from collections.abc import Collection
from typing import Any

from shared import clock
from shared.database import Database

WAITING, PENDING, DELIVERED, FAILED = "waiting", "pending", "delivered", "failed"


def get_endpoint(db: Database, user_id: str) -> dict[str, Any] | None:
    return db.execute_query("SELECT * FROM webhook_endpoints WHERE user_id = ?", (user_id,), fetch_one=True)


def create_endpoint(db: Database, user_id: str, secret: str) -> None:
    """The account's row with its first secret; a row another request made first is kept."""
    now = clock.timestamp()
    db.execute_query(
        "INSERT INTO webhook_endpoints (user_id, url, secret, created_at, updated_at) VALUES (?, NULL, ?, ?, ?) "
        "ON CONFLICT (user_id) DO NOTHING",
        (user_id, secret, now, now),
    )


def set_url(db: Database, user_id: str, url: str | None) -> None:
    db.execute_query(
        "UPDATE webhook_endpoints SET url = ?, updated_at = ? WHERE user_id = ?",
        (url, clock.timestamp(), user_id),
    )


def set_secret(db: Database, user_id: str, secret: str) -> None:
    db.execute_query(
        "UPDATE webhook_endpoints SET secret = ?, updated_at = ? WHERE user_id = ?",
        (secret, clock.timestamp(), user_id),
    )


def insert_delivery(db: Database, *, job_id: str, user_id: str, url: str) -> None:
    """The callback of a job just accepted: it waits for the job to end."""
    now = clock.timestamp()
    db.execute_query(
        "INSERT INTO webhook_deliveries (delivery_id, job_id, user_id, url, status, attempts, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
        (str(uuid.uuid4()), job_id, user_id, url, WAITING, now, now),
    )


def make_due(db: Database, job_ids: Collection[str]) -> None:
    """The jobs ended: their waiting callbacks are due now."""
    now = clock.timestamp()
    db.execute_query(
        "UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, updated_at = ? "
        f"WHERE job_id IN ({', '.join('?' * len(job_ids))}) AND status = ?",
        (PENDING, now, now, *job_ids, WAITING),
    )


def for_jobs(db: Database, job_ids: Collection[str]) -> dict[str, dict[str, Any]]:
    """The delivery of each of these jobs that has one, by job id."""
    rows: list[dict[str, Any]] = db.execute_query(
        f"SELECT * FROM webhook_deliveries WHERE job_id IN ({', '.join('?' * len(job_ids))})",
        tuple(job_ids),
        fetch_all=True,
    )
    return {row["job_id"]: row for row in rows}


def lease_due(db: Database, limit: int, lease_seconds: float) -> list[dict[str, Any]]:
    """Lease up to `limit` due deliveries (pending, their time come, no live lease) to this caller for
    lease_seconds; the rows it won (another deliverer may win some of those it saw)."""
    now = clock.timestamp()
    due = db.execute_query(
        "SELECT delivery_id FROM webhook_deliveries WHERE status = ? AND next_attempt_at <= ? "
        "AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at LIMIT ?",
        (PENDING, now, now, limit),
        fetch_all=True,
    )
    if not due:
        return []
    rows: list[dict[str, Any]] = db.execute_query(
        "UPDATE webhook_deliveries SET lease_until = ?, lease_token = ? "
        f"WHERE delivery_id IN ({', '.join('?' * len(due))}) AND status = ? "
        "AND (lease_until IS NULL OR lease_until < ?) RETURNING *",
        (
            clock.timestamp(seconds_from_now=lease_seconds),
            uuid.uuid4().hex,
            *(row["delivery_id"] for row in due),
            PENDING,
            now,
        ),
        fetch_all=True,
    )
    return rows


def record_attempt(
    db: Database,
    delivery: dict[str, Any],
    *,
    status: str,
    last_status: int | None,
    last_error: str | None,
    next_attempt_at: str | None,
) -> bool:
    """One attempt of a leased delivery: its outcome and what comes next (the lease ends); False when the
    lease was lost to another deliverer."""
    now = clock.timestamp()
    changed: int = db.execute_query(
        "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status = ?, last_error = ?, "
        "next_attempt_at = ?, lease_until = NULL, lease_token = NULL, updated_at = ?, finished_at = ? "
        "WHERE delivery_id = ? AND lease_token = ?",
        (
            status,
            last_status,
            last_error,
            next_attempt_at,
            now,
            now if status in (DELIVERED, FAILED) else None,
            delivery["delivery_id"],
            delivery["lease_token"],
        ),
    )
    return changed == 1


def delete_finished_before(db: Database, cutoff_iso: str) -> int:
    deleted: int = db.execute_query(
        "DELETE FROM webhook_deliveries WHERE status IN (?, ?) AND finished_at < ?",
        (DELIVERED, FAILED, cutoff_iso),
    )
    return deleted
