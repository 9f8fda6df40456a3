"""Sessions: one row per signed-in device, with its rotating refresh token.

* sessions.id: the session id access tokens carry (`sid`); random, so an id reveals nothing and cannot be
  guessed.
* refresh_hash: SHA-256 of the current refresh token (the token itself is never stored); generation counts
  its rotations, and a token of an earlier generation is a used one (reuse ends the session). previous_hash
  and rotated_at tell the loser of two simultaneous refreshes from a replay (features/auth/sessions.py).
* expires_at: when the current refresh token expires (REFRESH_TOKEN_DAYS after it was issued); ended_at and
  end_reason: set when the session is signed out, deleted, replaced by a password change or caught reused.
  Rows past expires_at are deleted whenever a session starts.

Revision ID: 009
Revises: fbde4c0bdee4
"""

import sqlalchemy as sa
from alembic import op

revision = "009"
down_revision = "fbde4c0bdee4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("device", sa.String(100)),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("last_used_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.Text()),
        sa.Column("end_reason", sa.String(20)),
        sa.Column("refresh_hash", sa.String(64), nullable=False),
        sa.Column("previous_hash", sa.String(64)),
        sa.Column("generation", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("rotated_at", sa.Text(), nullable=False),
    )
    op.create_index("idx_sessions_user", "sessions", ["user_id", "created_at"])
    op.create_index("idx_sessions_expires", "sessions", ["expires_at"])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
