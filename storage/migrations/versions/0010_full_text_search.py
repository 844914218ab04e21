"""Full-text search: `search_entries` (a dossier, a document or a page, with the text its snippet shows) and, per
database, the index of their words: an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL
(storage/fulltext.py). The service fills it at start-up when it is empty (digitize/dossiers/search_index.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage import fulltext

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(48), nullable=False, unique=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("dossier_id", sa.String(32), nullable=False),
        sa.Column("agency_code", sa.String(32), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("page_index", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_index("ix_search_entries_dossier_id", "search_entries", ["dossier_id"])
    op.create_index("ix_search_entries_document_id", "search_entries", ["document_id"])
    for statement in fulltext.create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in fulltext.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table("search_entries")
