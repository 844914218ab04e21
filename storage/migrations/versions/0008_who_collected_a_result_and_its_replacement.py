"""Who collected a result, and a result replaced by another: a second result for a dossier is refused unless the
officer says it replaces the first (a second click recorded two), and the name and ID number of the person who
collected the paper are kept with it. Results recorded before this revision have neither.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaced_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("collector_name", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("collector_id", sa.String(12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_column("collector_id")
        batch_op.drop_column("collector_name")
        batch_op.drop_column("replaced_by")
