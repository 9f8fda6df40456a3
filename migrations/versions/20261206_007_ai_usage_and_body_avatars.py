"""AI usage and the cost guard; a failed job's provider details; the full-length body avatar.

* tryon_usage: one row per accepted try-on, written with the job and kept when the job is deleted (an
  account's deletion only removes the link to it), so the daily limit and the cost metrics count every
  generation. The model, token counts, estimated cost and model seconds are filled in when it ends.
* tryon_jobs.error_details: what the provider said about a failed job (operator fields such as `upstream`).
* users.body_avatar_path / body_avatar_key: the full-length photo built from a head-and-shoulders one, and
  what it was built from (photo, measurements, gender), so it is reused until one of them changes.

Revision ID: 007 (was migrations/007_ai_usage_and_body_avatars.sql). It follows 008 here: 008 reached main
first, so databases of the numbered files went 006 → 008 → 007.
"""

import sqlalchemy as sa
from alembic import op

revision = "007"
down_revision = "008"
branch_labels = None
depends_on = None

AMOUNT = sa.Double().with_variant(sa.REAL(), "sqlite")


def upgrade():
    op.create_table(
        "tryon_usage",
        sa.Column("job_id", sa.String(255), primary_key=True),
        sa.Column("user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="SET NULL")),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("provider", sa.String(50)),
        sa.Column("model", sa.String(100)),
        *(
            sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))
            for name in ("calls", "prompt_tokens", "output_tokens", "thought_tokens", "total_tokens")
        ),
        sa.Column("cost_usd", AMOUNT),
        sa.Column("model_seconds", AMOUNT),
    )
    op.create_index("idx_tryon_usage_user_day", "tryon_usage", ["user_id", "day"])
    op.add_column("tryon_jobs", sa.Column("error_details", sa.Text()))
    op.add_column("users", sa.Column("body_avatar_path", sa.Text()))
    op.add_column("users", sa.Column("body_avatar_key", sa.String(64)))


def downgrade():
    raise NotImplementedError("the schema only moves forward")
