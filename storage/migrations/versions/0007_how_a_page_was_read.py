"""How a page was read: `reading` says whether our cleaned image or the image as it came gave the reading kept
(the pipeline never keeps a reading worse than plain Tesseract's), `scale` how far the page was resized to bring
its text to the size Tesseract reads best. Pages read before this revision were all cleaned, at scale 1.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reading", sa.String(16), server_default="cleaned", nullable=False))
        batch_op.add_column(sa.Column("scale", sa.Float(), server_default=sa.text("1.0"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("scale")
        batch_op.drop_column("reading")
