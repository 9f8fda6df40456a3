"""Photos uploaded to the Gemini Files API, recorded for every process (shared/ai_models/gemini_files.py).

* gemini_files: one row per photo (`sha256` of its bytes) uploaded with one API key (`key_fingerprint`: a SHA-256
  of the base URL and the key, never the key). `state` is `uploading` (a process claimed the upload; the claim
  lapses at `expires_at`), `active` (Google has it as `name`/`uri` until `expires_at`, 48 h after the upload) or
  `deleting` (its user deleted their photo or account: it is to be deleted at Google). `user_id` is the user whose
  photo it is, none once a second user's try-on sent the same photo (a popular garment's photo). The unique index
  over the rows not being deleted makes claiming an upload atomic: of two processes one INSERT succeeds.
  A user's rows are marked `deleting` in the transaction that deletes their photo or account; should a path
  miss that, ON DELETE SET NULL keeps the row (swept at its expiry) rather than losing the file's name.

Revision ID: 016
Revises: 015
"""

import sqlalchemy as sa
from alembic import op

revision = "016"
down_revision = "015"
branch_labels = None
depends_on = None

_NOT_DELETING = sa.text("state <> 'deleting'")


def upgrade():
    op.create_table(
        "gemini_files",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key_fingerprint", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("name", sa.String(255)),
        sa.Column("uri", sa.Text()),
        sa.Column("mime_type", sa.String(100)),
        sa.Column("user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="SET NULL")),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
    )
    op.create_index(
        "idx_gemini_files_photo",
        "gemini_files",
        ["key_fingerprint", "sha256"],
        unique=True,
        sqlite_where=_NOT_DELETING,
        postgresql_where=_NOT_DELETING,
    )
    op.create_index("idx_gemini_files_user", "gemini_files", ["user_id"])
    op.create_index("idx_gemini_files_state", "gemini_files", ["state", "key_fingerprint"])
    op.create_index("idx_gemini_files_expires", "gemini_files", ["expires_at"])


def downgrade():
    raise NotImplementedError("the schema only moves forward")
