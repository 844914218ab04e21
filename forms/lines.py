"""OCR words (as stored in ocr.json) regrouped into lines whose characters map back to words and boxes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from ocr.layout import centre_inside, ordered_segments

from .normalize import fold, nfc


@dataclass
class Line:
    page: int
    text: str
    folded: str  # fold(text): one character for each of text's, so positions carry over
    words: list[dict] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # character span of each word in text
    card: int = -1  # which of the page's cards the line is on, when cards were given (-1: none)

    def words_in(self, start: int, end: int) -> list[dict]:
        return [w for w, (a, b) in zip(self.words, self.spans, strict=True) if a < end and b > start]


def _fold_same_length(text: str) -> str:
    out = fold(text)
    if len(out) == len(text):
        return out
    # Rare letters whose folding changes length: fold one by one and keep one character each.
    return "".join((fold(c) or " ")[0] for c in text)


@dataclass
class _Word:
    """A stored OCR word seen through the attributes ocr.layout reads; `raw` is the stored dict. `card` is set on
    the words of a line Tesseract ran across two cards: each card's part becomes a line of its own."""

    raw: dict
    card: int = -1

    @property
    def text(self) -> str:
        return self.raw["text"]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return tuple(self.raw["box"])

    @property
    def block(self) -> int:
        return self.raw["line"][0]

    @property
    def par(self) -> int:
        return self.raw["line"][1]

    @property
    def line(self) -> int:
        return self.raw["line"][2] + (self.card + 1) * _CARD_LINES


_CARD_LINES = 1 << 20  # more lines than a paragraph holds: a card's part of a line gets a key of its own


def _card_of(word: dict, cards: list[list[int]]) -> int:
    return next((k for k, box in enumerate(cards) if centre_inside(word["box"], box)), -1)


def _main_card(words: list[dict], cards: list[list[int]]) -> int:
    """The card most of a line's words are on (a speck beside it may fall outside)."""
    return Counter(_card_of(w, cards) for w in words).most_common(1)[0][0]


def _keyed_by_card(words: list[dict], cards: list[list[int]]) -> list[_Word]:
    """The words, those of a line that holds words of two cards (the front and back of a copy side by side,
    read by Tesseract as one line) marked with their card."""
    where = [_card_of(w, cards) for w in words]
    seen: dict[tuple, set[int]] = {}
    for w, k in zip(words, where, strict=True):
        seen.setdefault(tuple(w["line"]), set()).add(k)
    split = {key for key, ks in seen.items() if len(ks - {-1}) > 1}
    return [_Word(w, k if tuple(w["line"]) in split else -1) for w, k in zip(words, where, strict=True)]


def page_lines(words: list[dict], page: int = 0, cards: list[list[int]] | None = None) -> list[Line]:
    """Lines in reading order, as ocr.layout orders them: the columns of a two-column block (an ID card's
    expiry under its photo beside the address) are separate lines, so a value never jumps a gutter, and two
    columns Tesseract cut into blocks are each read whole (the mother's block, then the father's). Given the
    page's cards, no line runs from one card into another, and each line knows its card."""
    lines = []
    for _, seg in ordered_segments(_keyed_by_card(words, cards or []), across_blocks=True):
        ws = [w.raw for w in seg.words]
        height = median(w["box"][3] for w in ws)
        parts, spans, pos = [], [], 0
        for w in ws:
            t = _as_read(w, height)
            spans.append((pos, pos + len(t)))
            parts.append(t)
            pos += len(t) + 1
        text = " ".join(parts)
        card = _main_card(ws, cards) if cards else -1
        lines.append(Line(page, text, _fold_same_length(text), ws, spans, card))
    return lines


FLAT = 0.25  # a word at most this share of its line's usual height is a dotted leader's piece, however read


# Letters Tesseract's Vietnamese model reads for one it draws alike and Vietnamese never prints: the Icelandic eth
# for Đ ("Bệnh viện Ða khoa"; the studied sets' pages held 60 of them, their texts none). Read so for the fields
# only: the page's text stays as Tesseract gave it, as plain Tesseract's does.
_SAME_LOOK = str.maketrans({"Ð": "Đ", "ð": "đ"})


def _as_read(word: dict, height: float) -> str:
    """A word's text, a letter drawn alike read as the Vietnamese one; leader dots Tesseract read as letters ("se."
    4 px tall at the end of an address's line) become dots again, so that they end a value as dots do instead of
    joining it."""
    text = nfc(word["text"]).translate(_SAME_LOOK)
    if word["box"][3] <= FLAT * height and any(c.isalnum() for c in text):
        return "." * max(4, len(text))
    return text


def union_box(words: list[dict]) -> list[int] | None:
    if not words:
        return None
    x0 = min(w["box"][0] for w in words)
    y0 = min(w["box"][1] for w in words)
    x1 = max(w["box"][0] + w["box"][2] for w in words)
    y1 = max(w["box"][1] + w["box"][3] for w in words)
    return [x0, y0, x1 - x0, y1 - y0]
