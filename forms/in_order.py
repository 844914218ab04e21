"""A card's fields found by their place when OCR garbled their labels.

Every căn cước since 2016 prints its fields in one order: number, name, date of birth, sex and nationality, place
of origin (or of birth registration), residence, expiry. On a small photo or a low-resolution copy the 6-pt
labels come out as noise ("lạ và lắm" for "Họ và tên") while the larger values still read. A value of a telling
kind (a date, Nam/Nữ, a name in capitals, a listed nationality) that extraction did not find is then looked for
in the few lines that follow the field found before it (or its label, when its value did not read), up to the
next field whose label was found. No label vouches for such a value, so it goes to the reviewer (the caller
lowers its confidence).
"""

from __future__ import annotations

from collections.abc import Callable

from . import normalize, vocab
from .catalog import FieldDef
from .lines import Line

ORDER_LINES = 4  # lines after the field found before it where a value may stand
ANYWHERE = {"id_number"}  # kinds that stand for themselves: a card's only 12-digit number is its number
_EDGE = " :;,.-–—=*|/\\()[]{}\"'“”_~«»"


# Pairs of words of the card's heading ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CĂN CƯỚC CÔNG DÂN"), folded: a
# name may hold one ("LÊ CÔNG HÒA"), a heading read in capitals holds more.
_HEADING_PAIRS = {"cong hoa", "xa hoi", "chu nghia", "nghia viet", "can cuoc", "cuoc cong", "cong dan", "doc lap"}
LONGEST_NAME = 5  # words


def _capitals(text: str) -> str | None:
    """A name printed in capitals, two to LONGEST_NAME words ("ĐƯƠNG NGỌC TRÂM" in "(_ ĐƯƠNG NGỌC TRÂM."), not
    the card's heading."""
    best: list[str] = []
    run: list[str] = []
    for token in text.split() + [""]:
        word = token.strip(_EDGE)
        if word.isalpha() and word.isupper():
            run.append(word)
            continue
        best = run if len(run) > len(best) else best
        run = []
    folded = [normalize.fold(w) for w in best]
    heading = sum(f"{a} {b}" in _HEADING_PAIRS for a, b in zip(folded, folded[1:], strict=False))
    return normalize.name(" ".join(best)) if 2 <= len(best) <= LONGEST_NAME and heading < 2 else None


def _sex(text: str) -> str | None:
    """Nam or Nữ as printed, capital N and all ("Nữ" may come out "Nừ", "Nu"): not "năm" misread "nÀm", nor the
    "Nam" of "Việt Nam"."""
    words = [t.strip(_EDGE) for t in text.split()]
    for i, w in enumerate(words):
        if not w.startswith("N"):
            continue
        if normalize.fold(w[1:]) == "u":
            return "Nữ"
        if w[1:].lower() == "am" and (i == 0 or normalize.fold(words[i - 1]) != "viet"):
            return "Nam"
    return None


def _picker(f: FieldDef) -> Callable[[str], str | None] | None:
    """How a value of the field's kind is told from other text on its own; None for kinds that cannot be (a place,
    free text without a closed list)."""
    if f.kind == "text" and f.vocabulary in ("nationality", "ethnicity"):
        return lambda text: vocab.listed_in(f.vocabulary, text)
    typed = {"date": normalize.date, "expiry": normalize.expiry, "id_number": normalize.id_number, "sex": _sex}
    return _capitals if f.kind == "name" else typed.get(f.kind)


def by_order(
    fields: list[FieldDef], lines: list[Line], found: dict[str, int], labelled: dict[str, int], stops: list[int]
) -> dict[str, tuple[str, int]]:
    """key → (value, line index) for the fields not `found` whose value shows by its kind in the lines after the
    field found before it (`found`: the line of each field read by its label), before the next field whose label
    stands (`labelled`), a stop phrase (`stops`) or ORDER_LINES. A value read on a line is taken once."""
    out: dict[str, tuple[str, int]] = {}
    used: set[tuple[int, str]] = set()
    for i, f in enumerate(fields):
        pick = _picker(f)
        # A field before it whose label stands, its value unreadable ("Số: 09153292713", a digit lost), still
        # says where the fields after it begin.
        before = [found.get(g.key, labelled.get(g.key)) for g in fields[:i] if g.key in found or g.key in labelled]
        if f.key in found or pick is None or not (before or f.kind in ANYWHERE):
            continue
        lo = before[-1] if before else 0
        later = [labelled[g.key] for g in fields[i + 1 :] if g.key in labelled and labelled[g.key] >= lo]
        reach = ORDER_LINES if before else len(lines)
        # The field's own line at least: the next label may share it ("Giới tính: Nam Quốc tịch: …").
        hi = max(lo + 1, min([lo + reach, *later[:1], *(s for s in stops if s > lo)]))
        for n in range(lo, min(hi, len(lines))):
            if lines[n].page != lines[lo].page:
                break
            value = pick(lines[n].text)
            if value is not None and (n, value) not in used:
                out[f.key] = (value, n)
                used.add((n, value))
                found = {**found, f.key: n}
                break
    return out
