"""Finding a dossier's records: the dossier or document if the caller may see it (else the same 404 as for none),
its pages in the officer's order, its documents in the report's order, its procedure."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from digitize.core.errors import Conflict, OutOfScope, not_found
from digitize.people.auth import Principal
from forms.catalog import Catalog, Procedure
from storage.records import (
    OPEN_STATES,
    DocState,
    Document,
    Dossier,
    DossierFile,
    Page,
    Result,
    Reuse,
    Scan,
    WorkState,
)


def dossier_in_scope(s: Session, dossier_id: str, actor: Principal) -> Dossier:
    """The dossier, if the actor's agency holds it: staff of other agencies get the same 404 as for none."""
    d = s.get(Dossier, dossier_id)
    if d is None:
        raise not_found("dossier", dossier_id, f"hồ sơ {dossier_id}")
    if not actor.sees_agency(d.agency_code):
        raise OutOfScope("dossier", dossier_id, f"hồ sơ {dossier_id}", actor, d.agency_code, d.citizen_id)
    return d


def document_in_scope(s: Session, doc_id: int, actor: Principal, own_agency: bool = False) -> tuple[Document, Dossier]:
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


def of_agency_and_procedure(q: Select, agency: str | None, procedure: str | None) -> Select:
    """The query (which must reach Dossier) limited to an agency and a procedure, when given: the figures' scope."""
    if agency:
        q = q.where(Dossier.agency_code == agency)
    if procedure:
        q = q.where(Dossier.procedure == procedure)
    return q


def ordered_pages(s: Session, dossier_id: str) -> list[Page]:
    """The dossier's pages in the order the officer left them (scan order unless reordered)."""
    q = select(Page).where(Page.dossier_id == dossier_id)
    return list(s.scalars(q.order_by(func.coalesce(Page.position, Page.index), Page.index)))


def skipped(p: Page) -> bool:
    """A page with nothing to read or keep in the copies: blank, unreadable, or left out at the counter."""
    return p.blank or p.failed or p.excluded


def next_page_number(s: Session, dossier_id: str) -> int:
    """The number the dossier's next page takes."""
    last = s.scalar(select(func.max(Page.index)).where(Page.dossier_id == dossier_id))
    return 0 if last is None else last + 1


def rereading_pages(s: Session, dossier_id: str) -> list[int]:
    """The numbers of pages being read again (an officer turned them): their scans wait for a worker again."""
    again = (WorkState.PENDING, WorkState.RUNNING, WorkState.READ)
    q = select(Page.index).join(Scan, Page.scan_id == Scan.id).where(Page.dossier_id == dossier_id)
    return list(s.scalars(q.where(Scan.state.in_(again)).order_by(Page.index)))


def documents_in_order(s: Session, dossier_id: str) -> Sequence[Document]:
    """The dossier's documents in the report's order (by id): warnings and form readings name them by place."""
    return s.scalars(select(Document).where(Document.dossier_id == dossier_id).order_by(Document.id)).all()


def procedure_of(catalog: Catalog, d: Dossier) -> Procedure | None:
    """The dossier's procedure in the catalog; None for a dossier opened without one."""
    return catalog.procedure(d.procedure) if d.procedure else None


def result_page_numbers(s: Session, dossier_id: str) -> list[int]:
    """The numbers of the dossier's pages that are scans of its issued result, not of what was handed in."""
    q = (
        select(Page.index)
        .join(Scan, Page.scan_id == Scan.id)
        .join(DossierFile, Scan.file_id == DossierFile.id)
        .where(Page.dossier_id == dossier_id, DossierFile.purpose == "result")
    )
    return list(s.scalars(q.order_by(Page.index)))


def refuse_decided(docs: Sequence[Document]) -> None:
    """Pages of a paper already approved (its e-copy signed, filed) or rejected are not moved: 409 until the
    decision is undone."""
    decided = [x for x in docs if x.state not in OPEN_STATES]
    if decided:
        raise Conflict("document_decided", f"documents {[x.id for x in decided]} were decided already; undo the "
                       "decision first", "Trang thuộc giấy tờ đã được duyệt hoặc từ chối: hãy hoàn tác quyết định "
                       "trước khi tách, gộp, đổi loại hoặc xoay.")  # fmt: skip


def documents_on(s: Session, dossier_id: str, pages: Sequence[int]) -> list[Document]:
    """The dossier's documents that hold any of these pages."""
    wanted = set(pages)
    return [x for x in documents_in_order(s, dossier_id) if wanted & set(x.pages or [])]


def awaiting_review(s: Session, dossier_id: str) -> tuple[int, list[Document]]:
    """What stands between a citizen's dossier and its result: pages handed in still being read, and papers handed
    in that no reviewer has decided on. The scans of the result itself do not count."""
    reading = s.scalar(
        select(func.count())
        .select_from(Scan)
        .join(DossierFile, Scan.file_id == DossierFile.id)
        .where(Scan.dossier_id == dossier_id, DossierFile.purpose != "result",
               Scan.state.not_in((WorkState.DONE, WorkState.FAILED)))
    )  # fmt: skip
    q = select(Document).where(Document.dossier_id == dossier_id, Document.state.in_(OPEN_STATES),
                               Document.is_result.is_(False))  # fmt: skip
    return reading or 0, list(s.scalars(q.order_by(Document.id)))


def result_recorded(s: Session, dossier_id: str) -> bool:
    """Whether the dossier's result was handed over (a replaced one counts: the citizen had a paper)."""
    return s.scalar(select(Result.id).where(Result.dossier_id == dossier_id).limit(1)) is not None
