"""Satisfaction at the counter: `ratings` (one per dossier, its score and aspects, a comment, a complaint and the
leader's answer) and `kiosks` (the dossier an officer's rating screen shows, and the invitation to rate it).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _to_dossier(table: str) -> sa.ForeignKey:
    return sa.ForeignKey("dossiers.id", name=f"fk_{table}_dossier_id_dossiers")  # the models' naming convention


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("dossier_id", sa.String(32), _to_dossier("ratings"), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("aspect_guidance", sa.Integer(), nullable=True),
        sa.Column("aspect_attitude", sa.Integer(), nullable=True),
        sa.Column("aspect_time", sa.Integer(), nullable=True),
        sa.Column("aspect_result", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("moment", sa.String(16), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("officer", sa.String(64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("complaint", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(64), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ratings"),
        # One rating per dossier, enforced here: two taps at once insert one row, the other gets a conflict.
        sa.UniqueConstraint("dossier_id", name="uq_ratings_dossier_id"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_ratings_score"),
    )
    op.create_index("ix_ratings_recorded_by", "ratings", ["recorded_by"])
    op.create_index("ix_ratings_at", "ratings", ["at"])
    op.create_index("ix_ratings_complaint", "ratings", ["complaint"])
    op.create_table(
        "kiosks",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("dossier_id", sa.String(32), _to_dossier("kiosks"), nullable=True),
        sa.Column("moment", sa.String(16), nullable=True),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", name="pk_kiosks"),
    )


def downgrade() -> None:
    op.drop_table("kiosks")
    op.drop_index("ix_ratings_complaint", table_name="ratings")
    op.drop_index("ix_ratings_at", table_name="ratings")
    op.drop_index("ix_ratings_recorded_by", table_name="ratings")
    op.drop_table("ratings")
