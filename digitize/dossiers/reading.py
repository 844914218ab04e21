"""Reading a dossier: its pending pages through the pipeline (in this process's pool, or spread over Celery
workers scan by scan), the pages stored under their final numbers in upload order, then the dossier finished:
searchable PDF, typed documents and their fields, the procedure's checklist and form."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.dossiers.checks import document_owner, refresh_checks, risk, type_name, valid_until_of
from digitize.dossiers.keys import dossier_key, page_key, scan_key
from digitize.dossiers.lookup import (
    documents_in_order,
    dossier_in_scope,
    next_page_number,
    ordered_pages,
    procedure_of,
    result_page_numbers,
    skipped,
)
from digitize.dossiers.queries import report_json
from digitize.people.auth import SYSTEM
from digitize.scan.intake import PageRef
from digitize.scan.pagepool import PagePool
from digitize.scan.pipeline import ScanOutput, pack_output, unpack_output
from forms.dossier import ExtractedDocument, PageWords, extract_documents, prefill
from ocr.pdf import join_pages
from storage.objects import original_key
from storage.records import (
    Correction,
    DocState,
    Document,
    Dossier,
    DossierFile,
    DossierState,
    Job,
    Page,
    Scan,
    WorkState,
)


class Reading:
    def __init__(self, ctx: Context, pool: PagePool):
        self.ctx = ctx
        self.pool = pool  # the processes that read pages when no Celery worker does

    def process(self, dossier_id: str) -> None:
        """Run every pending page of the dossier and finish it: numbered pages, searchable PDF, fields.

        Pages are stored in order as they complete, so their keys (`pages/<n>/…`) are final when written even
        though the workers finish out of order. Safe to call again: only pending scans run, so no page is
        processed twice.
        """
        with self.ctx.lock(dossier_id):
            with self.ctx.session() as s:
                d = dossier_in_scope(s, dossier_id, SYSTEM)
                d.status = DossierState.PROCESSING
                d.error = None
                rows = s.execute(
                    select(Scan.id, Scan.ref, DossierFile.sha256)
                    .join(DossierFile, Scan.file_id == DossierFile.id)
                    .where(Scan.dossier_id == dossier_id, Scan.state == WorkState.PENDING)
                    .order_by(DossierFile.seq, Scan.number)
                ).all()
                next_index = next_page_number(s, dossier_id)
            with self._failing(dossier_id):
                with self._local_copies({sha for _, _, sha in rows}) as paths:
                    jobs = [(scan_id, paths[sha], ref) for scan_id, ref, sha in rows]
                    for scan_id, out in self.pool.run_in_order(jobs, self.ctx.settings.ocr_lang):
                        next_index = self._store_scan(dossier_id, scan_id, out, next_index)
                self._finish(dossier_id)

    @contextmanager
    def _failing(self, dossier_id: str):
        """Whatever goes wrong while the dossier's pages are put together is written on it, then raised."""
        try:
            yield
        except Exception as exc:
            with self.ctx.session() as s:
                d = dossier_in_scope(s, dossier_id, SYSTEM)
                d.status, d.error = DossierState.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
            raise

    def pending_scans(self, dossier_id: str) -> list[int]:
        with self.ctx.session() as s:
            q = select(Scan.id).where(Scan.dossier_id == dossier_id, Scan.state == WorkState.PENDING)
            return list(s.scalars(q.order_by(Scan.id)))

    def claim_scan(self, scan_id: int, worker: str) -> tuple[str, dict, str, int] | None:
        """Take a scan for reading: (dossier, page reference, original's sha256, attempts with this one), or None
        when it was read already (a task delivered twice, or redelivered after its first worker finished, does
        nothing)."""
        with self.ctx.session() as s:
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
        self.ctx.store.put(scan_key(dossier_id, scan_id), pack_output(out), "application/zip")
        with self.ctx.session() as s:
            scan = s.get(Scan, scan_id, with_for_update=True)
            if scan.state != WorkState.DONE:
                scan.state = WorkState.READ

    def commit_read_scans(self, dossier_id: str) -> bool:
        """Number the read scans into pages as far as upload order allows, and finish the dossier once every scan
        is read; True when finished. Called after each scan is read, so pages appear on the counter's screen as
        they come, in order, while later ones are still being read. Safe to run twice: numbered scans are DONE."""
        with self.ctx.lock(dossier_id), self._failing(dossier_id):
            with self.ctx.session() as s:
                rows = s.execute(
                    select(Scan.id, Scan.state).join(DossierFile, Scan.file_id == DossierFile.id)
                    .where(Scan.dossier_id == dossier_id)
                    .order_by(DossierFile.seq, Scan.number)
                ).all()  # fmt: skip
                next_index = next_page_number(s, dossier_id)
            for scan_id, state in rows:
                if state in (WorkState.PENDING, WorkState.RUNNING):
                    return False  # a page before the others is still being read: they wait for it
                if state == WorkState.READ:
                    out = unpack_output(self.ctx.store.get(scan_key(dossier_id, scan_id)))
                    next_index = self._store_scan(dossier_id, scan_id, out, next_index, count_attempt=False)
            self._finish(dossier_id)
            with self.ctx.session() as s:  # the requests that queued this work are answered
                s.execute(
                    update(Job)
                    .where(Job.dossier_id == dossier_id, Job.state.in_((WorkState.PENDING, WorkState.RUNNING)))
                    .values(state=WorkState.DONE, finished_at=self.ctx.now())
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
                local = self.ctx.store.local_path(original_key(sha))
                if local is None:
                    local = tmp / sha
                    local.write_bytes(self.ctx.store.get(original_key(sha)))
                paths[sha] = str(local)
            yield paths
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _store_scan(
        self, dossier_id: str, scan_id: int, out: ScanOutput, index: int, count_attempt: bool = True
    ) -> int:
        """Write a processed scan's pages under their final numbers; returns the next free page number. A scan
        read again (a page an officer turned) keeps its pages' numbers, places and exclusions."""
        with self.ctx.session() as s:
            scan = s.get(Scan, scan_id)
            ref = PageRef.from_dict(scan.ref)
            if count_attempt:
                scan.attempts += 1
            scan.timings = {k: round(v, 1) for k, v in out.timings.items()}
            before = {p.part: p for p in s.scalars(select(Page).where(Page.scan_id == scan_id))}
            kept = {part: dict(index=p.index, position=p.position, excluded=p.excluded) for part, p in before.items()}
            for p in before.values():
                s.delete(p)
            s.flush()
            if out.error:
                # The page still takes its place in the dossier, flagged, so nobody misses that it failed.
                scan.state, scan.error = WorkState.FAILED, f"{out.error}: {out.reason}"
                s.add(
                    Page(
                        dossier_id=dossier_id,
                        scan_id=scan_id,
                        part=0,
                        **kept.get(0, dict(index=index)),
                        source=ref.label,
                        paper=ref.paper,
                        dpi=ref.dpi,
                        warnings=list(dict.fromkeys([*ref.warnings, "page_unreadable"])),
                        failed=True,
                    )
                )
                return index if kept else index + 1
            fresh = [p.part for p in out.pages if p.part not in kept]
            for p in out.pages:
                place = kept.get(p.part) or dict(index=index + fresh.index(p.part))
                n = place["index"]
                self.ctx.store.put(page_key(dossier_id, n, "clean.jpg"), p.clean_jpg, "image/jpeg")
                self.ctx.store.put(page_key(dossier_id, n, "thumb.jpg"), p.thumb_jpg, "image/jpeg")
                self.ctx.store.put(
                    page_key(dossier_id, n, "ocr.json"),
                    json.dumps({"words": p.words, "qr": p.qr, "cards": p.cards}, ensure_ascii=False).encode(),
                    "application/json",
                )
                if p.pdf:
                    self.ctx.store.put(page_key(dossier_id, n, "page.pdf"), p.pdf, "application/pdf")
                meta = p.meta()
                meta.pop("part")
                s.add(Page(dossier_id=dossier_id, scan_id=scan_id, part=p.part, **place, source=ref.label, **meta))
            scan.state, scan.error = WorkState.DONE, None
            return index + len(fresh)

    def _finish(self, dossier_id: str) -> None:
        with self.ctx.session() as s:
            keys = [page_key(dossier_id, p.index, "page.pdf") for p in ordered_pages(s, dossier_id) if not skipped(p)]
        parts = [self.ctx.store.get(k) for k in keys]
        searchable = None
        if parts:
            searchable = dossier_key(dossier_id, "searchable.pdf")
            self.ctx.store.put(searchable, join_pages(parts, title=f"Hồ sơ {dossier_id}"), "application/pdf")
        self.refresh_documents(dossier_id)
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, SYSTEM)
            d.searchable_key = searchable
            d.status = DossierState.DONE
            d.finished_at = self.ctx.now()

    def refresh_documents(self, dossier_id: str) -> None:
        """The documents and their fields made again from the pages already read (no OCR), with the checklist and
        fields.json: after the pages are read, and after an officer groups pages by hand (grouping.py)."""
        self._extract(dossier_id)
        with self.ctx.session() as s:
            report = report_json(s, dossier_in_scope(s, dossier_id, SYSTEM))
            self.ctx.store.put(
                dossier_key(dossier_id, "fields.json"),
                json.dumps({"documents": report["documents"]}, ensure_ascii=False).encode(),
                "application/json",
            )

    def _extract(self, dossier_id: str) -> None:
        """Typed documents and their fields from the pages' words; then the procedure's checklist and form.

        Documents a reviewer has touched (corrected, approved, rejected) are kept as they are when the dossier is
        read again after more files came; the others are replaced by the new reading.
        """
        catalog = self.ctx.catalog
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, SYSTEM)
            procedure, citizen_id = procedure_of(catalog, d), d.citizen_id
            # In the order the pages were scanned, not the officer's: moving a page changes the copies' order, never
            # which pages make a document (a two-page tờ khai split by a move lost the officer's assignment).
            scanned = s.scalars(select(Page).where(Page.dossier_id == dossier_id).order_by(Page.index))
            refs = [(p.index, skipped(p)) for p in scanned]
            result_pages = set(result_page_numbers(s, dossier_id))
            fixed = [(x.type, list(x.pages)) for x in documents_in_order(s, dossier_id) if x.grouped_by]
        words = []
        for i, skip in refs:
            ocr = {} if skip else json.loads(self.ctx.store.get(page_key(dossier_id, i, "ocr.json")))
            words.append(PageWords(i, skip, ocr.get("words", []), ocr.get("qr", []), ocr.get("cards", [])))
        docs = extract_documents(words, catalog, fixed)
        submitted = [doc for doc in docs if not set(doc.pages) & result_pages]
        form, mismatches = prefill(procedure, submitted) if procedure is not None else ({}, [])
        with self.ctx.session() as s:
            values = [self._document_values(doc, result_pages, citizen_id) for doc in docs]
            replace_documents(s, dossier_id, docs, values)
            # Readings name documents by their place in the report (documents by id), not in `submitted`.
            place = {tuple(x.pages): i for i, x in enumerate(documents_in_order(s, dossier_id))}
            readings = {id(r): r for r in [*form.values(), *(r for m in mismatches for r in m["readings"])]}
            for reading in readings.values():  # the form's choice is also one of the mismatch readings
                reading["document"] = place[tuple(submitted[reading["document"]].pages)]
            d = dossier_in_scope(s, dossier_id, SYSTEM)
            d.checks = {"form": form, "disagreements": [{"code": "documents_disagree", **m} for m in mismatches]}
            refresh_checks(s, d, catalog)

    def _document_values(self, doc: ExtractedDocument, result_pages: set[int], citizen_id: str | None) -> dict:
        """A document's record as read: type, name, fields, whose paper it is, until when it is valid, its risk."""
        j, catalog = doc.to_json(), self.ctx.catalog
        return dict(type=doc.type, name=type_name(catalog, doc.type), confidence=j["confidence"], fields=j["fields"],
                    is_result=bool(set(doc.pages) & result_pages),
                    owner_id=document_owner(doc.type, j["fields"], citizen_id),
                    valid_until=valid_until_of(catalog, doc.type, j["fields"]), **risk(j["fields"]))  # fmt: skip

    def unfinished(self) -> list[str]:
        """Dossiers a stop interrupted: pages still waiting, or read but never finished (still `processing`: the
        service died while putting the dossier together). Queued again at start; reading takes only pending
        pages and finishing is safe to repeat, so queueing one twice does no harm."""
        with self.ctx.session() as s:
            waiting = set(s.scalars(select(Scan.dossier_id).where(Scan.state == WorkState.PENDING)))
            stuck = set(s.scalars(select(Dossier.id).where(Dossier.status == DossierState.PROCESSING)))
            return sorted(waiting | stuck)


def replace_documents(s: Session, dossier_id: str, docs: list[ExtractedDocument], values: list[dict]) -> None:
    """The dossier's documents as just read, except those a reviewer touched (corrected or decided), which stand.
    A paper read again on the same pages keeps its record (its id, and its e-copy, stay valid). One an officer
    grouped by hand is never dropped (a reading that began before the officer's change does not know it); its
    fields are read again like the others'."""
    existing = {tuple(x.pages): x for x in s.scalars(select(Document).where(Document.dossier_id == dossier_id))}
    ids = [x.id for x in existing.values()]
    touched = {x.id for x in existing.values() if x.state != DocState.EXTRACTED}
    touched |= set(s.scalars(select(Correction.document_id).where(Correction.document_id.in_(ids))))
    kept = touched | {x.id for x in existing.values() if x.grouped_by}
    seen = set()
    for doc, v in zip(docs, values, strict=True):
        key, old = tuple(doc.pages), existing.get(tuple(doc.pages))
        seen.add(key)
        if old is not None and old.id in touched:
            continue  # the reviewer's version stands
        if old is not None and old.type == doc.type:
            for k, value in v.items():
                setattr(old, k, value)
            continue
        if old is not None:
            s.delete(old)
        s.add(Document(dossier_id=dossier_id, pages=doc.pages, **v))
    for key, x in existing.items():
        if key not in seen and x.id not in kept:
            s.delete(x)
    s.flush()
