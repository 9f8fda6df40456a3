"""wardrobe rows (items) ↔ dicts. Every query is scoped to one user."""

import json
from collections.abc import Iterable, Mapping
from typing import Any

from features.wardrobe.category_model import like_pattern
from shared import clock
from shared.database import Database, SqlValue
from shared.garment_catalog import garment_type_of

_SELECT = (
    "SELECT w.*, c.name AS user_category_name, c.category_section AS user_category_section "
    "FROM wardrobe w LEFT JOIN wardrobe_categories c ON c.id = w.category_id"
)
_SEARCHED_COLUMNS = ("w.title", "w.brand", "w.description")


def get(db: Database, user_id: str, item_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = db.execute_query(
        f"{_SELECT} WHERE w.id = ? AND w.user_id = ?", (item_id, user_id), fetch_one=True
    )
    return row


def list_for_user(
    db: Database,
    user_id: str,
    *,
    limit: int,
    offset: int,
    platform_category: str | None = None,
    category_ids: Iterable[int] = (),
    section: str | None = None,
    search: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """(rows newest first, total count matching every filter given)."""
    clauses: list[str] = ["w.user_id = ?"]
    params: list[SqlValue] = [user_id]
    if platform_category:
        clauses.append("w.category = ?")
        params.append(platform_category)
    for category_id in category_ids:
        clauses.append("w.category_id = ?")
        params.append(category_id)
    if section:
        clauses.append("w.category_section = ?")
        params.append(section)
    if search:
        clauses.append(
            "("
            + " OR ".join(f"LOWER(COALESCE({column}, '')) LIKE ? ESCAPE '\\'" for column in _SEARCHED_COLUMNS)
            + ")"
        )
        params.extend([like_pattern(search)] * len(_SEARCHED_COLUMNS))
    where = " WHERE " + " AND ".join(clauses)
    counted = db.execute_query(f"SELECT COUNT(*) AS n FROM wardrobe w{where}", params, fetch_one=True)
    assert counted is not None  # COUNT(*) always answers one row
    total: int = counted["n"]
    rows: list[dict[str, Any]] = db.execute_query(
        f"{_SELECT}{where} ORDER BY w.created_at DESC, w.id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
        fetch_all=True,
    )
    return rows, total


def insert(db: Database, user_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    now = clock.timestamp()
    columns_values = _to_columns(values)
    columns = ["user_id", *columns_values, "date_added", "created_at", "updated_at"]
    item_id = db.execute_insert(
        f"INSERT INTO wardrobe ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        (user_id, *columns_values.values(), now, now, now),
    )
    assert item_id is not None  # wardrobe has an integer id
    row = get(db, user_id, item_id)
    assert row is not None  # inserted just above
    return row


def update(db: Database, user_id: str, item_id: int, changes: Mapping[str, Any]) -> dict[str, Any] | None:
    """Update the given columns (names come from code, never from the client)."""
    changes = {**_to_columns(changes), "updated_at": clock.timestamp()}
    assignments = ", ".join(f"{column} = ?" for column in changes)
    db.execute_query(
        f"UPDATE wardrobe SET {assignments} WHERE id = ? AND user_id = ?",
        (*changes.values(), item_id, user_id),
    )
    return get(db, user_id, item_id)


def delete(db: Database, user_id: str, item_id: int) -> None:
    db.execute_query("DELETE FROM wardrobe WHERE id = ? AND user_id = ?", (item_id, user_id))


def delete_all_for_user(db: Database, user_id: str) -> None:
    """Items, categories and sections of the user (items first: they reference the categories)."""
    with db.transaction():
        for table in ("wardrobe", "wardrobe_categories", "category_sections"):
            db.execute_query(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))


def to_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """The item as the API shows it (without image_url, which needs the storage to sign it)."""
    return {
        "id": row["id"],
        "garment_id": row["garment_id"],
        "title": row["title"],
        "brand": row["brand"],
        "color": row["color"],
        "size": row["size"],
        "description": row["description"],
        "price": row["price"],
        "currency": row["currency"],
        "fabric": json.loads(row["fabric"]) if row["fabric"] else [],
        "care_instructions": row["care_instructions"],
        "category": row["user_category_name"] or row["category"],
        "category_id": row["category_id"],
        "platform_category_id": row["platform_category_id"],
        "custom_category_name": row["custom_category_name"],
        "category_section": row["category_section"],
        "garment_type": row["garment_type"]
        or garment_type_of(
            platform_category=row["category"], section=row["user_category_section"] or row["category_section"]
        ),
        "garment_url": row["garment_url"],
        "is_external": bool(row["is_external"]),
        "image_path": row["image_path"],
        "date_added": row["date_added"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _to_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if "fabric" in values:
        values = {**values, "fabric": json.dumps(values["fabric"]) if values["fabric"] else None}
    if "is_external" in values:
        values = {**values, "is_external": int(values["is_external"])}
    return values


def stored_image_paths(db: Database) -> list[str]:
    """Every item's image path."""
    rows = db.execute_query("SELECT image_path FROM wardrobe WHERE image_path IS NOT NULL", fetch_all=True)
    return [row["image_path"] for row in rows]
