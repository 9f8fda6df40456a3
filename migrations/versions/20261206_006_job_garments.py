"""What a try-on job found out about each garment while it ran: its type, where that type came from
(client, page, ai, silhouette) and how it was photographed (flat-lay, on-model). JSON list.

Revision ID: 006 (was migrations/006_job_garments.sql)
"""

import sqlalchemy as sa
from alembic import op

revision = "006"
down_revision = "005"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("tryon_jobs", sa.Column("garments", sa.Text()))


def downgrade():
    raise NotImplementedError("the schema only moves forward")
