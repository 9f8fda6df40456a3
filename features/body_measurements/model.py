"""body_measurements rows (one per user)."""

from typing import Any

from features.body_measurements.fields import MEASUREMENT_FIELDS
from shared import clock
from shared.database import Database


def get_by_user(db: Database, user_id: str) -> dict[str, Any] | None:
    row: dict[str, Any] | None = db.execute_query(
        "SELECT * FROM body_measurements WHERE user_id = ?", (user_id,), fetch_one=True
    )
    return row


def upsert(db: Database, user_id: str, values: dict[str, float | None]) -> tuple[dict[str, Any], bool]:
    """Insert or update the given metric values; fields not given keep their stored value.

    The insert gives way to a row that exists (or that a simultaneous request is inserting: it waits for that
    one), and then the row is updated, so two first saves never both insert.
    """
    now = clock.timestamp()
    columns = ["user_id", *values.keys(), "unit", "created_at", "updated_at"]
    with db.transaction():
        inserted: int = db.execute_query(
            f"INSERT INTO body_measurements ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
            "ON CONFLICT (user_id) DO NOTHING",
            (user_id, *values.values(), "metric", now, now),
        )
        created = inserted == 1
        if not created:
            assignments = "".join(f"{name} = ?, " for name in values)
            db.execute_query(
                f"UPDATE body_measurements SET {assignments}unit = 'metric', updated_at = ? "
                "WHERE user_id = ?",
                (*values.values(), now, user_id),
            )
    row = get_by_user(db, user_id)
    assert row is not None  # written just above, and rows are only deleted with their user
    return row, created


def to_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "user_id": row["user_id"],
        **{name: row[name] for name in MEASUREMENT_FIELDS},
        "unit": "metric",
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
