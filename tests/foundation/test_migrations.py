"""Migrations: complete schema, idempotent, atomic, tamper-evident."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrations.migration_manager import (MIGRATIONS_DIR, MigrationTamperedError, discover_migrations,
                                          run_migrations)
from config import Settings
from shared.database import create_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path):
    """An empty database of this test pass: a SQLite file, or a fresh PostgreSQL database (DATABASE_URL)."""
    database = create_database(Settings.from_env(env={"DATABASE_PATH": str(tmp_path / "m.db"),
                                                      "DATABASE_URL": os.environ.get("DATABASE_URL", "")}))
    yield database
    database.close_all()


def _column_types(db, table):
    if db.dialect == "postgresql":
        return [row["type"] for row in db.execute_query(
            "SELECT data_type AS type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ?", (table,), fetch_all=True)]
    return [col["type"] for col in db.execute_query(f"PRAGMA table_info({table})", fetch_all=True)]


def test_schema_has_every_table_and_seeds(db):
    applied = run_migrations(db)
    assert applied == [m.version for m in discover_migrations()]
    assert {"users", "body_measurements", "tryon_jobs", "wardrobe", "wardrobe_categories", "category_sections",
            "platform_categories", "garment_metadata", "schema_migrations"} <= set(db.get_tables())
    sections = db.execute_query("SELECT name FROM category_sections WHERE user_id IS NULL ORDER BY sort_order",
                                fetch_all=True)
    assert [s["name"] for s in sections] == ["upper_body", "lower_body", "accessoires", "wishlist"]
    categories = db.execute_query("SELECT section_name, name FROM platform_categories", fetch_all=True)
    assert len(categories) == 16
    assert {c["section_name"] for c in categories} == {"upper_body", "lower_body", "accessoires"}
    blob_columns = [(table, kind) for table in db.get_tables() for kind in _column_types(db, table)
                    if kind.upper() in ("BLOB", "BYTEA")]
    assert blob_columns == []


def test_running_twice_applies_nothing_new(db):
    run_migrations(db)
    assert run_migrations(db) == []


def test_edited_migration_is_detected(db, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    run_migrations(db, folder)
    target = folder / "001_users_and_measurements.sql"
    target.write_text(target.read_text() + "\n-- sneaky edit\n")
    with pytest.raises(MigrationTamperedError, match="001_users_and_measurements.sql was edited"):
        run_migrations(db, folder)


def test_failed_migration_leaves_no_trace(db, tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_good.sql").write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    (folder / "002_bad.sql").write_text("CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO nowhere VALUES (1);\n")
    with pytest.raises(Exception):
        run_migrations(db, folder)
    assert "a" in db.get_tables() and "b" not in db.get_tables()
    versions = [r["version"] for r in db.execute_query("SELECT version FROM schema_migrations", fetch_all=True)]
    assert versions == [1]


def test_run_migrations_script(tmp_path):
    env = {"DATABASE_PATH": str(tmp_path / "cli.db"), "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
           "INSTANCE_DIR": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "scripts/run_migrations.py"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "applied" in first.stdout.lower()
    second = subprocess.run([sys.executable, "scripts/run_migrations.py"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert second.returncode == 0 and "up to date" in second.stdout.lower()
