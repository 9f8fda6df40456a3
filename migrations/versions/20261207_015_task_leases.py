"""Periodic work shared by every process: one row per task (shared/task_lease.py).

* task_leases: `name` (e.g. `image_sweep`); the process running it now (`holder`) until `lease_until`, and when
  it is next due (`due_at`). Taking a turn is one conditional UPDATE (lease run out and task due), so of many API
  and worker processes one runs the task at a time, and all of them keep one schedule.

Revision ID: 015
Revises: 014
"""

import sqlalchemy as sa
from alembic import op

revision = "015"
down_revision = "014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "task_leases",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("lease_until", sa.Text(), nullable=False),
        sa.Column("due_at", sa.Text(), nullable=False),
    )


def downgrade():
    raise NotImplementedError("the schema only moves forward")
