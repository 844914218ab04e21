"""Where the e-copy's stamp goes (`margin.free_spot`), measured on generated official pages: the free margin, never
the agency and motto at the top nor the text; shrunk when only a smaller box is free; the least ink when none is."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitize.devtools import synth
from digitize.signing import margin

pytestmark = pytest.mark.reading

DPI = 72  # as ecopy measures a page: a pixel a point
MM = DPI / 25.4
W, H, EDGE, CLEAR = round(75 * MM), round(22 * MM), round(5 * MM), round(2 * MM)


def page(paragraphs: int, seed: int = 3) -> np.ndarray:
    rendered = synth.render_page(seed=seed, dpi=DPI, paragraphs=paragraphs, header=True)
    return cv2.cvtColor(rendered.image, cv2.COLOR_RGB2GRAY)


def blots(gray: np.ndarray, from_row: int = 0) -> None:
    """A grid of 3 x 3 dots from `from_row` down: ink (more than a speck) all over, margins too."""
    for dy in range(3):
        for dx in range(3):
            gray[from_row + dy :: 12, dx::9] = 0


def dark_under(gray: np.ndarray, spot: margin.Spot, pad: int = 0) -> int:
    """Dark pixels under the spot, counted straight on the image (not with the module's own mask)."""
    return int((gray[spot.y - pad : spot.y + spot.h + pad, spot.x - pad : spot.x + spot.w + pad] < 128).sum())


def test_half_page_gets_a_full_size_stamp_low_and_right_in_free_margin():
    gray = page(paragraphs=2)
    spot = margin.free_spot(gray, W, H, EDGE, CLEAR)
    assert spot.free and spot.scale == 1.0 and (spot.w, spot.h) == (W, H) and spot.note() == ""
    assert dark_under(gray, spot, pad=CLEAR) == 0
    rows, cols = gray.shape
    assert spot.y + spot.h == rows - EDGE and spot.x + spot.w == cols - EDGE  # the bottom right corner


def test_head_of_the_page_is_never_chosen_even_when_the_rest_is_full():
    gray = page(paragraphs=40, seed=5)
    blots(gray, gray.shape[0] - round(25 * MM))  # the bottom margin filled: only gaps by the head remain
    spot = margin.free_spot(gray, W, H, EDGE, CLEAR)
    assert spot.free and spot.scale < 1.0 and "shrunk" in spot.note()
    assert dark_under(gray, spot, pad=CLEAR) == 0
    motto = gray[: round(40 * MM), gray.shape[1] // 2 :] < 128  # the motto, top right
    assert motto.any() and spot.y >= np.flatnonzero(motto.any(axis=1)).max() + CLEAR  # below it, if beside


def test_no_free_margin_gives_the_smallest_stamp_over_the_least_ink():
    gray = page(paragraphs=40, seed=5)
    blots(gray)
    spot = margin.free_spot(gray, W, H, EDGE, CLEAR)
    assert not spot.free and spot.scale == margin.SCALES[-1] and "no free margin" in spot.note()
    assert spot.ink == naive_least_ink(gray, spot.w, spot.h)


def naive_least_ink(gray: np.ndarray, w: int, h: int) -> int:
    """The least dilated ink under any w x h box, every position tried one by one."""
    ink = cv2.dilate(margin.ink_mask(gray), np.ones((2 * CLEAR + 1, 2 * CLEAR + 1), np.uint8)).astype(np.int64)
    rows, cols = ink.shape
    return min(int(ink[y : y + h, x : x + w].sum()) for y in range(EDGE, rows - EDGE - h + 1, 3)
               for x in range(EDGE, cols - EDGE - w + 1, 3))  # fmt: skip


def test_matches_a_search_position_by_position_on_small_random_pages():
    rng = np.random.default_rng(7)
    for _ in range(20):
        gray = np.full((40, 50), 255, np.uint8)
        for _ in range(rng.integers(1, 6)):
            y, x = rng.integers(0, 37), rng.integers(0, 47)
            gray[y : y + 3, x : x + 3] = 0  # 3x3 blots: more than a speck
        spot = margin.free_spot(gray, 12, 6, 2, 1, scales=(1.0,))
        ink = cv2.dilate(margin.ink_mask(gray), np.ones((3, 3), np.uint8)).astype(int)
        counts = {(y, x): ink[y : y + 6, x : x + 12].sum() for y in range(2, 40 - 2 - 6 + 1)
                  for x in range(2, 50 - 2 - 12 + 1)}  # fmt: skip
        least = min(counts.values())
        best = max(pos for pos, n in counts.items() if n == least)  # lowest, then rightmost
        assert (spot.y, spot.x, spot.ink) == (*best, least)


def test_specks_of_dust_do_not_count_as_ink():
    gray = np.full((100, 100), 255, np.uint8)
    gray[50, 50] = gray[10, 80] = 0
    assert margin.ink_mask(gray).sum() == 0
    gray[20:24, 20:24] = 0
    assert margin.ink_mask(gray).sum() == 16
