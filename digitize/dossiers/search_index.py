"""The search index kept in step with what it finds: every flush that adds, changes or removes a dossier, a document
or a page rewrites their entries (storage/fulltext.py) in the same transaction, so a search never sees a page that
is gone or misses a correction just saved. `rebuild` writes every entry again (`digitize reindex`); `open_service`
fills an empty index once, for a database that had dossiers before the index existed.

What each record contributes (its entry's `body`, also the text its snippet shows):
- a dossier: its code, the citizen's ID number, the applicant's name, phone and address, the procedure's name;
- a document: its type's name, its name, and each field's label and value (as corrected);
- a page: its text, unless it is blank, unreadable or left out.
A page's entry also names the document holding it, so a paper reused by another agency is found there with its pages.
"""

from __future__ import annotations

import logging
import unicodedata

from sqlalchemy import Connection, event, select, update
from sqlalchemy.orm import Session, attributes

from digitize.core.context import Context
from digitize.core.text import words
from digitize.dossiers.checks import type_name
from digitize.dossiers.lookup import skipped
from forms.catalog import Catalog, field_title
from storage import fulltext
from storage.records import Document, Dossier, Page, SearchEntry

# The columns whose change rewrites a record's entry; a flush changing only others (a status, a time) costs nothing.
INDEXED = {
    Dossier: ("code", "citizen_id", "applicant_name", "applicant_phone", "applicant_address", "procedure"),
    Document: ("type", "name", "fields", "pages"),
    Page: ("text", "index", "blank", "failed", "excluded"),
}
BATCH = 500  # records read per query by `rebuild`
log = logging.getLogger("digitize.dossiers.search_index")


def key(kind: str, ident: object) -> str:
    return f"{kind}:{ident}"


def dossier_entry(d: Dossier, catalog: Catalog) -> dict:
    procedure = catalog.procedures.get(d.procedure) if d.procedure else None
    parts = [d.code, d.citizen_id, d.applicant_name, d.applicant_phone, d.applicant_address,
             procedure.name if procedure else None]  # fmt: skip
    return entry("dossier", d.id, d.id, " · ".join(p for p in parts if p), agency_code=d.agency_code)


def document_entry(x: Document, catalog: Catalog) -> dict:
    t = catalog.document_types.get(x.type)
    labels = {f.key: field_title(f) for f in t.fields} if t else {}
    parts = [type_name(catalog, x.type)] + ([x.name] if x.name and x.name != type_name(catalog, x.type) else [])
    for name, f in (x.fields or {}).items():
        value = f.get("value") if isinstance(f, dict) else None
        if value:
            parts.append(f"{labels.get(name, name)}: {value}")
    return entry("document", x.id, x.dossier_id, " · ".join(parts), document_id=x.id)


def page_entry(p: Page) -> dict | None:
    """None for a page nothing should find (blank, unreadable, left out) or with no text."""
    if skipped(p) or not (p.text or "").strip():
        return None
    return entry("page", p.id, p.dossier_id, p.text, page_index=p.index)


def entry(kind: str, ident: object, dossier_id: str, body: str, **columns: object) -> dict:
    """An entry as `write` takes it: its text composed (its folded form is as long: search.snippet) and split
    into the words the index holds; `columns` set the others (agency_code, document_id, page_index)."""
    body = unicodedata.normalize("NFC", body)
    return {"key": key(kind, ident), "kind": kind, "dossier_id": dossier_id, "agency_code": None,
            "document_id": None, "page_index": None, "body": body, "words": " ".join(words(body)),
            **columns}  # fmt: skip


def write(conn: Connection, entries: list[dict]) -> None:
    """Put the entries, each with its dossier's agency (a page or a document does not hold it)."""
    unknown = {e["dossier_id"] for e in entries if e["kind"] != "dossier"}
    if unknown:
        agencies = dict(conn.execute(select(Dossier.id, Dossier.agency_code).where(Dossier.id.in_(unknown))).all())
        entries = [e if e["kind"] == "dossier" else {**e, "agency_code": agencies.get(e["dossier_id"])}
                   for e in entries]  # fmt: skip
    fulltext.put(conn, entries)


def keep_in_step(ctx: Context) -> None:
    """Rewrite the entries of what each of the context's flushes changed, in that flush's transaction."""
    if not event.contains(ctx.sessions, "after_flush", _after_flush):
        ctx.sessions.kw.setdefault("info", {})["catalog"] = ctx.catalog
        event.listen(ctx.sessions, "after_flush", _after_flush)


def _after_flush(session: Session, _context: object) -> None:
    catalog: Catalog = session.info["catalog"]
    gone: list[str] = []
    entries: list[dict] = []
    relink: set[str] = set()  # dossiers whose pages may now be held by other documents
    for obj in session.deleted:
        if type(obj) in INDEXED:
            gone.append(key(type(obj).__name__.lower(), obj.id))
            if not isinstance(obj, Dossier):
                relink.add(obj.dossier_id)
    for obj in [*session.new, *session.dirty]:
        if type(obj) not in INDEXED or obj in session.deleted or not _changed(session, obj):
            continue
        if isinstance(obj, Dossier):
            entries.append(dossier_entry(obj, catalog))
            continue
        relink.add(obj.dossier_id)
        entry = document_entry(obj, catalog) if isinstance(obj, Document) else page_entry(obj)
        if entry is None:
            gone.append(key("page", obj.id))
        else:
            entries.append(entry)
    if gone or entries:
        conn = session.connection()
        fulltext.remove(conn, gone)
        write(conn, entries)
        for dossier_id in relink:
            link_pages(conn, dossier_id)


def _changed(session: Session, obj: object) -> bool:
    if obj in session.new:
        return True
    state = attributes.instance_state(obj)
    return any(state.attrs[name].history.has_changes() for name in INDEXED[type(obj)])


def link_pages(conn: Connection, dossier_id: str) -> None:
    """Each page entry of the dossier names the document now holding its page (or none)."""
    t = SearchEntry.__table__
    of_dossier = update(t).where(t.c.dossier_id == dossier_id, t.c.kind == "page")
    conn.execute(of_dossier.values(document_id=None))
    for doc_id, held in conn.execute(select(Document.id, Document.pages).where(Document.dossier_id == dossier_id)):
        if held:
            conn.execute(of_dossier.where(t.c.page_index.in_(list(held))).values(document_id=doc_id))


def rebuild(ctx: Context) -> int:
    """Write every entry again from the records; the number written. One transaction: searches meanwhile see the
    old index, then the new one."""
    count = 0
    with ctx.session() as s:
        conn = s.connection()
        fulltext.clear(conn)
        for model, entry_of in ((Dossier, lambda d: dossier_entry(d, ctx.catalog)),
                                (Document, lambda x: document_entry(x, ctx.catalog)), (Page, page_entry)):  # fmt: skip
            for batch in _batches(s, model):
                entries = [e for e in map(entry_of, batch) if e is not None]
                write(conn, entries)
                count += len(entries)
                s.expunge_all()
        for dossier_id in s.scalars(select(Document.dossier_id).distinct()):
            link_pages(conn, dossier_id)
    fulltext.analyze(ctx.sessions.kw["bind"])
    return count


def _batches(s: Session, model: type):
    last = None
    while True:
        q = select(model).order_by(model.id).limit(BATCH)
        batch = list(s.scalars(q if last is None else q.where(model.id > last)))
        if not batch:
            return
        yield batch
        last = batch[-1].id


def fill_if_empty(ctx: Context) -> None:
    """At start-up: a database from before the index has dossiers and no entries; index them once."""
    with ctx.lock("search-index"):
        with ctx.session() as s:
            empty = s.scalar(select(SearchEntry.id).limit(1)) is None
            has_records = s.scalar(select(Dossier.id).limit(1)) is not None
        if empty and has_records:
            log.info("search index: writing the entries of a database from before the index")
            log.info("search index: %d entries written", rebuild(ctx))
