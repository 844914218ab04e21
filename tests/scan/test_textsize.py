"""Text size from the pixels: generated pages at known resolutions, degraded as web images and phone pictures are,
pages with no text, and the real scans of the shared samples. No OCR here."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitize.devtools import synth
from digitize.scan import intake
from digitize.scan.textsize import effective_dpi, measure_text

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

DPIS = (300, 200, 150, 100, 72)


def shrink(img: np.ndarray, dpi: int, scanned_at: int = 300) -> np.ndarray:
    f = dpi / scanned_at
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def within(found: int | None, expected: float, tolerance: float = 0.2) -> bool:
    return found is not None and abs(found / expected - 1.0) <= tolerance


def picture(h: int, w: int, seed: int) -> np.ndarray:
    """A photo-like image: smooth noise at several scales under overlapping ellipses of random colours."""
    rng = np.random.default_rng(seed)
    img = np.zeros((h, w, 3), np.float32)
    for s in (2, 8, 32, 128):
        n = rng.normal(0, 1, (h // s + 2, w // s + 2, 3)).astype(np.float32)
        img += cv2.resize(n, (w, h), interpolation=cv2.INTER_CUBIC) * s**0.5
    img = ((img - img.min()) / (img.max() - img.min()) * 255).astype(np.uint8)
    for _ in range(60):
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        axes = (int(rng.integers(5, w // 6)), int(rng.integers(5, h // 6)))
        cv2.ellipse(img, centre, axes, float(rng.uniform(0, 180)), 0, 360, colour, -1)
    return img


@pytest.fixture(scope="module")
def at300() -> dict[int, synth.RenderedPage]:
    return {pt: synth.render_page(seed=40 + pt, dpi=300, pt=pt) for pt in (12, 13)}


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("pt", (12, 13))
def test_pages_rendered_at_their_resolution(dpi, pt):
    page = synth.render_page(seed=dpi + pt, dpi=dpi, pt=pt)
    size = measure_text(page.image)
    assert size.reliable and size.letters >= 100
    assert within(effective_dpi(size), dpi), (effective_dpi(size), size)


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("pt", (12, 13))
def test_scans_shrunk_blurred_and_jpegd(at300, dpi, pt):
    """What web images are: a scan resampled to a lower resolution, softened, saved as a middling JPEG."""
    img = synth.jpeg(synth.blur(shrink(at300[pt].image, dpi), 0.6), 60)
    found = effective_dpi(measure_text(img))
    assert within(found, dpi), found


def test_web_image_576_wide(at300):
    """The case that started it: an A4 letter as a 576-pixel-wide JPEG (about 70 dpi) with no resolution."""
    page = at300[13].image
    img = synth.jpeg(cv2.resize(page, (576, round(576 * page.shape[0] / page.shape[1])), cv2.INTER_AREA), 75)
    true_dpi = 576 / (synth.A4_MM[0] / 25.4)
    found = effective_dpi(measure_text(img))
    assert within(found, true_dpi), (found, true_dpi)


@pytest.mark.parametrize("dpi", (300, 150))
def test_point_sizes_tracked(dpi):
    """10 to 14 pt at one resolution: the measure follows the type size (the reference is 13 pt)."""
    for pt in (10, 11, 12, 13, 14):
        found = effective_dpi(measure_text(synth.render_page(seed=pt, dpi=dpi, pt=pt).image))
        assert within(found, dpi * pt / 13, 0.15), (pt, found)


@pytest.mark.parametrize("rotation", (0, 90, 180, 270))
def test_page_not_yet_upright_or_straight(at300, rotation):
    upright = synth.skew(synth.jpeg(shrink(at300[12].image, 150), 70), 5.0)
    size = measure_text(synth.turn(upright, rotation))
    assert within(effective_dpi(size), 150), size
    # the stroke is measured on the same letters whichever way the lines run (a sideways page once crashed here)
    assert size.stroke == pytest.approx(measure_text(upright).stroke, rel=0.1), size


def test_uneven_light_and_noise(at300):
    img = synth.noise(synth.shadow(synth.jpeg(shrink(at300[13].image, 200), 60), 0.5), 6)
    assert within(effective_dpi(measure_text(img)), 200)


@pytest.mark.parametrize("dpi", (200, 300))
def test_a_forms_dotted_leaders_are_not_its_letters(dpi):
    """A form's blanks are dotted leaders: on a 200-dpi tờ khai they outnumbered its letters of any height, and
    shrunk to the first look's size (2 x 3 pixels, no longer round) they were taken for them: x-height 4.6 pixels
    for 13, and the page enlarged 2.7 times to be read. Rows of leaders under a page's text leave its size as
    it was."""
    page = synth.render_page(seed=7, dpi=dpi, pt=13, paragraphs=2)
    img = page.image.copy()
    h, w = img.shape[:2]
    below = int(np.nonzero((img.min(axis=2) < 128).any(axis=1))[0].max()) + dpi // 5
    step, pitch = round(dpi / 5), round(dpi / 25)  # a row a fifth of an inch apart, a dot a millimetre
    for y in range(below, h - dpi // 2, step):
        for x in range(dpi // 2, w - dpi // 2, pitch):
            cv2.circle(img, (x, y), max(1, dpi // 100), (0, 0, 0), -1)
    size = measure_text(img)
    assert within(effective_dpi(size), effective_dpi(measure_text(page.image)), 0.05), size


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.full((3508, 2480, 3), 252, np.uint8),
        lambda: synth.noise(np.full((3508, 2480, 3), 235, np.uint8), 8, seed=2),
        lambda: synth.blank_back(synth.render_page(seed=3), bleed=0.08, seed=3),
        lambda: picture(3508, 2480, 1),
        lambda: picture(960, 576, 2),
        lambda: synth.jpeg(picture(1500, 2000, 3), 70),
    ],
    ids=["white", "noisy", "bleed-through", "photo-a4", "photo-576", "photo-jpeg"],
)
def test_no_text_is_not_reliable(make):
    size = measure_text(make())
    assert not size.reliable
    assert effective_dpi(size) is None


def test_text_beside_a_picture(at300):
    page = synth.render_page(seed=8, dpi=300, pt=13, paragraphs=2).image.copy()
    page[1500:3300, 300:2200] = picture(1800, 1900, 4)
    assert within(effective_dpi(measure_text(page)), 300)


def test_stroke_width():
    regular = measure_text(synth.render_page(seed=5, dpi=300, pt=13).image)
    bold = measure_text(synth.render_page(seed=5, dpi=300, pt=13, font="serif-bold").image)
    half = measure_text(synth.render_page(seed=5, dpi=150, pt=13).image)
    # Times' stems are 0.08 em (4.5 px at 13 pt, 300 dpi), its hairlines a third of that; bold stems near twice.
    assert 2.5 <= regular.stroke <= 5.0, regular
    assert bold.stroke >= 1.3 * regular.stroke, (bold, regular)
    assert 0.4 <= half.stroke / regular.stroke <= 0.65, (half, regular)


def test_real_scans_match_their_recorded_resolution(samples):
    """The shared samples' scanner PDFs record their resolution (200 and 300 dpi): the text says the same, and
    shrunk to a 576-pixel-wide web image it says what is left."""
    for path in sorted((samples / "scanned_letters").glob("*.pdf")):
        for ref in intake.inspect(path.read_bytes(), path.name):
            rgb = intake.load_page(path, ref)
            assert within(effective_dpi(measure_text(rgb)), ref.dpi), (path.name, ref.dpi)
            k = 576 / rgb.shape[1]
            small = cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
            assert within(effective_dpi(measure_text(small)), ref.dpi * k), (path.name, ref.dpi * k)
