"""Wardrobe items, category sections (platform + per user) and categories (platform + per user).

Revision ID: 002 (was migrations/002_wardrobe_and_categories.sql)
"""

import sqlalchemy as sa
from alembic import op

revision = "002"
down_revision = "001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PRICE = sa.Double().with_variant(sa.REAL(), "sqlite")
SEEDED_AT = "2026-01-01T00:00:00Z"


def upgrade():
    sections = op.create_table(
        "category_sections",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("sort_order", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("icon_name", sa.String(100)),
        sa.Column("icon_url", sa.Text()),
        sa.Column("user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="CASCADE")),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.UniqueConstraint("user_id", "name"),
        sqlite_autoincrement=True,
    )
    platform = op.create_table(
        "platform_categories",
        sa.Column("id", ID, primary_key=True),
        sa.Column("section_name", sa.String(100), nullable=False),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("sort_order", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("created_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "wardrobe_categories",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("category_section", sa.String(100), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.UniqueConstraint("user_id", "name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "wardrobe",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "user_id", sa.String(255), sa.ForeignKey("users.userid", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("garment_id", sa.String(255), nullable=False, unique=True),
        sa.Column("garment_type", sa.String(50)),
        sa.Column("garment_url", sa.Text()),
        sa.Column("category", sa.String(100)),
        sa.Column("garment_category_type", sa.String(50)),
        sa.Column("brand", sa.String(255)),
        sa.Column("color", sa.String(100)),
        sa.Column("is_external", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("title", sa.Text()),
        sa.Column("price", PRICE),
        sa.Column("currency", sa.String(3)),
        sa.Column("category_id", sa.Integer()),
        sa.Column("platform_category_id", sa.Integer(), sa.ForeignKey("platform_categories.id")),
        sa.Column("custom_category_name", sa.String(255)),
        sa.Column("category_section", sa.String(100), nullable=False),
        sa.Column("fabric", sa.Text()),
        sa.Column("care_instructions", sa.Text()),
        sa.Column("size", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("image_path", sa.Text()),
        sa.Column("date_added", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["wardrobe_categories.id"], ondelete="SET NULL"),
        sqlite_autoincrement=True,
    )
    op.create_index("idx_wardrobe_user_created", "wardrobe", ["user_id", "created_at"])
    op.create_index("idx_wardrobe_category", "wardrobe", ["category_id"])

    op.bulk_insert(
        sections,
        [
            {
                "name": name,
                "display_name": display,
                "description": description,
                "sort_order": order,
                "icon_name": name,
                "user_id": None,
                "created_at": SEEDED_AT,
                "updated_at": SEEDED_AT,
            }
            for order, (name, display, description) in enumerate(
                [
                    ("upper_body", "Upper Body", "Tops, shirts, sweaters, jackets and dresses"),
                    ("lower_body", "Lower Body", "Pants, jeans, shorts, skirts and leggings"),
                    ("accessoires", "Accessories", "Bags, shoes, hats, jewelry and belts"),
                    ("wishlist", "Wishlist", "Things to buy later"),
                ],
                start=1,
            )
        ],
    )
    categories = {
        "upper_body": ["T-Shirts", "Shirts", "Sweaters", "Jackets", "Dresses"],
        "lower_body": ["Pants", "Jeans", "Shorts", "Skirts", "Leggings"],
        "accessoires": ["Bags", "Shoes", "Hats", "Jewelry", "Belts"],
    }
    op.bulk_insert(
        platform,
        [
            {
                "section_name": section,
                "name": display.lower().replace("-", "_"),
                "display_name": display,
                "sort_order": order,
                "created_at": SEEDED_AT,
            }
            for section, names in categories.items()
            for order, display in enumerate(names, start=1)
        ],
    )


def downgrade():
    raise NotImplementedError("the schema only moves forward")
