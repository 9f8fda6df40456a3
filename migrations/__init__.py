"""The schema's history: Alembic revisions in versions/, applied at start-up and by scripts/run_migrations.py.

`run_migrations(db)` brings any database to the newest revision in one transaction, so a failed revision
leaves nothing behind, and processes starting together migrate in turn (PostgreSQL: an advisory lock held
by that transaction; SQLite: its BEGIN IMMEDIATE). A database built before Alembic, by the numbered .sql
files and their `schema_migrations` table, is adopted first: walking the revisions that replaced those
files in order, each one whose file was applied is stamped and each one whose file was not is run, then
the table is dropped and the later revisions run as for any database. Last, in the same transaction, the
platform sections and categories are brought to the garment catalogue (catalog_rows.py).
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from migrations.catalog_rows import sync_catalog_rows
from shared.database import Database

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS_DIR = Path(__file__).resolve().parent
# Any constant shared by every process works; this one spells "BFmg" (Because Future, migrations).
_MIGRATION_LOCK_KEY = 0x42466D67

# The numbered .sql files applied before Alembic: version → (the revision that holds the same schema change,
# the SHA-256 the old manager recorded for the file). Each revision is the file's change, in Alembic's terms.
LEGACY_VERSIONS = {
    1: ("001", "2ed21c0a53d34ca8703db79c5a8533c0e3a861b2e0eed5459fb02c436e883686"),
    2: ("002", "add401b8eba1da3fa06bf075ce650bf1c008af022c01450dfa5f046e8d69420f"),
    3: ("003", "8114113d417de0ada0789aa39d831d1265409040d0c3fdaa0573dbc2424517ca"),
    4: ("004", "d1cc324c7049ba20f5eae4842a32f63557e94fee244df80b5d0aa2e4ce33a2dd"),
    5: ("005", "5e96276f865d48ba6d3afb0aac30f6fd27deff3f94f09d66fd74582d60487714"),
    6: ("006", "0569c2f3d074df018e83c9c2280da512511f4625c1bbe433389acfb931080388"),
    7: ("007", "f271c26516f537fa63c817d9789acaf20707e200b10f31cbe446c372836075e7"),
    8: ("008", "14ab39af057b74c60b61b1d4d673aa76864777550c22ecdfb196e29e0a19b453"),
}


class MigrationError(RuntimeError):
    pass


def alembic_config(connection: sa.Connection | None = None, directory: Path = MIGRATIONS_DIR) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(directory))
    config.attributes["connection"] = connection
    return config


def run_migrations(db: Database, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply every pending revision and bring the platform rows to the catalogue; returns the revisions' ids,
    oldest first. Safe to run repeatedly and at once."""
    script = ScriptDirectory.from_config(alembic_config(directory=directory))
    with db.transaction_connection() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        config = alembic_config(connection, directory)
        adopted = _adopt_numbered_schema(connection, script, config)
        current = MigrationContext.configure(connection).get_current_revision()
        pending = [revision.revision for revision in script.iterate_revisions("heads", current)][::-1]
        command.upgrade(config, "heads")
        sync_catalog_rows(connection)
    return adopted + pending


def _adopt_numbered_schema(connection: sa.Connection, script: ScriptDirectory, config: Config) -> list[str]:
    """A database of the numbered .sql files brought to the last revision that replaced one; the revisions
    run on the way (files it never got), in order. Nothing for any other database."""
    if "schema_migrations" not in sa.inspect(connection).get_table_names():
        return []
    if MigrationContext.configure(connection).get_current_revision() is not None:
        raise MigrationError(
            "The database has both schema_migrations and alembic_version; drop the stale one"
        )
    applied = {
        row.version: row
        for row in connection.execute(sa.text("SELECT version, name, checksum FROM schema_migrations"))
    }
    problems = [
        f"{version:03d}_{row.name}.sql is not one of the numbered files"
        for version, row in applied.items()
        if LEGACY_VERSIONS.get(version, ("", row.checksum))[1] != row.checksum
    ]
    if problems:
        raise MigrationError("Cannot adopt this database's numbered migrations: " + "; ".join(problems))
    # The old manager applied any file missing below the newest (007 after 008); Alembic moves one step at
    # a time, so each replaced file is stamped when it was applied and run when it was not.
    replaced = {revision: version for version, (revision, _checksum) in LEGACY_VERSIONS.items()}
    in_order = [revision.revision for revision in script.walk_revisions("base", "heads")][::-1]
    last_applied = max((in_order.index(LEGACY_VERSIONS[version][0]) for version in applied), default=-1)
    ran: list[str] = []

    for revision in in_order[: last_applied + 1]:
        if replaced[revision] in applied:
            command.stamp(config, revision)
        else:
            command.upgrade(config, revision)
            ran.append(revision)
    connection.execute(sa.text("DROP TABLE schema_migrations"))
    return ran
