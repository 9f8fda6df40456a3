"""Idempotency keys: the first answer to a POST sent with an `Idempotency-Key` header (shared/idempotency.py).

* idempotency_keys: one row per (scope, key): the caller's scope (`user:<userid>`, or `account` for sign-up,
  which has no caller yet) and the client's key. The primary key is what makes claiming a key atomic: of two
  requests with one key, one INSERT succeeds and the other learns the key is taken. `fingerprint` is an HMAC
  (under SECRET_KEY) of the request; `answer` the first answer's body and headers, encrypted with a key
  derived from the request itself. A row is `in_progress` (until `lease_until`) or `done`, and is deleted at
  `expires_at` (24 hours); a user's rows go with the account.

Revision ID: 012
"""

import sqlalchemy as sa
from alembic import op

revision = "012"
down_revision = "011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(300), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="CASCADE")),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("lease_until", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer()),
        sa.Column("answer", sa.Text()),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "idempotency_key"),
    )
    op.create_index("idx_idempotency_keys_expires", "idempotency_keys", ["expires_at"])
    op.create_index("idx_idempotency_keys_user", "idempotency_keys", ["user_id"])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
