"""Page order and exclusion at the counter; the officer's component of a document.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:16:49.571196
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("component", sa.String(length=64), nullable=True))

    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("excluded", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("excluded")
        batch_op.drop_column("position")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("component")
