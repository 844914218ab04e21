"""A second, dedicated reading of a number printed one digit to a box (an ID number on a form).

With the boxes' sides erased (ocr.frames) the page's OCR still reads the digits as Vietnamese text, each alone
between wide gaps, with no word to give it context: a blurred 0 comes out "Ø", a 4 "+", a 5 "%", and a number
lost a digit or took a speck. Read again as what it is, a line of digits only (the English model with a whitelist,
enlarged to a comfortable height), the row usually gives its digits. The second reading replaces the first only
when it is a whole number of a known length (an ID's 12 digits, a CMND's 9).

On a blurred photo the digits join their boxes: the sides are not erased (that would cut the digits' strokes),
and the second reading is of each frame's inside, cut from the grey page and set apart on white (read_cells).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ocr.frames import Box, DigitRow
from ocr.layout import centre_inside
from ocr.tesseract import OcrPage, Word, read_only

NUMBER_LENGTHS = (9, 12)
ROW_PX = 56  # the row's height for its own reading: its digits about 34 px high
MARGIN = 0.3  # of the row's height, added around it: a digit may stand out of its box
CELL_GAP = 0.5  # of a cell's height, white between the cells set apart
CELL_HEIGHTS = (56, 40, 72)  # the heights in pixels a row of cells is read at
LIGHT_INK = 96  # grey level: a row of cells whose darkest ink is lighter is a photo's faint print


def reread_digit_rows(image: np.ndarray, rows: list[DigitRow], ocr: OcrPage, gray: np.ndarray | None = None) -> OcrPage:
    """The page's reading with each row of digit boxes read again as digits, where that gives a whole number: the
    words over the row give way to one word of its digits, on their line (or, when the page's OCR found nothing
    there, on the line of the label to its left). The frames' insides are read from the `gray` page (no side left
    to read as a "1"), and the row of the page read (`image`, the sides erased): see _best_reading."""
    words = list(ocr.words)
    for row in rows:
        got = _best_reading(
            [read_cells(gray, row.cells) if gray is not None else ("", 0.0), read_digits(image, row.box)]
        )
        if got is None:
            continue
        digits, conf = got
        over = [w for w in words if centre_inside(w.box, row.box)]
        if "".join(w.text for w in over) == digits:
            continue
        key = over[0] if over else _label_left(words, row.box)
        if key is None:
            continue
        at = words.index(over[0]) if over else words.index(key) + 1
        words = [w for w in words if w not in over]
        words.insert(min(at, len(words)), Word(digits, conf, row.box, key.block, key.par, key.line))
    return ocr.with_words(words) if words != ocr.words else ocr


def _best_reading(readings: list[tuple[str, float]]) -> tuple[str, float] | None:
    """Of the row's readings (its cells', then its own), those that are a whole number: the one read with the
    most confidence, sure as the surest when they agree. An italic face's cells once read "1 8" as "4 6" where the
    row read right; a blurred photo's row reads nothing whole where its cells do."""
    whole = [r for r in readings if len(r[0]) in NUMBER_LENGTHS]
    if not whole:
        return None
    digits = max(whole, key=lambda r: r[1])[0]
    return digits, max(c for d, c in whole if d == digits)


def read_cells(gray: np.ndarray, cells: tuple[Box, ...]) -> tuple[str, float]:
    """The digits of a row read from its frames' insides set apart, in a strip of their own: no side is left to
    read as a "1" or to erase with a stroke joined to it (a blurred photo's ink joins digit and box). One size does
    not read every strip: a clean scan's twelve digits came out as nine at one height and right at two others.
    The strip is read at CELL_HEIGHTS; of the readings with a digit to each cell, the one most read."""
    strip, light = cell_strip(gray, cells)
    if strip is None:
        return "", 0.0
    # As a raw line (psm 13): as one line of text (7) a blurred scan's first 0 was dropped, a clean scan's "191"
    # read "329". A photo's digits in light grey (its darkest ink lighter than LIGHT_INK) read as "78" so, and
    # are read as one line of text too.
    readings, h = [], max(c[3] for c in cells)
    for px, psm in ((px, psm) for px in CELL_HEIGHTS for psm in ((13, 7) if light else (13,))):
        got = read_only(strip, px / h, "0123456789", psm=psm)
        digits = digits_in("".join(wd.text for wd in got.words))
        if len(digits) == len(cells):
            readings.append((digits, min((wd.conf for wd in got.words), default=0.0)))
    if not readings:
        return "", 0.0
    most = Counter(d for d, _ in readings).most_common(1)[0][0]
    return most, max(c for d, c in readings if d == most)


def cell_strip(gray: np.ndarray, cells: tuple[Box, ...]) -> tuple[np.ndarray | None, bool]:
    """The cells' insides side by side with a gap between, on their own paper's grey (a white gap beside a
    photo's grey cell made the cell's edge a stroke), stretched to black ink on white; and whether the ink was
    light (darker than LIGHT_INK nowhere)."""
    h = max((c[3] for c in cells), default=0)
    cuts = [gray[y : y + ch, x : x + w] for x, y, w, ch in cells]
    if h == 0 or any(c.size == 0 for c in cuts):
        return None, False
    ink = float(min(c.min() for c in cuts))
    paper = float(np.percentile(np.concatenate([c.ravel() for c in cuts]), 90))
    pad = round(MARGIN * h)
    gap = np.full((h + 2 * pad, round(CELL_GAP * h)), paper, np.float32)
    parts = [gap]
    for cut in cuts:
        cell = np.full((gap.shape[0], cut.shape[1]), paper, np.float32)
        top = pad + (h - cut.shape[0]) // 2
        cell[top : top + cut.shape[0]] = cut
        parts += [cell, gap]
    stretched = (np.hstack(parts) - ink) * 255 / max(paper - ink, 1.0)
    return np.clip(stretched, 0, 255).astype(np.uint8), ink > LIGHT_INK


def read_digits(image: np.ndarray, box: tuple[int, int, int, int]) -> tuple[str, float]:
    """The digits read in a row of boxes, and the least confidence among the words they came in."""
    x, y, w, h = box
    pad = round(MARGIN * h)
    crop = image[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad]
    if crop.size == 0:
        return "", 0.0
    got = read_only(crop, ROW_PX / h, "0123456789", psm=7)
    return digits_in("".join(wd.text for wd in got.words)), min((wd.conf for wd in got.words), default=0.0)


def digits_in(text: str) -> str:
    """The digits of a reading, whatever else it holds."""
    return "".join(c for c in text if c.isdigit())


def _label_left(words: list[Word], box: tuple[int, int, int, int]) -> Word | None:
    """The nearest word to the left of a row, across its middle: the label whose line the number belongs to."""
    x, y, _, h = box
    mid = y + h / 2
    left = [w for w in words if w.box[0] + w.box[2] <= x and w.box[1] <= mid <= w.box[1] + w.box[3]]
    return max(left, key=lambda w: w.box[0] + w.box[2], default=None)
