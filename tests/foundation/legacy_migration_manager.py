"""How databases were built before Alembic, kept to test that they upgrade in place.

The numbered .sql files of tests/fixtures/legacy_migrations are the files the old migration manager
applied (001-008, as on main when Alembic replaced them); this applies them as it did: SQLite's
SQL translated for PostgreSQL by two regular expressions, each file recorded in schema_migrations
with its SHA-256.
"""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from shared.text_patterns import compile_pattern

LEGACY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "legacy_migrations"
_INTEGER_PRIMARY_KEY = compile_pattern(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b")
_REAL = compile_pattern(r"\bREAL\b")


def build_numbered_schema(db, versions=None):
    """Apply the numbered files (all, or those of the given versions) the way the old manager did."""
    db.execute_query(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR(255) NOT NULL, "
        "checksum VARCHAR(64) NOT NULL, applied_at TEXT NOT NULL)"
    )
    for path in sorted(LEGACY_DIR.glob("*.sql")):
        if versions is not None and int(path.name[:3]) not in versions:
            continue
        sql = path.read_text(encoding="utf-8")
        with db.transaction():
            for statement in _statements(_translated(sql, db.dialect)):
                db.execute_query(statement)
            db.execute_query(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                (
                    int(path.name[:3]),
                    path.stem[4:],
                    hashlib.sha256(sql.encode("utf-8")).hexdigest(),
                    datetime.now(UTC).isoformat(),
                ),
            )


def _translated(sql, dialect):
    if dialect == "postgresql":
        sql = _INTEGER_PRIMARY_KEY.sub("BIGSERIAL PRIMARY KEY", sql)
        sql = _REAL.sub("DOUBLE PRECISION", sql)
    return sql


def _statements(script):
    """Statements end with a semicolon at the end of a line (the files keep that style)."""
    statements, current = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") and not current:
            continue
        current.append(line)
        if line.strip().endswith(";"):
            statements.append("\n".join(current).strip())
            current = []
    return [statement for statement in statements if statement.rstrip(";").strip()]
