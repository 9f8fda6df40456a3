"""Applies the numbered SQL files in this folder, each in its own transaction, exactly once.

Every applied migration's SHA-256 is recorded; if an applied file is later edited, start-up stops
with MigrationTamperedError instead of running against a schema nobody can reproduce.
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from shared.text_patterns import compile_pattern

MIGRATIONS_DIR = Path(__file__).resolve().parent
_FILE_PATTERN = compile_pattern(r"^(\d{3})_([a-z0-9_]+)\.sql$")

_CREATE_TRACKING_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    checksum VARCHAR(64) NOT NULL,
    applied_at TEXT NOT NULL
)"""


# Any constant shared by every process works; this one spells "BFmg" (Because Future, migrations).
_MIGRATION_LOCK_KEY = 0x42466D67
_INTEGER_PRIMARY_KEY = compile_pattern(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b")
_REAL = compile_pattern(r"\bREAL\b")


class MigrationError(RuntimeError):
    pass


class MigrationTamperedError(MigrationError):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self):
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def discover_migrations(directory=MIGRATIONS_DIR):
    migrations = []
    for path in sorted(Path(directory).glob("*.sql")):
        match = _FILE_PATTERN.match(path.name)
        if not match:
            raise MigrationError(f"Migration file {path.name} does not match NNN_name.sql")
        migrations.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if len(versions) != len(set(versions)):
        raise MigrationError("Two migration files share a version number")
    return migrations


def applied_migrations(db):
    with db.transaction():
        _lock_out_other_migrators(db)
        db.execute_query(_CREATE_TRACKING_TABLE)
    rows = db.execute_query("SELECT version, name, checksum FROM schema_migrations ORDER BY version", fetch_all=True)
    return {row["version"]: row for row in rows}


def check_integrity(db, migrations):
    """Raise MigrationTamperedError if an applied migration's file changed or disappeared."""
    applied = applied_migrations(db)
    by_version = {m.version: m for m in migrations}
    problems = []
    for version, row in applied.items():
        migration = by_version.get(version)
        if migration is None:
            problems.append(f"{version:03d}_{row['name']}.sql was applied but its file is missing")
        elif migration.checksum != row["checksum"]:
            problems.append(f"{version:03d}_{migration.name}.sql was edited after it was applied")
    if problems:
        raise MigrationTamperedError(
            "Database schema does not match the migration files: " + "; ".join(problems)
            + ". Add a new migration instead of editing an applied one.")


def run_migrations(db, directory=MIGRATIONS_DIR):
    """Apply pending migrations; returns the list of versions applied now. Safe to run repeatedly."""
    migrations = discover_migrations(directory)
    check_integrity(db, migrations)
    applied_now = []
    for migration in migrations:
        with db.transaction():
            _lock_out_other_migrators(db)
            # Re-read inside the write transaction: another process may have applied it meanwhile.
            if db.execute_query("SELECT 1 FROM schema_migrations WHERE version = ?",
                                (migration.version,), fetch_one=True):
                continue
            db.execute_script(translate_for_dialect(migration.sql, db.dialect))
            db.execute_query(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                (migration.version, migration.name, migration.checksum,
                 datetime.now(timezone.utc).isoformat()))
        applied_now.append(migration.version)
    return applied_now


def _lock_out_other_migrators(db):
    """PostgreSQL: hold a transaction-level advisory lock, so processes starting together migrate in turn.

    SQLite needs nothing: its write transaction (BEGIN IMMEDIATE) already admits one writer at a time.
    """
    if db.dialect == "postgresql":
        db.execute_query("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK_KEY,))


def translate_for_dialect(sql, dialect):
    """The one explicit per-dialect difference: auto-increment keys and floating point columns."""
    if dialect == "postgresql":
        # In SQLite any INTEGER PRIMARY KEY is assigned automatically, with or without AUTOINCREMENT.
        sql = _INTEGER_PRIMARY_KEY.sub("BIGSERIAL PRIMARY KEY", sql)
        sql = _REAL.sub("DOUBLE PRECISION", sql)
    return sql
