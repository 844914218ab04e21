"""What the dossier's papers say about it: the procedure's checklist with the warnings the counter sees, whose
paper each document is, when it expires, and how risky it is for the review queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.dossiers.lookup import documents_in_order, procedure_of
from forms.catalog import Catalog
from forms.dossier import checklist
from forms.normalize import compare_key
from storage.records import Citizen, DocState, Document, Dossier, Reuse


def refresh_checks(s: Session, d: Dossier, catalog: Catalog) -> None:
    """The procedure's checklist from the dossier's papers that stand (scanned and not rejected, or attached from
    the repository), and the warnings the counter sees: papers that disagree, fields with problems, papers a
    reviewer rejected, papers the procedure does not ask for, components missing. Run again whenever a document or
    a decision changes, so the counter never shows a rejected paper as received."""
    procedure = procedure_of(catalog, d)
    checks = dict(d.checks or {})
    docs = documents_in_order(s, d.id)
    # Documents are named by their place in the report's list (ordered by id), as `form` readings are.
    invalid = [{"code": "field_invalid", "document": i, "field": k, "problems": f["problems"]}
               for i, x in enumerate(docs) for k, f in x.fields.items() if f.get("problems")]  # fmt: skip
    handed_in = [(i, x) for i, x in enumerate(docs) if not x.is_result]
    rejected = [{"code": "document_rejected", "document": i, "name": x.name, "reason": x.reject_reason}
                for i, x in handed_in if x.state == DocState.REJECTED]  # fmt: skip
    standing = [(i, x) for i, x in handed_in if x.state != DocState.REJECTED]
    rows: list[dict] = []
    unasked: list[dict] = []
    if procedure is not None:
        reused: dict[str, list[int]] = {}
        for r in s.scalars(select(Reuse).where(Reuse.dossier_id == d.id).order_by(Reuse.id)):
            reused.setdefault(r.component or "", []).append(r.document_id)
        rows = checklist(procedure, [x for _, x in standing], reused)
        shown = {k for k, v in (d.handed_in or {}).items() if v.get("presented")}
        for row in rows:
            row["documents"] = [standing[j][0] for j in row["documents"]]
            # A paper only to be shown (the ID card) is satisfied when the officer saw it, scanned or not.
            row["presented"] = row["component"] in shown
            row["satisfied"] = row["satisfied"] or (row["form"] == "present" and row["presented"])
        placed = {i for row in rows for i in row["documents"]}
        unasked = [{"code": "document_not_in_procedure", "document": i, "name": x.name}
                   for i, x in standing if i not in placed]  # fmt: skip
    missing = [{"code": "component_missing", "component": c["component"], "name": c["name"]}
               for c in rows if c["required"] and not c["satisfied"]]  # fmt: skip
    names = citizen_names(s, d, docs, catalog)
    others = [{"code": "document_of_another_person", "document": i, "name": x.name, **who}
              for i, x in standing if x.state != DocState.APPROVED
              and (who := other_person(catalog, x, d.citizen_id, names))]  # fmt: skip
    checks["checklist"] = rows
    checks["warnings"] = [*checks.get("disagreements", []), *invalid, *rejected, *others, *unasked, *missing]
    d.checks = checks


def citizen_names(s: Session, d: Dossier, docs: Sequence[Document], catalog: Catalog) -> set[str]:
    """The people a paper of the dossier may name and still be the citizen's, compared as compare_key does: the
    citizen (the name on record, the name on a card with their number) and everyone named on a paper that names
    the citizen (the child, the mother and the father of the citizen's own tờ khai)."""
    if not d.citizen_id:
        return set()
    c = s.get(Citizen, d.citizen_id)
    own = {compare_key(c.full_name)} if c is not None and c.full_name else set()
    people = [persons(catalog, x) for x in docs]
    own |= {compare_key(n) for x, (ids, names) in zip(docs, people, strict=True)
            if x.type == "can_cuoc" and d.citizen_id in ids for n in names}  # fmt: skip
    related = set(own)
    for ids, names in people:
        keys = {compare_key(n) for n in names}
        if d.citizen_id in ids or keys & own:
            related |= keys
    return related


def persons(catalog: Catalog, x: Document) -> tuple[list[str], list[str]]:
    """The ID numbers and the names of people a paper gives (its fields of those kinds that were read)."""
    dt = catalog.document_types.get(x.type)
    fields = dt.fields if dt else []
    value = {f.key: ((x.fields or {}).get(f.key) or {}).get("value") for f in fields}
    ids = sorted({v for f in fields if f.kind == "id_number" and (v := value[f.key])})
    return ids, sorted({v for f in fields if f.kind == "name" and (v := value[f.key])})


def other_person(catalog: Catalog, x: Document, citizen_id: str | None, related: set[str]) -> dict | None:
    """The ID numbers and names a paper bound for the citizen's repository gives, when none of them is the
    citizen's or a person of the citizen's own papers: a paper of another person (a tờ khai of another requester,
    a stranger's certificate), not to be filed in this citizen's repository until a reviewer says whose it is.
    None when the paper is the citizen's, goes to another owner anyway (a card, by its own number), or names
    nobody legibly."""
    if not citizen_id or x.owner_id != citizen_id or x.is_result:
        return None
    ids, names = persons(catalog, x)
    if citizen_id in ids or related & {compare_key(n) for n in names} or not (ids or names):
        return None
    return {"id_numbers": ids, "names": names}


def valid_until_of(catalog: Catalog, doc_type: str, fields: dict) -> date | None:
    """The date the paper expires, from the field its type names (a card's expiry); None: no expiry."""
    dt = catalog.document_types.get(doc_type)
    value = (fields.get(dt.valid_until) or {}).get("value") if dt and dt.valid_until else None
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def type_name(catalog: Catalog, doc_type: str) -> str:
    dt = catalog.document_types.get(doc_type)
    return dt.name if dt else "Giấy tờ khác"


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
