"""Dossiers opened to digitize an archive (digitize batch), kept apart from those received from citizens in the
figures. Those opened before this revision cannot be told from others and stay counted as received.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 15:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archive", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("archive")
