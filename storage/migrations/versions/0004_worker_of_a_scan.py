"""The worker that last took a scan (host:pid), for the fault tests and for operators.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 12:44:04.049333
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worker", sa.String(length=96), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.drop_column("worker")
