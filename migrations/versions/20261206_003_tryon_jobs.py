"""Try-on jobs: the persistent queue. The row is the source of truth for status, progress and errors.

Revision ID: 003 (was migrations/003_tryon_jobs.sql)
"""

import sqlalchemy as sa
from alembic import op

revision = "003"
down_revision = "002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tryon_jobs",
        sa.Column("job_id", sa.String(255), primary_key=True),
        sa.Column(
            "user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(20), nullable=False, server_default="single"),
        sa.Column("status", sa.String(50), nullable=False, server_default="queued"),
        sa.Column("progress", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("stage", sa.String(50)),
        sa.Column("person_image_path", sa.Text()),
        sa.Column("garment_image_path", sa.Text()),
        sa.Column("inputs", sa.Text()),
        sa.Column("options", sa.Text()),
        sa.Column("result_image_path", sa.Text()),
        sa.Column("error_code", sa.String(100)),
        sa.Column("error_message", sa.Text()),
        sa.Column("provider", sa.String(50)),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("started_at", sa.Text()),
        sa.Column("finished_at", sa.Text()),
    )
    op.create_index("idx_tryon_jobs_user_created", "tryon_jobs", ["user_id", "created_at"])
    op.create_index("idx_tryon_jobs_status", "tryon_jobs", ["status", "created_at"])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
