"""The machine-readable zone (MRZ) on the back of the chip căn cước công dân (2021) and the thẻ căn cước (2024).

It is the three-line TD1 zone of ICAO Doc 9303 (30 characters a line, OCR-B type):

    IDVNM<document number: 9><check><optional data: 15>       the optional data starts with the 12-digit ID
    <birth YYMMDD><check><sex M/F/<><expiry YYMMDD, or six fillers: none><check>VNM<optional: 11><overall check>
    <SURNAME<<GIVEN<NAMES, filler `<`>

Printed large in a monospaced face and guarded by check digits, it reads where the small print of a photographed
or low-resolution card does not. Only values whose check digit holds are returned: a wrong reading is never
passed off as machine-verified (a date mended by its check digit, or an ID its checks cover in part, is returned
as verified in part, for the reviewer). The name carries no diacritics, so it checks the printed name's letters instead
of replacing it (its marks are the name lexicon's to check). A zone whose first line OCR garbled past knowing is
still found by its second line when both of that line's dates hold their check digits: the card is a card.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from .normalize import NO_EXPIRY

LINE = 30
NEAR = 6  # lines looked at after the zone's first line
WEIGHTS = (7, 3, 1)
# What OCR-B digits are misread as in letter positions: only used where the format wants a digit.
AS_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1", "Z": "2",
                          "S": "5", "G": "6", "B": "8", "A": "4"})  # fmt: skip
# And the other way: a name holds no digits ("KIEU<<B1CH<H0A").
AS_LETTER = str.maketrans({"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G"})
_NOT_MRZ = re.compile(r"[^A-Z0-9<]")
_FILLER_RUN = re.compile(r"[<KC(«‹{\[]{3,}")  # a run of fillers, some read as look-alikes
# Line one opens "IDVNM": its D may go, or one letter of VNM ("TDNM1850…"); the 22 digits after it must follow.
_LINE_ONE = re.compile(r"[I1LT](?:[D0O<]?VNM|[D0O<](?:NM|VN|VM))")
_LINE_TWO = re.compile(r"(\w{6})(\w)([MF<])(\w{6}|<{6})(\w|<)VNM")


@dataclass
class Mrz:
    """What the zone says, each value only if verified; `rows`: which of the page's lines it was read from."""

    values: dict[str, str] = field(default_factory=dict)
    partly: set[str] = field(default_factory=set)  # keys verified only in part (an ID's first three digits)
    name: str | None = None  # the holder's name without diacritics, e.g. "MAI KHANH MY"
    rows: list[int] = field(default_factory=list)

    @property
    def strength(self) -> float:
        """How much of the zone was verified: each value whose check holds, half for one verified in part."""
        return len(self.values) - 0.5 * len(self.partly) + (self.name is not None)


def check_digit(text: str) -> str:
    """ICAO 9303 check digit: digits count as themselves, A–Z as 10–35, the filler as 0; weights 7, 3, 1."""
    total = 0
    for i, c in enumerate(text):
        value = int(c) if c.isdigit() else (ord(c) - 55 if "A" <= c <= "Z" else 0)
        total += value * WEIGHTS[i % 3]
    return str(total % 10)


def _clean(text: str) -> str:
    """An OCR line as MRZ characters: upper case without marks, no spaces, filler look-alikes in runs of fillers
    as fillers."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    upper = "".join(bare.upper().replace("Đ", "D").split()).replace("«", "<<")  # ô read for 0 is an O
    upper = _FILLER_RUN.sub(lambda m: "<" * len(m.group()) if m.group().count("<") >= 3 else m.group(), upper)
    return _NOT_MRZ.sub("<", upper)


def _without_specks(text: str) -> str:
    """A line without the words in small letters that stand apart before the zone's first filler: the zone prints
    capitals only, so they are specks at the card's edge OCR read ("lk NGUYEN<<NGOC<TAM<<…"), which would
    otherwise join the name."""
    words = text.split()
    zone = next((i for i, w in enumerate(words) if "<" in w), None)
    if zone is None:
        return text
    kept = [w for i, w in enumerate(words) if i >= zone or not any(c.islower() for c in w)]
    return " ".join(kept)


def _digits(text: str) -> str:
    return text.translate(AS_DIGIT)


def _date(yymmdd: str, future: bool, today: dt.date) -> str | None:
    """YYMMDD as ISO: a birth date is in the past century or this one; an expiry date is in this one."""
    try:
        year = int(yymmdd[:2])
        century = 2000 if future or 2000 + year <= today.year else 1900
        return dt.date(century + year, int(yymmdd[2:4]), int(yymmdd[4:6])).isoformat()
    except ValueError:
        return None


def _upper_line(text: str) -> str | None:
    """Line one from the document number on (25 characters: number, check, the ID, fillers, a last digit), or
    None when the line is not a Vietnamese card's first line."""
    # OCR may join a page edge, a stray mark or the card's other side before it: look along the whole line.
    for m in _LINE_ONE.finditer(text):
        rest = text[m.end() : m.end() + 25]
        fixed = _digits(rest[:22])
        if len(rest) >= 22 and fixed.isdigit():
            return fixed + rest[22:].ljust(3, "<")
    return None


def _middle_line(text: str) -> str | None:
    """Line two up to its overall check digit (30 characters), digits where digits belong."""
    m = _LINE_TWO.search(text)
    if m is None:
        return None
    start = m.start()
    line = text[start : start + LINE].ljust(LINE, "<")
    return _digits(line[:7]) + line[7] + _digits(line[8:15]) + line[15:29] + _digits(line[29])


def _verified(upper: str, middle: str, today: dt.date) -> tuple[dict[str, str], set[str]]:
    """The values whose check digits hold (sex and nationality, letters no check digit covers on its own, as
    read). The ID's first three digits are outside the document number's check;
    the overall check digit, which covers line one after the country code, verifies them where it holds (cards
    are not all consistent in what it covers): where it does not, the ID is returned as verified in part."""
    out, mended = _line_two_values(middle, today)
    ident = _id_number(upper)
    if ident is None:
        return out, mended
    # Line one as the card printed it: its document number is the ID's last nine digits (a misread one settled by
    # _id_number), and after the ID come two fillers and a digit.
    overall = f"{ident[3:]}{upper[9]}{ident}<<{_digits(upper[24])}" + middle[:7] + middle[8:15] + middle[18:29]
    out["id_number"] = ident
    return out, mended | (set() if check_digit(overall) == middle[29] else {"id_number"})


def _line_two_values(middle: str, today: dt.date) -> tuple[dict[str, str], set[str]]:
    """Line two's dates whose check digits hold (an expiry of six fillers: none), and its sex and nationality as
    read; and the dates mended (see _checked_date) or a no-expiry's check misread, verified in part only."""
    out: dict[str, str] = {}
    mended: set[str] = set()
    for key, at, future in (("date_of_birth", 0, False), ("date_of_expiry", 8, True)):
        if future and middle[at : at + 6] == "<" * 6:  # no expiry (a holder over 60); its check digit is 0
            out[key] = NO_EXPIRY
            mended |= set() if middle[at + 6] in "0<" else {key}
            continue
        value, fixed = _checked_date(middle[at : at + 6], middle[at + 6], future, today)
        if value:
            out[key] = value
            mended |= {key} if fixed else set()
    if middle[7] in "MF":
        out["sex"] = "Nam" if middle[7] == "M" else "Nữ"
    out["nationality"] = "Việt Nam"
    return out, mended


def _checked_date(yymmdd: str, check: str, future: bool, today: dt.date) -> tuple[str | None, bool]:
    """(ISO date, whether mended) of a zone's date its check digit holds; or, for one that is no date at all
    ("279512": a month 95), the one date a single digit off it that the check digit holds, mended. A date that
    exists but fails its check stays unread: which digit is wrong cannot be told."""
    if check_digit(yymmdd) == check and (value := _date(yymmdd, future, today)):
        return value, False
    if _date(yymmdd, future, today) is not None:
        return None, False
    found = {value for i in range(6) for d in "0123456789" if d != yymmdd[i]
             if check_digit(mended := yymmdd[:i] + d + yymmdd[i + 1 :]) == check
             and (value := _date(mended, future, today))}  # fmt: skip
    return (found.pop(), True) if len(found) == 1 else (None, False)


def _id_number(upper: str) -> str | None:
    """The 12-digit ID of line one when its last nine digits are verified: they are the document number printed
    again, or the two printings differ by one misread digit and the check digit says which is right."""
    doc, check, ident = upper[:9], upper[9], upper[10:22]
    ident = "0" + ident[1:]  # it opens with a province code, 001-096 (normalize.id_number)
    if ident[3:] == doc:
        return ident
    if sum(a != b for a, b in zip(doc, ident[3:], strict=True)) != 1:
        return None  # two misreads can satisfy a check digit by chance: one in ten
    if check_digit(ident[3:]) == check:
        return ident
    return ident[:3] + doc if check_digit(doc) == check else None


def _name(text: str) -> str | None:
    """SURNAME<<GIVEN<NAMES, up to the fillers that pad the line: a speck read past them is no name."""
    name = re.split(r"<{3,}", text.strip("<"), maxsplit=1)[0]
    if sum(c.isalpha() for c in name) < 2 * sum(c.isdigit() for c in name):
        return None  # a line of digits is no name, whatever letters they look like
    parts = [p for p in re.split(r"<+", name.translate(AS_LETTER)) if p]
    if not parts or not all(p.isalpha() for p in parts):
        return None
    return " ".join(parts)


def zone_like(text: str) -> bool:
    """A line that looks like part of a zone even when too garbled to read: it opens like line one, or it holds
    a run of fillers. It is no printed field's value."""
    raw = "".join(text.upper().split())  # not _clean(): that turns every Vietnamese letter into a filler
    return bool(_LINE_ONE.search(raw[:9])) or "<<<" in raw.replace("«", "<<") or bool(_LINE_TWO.search(raw))


def find_mrz(lines: list[str], today: dt.date | None = None) -> Mrz | None:
    """The TD1 zone among a page's text lines (in reading order), or None when the page has none."""
    today = today or dt.date.today()
    cleaned = [_clean(_without_specks(t)) for t in lines]
    for i, first in enumerate(cleaned):
        upper = _upper_line(first)
        if upper is None:
            continue
        out = Mrz(rows=[i])
        for j in _following(cleaned, i):
            middle = _middle_line(cleaned[j])
            if middle is None:
                continue
            out.values, out.partly = _verified(upper, middle, today)
            out.rows.append(j)
            _name_after(cleaned, j, out)
            break
        if len(out.rows) == 1 and (ident := _id_number(upper)):  # line two unread: the ID, its prefix unchecked
            out.values, out.partly = {"id_number": ident}, {"id_number"}
        return out
    return _zone_from_line_two(cleaned, today)


def _following(cleaned: list[str], i: int) -> list[int]:
    """The lines after line i that may be the zone's next: specks read as text may stand between them."""
    return [j for j in range(i + 1, min(i + 1 + NEAR, len(cleaned))) if len(cleaned[j].strip("<")) > 3]


def _name_after(cleaned: list[str], j: int, out: Mrz) -> None:
    for n in _following(cleaned, j)[:1]:
        if name := _name(cleaned[n]):
            out.name = name
            out.rows.append(n)


def _zone_from_line_two(cleaned: list[str], today: dt.date) -> Mrz | None:
    """A zone whose line one OCR garbled past knowing ("TDNM1850…"): line two alone, both of its dates held by
    their check digits, is a card's zone all the same; its name line follows. With its expiry unread, its birth
    date held by its check digit and a name line after it make it one too: the birth date is taken, not the expiry."""
    for j, text in enumerate(cleaned):
        middle = _middle_line(text)
        if middle is None:
            continue
        values, mended = _line_two_values(middle, today)
        if "date_of_birth" not in values or "date_of_birth" in mended:
            continue
        out = Mrz(rows=[j], values=values)
        _name_after(cleaned, j, out)
        if "date_of_expiry" in values and not mended:
            return out
        if out.name:
            out.values = {k: v for k, v in values.items() if k != "date_of_expiry"}
            return out
    return None
