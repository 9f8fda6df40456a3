"""The platform sections and categories as rows, brought to the garment catalogue (shared/garment_catalog.py).

The revisions seeded the rows of their day (002, 005) and stay as they were; after them, `run_migrations`
adds the sections and categories the catalogue has and the table lacks, and corrects a name, section or
order that differs. Rows are never deleted: items point at them.
"""

from typing import Any

import sqlalchemy as sa

from shared import clock
from shared.garment_catalog import PLATFORM_CATEGORY, SECTIONS

_SECTIONS = sa.table(
    "category_sections",
    sa.column("id"),
    sa.column("name"),
    sa.column("display_name"),
    sa.column("description"),
    sa.column("sort_order"),
    sa.column("icon_name"),
    sa.column("user_id"),
    sa.column("created_at"),
    sa.column("updated_at"),
)
_CATEGORIES = sa.table(
    "platform_categories",
    sa.column("id"),
    sa.column("section_name"),
    sa.column("name"),
    sa.column("display_name"),
    sa.column("sort_order"),
    sa.column("created_at"),
)


def catalog_section_rows() -> dict[str, dict[str, Any]]:
    """{name: the columns the catalogue decides} for every platform section."""
    return {
        section.name: {
            "display_name": section.display_name,
            "description": section.description,
            "sort_order": order,
        }
        for order, section in enumerate(SECTIONS, start=1)
    }


def catalog_category_rows() -> dict[str, dict[str, Any]]:
    """{name: the columns the catalogue decides} for every platform category."""
    return {
        name: {
            "section_name": entry.section,
            "display_name": entry.display_name,
            "sort_order": entry.sort_order,
        }
        for name, entry in PLATFORM_CATEGORY.items()
    }


def sync_catalog_rows(connection: sa.Connection) -> int:
    """Insert the catalogue's missing platform rows and correct differing ones; returns how many changed."""
    now = clock.timestamp()
    sections = _existing(connection, _SECTIONS, _SECTIONS.c.user_id.is_(None))
    categories = _existing(connection, _CATEGORIES)
    changed = 0
    for name, wanted in catalog_section_rows().items():
        changed += _put(
            connection,
            _SECTIONS,
            sections.get(name),
            wanted,
            {"name": name, "icon_name": name, "user_id": None, "created_at": now, "updated_at": now},
            {"updated_at": now},
        )
    for name, wanted in catalog_category_rows().items():
        changed += _put(
            connection, _CATEGORIES, categories.get(name), wanted, {"name": name, "created_at": now}, {}
        )
    return changed


def _existing(
    connection: sa.Connection, table: sa.TableClause, *where: sa.ColumnElement[bool]
) -> dict[str, sa.RowMapping]:
    rows = connection.execute(sa.select(table).where(*where)).mappings()
    return {row["name"]: row for row in rows}


def _put(
    connection: sa.Connection,
    table: sa.TableClause,
    row: sa.RowMapping | None,
    wanted: dict[str, Any],
    new_columns: dict[str, Any],
    update_columns: dict[str, Any],
) -> int:
    if row is None:
        connection.execute(table.insert().values(**new_columns, **wanted))
        return 1
    if all(row[column] == value for column, value in wanted.items()):
        return 0
    connection.execute(table.update().where(table.c.id == row["id"]).values(**wanted, **update_columns))
    return 1
