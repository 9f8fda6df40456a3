"""Cache of extracted product pages, keyed by canonical URL (tracking parameters stripped).

Revision ID: 004 (was migrations/004_garment_metadata.sql)
"""

import sqlalchemy as sa
from alembic import op

revision = "004"
down_revision = "003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PRICE = sa.Double().with_variant(sa.REAL(), "sqlite")


def upgrade():
    op.create_table(
        "garment_metadata",
        sa.Column("id", ID, primary_key=True),
        sa.Column("url", sa.Text(), nullable=False, unique=True),
        sa.Column("title", sa.Text()),
        sa.Column("images", sa.Text()),
        sa.Column("price", PRICE),
        sa.Column("currency", sa.String(3)),
        sa.Column("sizes", sa.Text()),
        sa.Column("colors", sa.Text()),
        sa.Column("brand", sa.String(255)),
        sa.Column("metadata", sa.Text()),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade():
    raise NotImplementedError("the schema only moves forward")
