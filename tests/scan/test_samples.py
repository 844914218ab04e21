"""Real scanner files and rendered pages from ../shared/samples: what is certain must come out right."""

from __future__ import annotations

import pytest

from digitize.scan import cleanup, intake, pipeline
from ocr.text import nfc

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

LETTER_MUST_READ = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Đà Nẵng"]


def read_page(path, number: int = 1):
    data = path.read_bytes()
    ref = intake.inspect(data, path.name)[number - 1]
    rgb = intake.load_page(path, ref)
    return ref, pipeline.process_image(rgb, ref.dpi)


@pytest.mark.parametrize("name", ["letter_a.pdf", "letter_b.pdf"])
def test_scanned_letters(samples, name):
    path = samples / "scanned_letters" / name
    pages = intake.inspect(path.read_bytes(), name)
    assert len(pages) == 2
    ref, outs = read_page(path, 1)
    assert ref.dpi in (200, 300)
    assert len(outs) == 1
    page = outs[0]
    assert page.rotation == 0 and abs(page.skew_deg) < 2 and not page.blank
    assert "cut_off" not in page.warnings  # a real scan with its margins is not flagged
    # "HOÀ"/"HÒA": both tone placements are printed; compare with the mark on either vowel.
    text = nfc(page.text).replace("HOÀ", "HÒA")
    for phrase in LETTER_MUST_READ:
        assert phrase in text, f"{phrase!r} not read in {name}"


def test_scanned_letter_upside_down(samples):
    path = samples / "scanned_letters" / "letter_a.pdf"
    ref = intake.inspect(path.read_bytes(), path.name)[0]
    rgb = intake.load_page(path, ref)
    page = cleanup.clean_scan(rgb[::-1, ::-1].copy(), ref.dpi)[0]
    assert page.rotation == 180


@pytest.mark.parametrize("name", ["vietsample.tif", "vietsample2.png"])
def test_rendered_pages(samples, name):
    path = samples / "rendered_pages" / name
    ref, outs = read_page(path)
    assert ref.paper == "other" and ref.dpi == 300  # US Letter at 300 dpi
    page = outs[0]
    assert page.rotation == 0 and not page.blank
    assert page.confidence > 0.8
    for phrase in ("những kỷ niệm hoang mang của buổi tựu trường", "lần đầu tiên đến trường"):
        assert phrase in " ".join(page.text.split())
