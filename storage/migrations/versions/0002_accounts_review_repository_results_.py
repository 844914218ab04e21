"""Accounts, review, repository, results, reuse and audit.

Existing rows get server defaults: documents are "extracted", files are submissions.

accounts review repository results reuse audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 11:50:50.205862
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False, server_default=sa.text("''")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agencies")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("citizen_id", sa.String(length=12), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_agency_code"), ["agency_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_citizen_id"), ["citizen_id"], unique=False)

    op.create_table(
        "citizens",
        sa.Column("id_number", sa.String(length=12), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("code_hash", sa.String(length=255), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
        sa.PrimaryKeyConstraint("id_number", name=op.f("pk_citizens")),
    )
    op.create_table(
        "dossier_counters",
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("day", sa.String(length=6), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit_code", "day", name=op.f("pk_dossier_counters")),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failures_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_subject"), ["subject"], unique=False)

    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_login_sessions")),
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_sessions_subject"), ["subject"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("cert_pem", sa.Text(), nullable=True),
        sa.Column("key_pem", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
        sa.ForeignKeyConstraint(["agency_code"], ["agencies.code"], name=op.f("fk_users_agency_code_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_agency_code"), ["agency_code"], unique=False)

    op.create_table(
        "results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dossier_id", sa.String(length=32), nullable=False),
        sa.Column("document_type", sa.String(length=64), nullable=True),
        sa.Column("file_seq", sa.Integer(), nullable=True),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=op.f("fk_results_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results")),
    )
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_results_dossier_id"), ["dossier_id"], unique=False)

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_corrections_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_corrections_document_id"), ["document_id"], unique=False)

    op.create_table(
        "reuses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dossier_id", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=64), nullable=True),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_reuses_document_id_documents")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=op.f("fk_reuses_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reuses")),
        sa.UniqueConstraint("dossier_id", "document_id", name=op.f("uq_reuses_dossier_id_document_id")),
    )
    with op.batch_alter_table("reuses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reuses_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reuses_dossier_id"), ["dossier_id"], unique=False)

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=255), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column("is_result", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("owner_id", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("state", sa.String(length=16), nullable=False, server_default="extracted"))
        batch_op.add_column(sa.Column("invalid_fields", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("min_confidence", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("decided_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reject_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("ecopy_key", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("ecopy_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("signed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()
            )
        )
        batch_op.create_index(batch_op.f("ix_documents_ecopy_sha256"), ["ecopy_sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_state"), ["state"], unique=False)

    with op.batch_alter_table("dossier_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(length=16), nullable=False, server_default="submission"))

    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=48), nullable=True))
        batch_op.add_column(sa.Column("agency_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("citizen_id", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("created_by", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_dossiers_agency_code"), ["agency_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossiers_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_dossiers_code"), ["code"])
        batch_op.create_foreign_key(
            batch_op.f("fk_dossiers_agency_code_agencies"), "agencies", ["agency_code"], ["code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_dossiers_agency_code_agencies"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_dossiers_code"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_dossiers_citizen_id"))
        batch_op.drop_index(batch_op.f("ix_dossiers_agency_code"))
        batch_op.drop_column("created_by")
        batch_op.drop_column("citizen_id")
        batch_op.drop_column("agency_code")
        batch_op.drop_column("code")

    with op.batch_alter_table("dossier_files", schema=None) as batch_op:
        batch_op.drop_column("purpose")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_state"))
        batch_op.drop_index(batch_op.f("ix_documents_owner_id"))
        batch_op.drop_index(batch_op.f("ix_documents_ecopy_sha256"))
        batch_op.drop_column("created_at")
        batch_op.drop_column("signed_at")
        batch_op.drop_column("signed_by")
        batch_op.drop_column("ecopy_sha256")
        batch_op.drop_column("ecopy_key")
        batch_op.drop_column("reject_reason")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decided_by")
        batch_op.drop_column("min_confidence")
        batch_op.drop_column("invalid_fields")
        batch_op.drop_column("state")
        batch_op.drop_column("valid_until")
        batch_op.drop_column("owner_id")
        batch_op.drop_column("is_result")
        batch_op.drop_column("name")

    with op.batch_alter_table("reuses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reuses_dossier_id"))
        batch_op.drop_index(batch_op.f("ix_reuses_document_id"))

    op.drop_table("reuses")
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrections_document_id"))

    op.drop_table("corrections")
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_results_dossier_id"))

    op.drop_table("results")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_agency_code"))

    op.drop_table("users")
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_sessions_subject"))

    op.drop_table("login_sessions")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_subject"))
        batch_op.drop_index(batch_op.f("ix_login_failures_at"))

    op.drop_table("login_failures")
    op.drop_table("dossier_counters")
    op.drop_table("citizens")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_citizen_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_agency_code"))

    op.drop_table("audit_events")
    op.drop_table("agencies")
