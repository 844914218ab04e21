"""Dossiers: receive files (original stored first), run the pipeline over their pages, store what comes out, and
answer in the JSON of docs/scan-json.md. Used by the CLI and the API alike."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from digitize.core.config import Settings
from digitize.core.context import open_context
from digitize.core.errors import DigitizeError, IntakeError, NotFound, OutOfScope, not_found
from digitize.core.workdays import due_date
from digitize.dossiers.codes import next_code
from digitize.people import audit, auth
from digitize.people.auth import SYSTEM, Principal
from digitize.scan.intake import Limits, PageRef, empty_file, file_name, file_too_large, inspect, sniff
from digitize.scan.pagepool import PagePool
from digitize.scan.pipeline import ScanOutput, pack_output, unpack_output
from digitize.signing.certify import Certifier
from forms.dossier import PageWords, checklist, extract_documents, prefill
from ocr.pdf import join_pages
from storage.objects import ObjectStore, original_key
from storage.records import (
    Agency,
    Correction,
    DocState,
    Document,
    Dossier,
    DossierFile,
    DossierState,
    Job,
    Original,
    Page,
    Result,
    Reuse,
    Role,
    Scan,
    WorkState,
    insert_ignore,
    now,
)

CONTENT_TYPES = {"pdf": "application/pdf", "tiff": "image/tiff", "jpeg": "image/jpeg", "png": "image/png"}


def page_key(dossier_id: str, index: int, name: str) -> str:
    return f"dossiers/{dossier_id}/pages/{index}/{name}"


def scan_key(dossier_id: str, scan_id: int) -> str:
    """Where a worker leaves what it read of one scan, until the dossier's pages are numbered."""
    return f"dossiers/{dossier_id}/scans/{scan_id}.zip"


def dossier_key(dossier_id: str, name: str) -> str:
    return f"dossiers/{dossier_id}/{name}"


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


class DossierService:
    def __init__(self, settings: Settings, store: ObjectStore | None = None, pool: PagePool | None = None):
        self.ctx = open_context(settings, store)
        self.ctx.migrate()
        self.settings, self.sessions, self.store = settings, self.ctx.sessions, self.ctx.store
        self.catalog, self.zone = self.ctx.catalog, self.ctx.zone
        self.limits = Limits(settings.max_pages, settings.max_page_pixels, settings.default_dpi)
        self.certifier = Certifier(self.ctx, lambda d, i: page_key(d, i, "page.pdf"))
        self.pool = pool or PagePool(settings.workers)
        self._own_pool = pool is None

    # --- plumbing ---------------------------------------------------------------------------------------------

    def close(self) -> None:
        if self._own_pool:
            self.pool.close()

    def session(self):
        return self.ctx.session()

    def dossier_lock(self, dossier_id: str):
        """One writer of a dossier's pages at a time (Context.lock)."""
        return self.ctx.lock(dossier_id)

    # --- dossiers and files -----------------------------------------------------------------------------------

    def create_dossier(
        self,
        procedure: str | None = None,
        actor: Principal = SYSTEM,
        citizen_id: str | None = None,
        archive: bool = False,
    ) -> str:
        """Open a dossier at the actor's unit with the next dossier code of the day; returns its id. A citizen's
        submission gets the date its result is due; an `archive` being digitized has none (nobody waits for it)."""
        actor.require(Role.COUNTER)
        if procedure and self.catalog.procedure(procedure) is None:
            raise DigitizeError(
                "unknown_procedure",
                f"procedure {procedure} is not in the catalog",
                f"Thủ tục {procedure} không có trong danh mục thủ tục.",
                status=422,
            )
        unit = actor.agency or self.settings.unit_code
        with self.session() as s:
            if citizen_id:
                citizen_id = auth.citizen(s, citizen_id).id_number
            if s.get(Agency, unit) is None:  # the CLI's unit, made on first use
                s.add(Agency(code=unit, name="Đơn vị mặc định"))
                s.flush()
            received = now()
            days = self.catalog.procedure(procedure).processing_days if procedure and not archive else None
            due = None if days is None else due_date(received.astimezone(self.zone), days, self.settings.holiday_dates)
            d = Dossier(
                procedure=procedure or None,
                code=next_code(s, unit, received, self.zone, archive),
                agency_code=unit,
                citizen_id=citizen_id or None,
                created_by=actor.subject if actor.kind == "staff" else None,
                created_at=received,
                due_date=due,
                archive=archive,
            )
            s.add(d)
            s.flush()
            self.refresh_checks(s, d)  # the counter sees every component still missing, not "no checklist"
            audit.record(s, actor, "dossier.create", "dossier", d.id, agency=unit, citizen=d.citizen_id,
                         code=d.code, procedure=d.procedure)  # fmt: skip
            return d.id

    def dossier_in_scope(self, s: Session, dossier_id: str, actor: Principal = SYSTEM) -> Dossier:
        """The dossier, if the actor's agency holds it: staff of other agencies get the same 404 as for none."""
        d = s.get(Dossier, dossier_id)
        if d is None:
            raise not_found("dossier", dossier_id, f"hồ sơ {dossier_id}")
        if not actor.sees_agency(d.agency_code):
            raise OutOfScope("dossier", dossier_id, f"hồ sơ {dossier_id}", actor, d.agency_code, d.citizen_id)
        return d

    def add_file(
        self, dossier_id: str, name: str, data: bytes, actor: Principal = SYSTEM, purpose: str = "submission"
    ) -> FileReceipt:
        """Keep the bytes under their SHA-256, then check them; a refused file stays stored with its reason.

        `purpose` "result" marks the scan of the paper the procedure issued: its documents are results.
        """
        actor.require(Role.COUNTER)
        name = file_name(name)
        with self.session() as s:
            self.dossier_in_scope(s, dossier_id, actor)
        if len(data) > self.settings.max_upload_bytes:  # the API stops reading past the limit: no whole file
            err = file_too_large(name, self.settings.max_upload_bytes)
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
        with self.session() as s:
            d = self.dossier_in_scope(s, dossier_id)
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
            if refs and d.status in (DossierState.DONE, DossierState.FAILED):
                d.status = DossierState.RECEIVED  # new pages to process
            audit.record(s, actor, "dossier.upload", "dossier", dossier_id, agency=d.agency_code,
                         citizen=d.citizen_id, file=seq, sha256=sha, purpose=purpose)  # fmt: skip
        return FileReceipt(name, sha, True, len(data), kind, pages=len(refs), error=error, seq=seq)

    def keep_original(self, data: bytes) -> tuple[str, str]:
        """Store uploaded bytes under their SHA-256 and record them, before anything can refuse them; returns the
        SHA-256 and the kind sniffed from the content."""
        kind = sniff(data)
        sha, _ = self.store.put_original(data, CONTENT_TYPES.get(kind, "application/octet-stream"))
        with self.session() as s:
            # Two counters may hand in the same bytes at the same moment: one row, whoever comes second.
            insert_ignore(s, Original, sha256=sha, size=len(data), kind=kind, key=original_key(sha))
        return sha, kind

    # --- processing -------------------------------------------------------------------------------------------

    def process(self, dossier_id: str) -> None:
        """Run every pending page of the dossier and finish it: numbered pages, searchable PDF, fields.

        Pages are stored in order as they complete, so their keys (`pages/<n>/…`) are final when written even
        though the workers finish out of order. Safe to call again: only pending scans run, so no page is
        processed twice.
        """
        with self.dossier_lock(dossier_id):
            with self.session() as s:
                d = self.dossier_in_scope(s, dossier_id)
                d.status = DossierState.PROCESSING
                d.error = None
                rows = s.execute(
                    select(Scan.id, Scan.ref, DossierFile.sha256)
                    .join(DossierFile, Scan.file_id == DossierFile.id)
                    .where(Scan.dossier_id == dossier_id, Scan.state == WorkState.PENDING)
                    .order_by(DossierFile.seq, Scan.number)
                ).all()
                next_index = self._next_index(s, dossier_id)
            with self._failing(dossier_id):
                with self._local_copies({sha for _, _, sha in rows}) as paths:
                    jobs = [(scan_id, paths[sha], ref) for scan_id, ref, sha in rows]
                    for scan_id, out in self.pool.run_in_order(jobs, self.settings.ocr_lang):
                        next_index = self._store_scan(dossier_id, scan_id, out, next_index)
                self._finish(dossier_id)

    @staticmethod
    def _next_index(s: Session, dossier_id: str) -> int:
        """The number the dossier's next page takes."""
        last = s.scalar(select(func.max(Page.index)).where(Page.dossier_id == dossier_id))
        return 0 if last is None else last + 1

    @contextmanager
    def _failing(self, dossier_id: str):
        """Whatever goes wrong while the dossier's pages are put together is written on it, then raised."""
        try:
            yield
        except Exception as exc:
            with self.session() as s:
                d = self.dossier_in_scope(s, dossier_id)
                d.status, d.error = DossierState.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
            raise

    # --- the same work spread over Celery workers (digitize/tasks.py) ------------------------------------------------

    def pending_scans(self, dossier_id: str) -> list[int]:
        with self.session() as s:
            q = select(Scan.id).where(Scan.dossier_id == dossier_id, Scan.state == WorkState.PENDING)
            return list(s.scalars(q.order_by(Scan.id)))

    def claim_scan(self, scan_id: int, worker: str) -> tuple[str, dict, str, int] | None:
        """Take a scan for reading: (dossier, page reference, original's sha256, attempts with this one), or None
        when it was read already (a task delivered twice, or redelivered after its first worker finished, does
        nothing)."""
        with self.session() as s:
            scan = s.get(Scan, scan_id, with_for_update=True)
            if scan is None or scan.state in (WorkState.READ, WorkState.DONE):
                return None
            scan.state, scan.worker, scan.attempts = WorkState.RUNNING, worker, scan.attempts + 1
            d = s.get(Dossier, scan.dossier_id)
            if d.status != DossierState.PROCESSING:
                d.status = DossierState.PROCESSING
            return scan.dossier_id, dict(scan.ref), s.get(DossierFile, scan.file_id).sha256, scan.attempts

    def stage_scan(self, scan_id: int, dossier_id: str, out: ScanOutput) -> None:
        """Keep what a worker read until the dossier's pages are numbered; the object first, then the record, so
        a recorded READ always has its output."""
        self.store.put(scan_key(dossier_id, scan_id), pack_output(out), "application/zip")
        with self.session() as s:
            scan = s.get(Scan, scan_id, with_for_update=True)
            if scan.state != WorkState.DONE:
                scan.state = WorkState.READ

    def commit_read_scans(self, dossier_id: str) -> bool:
        """Number the read scans into pages as far as upload order allows, and finish the dossier once every scan
        is read; True when finished. Called after each scan is read, so pages appear on the counter's screen as
        they come, in order, while later ones are still being read. Safe to run twice: numbered scans are DONE."""
        with self.dossier_lock(dossier_id), self._failing(dossier_id):
            with self.session() as s:
                rows = s.execute(
                    select(Scan.id, Scan.state).join(DossierFile, Scan.file_id == DossierFile.id)
                    .where(Scan.dossier_id == dossier_id)
                    .order_by(DossierFile.seq, Scan.number)
                ).all()  # fmt: skip
                next_index = self._next_index(s, dossier_id)
            for scan_id, state in rows:
                if state in (WorkState.PENDING, WorkState.RUNNING):
                    return False  # a page before the others is still being read: they wait for it
                if state == WorkState.READ:
                    out = unpack_output(self.store.get(scan_key(dossier_id, scan_id)))
                    next_index = self._store_scan(dossier_id, scan_id, out, next_index, count_attempt=False)
            self._finish(dossier_id)
            with self.session() as s:  # the requests that queued this work are answered
                s.execute(
                    update(Job)
                    .where(Job.dossier_id == dossier_id, Job.state.in_((WorkState.PENDING, WorkState.RUNNING)))
                    .values(state=WorkState.DONE, finished_at=now())
                )
            return True

    @contextmanager
    def original_file(self, sha: str):
        with self._local_copies([sha]) as paths:
            yield paths[sha]

    @contextmanager
    def _local_copies(self, shas: Iterable[str]):
        """File paths the workers can open: the object itself on a local store, a downloaded copy from S3."""
        tmp = Path(tempfile.mkdtemp(prefix="digitize-job-"))
        try:
            paths = {}
            for sha in shas:
                local = self.store.local_path(original_key(sha))
                if local is None:
                    local = tmp / sha
                    local.write_bytes(self.store.get(original_key(sha)))
                paths[sha] = str(local)
            yield paths
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _store_scan(
        self, dossier_id: str, scan_id: int, out: ScanOutput, index: int, count_attempt: bool = True
    ) -> int:
        """Write a processed scan's pages under their final numbers; returns the next free page number."""
        with self.session() as s:
            scan = s.get(Scan, scan_id)
            ref = PageRef.from_dict(scan.ref)
            if count_attempt:
                scan.attempts += 1
            scan.timings = {k: round(v, 1) for k, v in out.timings.items()}
            if out.error:
                # The page still takes its place in the dossier, flagged, so nobody misses that it failed.
                scan.state, scan.error = WorkState.FAILED, f"{out.error}: {out.reason}"
                s.add(
                    Page(
                        dossier_id=dossier_id,
                        scan_id=scan_id,
                        part=0,
                        index=index,
                        source=ref.label,
                        paper=ref.paper,
                        dpi=ref.dpi,
                        warnings=list(dict.fromkeys([*ref.warnings, "page_unreadable"])),
                        failed=True,
                    )
                )
                return index + 1
            for p in out.pages:
                n = index + p.part
                self.store.put(page_key(dossier_id, n, "clean.jpg"), p.clean_jpg, "image/jpeg")
                self.store.put(page_key(dossier_id, n, "thumb.jpg"), p.thumb_jpg, "image/jpeg")
                self.store.put(
                    page_key(dossier_id, n, "ocr.json"),
                    json.dumps({"words": p.words, "qr": p.qr, "cards": p.cards}, ensure_ascii=False).encode(),
                    "application/json",
                )
                if p.pdf:
                    self.store.put(page_key(dossier_id, n, "page.pdf"), p.pdf, "application/pdf")
                meta = p.meta()
                meta.pop("part")
                s.add(Page(dossier_id=dossier_id, scan_id=scan_id, part=p.part, index=n, source=ref.label, **meta))
            scan.state, scan.error = WorkState.DONE, None
            return index + len(out.pages)

    def _finish(self, dossier_id: str) -> None:
        with self.session() as s:
            keys = [page_key(dossier_id, p.index, "page.pdf") for p in ordered_pages(s, dossier_id) if not skipped(p)]
        parts = [self.store.get(k) for k in keys]
        searchable = None
        if parts:
            searchable = dossier_key(dossier_id, "searchable.pdf")
            self.store.put(searchable, join_pages(parts, title=f"Hồ sơ {dossier_id}"), "application/pdf")
        self._extract(dossier_id)
        with self.session() as s:
            d = self.dossier_in_scope(s, dossier_id)
            report = self._report(s, d)
            self.store.put(
                dossier_key(dossier_id, "fields.json"),
                json.dumps({"documents": report["documents"]}, ensure_ascii=False).encode(),
                "application/json",
            )
            d.searchable_key = searchable
            d.status = DossierState.DONE
            d.finished_at = now()

    def _extract(self, dossier_id: str) -> None:
        """Typed documents and their fields from the pages' words; then the procedure's checklist and form.

        Documents a reviewer has touched (corrected, approved, rejected) are kept as they are when the dossier is
        read again after more files came; the others are replaced by the new reading.
        """
        with self.session() as s:
            d = self.dossier_in_scope(s, dossier_id)
            procedure = self.catalog.procedure(d.procedure) if d.procedure else None
            refs = [(p.index, skipped(p)) for p in ordered_pages(s, dossier_id)]
            result_pages = set(
                s.scalars(
                    select(Page.index)
                    .join(Scan, Page.scan_id == Scan.id)
                    .join(DossierFile, Scan.file_id == DossierFile.id)
                    .where(Page.dossier_id == dossier_id, DossierFile.purpose == "result")
                )
            )
            citizen_id = d.citizen_id
        words = []
        for i, skip in refs:
            ocr = {} if skip else json.loads(self.store.get(page_key(dossier_id, i, "ocr.json")))
            words.append(PageWords(i, skip, ocr.get("words", []), ocr.get("qr", []), ocr.get("cards", [])))
        docs = extract_documents(words, self.catalog)
        submitted = [doc for doc in docs if not set(doc.pages) & result_pages]
        form, mismatches = prefill(procedure, submitted) if procedure is not None else ({}, [])
        with self.session() as s:
            existing = {tuple(x.pages): x for x in s.scalars(select(Document).where(Document.dossier_id == dossier_id))}
            touched = {x.id for x in existing.values() if x.state != DocState.EXTRACTED} | set(
                s.scalars(
                    select(Correction.document_id).where(Correction.document_id.in_([x.id for x in existing.values()]))
                )
            )
            seen = set()
            for doc in docs:
                key, old = tuple(doc.pages), existing.get(tuple(doc.pages))
                seen.add(key)
                if old is not None and old.id in touched:
                    continue  # the reviewer's version stands
                j = doc.to_json()
                values = dict(type=doc.type, name=self._type_name(doc.type), confidence=j["confidence"],
                              fields=j["fields"], is_result=bool(set(doc.pages) & result_pages),
                              owner_id=document_owner(doc.type, j["fields"], citizen_id),
                              valid_until=self.valid_until_of(doc.type, j["fields"]), **risk(j["fields"]))  # fmt: skip
                if old is not None and old.type == doc.type:
                    for k, v in values.items():  # same paper read again: same id, and its e-copy stays valid
                        setattr(old, k, v)
                    continue
                if old is not None:
                    s.delete(old)
                s.add(Document(dossier_id=dossier_id, pages=doc.pages, **values))
            for key, x in existing.items():
                if key not in seen and x.id not in touched:
                    s.delete(x)
            s.flush()
            # Readings name documents by their place in the report (documents by id), not in `submitted`.
            order = s.scalars(select(Document.pages).where(Document.dossier_id == dossier_id).order_by(Document.id))
            place = {tuple(pages): i for i, pages in enumerate(order)}
            readings = {id(r): r for r in [*form.values(), *(r for m in mismatches for r in m["readings"])]}
            for reading in readings.values():  # the form's choice is also one of the mismatch readings
                reading["document"] = place[tuple(submitted[reading["document"]].pages)]
            d = self.dossier_in_scope(s, dossier_id)
            d.checks = {"form": form, "disagreements": [{"code": "documents_disagree", **m} for m in mismatches]}
            self.refresh_checks(s, d)

    def _type_name(self, doc_type: str) -> str:
        dt = self.catalog.document_types.get(doc_type)
        return dt.name if dt else "Giấy tờ khác"

    def valid_until_of(self, doc_type: str, fields: dict) -> date | None:
        """The date the paper expires, from the field its type names (a card's expiry); None: no expiry."""
        dt = self.catalog.document_types.get(doc_type)
        value = (fields.get(dt.valid_until) or {}).get("value") if dt and dt.valid_until else None
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def refresh_checks(self, s: Session, d: Dossier) -> None:
        """The procedure's checklist from the dossier's scanned papers and those attached from the repository."""
        procedure = self.catalog.procedure(d.procedure) if d.procedure else None
        checks = dict(d.checks or {})
        docs = s.scalars(select(Document).where(Document.dossier_id == d.id).order_by(Document.id)).all()
        # Documents are named by their place in the report's list (ordered by id), as `form` readings are.
        invalid = [{"code": "field_invalid", "document": i, "field": k, "problems": f["problems"]}
                   for i, x in enumerate(docs) for k, f in x.fields.items() if f.get("problems")]  # fmt: skip
        rows: list[dict] = []
        if procedure is not None:
            submitted = [(i, x) for i, x in enumerate(docs) if not x.is_result]
            reused: dict[str, list[int]] = {}
            for r in s.scalars(select(Reuse).where(Reuse.dossier_id == d.id).order_by(Reuse.id)):
                reused.setdefault(r.component or "", []).append(r.document_id)
            rows = checklist(procedure, [x for _, x in submitted], reused)
            for row in rows:
                row["documents"] = [submitted[j][0] for j in row["documents"]]
        missing = [{"code": "component_missing", "component": c["component"], "name": c["name"]}
                   for c in rows if c["required"] and not c["satisfied"]]  # fmt: skip
        checks["checklist"] = rows
        checks["warnings"] = [*checks.get("disagreements", []), *invalid, *missing]
        d.checks = checks

    # --- the officer's arrangement: page order, pages left out, documents' components ------------------------------

    def arrange_pages(
        self, dossier_id: str, actor: Principal, order: list[int] | None = None, excluded: list[int] | None = None
    ) -> None:
        """Set the pages' order (a permutation of their numbers) and which are left out; the dossier's copies and
        documents are then made again from the pages already read (no new OCR)."""
        actor.require(Role.COUNTER)
        with self.session() as s:
            d = self.dossier_in_scope(s, dossier_id, actor)
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

    def document_in_scope(
        self, s: Session, doc_id: int, actor: Principal, own_agency: bool = False
    ) -> tuple[Document, Dossier]:
        """The document and its dossier if the actor may see it, else the same 404 as for none.

        Staff see the papers of their agency's dossiers and, unless `own_agency`, those reused in them; a citizen
        sees only approved papers with their own ID number.
        """
        x = s.get(Document, doc_id)
        d = s.get(Dossier, x.dossier_id) if x is not None else None
        if x is None or d is None:
            raise not_found("document", doc_id, f"giấy tờ số {doc_id}")
        if actor.kind == "citizen":
            ok = not own_agency and x.owner_id == actor.subject and x.state == DocState.APPROVED
        else:
            reused_here = exists().where(
                Reuse.document_id == x.id, Reuse.dossier_id == Dossier.id, Dossier.agency_code == actor.agency
            )
            ok = actor.sees_agency(d.agency_code) or (
                not own_agency and actor.kind == "staff" and bool(s.scalar(select(reused_here)))
            )
        if not ok:
            raise OutOfScope("document", doc_id, f"giấy tờ số {doc_id}", actor, d.agency_code, x.owner_id)
        return x, d

    def assign_component(self, doc_id: int, component: str | None, actor: Principal) -> dict:
        """The officer says which component of the procedure a document is (or undoes it with None)."""
        actor.require(Role.COUNTER)
        with self.session() as s:
            x, d = self.document_in_scope(s, doc_id, actor, own_agency=True)
            procedure = self.catalog.procedure(d.procedure) if d.procedure else None
            keys = [c.key for c in procedure.components] if procedure else []
            if component is not None and component not in keys:
                raise DigitizeError("unknown_component", f"the procedure has no component {component}",
                                    "Thủ tục không có thành phần hồ sơ này.", status=422)  # fmt: skip
            x.component = component
            s.flush()
            self.refresh_checks(s, d)
            audit.record(s, actor, "document.component", "document", x.id, agency=d.agency_code,
                         citizen=d.citizen_id, component=component)  # fmt: skip
            return {"document": x.id, "component": component, "checklist": d.checks["checklist"]}

    def issue_result(
        self, dossier_id: str, actor: Principal, document_type: str | None = None, file: FileReceipt | None = None
    ) -> dict:
        """Record the paper the procedure issued; with `file` (already added with purpose "result") it is digitized
        and, once reviewed and approved, goes to the citizen's repository. A file that was refused records nothing:
        the officer hands in another scan (the refused one stays stored under its SHA-256)."""
        actor.require(Role.COUNTER)
        with self.session() as s:
            d = self.dossier_in_scope(s, dossier_id, actor)
            if file is not None and file.error is not None:
                e = file.error
                raise DigitizeError(e.code, e.reason, e.reason_vi, status=e.status, file=file.to_json())
            procedure = self.catalog.procedure(d.procedure) if d.procedure else None
            doc_type = document_type or (procedure.result if procedure else None)
            if doc_type is not None and doc_type not in self.catalog.document_types:
                raise DigitizeError("unknown_document_type", f"no document type {doc_type}",
                                    f"Không có loại giấy tờ {doc_type}.", status=422)  # fmt: skip
            seq = file.seq if file is not None else None
            r = Result(dossier_id=d.id, document_type=doc_type, file_seq=seq, issued_by=actor.actor)
            s.add(r)
            s.flush()
            audit.record(s, actor, "result.issue", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         result=r.id, digitized=seq is not None)  # fmt: skip
            return self._result_json(r) | {"dossier": d.id, "file": file.to_json() if file else None}

    def unfinished(self) -> list[str]:
        """Dossiers a stop interrupted: pages still waiting, or read but never finished (still `processing`: the
        service died while putting the dossier together). Queued again at start; reading takes only pending
        pages and finishing is safe to repeat, so queueing one twice does no harm."""
        with self.session() as s:
            waiting = set(s.scalars(select(Scan.dossier_id).where(Scan.state == WorkState.PENDING)))
            stuck = set(s.scalars(select(Dossier.id).where(Dossier.status == DossierState.PROCESSING)))
            return sorted(waiting | stuck)

    # --- answers ----------------------------------------------------------------------------------------------

    def _report(self, s: Session, d: Dossier, docs: Sequence[Document] | None = None) -> dict:
        """§4 of the dossier; `docs`, its documents, when the caller read them already (a worker may add some
        between two reads: the report and what the caller adds to it must list the same ones)."""
        pages = s.scalars(select(Page).where(Page.dossier_id == d.id).order_by(Page.index)).all()
        if docs is None:
            docs = self._documents(s, d)
        checks = d.checks or {}
        return {
            "dossier": d.id,
            "procedure": d.procedure,
            "pages": [page_json(p) for p in pages],
            "documents": [
                {"type": x.type, "pages": x.pages, "confidence": x.confidence, "fields": x.fields} for x in docs
            ],
            # Beyond the contract (docs/scan-json.md): what the counter needs from the procedure; readers ignore them.
            "checklist": checks.get("checklist", []),
            "form": checks.get("form", {}),
            "warnings": checks.get("warnings", []),
        }

    @staticmethod
    def _documents(s: Session, d: Dossier) -> Sequence[Document]:
        return s.scalars(select(Document).where(Document.dossier_id == d.id).order_by(Document.id)).all()

    def _read(self, s: Session, dossier_id: str, actor: Principal, what: str, **detail: object) -> Dossier:
        """A dossier read by staff who may see it (counter or reviewer of its agency), written to the audit log."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        d = self.dossier_in_scope(s, dossier_id, actor)
        audit.record(s, actor, what, "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id, **detail)
        return d

    def report(self, dossier_id: str, actor: Principal = SYSTEM) -> dict:
        """The JSON of docs/scan-json.md."""
        with self.session() as s:
            return self._report(s, self._read(s, dossier_id, actor, "dossier.read"))

    def dossier_code(self, dossier_id: str, actor: Principal = SYSTEM) -> str:
        """The code printed on the receipt, without building the whole status."""
        with self.session() as s:
            return self._read(s, dossier_id, actor, "dossier.read").code

    def status(self, dossier_id: str, actor: Principal = SYSTEM) -> dict:
        """§4 plus the processing state, the files, the documents' review states and the reused papers."""
        with self.session() as s:
            d = self._read(s, dossier_id, actor, "dossier.read")
            docs = self._documents(s, d)
            out = self._report(s, d, docs)
            counts = dict(
                s.execute(
                    select(Scan.state, func.count()).where(Scan.dossier_id == dossier_id).group_by(Scan.state)
                ).all()
            )
            for j, x in zip(out["documents"], docs, strict=True):
                j.update(id=x.id, name=x.name, state=x.state, is_result=x.is_result, owner_id=x.owner_id,
                         component=x.component)  # fmt: skip
            reused = s.execute(
                select(Reuse, Document).join(Document, Reuse.document_id == Document.id)
                .where(Reuse.dossier_id == d.id).order_by(Reuse.id)
            ).all()  # fmt: skip
            results = s.scalars(select(Result).where(Result.dossier_id == d.id).order_by(Result.id)).all()
            out.update(
                code=d.code,
                agency=d.agency_code,
                citizen_id=d.citizen_id,
                status=d.status,
                error=d.error,
                created_at=d.created_at.isoformat(),
                finished_at=d.finished_at.isoformat() if d.finished_at else None,
                due_date=d.due_date.isoformat() if d.due_date else None,
                archive=d.archive,
                scans={state: counts.get(state, 0) for state in ("pending", "done", "failed")},
                page_order=[p.index for p in ordered_pages(s, d.id)],
                excluded_pages=[p.index for p in d.pages if p.excluded],
                files=[file_json(f) for f in d.files],
                searchable_pdf=bool(d.searchable_key),
                reused=[
                    {
                        "document": doc.id,
                        "type": doc.type,
                        "name": doc.name,
                        "component": r.component,
                        "from_dossier": doc.dossier_id,
                        "at": r.at.isoformat(),
                    }
                    for r, doc in reused
                ],  # fmt: skip
                results=[self._result_json(r) for r in results],
            )
            return out

    def _result_json(self, r: Result) -> dict:
        t = self.catalog.document_types.get(r.document_type) if r.document_type else None
        return {"id": r.id, "document_type": r.document_type, "name": t.name if t else None,
                "digitized": r.file_seq is not None, "file_seq": r.file_seq, "issued_by": r.issued_by,
                "issued_at": r.issued_at.isoformat()}  # fmt: skip

    def page(self, dossier_id: str, index: int, actor: Principal = SYSTEM) -> Page:
        with self.session() as s:
            self._read(s, dossier_id, actor, "page.read", page=index)
            p = s.scalar(select(Page).where(Page.dossier_id == dossier_id, Page.index == index))
            if p is None:
                raise NotFound(
                    "page_not_found", f"dossier {dossier_id} has no page {index}", f"Hồ sơ không có trang {index}."
                )
            return p

    def searchable_pdf(self, dossier_id: str, actor: Principal = SYSTEM) -> bytes:
        with self.session() as s:
            d = self._read(s, dossier_id, actor, "dossier.pdf")
            key = d.searchable_key
        if not key:
            raise NotFound(
                "pdf_not_ready",
                "the searchable PDF is not ready (processing not finished, or every page blank or failed)",
                "Bản PDF tìm kiếm được chưa sẵn sàng.",
                status=409,
            )
        return self.store.get(key)

    def original(self, dossier_id: str, seq: int, actor: Principal = SYSTEM) -> tuple[DossierFile, bytes]:
        with self.session() as s:
            self._read(s, dossier_id, actor, "file.read", file=seq)
            f = s.scalar(select(DossierFile).where(DossierFile.dossier_id == dossier_id, DossierFile.seq == seq))
            if f is None:
                raise NotFound("file_not_found", f"dossier {dossier_id} has no file {seq}", "Không tìm thấy tệp.")
        return f, self.store.get(original_key(f.sha256))

    def dossiers(
        self, actor: Principal, status: str | None = None, limit: int = 50, awaiting_result: bool = False
    ) -> list[dict]:
        """The agency's dossiers, newest first; with `awaiting_result`, those promised a result not yet handed
        over, the earliest due first (what the counter returns next, the overdue on top)."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        returned = exists().where(Result.dossier_id == Dossier.id)
        with self.session() as s:
            q = select(Dossier, returned.label("returned"))
            if awaiting_result:
                q = q.where(Dossier.due_date.is_not(None), ~returned).order_by(Dossier.due_date, Dossier.created_at)
            else:
                q = q.order_by(Dossier.created_at.desc())
            q = q.limit(max(1, min(limit, 500)))
            if actor.kind != "system":
                q = q.where(Dossier.agency_code == actor.agency)
            if status:
                q = q.where(Dossier.status == status)
            rows = s.execute(q).all()
            audit.record(s, actor, "dossier.list", "agency", actor.agency, status=status,
                         awaiting_result=awaiting_result)  # fmt: skip
            return [{"id": d.id, "code": d.code, "procedure": d.procedure, "citizen_id": d.citizen_id,
                     "status": d.status, "created_at": d.created_at.isoformat(), "archive": d.archive,
                     "due_date": d.due_date.isoformat() if d.due_date else None, "returned": bool(done)}
                    for d, done in rows]  # fmt: skip


def ordered_pages(s: Session, dossier_id: str) -> list[Page]:
    """The dossier's pages in the order the officer left them (scan order unless reordered)."""
    q = select(Page).where(Page.dossier_id == dossier_id)
    return list(s.scalars(q.order_by(func.coalesce(Page.position, Page.index), Page.index)))


def skipped(p: Page) -> bool:
    """A page with nothing to read or keep in the copies: blank, unreadable, or left out at the counter."""
    return p.blank or p.failed or p.excluded


def document_owner(doc_type: str, fields: dict, citizen_id: str | None) -> str | None:
    """Whose paper it is: an ID card belongs to the number printed on it, any other paper to the citizen the
    dossier was opened for."""
    if doc_type == "can_cuoc":
        number = (fields.get("id_number") or {}).get("value")
        if number and (fields.get("id_number") or {}).get("valid"):
            return number
    return citizen_id


def risk(fields: dict) -> dict:
    """What orders the review queue: how many fields failed validation, and the least confident field."""
    return {
        "invalid_fields": sum(1 for f in fields.values() if not f.get("valid", True)),
        "min_confidence": min((float(f.get("confidence") or 0.0) for f in fields.values()), default=0.0),
    }


def page_json(p: Page) -> dict:
    return {
        "index": p.index,
        "source": p.source,
        "paper": p.paper,
        "dpi": p.dpi,
        "rotation": p.rotation,
        "skew_deg": p.skew_deg,
        "blank": p.blank,
        "warnings": list(p.warnings or []),
        "text": p.text,
        "confidence": p.confidence,
        "reading": p.reading,
        "scale": p.scale,
    }


def file_json(f: DossierFile) -> dict:
    d = {"seq": f.seq, "name": f.name, "sha256": f.sha256, "kind": f.kind, "pages": f.page_count}
    if not f.accepted:
        d.update(error=f.error, reason=f.reason)
    return d
