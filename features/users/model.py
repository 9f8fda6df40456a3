"""The users table: the users feature owns it; sign-in, the auth decorators and other features read it."""

from collections.abc import Mapping
from typing import Any

from shared import clock
from shared.database import Database

PROFILE_FIELDS = ("first_name", "last_name", "gender", "birthday", "street", "city")
_COLUMNS = (
    "id",
    "userid",
    "email",
    "password",
    "first_name",
    "last_name",
    "gender",
    "birthday",
    "street",
    "city",
    "avatar_path",
    "body_avatar_path",
    "body_avatar_key",
    "is_active",
    "token_version",
    "created_at",
    "updated_at",
)
_SIGNED_IN = (
    f"SELECT {', '.join('u.' + column for column in _COLUMNS)}, s.ended_at AS session_ended_at,"
    " s.end_reason AS session_end_reason, s.expires_at AS session_expires_at"
    " FROM users u LEFT JOIN sessions s ON s.id = ? AND s.user_id = u.userid WHERE u.userid = ?"
)


def get_by_userid(db: Database, userid: str) -> dict[str, Any] | None:
    row: dict[str, Any] | None = db.execute_query(
        f"SELECT {', '.join(_COLUMNS)} FROM users WHERE userid = ?", (userid,), fetch_one=True
    )
    return row


def get_signed_in(db: Database, userid: str, session_id: str | None) -> dict[str, Any] | None:
    """The users row of a request's caller with the state of the session its token names (session_ended_at,
    session_end_reason, session_expires_at: all None when it names none or the row is gone): one statement,
    because every authenticated request runs it (the sessions table is auth's: features/auth/session_model.py)."""
    row: dict[str, Any] | None = db.execute_query(_SIGNED_IN, (session_id, userid), fetch_one=True)
    return row


def get_by_email(db: Database, email: str) -> dict[str, Any] | None:
    row: dict[str, Any] | None = db.execute_query(
        f"SELECT {', '.join(_COLUMNS)} FROM users WHERE email = ?", (email,), fetch_one=True
    )
    return row


def insert(
    db: Database, *, userid: str, email: str, password_hash: str, profile: Mapping[str, Any]
) -> dict[str, Any]:
    now = clock.timestamp()
    columns = ["userid", "email", "password", *profile.keys(), "created_at", "updated_at"]
    values = [userid, email, password_hash, *profile.values(), now, now]
    db.execute_insert(
        f"INSERT INTO users ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", values
    )
    row = get_by_userid(db, userid)
    assert row is not None  # inserted just above, in the caller's transaction
    return row


def lock(db: Database, userid: str) -> dict[str, Any] | None:
    """Inside a block: the user's row, locked until the block ends, so the user's check-then-write steps
    (a free name, an unused section, the previous avatar) run one at a time."""
    row: dict[str, Any] | None = db.lock_row("users", userid=userid)
    return row


def update(db: Database, userid: str, changes: Mapping[str, Any]) -> dict[str, Any] | None:
    """Update the given columns (names come from code, never from the client)."""
    if not changes:
        return get_by_userid(db, userid)
    changes = {**changes, "updated_at": clock.timestamp()}
    assignments = ", ".join(f"{column} = ?" for column in changes)
    db.execute_query(f"UPDATE users SET {assignments} WHERE userid = ?", (*changes.values(), userid))
    return get_by_userid(db, userid)


def change_password(db: Database, userid: str, password_hash: str) -> None:
    """Store the new hash and invalidate every token issued before now."""
    db.execute_query(
        "UPDATE users SET password = ?, token_version = token_version + 1, updated_at = ? WHERE userid = ?",
        (password_hash, clock.timestamp(), userid),
    )


def delete(db: Database, userid: str) -> None:
    db.execute_query("DELETE FROM users WHERE userid = ?", (userid,))


def to_public_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """What clients may see of a user: never the password hash or the token version."""
    return {
        "id": row["id"],
        "userid": row["userid"],
        "user_id": row["userid"],
        "email": row["email"],
        **{name: row[name] for name in PROFILE_FIELDS},
        "is_active": bool(row["is_active"]),
        "has_avatar": bool(row["avatar_path"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def stored_image_paths(db: Database) -> list[str]:
    """Every image path a user's row holds: the avatar and the body built from it."""
    rows = db.execute_query(
        "SELECT avatar_path, body_avatar_path FROM users "
        "WHERE avatar_path IS NOT NULL OR body_avatar_path IS NOT NULL",
        fetch_all=True,
    )
    return [path for row in rows for path in (row["avatar_path"], row["body_avatar_path"]) if path]
