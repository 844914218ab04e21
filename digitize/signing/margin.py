"""Where on a page the e-copy's stamp goes: a box of free margin, found by measuring the ink of the page image.

Vietnamese papers carry the agency and the national motto across the top (the motto at the top right) and the
signatures and seals at the bottom right of the text, so no fixed corner is safe. `free_spot` slides the stamp's box
over the page and keeps the lowest, then rightmost, position with no ink within `clearance` of it; when no such
position exists at full size it tries smaller sizes, and when none is free even at the smallest it returns the
position with the least ink and says so (`Spot.free` is False). A pure function of the image: no PDF, no file.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

INK_LEVEL = 192  # grey below this is ink: text strokes anti-aliased at 72 dpi are 60-180, a scan's paper 220+
SPECK_PIXELS = 2  # a connected blot this small is dust or JPEG noise, not text
SCALES = (1.0, 0.9, 0.8, 0.7)  # 0.7 keeps a 22 mm stamp's QR code above 15 mm: still scans from a printout


@dataclass(frozen=True)
class Spot:
    """The stamp's box in the image's pixels (origin top left), the size it was shrunk to, and the ink pixels
    within `clearance` of it (0 when `free`)."""

    x: int
    y: int
    w: int
    h: int
    scale: float
    ink: int

    @property
    def free(self) -> bool:
        return self.ink == 0

    def note(self) -> str:
        """A sentence for the log: why the stamp is smaller than usual or over the page's ink."""
        if not self.free:
            return f"no free margin for the stamp: placed at {self.scale:.0%} size over {self.ink} ink pixels"
        if self.scale < 1:
            return f"the stamp was shrunk to {self.scale:.0%} to fit a free margin"
        return ""


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """1 where the page has ink, specks of dust left out."""
    ink = (gray < INK_LEVEL).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= SPECK_PIXELS)
    small = small[small != 0]  # label 0 is the background
    if small.size:
        ink[np.isin(labels, small)] = 0
    return ink


def _window_ink(near: np.ndarray, w: int, h: int, edge: int) -> np.ndarray:
    """Ink pixels under the box at every top-left corner (rows y, columns x) that keeps `edge` from the borders;
    from the integral image, so every position costs four look-ups."""
    total = cv2.integral(near, sdepth=cv2.CV_32S)
    rows, cols = near.shape
    ys = np.arange(edge, rows - edge - h + 1)
    xs = np.arange(edge, cols - edge - w + 1)
    if ys.size == 0 or xs.size == 0:
        return np.empty((0, 0), np.int64)
    y0, x0 = ys[:, None], xs[None, :]
    return (total[y0 + h, x0 + w] - total[y0, x0 + w] - total[y0 + h, x0] + total[y0, x0]).astype(np.int64)


def _best(counts: np.ndarray, edge: int, lowest_only: bool) -> tuple[int, int, int] | None:
    """(ink, y, x) of the lowest then rightmost position with the least ink; None when `lowest_only` (free spots
    only) and every position has ink."""
    if counts.size == 0:
        return None
    least = int(counts.min())
    if lowest_only and least > 0:
        return None
    ys, xs = np.nonzero(counts == least)
    i = int(np.lexsort((xs, ys))[-1])  # the last by (y, x): lowest row, then rightmost in it
    return least, int(ys[i]) + edge, int(xs[i]) + edge


def free_spot(gray: np.ndarray, w: int, h: int, edge: int, clearance: int, scales: tuple[float, ...] = SCALES) -> Spot:
    """The stamp's box (`w` x `h` pixels at full size) on the page image `gray`, at least `edge` pixels inside the
    page and `clearance` pixels from any ink; see the module docstring for the order of preference."""
    ink = ink_mask(gray)
    if clearance > 0:
        ink = cv2.dilate(ink, np.ones((2 * clearance + 1, 2 * clearance + 1), np.uint8))
    fallback: Spot | None = None
    for scale in scales:
        sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
        counts = _window_ink(ink, sw, sh, edge)
        found = _best(counts, edge, lowest_only=True)
        if found is not None:
            return Spot(found[2], found[1], sw, sh, scale, 0)
        least = _best(counts, edge, lowest_only=False)
        if least is not None:
            fallback = Spot(least[2], least[1], sw, sh, scale, least[0])
    if fallback is None:  # the page is smaller than the stamp: its top left corner, whole
        return Spot(0, 0, w, h, 1.0, int(ink.sum()))
    return fallback
