"""A card's place of origin found by its units where OCR lost its label.

On a photo or a low-resolution copy a card's "Quê quán / Place of origin" often reads as noise ("Quá so»",
"h4 sản /fes sac"), and the value with it is lost though it was read ("Mỹ Long, Long Xuyên, An Giang"). The card
prints it as administrative units alone (the catalog's `units_only`), above the residence. Where no label gave it,
the first of the card's lines (joined to the next, for a wrapped one) that holds a ward, its district and its
province as the official list has them (forms.unit_paths.paths_in) is the origin, written as listed, its kinds
capitalised as cards print them, for the reviewer to confirm: unless it is the residence's (the units of the card's
residence, or of an address another paper gives the card's holder: the card's residence garbled), or a house
number stands before it ("Số 48, …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import unit_paths
from .agree import HasFields
from .card_places import as_cards_print, holder_places
from .catalog import Catalog
from .extract import FieldValue
from .lines import Line, union_box
from .normalize import unmarked

ORIGIN_BY_UNITS = 0.6  # doubted: found without its label
PROBLEM = "place_by_units"
WORDS_BEFORE = 3  # words before the units looked at for a house number
_NUMBER = re.compile(r"^\d+[^\W\d_]?,?$")  # a house or lane number: "48", "12A", "23,"


def origins_by_units(docs: Sequence[HasFields], lines: Sequence[list[Line]], catalog: Catalog) -> None:
    """Each card's units-only place that no label gave, found in the card's lines by its units (module doc)."""
    for card, card_lines in zip(docs, lines, strict=True):
        dt = catalog.document_types.get(card.type)
        if dt is None or not dt.card:
            continue
        others = [fv.value for f in dt.fields if f.kind == "place" and (fv := card.fields.get(f.key)) and fv.value]
        others += [fv.value for _, fv in holder_places(card, docs, catalog)]
        for f in (f for f in dt.fields if f.units_only):
            read = card.fields.get(f.key)
            if read is not None and read.value:
                continue
            found = _first_units(card_lines, others)
            if found is not None:
                card.fields[f.key] = found


def _first_units(lines: list[Line], others: list[str]) -> FieldValue | None:
    """The first path of units in the lines that no other place names and no house number precedes."""
    for n, line in enumerate(lines):
        pair = [line] + ([lines[n + 1]] if n + 1 < len(lines) and lines[n + 1].page == line.page else [])
        text = " ".join(ln.text for ln in pair)
        for start, end, names in unit_paths.paths_in(text):
            if start >= len(line.text):
                break  # wholly on the next line: found there in its turn
            printed = text[start:end]
            before = text[:start].split()[-WORDS_BEFORE:]
            if any(_NUMBER.match(w) for w in before) or any(_names_in(names, o) for o in others):
                continue
            snapped = unit_paths.snap(printed, parted=True)
            value = as_cards_print(snapped.value if snapped else printed)
            return FieldValue(value, printed, ORIGIN_BY_UNITS, line.page, _box(pair, start, end), True, [PROBLEM],
                              printed if value != printed else None)  # fmt: skip
    return None


def _names_in(names: tuple[str, ...], other: str) -> bool:
    """Whether another place (the residence) names these units (`unmarked`), in this order."""
    at, text = 0, unmarked(other)
    for name in map(unmarked, names):
        at = text.find(name, at)
        if at < 0:
            return False
        at += len(name)
    return True


def _box(pair: list[Line], start: int, end: int) -> list[int] | None:
    """The box of the words of `pair`'s joined text between start and end."""
    words, offset = [], 0
    for ln in pair:
        words += ln.words_in(start - offset, end - offset)
        offset += len(ln.text) + 1
    return union_box(words)
