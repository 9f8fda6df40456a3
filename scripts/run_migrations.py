"""Apply pending database migrations: `python scripts/run_migrations.py` (same settings as the app)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import Settings  # noqa: E402
from migrations import MigrationError, run_migrations  # noqa: E402
from shared.database import create_database  # noqa: E402


def main():
    settings = Settings.from_env()
    db = create_database(settings)
    try:
        applied = run_migrations(db)
    except MigrationError as exc:
        print(f"Migration failed: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close_all()
    if applied:
        print(f"Applied migrations: {', '.join(applied)}")
    else:
        print("Database is up to date; nothing to apply.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
