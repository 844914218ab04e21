"""Finding photocopied ID cards on a page: one card, or front and back copied close together."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitize.scan.cards import CARD_MM, UPSCALE, find_cards
from digitize.scan.photo import sheet_dpi
from digitize.scan.pipeline import CardReading, cards_over_page, cards_read_better
from ocr.tesseract import OcrPage, Word

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

DPI = 300
MM = DPI / 25.4


def _page_with_cards(origins_mm: list[tuple[float, float]]) -> np.ndarray:
    page = np.full((int(297 * MM), int(210 * MM)), 255, np.uint8)
    w, h = int(CARD_MM[0] * MM), int(CARD_MM[1] * MM)
    for x_mm, y_mm in origins_mm:
        x, y = int(x_mm * MM), int(y_mm * MM)
        cv2.rectangle(page, (x, y), (x + w, y + h), 0, 4)
        for row in range(6):  # lines of small print inside the card
            cv2.putText(page, "NGUYEN VAN AN 0123", (x + 40, y + 90 + row * 90), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    return page


@pytest.mark.parametrize(
    "origins",
    [
        [(15.0, 20.0), (15.0 + CARD_MM[0] + 1.5, 20.0)],  # side by side, 1.5 mm apart: one block when joined
        [(60.0, 20.0), (60.0, 20.0 + CARD_MM[1] + 1.5)],  # front above back
    ],
)
def test_front_and_back_copied_close_together_are_two_cards(origins):
    crops = find_cards(_page_with_cards(origins), DPI)
    assert len(crops) == 2
    for crop in crops:
        h, w = crop.image.shape
        assert w / (MM * UPSCALE) == pytest.approx(CARD_MM[0] * 1.08, rel=0.1)
        assert h / (MM * UPSCALE) == pytest.approx(CARD_MM[1] * 1.08, rel=0.1)
    # Each crop holds one card: its box on the page is the card's, give or take the crop's margin.
    found = sorted(crop.box_to_page([0, 0, crop.image.shape[1], crop.image.shape[0]]) for crop in crops)
    for (x_mm, y_mm), (x, y, w, h) in zip(sorted(origins), found, strict=True):
        assert x <= x_mm * MM <= x + 0.1 * w and y <= y_mm * MM <= y + 0.1 * h
        assert x + 0.9 * w <= (x_mm + CARD_MM[0]) * MM <= x + w and y + 0.9 * h <= (y_mm + CARD_MM[1]) * MM <= y + h


def test_a_scanners_dark_border_around_the_page_does_not_hide_the_cards():
    page = _page_with_cards([(15.0, 20.0), (15.0 + CARD_MM[0] + 1.5, 20.0)])
    cv2.rectangle(page, (0, 0), (page.shape[1] - 1, page.shape[0] - 1), 0, int(4 * MM))  # the scanner's lid
    assert len(find_cards(page, DPI)) == 2


def test_specks_of_the_paper_joined_to_a_card_do_not_make_it_too_big_to_be_one():
    x, y = 40.0, 30.0
    page = _page_with_cards([(x, y)])
    for dx in (20.0, 60.0):  # grains 3 mm apart above and below the card, close enough to join its block
        for dy in (-9.0, -6.0, -3.0, CARD_MM[1] + 3.0, CARD_MM[1] + 6.0):  # with them it is 69 mm tall
            cv2.circle(page, (int((x + dx) * MM), int((y + dy) * MM)), int(0.6 * MM), 0, -1)
    (crop,) = find_cards(page, DPI)
    assert crop.image.shape[0] / (MM * UPSCALE) == pytest.approx(CARD_MM[1] * 1.08, rel=0.05)


def test_a_letters_ragged_edges_are_its_own_not_specks():
    """A letter's body closes into one block, 141 mm tall: too tall for two cards stacked. Its short first and last
    lines are part of it; left out as specks, the rest would measure as two cards (126 mm)."""
    page = np.full((int(297 * MM), int(210 * MM)), 255, np.uint8)
    for row in range(44):  # lines 3.2 mm apart, the first three and the last three short
        x, y = int(20 * MM), int((40 + row * 3.2) * MM)
        length = 16.0 if row < 3 or row >= 41 else 95.0
        cv2.rectangle(page, (x, y), (x + int(length * MM), y + int(1.6 * MM)), 0, -1)
    assert find_cards(page, DPI) == []


def test_one_card_and_a_page_of_text_are_not_a_pair():
    assert len(find_cards(_page_with_cards([(40.0, 30.0)]), DPI)) == 1
    wide = np.full((int(297 * MM), int(210 * MM)), 255, np.uint8)
    cv2.rectangle(wide, (100, 100), (100 + int(150 * MM), 100 + int(120 * MM)), 0, 4)  # a table, not two cards
    assert find_cards(wide, DPI) == []


def test_a_forms_body_is_not_two_cards_standing_side_by_side():
    """A form's body of two columns of text, 87 mm wide and 70 mm tall (a giấy chứng sinh photographed small):
    one block of the size of two cards standing upright side by side, while its print is level."""
    page = np.full((int(297 * MM), int(210 * MM)), 255, np.uint8)
    for row in range(16):
        x, y = int(25 * MM), int((60 + row * 4.5) * MM)
        cv2.putText(page, "Ho va ten me: BUI MY DUNG", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
        cv2.putText(
            page, "Dan toc: Kinh, Quoc tich: Viet Nam", (x + int(40 * MM), y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3
        )
    assert find_cards(page, DPI) == []


def test_a_flattened_a4_sheet_gives_its_resolution():
    assert sheet_dpi((1170, 827, 3)) == 100  # A4 at 100 dpi
    assert sheet_dpi((1200, 827)) == 100  # a photo's aspect a few per cent off
    assert sheet_dpi((2000, 600)) is None  # a receipt
    assert sheet_dpi((540, 856)) is None  # a card photographed alone


def test_card_words_replace_the_pages_only_over_the_card():
    """The certification stamp beside a card copy stays in the page's text when the card's crop is read instead."""
    page = OcrPage(
        [Word("Hq", 0.4, (120, 120, 40, 20), 1, 1, 1), Word("CHỨNG THỰC", 0.9, (100, 600, 200, 30), 2, 1, 1)],
        "Hq\n\nCHỨNG THỰC",
    )
    cards = CardReading([Word("Họ", 0.95, (118, 121, 42, 20), 1001, 1, 1)], boxes=[[100, 100, 400, 250]])
    got = cards_over_page(page, cards)
    assert [w.text for w in got.words] == ["Họ", "CHỨNG THỰC"]
    assert got.text.split() == ["Họ", "CHỨNG", "THỰC"]


def test_card_words_stand_where_the_card_does_in_the_reading_order():
    """A title above a block taken for a card stays among the page's first lines, before the card's words."""
    page = OcrPage([Word("GIẤY CHỨNG SINH", 0.9, (300, 50, 300, 30), 1, 1, 1),
                    Word("Bình Dương", 0.9, (500, 900, 150, 30), 3, 1, 1)], "")  # fmt: skip
    words = [Word("Họ", 0.95, (120, 220, 40, 20), 2001, 1, 1), Word("Năm", 0.95, (620, 220, 40, 20), 1001, 1, 1)]
    cards = CardReading(words, boxes=[[600, 200, 400, 250], [100, 200, 400, 250]])
    assert [w.text for w in cards_over_page(page, cards).words] == ["GIẤY CHỨNG SINH", "Năm", "Họ", "Bình Dương"]


def test_a_cards_blocks_stand_top_down_in_the_pages_text_and_as_read_for_the_fields():
    """Tesseract lists a card crop's blocks a column at a time: the expiry under the photo (block 1) before the
    card's header (block 2). The page's text reads the card top-down; its words, which the fields are read from,
    keep Tesseract's order."""
    page = OcrPage([Word("CHỨNG THỰC", 0.9, (100, 700, 200, 30), 1, 1, 1)], "")
    card = [Word("Có giá trị đến", 0.9, (110, 420, 120, 20), 1001, 1, 1),
            Word("CĂN CƯỚC CÔNG DÂN", 0.9, (200, 120, 300, 30), 1002, 1, 1),
            Word("Số: 079199555425", 0.9, (250, 200, 200, 20), 1002, 2, 1)]  # fmt: skip
    got = cards_over_page(page, CardReading(card, boxes=[[100, 100, 500, 350]]))
    assert [w.text for w in got.words] == ["Có giá trị đến", "CĂN CƯỚC CÔNG DÂN", "Số: 079199555425", "CHỨNG THỰC"]
    assert got.text.split("\n")[0] == "CĂN CƯỚC CÔNG DÂN" and "Có giá trị đến" in got.text.split("CHỨNG")[0]


def test_a_cards_crop_is_read_unless_the_page_reads_clearly_better():
    """As a photo of a card copy read: the page's words over the card a little surer than the crop's. The crop
    stands; the page's reading only when clearly better (a block of a form found card-shaped is read so)."""
    crop = CardReading([Word("079201961335", 0.9, (120, 120, 200, 20), 1001, 1, 1)], boxes=[[100, 100, 400, 250]])
    over = [Word("07920196I335.", 0.9, (118, 121, 210, 20), 1, 1, 1)]
    assert cards_read_better(OcrPage(over, ""), crop)
    form = [Word("Họ và tên mẹ: Bùi Hải Vân, năm sinh 1996", 0.95, (100, 600, 600, 30), 2, 1, 1)]
    assert not cards_read_better(OcrPage(over + form, ""), crop)
    assert not cards_read_better(OcrPage(over, ""), CardReading([], boxes=[[100, 100, 400, 250]]))
    # A blurred card's surest of several sizes is kept, but weighed as read at one size (its `weight`): the best
    # of three readings is surer by chance, and it tipped a form's card-shaped blocks over their page.
    assert not cards_read_better(OcrPage(over, ""), CardReading(crop.words, boxes=crop.boxes, weight=4.0))
