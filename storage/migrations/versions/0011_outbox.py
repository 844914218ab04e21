"""The outbox: messages to citizens and papers to the national portal, written with the change they tell of and
delivered later, with retries (digitize/outbox); the applicant's e-mail and consent to be told by SMS or e-mail.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(160), nullable=False, unique=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(255), nullable=False),
        sa.Column("subject", sa.String(255), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("agency_code", sa.String(32), nullable=True),
        sa.Column("dossier_id", sa.String(32), nullable=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    for column in ("agency_code", "dossier_id", "due_at"):
        op.create_index(f"ix_outbox_{column}", "outbox", [column])
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_email", sa.String(255), nullable=True))
        batch_op.add_column(sa.Column("notify", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("notify")
        batch_op.drop_column("applicant_email")
    op.drop_table("outbox")
