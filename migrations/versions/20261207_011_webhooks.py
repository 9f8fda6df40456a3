"""Webhooks: each account's default callback URL and signing secret; the outbox of try-on callbacks.

* webhook_endpoints: one row per account that asked for its secret or set a URL (`url` may be NULL).
  The secret signs deliveries (HMAC-SHA256), so it is kept as it is, like the SECRET_KEY that signs image URLs.
* webhook_deliveries: one row per job that has a callback, written with the job (status `waiting`) and made
  due (`pending`) in the transaction that ends the job. The deliverer leases due rows (`lease_until`,
  `lease_token`: a lease whose process died runs out and the row is taken again), then records the attempt:
  `delivered`, `pending` again at `next_attempt_at`, or `failed` after the last attempt. Finished rows are
  deleted WEBHOOK_RETENTION_DAYS after `finished_at`.

Revision ID: 011
Revises: 009
"""

import sqlalchemy as sa
from alembic import op

revision = "011"
down_revision = "009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "webhook_endpoints",
        sa.Column(
            "user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("url", sa.Text()),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("delivery_id", sa.String(64), primary_key=True),
        sa.Column(
            "job_id",
            sa.String(255),
            sa.ForeignKey("tryon_jobs.job_id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_status", sa.Integer()),
        sa.Column("last_error", sa.String(100)),
        sa.Column("next_attempt_at", sa.Text()),
        sa.Column("lease_until", sa.Text()),
        sa.Column("lease_token", sa.String(64)),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.Text()),
    )
    op.create_index("idx_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"])
    op.create_index("idx_webhook_deliveries_finished", "webhook_deliveries", ["status", "finished_at"])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
