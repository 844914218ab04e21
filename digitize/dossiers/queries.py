"""Answers about dossiers: the JSON of docs/scan-json.md, the counter's status of a dossier, its pages, files and
searchable PDF, and the agency's list of dossiers. Every read by staff is audited."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import NotFound
from digitize.dossiers.handling import details_json
from digitize.dossiers.lookup import (
    documents_in_order,
    dossier_in_scope,
    ordered_pages,
    procedure_of,
    rereading_pages,
    result_page_numbers,
)
from digitize.dossiers.ratings import rating_brief
from digitize.dossiers.search import DossierFilters
from digitize.dossiers.slips import handed_in_rows
from digitize.people import audit
from digitize.people.auth import Principal
from forms.catalog import Catalog
from storage.objects import original_key
from storage.records import Document, Dossier, DossierFile, Page, Result, Reuse, Role, Scan


class Queries:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def _read(self, s: Session, dossier_id: str, actor: Principal, what: str, **detail: object) -> Dossier:
        """A dossier read by staff who may see it (counter or reviewer of its agency), written to the audit log."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        d = dossier_in_scope(s, dossier_id, actor)
        audit.record(s, actor, what, "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id, **detail)
        return d

    def report(self, dossier_id: str, actor: Principal) -> dict:
        """The JSON of docs/scan-json.md."""
        with self.ctx.session() as s:
            return report_json(s, self._read(s, dossier_id, actor, "dossier.read"))

    def dossier_code(self, dossier_id: str, actor: Principal) -> str:
        """The code printed on the receipt, without building the whole status."""
        with self.ctx.session() as s:
            return self._read(s, dossier_id, actor, "dossier.read").code

    def status(self, dossier_id: str, actor: Principal) -> dict:
        """§4 plus the processing state, the files, the documents' review states and the reused papers."""
        with self.ctx.session() as s:
            d = self._read(s, dossier_id, actor, "dossier.read")
            docs = documents_in_order(s, d.id)
            out = report_json(s, d, docs)
            counts = dict(
                s.execute(
                    select(Scan.state, func.count()).where(Scan.dossier_id == dossier_id).group_by(Scan.state)
                ).all()
            )
            for j, x in zip(out["documents"], docs, strict=True):
                j.update(id=x.id, name=x.name, state=x.state, is_result=x.is_result, owner_id=x.owner_id,
                         component=x.component, grouped_by=x.grouped_by)  # fmt: skip
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
                result_pages=result_page_numbers(s, d.id),
                rereading=rereading_pages(s, d.id),
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
                results=[result_json(r, self.ctx.catalog) for r in results],
                handling=details_json(d) | {"components": handed_in_rows(d, procedure_of(self.ctx.catalog, d))},
                rating=rating_brief(s, d.id),
            )
            return out

    def page(self, dossier_id: str, index: int, actor: Principal) -> Page:
        with self.ctx.session() as s:
            self._read(s, dossier_id, actor, "page.read", page=index)
            p = s.scalar(select(Page).where(Page.dossier_id == dossier_id, Page.index == index))
            if p is None:
                raise NotFound(
                    "page_not_found", f"dossier {dossier_id} has no page {index}", f"Hồ sơ không có trang {index}."
                )
            return p

    def searchable_pdf(self, dossier_id: str, actor: Principal) -> bytes:
        with self.ctx.session() as s:
            d = self._read(s, dossier_id, actor, "dossier.pdf")
            key = d.searchable_key
        if not key:
            raise NotFound(
                "pdf_not_ready",
                "the searchable PDF is not ready (processing not finished, or every page blank or failed)",
                "Bản PDF tìm kiếm được chưa sẵn sàng.",
                status=409,
            )
        return self.ctx.store.get(key)

    def original(self, dossier_id: str, seq: int, actor: Principal) -> tuple[DossierFile, bytes]:
        with self.ctx.session() as s:
            self._read(s, dossier_id, actor, "file.read", file=seq)
            f = s.scalar(select(DossierFile).where(DossierFile.dossier_id == dossier_id, DossierFile.seq == seq))
            if f is None:
                raise NotFound("file_not_found", f"dossier {dossier_id} has no file {seq}", "Không tìm thấy tệp.")
        return f, self.ctx.store.get(original_key(f.sha256))

    def dossiers(self, actor: Principal, filters: DossierFilters | None = None, limit: int = 50,
                 awaiting_result: bool = False, offset: int = 0) -> list[dict]:  # fmt: skip
        """The agency's dossiers, newest first, narrowed by `filters`; with `awaiting_result`, those promised a
        result not yet handed over, the earliest due first (what the counter returns next, the overdue on top)."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        returned = exists().where(Result.dossier_id == Dossier.id)
        with self.ctx.session() as s:
            q = select(Dossier, returned.label("returned"))
            if awaiting_result:
                q = q.where(Dossier.due_date.is_not(None), ~returned).order_by(Dossier.due_date, Dossier.created_at)
            else:
                q = q.order_by(Dossier.created_at.desc())
            q = q.limit(max(1, min(limit, 500))).offset(max(0, offset))
            if actor.kind != "system":
                q = q.where(Dossier.agency_code == actor.agency)
            if filters:
                q = filters.apply(q, self.ctx.today(), self.ctx.zone)
            rows = s.execute(q).all()
            audit.record(s, actor, "dossier.list", "agency", actor.agency, awaiting_result=awaiting_result,
                         **({"filters": filters.described()} if filters else {}))  # fmt: skip
            return [{"id": d.id, "code": d.code, "procedure": d.procedure, "citizen_id": d.citizen_id,
                     "status": d.status, "created_at": d.created_at.isoformat(), "archive": d.archive,
                     "due_date": d.due_date.isoformat() if d.due_date else None,
                     "new_due_date": d.new_due_date.isoformat() if d.new_due_date else None,
                     "outcome": d.outcome, "created_by": d.created_by, "returned": bool(done)}
                    for d, done in rows]  # fmt: skip


def report_json(s: Session, d: Dossier, docs: Sequence[Document] | None = None) -> dict:
    """§4 of the dossier; `docs`, its documents, when the caller read them already (a worker may add some
    between two reads: the report and what the caller adds to it must list the same ones)."""
    pages = s.scalars(select(Page).where(Page.dossier_id == d.id).order_by(Page.index)).all()
    if docs is None:
        docs = documents_in_order(s, d.id)
    checks = d.checks or {}
    return {
        "dossier": d.id,
        "procedure": d.procedure,
        "pages": [page_json(p) for p in pages],
        "documents": [{"type": x.type, "pages": x.pages, "confidence": x.confidence, "fields": x.fields} for x in docs],
        # Beyond the contract (docs/scan-json.md): what the counter needs from the procedure; readers ignore them.
        "checklist": checks.get("checklist", []),
        "form": checks.get("form", {}),
        "warnings": checks.get("warnings", []),
    }


def result_json(r: Result, catalog: Catalog) -> dict:
    t = catalog.document_types.get(r.document_type) if r.document_type else None
    collector = {"name": r.collector_name, "id_number": r.collector_id} if r.collector_name else None
    return {"id": r.id, "document_type": r.document_type, "name": t.name if t else None,
            "digitized": r.file_seq is not None, "file_seq": r.file_seq, "issued_by": r.issued_by,
            "issued_at": r.issued_at.isoformat(), "replaced_by": r.replaced_by, "collector": collector}  # fmt: skip


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
