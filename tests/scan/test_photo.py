"""Phone photos of papers: the generated photo itself, finding the sheet, flattening it, evening out the light,
scans left alone, and what Tesseract reads before and after."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitize.devtools import synth
from digitize.scan import intake, photo, textsize
from digitize.scan.cleanup import whiten
from ocr.tesseract import ocr_image, plain_read
from ocr.text import cer

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)


@pytest.fixture(scope="module")
def letter() -> synth.RenderedPage:
    return synth.render_page(seed=3, dpi=300, pt=13, paragraphs=4)


@pytest.fixture(scope="module")
def receipt() -> synth.RenderedPage:
    return synth.render_page(seed=4, dpi=300, pt=10, size_mm=(80.0, 220.0), header=False, paragraphs=3)


def diagonal(img: np.ndarray) -> float:
    return float(np.hypot(*img.shape[:2]))


def corner_error(found: np.ndarray, truth: np.ndarray, img: np.ndarray) -> float:
    """The worst corner's distance, as a share of the picture's diagonal."""
    return float(np.linalg.norm(found - truth, axis=1).max()) / diagonal(img)


def test_photograph_is_a_phone_picture(letter):
    for seed in range(4):
        shot = synth.photograph(letter.image, np.random.default_rng(seed))
        h, w = shot.image.shape[:2]
        assert 0.95e6 <= h * w <= 3.05e6 and h > w
        assert np.all((shot.corners >= 0) & (shot.corners < [w, h]))
        # Seen at an angle: not a rectangle, and the sheet covers part of the picture only.
        sides = np.linalg.norm(np.roll(shot.corners, -1, axis=0) - shot.corners, axis=1)
        assert abs(sides[0] / sides[2] - 1) > 0.01 or abs(sides[1] / sides[3] - 1) > 0.01
        assert 0.2 < cv2.contourArea(shot.corners) / (h * w) < 0.75


@pytest.mark.parametrize("background", synth.PHOTO_BACKGROUNDS)
@pytest.mark.parametrize("seed", range(4))
def test_paper_found_within_2_percent(letter, background, seed):
    shot = synth.photograph(letter.image, np.random.default_rng(seed), background=background)
    found = photo.find_paper(shot.image)
    assert found is not None
    assert corner_error(found, shot.corners, shot.image) <= 0.02


def test_receipt_found_and_keeps_its_shape(receipt):
    for seed in range(3):
        shot = synth.photograph(receipt.image, np.random.default_rng(seed))
        found = photo.find_paper(shot.image)
        assert found is not None and corner_error(found, shot.corners, shot.image) <= 0.02
        flat = photo.flatten(shot.image, found)
        # No paper size near 220 / 80: the measured shape is kept, not snapped to A4.
        assert abs(flat.shape[0] / flat.shape[1] / (220 / 80) - 1) <= 0.05, flat.shape


def test_flatten_is_upright_with_the_sheets_aspect_and_resolution(letter):
    shot = synth.photograph(letter.image, np.random.default_rng(7), tilt=0.1)
    found = photo.find_paper(shot.image)
    flat = photo.flatten(shot.image, found)
    h, w = flat.shape[:2]
    assert abs(h / w - np.sqrt(2)) <= 0.01  # A4, snapped
    # Never fewer pixels than the picture gave the sheet along any side.
    c = photo.order_corners(found)
    assert h >= max(np.linalg.norm(c[3] - c[0]), np.linalg.norm(c[2] - c[1])) - 1
    assert w >= max(np.linalg.norm(c[1] - c[0]), np.linalg.norm(c[2] - c[3])) - 1
    # Upright and not mirrored: the flattened page looks like the rendered one (compared at paragraph scale).
    size = (w // 8, h // 8)
    source = cv2.resize(cv2.cvtColor(letter.image, cv2.COLOR_RGB2GRAY), size, interpolation=cv2.INTER_AREA)
    ours = cv2.resize(whiten(cv2.cvtColor(flat, cv2.COLOR_RGB2GRAY), 300), size, interpolation=cv2.INTER_AREA)

    def likeness(ref: np.ndarray) -> float:
        a, b = ours.astype(np.float32), np.ascontiguousarray(ref).astype(np.float32)
        return float(cv2.matchTemplate(a, b, cv2.TM_CCOEFF_NORMED)[0, 0])

    same, mirrored, turned = likeness(source), likeness(source[:, ::-1]), likeness(source[::-1, ::-1])
    assert same > 0.8 and same > mirrored + 0.1 and same > turned + 0.5, (same, mirrored, turned)


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p,
        lambda p: np.full_like(p, 255),
        lambda p: synth.tint(p),
        lambda p: synth.dark_border(p, 150, seed=1),
        lambda p: synth.dark_border(synth.skew(p, 4.0, fill=25), 150, seed=2),
        lambda p: synth.jpeg(synth.dark_border(synth.shadow(p), 120, seed=3), 50),
        lambda p: synth.skew(p, 7.0),
        lambda p: synth.turn(synth.dark_border(p, 100, seed=5), 90),
    ],
    ids=["white", "blank", "tinted", "dark-bed", "dark-bed-skewed", "dark-bed-shadow-jpeg", "skewed", "turned"],
)
def test_scans_are_not_warped(letter, make):
    assert photo.find_paper(make(letter.image)) is None


def test_a_sheet_lying_square_in_a_bigger_picture_gives_its_resolution(letter):
    """Not warped, but its sides give its scale: the picture's size does not (the background widens it), and a
    card copy's small print would misstate it by a third."""
    page = synth.skew(letter.image, 5.0, fill=25)  # a sheet at 300 dpi, turned on a dark table
    lying = synth.dark_border(page, 400, seed=4)
    corners = photo.paper_outline(lying)
    assert corners is not None and photo.is_rectangle(corners) and photo.find_paper(lying) is None
    assert photo.outline_dpi(corners) == pytest.approx(300, rel=0.03)
    assert photo.sheet_dpi(lying.shape, like=photo.SCAN_A4_LIKE) is None


def test_sheet_cut_by_the_frame_is_not_warped(letter):
    """Part of the outline is the picture's edge (the sheet runs out of the picture, or fills it and only its lit
    part stands out): the true corners are unknown, and a guessed warp would shear the text."""
    for seed in range(3):
        shot = synth.photograph(letter.image, np.random.default_rng(seed))
        x, y = shot.corners[:, 0], shot.corners[:, 1]
        top_cut = shot.image[int(y.min() + 0.1 * shot.image.shape[0]) :]
        inside = shot.image[int(y.min()) + 30 : int(y.max()) - 30, int(x.min()) + 30 : int(x.max()) - 30]
        assert photo.find_paper(top_cut) is None
        assert photo.find_paper(inside) is None


def test_real_scans_are_not_warped(samples):
    for path in sorted(samples.glob("*/*")):
        if path.suffix.lower() not in (".pdf", ".tif", ".png", ".jpg"):
            continue
        for ref in intake.inspect(path.read_bytes(), path.name):
            assert photo.find_paper(intake.load_page(path, ref)) is None, path.name


def test_whitening_removes_a_photos_shadow_and_keeps_ink(letter):
    """Cleanup's whiten() is the pipeline's flat-field correction: it must even out a phone photo's light."""
    gray = cv2.cvtColor(letter.image, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    ys, xs = np.mgrid[0:h, 0:w]
    light = (1 - 0.35 * xs / w) * (1 - 0.45 / (1 + np.exp(-(ys - 0.6 * h) / 40)))  # fall-off and a shadow
    shaded = (gray * light).astype(np.uint8)
    for dpi in (300, textsize.effective_dpi(textsize.measure_text(shaded))):
        even = whiten(shaded, dpi)
        paper, ink = gray > 250, gray < 60
        assert np.percentile(even[paper], 2) >= 225, dpi
        assert np.percentile(even[ink], 90) <= 120, dpi
        # The darkest paper in the shadow is now as white as the lit paper: a global threshold works again.
        assert (
            abs(float(np.median(even[: h // 2][paper[: h // 2]])) - float(np.median(even[h // 2 :][paper[h // 2 :]])))
            < 8
        )


def test_photos_read_better_once_flattened(letter):
    """The phone photo as it came against the photo found, flattened, whitened by cleanup and brought to the text size
    Tesseract reads best: the character error rate against the rendered text must drop."""
    for seed in (0, 1, 2):
        shot = synth.photograph(letter.image, np.random.default_rng(seed), background=synth.PHOTO_BACKGROUNDS[seed])
        raw = cer(letter.text, plain_read(shot.image).text)
        flat = cv2.cvtColor(photo.flatten(shot.image, photo.find_paper(shot.image)), cv2.COLOR_RGB2GRAY)
        size = textsize.measure_text(flat)
        dpi = textsize.effective_dpi(size)
        assert dpi is not None
        even = whiten(flat, dpi)
        ready = cv2.resize(even, None, fx=300 / dpi, fy=300 / dpi, interpolation=cv2.INTER_CUBIC)
        ours = cer(letter.text, ocr_image(ready, 300, want_pdf=False).text)
        assert ours < raw and ours <= 0.1, (seed, raw, ours)


def test_find_and_flatten_a_12_megapixel_photo(letter):
    """A full-size phone photo (its time is printed by `digitize bench`, not asserted here)."""
    shot = synth.photograph(letter.image, np.random.default_rng(5), megapixels=12)
    assert shot.image.shape[0] * shot.image.shape[1] >= 11.9e6
    found = photo.find_paper(shot.image)
    flat = photo.flatten(shot.image, found)
    assert corner_error(found, shot.corners, shot.image) <= 0.02
    assert flat.shape[0] > flat.shape[1] and abs(flat.shape[0] / flat.shape[1] - 2**0.5) < 0.02
