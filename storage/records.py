"""Relational records (SQLAlchemy 2): agencies and accounts, dossiers, their uploaded files, scanned pages to
process, logical pages, documents with their review trail, results, reuse and audit events, jobs. SQLite by default;
the same models run on PostgreSQL. The schema is created and upgraded by Alembic (storage/migrations)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
    inspect,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker
from sqlalchemy.types import TypeDecorator


def now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A moment: stored in UTC, and read back aware, in UTC, whatever the database. SQLite keeps no zone: a time
    read from it was naive, and the API sent it without an offset, which pages took for local time (a receipt
    read 7 hours off). A naive time given here is taken as UTC, as every time this code makes is."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def coerce_compared_value(self, op: object, value: object) -> object:
        # A moment compared is converted to UTC like one stored (SQLite compares the text: a bound at +07:00 was
        # compared as if UTC, 7 hours off); `at - timedelta(...)` binds an interval, the type DateTime would choose.
        return self if isinstance(value, datetime) else self.impl.coerce_compared_value(op, value)

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        return in_utc(value) if isinstance(value, datetime) else value

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else in_utc(value)


def in_utc(t: datetime) -> datetime:
    """The moment in UTC, aware; a naive one is taken as UTC already."""
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


# Named constraints: Alembic can only alter or drop a constraint it can name, on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class DossierState(StrEnum):
    RECEIVED = "received"  # created, files may still come
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


class WorkState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    READ = "read"  # read by a worker, its output staged; numbered into the dossier's pages when all are read
    DONE = "done"
    FAILED = "failed"


class Role(StrEnum):
    COUNTER = "counter"  # opens dossiers, scans, offers reuse, hands out results
    REVIEWER = "reviewer"  # checks extracted fields, approves or rejects documents
    LEADER = "leader"  # reads the figures
    ADMIN = "admin"  # accounts and the audit log of the agency
    CITIZEN = "citizen"  # a person logged in with their ID number: their own papers and dossiers
    SYSTEM = "system"  # the command line, the demo and the page workers: no account, every right
    ANONYMOUS = "anonymous"  # nobody logged in: a refused login, on the audit trail


STAFF_ROLES = (Role.COUNTER, Role.REVIEWER, Role.LEADER, Role.ADMIN)  # the roles a staff account may hold


class DocState(StrEnum):
    EXTRACTED = "extracted"
    REVIEWED = "reviewed"  # a reviewer changed a field; the decision is still to come
    APPROVED = "approved"  # part of the citizen's repository
    REJECTED = "rejected"


OPEN_STATES = (DocState.EXTRACTED, DocState.REVIEWED)  # documents still waiting for a decision


class Agency(Base):
    """A receiving unit (Bộ phận Một cửa of a commune, district or province), by its unit code."""

    __tablename__ = "agencies"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)


class User(Base):
    """A staff account, scoped to one agency."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The officer's signing certificate and key (PEM) for certified e-copies.
    cert_pem: Mapped[str | None] = mapped_column(Text)
    key_pem: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)


class Citizen(Base):
    """A person by personal ID number; the password (or one-time code) is set at the counter."""

    __tablename__ = "citizens"
    id_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    full_name: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    code_hash: Mapped[str | None] = mapped_column(String(255))
    code_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)


class LoginSession(Base):
    """A logged-in session; only the SHA-256 of its token is kept, so a database copy logs nobody in."""

    __tablename__ = "login_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # staff | citizen
    subject: Mapped[str] = mapped_column(String(64), index=True)  # username or ID number
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LoginFailure(Base):
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now, index=True)


class DossierCounter(Base):
    """Last dossier number given per unit and day: one upsert hands out the next, so codes never repeat."""

    __tablename__ = "dossier_counters"
    unit_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[str] = mapped_column(String(6), primary_key=True)  # YYMMDD, local date of receipt
    last: Mapped[int] = mapped_column(Integer, default=0)


class Dossier(Base):
    __tablename__ = "dossiers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code: Mapped[str | None] = mapped_column(String(48), unique=True)  # <unit code>-YYMMDD-NNNN
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    citizen_id: Mapped[str | None] = mapped_column(String(12), index=True)
    created_by: Mapped[str | None] = mapped_column(String(64))
    procedure: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=DossierState.RECEIVED)
    error: Mapped[str | None] = mapped_column(Text)
    searchable_key: Mapped[str | None] = mapped_column(String(255))
    # The procedure's component checklist, its prefilled form and the cross-document warnings.
    checks: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now, onupdate=now)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    due_date: Mapped[date | None] = mapped_column(Date)  # the result promised on the receipt, fixed at reception
    # Opened to digitize an archive (digitize batch), not received from a citizen: apart in the figures.
    archive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Who handed the dossier in, as the receipt of Circular 01/2018 names them (the submitter may not be the citizen).
    applicant_name: Mapped[str | None] = mapped_column(String(255))
    applicant_address: Mapped[str | None] = mapped_column(String(500))
    applicant_phone: Mapped[str | None] = mapped_column(String(32))
    applicant_email: Mapped[str | None] = mapped_column(String(255))
    notify: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # consent to SMS/e-mail
    # Per component key, what the counter received: {"originals": n, "copies": n, "presented": bool}.
    handed_in: Mapped[dict | None] = mapped_column(JSON)
    # The counter's decision when the dossier is not simply received: "supplement" (incomplete) or "refused".
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    outcome_by: Mapped[str | None] = mapped_column(String(64))
    outcome_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # A late dossier: the new date promised in the apology slip, and why.
    new_due_date: Mapped[date | None] = mapped_column(Date)
    delay_reason: Mapped[str | None] = mapped_column(Text)

    files: Mapped[list[DossierFile]] = relationship(back_populates="dossier", order_by="DossierFile.seq")
    pages: Mapped[list[Page]] = relationship(back_populates="dossier", order_by="Page.index")


class Original(Base):
    """Uploaded bytes, stored once under their SHA-256 before anything else happens."""

    __tablename__ = "originals"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # sniffed from content: pdf, tiff, jpeg, png, unknown
    key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)


class DossierFile(Base):
    __tablename__ = "dossier_files"
    __table_args__ = (UniqueConstraint("dossier_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # upload order within the dossier
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("originals.sha256"))
    kind: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(16), default="submission")  # submission | result
    accepted: Mapped[bool] = mapped_column(Boolean, default=True)
    error: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)

    dossier: Mapped[Dossier] = relationship(back_populates="files")
    scans: Mapped[list[Scan]] = relationship(back_populates="file", order_by="Scan.number")


class Scan(Base):
    """One physical page of an uploaded file: the unit of work of the pipeline."""

    __tablename__ = "scans"
    __table_args__ = (UniqueConstraint("file_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("dossier_files.id"))
    number: Mapped[int] = mapped_column(Integer)  # 1-based page number in the file
    ref: Mapped[dict] = mapped_column(JSON)  # intake.PageRef as a dict
    state: Mapped[str] = mapped_column(String(16), default=WorkState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    timings: Mapped[dict | None] = mapped_column(JSON)
    worker: Mapped[str | None] = mapped_column(String(96))  # host:pid of the last worker that took it

    file: Mapped[DossierFile] = relationship(back_populates="scans")


class Page(Base):
    """A logical page (an A3 spread gives two), numbered from 0 across the dossier."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("dossier_id", "index"), UniqueConstraint("scan_id", "part"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))
    part: Mapped[int] = mapped_column(Integer, default=0)  # 0, or 1 for the right half of a spread
    index: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))
    paper: Mapped[str] = mapped_column(String(8))
    dpi: Mapped[int] = mapped_column(Integer)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    skew_deg: Mapped[float] = mapped_column(Float, default=0.0)
    blank: Mapped[bool] = mapped_column(Boolean, default=False)
    blur_px: Mapped[float] = mapped_column(Float, default=0.0)
    colour: Mapped[bool] = mapped_column(Boolean, default=False)
    width_px: Mapped[int] = mapped_column(Integer, default=0)
    height_px: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    # "cleaned": our cleaned image was read; "plain": the image as it came read better and was kept.
    reading: Mapped[str] = mapped_column(String(16), default="cleaned", server_default="cleaned")
    scale: Mapped[float] = mapped_column(Float, default=1.0, server_default="1.0")  # resize to the text size
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set at the counter: the page's place when the officer reorders (None: scan order), and a page left out of
    # the dossier (a bad scan replaced by a rescan). The page and its files stay stored either way.
    position: Mapped[int | None] = mapped_column(Integer)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    dossier: Mapped[Dossier] = relationship(back_populates="pages")


class Document(Base):
    """A paper found in a dossier: extracted → (reviewed) → approved into the citizen's repository, or rejected."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    type: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255), default="")
    pages: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    is_result: Mapped[bool] = mapped_column(Boolean, default=False)  # the issued paper of the procedure
    component: Mapped[str | None] = mapped_column(String(64))  # the officer's assignment to a dossier component
    # An officer who set this document's pages or type by hand (split, merge, change of type): the reading keeps it.
    grouped_by: Mapped[str | None] = mapped_column(String(64))
    owner_id: Mapped[str | None] = mapped_column(String(12), index=True)  # whose paper: an ID number
    valid_until: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default=DocState.EXTRACTED, index=True)
    # Risk for the review queue: failed validations first, then the least confident field.
    invalid_fields: Mapped[int] = mapped_column(Integer, default=0)
    min_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reject_reason: Mapped[str | None] = mapped_column(Text)
    # The certified e-copy: the document's pages, stamped and signed by the digitizing officer.
    ecopy_key: Mapped[str | None] = mapped_column(String(255))
    ecopy_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    signed_by: Mapped[str | None] = mapped_column(String(64))
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)


class Correction(Base):
    """A reviewer's change of one extracted field: old and new value, who and when."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)


class Result(Base):
    """The paper a procedure issues (a birth certificate…): issued with or without a digitized copy."""

    __tablename__ = "results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    document_type: Mapped[str | None] = mapped_column(String(64))
    file_seq: Mapped[int | None] = mapped_column(Integer)  # the scan of the issued paper, when digitized
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)
    replaced_by: Mapped[int | None] = mapped_column(Integer)  # the result recorded in its place, if any
    collector_name: Mapped[str | None] = mapped_column(String(200))  # who collected the paper at the counter
    collector_id: Mapped[str | None] = mapped_column(String(12))


class Reuse(Base):
    """A paper from the citizen's repository attached to a dossier by reference, instead of a new scan."""

    __tablename__ = "reuses"
    __table_args__ = (UniqueConstraint("dossier_id", "document_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    component: Mapped[str | None] = mapped_column(String(64))
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)


class SearchEntry(Base):
    """One thing full-text search finds: a dossier (its code, citizen, applicant, procedure), a document (its type
    and fields) or a page (its text), rewritten whenever that changes (digitize/dossiers/search_index.py). `body`
    is the text shown in the snippet; its words are indexed per database, outside this model
    (storage/fulltext.py): an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL."""

    __tablename__ = "search_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(48), unique=True)  # "dossier:<id>", "document:<id>", "page:<id>"
    kind: Mapped[str] = mapped_column(String(8))  # dossier | document | page
    dossier_id: Mapped[str] = mapped_column(String(32), index=True)
    agency_code: Mapped[str | None] = mapped_column(String(32))  # the dossier's: a search's scope without a join
    document_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the document, or the one holding the page
    page_index: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """A message to deliver (an e-mail or SMS to a citizen, a paper to the national portal), written in the same
    transaction as the change it tells of and delivered later by the sender (digitize/outbox), with retries.
    `key` makes the same event write one message however often it is told."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | sms | portal
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    agency_code: Mapped[str | None] = mapped_column(String(32), index=True)
    dossier_id: Mapped[str | None] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(8), default="pending")  # pending | sent | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Rating(Base):
    """A citizen's satisfaction with a dossier, given on the screen turned towards them at the counter: one per
    dossier (the unique dossier_id, so two taps at once record one), a score and optional aspects from 1 (rất không
    hài lòng) to 5 (rất hài lòng), a comment. A comment that is a complaint (phản ánh, kiến nghị) waits for the
    leader's answer."""

    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), unique=True)
    score: Mapped[int] = mapped_column(Integer)
    aspect_guidance: Mapped[int | None] = mapped_column(Integer)  # Hướng dẫn
    aspect_attitude: Mapped[int | None] = mapped_column(Integer)  # Thái độ của công chức
    aspect_time: Mapped[int | None] = mapped_column(Integer)  # Thời gian giải quyết
    aspect_result: Mapped[int | None] = mapped_column(Integer)  # Kết quả
    comment: Mapped[str | None] = mapped_column(Text)
    moment: Mapped[str] = mapped_column(String(16))  # reception | handover
    recorded_by: Mapped[str] = mapped_column(String(64), index=True)  # the officer whose counter it was given at
    officer: Mapped[str | None] = mapped_column(String(64))  # the dossier's receiving officer (created_by)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now, index=True)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)  # the citizen ticked "phản ánh, kiến nghị"
    complaint: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # flagged, or its words say so
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Kiosk(Base):
    """What the rating screen of an officer's counter shows: the dossier the officer has open, and whether they
    invited the citizen to rate it (at reception or hand-over). One row per officer, written by the counter page
    and polled by the screen, so a second device logged in as the officer follows too."""

    __tablename__ = "kiosks"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    dossier_id: Mapped[str | None] = mapped_column(ForeignKey("dossiers.id"))
    moment: Mapped[str | None] = mapped_column(String(16))  # the invitation's: reception | handover
    invited_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)


class AuditEvent(Base):
    """Who read or changed what, when, from where. `agency_code` is the agency whose admins see the event."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # username, "citizen:<id>", or "system"
    role: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[str | None] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    citizen_id: Mapped[str | None] = mapped_column(String(12), index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=WorkState.PENDING)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=now)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


def upsert(s, model: type[Base]):
    """An INSERT of the session's dialect that takes ON CONFLICT clauses (SQLite and PostgreSQL both have them)."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def insert_ignore(s, model: type[Base], **values: object) -> None:
    """INSERT the row unless one with the same key exists, in one statement: no read-then-write race."""
    s.execute(upsert(s, model).values(**values).on_conflict_do_nothing())


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the API read while a job writes; busy_timeout waits for the writer instead of failing.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        # A restarted database server leaves dead connections in the pool: test each before use.
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x64696769  # "digi": the advisory lock key held while the schema is upgraded


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a new database gets every table)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # SQLite alters a table by copying it: foreign keys pointing at it must not be enforced meanwhile.
            # The pragma only takes effect outside a transaction.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            if engine.dialect.name == "postgresql":
                # API replicas and workers start together: one migrates, the others wait, then find it done.
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            tables = inspect(conn).get_table_names()
            if "dossiers" in tables and "alembic_version" not in tables:
                # Made by create_all before migrations existed: that schema is revision 0001.
                command.stamp(cfg, "0001")
            command.upgrade(cfg, "head")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def outside_models(obj, name, type_, reflected, compare_to) -> bool:
    """False for what the full-text index keeps per database beside the models (the FTS5 table and its shadow
    tables; the tsvector column and its GIN index): Alembic's comparison of models and schema leaves them out."""
    if type_ == "table":
        return not (name or "").startswith("search_fts")
    return not (type_ in ("column", "index") and name in ("words", "ix_search_entries_words"))


def make_sessionmaker(url: str) -> sessionmaker:
    engine = make_engine(url)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)
