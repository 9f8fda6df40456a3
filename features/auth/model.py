"""Auth's tables. login_failures: failed password checks per (account, client address), for the login delay;
password_resets: the emailed reset codes, by their HMAC.

Each function is one statement, correct with any number of processes at once: the count is an upsert,
and a delayed client's turn (or a reset code's one use) is a conditional UPDATE that only one of the
simultaneous attempts wins.
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


# --- password_resets: one row per emailed reset code, keyed by the code's HMAC ---


def add_reset(db: Database, *, token_hash: str, userid: str, now: str, expires_at: str) -> None:
    """Store a new code's HMAC for the user, then drop every expired code (of anyone)."""
    db.execute_query(
        "INSERT INTO password_resets (token_hash, userid, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (token_hash, userid, now, expires_at),
    )
    db.execute_query("DELETE FROM password_resets WHERE expires_at <= ?", (now,))


def usable_reset(db: Database, *, token_hash: str, now: str) -> dict[str, Any] | None:
    """The row of an unused, unexpired code ({userid, expires_at}), else None."""
    row: dict[str, Any] | None = db.execute_query(
        "SELECT userid, expires_at FROM password_resets"
        " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        (token_hash, now),
        fetch_one=True,
    )
    return row


def use_reset(db: Database, *, token_hash: str, now: str) -> bool:
    """Mark the code used if it still is usable; False when it is not (another request used it first)."""
    changed: int = db.execute_query(
        "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        (now, token_hash, now),
    )
    return changed == 1


def use_all_resets(db: Database, *, userid: str, now: str) -> None:
    """Mark every outstanding code of the user used (the password they were sent for has changed)."""
    db.execute_query(
        "UPDATE password_resets SET used_at = ? WHERE userid = ? AND used_at IS NULL", (now, userid)
    )
