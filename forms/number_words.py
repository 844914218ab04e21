"""Dates written out in Vietnamese words, as a tờ khai prints a date of birth a second time ("ghi bằng chữ: Ngày
mười tám tháng hai năm hai nghìn không trăm hai mươi tư").

Text comes folded (no marks, lower case): "năm" the number and "năm" the year are one word then, and so are
"mười" (ten) and "mươi" (tens); their place tells them apart. A word OCR misread by a letter ("hi" for "hai")
is taken when one number word alone is that close.
"""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz.distance import Levenshtein

DIGITS = {"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "sau": 6, "bay": 7,
          "tam": 8, "chin": 9}  # fmt: skip  # "tư" and "lăm" after tens, "mốt" folds as "một"
TENS, HUNDREDS, THOUSANDS = "muoi", "tram", ("nghin", "ngan")
FILLERS = {"linh", "le", "mung", "mong"}  # "hai nghìn linh năm"; "mùng một" for a day
MONTH_NAMES = {"gieng": 1, "chap": 12}
WORDS = [*DIGITS, TENS, HUNDREDS, *THOUSANDS, *FILLERS, *MONTH_NAMES]


def _word(token: str, exact: bool = False) -> str | None:
    """The number word a token is, or (unless `exact`) the one word a letter away from it (of two letters or
    more)."""
    if token in WORDS:
        return token
    if exact:
        return None
    near = [w for w in WORDS if len(token) >= 2 and Levenshtein.distance(token, w, score_cutoff=1) <= 1]
    return near[0] if len(near) == 1 else None


def all_number_words(folded: str) -> bool:
    """Whether a folded text is number words and nothing else (a letter off allowed): a date's wrapped rest."""
    tokens = re.sub(r"[^a-z ]", " ", folded).split()
    return bool(tokens) and all(_word(t) for t in tokens)


def number(text: str, exact: bool = False) -> int | None:
    """The number a folded run of number words says ("hai nghin khong tram hai muoi tu" = 2024); None when a word
    is no number word (with `exact`, when one is not read exactly)."""
    total, group, last_digit = 0, 0, None  # group: the part below a thousand
    for token in text.split():
        word = _word(token, exact)
        if word is None:
            return None
        if word in DIGITS:
            group, last_digit = group + DIGITS[word], DIGITS[word]
        elif word == TENS:  # after a digit its tens ("hai mươi"), alone ten ("mười tám")
            group, last_digit = (group - last_digit + 10 * last_digit if last_digit else group + 10), None
        elif word == HUNDREDS:
            group, last_digit = (group - (last_digit or 0)) + 100 * (last_digit or 0), None
        elif word in THOUSANDS:
            total, group, last_digit = total + 1000 * max(group, 1), 0, None
        elif word in MONTH_NAMES:
            group += MONTH_NAMES[word]
    return total + group


def date(folded: str, exact: bool = False) -> str | None:
    """ISO date of a date written out ("ngay muoi tam thang hai nam hai nghin khong tram hai muoi tu"): a real
    day, of a year from 1900 to 2100. Its three words ("ngày", "tháng", "năm") may be a letter off ("NgàV"), and
    unless `exact` its number words too."""
    tokens = re.sub(r"[^a-z ]", " ", folded).split()
    at = _marker(tokens, "ngay", 0)
    month_at = _marker(tokens, "thang", at + 2) if at is not None else None
    year_at = _marker(tokens, "nam", month_at + 2) if month_at is not None else None
    if year_at is None:
        return None
    parts = (tokens[at + 1 : month_at], tokens[month_at + 1 : year_at], tokens[year_at + 1 :])
    day, month, year = (number(" ".join(p), exact) if p else None for p in parts)
    if day is None or month is None or year is None or not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _marker(tokens: list[str], word: str, start: int) -> int | None:
    """Where `word` stands from `start` on: the first token that is it, else the first a letter off."""
    exact = next((i for i in range(start, len(tokens)) if tokens[i] == word), None)
    if exact is not None:
        return exact
    return next((i for i in range(start, len(tokens)) if Levenshtein.distance(tokens[i], word) <= 1), None)
