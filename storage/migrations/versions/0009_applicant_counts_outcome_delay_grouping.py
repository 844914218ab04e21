"""The official one-stop forms and the officer's grouping: who handed the dossier in (name, address, phone), how
many originals and copies of each component were received, the counter's decision to ask for more papers or to
refuse, the new date of a late dossier and why, and documents whose pages or type an officer set by hand.
Dossiers received before this revision have none of these (the forms print what they have).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DOSSIER_COLUMNS = (
    ("applicant_name", sa.String(255)),
    ("applicant_address", sa.String(500)),
    ("applicant_phone", sa.String(32)),
    ("handed_in", sa.JSON()),
    ("outcome", sa.String(16)),
    ("outcome_reason", sa.Text()),
    ("outcome_by", sa.String(64)),
    ("outcome_at", sa.DateTime(timezone=True)),
    ("new_due_date", sa.Date()),
    ("delay_reason", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        for name, kind in DOSSIER_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grouped_by", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("grouped_by")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        for name, _ in reversed(DOSSIER_COLUMNS):
            batch_op.drop_column(name)
