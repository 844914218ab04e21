"""What Tesseract should see: the binarised page without form ruling, digit boxes and dotted leaders.

A form line such as `Họ, chữ đệm, tên: Nguyễn Văn A ............` often comes out garbled as a whole while the
same line without the dots reads exactly; long ruling lines, and the boxes of a number printed a digit to a box
(ocr.frames), do the same to the text that touches them. All are found by morphology and connected components on
the binarised page and painted white. The colour original keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .frames import Components, DigitRow, components, find_frames
from .resize import shrink_by

RULE_MAX_THICKNESS_IN = 1 / 25  # a ruling line is thinner than this; a letter's x-height (about 1/12 in) is not
RULE_MAX_FLANKED = 0.5  # share of a rule's length that may have ink right above and below it (text it crosses)
RULE_SURE_LENGTH_IN = 1.0  # a run this long is ruling or a dark area wherever it stands: no word blurs that long


def binarize(gray: np.ndarray) -> np.ndarray:
    """1 for ink. The page is already whitened, so one global Otsu threshold fits it."""
    _, mask = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def ruling_mask(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Horizontal and vertical runs of ink longer than a third of an inch: ruling, and dark areas (a photo's
    background at the paper's edge) that no letter is part of.

    On a blurred photo enlarged for OCR the letters of a word run together into bars as long ("người", "phường"):
    a run shorter than an inch is ruling only if it is thin and has no ink on both sides along most of its
    length; a bar inside a word stays."""
    length = max(15, dpi // 3)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    sizes = (max(3, round(dpi * RULE_MAX_THICKNESS_IN)), round(dpi * RULE_SURE_LENGTH_IN))
    lines = cv2.bitwise_or(_not_text(horiz, ink, *sizes), _not_text(vert.T, ink.T, *sizes).T)
    return cv2.dilate(lines, np.ones((3, 3), np.uint8))


def _not_text(runs: np.ndarray, ink: np.ndarray, thin: int, sure: int) -> np.ndarray:
    """The horizontal runs that are no blurred word: `sure` pixels long, or at most `thin` thick on average and
    clear of ink just above or just below along most of their length."""
    if not runs.any():
        return runs
    n, labels, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(runs), connectivity=8)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if w >= sure:
            keep[i] = True
        elif area / max(w, 1) <= thin:
            above = ink[max(0, y - thin) : y, x : x + w].any(axis=0)
            below = ink[y + h : y + h + thin, x : x + w].any(axis=0)
            keep[i] = (above & below).mean() < RULE_MAX_FLANKED if above.size and below.size else True
    return keep[labels].astype(np.uint8)


def leader_mask(ink: np.ndarray, dpi: int, blurred: bool = False, parts: Components | None = None) -> np.ndarray:
    """Dots and dashes standing in a row at one height: at least five, closer than a fifteenth of an inch. A
    `blurred` page's dots (a photo or a low-resolution copy, enlarged) are larger discs. `parts`: the ink's
    components, when already found."""
    n, labels, stats = parts or components(ink)
    if n <= 1:
        return np.zeros_like(ink)
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    # A full stop is about 1/60 inch: allow twice that, and short dashes; blurred, a photo's dots reach 1/25 inch.
    # Not on a sharp page: there the letters of small print (a card's, read at half size) are that small.
    dot = max(3, round(dpi / 25) if blurred else dpi // 30)
    small = (h <= dot) & ((w <= 3 * dot) | blurred) & (area >= 2)  # blurred, dots run together into dashes
    small[0] = False
    dots = small[labels].astype(np.uint8)
    gap = max(3, dpi // 15)
    chains = cv2.morphologyEx(dots, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    m, clabels, cstats, _ = cv2.connectedComponentsWithStats(chains, connectivity=8)
    keep = (cstats[:, 2] >= 5 * gap // 2 + 4 * dot) & (cstats[:, 3] <= int(dot * 1.5))
    keep[0] = False
    return (keep[clabels] & (dots > 0)).astype(np.uint8)


def _search_size(ink: np.ndarray, dpi: int) -> tuple[np.ndarray, int, int]:
    """The ink that leader dots and digit frames are searched in, its resolution, and the factor back: half
    resolution above 250 dpi (a quarter of the labelling work)."""
    if dpi < 250:
        return ink, dpi, 1
    return (shrink_by(ink, 2) > 0).astype(np.uint8), dpi // 2, 2


def _full_size(found: np.ndarray, ink: np.ndarray, factor: int) -> np.ndarray:
    """Marks found at the search size drawn back at full size and grown by a pixel: their anti-aliased rims fall
    below Otsu's threshold but would still print as specks."""
    if factor == 1:
        return cv2.dilate(found, np.ones((3, 3), np.uint8))
    if not found.any():
        return np.zeros_like(ink)
    h, w = ink.shape
    big = cv2.resize(cv2.dilate(found, np.ones((3, 3), np.uint8)), (w, h), interpolation=cv2.INTER_NEAREST)
    return cv2.dilate(big & ink, np.ones((3, 3), np.uint8))


def _with_rims(erase: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The erased marks grown over their anti-aliased rims: pixels next to them too light to be ink, which the
    grey page keeps as faint ghost dots and lines. Ink next to them (a letter touching a rule) stays."""
    grown = cv2.dilate(erase, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    return grown & ((ink == 0) | (erase > 0))


@dataclass
class Prepared:
    """What Tesseract reads, and where the page prints a number one digit to a box (to read again as digits)."""

    image: np.ndarray
    digit_rows: list[DigitRow]


def prepare_for_ocr(gray: np.ndarray, dpi: int, grey: bool = False, blurred: bool | None = None) -> np.ndarray:
    """The page with ruling, digit boxes and dotted leaders removed (see prepare)."""
    return prepare(gray, dpi, grey, blurred).image


def prepare(gray: np.ndarray, dpi: int, grey: bool = False, blurred: bool | None = None) -> Prepared:
    """The page with ruling, the sides of digit boxes (ocr.frames) and dotted leaders removed: binarised (black
    ink on white), or with `grey` the whitened grey page with them painted white. A grey page is taken as
    `blurred` (enlarged from a photo or a low resolution: larger leader dots, erased with their rims) unless told
    otherwise; a card's crop, read in grey but sharp, keeps a sharp page's rules.

    Tesseract would threshold the page with the same global Otsu; handing it the binary image saves it about
    15 % of its time on a 300-dpi page with no loss measured on our pages. But its LSTM recogniser reads grey
    levels: on a page enlarged from a low resolution the strokes and tone marks are interpolated greys, and the
    binary image loses what tells "ể" from "ệ" (on the real low-resolution letters and forms, the grey page found
    twice the labelled lines).
    """
    blurred = grey if blurred is None else blurred
    ink = binarize(gray)
    small, at, factor = _search_size(ink, dpi)
    parts = components(small)  # one labelling for both searches
    frames, rows = find_frames(small, at, parts)
    leaders = leader_mask(small, at, blurred, parts)
    erase = ruling_mask(ink, dpi) | _full_size(frames, ink, factor) | _full_size(leaders, ink, factor)
    rows = [row.scaled(factor) for row in rows]
    if grey:
        out = gray.copy()
        out[(_with_rims(erase, ink) if blurred else erase) > 0] = 255
        return Prepared(out, rows)
    ink[erase > 0] = 0
    return Prepared((1 - ink) * 255, rows)
