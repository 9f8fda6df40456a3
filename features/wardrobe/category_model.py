"""category_sections, platform_categories and wardrobe_categories rows.

Sections live in one table (user_id NULL = platform), so their ids never collide. Platform
categories and user categories live in two tables whose ids overlap; that is why clients address
user categories by id and platform categories by name.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from shared import clock
from shared.database import Database, Row, SqlValue
from shared.garment_catalog import platform_category_named

_LIKE_ESCAPE = "\\"
SECTION_COLUMNS = ("name", "display_name", "description", "sort_order", "icon_name", "icon_url")


def like_pattern(text: str) -> str:
    """A LIKE pattern matching text anywhere, with % and _ in the text taken literally (use with ESCAPE)."""
    escaped = text.lower().replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- sections ------------------------------------------------------------------------------------
def sections_visible_to(db: Database, user_id: str) -> list[Row]:
    """Platform sections and the user's own, in display order."""
    return db.execute_query(
        "SELECT * FROM category_sections WHERE user_id IS NULL OR user_id = ? "
        "ORDER BY sort_order, CASE WHEN user_id IS NULL THEN 0 ELSE 1 END, id",
        (user_id,),
        fetch_all=True,
    )


def section_visible_to(db: Database, user_id: str, section_id: int) -> Row | None:
    return db.execute_query(
        "SELECT * FROM category_sections WHERE id = ? AND (user_id IS NULL OR user_id = ?)",
        (section_id, user_id),
        fetch_one=True,
    )


def section_by_name(db: Database, user_id: str | None, name: str) -> Row | None:
    """The platform section or the user's own section called name (only the platform's for user_id None)."""
    return db.execute_query(
        "SELECT * FROM category_sections WHERE name = ? AND (user_id IS NULL OR user_id = ?) "
        "ORDER BY CASE WHEN user_id IS NULL THEN 0 ELSE 1 END",
        (name, user_id),
        fetch_one=True,
    )


def next_section_sort_order(db: Database, user_id: str) -> int:
    row = db.execute_query(
        "SELECT MAX(sort_order) AS highest FROM category_sections WHERE user_id IS NULL OR user_id = ?",
        (user_id,),
        fetch_one=True,
    )
    assert row is not None  # MAX() without GROUP BY always answers one row
    highest: int = row["highest"] or 0
    return highest + 1


def insert_section(db: Database, user_id: str, values: Mapping[str, SqlValue]) -> Row | None:
    now = clock.timestamp()
    columns = [*values, "user_id", "created_at", "updated_at"]
    section_id = db.execute_insert(
        f"INSERT INTO category_sections ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        (*values.values(), user_id, now, now),
    )
    assert section_id is not None  # category_sections has an integer id
    return section_visible_to(db, user_id, section_id)


def update_section(db: Database, section: Row, changes: Mapping[str, SqlValue]) -> Row | None:
    """Update a user section; a new name is carried over to the user's categories and items in it."""
    with db.transaction():
        _update_row(db, "category_sections", section["id"], changes)
        if changes.get("name", section["name"]) != section["name"]:
            for table in ("wardrobe_categories", "wardrobe"):
                db.execute_query(
                    f"UPDATE {table} SET category_section = ? WHERE user_id = ? AND category_section = ?",
                    (changes["name"], section["user_id"], section["name"]),
                )
    return section_visible_to(db, section["user_id"], section["id"])


def section_usage(db: Database, user_id: str, name: str) -> dict[str, int]:
    """How many of the user's categories and items sit in the section called name."""
    counts: dict[str, int] = {}
    for table, key in (("wardrobe_categories", "categories"), ("wardrobe", "items")):
        row = db.execute_query(
            f"SELECT COUNT(*) AS n FROM {table} WHERE user_id = ? AND category_section = ?",
            (user_id, name),
            fetch_one=True,
        )
        assert row is not None  # COUNT(*) always answers one row
        counts[key] = row["n"]
    return counts


def delete_section(db: Database, section_id: int) -> None:
    db.execute_query("DELETE FROM category_sections WHERE id = ?", (section_id,))


def section_to_dict(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        **{column: row[column] for column in SECTION_COLUMNS},
        "is_platform": row["user_id"] is None,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


# --- platform categories -------------------------------------------------------------------------
def platform_categories(db: Database, search: str | None = None, section: str | None = None) -> list[Row]:
    where, params = _category_filters(
        "section_name", ("name", "display_name", "description"), search, section
    )
    return db.execute_query(
        f"SELECT * FROM platform_categories{where} ORDER BY sort_order, id", params, fetch_all=True
    )


def platform_category_by_name(db: Database, name: str) -> Row | None:
    """By its name, display name or garment kind ("dresses", "Dresses", "dress"), ignoring case."""
    return db.execute_query(
        "SELECT * FROM platform_categories WHERE LOWER(name) = LOWER(?)",
        (platform_category_named(name) or name,),
        fetch_one=True,
    )


def platform_name_taken(db: Database, name: str) -> bool:
    """True when name equals a platform category's name, display name or kind, ignoring case."""
    if platform_category_named(name):
        return True
    return (
        db.execute_query(
            "SELECT 1 AS hit FROM platform_categories WHERE LOWER(name) = LOWER(?) "
            "OR LOWER(display_name) = LOWER(?)",
            (name, name),
            fetch_one=True,
        )
        is not None
    )


def platform_category_to_dict(row: Row) -> dict[str, Any]:
    return {
        "id": None,
        "platform_category_id": row["id"],
        "name": row["name"],
        "display_name": row["display_name"],
        "description": row["description"],
        "category_section": row["section_name"],
        "sort_order": row["sort_order"],
        "is_platform": True,
    }


# --- user categories -----------------------------------------------------------------------------
def user_categories(
    db: Database, user_id: str, search: str | None = None, section: str | None = None
) -> list[Row]:
    where, params = _category_filters("category_section", ("name", "description"), search, section)
    where = f"{where} AND user_id = ?" if where else " WHERE user_id = ?"
    return db.execute_query(
        f"SELECT * FROM wardrobe_categories{where} ORDER BY LOWER(name), id",
        (*params, user_id),
        fetch_all=True,
    )


def user_category(db: Database, user_id: str, category_id: int) -> Row | None:
    return db.execute_query(
        "SELECT * FROM wardrobe_categories WHERE id = ? AND user_id = ?",
        (category_id, user_id),
        fetch_one=True,
    )


def user_category_by_name(db: Database, user_id: str, name: str) -> Row | None:
    return db.execute_query(
        "SELECT * FROM wardrobe_categories WHERE user_id = ? AND LOWER(name) = LOWER(?)",
        (user_id, name),
        fetch_one=True,
    )


def insert_user_category(db: Database, user_id: str, values: Mapping[str, SqlValue]) -> Row | None:
    now = clock.timestamp()
    columns = ["user_id", *values, "created_at", "updated_at"]
    category_id = db.execute_insert(
        f"INSERT INTO wardrobe_categories ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        (user_id, *values.values(), now, now),
    )
    assert category_id is not None  # wardrobe_categories has an integer id
    return user_category(db, user_id, category_id)


def update_user_category(db: Database, category: Row, changes: Mapping[str, SqlValue]) -> Row | None:
    _update_row(db, "wardrobe_categories", category["id"], changes)
    return user_category(db, category["user_id"], category["id"])


def delete_user_category(db: Database, category: Row) -> int:
    """Delete the category; returns how many items it held (they stay, without a category)."""
    with db.transaction():
        # Locked, the category cannot gain items (their foreign key check waits), so the count is exact.
        db.lock_row("wardrobe_categories", id=category["id"])
        row = db.execute_query(
            "SELECT COUNT(*) AS n FROM wardrobe WHERE category_id = ?", (category["id"],), fetch_one=True
        )
        db.execute_query("DELETE FROM wardrobe_categories WHERE id = ?", (category["id"],))
    assert row is not None  # COUNT(*) always answers one row
    held: int = row["n"]
    return held


def user_category_to_dict(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "platform_category_id": None,
        "name": row["name"],
        "display_name": row["name"],
        "description": row["description"],
        "category_section": row["category_section"],
        "sort_order": None,
        "is_platform": False,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


# --- helpers -------------------------------------------------------------------------------------
def _category_filters(
    section_column: str, searched_columns: Sequence[str], search: str | None, section: str | None
) -> tuple[str, list[SqlValue]]:
    clauses: list[str] = []
    params: list[SqlValue] = []
    if section:
        clauses.append(f"{section_column} = ?")
        params.append(section)
    if search:
        pattern = like_pattern(search)
        clauses.append(
            "("
            + " OR ".join(f"LOWER(COALESCE({column}, '')) LIKE ? ESCAPE '\\'" for column in searched_columns)
            + ")"
        )
        params.extend([pattern] * len(searched_columns))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _update_row(db: Database, table: str, row_id: int, changes: Mapping[str, SqlValue]) -> None:
    """Update the given columns (names come from code, never from the client)."""
    changes = {**changes, "updated_at": clock.timestamp()}
    assignments = ", ".join(f"{column} = ?" for column in changes)
    db.execute_query(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id))
