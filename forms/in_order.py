"""A card's fields found by their place when OCR garbled their labels.

Every căn cước công dân since 2016 prints its fields in one order: number, name, date of birth, sex and
nationality, place of origin, residence, expiry; the thẻ căn cước of 2024 prints its holder's residence before the
place of birth registration (its back's first two lines). On a small photo or a low-resolution copy the 6-pt
labels come out as noise ("lạ và lắm" for "Họ và tên") while the larger values still read. A value of a telling
kind (a date, Nam/Nữ, a name in capitals, a listed nationality, an address that ends at a province) that
extraction did not find is then looked for in the few lines that follow the field found before it (or its label,
when its value did not read), up to the next field whose label was found. No label vouches for such a value, so
it goes to the reviewer (the caller lowers its confidence).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from . import normalize, vocab
from .catalog import FieldDef
from .lines import Line

ORDER_LINES = 4  # lines after the field found before it where a value may stand
PLACE_LINES = 3  # lines a card's address may run over: two printed, a third when OCR split one
ANYWHERE = {"id_number"}  # kinds that stand for themselves: a card's only 12-digit number is its number
_EDGE = " :;,.-–—=*|/\\()[]{}\"'“”_~«»"


# The card's fixed lines in capitals, folded: a run of capitals that follows one of them, each word a letter off
# at most, is that line misread ("CÔNG HỌA KÃ VỚI"), no name. A name may hold two of their words ("LÊ CÔNG HÒA").
_HEADINGS = [h.split() for h in ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc", "can cuoc cong dan")]
HEADING_WORDS = 3  # words in a row of a fixed line that make a run of capitals that line
LONGEST_NAME = 5  # words
NAME_MISREAD_SHARE = 3  # one word in this many of a name in capitals may be no syllable (a letter misread)


def _capitals(text: str) -> str | None:
    """A name printed in capitals, two to LONGEST_NAME words ("ĐƯƠNG NGỌC TRÂM" in "(_ ĐƯƠNG NGỌC TRÂM."): its
    words Vietnamese syllables, but for one in NAME_MISREAD_SHARE, the first a listed surname's letters (no label
    vouches for it: noise read in capitals, "XUIIA XWET MA", "À XE", "HÀ ĐC", is no name), and not the card's
    heading."""
    best: list[str] = []
    run: list[str] = []
    for token in text.split() + [""]:
        word = token.strip(_EDGE)
        if word.isalpha() and word.isupper():
            run.append(word)
            continue
        best = run if len(run) > len(best) else best
        run = []
    if not 2 <= len(best) <= LONGEST_NAME or _heading([normalize.fold(w) for w in best]):
        return None
    misread = sum(not vocab.is_syllable(w.lower()) for w in best)  # "NGÔ DĐÌNH TRUNG": one of three, still a name
    if not vocab.name_spelt(best[0], surname=True) or misread * NAME_MISREAD_SHARE > len(best):
        return None
    return normalize.name(" ".join(best))


def _heading(folded: list[str]) -> bool:
    """Whether HEADING_WORDS words in a row follow words in a row of one of the card's fixed lines."""
    return any(_alike_run(folded[i:], fixed[k:]) >= HEADING_WORDS
               for fixed in _HEADINGS for i in range(len(folded)) for k in range(len(fixed)))  # fmt: skip


def _alike_run(words: list[str], fixed: list[str]) -> int:
    """How many of the first words are the fixed line's first words, a letter off each at most."""
    alike = (Levenshtein.distance(a, b, score_cutoff=1) <= 1 for a, b in zip(words, fixed, strict=False))
    return next((n for n, same in enumerate(alike) if not same), min(len(words), len(fixed)))


def _sex(text: str) -> str | None:
    """Nam or Nữ as printed, capital N and all ("Nữ" may come out "Nừ", "Nu"): not "năm" misread "nÀm", nor the
    "Nam" of "Việt Nam"."""
    words = [t.strip(_EDGE) for t in text.split()]
    for i, w in enumerate(words):
        if not w.startswith("N"):
            continue
        if re.fullmatch("u+", normalize.fold(w[1:])):  # "NữỮ": a blotted ữ read twice
            return "Nữ"
        if w[1:].lower() == "am" and (i == 0 or not normalize.fold(words[i - 1]).startswith("vi")):  # "Vi Nam"
            return "Nam"
    return None


def _year(text: str) -> str | None:
    """A year of birth as printed alone ("1991 Kinh Việt Nam") or a date's ("10/02/2000"); not digits inside a
    longer number (an ID's), nor normalize.year's mended first digit: no label says a year is meant."""
    if whole := normalize.date(text):
        return whole[:4]
    m = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", normalize.digits_beside_digits(text))
    return m.group(1) if m else None


# A card prints each unit of an address as a part of its own, its kind with a capital ("…, Phường Bãi Cháy,
# Thành phố Hạ Long"): a kind after a word with no comma, or after a full stop, lost its comma to OCR.
_CARD_KINDS = "Phường|Xã|Thị trấn|Quận|Huyện|Thị xã|Tỉnh"  # unit kinds as a card prints them, but "Thành phố"
_KIND_WITHOUT_COMMA = re.compile(rf"(?<=[^\W\d_])\.? (?=(?:{_CARD_KINDS}|Thành phố|Tính) )")


def _place(lines: list[Line], n: int) -> tuple[str, int] | None:
    """(the address that opens on line n after a garbled label, the line it ends on): it ends at a province on
    that line or one of the next PLACE_LINES - 1 of the same page, and names at least two units (a province
    alone is the end of the address above)."""
    got = _to_a_province(lines, n)
    if got is None:
        return None
    text, m = got
    start = vocab.place_start(text)
    value = normalize.place(_KIND_WITHOUT_COMMA.sub(", ", text[start:])) if start is not None else None
    return (value, m) if value and "," in value else None


def _facility_or_place(lines: list[Line], n: int) -> tuple[str, int] | None:
    """(a health facility's name that opens line n, the line it ends on), or else the address that does
    (_place): where a birth took place. The name is its line ("Bệnh viện Phụ sản Hà Nội": a province's name
    inside it ends nothing), and the next when that ends it at a province after the comma or the unit's kind the
    line stops at ("Bệnh viện Đa khoa tỉnh" / "Khánh Hòa")."""
    text = lines[n].text.strip(_EDGE)
    if not vocab.opens_with_facility(text):
        return _place(lines, n)
    nxt = lines[n + 1].text.strip(_EDGE) if n + 1 < len(lines) and lines[n + 1].page == lines[n].page else ""
    comma = lines[n].text.rstrip().endswith(",")
    kind = "" if comma else vocab.kind_at_end(text)
    if nxt and kind is not None and vocab.ends_at_a_province(f"{kind} {nxt}".strip()):
        return normalize.place(f"{text}{',' if comma else ''} {nxt}"), n + 1
    return normalize.place(text), n


def _to_a_province(lines: list[Line], n: int) -> tuple[str, int] | None:
    """(the text from line n to the first that ends at a province, of the next PLACE_LINES on its page; that
    line). A line that holds only a province after a centrally run city ("…, Thành phố Huế," / "Tỉnh Thừa Thiên
    Huế") is the same text's."""
    text = ""
    for m in range(n, min(n + PLACE_LINES, len(lines))):
        if lines[m].page != lines[n].page:
            break
        text = f"{text} {lines[m].text.strip(_EDGE)}".strip()
        if vocab.ends_at_a_province(_KIND_WITHOUT_COMMA.sub(", ", text)):
            if m + 1 < len(lines) and lines[m + 1].page == lines[m].page and _province_alone(lines[m + 1].text):
                text, m = f"{text}, {lines[m + 1].text.strip(_EDGE)}", m + 1
            return text, m
    return None


def _province_alone(text: str) -> bool:
    """A line that is a province's name after its kind, and nothing else ("Tính Thanh Hóa |")."""
    text = text.strip(_EDGE)
    return "," not in text and vocab.place_start(text) == 0 and vocab.ends_at_a_province(text)


Picker = Callable[[list[Line], int], tuple[str, int] | None]  # (lines, n) → (value, the line it ends on)


def _one_line(pick: Callable[[str], str | None]) -> Picker:
    def picker(lines: list[Line], n: int) -> tuple[str, int] | None:
        value = pick(lines[n].text)
        return None if value is None else (value, n)

    return picker


def picker(f: FieldDef) -> Picker | None:
    """How a value of the field's kind is told from other text on its own; None for kinds that cannot be (free
    text without a closed list)."""
    if f.kind == "place":
        return _facility_or_place if f.facility else _place
    if f.kind == "text" and f.vocabulary in vocab.CLOSED_LISTS:
        # A listed word in an address is a unit's name ("phường Mỹ Long", "huyện Hoài Đức"), no nationality.
        return _one_line(lambda text: None if _address(text) else vocab.listed_in(f.vocabulary, text))
    typed = {"date": normalize.date, "expiry": normalize.expiry, "id_number": _id_number, "sex": _sex,
             "year": _year, "grams": _grams}  # fmt: skip
    pick = _capitals if f.kind == "name" else typed.get(f.kind)
    return _one_line(pick) if pick else None


def _id_number(text: str) -> str | None:
    """A 12-digit ID number: a 9-digit one (the CMND's, void since 2025) is taken under its label only; found by
    its kind alone, nine digits are as likely a date whose slashes were lost ("030711965")."""
    number = normalize.id_number(text)
    return number if number is not None and len(number) == 12 else None


_WEIGHT_UNIT = re.compile(r"\d\s*(?:g|gr|gam|gram|kg)\b")


def _grams(text: str) -> str | None:
    """A birth weight with its unit ("3.600 gam"): a bare number may be a year or a count."""
    return normalize.grams(text) if _WEIGHT_UNIT.search(normalize.fold(text)) else None


TITLE_2024 = "cancuoc"  # the 2024 card's title's letters: "CĂN CƯỚC", no "CÔNG DÂN"


def printed_order(fields: list[FieldDef], lines: list[Line]) -> list[FieldDef]:
    """The card's fields in the order it prints them: the two addresses swapped on a card titled as the 2024
    one is (see _of_2024)."""
    places = [i for i, f in enumerate(fields) if f.kind == "place"]
    if len(places) != 2 or not _of_2024(lines):
        return fields
    out = list(fields)
    out[places[0]], out[places[1]] = fields[places[1]], fields[places[0]]
    return out


def back_opens_with(fields: list[FieldDef], lines: list[Line]) -> str | None:
    """The field a card's back opens with: the holder's residence on the 2024 card (beside its QR code); the
    2021 card's back opens with marks of identification, no field."""
    places = [f.key for f in printed_order(fields, lines) if f.kind == "place"]
    return places[0] if places and _of_2024(lines) else None


def _of_2024(lines: list[Line]) -> bool:
    """A card titled as the 2024 one is ("CĂN CƯỚC", no "CÔNG DÂN"), a letter lost or misread ("CĂN CƯỚ")."""
    return any(Levenshtein.distance(_letters(line.folded), TITLE_2024, score_cutoff=1) <= 1 for line in lines)


def title_line(lines: list[Line], titles: list[str]) -> int | None:
    """The line that holds the card's title ("CĂN CƯỚC CÔNG DÂN"), its letters a letter or two off at most."""
    wanted = [_letters(normalize.fold(t)) for t in titles]
    for n, line in enumerate(lines):
        text = _letters(line.folded)
        if any(Levenshtein.distance(text, t, score_cutoff=TITLE_OFF) <= TITLE_OFF for t in wanted if len(t) > 6):
            return n
    return None


def _letters(folded: str) -> str:
    """A folded line's letters alone, what a title is compared by: no spaces either, which OCR moves in small
    capitals ("CẢ NCƯỚC CÔNG ĐẦNX")."""
    return re.sub(r"[^a-z]", "", folded)


TITLE_OFF = 2  # letters a card's title may be misread by and still say where its fields begin


def sides_in_order(lines: list[Line], backs: set[tuple[int, int]], titles: list[str]) -> tuple[list[Line], int | None]:
    """A copy's lines side by side in the card's order, page by page: the titled side (its front), then the sides
    holding a machine-readable zone (its back: the 2021 card's expiry and addresses' end, the 2024 card's two
    addresses), then the rest (a certifying stamp, notes); and where the first back starts. Both sides copied on
    one sheet are read in the sheet's order, the back often first, and its values stood where no field's order
    looks. `backs` are the (page, card) of the zone's lines; with no title read, only the backs move, after the
    rest."""
    n = title_line(lines, titles)
    front = (lines[n].page, lines[n].card) if n is not None and lines[n].card >= 0 else None

    def rank(line: Line) -> int:
        side = (line.page, line.card)
        if front is None:
            return int(side in backs)
        return 0 if side == front else 1 if side in backs else 2

    ordered = sorted(lines, key=lambda line: (line.page, rank(line)))
    return ordered, next((k for k, line in enumerate(ordered) if (line.page, line.card) in backs), None)


def by_order(
    fields: list[FieldDef], lines: list[Line], found: dict[str, int], labelled: dict[str, int], stops: list[int],
    title: int | None = None, back: tuple[str, int] | None = None, values: dict[str, str] | None = None,
) -> dict[str, tuple[str, int, int]]:  # fmt: skip
    """key → (value, its first line, its last) for the fields not `found` whose value shows by its kind in the
    lines after the field found before it (`found`: the line of each field read by its label) or the card's
    `title` line, before the next field whose label stands (`labelled`), a stop phrase (`stops`) or ORDER_LINES;
    the field that opens the card's back (`back`: its key and the back's first line) is looked for there first.
    When nothing shows there, and that field's line is below all the lines the field before it leads to, those
    lines are looked at: a label OCR made of noise further down ("Họ và tên" read in the card's back) is no place
    to start from. A value read on a line is taken once, a found field's (`values`) too: a birth date read by its
    label is no expiry; an address read over several lines takes them all."""
    out: dict[str, tuple[str, int, int]] = {}
    taken = _Taken({(found[k], v) for k, v in (values or {}).items() if k in found})
    for i, f in enumerate(fields):
        pick = picker(f)
        if f.key in found or pick is None:
            continue
        # A field before it whose label stands, its value unreadable ("Số: 09153292713", a digit lost), still
        # says where the fields after it begin; so does the title, when nothing before it was read.
        anchors = [(j, found.get(g.key, labelled.get(g.key))) for j, g in enumerate(fields[:i])
                   if g.key in found or g.key in labelled]  # fmt: skip
        starts = [(line, j, False) for j, line in reversed(anchors)][:ANCHORS_TRIED]
        first = min((line for line, _, _ in starts), default=None)
        if starts and title is not None and f.kind == "name" and title < first:
            # A photo's lines out of order: the name read above the number's line, under the title; looked for
            # there last, no further than that line.
            starts.append((title, -1, True))
        starts = starts or ([(title, -1, True)] if title is not None else [])
        if back is not None and back[0] == f.key:
            starts = [(back[1] - 1, i - 1, True), *starts]  # as if after a title just above the back's first line
        if not starts and f.kind not in ANYWHERE:
            continue
        below = len(lines)  # the line of the field found after the one looked after
        for lo, j, after_title in starts or [(0, -1, False)]:
            window = _window(i, f, lo, j, after_title, bool(starts), fields, lines, labelled, stops)
            if j == -1 and lo == title and first is not None and lo < first:
                window = range(window.start, min(window.stop, first))
            if window.stop > below:
                break  # the field found after it is not out of its order: the lines between are read
            below = lo
            got = _look(f, pick, lines, window, lo, taken)
            if got is not None:
                if got[0] is not None:
                    out[f.key] = got
                found = {**found, f.key: got[2]}
                break
    return out


ANCHORS_TRIED = 2  # fields found before a field whose lines are looked after, the latest first


@dataclass
class _Taken:
    used: set[tuple[int, str]] = field(default_factory=set)  # (line, value) of each value taken
    spent: set[int] = field(default_factory=set)  # lines of an address taken


def _window(
    i: int, f: FieldDef, lo: int, j: int, after_title: bool, anchored: bool, fields: list[FieldDef],
    lines: list[Line], labelled: dict[str, int], stops: list[int],
) -> range:  # fmt: skip
    """The lines where field i's value may stand after line lo, the line of field j (or the title's)."""
    later = [labelled[g.key] for g in fields[i + 1 :] if g.key in labelled and labelled[g.key] >= lo]
    # The fields between the one found and an address, not read, stand on lines in between: a line each, but
    # for two that share one (sex and nationality on most cards).
    unread = i - 1 - j if f.kind == "place" else 0
    reach = ORDER_LINES + max(unread - 1, 0) if anchored else len(lines)
    # The field's own line at least: the next label may share it ("Giới tính: Nam Quốc tịch: …"). The next
    # label's line too: a value may stand before it there ("Gớnh: Nữ Quốc th: Việt Nam", the sex's label
    # garbled, the nationality's read), or an address found by where it starts ("Có giá trị đến Nơi thường
    # trú: Số 6 …").
    hi = max(lo + 1, min([_past(lines, lo, reach), *later[:1], *(s for s in stops if s > lo)]))
    hi += hi in later[:1]
    # An address never shares the line of the field before it, but may open on its own label's.
    first = lo + 1 if (f.kind == "place" and f.key not in labelled and anchored) or after_title else lo
    return range(first, min(hi, len(lines)))


def _past(lines: list[Line], lo: int, reach: int) -> int:
    """The line `reach` lines after line lo, lines of specks alone not counted ("|", "\"¬": a blurred card's photo
    edge or background read between its fields' lines)."""
    n = lo
    while reach > 0 and n < len(lines):
        n += 1
        reach -= n >= len(lines) or any(c.isalnum() for c in lines[n].text)
    return n


def _look(
    f: FieldDef, pick: Picker, lines: list[Line], window: range, lo: int, taken: _Taken
) -> tuple[str | None, int, int] | None:
    """(value, first line, last line) of the first value of the field's kind in the window, on lo's page; (None,
    n, n) when line n is an address past reading (the next address starts after it); None when neither shows."""
    for n in window:
        if lines[n].page != lines[lo].page:
            break
        got = None if f.kind == "place" and n in taken.spent else pick(lines, n)
        if got is not None and (n, got[0]) not in taken.used:
            value, last = got
            taken.used.add((n, value))
            taken.spent.update(range(n, last + 1) if f.kind == "place" else ())
            return value, n, last
        if got is None and f.kind == "place" and n not in taken.spent and _unread_place(lines[n].text):
            # This address's place, past reading ("Vĩnh Minh, Huế, Thừa Thiên Muấ"): the next one is the next
            # field's, and starts after it.
            taken.spent.add(n)
            return None, n, n
    return None


def _address(text: str) -> bool:
    """A line that reads as an address, or parts of one."""
    return vocab.ends_at_a_province(_KIND_WITHOUT_COMMA.sub(", ", text)) or _unread_place(text)


def _unread_place(text: str) -> bool:
    """A line that reads as parts of an address, though no province ends it: two commas between words, two parts
    or more opening with a capital as a unit's name does (not the birth date's "Ngày, tháng, năm sinh"); or one
    comma, and a unit's kind as a card prints it ("Phường Lắng Hạ Quận Đồng fĐa, Tháshk")."""
    parts = [p.strip(_EDGE) for p in text.split(",") if re.search(r"[^\W\d_]{2}", p)]
    if len(parts) >= 2 and _CARD_KIND.search(text):
        return True
    return len(parts) >= 3 and sum(p[:1].isupper() for p in parts) >= 2


_CARD_KIND = re.compile(rf"(?<!\w)(?:{_CARD_KINDS}) (?=[^\W\d_])")
