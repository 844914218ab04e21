"""OCR words (as stored in ocr.json) regrouped into lines whose characters map back to words and boxes."""

from __future__ import annotations

from dataclasses import dataclass, field

from ocr.layout import ordered_segments

from .normalize import fold, nfc


@dataclass
class Line:
    page: int
    text: str
    folded: str  # fold(text): one character for each of text's, so positions carry over
    words: list[dict] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # character span of each word in text

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
    """A stored OCR word seen through the attributes ocr.layout reads; `raw` is the stored dict."""

    raw: dict

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
        return self.raw["line"][2]


def page_lines(words: list[dict], page: int = 0) -> list[Line]:
    """Lines in reading order, as ocr.layout orders them: the columns of a two-column block (an ID card's
    expiry under its photo beside the address) are separate lines, so a value never jumps a gutter."""
    lines = []
    for _, seg in ordered_segments([_Word(w) for w in words]):
        ws = [w.raw for w in seg.words]
        parts, spans, pos = [], [], 0
        for w in ws:
            t = nfc(w["text"])
            spans.append((pos, pos + len(t)))
            parts.append(t)
            pos += len(t) + 1
        text = " ".join(parts)
        lines.append(Line(page, text, _fold_same_length(text), ws, spans))
    return lines


def union_box(words: list[dict]) -> list[int] | None:
    if not words:
        return None
    x0 = min(w["box"][0] for w in words)
    y0 = min(w["box"][1] for w in words)
    x1 = max(w["box"][0] + w["box"][2] for w in words)
    y1 = max(w["box"][1] + w["box"][3] for w in words)
    return [x0, y0, x1 - x0, y1 - y0]
