"""Boxes a form prints for one digit each: an ID number in boxes touching in a strip, standing apart, or on a comb
(a rule under the digits with ticks between them).

Tesseract reads their sides as "|", "[" or "1" among the digits, so prepare erases the sides; and a row of them
holding a number's digits is a place to read again as digits only (digitize.scan.digit_boxes).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

FRAME_HEIGHT_IN = (1 / 14, 1 / 2)  # a box printed for one digit: taller than small print's letters, under half an inch
FRAME_SIDES = 0.85  # share of a frame's left, right and bottom edge (and top, for a box) its ink covers
FRAME_COMB_TEETH = 4  # an open-topped frame is a comb (a rule under the digits, ticks between them), not a "u"
FRAME_HOLLOW = 0.5  # at least this much of a frame's ink lies on its straight sides
# Share of its box a frame's ink may cover: more is a filled shape (a chip, a dark square). A photo's blurred box
# with its digit joined to it covers up to two thirds.
FRAME_FILLED = 0.7
Box = tuple[int, int, int, int]  # x, y, w, h
Components = tuple[int, np.ndarray, np.ndarray]  # cv2.connectedComponentsWithStats's count, labels and stats
ROW_GAP = 1.5  # frames of one row stand at most this many of their heights apart
CELL_BLUR = 0.08  # of a frame's height: the grey rim a blurred side leaves inside its box, past its ink
# The rim left out above and below a cell: half the sides' (a digit stands nearer its box's rules than its sides;
# the whole rim cut a blurred photo's digits' tops: of 33 rows of ID boxes in photos and low resolutions, 21 read
# right with it, 26 with half).
CELL_RIM_V = 0.04
CELL_WIDTH = 0.6  # of a frame's height, the least width between two upright sides that holds a digit
MIDDLE_INK = 0.2  # share of a frame's middle (half its width and height) inked: it holds a mark (an empty box: 0)
ROW_DIGITS = 8  # marks a row of frames holds at least to be a number's (an ID's 12, a CMND's 9)


@dataclass(frozen=True)
class DigitRow:
    """A row of digit frames: the box (x, y, w, h in the page's pixels) of the frames and the marks they hold (a
    comb's digits stand over it), and how many marks those are."""

    box: tuple[int, int, int, int]
    digits: int
    cells: tuple[Box, ...] = ()  # inside each frame, its sides left out, left to right: where a digit stands

    def scaled(self, factor: int) -> DigitRow:
        def times(b: Box) -> Box:
            return (b[0] * factor, b[1] * factor, b[2] * factor, b[3] * factor)

        return DigitRow(times(self.box), self.digits, tuple(map(times, self.cells)))


def components(ink: np.ndarray) -> Components:
    """The ink's connected components (8-connected): their count, label image and boxes with areas."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return n, labels, stats


def frame_mask(ink: np.ndarray, dpi: int) -> np.ndarray:
    """The sides of the digit frames on the page (see find_frames)."""
    return find_frames(ink, dpi)[0]


def find_frames(ink: np.ndarray, dpi: int, parts: Components | None = None) -> tuple[np.ndarray, list[DigitRow]]:
    """The sides of the page's digit frames, and the rows of frames that hold a number. A side is a straight run
    of ink most of the frame's height long; a digit's stroke, even one touching its box, is shorter and stays.
    `parts`: the ink's connected components (count, labels, stats), when already found."""
    n, labels, stats = parts or components(ink)
    out = np.zeros_like(ink)
    found: list[DigitRow] = []
    for i in _frame_shaped(labels, stats, dpi):
        x, y, w, h, _ = stats[i]
        inked = labels[y : y + h, x : x + w] == i
        sides = _sides(inked)
        if sides is None:
            continue
        held, box = _held(i, stats)
        if held:
            out[y : y + h, x : x + w] |= sides
        elif _joined_mark(inked, sides):  # erasing the sides would cut the digit: the frame stays, its row is
            held = 1  # read again from the frames' insides (digitize.scan.digit_boxes)
        else:  # no digit in it (a bold "m" whose feet a smear joined)
            continue
        found.append(DigitRow(box, held, _cells(box, (x, y, w, h), sides)))
    return out, _rows(found)


def _sides(inked: np.ndarray) -> np.ndarray | None:
    """A frame's straight sides, or None when the component is no frame: ink along its left, right and bottom
    edges and its top (a box) or a comb's teeth; mostly straight (a letter curves); not filled (a chip)."""
    sub = inked.astype(np.uint8)
    h = sub.shape[0]
    band = max(2, h // 8)
    left, right = sub[:, :band].any(axis=1).mean(), sub[:, -band:].any(axis=1).mean()
    top, bottom = sub[:band].any(axis=0).mean(), sub[-band:].any(axis=0).mean()
    if min(left, right, bottom) < FRAME_SIDES:
        return None
    run = max(3, round(0.8 * h))
    stems = cv2.morphologyEx(sub, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, run)))
    teeth = np.count_nonzero(np.diff(stems.any(axis=0).astype(np.int8)) == 1) + int(stems[:, 0].any())
    if top < FRAME_SIDES and teeth < FRAME_COMB_TEETH:
        return None
    rules = cv2.morphologyEx(sub, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    sides = stems | rules
    if sides.sum() < FRAME_HOLLOW * sub.sum() or sub.mean() > FRAME_FILLED:
        return None
    return sides


def _cells(held: Box, frame: Box, sides: np.ndarray) -> tuple[Box, ...]:
    """Where a frame's digits stand: between its upright sides (a strip of touching boxes has one more side than
    boxes; a comb's teeth stand between its digits), their mean thickness and blurred rim in from its rules, from
    the top of the marks it holds (a comb's digits stand over its teeth)."""
    x, y, w, h = frame
    t = round(np.count_nonzero(sides) / (2 * (w + h)) + CELL_RIM_V * h)
    top = held[1] if held[1] < y else y + t
    rim = round(CELL_BLUR * h)
    return tuple((x + a + rim, top, b - a - 2 * rim, max(1, y + h - t - top)) for a, b in _between_uprights(sides))


def _between_uprights(sides: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) columns between a frame's upright sides, each at least CELL_WIDTH of its height wide: a
    digit's stroke that blur joined to both rules stands upright too, but closer to a side than a box is wide."""
    h = sides.shape[0]
    stems = cv2.morphologyEx(
        sides, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, round(0.8 * h))))
    )
    edges = np.flatnonzero(np.diff(np.concatenate([[0], stems.any(axis=0).astype(np.int8), [0]])))
    runs = list(zip(edges[::2], edges[1::2], strict=True))  # [start, end) columns of each upright stroke
    if len(runs) < 2:
        return []
    wide, last = CELL_WIDTH * h, runs[-1]
    out, at = [], runs[0][1]
    for start, end in runs[1:]:
        if start - at >= wide and (last[0] - end >= wide or (start, end) == last):
            out.append((at, start))
            at = end
    return out


def _joined_mark(inked: np.ndarray, sides: np.ndarray) -> int:
    """1 when the frame holds a mark that a blurred photo's ink joined to its box, else 0: its middle is inked
    (a "1" joined to both rules is an upright side itself), or its ink, its straight sides taken away, holds a
    mark a third of its height."""
    h, w = inked.shape
    if inked[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4].mean() >= MIDDLE_INK:
        return 1
    rest = (inked & (sides == 0)).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    return int(bool(len(stats) > 1 and stats[1:, 3].max() >= inked.shape[0] / 3))


def _rows(frames: list[DigitRow]) -> list[DigitRow]:
    """Frames side by side at one height joined into rows; the rows holding a number's worth of digits."""
    rows: list[DigitRow] = []
    for f in sorted(frames, key=lambda f: f.box[0]):
        x, y, w, h = f.box
        last = next((r for r in reversed(rows) if _beside(r.box, f.box)), None)
        if last is None:
            rows.append(f)
            continue
        lx, ly, lw, lh = last.box
        x0, y0 = min(lx, x), min(ly, y)
        box = (x0, y0, max(lx + lw, x + w) - x0, max(ly + lh, y + h) - y0)
        rows[rows.index(last)] = DigitRow(box, last.digits + f.digits, last.cells + f.cells)
    return [DigitRow(r.box, r.digits, _level(_evenly(r.cells))) for r in rows if r.digits >= ROW_DIGITS]


def _level(cells: tuple[Box, ...]) -> tuple[Box, ...]:
    """The row's cells at one top and height, the row's median: its boxes are printed alike, and one frame's
    measure is thrown by its digit (a blurred "0" joined to its box took two pixels off its cell's top and
    bottom, and read as a "9")."""
    if not cells:
        return cells
    top, height = (int(np.median([c[k] for c in cells])) for k in (1, 3))
    return tuple((x, top, w, height) for x, _, w, _ in cells)


def _evenly(cells: tuple[Box, ...]) -> tuple[Box, ...]:
    """The row's cells with those of frames not found put back where the row's even pitch says they stand (a
    frame whose digit blurred into it one way, or whose side a speck broke)."""
    if len(cells) < 3:
        return cells
    pitch = float(np.median(np.diff([c[0] for c in cells])))
    if pitch <= 0:
        return cells
    out = [cells[0]]
    for cell in cells[1:]:
        last = out[-1]
        for k in range(1, round((cell[0] - last[0]) / pitch)):
            out.append((round(last[0] + k * pitch), last[1], last[2], last[3]))
        out.append(cell)
    return tuple(out)


def _beside(row: tuple[int, int, int, int], frame: tuple[int, int, int, int]) -> bool:
    rx, ry, rw, rh = row
    x, y, w, h = frame
    overlap = min(ry + rh, y + h) - max(ry, y)
    return overlap >= 0.5 * min(rh, h) and 0 <= x - (rx + rw) <= ROW_GAP * h


def _held(i: int, stats: np.ndarray) -> tuple[int, tuple[int, int, int, int]]:
    """How many marks frame i holds, and the box of the frame with them: marks a third of its height at least,
    between its sides and reaching into it from above (a comb's digits stand over its teeth, up to one and a half
    times their height)."""
    fx, fy, fw, fh, _ = stats[i]
    x, y, w, h = (stats[:, k] for k in range(4))
    centre = x + w / 2
    inside = (centre > fx) & (centre < fx + fw) & (y + h > fy) & (y < fy + fh) & (y >= fy - 1.5 * fh) & (h >= fh / 3)
    inside[[0, i]] = False
    top = int(min(fy, y[inside].min(initial=fy)))
    return int(inside.sum()), (int(fx), top, int(fw), int(fy + fh - top))


def _frame_shaped(labels: np.ndarray, stats: np.ndarray, dpi: int) -> np.ndarray:
    """Components of a frame's height with ink of their own in all four corners of their box and at points along
    its left, right and bottom edges: few letters have that, so the closer look is paid on a handful."""
    x, y, w, h = (stats[:, k] for k in range(4))
    lo, hi = (dpi * f for f in FRAME_HEIGHT_IN)
    idx = np.flatnonzero((h >= lo) & (h <= hi) & (w >= 0.6 * h))
    idx = idx[idx > 0]
    x, y, x1, y1 = x[idx], y[idx], x[idx] + w[idx] - 1, y[idx] + h[idx] - 1
    reach = np.clip(h[idx] // 8, 1, 3)  # how far in a blurred frame's corner may be rounded off, a digit joined
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
