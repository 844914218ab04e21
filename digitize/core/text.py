"""Text as people type it: characters a name or an address must not carry, ID numbers as lists show them, and
text folded for search (no case, no diacritics)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache


def is_control(ch: str) -> bool:
    """A C0 control character or DEL: PostgreSQL refuses a NUL in a string, and browsers drop tabs and newlines
    from an address, so none of them is kept in a name or followed in a path."""
    return ch < " " or ch == "\x7f"


def masked_id(id_number: str | None) -> str | None:
    """A citizen's 12-digit ID number as a list or a log may show it: the first three and last two digits (the
    province and a check a person can compare with the paper), the rest starred. Anything else is shown as is."""
    if not id_number or len(id_number) != 12 or not id_number.isdigit():
        return id_number
    return id_number[:3] + "*" * 7 + id_number[-2:]


def fold(text: str) -> str:
    """`text` lower-cased without its diacritics, one character for one ("Nguyễn Đức" → "nguyen duc"), so a
    place found in the folded text is the same place in the original (search snippets highlight it there).
    "đ" becomes "d" too: Unicode does not decompose it, and SQLite's remove_diacritics leaves it as it is."""
    return "".join(_fold_char(c) for c in text)


@cache
def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base if len(base) == 1 else c


def unaccented(text: str) -> str:
    """`text` without diacritics, its case kept ("Hồ sơ Đã" → "Ho so Da"): an SMS in plain letters fits 160
    characters a part, one with Vietnamese letters only 70."""
    return "".join(_plain_char(c) for c in unicodedata.normalize("NFC", text))


@cache
def _plain_char(c: str) -> str:
    if c in "đĐ":
        return "D" if c == "Đ" else "d"
    base = unicodedata.normalize("NFD", c)[0]
    return base if base.isascii() else c


def words(text: str) -> list[str]:
    """The folded words of `text`: runs of letters and digits ("H01.39-261207-0001" is four). The search index and
    the query split text the same way, so both databases see the same words. Decomposed letters (a base and its
    combining marks) are composed first: a mark alone would cut a word in two."""
    return _WORD.findall(fold(unicodedata.normalize("NFC", text)))


def word_places(text: str) -> list[tuple[str, int, int]]:
    """The folded words of composed (NFC) `text`, each with where it starts and ends in `text`."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(fold(text))]


_WORD = re.compile(r"[^\W_]+")
