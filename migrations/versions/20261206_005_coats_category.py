"""Shops sell coats as their own category; filing them under jackets loses information.

Revision ID: 005 (was migrations/005_coats_category.sql)
"""

import sqlalchemy as sa
from alembic import op

revision = "005"
down_revision = "004"
branch_labels = None
depends_on = None


def upgrade():
    platform = sa.table(
        "platform_categories",
        sa.column("section_name"),
        sa.column("name"),
        sa.column("display_name"),
        sa.column("sort_order"),
        sa.column("created_at"),
    )
    op.bulk_insert(
        platform,
        [
            {
                "section_name": "upper_body",
                "name": "coats",
                "display_name": "Coats",
                "sort_order": 6,
                "created_at": "2026-01-01T00:00:00Z",
            }
        ],
    )


def downgrade():
    raise NotImplementedError("the schema only moves forward")
