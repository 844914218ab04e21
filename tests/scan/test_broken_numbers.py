"""A long number the page's OCR broke, read again as digits over its word's box (digitize.scan.broken_numbers): real
Tesseract on a drawn number brought down to a low resolution; the first reading is given, as the page's OCR broke
it on a fresh set's 70-dpi table ("038187676544" read "038180:")."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitize.devtools import synth_holdout as sh
from digitize.scan.broken_numbers import reread_broken_numbers
from ocr.tesseract import OcrPage, Word

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

NUMBER = "038187676544"


def _low_resolution(text: str) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The text drawn at 300 dpi, brought to 70 and enlarged to 200 as the pipeline does; and its ink's box."""
    cv = sh.Canvas(300, (60.0, 10.0))
    cv.text(5, 3, text, cv.font(sh.faces(sh.MAIN_FACES)[0][0], 11))
    page = np.asarray(cv.img.convert("L"))
    small = cv2.resize(page, None, fx=70 / 300, fy=70 / 300, interpolation=cv2.INTER_AREA)
    big = cv2.resize(small, None, fx=200 / 70, fy=200 / 70, interpolation=cv2.INTER_CUBIC)
    x, y, w, h = cv2.boundingRect(cv2.findNonZero((big < 160).astype(np.uint8)))
    return big, (x, y, w, h)


def _page(text: str, first: str, conf: float = 0.0) -> tuple[np.ndarray, OcrPage]:
    image, box = _low_resolution(text)
    return image, OcrPage([Word("Số", 0.96, (0, 0, 5, 5), 1, 1, 1), Word(first, conf, box, 1, 1, 1)])


@pytest.mark.parametrize("first", ["038180:", "(H38187676544", "0381876765444"])
def test_a_broken_id_number_is_read_again_as_its_digits(first):
    image, page = _page(NUMBER, first)
    again = reread_broken_numbers(image, page, skip=[])
    assert [w.text for w in again.words] == ["Số", NUMBER]
    assert again.words[1].box == page.words[1].box and again.words[1].line == page.words[1].line


def test_what_is_no_broken_id_number_is_left_as_read():
    """A date (its slash misread), a sure reading, a word over a card (read from the card's own crop), and a
    second reading that keeps too little of the first are left."""
    image, page = _page(NUMBER, "03/81/87676544")
    assert reread_broken_numbers(image, page, skip=[]) is page
    image, page = _page(NUMBER, "038180:", conf=0.95)
    assert reread_broken_numbers(image, page, skip=[]) is page
    image, page = _page(NUMBER, "038180:")
    assert reread_broken_numbers(image, page, skip=[[0, 0, *image.shape[::-1]]]) is page
    image, page = _page(NUMBER, "999111:")
    assert reread_broken_numbers(image, page, skip=[]) is page


def test_a_number_read_again_that_is_no_well_formed_id_is_left():
    """Twelve digits whose province code no province has ("999…") are no ID: the word stays as the OCR read it."""
    image, page = _page("999187676544", "99918767:")
    assert reread_broken_numbers(image, page, skip=[]) is page
