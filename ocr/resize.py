"""Resizing that stays on OpenCV's fast path.

OpenCV averages whole blocks (a shrink by exactly 2, 3, 4…) about three times faster than it shrinks by a
fraction, and it takes the fast path only when the source divides exactly: a 300-dpi A4 page (2480 px wide) shrunk
to 100 dpi (827 px) is a fractional shrink, 15 ms instead of 5. A page is resized a dozen times on its way
through cleanup, so every shrink goes through here.
"""

from __future__ import annotations

import cv2
import numpy as np


def shrink_by(img: np.ndarray, n: int) -> np.ndarray:
    """`img` shrunk by the whole factor `n`, each output pixel the mean of an n × n block. The last rows and
    columns that make no whole block (fewer than n) are left out."""
    if n <= 1:
        return img
    h, w = img.shape[:2]
    return cv2.resize(img[: h // n * n, : w // n * n], (w // n, h // n), interpolation=cv2.INTER_AREA)


def resized(img: np.ndarray, factor: float) -> np.ndarray:
    """`img` scaled by `factor` to round(size × factor): a shrink averages whole blocks first, then takes the
    small fractional rest on the small image; an enlargement interpolates linearly."""
    if abs(factor - 1.0) < 1e-3:
        return img
    h, w = img.shape[:2]
    size = (max(1, int(round(w * factor))), max(1, int(round(h * factor))))
    if factor > 1:
        return cv2.resize(img, size, interpolation=cv2.INTER_LINEAR)
    small = shrink_by(img, int(1 / factor + 1e-6))
    if small.shape[1] == size[0] and small.shape[0] == size[1]:
        return small
    return cv2.resize(small, size, interpolation=cv2.INTER_AREA)
