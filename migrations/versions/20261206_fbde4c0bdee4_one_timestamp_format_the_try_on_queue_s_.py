"""One timestamp format; the try-on queue's admission row.

* Every stored timestamp in the one format of shared/clock.py (`2026-01-01T00:00:00.000+00:00`): the seeds
  said `...Z`, accounts, wardrobe rows and the product cache were written to the second.
* login_failures.last_failure_at: seconds since 1970 (a number) become a timestamp in that format.
* job_queues: one row per queue; admitting a try-on locks the row `tryon` (shared/database.py lock_row),
  so the queue-size and per-user checks and the insert of the job happen one admission at a time.

Revision ID: fbde4c0bdee4
Revises: 007
Create Date: 2026-12-06 14:14:41
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "fbde4c0bdee4"
down_revision = "007"
branch_labels = None
depends_on = None

TIMESTAMPS = {
    "users": ("created_at", "updated_at"),
    "body_measurements": ("created_at", "updated_at"),
    "category_sections": ("created_at", "updated_at"),
    "platform_categories": ("created_at",),
    "wardrobe_categories": ("created_at", "updated_at"),
    "wardrobe": ("date_added", "created_at", "updated_at"),
    "garment_metadata": ("created_at", "updated_at"),
}


def upgrade():
    for table, columns in TIMESTAMPS.items():
        for column in columns:
            # 2026-01-01T00:00:00Z (20 characters) and 2026-01-01T00:00:00+00:00 (25): UTC to the second.
            op.execute(
                f"UPDATE {table} SET {column} = substr({column}, 1, 19) || '.000+00:00' "
                f"WHERE length({column}) IN (20, 25)"
            )

    connection = op.get_bind()
    failures = (
        connection.execute(
            sa.text("SELECT account_key, client_key, failures, last_failure_at FROM login_failures")
        )
        .mappings()
        .all()
    )
    op.drop_table("login_failures")
    rows = op.create_table(
        "login_failures",
        sa.Column("account_key", sa.String(64), nullable=False),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("account_key", "client_key"),
    )
    op.create_index("idx_login_failures_last", "login_failures", ["last_failure_at"])
    op.bulk_insert(
        rows,
        [
            {
                **row,
                "last_failure_at": datetime.fromtimestamp(row["last_failure_at"], UTC).isoformat(
                    timespec="milliseconds"
                ),
            }
            for row in failures
        ],
    )

    queues = op.create_table("job_queues", sa.Column("name", sa.String(50), primary_key=True))
    op.bulk_insert(queues, [{"name": "tryon"}])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
