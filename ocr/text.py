"""Vietnamese text helpers: Unicode normal form, whitespace, and the character error rate."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

_SPACE = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def nfc(text: str) -> str:
    """Vietnamese is compared and stored in NFC: Tesseract and some fonts emit combining marks."""
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC, single spaces, no trailing blanks, at most one empty line between blocks."""
    text = nfc(text).replace("\r\n", "\n").replace("\f", "\n")
    lines = [_SPACE.sub(" ", ln).strip() for ln in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def flat(text: str) -> str:
    """The text as one line of single-spaced words: layout does not count as a character error."""
    return " ".join(nfc(text).split())


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance over the reference's length, both flattened to one line."""
    ref, hyp = flat(reference), flat(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)
