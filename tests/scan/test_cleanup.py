"""Cleanup on generated scans: orientation, skew, borders, spreads, blanks, blur. No OCR here."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitize.devtools import synth
from digitize.scan import cleanup
from ocr.resize import resized

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("skew", [0.0, 2.7, -6.4, 13.5])
def test_orientation_and_skew_recovered(page, rotation, skew):
    scan = synth.turn(synth.skew(page.image, skew), rotation)
    pages = cleanup.clean_scan(scan, 300)
    assert len(pages) == 1
    p = pages[0]
    assert p.rotation == rotation
    assert abs(p.skew_deg - skew) <= 0.5, p.skew_deg
    assert "orientation_uncertain" not in p.warnings
    # Upright and straight again: the longer side is vertical and the text lines are level.
    assert p.gray.shape[0] > p.gray.shape[1]
    mask, _ = cleanup.work_mask(p.gray, 300)
    residual, _ = cleanup.estimate_skew(cleanup.strip_frame(mask), 3)
    assert abs(residual) <= 0.5


def test_rotation_convention_matches_design(page):
    """numpy.rot90(scan, k=rotation // 90) makes the page upright (docs/scan-json.md)."""
    scan = synth.turn(page.image, 90)
    p = cleanup.clean_scan(scan, 300)[0]
    upright = np.rot90(scan, k=p.rotation // 90)
    assert upright.shape == page.image.shape
    assert np.array_equal(upright, page.image)


def test_degraded_scan_with_dark_border(page):
    scan = synth.turn(synth.skew(page.image, 4.0), 180)
    scan = synth.noise(synth.jpeg(synth.dark_border(synth.shadow(scan), 150, seed=3), 50), 6)
    p = cleanup.clean_scan(scan, 300)[0]
    assert p.rotation == 180
    assert abs(p.skew_deg - 4.0) <= 0.5
    h, w = p.gray.shape
    # The dark bed is gone: the crop is about the (skewed) page's size, not the 300 px larger bed.
    assert h < scan.shape[0] - 200 and w < scan.shape[1] - 200
    # No dark band survives along the edges of the cleaned page.
    for edge in (p.gray[:10], p.gray[-10:], p.gray[:, :10], p.gray[:, -10:]):
        assert edge.mean() > 200


def test_a3_spread_split_left_then_right(pages3):
    left, right = pages3[0], pages3[1]
    spread = synth.a3_spread(left, right)
    out = cleanup.clean_scan(spread, 300)
    assert len(out) == 2
    for half, src in zip(out, (left, right), strict=True):
        assert abs(half.gray.shape[1] - src.image.shape[1]) < 40
        # Each half is its own page: compare ink layout with the source page.
        a = cleanup.ink_mask(resized(half.gray, 0.1), 11).mean(axis=1)
        b = cleanup.ink_mask(resized(cleanup.to_gray(src.image), 0.1), 11).mean(axis=1)
        n = min(len(a), len(b))
        assert np.corrcoef(a[:n], b[:n])[0, 1] > 0.9


def test_a3_spread_scanned_sideways(pages3):
    spread = synth.turn(synth.a3_spread(pages3[0], pages3[2]), 270)
    out = cleanup.clean_scan(spread, 300)
    assert len(out) == 2
    assert all(p.rotation == 270 for p in out)


def test_a4_landscape_single_page_not_split(page):
    landscape = synth.turn(page.image, 90)  # a turned A4: landscape but 297 mm wide, too small for a spread
    assert len(cleanup.clean_scan(landscape, 300)) == 1


def test_blank_back_with_bleed_through_is_blank(page):
    back = synth.blank_back(page, bleed=0.08)
    assert (back < 250).mean() > 0.05  # the bleed-through is really there
    p = cleanup.clean_scan(back, 300)[0]
    assert p.blank
    assert "orientation_uncertain" not in p.warnings


def test_page_with_one_short_line_is_not_blank():
    img = synth.render_page(seed=2, header=False, paragraphs=0).image.copy()
    from PIL import Image, ImageDraw

    pil = Image.fromarray(img)
    ImageDraw.Draw(pil).text((400, 600), "Trang này để trống.", font=synth._font("serif", 50), fill=(0, 0, 0))
    p = cleanup.clean_scan(np.asarray(pil), 300)[0]
    assert not p.blank


def test_blur_flagged_only_when_blurred(page):
    sharp = cleanup.clean_scan(page.image, 300)[0]
    blurred = cleanup.clean_scan(synth.blur(page.image, 2.5), 300)[0]
    assert "blurred" not in sharp.warnings
    assert "blurred" in blurred.warnings
    assert blurred.blur_px > sharp.blur_px * 1.5


def test_colour_kept_beside_grey(page):
    tinted = synth.tint(page.image)
    p = cleanup.clean_scan(tinted, 300)[0]
    assert p.color.ndim == 3 and p.gray.ndim == 2
    assert p.color.shape[:2] == p.gray.shape
    # The colour original keeps its tint; the grey OCR image is whitened.
    assert p.color[..., 2].mean() < p.color[..., 0].mean() - 10
    assert np.median(p.gray) >= 250


def test_cut_off_page_flagged_on_the_right_edge(page):
    """The paper slid on the glass: the scan ends inside the text. Whole pages, even skewed and shadowed, pass."""
    h, w = page.image.shape[:2]
    cut = cleanup.clean_scan(page.image[:, : int(w * 0.78)].copy(), 300)[0]
    assert "cut_off" in cut.warnings
    assert cleanup.cut_edges(cut.gray, 300) == ["right"]
    whole = synth.shadow(synth.dark_border(synth.skew(page.image, 2.5), 60, seed=1))
    assert "cut_off" not in cleanup.clean_scan(whole, 300)[0].warnings
    # Its lower part, cut through the top third of a line of text in the middle of the page.
    rows = np.nonzero((cleanup.to_gray(page.image) < 128).any(axis=1))[0]
    starts = rows[np.r_[True, np.diff(rows) > 1]]
    ends = rows[np.r_[np.diff(rows) > 1, True]]
    mid = len(starts) // 2
    through = int(starts[mid] + (ends[mid] - starts[mid]) // 3)
    bottom = cleanup.clean_scan(page.image[through:].copy(), 300)[0]
    assert "top" in cleanup.cut_edges(bottom.gray, 300)


def test_a_blurred_image_deblurred_is_nearer_the_sharp_one():
    """Richardson-Lucy against a known Gaussian blur: the edges steepen and the strokes come back nearer their
    unblurred pixels than the blurred ones stand."""
    sharp = np.full((120, 480), 235, np.uint8)
    cv2.putText(sharp, "Quang Ninh 1988", (10, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 30, 3)
    blurred = cv2.GaussianBlur(sharp, (0, 0), 2.5)
    edge = cleanup.edge_width(blurred)
    restored = cleanup.deblurred(blurred, edge)
    assert cleanup.edge_width(restored) < 0.7 * edge
    far = np.abs(blurred.astype(int) - sharp).mean()
    assert np.abs(restored.astype(int) - sharp).mean() < 0.8 * far
