"""category_sections, platform_categories and wardrobe_categories rows.

Sections live in one table (user_id NULL = platform), so their ids never collide. Platform
categories and user categories live in two tables whose ids overlap; that is why clients address
user categories by id and platform categories by name.
"""

from shared import clock
from shared.garment_catalog import platform_category_named

_LIKE_ESCAPE = "\\"
SECTION_COLUMNS = ("name", "display_name", "description", "sort_order", "icon_name", "icon_url")


def like_pattern(text):
    """A LIKE pattern matching text anywhere, with % and _ in the text taken literally (use with ESCAPE)."""
    escaped = text.lower().replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- sections ------------------------------------------------------------------------------------
def sections_visible_to(db, user_id):
    """Platform sections and the user's own, in display order."""
    return db.execute_query(
        "SELECT * FROM category_sections WHERE user_id IS NULL OR user_id = ? "
        "ORDER BY sort_order, CASE WHEN user_id IS NULL THEN 0 ELSE 1 END, id",
        (user_id,),
        fetch_all=True,
    )


def section_visible_to(db, user_id, section_id):
    return db.execute_query(
        "SELECT * FROM category_sections WHERE id = ? AND (user_id IS NULL OR user_id = ?)",
        (section_id, user_id),
        fetch_one=True,
    )


def section_by_name(db, user_id, name):
    """The platform section or the user's own section called name."""
    return db.execute_query(
        "SELECT * FROM category_sections WHERE name = ? AND (user_id IS NULL OR user_id = ?) "
        "ORDER BY CASE WHEN user_id IS NULL THEN 0 ELSE 1 END",
        (name, user_id),
        fetch_one=True,
    )


def next_section_sort_order(db, user_id):
    row = db.execute_query(
        "SELECT MAX(sort_order) AS highest FROM category_sections WHERE user_id IS NULL OR user_id = ?",
        (user_id,),
        fetch_one=True,
    )
    return (row["highest"] or 0) + 1


def insert_section(db, user_id, values):
    now = clock.timestamp()
    columns = [*values, "user_id", "created_at", "updated_at"]
    section_id = db.execute_insert(
        f"INSERT INTO category_sections ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        (*values.values(), user_id, now, now),
    )
    return section_visible_to(db, user_id, section_id)


def update_section(db, section, changes):
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


def section_usage(db, user_id, name):
    """How many of the user's categories and items sit in the section called name."""
    counts = {}
    for table, key in (("wardrobe_categories", "categories"), ("wardrobe", "items")):
        row = db.execute_query(
            f"SELECT COUNT(*) AS n FROM {table} WHERE user_id = ? AND category_section = ?",
            (user_id, name),
            fetch_one=True,
        )
        counts[key] = row["n"]
    return counts


def delete_section(db, section_id):
    db.execute_query("DELETE FROM category_sections WHERE id = ?", (section_id,))


def section_to_dict(row):
    return {
        "id": row["id"],
        **{column: row[column] for column in SECTION_COLUMNS},
        "is_platform": row["user_id"] is None,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


# --- platform categories -------------------------------------------------------------------------
def platform_categories(db, search=None, section=None):
    where, params = _category_filters(
        "section_name", ("name", "display_name", "description"), search, section
    )
    return db.execute_query(
        f"SELECT * FROM platform_categories{where} ORDER BY sort_order, id", params, fetch_all=True
    )


def platform_category_by_name(db, name):
    """By its name, display name or garment kind ("dresses", "Dresses", "dress"), ignoring case."""
    return db.execute_query(
        "SELECT * FROM platform_categories WHERE LOWER(name) = LOWER(?)",
        (platform_category_named(name) or name,),
        fetch_one=True,
    )


def platform_name_taken(db, name):
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


def platform_category_to_dict(row):
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
def user_categories(db, user_id, search=None, section=None):
    where, params = _category_filters("category_section", ("name", "description"), search, section)
    where = f"{where} AND user_id = ?" if where else " WHERE user_id = ?"
    return db.execute_query(
        f"SELECT * FROM wardrobe_categories{where} ORDER BY LOWER(name), id",
        (*params, user_id),
        fetch_all=True,
    )


def user_category(db, user_id, category_id):
    return db.execute_query(
        "SELECT * FROM wardrobe_categories WHERE id = ? AND user_id = ?",
        (category_id, user_id),
        fetch_one=True,
    )


def user_category_by_name(db, user_id, name):
    return db.execute_query(
        "SELECT * FROM wardrobe_categories WHERE user_id = ? AND LOWER(name) = LOWER(?)",
        (user_id, name),
        fetch_one=True,
    )


def insert_user_category(db, user_id, values):
    now = clock.timestamp()
    columns = ["user_id", *values, "created_at", "updated_at"]
    category_id = db.execute_insert(
        f"INSERT INTO wardrobe_categories ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        (user_id, *values.values(), now, now),
    )
    return user_category(db, user_id, category_id)


def update_user_category(db, category, changes):
    _update_row(db, "wardrobe_categories", category["id"], changes)
    return user_category(db, category["user_id"], category["id"])


def delete_user_category(db, category):
    """Delete the category; returns how many items it held (they stay, without a category)."""
    with db.transaction():
        # Locked, the category cannot gain items (their foreign key check waits), so the count is exact.
        db.lock_row("wardrobe_categories", id=category["id"])
        row = db.execute_query(
            "SELECT COUNT(*) AS n FROM wardrobe WHERE category_id = ?", (category["id"],), fetch_one=True
        )
        db.execute_query("DELETE FROM wardrobe_categories WHERE id = ?", (category["id"],))
    return row["n"]


def user_category_to_dict(row):
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
def _category_filters(section_column, searched_columns, search, section):
    clauses, params = [], []
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


def _update_row(db, table, row_id, changes):
    """Update the given columns (names come from code, never from the client)."""
    changes = {**changes, "updated_at": clock.timestamp()}
    assignments = ", ".join(f"{column} = ?" for column in changes)
    db.execute_query(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id))
