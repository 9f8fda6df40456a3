"""The login_failures table: failed password checks per (account, client address), for the login delay.

Each function is one statement, correct with any number of processes at once: the count is an upsert,
and a delayed client's turn is a conditional UPDATE that only one of its simultaneous attempts wins.
"""

from typing import Any

from shared.database import Database


def counts(db: Database, *, account_key: str, client_key: str, since: str) -> dict[str, Any]:
    """{"total": failures on the account, "mine": this client's, "my_last": its last failure} since `since`."""
    row = db.execute_query(
        "SELECT COALESCE(SUM(failures), 0) AS total,"
        " COALESCE(MAX(CASE WHEN client_key = ? THEN failures END), 0) AS mine,"
        " MAX(CASE WHEN client_key = ? THEN last_failure_at END) AS my_last"
        " FROM login_failures WHERE account_key = ? AND last_failure_at >= ?",
        (client_key, client_key, account_key, since),
        fetch_one=True,
    )
    assert row is not None  # an aggregate without GROUP BY always answers one row
    return row


def take_turn(db: Database, *, account_key: str, client_key: str, last_seen: str, now: str) -> bool:
    """Move the client's last failure to now if it is still `last_seen`; False when another attempt of the
    same client took the turn first."""
    changed: int = db.execute_query(
        "UPDATE login_failures SET last_failure_at = ? WHERE account_key = ? AND client_key = ? "
        "AND last_failure_at = ?",
        (now, account_key, client_key, last_seen),
    )
    return changed == 1


def add_failure(db: Database, *, account_key: str, client_key: str, now: str, since: str) -> None:
    """Count one failure (failures older than `since` start again from one), then drop every expired row."""
    db.execute_query(
        "INSERT INTO login_failures (account_key, client_key, failures, last_failure_at) VALUES (?, ?, 1, ?)"
        " ON CONFLICT (account_key, client_key) DO UPDATE SET"
        " failures = CASE WHEN login_failures.last_failure_at < ? THEN 1 ELSE login_failures.failures + 1 END,"
        " last_failure_at = excluded.last_failure_at",
        (account_key, client_key, now, since),
    )
    db.execute_query("DELETE FROM login_failures WHERE last_failure_at < ?", (since,))


def clear(db: Database, *, account_key: str, client_key: str) -> None:
    db.execute_query(
        "DELETE FROM login_failures WHERE account_key = ? AND client_key = ?", (account_key, client_key)
    )
