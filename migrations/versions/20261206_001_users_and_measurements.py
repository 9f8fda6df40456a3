"""Accounts and body measurements. Images live on disk/object storage, never in the database.

Revision ID: 001 (was migrations/001_users_and_measurements.sql)
"""

import sqlalchemy as sa
from alembic import op

revision = "001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite assigns INTEGER PRIMARY KEYs itself
MEASURE = sa.Double().with_variant(sa.REAL(), "sqlite")
MEASUREMENTS = (
    "height",
    "weight",
    "shoulder_circumference",
    "arm_length",
    "breast_circumference",
    "under_breast_circumference",
    "waist_circumference",
    "hip_circumference",
    "upper_thigh_circumference",
    "neck_circumference",
    "biceps_circumference",
    "upper_hip_circumference",
    "wide_hip_circumference",
    "calf_circumference",
    "waist_to_crotch_front_length",
    "waist_to_crotch_back_length",
    "inner_leg_length",
    "foot_length",
    "foot_width",
    "chest",
    "waist",
    "hips",
    "inseam",
    "shoulder_width",
)


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", ID, primary_key=True),
        sa.Column("userid", sa.String(255), nullable=False, unique=True),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("password", sa.String(255), nullable=False),
        sa.Column("first_name", sa.String(255)),
        sa.Column("last_name", sa.String(255)),
        sa.Column("gender", sa.String(50)),
        sa.Column("birthday", sa.Date()),
        sa.Column("street", sa.Text()),
        sa.Column("city", sa.Text()),
        sa.Column("avatar_path", sa.Text()),
        sa.Column("is_active", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("token_version", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "body_measurements",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "user_id",
            sa.String(255),
            sa.ForeignKey("users.userid", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        *(sa.Column(name, MEASURE) for name in MEASUREMENTS),
        sa.Column("unit", sa.Text(), nullable=False, server_default="metric"),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade():
    raise NotImplementedError("the schema only moves forward")
