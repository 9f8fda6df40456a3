"""Password reset codes: one row per code emailed, stored as an HMAC (never the code itself).

A code works once (used_at), until expires_at (PASSWORD_RESET_MINUTES after it was made); the rows of a
deleted account go with it.

Revision ID: 010
Revises: 009
"""

import sqlalchemy as sa
from alembic import op

revision = "010"
down_revision = "009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "password_resets",
        sa.Column(
            "userid",
            sa.String(255),
            sa.ForeignKey("users.userid", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.Column("used_at", sa.Text(), nullable=True),
    )
    op.create_index("idx_password_resets_userid", "password_resets", ["userid"])
    op.create_index("idx_password_resets_expires", "password_resets", ["expires_at"])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
