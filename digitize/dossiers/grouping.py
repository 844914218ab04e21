"""The officer's hand on a dossier's documents: split, merge and change of type are one operation, "these pages are
one document of this type", at the counter and in review. The document is marked `grouped_by` the officer, and the
reading keeps it as set (forms.dossier.extract_documents, `fixed`), filling its fields by reading its pages as that
type; the documents the pages came from lose them."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import Conflict, DigitizeError
from digitize.dossiers.checks import refresh_checks, type_name
from digitize.dossiers.lookup import document_in_scope, documents_on, dossier_in_scope, refuse_decided
from digitize.dossiers.reading import Reading
from digitize.people import audit
from digitize.people.auth import Principal
from forms.catalog import KHAC
from storage.records import Correction, Document, Dossier, DossierState, Page, Role, Scan, WorkState


class Grouping:
    def __init__(self, ctx: Context, reading: Reading):
        self.ctx = ctx
        self.reading = reading  # reads the documents again once the officer's grouping is recorded

    def group(self, dossier_id: str, actor: Principal, pages: list[int], doc_type: str) -> int:
        """Make `pages` (in this order) one document of `doc_type`; returns its id. The documents they came from
        lose them (one left with none is gone; one the officer grouped keeps the rest together; the rest of one
        the reading grouped is grouped again by the reading). Its fields are read at once from the pages' words."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        if doc_type != KHAC and doc_type not in self.ctx.catalog.document_types:
            raise DigitizeError("unknown_document_type", f"no document type {doc_type}",
                                f"Không có loại giấy tờ {doc_type}.", status=422)  # fmt: skip
        if not pages or len(set(pages)) != len(pages):
            raise DigitizeError("bad_pages", "name the document's pages, each once", "Hãy chọn các trang của giấy "
                                "tờ, mỗi trang một lần.", status=422)  # fmt: skip
        with self.ctx.session() as s:
            busy = dossier_in_scope(s, dossier_id, actor).status == DossierState.PROCESSING
            unread = (WorkState.PENDING, WorkState.RUNNING, WorkState.READ)
            busy = busy or bool(s.scalar(select(Scan.id).where(Scan.dossier_id == dossier_id, Scan.state.in_(unread))))
        # While pages are read the reading holds the dossier's lock for as long as they take: refused, not kept waiting.
        if busy:
            raise Conflict("dossier_busy", "the dossier's pages are being read; try again when done",
                           "Hồ sơ đang được đọc; chờ đọc xong rồi thao tác lại.")  # fmt: skip
        with self.ctx.lock(dossier_id):
            with self.ctx.session() as s:
                d = dossier_in_scope(s, dossier_id, actor)
                doc_id = self._record(s, d, actor, pages, doc_type)
                done = d.status == DossierState.DONE
                if not done:
                    refresh_checks(s, d, self.ctx.catalog)  # the reading to come fills the fields
            if done:
                self.reading.refresh_documents(dossier_id)
        return doc_id

    def _record(self, s: Session, d: Dossier, actor: Principal, pages: list[int], doc_type: str) -> int:
        known = set(s.scalars(select(Page.index).where(Page.dossier_id == d.id)))
        if missing := [i for i in pages if i not in known]:
            raise DigitizeError("page_not_found", f"no page {missing[0]}", "Hồ sơ không có trang này.", status=404)
        sources = documents_on(s, d.id, pages)
        refuse_decided(sources)
        same = next((x for x in sources if list(x.pages) == pages and x.type == doc_type), None)
        if same is not None and len(sources) == 1:  # as it is: the officer confirms it, and the reading keeps it
            same.grouped_by = actor.actor
            self._audit(s, d, actor, same.id, pages, doc_type, [])
            return same.id
        for x in sources:
            rest = [i for i in x.pages if i not in pages]
            if rest and x.grouped_by:
                s.add(Document(dossier_id=d.id, type=x.type, name=x.name, pages=rest, grouped_by=x.grouped_by,
                               component=x.component, owner_id=x.owner_id, fields={}))  # fmt: skip
            s.execute(delete(Correction).where(Correction.document_id == x.id))
            s.delete(x)
        new = Document(dossier_id=d.id, type=doc_type, name=type_name(self.ctx.catalog, doc_type), pages=pages,
                       confidence=1.0, fields={}, grouped_by=actor.actor, owner_id=d.citizen_id)  # fmt: skip
        s.add(new)
        s.flush()
        self._audit(s, d, actor, new.id, pages, doc_type, [x.id for x in sources])
        return new.id

    def _audit(self, s: Session, d: Dossier, actor: Principal, doc_id: int, pages: list[int], doc_type: str,
               replaced: list[int]) -> None:  # fmt: skip
        audit.record(s, actor, "document.group", "document", doc_id, agency=d.agency_code, citizen=d.citizen_id,
                     dossier=d.id, pages=pages, type=doc_type, replaced=replaced)  # fmt: skip

    def set_type(self, doc_id: int, actor: Principal, doc_type: str) -> int:
        """The document is a paper of another type: the same pages, read again as that type."""
        actor.require(Role.COUNTER, Role.REVIEWER)
        with self.ctx.session() as s:
            x, d = document_in_scope(s, doc_id, actor, own_agency=True)
            dossier_id, pages = d.id, list(x.pages)
        return self.group(dossier_id, actor, pages, doc_type)
