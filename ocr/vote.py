"""Two readings of one page's words, voted word by word on their marks.

A page enlarged from a low resolution (a 94-dpi screenshot, a 70-dpi copy) is read enlarged: most words read
better so. Some lose a mark: interpolation smooths a tone mark three pixels long into the circumflex under it
("Nếu" read "Nêu"). Read again at its own size, the page gives each word a second reading; where the two readings
of one word differ in their marks alone, the one Tesseract is surer of stands. Readings that differ in letters are
left as the enlarged page read them: at its own size a page reads more noise ("Trung t&m") as surely.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import numpy as np

from .tesseract import Word

SAME_WORD = 0.6  # the overlap (intersection over union) of two boxes that are one word read twice
TOUCHING = 0.2  # the part of a box another box covers that makes them share ink


def voted(words: list[Word], other: list[Word], scale: float) -> list[Word]:
    """`words` with each one that `other` (boxes in pixels `scale` times smaller) read more surely with other
    marks in its place: its text and confidence, the box kept. Only where the two boxes are one word's and
    neither shares ink with another word of the other reading: where one reading split or joined words, neither's
    is the other's."""
    if not words or not other:
        return words
    a = np.array([w.box for w in words], dtype=np.float64)
    b = np.array([w.box for w in other], dtype=np.float64) * scale
    inter = _intersections(a, b)
    area_a, area_b = a[:, 2] * a[:, 3], b[:, 2] * b[:, 3]
    touch = inter >= TOUCHING * np.maximum(1, np.minimum(area_a[:, None], area_b[None, :]))
    same = inter >= SAME_WORD * np.maximum(1, area_a[:, None] + area_b[None, :] - inter)
    alone = (touch.sum(axis=1) == 1)[:, None] & (touch.sum(axis=0) == 1)[None, :]
    out = list(words)
    for i, j in zip(*np.nonzero(same & touch & alone), strict=True):
        two = other[j]
        if two.text != words[i].text and _letters(two.text) == _letters(words[i].text) and two.conf > words[i].conf:
            out[i] = replace(words[i], text=two.text, conf=two.conf)
    return out


def _intersections(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The area each [x, y, w, h] box of `a` shares with each of `b` (rows: a's)."""
    a0, a1 = a[:, None, :2], a[:, None, :2] + a[:, None, 2:]  # corners, broadcast against b's
    b0, b1 = b[None, :, :2], b[None, :, :2] + b[None, :, 2:]
    sides = np.clip(np.minimum(a1, b1) - np.maximum(a0, b0), 0, None)
    return sides[..., 0] * sides[..., 1]


def _letters(text: str) -> str:
    """A word's letters without their marks (đ's bar one of them): two readings of it that differ in these differ
    in more than marks."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")
