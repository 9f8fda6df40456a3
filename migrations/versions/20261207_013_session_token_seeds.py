"""Refresh tokens any generation of which can be checked: a random seed per session.

* sessions.token_seed: a session's refresh token of generation g ends in an HMAC (under SECRET_KEY) of its
  id, g and this seed (features/auth/sessions.py), so a token of any earlier generation can be told real
  (reuse: the session ends) from made up (401, the session goes on). NULL for sessions started before this
  revision: their tokens stay random, only the last two hashes are kept, and they work as before until the
  session ends or expires (REFRESH_TOKEN_DAYS).

Revision ID: 013
Revises: 012
"""

import sqlalchemy as sa
from alembic import op

revision = "013"
down_revision = "012"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("sessions", sa.Column("token_seed", sa.String(64)))


def downgrade():
    raise NotImplementedError("the schema only moves forward")
