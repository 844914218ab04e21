"""A second, dedicated reading of an ID card's machine-readable zone.

The page's OCR reads the zone with the Vietnamese model, which knows neither the OCR-B face nor the filler `<`:
on photos and low-resolution copies it turns fillers into letters and digits into look-alikes, and the check
digits then refuse the whole zone. Read again as what it is (a band of upper-case letters, digits and fillers,
with the English model and a whitelist, the print enlarged to a comfortable line height) the same pixels usually
pass their checks. The second reading replaces the first only when more of the zone is verified by it.
"""

from __future__ import annotations

import numpy as np

from forms.mrz import Mrz, find_mrz, zone_like
from ocr.layout import Line, centre_inside, group_lines, reading_order
from ocr.tesseract import OcrPage, Word, read_only

ZONE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
LINE_PX = 40  # the zone's line height for its own reading: well above where OCR-B's 0/O and 8/B blur together
REACH = 2.5  # line heights above and below the zone lines found: a zone line the page's OCR lost is in the band
BLOCK = 9000  # block numbers of the second reading's words, apart from the page's


def _strength(mrz: Mrz | None) -> float:
    return -1.0 if mrz is None else mrz.strength


def _zone_lines(words: list[Word]) -> list[list[Word]]:
    return [[w for seg in ln.segments for w in seg.words] for ln in group_lines(words) if zone_like(_text(ln))]


def _text(line: Line) -> str:
    return " ".join(seg.text for seg in line.segments)


def _band(gray: np.ndarray, lines: list[list[Word]]) -> tuple[int, int, int, int, float]:
    """The zone's band of the page (x0, y0, x1, y1) with room for lines the page's OCR missed, and its line height."""
    boxes = [w.box for ln in lines for w in ln]
    height = float(np.median([max(w.box[3] for w in ln) for ln in lines]))
    x0 = min(b[0] for b in boxes) - 2 * height
    x1 = max(b[0] + b[2] for b in boxes) + 2 * height
    y0 = min(b[1] for b in boxes) - REACH * height
    y1 = max(b[1] + b[3] for b in boxes) + REACH * height
    h, w = gray.shape[:2]
    return max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1)), max(height, 1.0)


def read_zone(gray: np.ndarray, x0: int, y0: int, x1: int, y1: int, height: float) -> list[Word]:
    """The zone's band read as zone characters only, its words placed back in page pixels; lines that do not look
    like the zone (the card's print above it, read through the whitelist) are left out."""
    factor = LINE_PX / height
    got = read_only(gray[y0:y1, x0:x1], factor, ZONE_CHARS, psm=6)
    out = []
    for line in _zone_lines(got.words):
        for w in line:
            bx, by, bw, bh = (round(v / factor) for v in w.box)
            out.append(Word(w.text, w.conf, (x0 + bx, y0 + by, bw, bh), BLOCK + w.block, w.par, w.line))
    return out


def reread_zone(gray: np.ndarray, ocr: OcrPage) -> OcrPage:
    """The page's reading with its machine-readable zone read a second time, when that verifies more of it."""
    lines = _zone_lines(ocr.words)
    if not lines:
        return ocr
    band = _band(gray, lines)
    again = read_zone(gray, *band)
    if _strength(find_mrz(reading_order(again).splitlines())) <= _strength(find_mrz(ocr.text.splitlines())):
        return ocr
    # Out go the zone lines as first read, and the zone's garbled pieces the page's OCR split into other lines.
    old = {id(w) for ln in lines for w in ln}
    x0, y0 = min(w.box[0] for w in again), min(w.box[1] for w in again)
    x1 = max(w.box[0] + w.box[2] for w in again)
    y1 = max(w.box[1] + w.box[3] for w in again)
    area = (x0, y0, x1 - x0, y1 - y0)
    kept = [w for w in ocr.words if id(w) not in old and not (centre_inside(w.box, area) and _zone_chars(w.text))]
    words = kept + again
    return ocr.with_words(words)


def _zone_chars(text: str) -> bool:
    """A word of the zone as the page's OCR garbled it: mostly upper-case letters, digits and fillers."""
    plain = [c for c in text if not c.isspace()]
    return bool(plain) and sum(c.isupper() or c.isdigit() or c in "<«" for c in plain) >= 0.6 * len(plain)
