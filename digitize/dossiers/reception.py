"""The counter's side of a dossier: open it, take its files (each original stored under its SHA-256 before
anything may refuse it), record the issued result, and the officer's arrangement of pages and components."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import Conflict, DigitizeError, IntakeError
from digitize.core.text import is_control
from digitize.core.workdays import due_date
from digitize.dossiers import notices
from digitize.dossiers.checks import refresh_checks
from digitize.dossiers.codes import next_code
from digitize.dossiers.keys import CONTENT_TYPES
from digitize.dossiers.lookup import (
    awaiting_review,
    document_in_scope,
    documents_on,
    dossier_in_scope,
    procedure_of,
    refuse_decided,
)
from digitize.dossiers.queries import result_json
from digitize.people import audit, auth
from digitize.people.auth import Principal
from digitize.scan.intake import Limits, PageRef, empty_file, file_name, file_too_large, inspect, sniff
from storage.objects import original_key
from storage.records import (
    Agency,
    Dossier,
    DossierFile,
    DossierState,
    Original,
    Page,
    Result,
    Role,
    Scan,
    WorkState,
    insert_ignore,
)


@dataclass(frozen=True)
class Collector:
    """Who collected a result at the counter: the name, and the 12-digit ID number shown."""

    name: str
    id_number: str | None = None

    @classmethod
    def given(cls, name: str | None, id_number: str | None) -> Collector | None:
        """The collector typed at the counter, checked; None when no name was given."""
        name = " ".join((name or "").split())
        if not name:
            if id_number:
                raise DigitizeError("collector_name_required", "give the name of the person collecting the result",
                                    "Cần ghi họ tên người nhận kết quả.", status=422)  # fmt: skip
            return None
        if len(name) > 200 or any(map(is_control, name)):
            raise DigitizeError("bad_collector_name", "the collector's name is too long or has control characters",
                                "Họ tên người nhận kết quả không hợp lệ.", status=422)  # fmt: skip
        return cls(name, auth.check_id_number(id_number) if id_number else None)


@dataclass
class FileReceipt:
    """What happened to one uploaded file: always its SHA-256 and whether the bytes are kept."""

    name: str
    sha256: str | None
    stored: bool
    size: int
    kind: str
    pages: int = 0
    error: DigitizeError | None = None
    seq: int | None = None  # the file's number in the dossier, once stored

    def to_json(self) -> dict:
        d = {"name": self.name, "sha256": self.sha256, "stored": self.stored, "size": self.size, "kind": self.kind}
        if self.error is None:
            d["pages"] = self.pages
        else:
            d.update(self.error.to_json())
        return d


def refuse_unreviewed(s: Session, d: Dossier) -> None:
    """A result is handed over once the papers handed in were read and checked: recorded before, the citizen's
    repository would miss papers a reviewer never saw (409 not_reviewed, naming them)."""
    reading, papers = awaiting_review(s, d.id)
    if reading or papers:
        names = ", ".join(x.name or x.type for x in papers[:5])
        raise Conflict("not_reviewed", f"{reading} page(s) still being read, {len(papers)} paper(s) awaiting review",
                       "Chưa thể trả kết quả: " + (f"còn {reading} trang đang đọc" if reading else
                                                  f"giấy tờ chưa được kiểm tra ({names})") + ".",
                       reading=reading, documents=[x.id for x in papers])  # fmt: skip


def reopen(d: Dossier) -> None:
    """A dossier read already is to be read again: it has new pages."""
    if d.status in (DossierState.DONE, DossierState.FAILED):
        d.status = DossierState.RECEIVED


class Reception:
    def __init__(self, ctx: Context, limits: Limits):
        self.ctx = ctx
        self.limits = limits  # what a file handed in may hold

    def create_dossier(
        self,
        procedure: str | None,
        actor: Principal,
        citizen_id: str | None = None,
        archive: bool = False,
    ) -> str:
        """Open a dossier at the actor's unit with the next dossier code of the day; returns its id. A citizen's
        submission gets the date its result is due; an `archive` being digitized has none (nobody waits for it)."""
        actor.require(Role.COUNTER)
        if procedure and self.ctx.catalog.procedure(procedure) is None:
            raise DigitizeError(
                "unknown_procedure",
                f"procedure {procedure} is not in the catalog",
                f"Thủ tục {procedure} không có trong danh mục thủ tục.",
                status=422,
            )
        unit = actor.agency or self.ctx.settings.unit_code
        with self.ctx.session() as s:
            known_name = None
            if citizen_id:
                c = auth.citizen(s, citizen_id)
                citizen_id, known_name = c.id_number, c.full_name  # the applicant, until the officer says otherwise
            if s.get(Agency, unit) is None:  # the CLI's unit, made on first use
                s.add(Agency(code=unit, name="Đơn vị mặc định"))
                s.flush()
            received = self.ctx.now()
            days = self.ctx.catalog.procedure(procedure).processing_days if procedure and not archive else None
            due = (
                None
                if days is None
                else due_date(received.astimezone(self.ctx.zone), days, self.ctx.settings.holiday_dates)
            )
            d = Dossier(
                procedure=procedure or None,
                code=next_code(s, unit, received, self.ctx.zone, archive),
                agency_code=unit,
                citizen_id=citizen_id or None,
                created_by=actor.subject if actor.kind == "staff" else None,
                created_at=received,
                due_date=due,
                archive=archive,
                applicant_name=known_name,
            )
            s.add(d)
            s.flush()
            refresh_checks(s, d, self.ctx.catalog)  # the counter sees every component still missing, not "no checklist"
            audit.record(s, actor, "dossier.create", "dossier", d.id, agency=unit, citizen=d.citizen_id,
                         code=d.code, procedure=d.procedure)  # fmt: skip
            return d.id

    def add_file(
        self, dossier_id: str, name: str, data: bytes, actor: Principal, purpose: str = "submission"
    ) -> FileReceipt:
        """Keep the bytes under their SHA-256, then check them; a refused file stays stored with its reason.

        `purpose` "result" marks the scan of the paper the procedure issued: its documents are results.
        """
        actor.require(Role.COUNTER)
        name = file_name(name)
        with self.ctx.session() as s:
            dossier_in_scope(s, dossier_id, actor)
        if len(data) > self.ctx.settings.max_upload_bytes:  # the API stops reading past the limit: no whole file
            err = file_too_large(name, self.ctx.settings.max_upload_bytes)
            return FileReceipt(name, None, False, len(data), "unknown", error=err)
        sha, kind = self.keep_original(data)  # an empty file too: its record says what was handed in
        error: DigitizeError | None = None
        refs: list[PageRef] = []
        try:
            if not data:
                raise empty_file(name)
            refs = inspect(data, name, self.limits)
        except IntakeError as exc:
            error = exc
        # Two uploads at once (two clicks) would both take the next number: numbered one at a time. Not under the
        # dossier's own lock, which its reading holds for as long as it reads.
        with self.ctx.lock(f"{dossier_id}-files"), self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            seq = (s.scalar(select(func.max(DossierFile.seq)).where(DossierFile.dossier_id == dossier_id)) or 0) + 1
            f = DossierFile(
                dossier_id=dossier_id,
                seq=seq,
                name=name,
                sha256=sha,
                kind=kind,
                purpose=purpose,
                accepted=error is None,
                error=error.code if error else None,
                reason=error.reason if error else None,
                page_count=len(refs),
            )
            s.add(f)
            s.flush()
            seq = f.seq
            for r in refs:
                s.add(Scan(dossier_id=dossier_id, file_id=f.id, number=r.number, ref=r.to_dict()))
            if refs and purpose != "result":  # a result's pages wait for the result to be recorded (_record_result)
                reopen(d)
            audit.record(s, actor, "dossier.upload", "dossier", dossier_id, agency=d.agency_code,
                         citizen=d.citizen_id, file=seq, sha256=sha, purpose=purpose)  # fmt: skip
        return FileReceipt(name, sha, True, len(data), kind, pages=len(refs), error=error, seq=seq)

    def keep_original(self, data: bytes) -> tuple[str, str]:
        """Store uploaded bytes under their SHA-256 and record them, before anything can refuse them; returns the
        SHA-256 and the kind sniffed from the content."""
        kind = sniff(data)
        sha, _ = self.ctx.store.put_original(data, CONTENT_TYPES.get(kind, "application/octet-stream"))
        with self.ctx.session() as s:
            # Two counters may hand in the same bytes at the same moment: one row, whoever comes second.
            insert_ignore(s, Original, sha256=sha, size=len(data), kind=kind, key=original_key(sha))
        return sha, kind

    def issue_result(
        self, dossier_id: str, actor: Principal, document_type: str | None = None, file: FileReceipt | None = None,
        collector_name: str | None = None, collector_id: str | None = None, replaces: bool = False,
    ) -> dict:  # fmt: skip
        """Record the paper the procedure issued and who collected it (a name, an ID number). With `file` (added
        already, purpose "result") it is digitized and, once reviewed and approved, goes to the citizen's
        repository; a refused file records nothing (the officer hands in another scan; the refused one stays
        stored under its SHA-256). A dossier has one result: a second is refused (409 result_exists: a second
        click) unless it `replaces` the first, which is kept, marked replaced. One decision at a time per dossier,
        so two clicks at once record one; the scan of a refused result is set aside, never read as a result."""
        actor.require(Role.COUNTER)
        if file is not None and file.error is not None:
            e = file.error
            raise DigitizeError(e.code, e.reason, e.reason_vi, status=e.status, file=file.to_json())
        with self.ctx.lock(dossier_id):
            try:
                collector = Collector.given(collector_name, collector_id)
                return self._record_result(dossier_id, actor, document_type, file, collector, replaces)
            except DigitizeError as refused:
                self._set_aside(dossier_id, file, refused)
                raise

    def _set_aside(self, dossier_id: str, file: FileReceipt | None, why: DigitizeError) -> None:
        """The scan of a result that was refused (a second result, a bad collector, an unknown type) stays stored,
        as a refused file: its pages are not read into the dossier as a result nobody recorded."""
        if file is None or file.seq is None:
            return
        with self.ctx.session() as s:
            f = s.scalar(select(DossierFile).where(DossierFile.dossier_id == dossier_id, DossierFile.seq == file.seq))
            f.accepted, f.error, f.reason = False, why.code, why.reason
            for scan in s.scalars(select(Scan).where(Scan.file_id == f.id, Scan.state == WorkState.PENDING)):
                s.delete(scan)

    def _record_result(self, dossier_id: str, actor: Principal, document_type: str | None, file: FileReceipt | None,
                       collector: Collector | None, replaces: bool) -> dict:  # fmt: skip
        """The result recorded, the one it replaces (if any) marked so; called under the dossier's lock."""
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            if not d.archive:  # an archive digitized has no citizen waiting and no review before its result
                refuse_unreviewed(s, d)
            doc_type = self._result_type(d, document_type)
            current = s.scalars(select(Result).where(Result.dossier_id == d.id, Result.replaced_by.is_(None))).all()
            if current and not replaces:
                raise Conflict("result_exists", f"the dossier's result was recorded already (result {current[0].id});"
                               " say that this one replaces it", "Hồ sơ đã có kết quả được ghi nhận; nếu giấy tờ "
                               "này thay thế kết quả cũ, hãy chọn «Thay kết quả đã ghi».",
                               result=result_json(current[0], self.ctx.catalog))  # fmt: skip
            seq = file.seq if file is not None else None
            r = Result(dossier_id=d.id, document_type=doc_type, file_seq=seq, issued_by=actor.actor,
                       issued_at=self.ctx.now(), collector_name=collector.name if collector else None,
                       collector_id=collector.id_number if collector else None)  # fmt: skip
            s.add(r)
            s.flush()
            for old in current:
                old.replaced_by = r.id
            if file is not None and file.pages:
                reopen(d)  # the result's scan is read now that the result stands
            if collector is None:  # recorded, not yet collected: the applicant is told it is ready
                notices.tell(s, self.ctx, d, "ready", moment=str(r.id))
            audit.record(s, actor, "result.issue", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         result=r.id, digitized=seq is not None, replaced=[x.id for x in current])  # fmt: skip
            return result_json(r, self.ctx.catalog) | {"dossier": d.id, "file": file.to_json() if file else None}

    def _result_type(self, d: Dossier, document_type: str | None) -> str | None:
        """The document type of the result: the one given, else the procedure's; refused when the catalog lacks it."""
        procedure = procedure_of(self.ctx.catalog, d)
        doc_type = document_type or (procedure.result if procedure else None)
        if doc_type is not None and doc_type not in self.ctx.catalog.document_types:
            raise DigitizeError("unknown_document_type", f"no document type {doc_type}",
                                f"Không có loại giấy tờ {doc_type}.", status=422)  # fmt: skip
        return doc_type

    def arrange_pages(
        self, dossier_id: str, actor: Principal, order: list[int] | None = None, excluded: list[int] | None = None
    ) -> None:
        """Set the pages' order (a permutation of their numbers) and which are left out; the dossier's copies and
        documents are then made again from the pages already read (no new OCR)."""
        actor.require(Role.COUNTER)
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            pages = {p.index: p for p in s.scalars(select(Page).where(Page.dossier_id == dossier_id))}
            if order is not None:
                if sorted(order) != sorted(pages):
                    raise DigitizeError("bad_order", "the order must list every page number once",
                                        "Thứ tự trang phải có đủ mỗi trang một lần.", status=422)  # fmt: skip
                for rank, i in enumerate(order):
                    pages[i].position = rank
            if excluded is not None:
                unknown = set(excluded) - set(pages)
                if unknown:
                    raise DigitizeError("page_not_found", f"no page {sorted(unknown)[0]}",
                                        "Hồ sơ không có trang này.", status=404)  # fmt: skip
                for i, p in pages.items():
                    p.excluded = i in excluded
            if d.status == DossierState.DONE:
                d.status = DossierState.RECEIVED  # to be finished again by the next run
            audit.record(s, actor, "dossier.arrange", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         order=order, excluded=excluded)  # fmt: skip

    def rotate_page(self, dossier_id: str, index: int, degrees: int, actor: Principal) -> None:
        """Turn a page `degrees` clockwise as it is shown, and read it again upright (intake.PageRef.turn: loaded
        turned, its orientation not guessed again); it keeps its number, place and documents. The caller queues
        the dossier. A page of a decided paper is not turned (its e-copy shows it as it is)."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        if degrees not in (90, 180, 270):
            raise DigitizeError("bad_rotation", "turn a page by 90, 180 or 270 degrees",
                                "Chỉ xoay trang 90, 180 hoặc 270 độ.", status=422)  # fmt: skip
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            p = s.scalar(select(Page).where(Page.dossier_id == dossier_id, Page.index == index))
            if p is None:
                raise DigitizeError("page_not_found", f"no page {index}", "Hồ sơ không có trang này.", status=404)
            refuse_decided(documents_on(s, dossier_id, [index]))
            if s.scalar(select(func.count()).select_from(Page).where(Page.scan_id == p.scan_id)) > 1:
                raise DigitizeError("page_is_half_a_sheet", "a page split from an A3 spread is not turned alone",
                                    "Trang tách từ tờ A3 không xoay riêng được; hãy quét lại tờ đó.",
                                    status=422)  # fmt: skip
            scan = s.get(Scan, p.scan_id)
            # What is shown is the scan undone by p.rotation (the turn it suffered); turned `degrees` more from there.
            scan.ref = {**scan.ref, "turn": (degrees - p.rotation) % 360}
            # A new reading: its attempts count afresh (a worker marks a scan tried too often as crashing).
            scan.state, scan.error, scan.attempts = WorkState.PENDING, None, 0
            reopen(d)
            audit.record(s, actor, "page.rotate", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         page=index, degrees=degrees)  # fmt: skip

    def assign_component(self, doc_id: int, component: str | None, actor: Principal) -> dict:
        """The officer says which component of the procedure a document is (or undoes it with None)."""
        actor.require(Role.COUNTER)
        with self.ctx.session() as s:
            x, d = document_in_scope(s, doc_id, actor, own_agency=True)
            procedure = procedure_of(self.ctx.catalog, d)
            keys = [c.key for c in procedure.components] if procedure else []
            if component is not None and component not in keys:
                raise DigitizeError("unknown_component", f"the procedure has no component {component}",
                                    "Thủ tục không có thành phần hồ sơ này.", status=422)  # fmt: skip
            x.component = component
            s.flush()
            refresh_checks(s, d, self.ctx.catalog)
            audit.record(s, actor, "document.component", "document", x.id, agency=d.agency_code,
                         citizen=d.citizen_id, component=component)  # fmt: skip
            return {"document": x.id, "component": component, "checklist": d.checks["checklist"]}
