"""The citizen's data repository (kho dữ liệu điện tử): approved, still-valid papers by personal ID number, offered
for reuse when a dossier is opened and attached to it by reference, each attachment recorded as a reuse."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import DigitizeError, not_found
from digitize.dossiers.checks import refresh_checks
from digitize.dossiers.lookup import document_in_scope, dossier_in_scope
from digitize.dossiers.queries import Queries
from digitize.people import audit
from digitize.people.auth import Principal
from digitize.signing.links import Links
from forms.catalog import KHAC
from storage.records import Agency, DocState, Document, Dossier, Result, Reuse, Role


def paper_json(x: Document, dossier: Dossier | None = None) -> dict:
    out = {
        "id": x.id,
        "type": x.type,
        "name": x.name,
        "owner_id": x.owner_id,
        "state": x.state,
        "is_result": x.is_result,
        "valid_until": x.valid_until.isoformat() if x.valid_until else None,
        "approved_at": x.decided_at.isoformat() if x.decided_at and x.state == DocState.APPROVED else None,
        "pages": len(x.pages or []),
        "fields": {k: f.get("value") for k, f in (x.fields or {}).items()},
        "certified": bool(x.ecopy_key),
    }
    if dossier is not None:
        out["dossier_code"] = dossier.code
        out["procedure"] = dossier.procedure
    return out


def valid_papers(s: Session, id_number: str, today: date) -> list[Document]:
    """The citizen's approved papers that have not expired, newest first."""
    q = (
        select(Document)
        .where(Document.owner_id == id_number, Document.state == DocState.APPROVED)
        .where(or_(Document.valid_until.is_(None), Document.valid_until >= today))
        .order_by(Document.decided_at.desc(), Document.id.desc())
    )
    return list(s.scalars(q))


class Vault:
    def __init__(self, ctx: Context, queries: Queries):
        self.ctx = ctx
        self.queries = queries  # a dossier's status, answered after papers are attached to it

    def ecopy_link(self, actor: Principal, doc_id: int, links: Links) -> dict:
        """A short-lived download link to a paper's certified e-copy, which is signed when a reviewer approves it
        (review.approve); each link handed out is audited."""
        actor.require(Role.COUNTER, Role.REVIEWER, Role.CITIZEN)
        with self.ctx.session() as s:
            x, d = document_in_scope(s, doc_id, actor)
            if not x.ecopy_key or x.state != DocState.APPROVED:
                raise DigitizeError("ecopy_not_ready", f"the paper is {x.state}: a certified e-copy is made when a "
                                    "reviewer approves it", "Giấy tờ chưa được duyệt nên chưa có bản sao điện tử "
                                    "được ký số.", status=409, state=x.state)  # fmt: skip
            audit.record(s, actor, "document.download", "document", x.id, agency=d.agency_code, citizen=x.owner_id)
            key, name = x.ecopy_key, f"{d.code or d.id}-{x.type}-{x.id}.pdf"
        return links.make(key, name, "application/pdf")

    def papers(self, actor: Principal, id_number: str) -> list[dict]:
        """A citizen's reusable papers, for counter staff serving that citizen (each look-up is audited)."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        with self.ctx.session() as s:
            out = [paper_json(x, s.get(Dossier, x.dossier_id)) for x in valid_papers(s, id_number, self.ctx.today())]
            audit.record(s, actor, "repository.read", "citizen", id_number, citizen=id_number, papers=len(out))
            return out

    def offers(self, actor: Principal, dossier_id: str) -> list[dict]:
        """For each component of the dossier's procedure, the citizen's papers that would satisfy it."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            out = self._offers(s, d)
            audit.record(s, actor, "repository.offer", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         papers=sum(len(o["papers"]) for o in out))  # fmt: skip
            return out

    def _offers(self, s: Session, d: Dossier) -> list[dict]:
        procedure = self.ctx.catalog.procedure(d.procedure) if d.procedure else None
        if procedure is None or not d.citizen_id:
            return []
        attached = set(s.scalars(select(Reuse.document_id).where(Reuse.dossier_id == d.id)))
        papers = [x for x in valid_papers(s, d.citizen_id, self.ctx.today()) if x.id not in attached]
        out = []
        for c in procedure.components:
            # Only papers a citizen keeps (cards, certificates): a form filled for one application is not reused.
            types = [t for t in c.document_types if t != KHAC and self._reusable(t)]
            hits = [paper_json(x, s.get(Dossier, x.dossier_id)) for x in papers if x.type in types]
            if hits:
                out.append({"component": c.key, "name": c.name, "required": c.required, "papers": hits})
        return out

    def _reusable(self, doc_type: str) -> bool:
        dt = self.ctx.catalog.document_types.get(doc_type)
        return dt is not None and dt.reusable

    def attach(self, actor: Principal, dossier_id: str, document_ids: list[int]) -> dict:
        """Attach offered papers to the dossier by reference (no scan); each one is a reuse event."""
        actor.require(Role.COUNTER)
        if not document_ids:
            raise DigitizeError("no_documents", "name the papers to attach", "Chưa chọn giấy tờ để dùng lại.",
                                status=422)  # fmt: skip
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            offered = {p["id"]: o["component"] for o in self._offers(s, d) for p in o["papers"]}
            taken: set[str] = set()
            for doc_id in dict.fromkeys(document_ids):
                if doc_id not in offered:
                    # Not the citizen's, not approved, expired, not wanted by the procedure, or attached already:
                    # the same answer for all, so nothing is learnt about other people's papers.
                    raise not_found("reusable_document", doc_id, f"giấy tờ dùng lại được số {doc_id}")
                component = offered[doc_id]
                if component in taken:
                    raise DigitizeError("component_taken", f"two papers for component {component}",
                                        "Đã chọn một giấy tờ cho thành phần này.", status=422)  # fmt: skip
                taken.add(component)
                s.add(Reuse(dossier_id=d.id, document_id=doc_id, component=component, by=actor.actor))
                audit.record(s, actor, "repository.reuse", "document", doc_id, agency=d.agency_code,
                             citizen=d.citizen_id, dossier=d.id, component=component)  # fmt: skip
            s.flush()
            refresh_checks(s, d, self.ctx.catalog)
        return self.queries.status(dossier_id, actor)

    def my_dossiers(self, actor: Principal) -> list[dict]:
        """A citizen's own dossiers, newest first, as the receipt's code tracks them: where and when each was
        received, the date promised, and whether the result was handed over, is awaited or is overdue. Archives
        digitized for the unit are not dossiers the citizen handed in, and are left out."""
        actor.require(Role.CITIZEN)
        today = self.ctx.today()
        with self.ctx.session() as s:
            rows = s.execute(
                select(Dossier, Agency.name).outerjoin(Agency, Dossier.agency_code == Agency.code)
                .where(Dossier.citizen_id == actor.subject, Dossier.archive.is_(False))
                .order_by(Dossier.created_at.desc())
            ).all()  # fmt: skip
            returned = dict(
                s.execute(
                    select(Result.dossier_id, func.min(Result.issued_at))
                    .where(Result.dossier_id.in_([d.id for d, _ in rows] or [""]))
                    .group_by(Result.dossier_id)
                ).all()
            )
            out = []
            for d, agency_name in rows:
                issued = returned.get(d.id)
                state = "returned" if issued else "overdue" if d.due_date and d.due_date < today else "in_progress"
                procedure = self.ctx.catalog.procedure(d.procedure) if d.procedure else None
                out.append({"code": d.code, "procedure": d.procedure, "procedure_name": procedure.name if procedure
                            else None, "agency": d.agency_code, "agency_name": agency_name,
                            "received_at": d.created_at.isoformat(),
                            "due_date": d.due_date.isoformat() if d.due_date else None, "state": state,
                            "returned_at": issued.isoformat() if issued else None})  # fmt: skip
            audit.record(s, actor, "dossiers.read", "citizen", actor.subject, citizen=actor.subject,
                         dossiers=len(out))  # fmt: skip
            return out

    def my_papers(self, actor: Principal) -> list[dict]:
        """A citizen's own papers with their history: where each was digitized, approved, and reused."""
        actor.require(Role.CITIZEN)
        with self.ctx.session() as s:
            out = []
            for x in valid_papers(s, actor.subject, self.ctx.today()):
                d = s.get(Dossier, x.dossier_id)
                history = [{"at": d.created_at.isoformat(), "event": "digitized", "dossier_code": d.code}]
                if x.decided_at:
                    history.append({"at": x.decided_at.isoformat(), "event": "approved"})
                for r, rd in s.execute(
                    select(Reuse, Dossier).join(Dossier, Reuse.dossier_id == Dossier.id)
                    .where(Reuse.document_id == x.id).order_by(Reuse.at)
                ):  # fmt: skip
                    history.append({"at": r.at.isoformat(), "event": "reused", "dossier_code": rd.code,
                                    "procedure": rd.procedure})  # fmt: skip
                out.append({**paper_json(x, d), "history": history})
            audit.record(s, actor, "repository.read", "citizen", actor.subject, citizen=actor.subject,
                         papers=len(out))  # fmt: skip
            return out
