"""The sessions table: one row per signed-in device, with the hash of its current refresh token and the seed
its refresh tokens are derived from (features/auth/sessions.py).

Each change is one statement, correct with any number of processes at once: a rotation is a conditional
UPDATE on the hash it replaces (of two refreshes with the same token, one changes the row), and ending a
session is a conditional UPDATE on `ended_at IS NULL`. The auth decorators read a session together with its
user (features/users/model.py get_signed_in), so checking it costs no statement of its own.
"""

from typing import Any

from shared.database import Database, Row

_LISTED = "id, device, created_at, last_used_at, expires_at"


def insert(
    db: Database,
    *,
    session_id: str,
    user_id: str,
    device: str | None,
    token_seed: str,
    refresh_hash: str,
    now: str,
    expires_at: str,
) -> None:
    """Start a session, then delete every session whose refresh token has expired (so rows never pile up)."""
    db.execute_query(
        "INSERT INTO sessions (id, user_id, device, created_at, last_used_at, expires_at, token_seed,"
        " refresh_hash, generation, rotated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        (session_id, user_id, device, now, now, expires_at, token_seed, refresh_hash, now),
    )
    db.execute_query("DELETE FROM sessions WHERE expires_at <= ?", (now,))


def get(db: Database, session_id: str) -> Row | None:
    return db.execute_query("SELECT * FROM sessions WHERE id = ?", (session_id,), fetch_one=True)


def rotate(
    db: Database, *, session_id: str, presented_hash: str, new_hash: str, now: str, expires_at: str
) -> bool:
    """Replace the live session's refresh token if it is still `presented_hash`; False when it is not (used,
    ended, expired), so of simultaneous refreshes with one token exactly one succeeds."""
    changed: int = db.execute_query(
        "UPDATE sessions SET previous_hash = refresh_hash, refresh_hash = ?, generation = generation + 1,"
        " rotated_at = ?, last_used_at = ?, expires_at = ?"
        " WHERE id = ? AND refresh_hash = ? AND ended_at IS NULL AND expires_at > ?",
        (new_hash, now, now, expires_at, session_id, presented_hash, now),
    )
    return changed == 1


def end(db: Database, session_id: str, *, reason: str, now: str, user_id: str | None = None) -> bool:
    """End the live session (of user_id, when given); False when there is none to end."""
    changed: int = db.execute_query(
        "UPDATE sessions SET ended_at = ?, end_reason = ?"
        " WHERE id = ? AND ended_at IS NULL AND expires_at > ? AND user_id = COALESCE(?, user_id)",
        (now, reason, session_id, now, user_id),
    )
    return changed == 1


def end_all(db: Database, user_id: str, *, keep: str | None, reason: str, now: str) -> int:
    """End every live session of the user except `keep`; how many ended."""
    changed: int = db.execute_query(
        "UPDATE sessions SET ended_at = ?, end_reason = ?"
        " WHERE user_id = ? AND ended_at IS NULL AND id <> COALESCE(?, '')",
        (now, reason, user_id, keep),
    )
    return changed


def live(db: Database, user_id: str, *, now: str) -> list[dict[str, Any]]:
    """The user's sessions that are neither ended nor expired, the most recently used first."""
    return db.execute_query(
        f"SELECT {_LISTED} FROM sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?"
        " ORDER BY last_used_at DESC, created_at DESC",
        (user_id, now),
        fetch_all=True,
    )
