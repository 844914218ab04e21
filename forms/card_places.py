"""A card's address found in its own text by the address another paper of the dossier gives its holder.

A card's small print reads worst of a dossier's papers: on a photo or a 70-dpi copy its address comes out garbled
("Số }7 đường Phan Co Yrệnh, Phượng Nên Xgh"), often with its label, so the value is lost, cut short or run into
noise. The tờ khai and the giấy chứng sinh give the card's holder (the person of the card's number, or of its
name) an address under a label the card prints too ("Nơi cư trú", "Nơi thường trú"), in larger print. Where that
address is found in the card's text (the words no other field of the card was read from), nearly whole and close
(`found_in`), the card's field is that address, its units' kinds capitalised as cards print them, for the reviewer
to confirm (`place_from_holder`); the card's reading stays as `ocr_value`. Nothing found, nothing taken: a card
may print an older address than the form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from ocr.layout import centre_inside

from .agree import SURE, HasFields
from .catalog import Catalog, FieldDef
from .extract import FieldValue
from .lines import Line
from .normalize import UNIT_KINDS, fold, unmarked

HOLDER_PLACE = 0.85  # below sure: the value is the other paper's, the card's print only vouches for it
MOST_OFF = 0.3  # edits, per character of the holder's address, that make it a part of the card's text at most
PIECE_OFF = 0.25  # and of each of its pieces: "thôn Đông" is not "thôn Trung"
PROBLEM = "place_from_holder"
_UNIT_PART = re.compile(rf"(?:{fold(UNIT_KINDS)}) ")  # a part of an address (`unmarked`) that names a unit
_NUMBERED = re.compile(r"(\w+ \d\w*)")  # "so 81", "ngo 83", "thon 3", "quan 1"
_PART_KIND = re.compile(rf"(?:^|(?<=, ))({UNIT_KINDS})\b")


def infix_edits(pattern: str, text: str) -> int:
    """The fewest edits that make `pattern` a part of `text`: an edit distance whose start and end in `text` are
    free. A part of the pattern the card did not print or OCR lost counts as that many edits, so the count
    measures how much of the pattern is found as well as how close."""
    column = list(range(len(pattern) + 1))  # edits for each prefix of the pattern, ending at this place of text
    best = column[-1]
    for t in text:
        new = [0]
        for i, p in enumerate(pattern, start=1):
            new.append(min(column[i - 1] + (p != t), column[i] + 1, new[i - 1] + 1))
        column = new
        best = min(best, column[-1])
    return best


def _pieces(address: str) -> list[str]:
    """The parts of an address (between commas, `unmarked`), a number with the word before it a part of its own:
    "Số 81 đường Phan Chu Trinh" is "so 81" and "duong phan chu trinh"."""
    out = []
    for part in map(unmarked, address.split(",")):
        out += [p.strip() for p in _NUMBERED.split(part) if p and p.strip()]
    return out


def found_in(address: str, text: str) -> int | None:
    """The edits with which an address is a part of the card's text (`unmarked`), if at most MOST_OFF of its
    length, and each of its pieces (`_pieces`) is found too, at most PIECE_OFF of its length off, but for one
    unit (a district, a province) the others imply. The whole's count alone would take another house of the same
    ward for this one: the house number, the street and the village tell two addresses apart."""
    whole = unmarked(address)
    edits = infix_edits(whole, text) if whole else None
    if edits is None or edits > MOST_OFF * len(whole):
        return None
    lost = [p for p in _pieces(address) if infix_edits(p, text) > PIECE_OFF * len(p)]
    return edits if not lost or (len(lost) == 1 and _UNIT_PART.match(lost[0])) else None


def _holders(card: HasFields, docs: Sequence[HasFields], catalog: Catalog) -> list[tuple[list[FieldDef], HasFields]]:
    """(the fields of the person's block, the paper) of each person another paper names whom the card is of: the
    card's number is their number, or the card's name their name."""
    number, name = card.fields.get("id_number"), card.fields.get("full_name")
    number = number.value if number is not None and number.valid else None
    name = unmarked(name.value) if name is not None and name.value else None
    out = []
    for doc in docs:
        dt = catalog.document_types.get(doc.type)
        if doc is card or dt is None or dt.card:
            continue
        for f, block in dt.people():
            who = doc.fields.get(f.key)
            ids = {doc.fields[g.key].value for g in block if g.kind == "id_number" and g.key in doc.fields}
            if (number and number in ids) or (name and who is not None and who.value and unmarked(who.value) == name):
                out.append((block, doc))
    return out


def holder_places(card: HasFields, docs: Sequence[HasFields], catalog: Catalog) -> list[tuple[FieldDef, FieldValue]]:
    """The addresses other papers give the card's holder (`_holders`), each with its field."""
    return [(g, doc.fields[g.key]) for block, doc in _holders(card, docs, catalog) for g in block
            if g.kind == "place" and g.key in doc.fields and doc.fields[g.key].value]  # fmt: skip


def _their_places(field: FieldDef, places: list[tuple[FieldDef, FieldValue]]) -> list[FieldValue]:
    """The holders' addresses printed under a label the card's `field` has too."""
    labels = {unmarked(label) for label in field.labels}
    return [fv for g, fv in places if labels & {unmarked(label) for label in g.labels}]


def card_text(card: HasFields, lines: list[Line], keep: str) -> str:
    """The card's words no field but `keep` was read from, in reading order. A field's box holds what its reading
    ran on into too (an origin read on into the address under it, cut at its province): of the words in it, only
    the run that reads most like its value was its value's."""
    words = [(ln.page, w) for ln in lines for w in ln.words]
    taken: set[int] = set()
    for key, fv in card.fields.items():
        if key != keep and fv.value and fv.box:
            inside = [i for i, (page, w) in enumerate(words) if page == fv.page and centre_inside(w["box"], fv.box)]
            run = _likest_run(unmarked(fv.value), [unmarked(words[i][1]["text"]) for i in inside])
            taken.update(inside[n] for n in run)
    return unmarked(" ".join(w["text"] for i, (_, w) in enumerate(words) if i not in taken))


def _likest_run(value: str, texts: list[str]) -> range:
    """The run of `texts` that reads most like `value`, of at most two words more than it has."""
    most = len(value.split()) + 2
    runs = [range(i, j) for i in range(len(texts)) for j in range(i + 1, min(len(texts), i + most) + 1)]
    return min(runs, key=lambda r: Levenshtein.distance(" ".join(texts[r.start : r.stop]), value), default=range(0))


def as_cards_print(address: str) -> str:
    """An address with its units' kinds capitalised, as a card prints them ("Phường Mỹ Bình, Thành phố Long
    Xuyên"); a form prints them small."""
    return _PART_KIND.sub(lambda m: m.group(1)[0].upper() + m.group(1)[1:], address)


def places_from_holders(docs: Sequence[HasFields], lines: Sequence[list[Line]], catalog: Catalog) -> None:
    """Each card's address not read surely, found in the card's text as its holder's address read surer than the
    card's own reading of it (module doc)."""
    for card, card_lines in zip(docs, lines, strict=True):
        dt = catalog.document_types.get(card.type)
        if dt is None or not dt.card:
            continue
        holders = holder_places(card, docs, catalog)
        for f in (f for f in dt.fields if f.kind == "place"):
            read = card.fields.get(f.key)
            if read is not None and read.value and read.confidence >= SURE:
                continue
            theirs = _closest(_their_places(f, holders), card_text(card, card_lines, f.key))
            if theirs is None or (
                read is not None
                and read.value
                and (unmarked(read.value) == unmarked(theirs.value) or read.confidence > theirs.confidence)
            ):
                continue  # the card's own reading, when it is the surer one (a form's digit misread too)
            beside = read or card.fields.get("full_name") or card.fields.get("id_number")
            card.fields[f.key] = FieldValue(
                as_cards_print(theirs.value), read.raw if read else "", HOLDER_PLACE, beside.page if beside else None,
                read.box if read else None, True, [PROBLEM], read.value if read else None,
            )  # fmt: skip


def _closest(places: list[FieldValue], text: str) -> FieldValue | None:
    """The holder's address found in the card's text with the fewest edits (the surest reading of it among
    several papers'); each spelling aligned once."""
    spellings = {unmarked(fv.value): max((o for o in places if unmarked(o.value) == unmarked(fv.value)),
                                       key=lambda o: o.confidence) for fv in places}  # fmt: skip
    found = [(edits, -fv.confidence, n, fv) for n, fv in enumerate(spellings.values())
             if (edits := found_in(fv.value, text)) is not None]  # fmt: skip
    return min(found)[3] if found else None
