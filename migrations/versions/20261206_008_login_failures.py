"""Failed sign-ins per account and client address, kept for the login delay (shared/rate_limit.py).

Both keys are HMACs under SECRET_KEY, so the table reveals neither the emails tried nor the addresses;
rows of unknown emails are kept too, so a delay never tells whether an account exists.

Revision ID: 008 (was migrations/008_login_failures.sql; it reached main before 007, which follows it)
"""

import sqlalchemy as sa
from alembic import op

revision = "008"
down_revision = "006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_failures",
        sa.Column("account_key", sa.String(64), nullable=False),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DOUBLE_PRECISION(), nullable=False),
        sa.PrimaryKeyConstraint("account_key", "client_key"),
    )
    op.create_index("idx_login_failures_last", "login_failures", ["last_failure_at"])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
