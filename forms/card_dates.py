"""A card's expiry read through its holder's birth date.

The law runs a card to its holder's birthday at a renewal age (validate.RENEWAL_AGES), so a card whose birth date
is sure has only a few possible expiries. On a photo or a 70-dpi copy the expiry, printed small under the photo,
reads with its label lost ("1901/2030."), its slashes misread ("25 (08 2029") or a digit or two off ("z5/01/1035"
for 25/04/2035), and is not taken or taken wrong. The card's text (card_places.card_text: the words no other field
was read from) is searched for a run of digits that spells one of those birthdays exactly: it is the expiry as
read. The expiry's own reading a digit or two off one birthday, and nearer it than any other, is that
birthday, for the reviewer to confirm (`expiry_by_birth_date`), the reading kept as `ocr_value`.

The other way, a card whose number is sure (read so, or agreed with another paper or its zone) carries its holder's
year of birth: a birth date read doubtfully with its year a digit off that one ("1938" where the number says 58)
takes the number's year; a birth date not read at all is the birthday a sure expiry falls on, when the expiry's
year is that year plus a renewal age (`birth_date_by_number`, for the reviewer to confirm).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from . import validate
from .agree import AGREED, SURE, HasFields
from .card_places import card_text
from .catalog import Catalog
from .extract import FieldValue
from .lines import Line
from .normalize import FIRST_CARDS, unmarked

PROBLEM = "expiry_by_birth_date"
BIRTH_PROBLEM = "birth_date_by_number"
MOST_OFF = 2  # digits a reading may be off the birthday it is taken for
# A run of digits and of letters OCR reads for them, with the separators a date's slashes are read as; at a word's
# edges ("z5/01/1035", "25 (08 2029"), so no word's letters are taken for digits.
_RUN = re.compile(r"(?<![a-z\d])(?:\d|[ozl](?=\d))[\dozl/.\-( ]{4,12}[\dozl](?![a-z\d])")
_AS_DIGITS = str.maketrans("ozl", "021")


def renewal_birthdays(date_of_birth: str) -> list[str]:
    """The holder's birthdays (ISO) at the renewal ages, from the first cards on; 29 February as 28 February."""
    born = dt.date.fromisoformat(date_of_birth)
    days = [dt.date(born.year + age, born.month, min(born.day, 28) if born.month == 2 else born.day)
            for age in validate.RENEWAL_AGES]  # fmt: skip
    return [d.isoformat() for d in days if d.year >= FIRST_CARDS]


def _printed(iso: str) -> str:
    return iso[8:10] + iso[5:7] + iso[:4]  # as the card prints it, slashes aside: ddmmyyyy


def date_runs(text: str) -> list[str]:
    """The runs of seven to nine digits in a card's text (`unmarked`), separators left out: a date's, its slashes
    read as anything ("25 (08 2029"), a 2 read "z" (normalize.digit_runs reads ID numbers: no such separators)."""
    runs = (re.sub(r"\D", "", m.group().translate(_AS_DIGITS)) for m in _RUN.finditer(text))
    return [r for r in runs if 7 <= len(r) <= 9]


def expiry_among(runs: list[str], date_of_birth: str, most_off: int = 0) -> tuple[str, int] | None:
    """(the birthday, digits off) that a run spells, `most_off` digits off at most and nearer it than any other
    birthday or the birth date itself; None when no run does."""
    days = renewal_birthdays(date_of_birth)
    best = None
    for run in runs:
        off = {day: Levenshtein.distance(run, _printed(day)) for day in [date_of_birth, *days]}
        for day in days:
            nearest = all(d > off[day] for o, d in off.items() if o != day)
            if off[day] <= most_off and nearest and (best is None or off[day] < best[1]):
                best = (day, off[day])
    return best


def _birth_date(card: HasFields) -> str | None:
    """The card's birth date (ISO) when sure: read surely, or in the year its number carries; never when its year
    is not that one (misread, its day and month may be too, and in the expiry the same way)."""
    born, number = card.fields.get("date_of_birth"), card.fields.get("id_number")
    if born is None or not born.value or not validate.ISO_DATE.fullmatch(born.value):
        return None
    year = validate.birth_year(number.value) if number is not None and number.value else None
    sure = born.value[:4] == year if year is not None else born.confidence >= SURE
    return born.value if sure else None


def expiry_by_birth_date(docs: Sequence[HasFields], lines: Sequence[list[Line]], catalog: Catalog) -> None:
    """Each card whose expiry did not read surely: the birthday its text spells (module doc)."""
    for card, card_lines in zip(docs, lines, strict=True):
        paper = catalog.document_types.get(card.type)
        read = card.fields.get("date_of_expiry")
        born = _birth_date(card)
        if paper is None or not paper.card or born is None or (read and read.value and read.confidence >= SURE):
            continue
        # The expiry's own reading may be a digit or two off; elsewhere on the card only a date spelt exactly is
        # taken for it (the back's issue date may be a digit or two off a birthday).
        own = date_runs(unmarked(read.raw or read.value)) if read is not None and read.value else []
        found = expiry_among(own, born, MOST_OFF) or expiry_among(
            date_runs(card_text(card, card_lines, "date_of_expiry")), born
        )
        if found is None or (read is not None and read.value == found[0]):
            continue
        day, off = found
        page, box = (read.page, read.box) if read else (card.fields["date_of_birth"].page, None)
        card.fields["date_of_expiry"] = FieldValue(
            day, read.raw if read else "", AGREED if off else SURE, page, box, True, [PROBLEM] if off else [],
            read.value if read and read.value else None,
        )  # fmt: skip


def birth_dates_by_number(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """Each card's birth date not read surely, by its sure number and expiry (module doc)."""
    for card in docs:
        paper = catalog.document_types.get(card.type)
        number, born = card.fields.get("id_number"), card.fields.get("date_of_birth")
        if paper is None or not paper.card or number is None or not number.valid or number.confidence < AGREED:
            continue
        year = validate.birth_year(number.value or "")
        if year is None or (born is not None and born.value and born.confidence >= SURE):
            continue
        value = _by_number(born, card.fields.get("date_of_expiry"), year)
        if value is None:
            continue
        page, box = (born.page, born.box) if born else (number.page, None)
        card.fields["date_of_birth"] = FieldValue(
            value, born.raw if born else "", AGREED, page, box, True, [BIRTH_PROBLEM],
            born.value if born and born.value else None,
        )  # fmt: skip


def _by_number(born: FieldValue | None, expiry: FieldValue | None, year: str) -> str | None:
    """The birth date a card's number (its holder's `year`) and expiry give: the reading with its year a digit off
    put right, or, none read, the birthday a sure expiry falls on at a renewal age (28 February: the 29th may be)."""
    if born is not None and born.value and validate.ISO_DATE.fullmatch(born.value):
        off = Levenshtein.distance(born.value[:4], year)
        return year + born.value[4:] if off == 1 else None
    if expiry is None or expiry.confidence < SURE or not validate.ISO_DATE.fullmatch(expiry.value or ""):
        return None
    if int(expiry.value[:4]) - int(year) not in validate.RENEWAL_AGES or expiry.value[5:] == "02-28":
        return None
    return year + expiry.value[4:]
