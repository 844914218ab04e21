"""Finding dossiers and papers again: full-text search over the index (search_index.py) within the caller's scope,
and the filters a dossier list shares with it.

Scope: staff see their agency's dossiers and the papers reused in them (such a hit points to the agency's dossier
that reused it); a citizen sees their own dossiers and their approved papers. Typed without diacritics or with
them, in any case: both sides are folded (digitize.core.text.words). Every word must be found; the last may be
the start of a word. When more than CANDIDATES entries match, the most recent CANDIDATES are ranked and the total
says so (`more`): a word that common needs a second word or a filter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from digitize.core.context import Context
from digitize.core.errors import DigitizeError
from digitize.core.text import fold, word_places, words
from digitize.dossiers.checks import type_name
from digitize.people import audit
from digitize.people.auth import Principal
from storage import fulltext
from storage.records import DocState, Document, Dossier, Result, Reuse, Role, SearchEntry

CANDIDATES = 1000
MAX_PER_PAGE = 50
SNIPPET = 180  # characters of a snippet
STAGES = ("received", "processing", "done", "failed", "returned", "awaiting_result", "supplement", "refused")


@dataclass(frozen=True)
class DossierFilters:
    """What a dossier list or a search narrows to. Dates are local days of receipt, both ends included."""

    procedure: str | None = None
    stage: str | None = None  # a processing state, or returned / awaiting_result / supplement / refused
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    officer: str | None = None  # who received the dossier

    def __post_init__(self):
        if self.stage and self.stage not in STAGES:
            raise DigitizeError("bad_filter", f"status must be one of {', '.join(STAGES)}",
                                "Trạng thái lọc không hợp lệ.", status=422)  # fmt: skip
        if self.received_from and self.received_to and self.received_from > self.received_to:
            raise DigitizeError("bad_filter", "the period ends before it starts",
                                "Khoảng ngày không hợp lệ: ngày kết thúc trước ngày bắt đầu.", status=422)  # fmt: skip

    def described(self) -> dict:
        """The filters set, as the audit log keeps them."""
        return {k: str(v) for k, v in asdict(self).items() if v}

    def apply(self, q: Select, today: date, zone: tzinfo) -> Select:
        returned = exists().where(Result.dossier_id == Dossier.id)
        if self.procedure:
            q = q.where(Dossier.procedure == self.procedure)
        if self.officer:
            q = q.where(Dossier.created_by == self.officer)
        if self.received_from:
            q = q.where(Dossier.created_at >= _local_midnight(self.received_from, zone))
        if self.received_to:
            q = q.where(Dossier.created_at < _local_midnight(self.received_to + timedelta(days=1), zone))
        if self.overdue:
            q = q.where(func.coalesce(Dossier.new_due_date, Dossier.due_date) < today, ~returned)
        return q.where(_stage(self.stage, returned)) if self.stage else q


def _stage(stage: str, returned: ColumnElement) -> ColumnElement:
    if stage == "returned":
        return returned
    if stage == "awaiting_result":
        return and_(Dossier.due_date.is_not(None), ~returned)
    if stage in ("supplement", "refused"):
        return Dossier.outcome == stage
    return Dossier.status == stage


def _local_midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(), zone)


class Search:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def find(self, actor: Principal, text: str, filters: DossierFilters | None = None, page: int = 1,
             per_page: int = 20) -> dict:  # fmt: skip
        """The hits for `text`, best first: each entry with its dossier, document, page and snippet."""
        actor.require(Role.COUNTER, Role.REVIEWER, Role.LEADER, Role.CITIZEN)
        terms = query_words(text)
        if not terms:
            raise DigitizeError("empty_query", "type a word, a name, a number or a dossier code",
                                "Hãy gõ một từ, họ tên, số giấy tờ hoặc mã hồ sơ để tìm.", status=422)  # fmt: skip
        per_page, page = max(1, min(per_page, MAX_PER_PAGE)), max(1, page)
        with self.ctx.session() as s:
            q = self._scoped(select(SearchEntry.id), actor)
            if filters:
                q = filters.apply(
                    q.join(Dossier, Dossier.id == SearchEntry.dossier_id), self.ctx.today(), self.ctx.zone
                )
            q, rank, recency = fulltext.matching(q, s.get_bind().dialect.name, terms)
            found = s.execute(q.add_columns(rank).order_by(recency.desc()).limit(CANDIDATES)).all()
            found.sort(key=lambda r: (r[1], -r[0]))
            chosen = [r[0] for r in found[(page - 1) * per_page : page * per_page]]
            hits = self._hits(s, actor, chosen, terms)
            audit.record(s, actor, "search", "agency", actor.agency, q=text[:200], hits=len(found),
                         **({"filters": filters.described()} if filters else {}))  # fmt: skip
        return {"query": text, "total": len(found), "more": len(found) == CANDIDATES, "page": page,
                "per_page": per_page, "hits": hits}  # fmt: skip

    def _scoped(self, q: Select, actor: Principal) -> Select:
        """Staff: the entries of the agency (each holds its dossier's agency, so no join is needed, which lets the
        database walk the newest entries first) and those of papers reused there. A citizen: their dossiers and
        their approved papers."""
        if actor.kind == "system":
            return q
        if actor.kind == "citizen":
            paper = aliased(Document)
            mine = select(Dossier.id).where(Dossier.citizen_id == actor.subject)
            q = q.outerjoin(paper, paper.id == SearchEntry.document_id)
            own_dossier = and_(SearchEntry.kind == "dossier", SearchEntry.dossier_id.in_(mine))
            own_paper = and_(paper.owner_id == actor.subject, paper.state == DocState.APPROVED)
            return q.where(or_(own_dossier, own_paper))
        reused = select(Reuse.document_id).join(Dossier, Dossier.id == Reuse.dossier_id)
        reused = reused.where(Dossier.agency_code == actor.agency)
        return q.where(or_(SearchEntry.agency_code == actor.agency, SearchEntry.document_id.in_(reused)))

    def _hits(self, s: Session, actor: Principal, ids: list[int], terms: list[str]) -> list[dict]:
        if not ids:
            return []
        entries = {e.id: e for e in s.scalars(select(SearchEntry).where(SearchEntry.id.in_(ids)))}
        doc_ids = {e.document_id for e in entries.values() if e.document_id}
        docs = {x.id: x for x in s.scalars(select(Document).where(Document.id.in_(doc_ids)))} if doc_ids else {}
        dossier_ids = {e.dossier_id for e in entries.values()}
        dossiers = {d.id: d for d in s.scalars(select(Dossier).where(Dossier.id.in_(dossier_ids)))}
        out = []
        for entry_id in ids:
            e = entries[entry_id]
            d = dossiers[e.dossier_id]
            if actor.kind == "staff" and not actor.sees_agency(d.agency_code):
                d = self._reusing_dossier(s, actor, e.document_id) or d
            out.append(self._hit(e, d, docs.get(e.document_id), terms))
        return out

    def _reusing_dossier(self, s: Session, actor: Principal, doc_id: int | None) -> Dossier | None:
        """The agency's latest dossier that reused the paper: where its staff open it."""
        q = select(Dossier).join(Reuse, Reuse.dossier_id == Dossier.id)
        q = q.where(Reuse.document_id == doc_id, Dossier.agency_code == actor.agency)
        return s.scalar(q.order_by(Reuse.at.desc()).limit(1))

    def _hit(self, e: SearchEntry, d: Dossier, x: Document | None, terms: list[str]) -> dict:
        procedure = self.ctx.catalog.procedures.get(d.procedure) if d.procedure else None
        return {
            "kind": e.kind,
            "dossier_id": d.id,
            "dossier_code": d.code,
            "procedure": d.procedure,
            "procedure_name": procedure.name if procedure else None,
            "status": d.status,
            "received_at": d.created_at.isoformat(),
            "due_date": (d.new_due_date or d.due_date).isoformat() if (d.new_due_date or d.due_date) else None,
            "reused": d.id != e.dossier_id,
            "document_id": x.id if x else None,
            "document_type": x.type if x else None,
            "document_name": type_name(self.ctx.catalog, x.type) if x else None,
            "document_state": x.state if x else None,
            "page_index": e.page_index,
            "snippet": snippet(e.body, terms),
        }


def query_words(text: str) -> list[str]:
    """The words to look for. A last word of one letter, after others, waits for the next letter: as the start of
    a word it would match most of the index's words (at 100,000 pages, "nguyen van k" took up to 0.4 s)."""
    terms = words(text)
    return terms[:-1] if len(terms) > 1 and len(terms[-1]) == 1 else terms


def snippet(body: str, terms: list[str], width: int = SNIPPET) -> list[dict]:
    """The part of `body` around its best place for `terms` (the most terms within `width` characters), as
    segments [{"text", "hit"}] a page shows as text, the words found marked: never HTML."""
    folded = fold(body)  # one character for one: a place in `folded` is the same place in `body`
    spans = _spans(folded, terms)
    if not spans:
        return [{"text": _clip(body, 0, width), "hit": False}]
    start = max(spans, key=lambda sp: sum(1 for o in spans if sp[0] <= o[0] < sp[0] + width))[0]
    start = max(0, start - width // 4)
    end = min(len(body), start + width)
    out: list[dict] = []
    at = start
    for a, b in (sp for sp in spans if start <= sp[0] and sp[1] <= end):
        if a > at:
            out.append({"text": body[at:a], "hit": False})
        out.append({"text": body[a:b], "hit": True})
        at = b
    if at < end:
        out.append({"text": body[at:end], "hit": False})
    if start > 0:
        out[0]["text"] = "…" + out[0]["text"]
    if end < len(body):
        out[-1]["text"] += "…"
    return out


def _spans(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where `folded` holds a term as the index matched it: each a whole word, the last also the start of one."""
    whole, last = set(terms), terms[-1]
    return [(a, b) for w, a, b in word_places(folded) if w in whole or w.startswith(last)]


def _clip(body: str, start: int, width: int) -> str:
    text = body[start : start + width]
    return text + ("…" if len(body) > start + width else "")
