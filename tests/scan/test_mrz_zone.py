"""The machine-readable zone read a second time, as zone characters, from real pixels with real Tesseract."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitize.devtools.synth import _font
from digitize.scan.mrz_zone import read_zone, reread_zone
from forms.mrz import find_mrz
from ocr.layout import reading_order
from ocr.tesseract import OcrPage, Word, ocr_image
from tests.support.cards import card_zone

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

ZONE = card_zone("079084719044", "840728", "M", "440728", "PHAM<<QUANG<TAI")
LINE_PX = 14  # a card back copied at 300 dpi and photographed: the zone's lines about 14 px apart


def _card_back(seed: int = 3) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """A grey, speckled card back with a line of small print and the zone: the image and each zone line's box."""
    rng = np.random.default_rng(seed)
    img = Image.new("L", (330, 110), 205)
    d = ImageDraw.Draw(img)
    d.text((12, 8), "Ngày, tháng, năm hết hạn / Date of expiry: 28/07/2044", font=_font("sans", 8), fill=40)
    font = _font("mono", 12)
    boxes = []
    for i, line in enumerate(ZONE):
        y = 58 + i * LINE_PX
        d.text((12, y), line, font=font, fill=30)
        x0, y0, x1, y1 = d.textbbox((12, y), line, font=font)
        boxes.append((x0, y0, x1 - x0, y1 - y0))
    grey = np.asarray(img).astype(np.int16) + rng.normal(0, 12, (110, 330)).astype(np.int16)
    grey = cv2.GaussianBlur(np.clip(grey, 0, 255).astype(np.uint8), (0, 0), 0.6)
    ok, jpg = cv2.imencode(".jpg", grey, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return cv2.imdecode(jpg, cv2.IMREAD_GRAYSCALE), boxes


def _strength(text: str) -> float:
    found = find_mrz(text.splitlines())
    return -1.0 if found is None else found.strength


def test_the_zone_read_as_zone_characters_passes_its_checks():
    gray, boxes = _card_back()
    x0 = min(b[0] for b in boxes) - 5
    y0, y1 = boxes[0][1] - 5, boxes[-1][1] + boxes[-1][3] + 5
    words = read_zone(gray, x0, y0, gray.shape[1], y1, float(boxes[0][3]))
    found = find_mrz(reading_order(words).splitlines())
    assert found is not None
    assert found.values["id_number"] == "079084719044" and not found.partly
    assert found.values["date_of_birth"] == "1984-07-28" and found.values["date_of_expiry"] == "2044-07-28"
    assert found.name == "PHAM QUANG TAI"
    for w in words:  # placed back on the page, inside the band
        assert y0 <= w.box[1] + w.box[3] / 2 <= y1


def test_a_garbled_zone_is_replaced_and_the_rest_of_the_page_kept():
    gray, boxes = _card_back()
    # As the page's Vietnamese reading of a photographed card gave it: two digits of the ID and the expiry wrong.
    garbled = ["_ IDVNMô847190445079294719944<<2", "_ 8407281M4427283VNM<<<<<<<<<<<2", "+ PHAM<<QUANG<TAT<<<<<<<<<<<<<"]
    words = [Word("Ngày", 0.9, (12, 8, 30, 10), 1, 1, 1)]
    words += [Word(t, 0.5, b, 2, 1, i + 1) for i, (t, b) in enumerate(zip(garbled, boxes, strict=True))]
    page = OcrPage(words, reading_order(words), 0.6)
    before = _strength(page.text)

    again = reread_zone(gray, page)
    assert again.words[0].text == "Ngày"  # the card's print is not the zone's
    assert not any(w.text in garbled for w in again.words)
    found = find_mrz(again.text.splitlines())
    assert found is not None and found.values["id_number"] == "079084719044"
    assert found.values["date_of_birth"] == "1984-07-28"
    assert found.strength > before


def test_the_page_reading_is_kept_when_the_second_one_is_no_better():
    gray, boxes = _card_back()
    words = [Word(t, 0.95, b, 2, 1, i + 1) for i, (t, b) in enumerate(zip(ZONE, boxes, strict=True))]
    page = OcrPage(words, reading_order(words), 0.95)
    assert reread_zone(gray, page) is page


def test_the_whole_page_read_then_its_zone_reread_verifies_the_card():
    """The path the pipeline takes: the page's own Vietnamese reading, then the zone's second reading."""
    gray, _ = _card_back()
    big = cv2.resize(gray, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    first = ocr_image(big, 300, lang="vie", want_pdf=False)
    again = reread_zone(big, first)
    found = find_mrz(again.text.splitlines())
    assert found is not None and found.values.get("id_number") == "079084719044"
    assert _strength(again.text) >= _strength(first.text)
