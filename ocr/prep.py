"""What Tesseract should see: the binarised page without form ruling and dotted leaders.

A form line such as `Họ, chữ đệm, tên: Nguyễn Văn A ............` often comes out garbled as a whole while the
same line without the dots reads exactly; long ruling lines do the same to the text that touches them. Both are
found by morphology on the binarised page and painted white. The colour original keeps them.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

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


FRAME_HEIGHT_IN = (1 / 14, 1 / 2)  # a box printed for one digit: taller than small print's letters, under half an inch
FRAME_SIDES = 0.85  # share of a frame's left, right and bottom edge (and top, for a box) its ink covers
FRAME_COMB_TEETH = 4  # an open-topped frame is a comb (a rule under the digits, ticks between them), not a "u"
FRAME_HOLLOW = 0.5  # at least this much of a frame's ink lies on its straight sides
FRAME_FILLED = 0.6  # share of its box a frame's ink may cover: more is a filled shape (a chip, a dark square)


def frame_mask(ink: np.ndarray, dpi: int) -> np.ndarray:
    """The sides of boxes a form prints for one digit each (an ID number in boxes touching in a strip, standing
    apart, or a comb): Tesseract reads them as "|", "[" or "1" among the digits. A side is a straight run of ink
    most of the frame's height long; a digit's stroke, even one touching its box, is shorter and stays."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    out = np.zeros_like(ink)
    for i in _frame_shaped(labels, stats, dpi):
        x, y, w, h, _ = stats[i]
        sub = (labels[y : y + h, x : x + w] == i).astype(np.uint8)
        band = max(2, h // 8)
        left, right = sub[:, :band].any(axis=1).mean(), sub[:, -band:].any(axis=1).mean()
        top, bottom = sub[:band].any(axis=0).mean(), sub[-band:].any(axis=0).mean()
        if min(left, right, bottom) < FRAME_SIDES:
            continue
        run = max(3, round(0.8 * h))
        stems = cv2.morphologyEx(sub, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, run)))
        teeth = np.count_nonzero(np.diff(stems.any(axis=0).astype(np.int8)) == 1) + int(stems[:, 0].any())
        if top < FRAME_SIDES and teeth < FRAME_COMB_TEETH:
            continue
        rules = cv2.morphologyEx(sub, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
        sides = stems | rules
        if sides.sum() < FRAME_HOLLOW * sub.sum() or sub.mean() > FRAME_FILLED or not _holds_ink(i, stats):
            continue  # mostly curves (a letter), filled (a chip, a dark square), or no digit in it (a bold "m")
        out[y : y + h, x : x + w] |= sides
    return out


def _holds_ink(i: int, stats: np.ndarray) -> bool:
    """Whether a frame holds a digit: another mark, a third of its height at least, between its sides and
    reaching into it from above (a comb's digits stand over its teeth, up to one and a half times their height)."""
    fx, fy, fw, fh, _ = stats[i]
    x, y, w, h = (stats[:, k] for k in range(4))
    centre = x + w / 2
    inside = (centre > fx) & (centre < fx + fw) & (y + h > fy) & (y < fy + fh) & (y >= fy - 1.5 * fh) & (h >= fh / 3)
    inside[[0, i]] = False
    return bool(inside.any())


def _frame_shaped(labels: np.ndarray, stats: np.ndarray, dpi: int) -> np.ndarray:
    """Components of a frame's height with ink of their own in all four corners of their box and at points along
    its left, right and bottom edges: few letters have that, so the closer look is paid on a handful."""
    x, y, w, h = (stats[:, k] for k in range(4))
    lo, hi = (dpi * f for f in FRAME_HEIGHT_IN)
    idx = np.flatnonzero((h >= lo) & (h <= hi) & (w >= 0.6 * h))
    idx = idx[idx > 0]
    x, y, x1, y1 = x[idx], y[idx], x[idx] + w[idx] - 1, y[idx] + h[idx] - 1
    reach = np.clip(h[idx] // 12, 1, 2)  # how far in a blurred frame's corner may be rounded off
    ok = np.ones(len(idx), bool)
    for cx, cy, dx, dy in ((x, y, 1, 1), (x1, y, -1, 1), (x, y1, 1, -1), (x1, y1, -1, -1)):
        ok &= _inked_near(labels, idx, cx, cy, dx, dy, reach)
    for t in (0.3, 0.5, 0.7):  # "H", "M", "X" have ink in their corners, not half-way along all three edges
        along_x, along_y = np.round(x + t * (x1 - x)).astype(int), np.round(y + t * (y1 - y)).astype(int)
        ok &= _inked_near(labels, idx, along_x, y1, 0, -1, reach) & _inked_near(labels, idx, x, along_y, 1, 0, reach)
        ok &= _inked_near(labels, idx, x1, along_y, -1, 0, reach)
    return idx[ok]


def _inked_near(
    labels: np.ndarray, idx: np.ndarray, cx: np.ndarray, cy: np.ndarray, dx: int, dy: int, reach: np.ndarray
) -> np.ndarray:
    """Whether each component has ink at its point or up to `reach` pixels inward (dx, dy: the direction in)."""
    near = np.zeros(len(idx), bool)
    for k in range(int(reach.max(initial=0)) + 1):
        for ox, oy in {(k * dx, 0), (0, k * dy), (k * dx, k * dy)}:
            near |= (labels[cy + oy, cx + ox] == idx) & (k <= reach)
    return near


def leader_mask(ink: np.ndarray, dpi: int, blurred: bool = False) -> np.ndarray:
    """Dots and dashes standing in a row at one height: at least five, closer than a fifteenth of an inch. A
    `blurred` page's dots (a photo or a low-resolution copy, enlarged) are larger discs."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
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


def _full_size(find: Callable[[np.ndarray, int], np.ndarray], ink: np.ndarray, dpi: int) -> np.ndarray:
    """Marks (leader dots, digit frames) found at half resolution (a quarter of the labelling work), drawn back at
    full size and grown by a pixel: their anti-aliased rims fall below Otsu's threshold but would still print as
    specks."""
    if dpi < 250:
        return cv2.dilate(find(ink, dpi), np.ones((3, 3), np.uint8))
    h, w = ink.shape
    half = (shrink_by(ink, 2) > 0).astype(np.uint8)
    found = find(half, dpi // 2)
    if not found.any():
        return np.zeros_like(ink)
    big = cv2.resize(cv2.dilate(found, np.ones((3, 3), np.uint8)), (w, h), interpolation=cv2.INTER_NEAREST)
    return cv2.dilate(big & ink, np.ones((3, 3), np.uint8))


def _with_rims(erase: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The erased marks grown over their anti-aliased rims: pixels next to them too light to be ink, which the
    grey page keeps as faint ghost dots and lines. Ink next to them (a letter touching a rule) stays."""
    grown = cv2.dilate(erase, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    return grown & ((ink == 0) | (erase > 0))


def prepare_for_ocr(gray: np.ndarray, dpi: int, grey: bool = False, blurred: bool | None = None) -> np.ndarray:
    """The page with ruling and dotted leaders removed: binarised (black ink on white), or with `grey` the
    whitened grey page with them painted white. A grey page is taken as `blurred` (enlarged from a photo or a low
    resolution: larger leader dots, erased with their rims) unless told otherwise; a card's crop, read in grey
    but sharp, keeps a sharp page's rules.

    Tesseract would threshold the page with the same global Otsu; handing it the binary image saves it about
    15 % of its time on a 300-dpi page with no loss measured on our pages. But its LSTM recogniser reads grey
    levels: on a page enlarged from a low resolution the strokes and tone marks are interpolated greys, and the
    binary image loses what tells "ể" from "ệ" (on the real low-resolution letters and forms, the grey page found
    twice the labelled lines).
    """
    blurred = grey if blurred is None else blurred
    ink = binarize(gray)
    leaders = _full_size(lambda mask, at: leader_mask(mask, at, blurred), ink, dpi)
    erase = ruling_mask(ink, dpi) | _full_size(frame_mask, ink, dpi) | leaders
    if grey:
        out = gray.copy()
        out[(_with_rims(erase, ink) if blurred else erase) > 0] = 255
        return out
    ink[erase > 0] = 0
    return (1 - ink) * 255
