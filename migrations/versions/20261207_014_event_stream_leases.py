"""Event streams counted across processes: one row per open stream (features/tryon/events.py).

* event_stream_leases: a stream of `user_id` open on some server process until `lease_until`. The stream
  renews its lease while it runs and deletes it when it ends; one whose process died stops counting at
  `lease_until`. MAX_EVENT_STREAMS_PER_USER counts these rows, so the cap holds however many API processes
  serve the user. A user's rows go with the account.

Revision ID: 014
Revises: 013
"""

import sqlalchemy as sa
from alembic import op

revision = "014"
down_revision = "013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_stream_leases",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("lease_until", sa.Text(), nullable=False),
    )
    op.create_index("idx_event_stream_leases_user", "event_stream_leases", ["user_id"])
    op.create_index("idx_event_stream_leases_until", "event_stream_leases", ["lease_until"])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
