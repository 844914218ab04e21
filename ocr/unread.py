"""Ink that no word covers, read again.

Tesseract's page layout drops a short word standing alone in a table cell ("Bố" after "Quan hệ với người được
khai sinh", the "Tĩnh" an address wraps onto): in the image, not in the text. The ink left uncovered by the page's
words is grouped into text-line-sized pieces; all of them are read over a strip that stacks them (one Tesseract
run, two where the first left a piece unread; not one per piece), and the words read with confidence go back to the
page where the piece was, each piece a line of its own placed after the line above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import median

import cv2
import numpy as np

from .layout import centre_inside
from .prep import binarize
from .resize import shrink_by
from .tesseract import Word, ocr_image

MIN_CONF = 0.5  # a stamp's or a signature's strokes read as words are unsure
MAX_PIECES = 40  # more than this uncovered is a picture or a seal, not words Tesseract skipped
LOWEST, TALLEST = 0.3, 2.2  # a piece's height against the page's words' (their boxes take in marks and tails)
DENSEST = 0.85  # share of a piece's box that is ink: blurred print runs its letters together; a dark area is 1
BLOCK_BASE = 5000  # block numbers of pieces with no line above, after any the page or its cards use
PAR_BASE = 5000  # paragraph numbers of pieces joining the block of the line above them
# The strip is read as a block of text (6) and, where that left a piece unread, as sparse text (11); each piece
# keeps the reading with more sure letters. As a block, Tesseract ran a stack of leader-dotted pieces into noise
# ("bày ĐC Na 2 CC Sa" for "Ngày, tháng, năm sinh: 22/11/1998"), which sparse text read whole; as sparse text it
# dropped a lone word ("Giang"). The second run costs a form page 80-150 ms: only where it may help.
BLOCK_PSM, SPARSE_PSM = 6, 11


@dataclass
class Piece:
    x: int
    y: int
    w: int
    h: int


def uncovered(image: np.ndarray, words: list[Word]) -> list[Piece]:
    """Text-line-sized pieces of ink (black on white) that no word's box covers: as tall as the page's words
    (LOWEST to TALLEST times), at least a letter wide, as dense as print. None when there are more than MAX_PIECES."""
    h = _word_height(words)
    if not h:
        return []
    ink = binarize(image)  # Otsu's, not half-way: a blurred page enlarged and read in grey prints lighter
    pad = max(2, h // 3)
    for w in words:
        x, y, bw, bh = w.box
        ink[max(0, y - pad) : y + bh + pad, max(0, x - pad) : x + bw + pad] = 0
    # Found at about 8 pixels a line (a tenth of the labelling work of the full page), letters of a word and a
    # letter's marks above it joined into one piece, not the next line of a table's rows; measured at full size.
    f = max(1, h // 8)
    small = shrink_by(ink * 255, f)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, h // f), max(1, h // (3 * f))))
    joined = cv2.morphologyEx((small > 0).astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    pieces = []
    for sx, sy, sw, sh, _ in stats[1:]:
        x, y, bw, bh = cv2.boundingRect(ink[sy * f : (sy + sh) * f, sx * f : (sx + sw) * f])  # the ink's own box
        x, y = x + int(sx) * f, y + int(sy) * f
        if LOWEST * h <= bh <= TALLEST * h and bw >= 0.8 * h and 0.05 <= ink[y : y + bh, x : x + bw].mean() <= DENSEST:
            # Grown back over the margin the words' boxes were grown by: a tone mark or a T's bar reaches into it.
            top, bottom = max(0, y - pad), min(image.shape[0], y + bh + pad)
            pieces.append(Piece(x, top, bw, bottom - top))
    return pieces if len(pieces) <= MAX_PIECES else []


def read_uncovered(
    image: np.ndarray, words: list[Word], dpi: int, lang: str, skip: Sequence[Sequence[int]] = ()
) -> list[Word]:
    """The page's words with those read in its uncovered pieces put in, each piece's after the line above it;
    pieces inside the areas to `skip` ([x, y, w, h]: cards read from their own crops) are left."""
    pieces = [p for p in uncovered(image, words) if not any(centre_inside((p.x, p.y, p.w, p.h), a) for a in skip)]
    words, pieces = _flat_boxes_grown(words, pieces)
    pieces.sort(key=lambda p: (p.y, p.x))
    if not pieces:
        return words
    pad = max(4, int(median(p.h for p in pieces)) // 2)
    width = max(p.w for p in pieces) + 2 * pad
    tiles, tops = [], []
    for p in pieces:
        tile = np.full((p.h + 2 * pad, width), 255, np.uint8)
        tile[pad : pad + p.h, pad : pad + p.w] = image[p.y : p.y + p.h, p.x : p.x + p.w]
        tops.append(sum(t.shape[0] for t in tiles))
        tiles.append(tile)
    strip = np.vstack(tiles)
    bands = [(top, top + p.h + 2 * pad) for top, p in zip(tops, pieces, strict=True)]
    readings = [ocr_image(strip, dpi, lang=lang, psm=BLOCK_PSM, want_pdf=False).words]
    if any(not _tile_words(readings[0], *band) for band in bands):  # a piece left unread: read again, sparse
        readings.append(ocr_image(strip, dpi, lang=lang, psm=SPARSE_PSM, want_pdf=False).words)
    out = list(words)
    for k, (p, (top, bottom)) in enumerate(zip(pieces, bands, strict=True)):
        read = max((_tile_words(r, top, bottom) for r in readings), key=lambda ws: sum(len(w.text) for w in ws))
        if not read:
            continue
        at, above = _after_line_above(out, p)
        # A line of its own, in the block of the line above it (the same cell or paragraph) when there is one.
        block, par = (above.block, PAR_BASE + k) if above else (BLOCK_BASE + k, 1)
        out[at:at] = [
            Word(w.text, w.conf, (w.box[0] - pad + p.x, w.box[1] - top - pad + p.y, w.box[2], w.box[3]), block, par, 1)
            for w in read
        ]
    return out


def _tile_words(words: list[Word], top: int, bottom: int) -> list[Word]:
    """The sure words read in the strip between top and bottom (one piece's tile), left to right."""
    inside = (w for w in words if top <= w.box[1] + w.box[3] / 2 < bottom and _sure_word(w))
    return sorted(inside, key=lambda w: w.box[0])


def _word_height(words: Sequence[Word]) -> int:
    """The page's words' usual height (0 when it has none with a letter or digit)."""
    heights = [w.box[3] for w in words if any(c.isalnum() for c in w.text)]
    return int(median(heights)) if heights else 0


def _flat_boxes_grown(words: Sequence[Word], pieces: list[Piece]) -> tuple[list[Word], list[Piece]]:
    """A word with letters whose box Tesseract drew round its leader dots alone ("Vinh……" boxed a dotted line's
    height under the name): the uncovered ink over that box, within its width, is its letters. The box grows over
    it, so the word stays in its line, and the piece is not read again as a line of its own."""
    h, out, left = _word_height(words), list(words), []
    for p in pieces:
        i = next((i for i, w in enumerate(out) if _flat(w, h) and _over(p, w.box, h)), None)
        if i is None:
            left.append(p)
            continue
        x, y, bw, bh = out[i].box
        x0, y0 = min(x, p.x), min(y, p.y)
        box = (x0, y0, max(x + bw, p.x + p.w) - x0, max(y + bh, p.y + p.h) - y0)
        out[i] = replace(out[i], box=box)
    return out, left


def _flat(w: Word, h: int) -> bool:
    """A word of letters then leader dots whose box is too low for its letters."""
    return bool(_LETTERS_THEN_DOTS.match(w.text)) and w.box[3] < LOWEST * h


_LETTERS_THEN_DOTS = re.compile(r"\w{2,}[.…_·]{3,}")


def _over(p: Piece, box: tuple[int, int, int, int], h: int) -> bool:
    """Whether the piece stands within the box's width, touching its top (or overlapping it)."""
    x, y, bw, _ = box
    return x - h / 2 <= p.x and p.x + p.w <= x + bw + h / 2 and y - h / 2 <= p.y + p.h and p.y <= y


def _sure_word(w: Word) -> bool:
    """Read with confidence, and more than a lone letter or digit (more often a speck of a stamp)."""
    return w.conf >= MIN_CONF and sum(c.isalnum() for c in w.text) >= 2


def _after_line_above(words: list[Word], p: Piece) -> tuple[int, Word | None]:
    """Where in the word list a piece's words go, and a word of the line they follow: after the last word of the
    nearest line above the piece that overlaps it across; at the end when there is none."""
    above = [
        (w.box[1] + w.box[3], i)
        for i, w in enumerate(words)
        if w.box[1] + w.box[3] <= p.y + p.h / 2 and w.box[0] < p.x + p.w and w.box[0] + w.box[2] > p.x
    ]
    if not above:
        return len(words), None
    anchor = words[max(above)[1]]
    key = _line_key(anchor)
    return max(i for i, w in enumerate(words) if _line_key(w) == key) + 1, anchor


def _line_key(w: Word) -> tuple[int, int, int]:
    return w.block, w.par, w.line
