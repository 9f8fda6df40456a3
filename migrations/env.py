"""Alembic's entry point: runs the revisions of versions/ on the connection `migrations.run_migrations` hands it.

That connection is already inside the block that locks out other migrating processes, so Alembic here
neither opens connections nor manages transactions. Apply revisions with `python scripts/run_migrations.py`.
"""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit(
        "Apply migrations with `python scripts/run_migrations.py` (or by starting the app); "
        "`alembic revision -m ...` creates a new one"
    )
context.configure(connection=connection, transactional_ddl=True)
context.run_migrations()
