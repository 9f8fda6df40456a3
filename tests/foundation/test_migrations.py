"""Migrations: complete schema, idempotent, atomic, and databases of the numbered .sql files upgrade in place."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import exc as sa_exc

from config import Settings
from migrations import MIGRATIONS_DIR, MigrationError, alembic_config, run_migrations
from shared.database import create_database
from tests.foundation.legacy_migration_manager import build_numbered_schema

ROOT = Path(__file__).resolve().parents[2]
ALL_REVISIONS = [
    revision.revision for revision in ScriptDirectory.from_config(alembic_config()).walk_revisions()
][::-1]


def _database(path):
    """A database of this test pass: a SQLite file, or this test's PostgreSQL schema (DATABASE_URL)."""
    return create_database(
        Settings.from_env(
            env={"DATABASE_PATH": str(path), "DATABASE_URL": os.environ.get("DATABASE_URL", "")}
        )
    )


@pytest.fixture
def db(tmp_path):
    database = _database(tmp_path / "m.db")
    yield database
    database.close_all()


def schema(db):
    """Tables, columns (type, null, default), keys, unique constraints and indexes, as the database reports them."""
    with db.transaction_connection() as connection:
        inspector = sa.inspect(connection)
        return {
            table: _table_schema(inspector, table)
            for table in inspector.get_table_names()
            if table != "alembic_version"
        }


def _table_schema(inspector, table):
    """One table's shape; a unique column set counts once whether declared inline, as a constraint or as a
    unique index (SQLite reports them differently), and a primary key column is never nullable."""
    primary_key = inspector.get_pk_constraint(table)["constrained_columns"]
    indexes = inspector.get_indexes(table)
    foreign_keys = [
        (
            tuple(fk["constrained_columns"]),
            fk["referred_table"],
            tuple(fk["referred_columns"]),
            fk["options"].get("ondelete"),
        )
        for fk in inspector.get_foreign_keys(table)
    ]
    if inspector.dialect.name == "sqlite":  # what SQLite enforces, whatever the SQL's form
        pragma = inspector.bind.exec_driver_sql
        indexes += [
            {
                "name": row[1],
                "unique": row[2],
                "column_names": [info[2] for info in pragma(f'PRAGMA index_info("{row[1]}")')],
            }
            for row in pragma(f'PRAGMA index_list("{table}")')
            if row[1].startswith("sqlite_autoindex")
        ]
        foreign_keys = [
            ((row[3],), row[2], (row[4],), None if row[6] == "NO ACTION" else row[6])
            for row in pragma(f'PRAGMA foreign_key_list("{table}")')
        ]
    unique = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
    unique |= {tuple(i["column_names"]) for i in indexes if i["unique"]}
    return {
        "columns": [
            (c["name"], str(c["type"]), c["nullable"] and c["name"] not in primary_key, str(c.get("default")))
            for c in inspector.get_columns(table)
        ],
        "primary_key": primary_key,
        "foreign_keys": sorted(foreign_keys),
        "unique": sorted(unique - {tuple(primary_key)}),
        "indexes": sorted(
            (i["name"], tuple(i["column_names"]))
            for i in indexes
            if not i["unique"] and not i["name"].startswith("sqlite_autoindex")
        ),
    }


def test_schema_has_every_table_and_seeds(db):
    assert run_migrations(db) == ALL_REVISIONS
    assert {
        "users",
        "body_measurements",
        "tryon_jobs",
        "wardrobe",
        "wardrobe_categories",
        "category_sections",
        "platform_categories",
        "garment_metadata",
        "login_failures",
        "alembic_version",
    } <= set(db.get_tables())
    sections = db.execute_query(
        "SELECT name FROM category_sections WHERE user_id IS NULL ORDER BY sort_order", fetch_all=True
    )
    assert [s["name"] for s in sections] == ["upper_body", "lower_body", "accessoires", "wishlist"]
    categories = db.execute_query("SELECT section_name, name FROM platform_categories", fetch_all=True)
    assert len(categories) == 16
    assert {c["section_name"] for c in categories} == {"upper_body", "lower_body", "accessoires"}
    types = [column[1].upper() for table in schema(db).values() for column in table["columns"]]
    assert not [kind for kind in types if kind in ("BLOB", "BYTEA")]


def test_running_twice_applies_nothing_new(db):
    run_migrations(db)
    assert run_migrations(db) == []


def test_a_failing_revision_leaves_no_trace(db, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "bad.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = 'bad'\ndown_revision = {ALL_REVISIONS[-1]!r}\n"
        "def upgrade():\n"
        "    op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    op.execute('INSERT INTO nowhere VALUES (1)')\n"
    )
    with pytest.raises(sa_exc.DBAPIError):
        run_migrations(db, folder)
    assert db.get_tables() == []  # not even the revisions before the bad one: one transaction for all
    assert run_migrations(db) == ALL_REVISIONS


# Versions a database of the numbered files can be at: none yet, part way, main before 007 landed (008 was
# first), a branch before 008 landed, and the last.
@pytest.mark.parametrize(
    "versions",
    [
        set(),
        {1, 2, 3},
        {1, 2, 3, 4, 5, 6},
        {1, 2, 3, 4, 5, 6, 8},
        {1, 2, 3, 4, 5, 6, 7},
        {1, 2, 3, 4, 5, 6, 7, 8},
    ],
)
def test_a_database_of_the_numbered_files_upgrades_in_place(db, tmp_path, versions):
    build_numbered_schema(db, versions)
    complete = len(versions) == 8
    if complete:  # rows as the code of the numbered files wrote them
        db.execute_query(
            "INSERT INTO users (userid, email, password, created_at, updated_at) "
            "VALUES ('u1', 'ada@example.com', 'hash', '2026-03-01T10:00:00+00:00', "
            "'2026-03-01T10:00:00+00:00')"
        )
        db.execute_query(
            "INSERT INTO login_failures (account_key, client_key, failures, last_failure_at) "
            "VALUES ('a', 'c', 3, 1772359200.25)"
        )
    applied = run_migrations(db)
    assert applied == [
        revision for revision in ALL_REVISIONS if revision not in {f"{v:03d}" for v in versions}
    ]
    assert "schema_migrations" not in db.get_tables()
    fresh = _database(tmp_path / "fresh.db") if db.dialect == "sqlite" else None
    if fresh is None:  # PostgreSQL: the same schema built fresh in a second schema of the server
        pytest.importorskip("psycopg")
        from tests.scale.backends import fresh_postgres_schema

        with fresh_postgres_schema(os.environ["TEST_DATABASE_URL"]) as url:
            fresh = create_database(Settings.from_env(env={"DATABASE_URL": url}))
            run_migrations(fresh)
            assert schema(db) == schema(fresh)
            fresh.close_all()
    else:
        run_migrations(fresh)
        assert schema(db) == schema(fresh)
        fresh.close_all()
    if complete:  # kept, in the one timestamp format
        user = db.execute_query(
            "SELECT email, token_version, created_at FROM users WHERE userid = 'u1'", fetch_one=True
        )
        assert user == {
            "email": "ada@example.com",
            "token_version": 0,
            "created_at": "2026-03-01T10:00:00.000+00:00",
        }
        failure = db.execute_query("SELECT failures, last_failure_at FROM login_failures", fetch_one=True)
        assert failure == {"failures": 3, "last_failure_at": "2026-03-01T10:00:00.250+00:00"}
    seeded = db.execute_query("SELECT DISTINCT created_at FROM category_sections", fetch_all=True)
    assert seeded == [{"created_at": "2026-01-01T00:00:00.000+00:00"}]
    assert run_migrations(db) == []


def test_a_numbered_database_with_an_edited_file_is_refused(db):
    build_numbered_schema(db, {1, 2, 3})
    db.execute_query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2")
    with pytest.raises(
        MigrationError, match="002_wardrobe_and_categories.sql is not one of the numbered files"
    ):
        run_migrations(db)
    assert "schema_migrations" in db.get_tables() and "alembic_version" not in db.get_tables()


def test_run_migrations_script(tmp_path):
    env = {
        "DATABASE_PATH": str(tmp_path / "cli.db"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "PATH": "/usr/bin:/bin",
    }
    first = subprocess.run(
        [sys.executable, "scripts/run_migrations.py"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    assert "applied" in first.stdout.lower() and ALL_REVISIONS[-1] in first.stdout
    second = subprocess.run(
        [sys.executable, "scripts/run_migrations.py"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert second.returncode == 0 and "up to date" in second.stdout.lower()


def test_the_history_is_one_line():
    """Two branches that each added a revision after the same head must be put in a line when they merge."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1 and len(script.get_bases()) == 1
