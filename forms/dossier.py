"""From a dossier's OCR'd pages to typed documents with fields, the procedure's component checklist, the
procedure's form prefilled from the documents, and the cross-document checks."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz.distance import Levenshtein

from . import normalize, validate, vocab
from .agree import (
    AGREED,
    SURE,
    agree_across_papers,
    agree_id_numbers,
    cards_from_holders,
    facts_across_papers,
    ids_of_people,
    names_whole_across_papers,
    nationalities_of_people,
    years_of_people,
)
from .card_dates import birth_dates_by_number, expiry_by_birth_date
from .card_origins import origins_by_units
from .card_places import places_from_holders
from .catalog import KHAC, Catalog, Procedure
from .classify import classify_page
from .extract import VOCAB_DOUBT, FieldValue, extract_fields
from .family import child_surname_from_parents, relationship_from_names, requester_as_parent
from .in_order import sides_in_order
from .lines import Line, page_lines, union_box
from .mrz import Mrz, find_mrz, zone_like
from .normalize import compare_key, fold
from .qr import parse_cccd

log = logging.getLogger(__name__)

PARTLY_SURE = 0.85  # below the reviewer's "sure" mark: a machine-read value whose check covers only part of it
MARKS_ELSEWHERE = 0.85  # a card's name: letters from its zone, marks from another paper of the dossier
ZONE_NAME_SURE = 0.95  # a card's name found by its zone's letters where its label was not read, marks known
ZONE_NAME_NEAR = 0.8  # a card's name pieced together from its print and its zone, each a letter off
NAME_LETTERS_OFF = 2  # letters the print and the zone may differ by for a name to be pieced from them
PIECED = "name_pieced_from_mrz"
CONTINUATION_SHARE = 0.25  # keyword share that makes an untitled page the next page of the document before it


class HasType(Protocol):
    type: str


@dataclass
class PageWords:
    index: int
    blank: bool
    words: list[dict]
    qr: list[str] = field(default_factory=list)
    cards: list[list[int]] = field(default_factory=list)  # boxes of ID-1 card-sized blocks found on the page


@dataclass
class ExtractedDocument:
    type: str
    pages: list[int]
    confidence: float
    fields: dict[str, FieldValue] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "type": self.type,
            "pages": self.pages,
            "confidence": self.confidence,
            "fields": {k: v.to_json() for k, v in self.fields.items()},
        }


ZONE_LINES_SEEN = 2  # garbled zone lines that make a page a card's


def group_pages(pages: list[PageWords], catalog: Catalog) -> list[tuple[ExtractedDocument, list[Line]]]:
    """Classify each page and join consecutive pages of one document; blank pages belong to none."""
    docs: list[tuple[ExtractedDocument, list[Line]]] = []
    for p in pages:
        if p.blank:
            continue
        lines = page_lines(p.words, p.index)
        # What only a card carries: its QR code, its zone read, or the zone's lines too garbled to read (two: no
        # form prints "<<<" runs or an "IDVNM" line).
        code = any(parse_cccd(q) for q in p.qr) or find_mrz([ln.text for ln in lines]) is not None
        code = code or sum(zone_like(ln.text) for ln in lines) >= ZONE_LINES_SEEN
        pt = classify_page(lines, catalog, card=bool(p.cards), card_code=code, both_sides=len(p.cards) >= 2)
        lines = lines_as(p, pt.type, catalog, lines)
        prev = docs[-1] if docs else None
        # An untitled page continues the document before it (blank backs in between do not matter) when that
        # one is unknown too, or when the page carries enough of its type's keywords, and its own keywords do not
        # make it a paper of another type.
        if (
            prev is not None
            and not pt.titled
            and pt.type in (KHAC, prev[0].type)
            and (prev[0].type == KHAC or pt.keyword_share.get(prev[0].type, 0.0) >= CONTINUATION_SHARE)
        ):
            prev[0].pages.append(p.index)
            prev[1].extend(lines)
            continue
        docs.append((ExtractedDocument(pt.type, [p.index], pt.confidence), lines))
    return docs


def lines_as(p: PageWords, doc_type: str, catalog: Catalog, lines: list[Line] | None = None) -> list[Line]:
    """A page's lines as a paper of `doc_type` is read: only a card's page is read card by card (on a form,
    blocks of a card's size are no cards)."""
    if p.cards and (dt := catalog.document_types.get(doc_type)) is not None and dt.card:
        return page_lines(p.words, p.index, p.cards)
    return lines if lines is not None else page_lines(p.words, p.index)


def fixed_groups(
    pages: list[PageWords], fixed: Sequence[tuple[str, Sequence[int]]], catalog: Catalog
) -> list[tuple[ExtractedDocument, list[Line]]]:
    """Documents whose type and pages an officer set by hand, as they set them (sure of the type): their lines are
    their pages' (blank ones give none), read as that type."""
    by_index = {p.index: p for p in pages}
    out = []
    for doc_type, indexes in fixed:
        lines = [ln for i in indexes if (p := by_index.get(i)) is not None and not p.blank
                 for ln in lines_as(p, doc_type, catalog)]  # fmt: skip
        out.append((ExtractedDocument(doc_type, list(indexes), 1.0), lines))
    return out


def extract_documents(
    pages: list[PageWords], catalog: Catalog, fixed: Sequence[tuple[str, Sequence[int]]] = ()
) -> list[ExtractedDocument]:
    """The dossier's papers, typed, each with the fields read from it and from the other papers. A step that fails
    on what one dossier's text holds (a bug met) costs that step only, never the dossier (_contained): a paper
    whose own reading failed is kept with no fields (first in the review queue), the others as they read.

    `fixed`: documents an officer made by hand, (type, page numbers): kept as they are, read as their type, and
    their pages left out of the grouping of the others. Documents come in the order of their first pages."""
    qr_by_page = {p.index: p.qr for p in pages}
    taken = {i for _, indexes in fixed for i in indexes}
    groups = group_pages([p for p in pages if p.index not in taken], catalog) + fixed_groups(pages, fixed, catalog)
    groups.sort(key=lambda g: min(g[0].pages, default=-1))
    out = [doc for doc, _ in groups]
    for doc, lines in groups:
        if not _contained(f"reading a {doc.type} (pages {doc.pages})", _read, doc, lines, groups, qr_by_page, catalog):
            doc.fields, doc.confidence = {}, 0.0
    _contained("reading the papers against each other", across_papers, out, [ls for _, ls in groups], catalog)
    return out


def _contained(what: str, step: Callable[..., None], *args: object) -> bool:
    """Run a step of reading; False, with the error logged, where it failed."""
    try:
        step(*args)
    except Exception:
        log.exception("%s failed", what)
        return False
    return True


def _read(
    doc: ExtractedDocument, lines: list[Line], groups: list[tuple[ExtractedDocument, list[Line]]],
    qr_by_page: dict[int, list[str]], catalog: Catalog,
) -> None:  # fmt: skip
    """The fields one paper prints, and a card's from its zone and its QR code."""
    dt = catalog.document_types.get(doc.type)
    mrz = find_mrz([ln.text for ln in lines]) if doc.type == "can_cuoc" else None
    if dt is not None:
        # The zone's lines are no printed field's value (an address above it would run on into them).
        zone = set(mrz.rows) if mrz else set()
        zone |= {i for i, ln in enumerate(lines) if dt.card and zone_like(ln.text)}
        printed, back = [ln for i, ln in enumerate(lines) if i not in zone], None
        if dt.card:
            backs = {(lines[i].page, lines[i].card) for i in zone if lines[i].card >= 0}
            printed, back = sides_in_order(printed, backs, dt.titles)
        doc.fields = extract_fields(dt, printed, back)
    if doc.type == "can_cuoc":
        others = [ln for d, ls in groups if d is not doc for ln in ls]
        apply_card_mrz(doc, lines, mrz, others)
        apply_card_qr(doc, [q for i in doc.pages for q in qr_by_page.get(i, [])])


def across_papers(docs: list[ExtractedDocument], lines_of: list[list[Line]], catalog: Catalog) -> None:
    """What each paper of a dossier takes from the others (forms.agree, card_places, card_origins, card_dates)
    and from the law, in order: spellings agreed first, then what a card lacks from its holder's paper, then what
    the law and the other papers say of a field still unread. `lines_of`: each document's lines, in its order.
    What one paper prints twice (its requester, who is a parent) is made one once the papers have agreed their
    spellings: the others' readings of a name settle its marks better than the surer of its two on one paper."""
    agree_across_papers(docs, catalog)
    agree_id_numbers(docs, catalog)
    for doc in docs:
        relationship_from_names(doc, catalog)
        requester_as_parent(doc, catalog)
        child_surname_from_parents(doc)
    cards_from_holders(docs, catalog)
    places_from_holders(docs, lines_of, catalog)
    origins_by_units(docs, lines_of, catalog)
    expiry_by_birth_date(docs, lines_of, catalog)
    birth_dates_by_number(docs, catalog)
    for doc in docs:
        sex_from_number(doc, catalog)
        values_by_law(doc, catalog)
    names_whole_across_papers(docs, catalog)
    # Again, over what the steps since took from other papers: a card's name taken from its holder's paper adds a
    # paper to a spelling, which may now outweigh the one a doubted reading had tied with.
    agree_across_papers(docs, catalog)
    ids_of_people(docs, catalog)
    facts_across_papers(docs, catalog)
    years_of_people(docs, catalog)
    nationalities_of_people(docs, catalog)


def _machine_read(
    doc: ExtractedDocument, values: dict[str, str], source: str, where: tuple | None, partly: set[str] = frozenset()
) -> None:
    """Values from a card's machine-readable part (its QR code or its MRZ) are exact: they fill the fields with
    confidence 1.0; an OCR reading that differs stays visible as `ocr_value` with `ocr_disagrees_with_<source>`.
    A value verified only in part (`partly`) is as sure only where the printed reading agrees and its unverified
    part is well-formed (an ID's first three digits a province's code); else PARTLY_SURE, with what is wrong."""
    for key, value in values.items():
        old = doc.fields.get(key)
        read = old if old is not None and old.value is not None else None  # what OCR read there, if anything
        differs = read is not None and compare_key(read.value) != compare_key(value)
        malformed = validate.id_number(value) if key in partly and key == "id_number" else []
        sure = 1.0 if key not in partly or (read is not None and not differs and not malformed) else PARTLY_SURE
        problems = [f"ocr_disagrees_with_{source}"] if differs else []
        problems += malformed  # the same misread in print and zone: 0 taken for 9 in both
        # Show the reviewer the OCR reading's place when there is one, else where the code was read.
        page, box = (read.page, read.box) if read is not None else where or (doc.pages[0], None)
        doc.fields[key] = FieldValue(value, value, sure, page, box, not malformed, problems,
                                     read.value if differs else None)  # fmt: skip


SEX_FROM_NUMBER = "sex_from_id_number"
NUMBER_SAYS = 0.85  # a value the card's number carries: below sure, for the reviewer to confirm


def sex_from_number(doc: ExtractedDocument, catalog: Catalog) -> None:
    """A card whose sex did not read (a photo loses the short word "Nữ" first) takes the sex its number carries
    (validate.holder_sex: the law gives the 4th digit the century and the sex), as sure as the number at most and
    below sure, for the reviewer to confirm."""
    dt = catalog.document_types.get(doc.type)
    number, read = doc.fields.get("id_number"), doc.fields.get("sex")
    if dt is None or not dt.card or dt.field("sex") is None or (read is not None and read.value):
        return
    sex = validate.holder_sex(number.value) if number is not None and number.value and number.valid else None
    if sex is not None:
        page, box = (read.page, read.box) if read else (number.page, None)
        confidence = min(number.confidence, NUMBER_SAYS)
        doc.fields["sex"] = FieldValue(sex, read.raw if read else "", confidence, page, box, True, [SEX_FROM_NUMBER])


BY_LAW = "value_by_law"


def values_by_law(doc: ExtractedDocument, catalog: Catalog) -> None:
    """Each field the law allows one value on its paper (`by_law`: a căn cước's nationality is Việt Nam) takes it
    where nothing was read, as sure as it is; a reading of another value was misread: the law's value, below sure,
    the reading kept for the reviewer."""
    dt = catalog.document_types.get(doc.type)
    for f in (f for f in dt.fields if f.by_law) if dt is not None else ():
        read = doc.fields.get(f.key)
        if read is not None and read.value == f.by_law:
            continue
        misread = read is not None and bool(read.value)
        page, box = (read.page, read.box) if read is not None else (doc.pages[0], None)
        doc.fields[f.key] = FieldValue(f.by_law, read.raw if read else "", AGREED if misread else SURE, page, box,
                                       True, [BY_LAW], read.value if misread else None)  # fmt: skip


def apply_card_qr(doc: ExtractedDocument, payloads: list[str]) -> None:
    for payload in payloads:
        values = parse_cccd(payload)
        if values is not None:
            _machine_read(doc, values, "qr", None)
            return


def apply_card_mrz(doc: ExtractedDocument, lines: list[Line], mrz: Mrz | None, others: Sequence[Line] = ()) -> None:
    """The card's MRZ (found in `lines`): its check-digit-verified values like the QR's; its name, printed
    without diacritics, confirms the printed name or flags it for the reviewer. Where the card's own print gives
    no name, the dossier's other papers (`others`: a tờ khai names its requester) may spell it with its marks."""
    if mrz is None:
        return
    zone = [lines[i] for i in mrz.rows]
    box = union_box([w for ln in zone for w in ln.words])
    _machine_read(doc, mrz.values, "mrz", (zone[0].page, box) if box else None, mrz.partly)
    if mrz.name:
        _name_from_zone(doc, lines, others, mrz.name.split(), (zone[0].page, box))


def _name_from_zone(
    doc: ExtractedDocument, lines: Sequence[Line], others: Sequence[Line], name: list[str], zone_at: tuple
) -> None:
    """The zone's name, printed without marks, confirms the printed name or finds it; where the card's print
    gives none, another paper of the dossier may spell it with its marks; where print and zone each misread a
    letter, the two are pieced together for the reviewer."""
    printed = doc.fields.get("full_name")
    if printed is not None and printed.value and (spaced := _spaced_as(printed.value, name)):
        # The zone's spaces where OCR lost one ("LÊHẢI VY" for LE<<HAI<VY); sure when the marks are too.
        printed.value, doubted = _marks_checked(spaced)
        if not doubted:
            printed.confidence = max(printed.confidence, 0.99)
        return
    old = printed.value if printed is not None and printed.value else None
    if (found := _name_printed(lines, name)) is not None:  # marks and all, where its label was not read
        text, line, words = found
        value, doubted = _marks_checked(normalize.name(text) or text)
        conf = round(ZONE_NAME_SURE * (VOCAB_DOUBT if doubted else 1.0), 3)
        doc.fields["full_name"] = FieldValue(value, text, conf, line.page, union_box(words), True, [], old)
    elif (found := _name_printed(others, name)) is not None:
        # Letters verified by the zone, marks read on another paper: worth a reviewer's look, so below "sure".
        value, _ = _marks_checked((normalize.name(found[0]) or found[0]).upper())  # the card prints capitals
        problems = ["name_marks_from_dossier"] + (["ocr_disagrees_with_mrz"] if old else [])
        doc.fields["full_name"] = FieldValue(value, found[0], MARKS_ELSEWHERE, *zone_at, True, problems, old)
    elif (pieced := _pieced(lines, others, name)) is not None and pieced[0] != old:
        # (A print the zone misread a letter of is kept as it was read, and as sure.)
        doc.fields["full_name"] = FieldValue(*pieced, ZONE_NAME_NEAR, *zone_at, True, [PIECED], old)
    elif printed is not None and old and "ocr_disagrees_with_mrz" not in printed.problems:
        printed.problems.append("ocr_disagrees_with_mrz")


def _marks_checked(name: str) -> tuple[str, bool]:
    """(the name, whether its marks are doubted): the zone verifies a name's letters, never its marks. Marks the
    name lexicon puts right without touching a letter ("TRẤN ĐINH THÁNG" is TRẦN ĐINH THẮNG) are taken; a name
    it does not know, or would change a letter of, keeps its marks as read and is doubted."""
    c = vocab.correct("name", name)
    if c.changed and fold(c.value) == fold(name):
        return c.value, c.suspicious
    return name, c.suspicious or c.changed


def _spaced_as(printed: str, name: list[str]) -> str | None:
    """The printed name with the zone's word breaks, when its letters are the zone's name, marks aside."""
    letters = "".join(printed.split())
    if fold(letters).upper() != "".join(name) or len(letters) != len(fold(letters)):
        return None
    words, at = [], 0
    for part in name:
        words.append(letters[at : at + len(part)])
        at += len(part)
    return " ".join(words)


def _name_printed(lines: Sequence[Line], name: list[str]) -> tuple[str, Line, list[dict]] | None:
    """Consecutive words of a line that spell the zone's name once their marks are dropped."""
    for line in lines:
        words = [w for w in line.words if w["text"].strip()]
        keys = [fold(w["text"]).upper().strip(".,:;|") for w in words]
        for i in range(len(keys) - len(name) + 1):
            if keys[i : i + len(name)] == name:
                chosen = words[i : i + len(name)]
                return " ".join(w["text"].strip(".,:;|") for w in chosen), line, chosen
    return None


def _pieced(lines: Sequence[Line], others: Sequence[Line], name: list[str]) -> tuple[str, str] | None:
    """(the name pieced from the card's print, or else another paper's, and the zone; the print it came from)."""
    found = _name_near(lines, name) or _name_near(others, name)
    return None if found is None else (_marks_checked(found.upper())[0], found)


def _name_near(lines: Sequence[Line], name: list[str]) -> str | None:
    """Consecutive words of a line that spell the zone's name but for a letter or two, at most one a word, where
    the print and the zone each misread a letter ("FA KIM HẰNG" beside TA<<KTIM<HANG): each word whose two
    readings differ is the one of them the name lexicon knows (TA, KIM), else the name is not pieced together."""
    for line in lines:
        texts = [t for w in line.words if (t := w["text"].strip(".,:;|"))]
        for i in range(len(texts) - len(name) + 1):
            run = texts[i : i + len(name)]
            keys = [fold(t).upper() for t in run]
            off = [Levenshtein.distance(k, z, score_cutoff=2) for k, z in zip(keys, name, strict=True)]
            if not all(k.isalpha() for k in keys) or max(off) > 1 or not 0 < sum(off) <= NAME_LETTERS_OFF:
                continue
            if off.count(0) == 0:
                continue  # every word misread: more likely another text than this name
            words = [_word_of(t, z, n == 0 and len(name) > 1) for n, (t, z) in enumerate(zip(run, name, strict=True))]
            if None not in words:
                return " ".join(w for w in words if w)
    return None


def _word_of(printed: str, zone: str, surname: bool) -> str | None:
    """A word of a name as printed, where its letters are the zone's; else whichever of the two readings the name
    lexicon knows (a surname first), when only one is; else None."""
    if fold(printed).upper() == zone:
        return printed
    zone_known, printed_known = vocab.name_spelt(zone, surname), vocab.name_spelt(printed, surname)
    if zone_known != printed_known:
        return zone if zone_known else printed
    return None


def checklist(
    procedure: Procedure, documents: Sequence[HasType], reused: Mapping[str, list[int]] | None = None
) -> list[dict]:
    """Each component of the procedure with the documents that satisfy it; a document serves one component.

    `documents` are the dossier's own (scanned) papers, listed by position, each with the `component` an officer
    assigned it to, if any; `reused` maps a component to the ids of repository papers attached to it by reference,
    which satisfy it as well as a scan does.
    """
    reused = reused or {}
    # The officer's word first: a document assigned to a component serves it, whatever its type was read as.
    assigned = {i: getattr(d, "component", None) for i, d in enumerate(documents)}
    used: set[int] = {i for i, c in assigned.items() if c is not None}
    rows = []
    for c in procedure.components:
        auto = [i for i, d in enumerate(documents) if d.type in c.document_types and i not in used]
        if KHAC in c.document_types:
            auto = auto[:1]  # an unknown page may be this component, but only one of them is offered
        used.update(auto)
        hits = [i for i, key in assigned.items() if key == c.key] + auto
        attached = list(reused.get(c.key, []))
        rows.append({"component": c.key, "name": c.name, "required": c.required, "form": c.form,
                     "documents": hits, "reused": attached, "satisfied": bool(hits or attached)})  # fmt: skip
    return rows


def prefill(procedure: Procedure, documents: list[ExtractedDocument]) -> tuple[dict, list[dict]]:
    """The procedure's form fields from the documents, and the disagreements between documents.

    When two papers give the same person's value (the birth date on the tờ khai and on the giấy chứng sinh), the
    most confident one fills the form and any other reading that differs becomes a warning, never a silent fix.
    """
    form: dict[str, dict] = {}
    mismatches: list[dict] = []
    for key, sources in procedure.form_fields.items():
        readings = []
        for src in sources:
            t, _, f = src.partition(".")
            for i, d in enumerate(documents):
                fv = d.fields.get(f) if d.type == t else None
                if fv is not None and fv.value is not None:
                    readings.append({"source": src, "document": i, "value": fv.value, "confidence": fv.confidence})
        if not readings:
            continue
        best = max(readings, key=lambda r: r["confidence"])
        form[key] = best
        differing = [r for r in readings if compare_key(str(r["value"])) != compare_key(str(best["value"]))]
        if differing:
            mismatches.append({"field": key, "readings": readings})
    return form, mismatches
