"""Real Tesseract `vie` on generated pages: character error rates, reading order, leaders, searchable PDF."""

from __future__ import annotations

import io
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from digitize.devtools import synth
from digitize.scan import pipeline
from ocr import pdf as ocr_pdf
from ocr.layout import ordered_segments, reading_order
from ocr.prep import binarize, leader_mask, prepare_for_ocr, ruling_mask
from ocr.tesseract import Word, ocr_image
from ocr.text import cer, clean_text, nfc
from ocr.unread import read_uncovered, uncovered

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

# Bounds hold a wide margin over what this suite measured (0.00 % on these pages; `digitize bench` measures
# 0.08 % over 30 pages); a regression in cleanup (wrong turn, no deskew) sends the rate to 50 % and more.
CER_CLEAN = 0.01
CER_DEGRADED = 0.03


def degrade(img: np.ndarray, rotation: int, skew: float, seed: int) -> np.ndarray:
    out = synth.turn(synth.skew(img, skew), rotation)
    out = synth.shadow(synth.dark_border(out, 120, seed=seed))
    return synth.noise(synth.jpeg(synth.blur(out, 0.8), 55), 5, seed)


def test_clean_page_cer(page):
    out = pipeline.process_image(page.image, 300)[0]
    rate = cer(page.text, out.text)
    print(f"clean CER {rate:.4f}")
    assert rate <= CER_CLEAN
    assert out.confidence > 0.85


@pytest.mark.parametrize("rotation,skew", [(90, 3.5), (180, -7.0), (270, 1.2)])
def test_degraded_page_cer(page, rotation, skew):
    scan = degrade(page.image, rotation, skew, seed=rotation)
    out = pipeline.process_image(scan, 300)[0]
    rate = cer(page.text, out.text)
    print(f"degraded rot {rotation} skew {skew}: CER {rate:.4f}")
    assert out.rotation == rotation and abs(out.skew_deg - skew) <= 0.5
    assert rate <= CER_DEGRADED


def test_plain_tesseract_fails_on_turned_page(page):
    """The reason cleanup exists: without turning, Tesseract loses the text of a page scanned sideways."""
    turned = synth.turn(page.image, 90)
    raw = ocr_image(np.ascontiguousarray(turned[..., 0]), 300, want_pdf=False)
    assert cer(page.text, raw.text) > 0.5


def test_header_read_column_by_column(page):
    out = pipeline.process_image(page.image, 300)[0]
    lines = out.text.splitlines()
    # Agency (left column) first, then the national motto (right column), never interleaved.
    assert lines[0] == "ỦY BAN NHÂN DÂN"
    assert lines[1].startswith("PHƯỜNG")
    assert lines[2] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert lines[3] == "Độc lập - Tự do - Hạnh phúc"


def _w(text, x, y, w=80, h=40, line=1):
    return SimpleNamespace(text=text, box=(x, y, w, h), block=1, par=1, line=line)


def test_reading_order_two_columns_then_body():
    words = [
        _w("ỦY", 100, 100), _w("BAN", 190, 100), _w("CỘNG", 1300, 100), _w("HÒA", 1390, 100),
        _w("PHƯỜNG", 100, 160, line=2), _w("Độc", 1300, 160, line=2), _w("lập", 1390, 160, line=2),
        _w("Nội", 100, 300, line=3), _w("dung", 190, 300, line=3), _w("văn", 280, 300, line=3),
    ]  # fmt: skip
    assert reading_order(words).splitlines() == ["ỦY BAN", "PHƯỜNG", "CỘNG HÒA", "Độc lập", "Nội dung văn"]


def test_reading_order_keeps_a_widely_spaced_two_column_block_together():
    """The mother's block beside the father's on a form whose rows are all set wide apart (60 to 70 px between
    40-px lines): each block is read whole, the mother's first; a wider gap still ends the block."""
    words = [_w("Kính", 100, 100 + 100 * i, line=i + 1) for i in range(4)]
    rows = [("Mẹ", "Cha"), ("Năm", "Năm"), ("Dân", "Dân"), ("Quốc", "Quốc")]
    for i, (left, right) in enumerate(rows):
        y = 500 + 110 * i
        words += [_w(left, 100, y, line=10 + i), _w(right, 1300, y, line=10 + i)]
    words.append(_w("Tôi", 100, 500 + 110 * 4 + 300, line=20))
    lines = reading_order(words).splitlines()
    assert lines[4:] == ["Mẹ", "Năm", "Dân", "Quốc", "Cha", "Năm", "Dân", "Quốc", "Tôi"]


def test_rows_beside_each_other_stay_one_block_though_spaced_unevenly():
    """A photo's perspective spaces a form's rows unevenly: after the blocks' first two rows, set close, the rest
    stand a line and a half apart (65 px between 40-px lines, past the page's usual gap). Rows that go on at the
    same gutter are still one block each; a gap twice as wide ends it."""
    words = [_w("Kính", 100, 100 + 50 * i, line=i + 1) for i in range(4)]
    rows = [("Mẹ", "Cha", 500), ("Năm", "Năm", 545), ("Dân", "Dân", 650), ("Quốc", "Quốc", 755)]
    for i, (left, right, y) in enumerate(rows):
        words += [_w(left, 100, y, line=10 + i), _w(right, 1300, y, line=10 + i)]
    words.append(_w("Tôi", 100, 1000, line=20))
    lines = reading_order(words).splitlines()
    assert lines[4:] == ["Mẹ", "Năm", "Dân", "Quốc", "Cha", "Năm", "Dân", "Quốc", "Tôi"]


def test_two_values_joined_across_the_gutter_are_cut_at_the_right_column():
    """The mother's address and the father's, each long enough to come near the gutter, read by Tesseract as one
    line (with a rule read as "—" between them): cut where the right column starts, each read in its block."""
    words = [_w("Mẹ", 100, 100), _w("Cha", 1150, 100), _w("Năm", 100, 160, line=2), _w("Năm", 1150, 160, line=2)]
    joined = ["Nơi", "cư", "trú:", "Số", "58,", "ngõ", "87,", "phố", "Trần"]
    x = 100
    for i, text in enumerate(joined * 2):
        x = 1150 if i == len(joined) else x  # the father's half starts at his column's edge, 80 px on
        words.append(_w(text, x, 220, w=90, line=3))
        x += 90 + 20
    words.insert(-len(joined), _w("—", 1090, 220, w=30, line=3))  # a rule in the gutter
    words += [_w("Phú", 100, 280, line=4), _w("Phú", 1150, 280, line=4)]
    words += [_w("Tôi", 100, 340 + 40 * i, w=2000, line=5 + i) for i in range(3)]
    address = " ".join(joined)
    assert reading_order(words).splitlines() == [
        "Mẹ", "Năm", address, "Phú", "Cha", "Năm", address, "Phú", "Tôi", "Tôi", "Tôi"
    ]  # fmt: skip
    # A line across the page whose spaces are all alike stays whole.
    words[4:-5] = [_w(t, 100 + 110 * i, 220, w=90, line=3) for i, t in enumerate(joined * 2)]
    assert address + " " + address in reading_order(words).splitlines()


def test_a_photos_right_column_drifting_is_cut_where_it_starts_in_the_line_above():
    """A photo flattened imperfectly: the right column starts 10 px further right on each row. The two wrapped
    addresses Tesseract joined are cut where that column starts in the row above, not at its leftmost start (20 px
    off, more than a third of a line height); a speck read before a row's right half moves no edge."""
    words = [_w(t, 100, 100 + 60 * i, line=1 + i) for i, t in enumerate(["Mẹ", "Năm", "Dân"])]
    words += [_w(t, 1150 + 10 * i, 100 + 60 * i, line=1 + i) for i, t in enumerate(["Cha", "Năm", "Dân"])]
    words.append(_w("=", 1100, 160, w=10, line=2))  # a speck before the right column's word: no edge
    joined = ["Vương,", "phường", "Bến", "Nghé,", "Quận", "1,", "Thành"]
    x = 100
    for i, text in enumerate(joined * 2):
        x = 1180 if i == len(joined) else x  # 40 px after the left half: one line for Tesseract
        words.append(_w(text, x, 280, w=140, line=4))
        x += 140 + 10
    words += [_w("Tôi", 100, 340 + 40 * i, w=2000, line=5 + i) for i in range(2)]
    half = " ".join(joined)
    assert reading_order(words).splitlines() == ["Mẹ", "Năm", "Dân", half, "Cha", "= Năm", "Dân", half, "Tôi", "Tôi"]


def test_two_columns_tesseract_cut_into_blocks_listed_in_turn_are_read_column_by_column():
    """As a photo of a two-column tờ khai was read: the mother's block and the father's each cut in two blocks,
    listed left, right, left, right. The mother's address runs on below the father's empty block; the
    declaration across the page ends the columns."""

    def blk(text, x, y, block):
        return SimpleNamespace(text=text, box=(x, y, 300, 30), block=block, par=1, line=y)

    words = [blk("Con", 140, 790, 1), blk("Mẹ", 140, 830, 2), blk("Hiền", 140, 870, 2),
             blk("Cha", 690, 830, 3), blk("Năm:", 690, 870, 3),
             blk("Năm: 1985", 140, 910, 4), blk("Nơi cư trú: Số 136", 140, 950, 4), blk("phường Vĩnh Hải", 140, 990, 4),
             blk("Dân tộc:", 690, 910, 5), blk("Nơi cư trú:", 690, 950, 5)]  # fmt: skip
    words.append(SimpleNamespace(text="Tôi cam đoan", box=(140, 1030, 1000, 30), block=6, par=1, line=1))
    read = [seg.text for _, seg in ordered_segments(words, across_blocks=True)]
    assert read == ["Con", "Mẹ", "Hiền", "Năm: 1985", "Nơi cư trú: Số 136", "phường Vĩnh Hải", "Cha", "Năm:",
                    "Dân tộc:", "Nơi cư trú:", "Tôi cam đoan"]  # fmt: skip
    # The page's text keeps Tesseract's order (a table of labels and values reads best so).
    assert reading_order(words).split("\n\n")[2] == "Cha\nNăm:"
    # A column read far above the last piece is another part of the page (a signature block read first).
    far = [*words[:3], blk("Ký tên", 140, 1700, 7), *words[3:]]
    assert [seg.text for _, seg in ordered_segments(far, across_blocks=True)][:5] == ["Con", "Mẹ", "Hiền", "Ký tên",
                                                                                   "Cha"]  # fmt: skip


def test_a_table_whose_rows_tesseract_read_across_is_not_read_as_two_columns_in_the_pages_text():
    """A tờ khai in cells, its rules erased, each row read as one line of two pieces (label, wide gap, value): a
    table, not two text columns. The page's text keeps each value beside its label, as printed; the fields'
    reading order (across_blocks) still reads the two columns apart, as it did."""
    rows = [("Họ và tên người yêu cầu", "Lý Kim Ngân"), ("Nơi thường trú", "Tổ 7, xã Quỳnh Lương"),
            ("Số định danh cá nhân", "048187633599"), ("Quan hệ với người được khai sinh", "Mẹ")]  # fmt: skip
    words = [_w("Thông tin người yêu cầu", 100, 100, w=900)]
    for i, (label, value) in enumerate(rows):
        words += [_w(label, 100, 160 + 60 * i, w=25 * len(label), line=2 + i),
                  _w(value, 1100, 160 + 60 * i, w=25 * len(value), line=2 + i)]  # fmt: skip
    assert reading_order(words).splitlines()[1:] == [f"{label} {value}" for label, value in rows]
    fields = [seg.text for _, seg in ordered_segments(words, across_blocks=True)]
    assert fields[1:] == [label for label, _ in rows] + [value for _, value in rows]


def test_a_table_read_a_column_at_a_time_is_read_row_by_row_in_the_pages_text():
    """A giấy chứng sinh in cells, its rules erased: Tesseract lists the labels' column, then the values' (a long
    address wrapped on two lines). The page's text gives each value beside its label; the fields' reading order
    (across_blocks) is left as it was. Blocks of "label: value" side by side, or fewer rows, are no such table."""

    def blk(text, x, y, block, w=300):
        return SimpleNamespace(text=text, box=(x, y, w, 30), block=block, par=1, line=y)

    labels = ["Họ và tên mẹ", "Năm sinh", "Dân tộc", "Nơi cư trú", "Cân nặng"]
    values = ["BÙI DIỆU PHƯỢNG", "1988", "Kinh", "Số 43, ngõ 50, phố Nguyễn Du, phường Lạch", "3.100 gam"]
    ys = [500, 560, 620, 680, 800]
    words = [blk("PHẦN THÔNG TIN VỀ MẸ", 150, 440, 1, 500)]
    words += [blk(t, 160, y, 2, 20 * len(t)) for t, y in zip(labels, ys, strict=True)]
    words += [blk(t, 700, y, 3, 20 * len(t)) for t, y in zip(values, ys, strict=True)]
    words.insert(-1, blk("Tray, quận Ngô Quyền", 702, 740, 3, 600))  # the address's second line
    words.append(blk("Ghi chú", 160, 860, 4, 140))
    assert reading_order(words).splitlines() == [
        "PHẦN THÔNG TIN VỀ MẸ", "", "Họ và tên mẹ BÙI DIỆU PHƯỢNG", "Năm sinh 1988", "Dân tộc Kinh",
        "Nơi cư trú Số 43, ngõ 50, phố Nguyễn Du, phường Lạch", "Tray, quận Ngô Quyền", "Cân nặng 3.100 gam", "",
        "Ghi chú",
    ]  # fmt: skip
    fields = [seg.text for _, seg in ordered_segments(words, across_blocks=True)]
    assert fields[1:3] == ["Họ và tên mẹ", "Năm sinh"]
    # Labels that hold their values: two parts side by side, as Tesseract listed them.
    with_values = [SimpleNamespace(**{**vars(w), "text": w.text + ": x"}) if w.block == 2 else w for w in words]
    assert reading_order(with_values).splitlines()[2:4] == ["Họ và tên mẹ: x", "Năm sinh: x"]
    # Two rows side by side are no table.
    two = [w for w in words if w.block != 3 or w.box[1] < 600]
    assert reading_order(two).splitlines()[2:4] == ["Họ và tên mẹ", "Năm sinh"]


def test_reading_order_keeps_single_column_lines():
    words = [_w("Một", 100, 100), _w("hai", 190, 100), _w("ba", 100, 160, line=2), _w("bốn", 190, 160, line=2)]
    assert reading_order(words) == "Một hai\nba bốn"


FORM_LINE = "Họ, chữ đệm, tên: Nguyễn Thị Ngọc Hương"


def _form_line(with_leaders: bool) -> tuple[np.ndarray, int]:
    """A form line at 300 dpi, and the column where its text ends."""
    img = Image.new("L", (2400, 200), 255)
    d = ImageDraw.Draw(img)
    font = synth._font("serif", 50)
    d.text((60, 60), FORM_LINE, font=font, fill=0)
    end = 60 + int(d.textlength(FORM_LINE, font=font))
    if with_leaders:
        d.text((end + 15, 60), "." * 110, font=font, fill=0)
    return np.asarray(img), end


def test_leaders_found_and_removed():
    line, text_end = _form_line(True)
    mask = leader_mask((line < 128).astype(np.uint8), 300)
    ys, xs = np.nonzero(mask)
    assert len(xs) > 200
    assert xs.min() > text_end, "a letter or tone mark was taken for a leader dot"
    cleaned = prepare_for_ocr(line, 300)
    assert (cleaned[:, text_end + 20 :] < 128).sum() == 0
    read = ocr_image(cleaned, 300, psm=7, want_pdf=False).text
    assert nfc(read).strip() == FORM_LINE


def _typed_line(text: str, family: str, size: int) -> tuple[Image.Image, ImageDraw.ImageDraw, int]:
    """A line of a form with `text` typed on it, its drawing, and the column where the text ends."""
    img = Image.new("L", (1200, 80), 255)
    d = ImageDraw.Draw(img)
    font = synth._font(family, size)
    d.text((20, 20), text, font=font, fill=40)
    return img, d, 20 + int(d.textlength(text, font=font))


def _blurred_form_line() -> tuple[np.ndarray, int]:
    """A form line as a phone photo gives it at 141 dpi: small print, its leader dots blurred into discs a
    twenty-fifth of an inch across, grey rims around them; and the column where its text ends."""
    img, d, end = _typed_line("Nơi cư trú: Số 220 đường Lê Lợi", "sans", 24)
    d.text((end + 10, 20), "." * 120, font=synth._font("sans", 24), fill=40)
    return cv2.GaussianBlur(np.asarray(img), (0, 0), 1.2), end


def test_blurred_leaders_of_a_photo_are_erased_with_their_rims():
    """The dots of a photographed leader, which OCR read as a tail of letters after the value ("Chí Minh &3ˆ2ƑC2
    ---E- 1778888817722"): every one found, none of the text taken; on the grey page read from an enlarged photo,
    nothing of them is left, not even the light rim around each dot; the text is as it was."""
    line, end = _blurred_form_line()
    ink = binarize(line)
    found = leader_mask(ink, 141, blurred=True)
    assert found[:, end + 10 :].sum() == ink[:, end + 10 :].sum()
    assert found[:, :end].sum() == 0
    out = prepare_for_ocr(line, 141, grey=True)
    assert out[:, end + 10 :].min() == 255
    assert np.array_equal(out[:, :end], line[:, :end])


def test_a_leader_blurred_into_dashes_is_erased():
    """Dots a photo's warp and blur ran together in fours, enlarged for reading: dashes as low as a dot and wider
    than three, a leader all the same; the value before it is untouched."""
    img, d, end = _typed_line("Họ và tên người yêu cầu: Hồ Xuân Quân", "serif", 22)
    for x in range(end + 10, 1150, 15):
        for k in range(4):
            d.ellipse((x + 3 * k, 38, x + 3 * k + 2, 40), fill=40)
    big = cv2.resize(np.asarray(img), None, fx=2.2, fy=2.2, interpolation=cv2.INTER_CUBIC)
    big, end = cv2.GaussianBlur(big, (0, 0), 1.5), int(end * 2.2)
    out = prepare_for_ocr(big, 208, grey=True)
    assert out[:, end + 20 :].min() >= 250  # the blur's faintest reach, which no threshold takes for ink
    assert np.array_equal(out[:, :end], big[:, :end])


def test_ruling_removed_keeps_text():
    img = _form_line(False)[0].copy()
    img[130:134, 40:2300] = 0  # an underline rule through the descenders
    cleaned = prepare_for_ocr(img, 300)
    assert cleaned[131, 2000] == 255
    assert (cleaned[60:120] < 128).sum() > 0.9 * (img[60:120] < 128).sum()


def test_blurred_words_enlarged_from_a_photo_are_not_taken_for_ruling():
    """A defocused phone photo of a form, enlarged four times for OCR: its words run together into bars as long as
    a rule. They stay; the table's rule under them goes."""
    img = Image.new("L", (700, 70), 255)
    d = ImageDraw.Draw(img)
    d.text((10, 10), "Nơi thường trú: phường Đông Thọ, người yêu cầu", font=synth._font("sans", 14), fill=30)
    d.line((5, 55, 690, 55), fill=30, width=1)
    big = cv2.GaussianBlur(cv2.resize(np.asarray(img), None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC), (0, 0), 6)
    ink = binarize(big)
    found = ruling_mask(ink, 400)
    words, rule = ink[:180], ink[180:]
    assert (found[:180] & words).sum() < 0.02 * words.sum()
    assert (found[180:] & rule).sum() > 0.9 * rule.sum()


def test_searchable_pdf_pages_text_and_resolution(pages3):
    outs = [pipeline.process_image(synth.tint(p.image), 300)[0] for p in pages3]
    doc = ocr_pdf.join_pages([o.pdf for o in outs])
    reader = PdfReader(io.BytesIO(doc))
    assert len(reader.pages) == 3
    for src, page in zip(pages3, reader.pages, strict=True):
        text = clean_text(page.extract_text())
        assert cer(src.text, text) < 0.05  # the invisible layer holds the page's own text, in order
        # 100% scale at 300 dpi: A4 in points.
        assert abs(float(page.mediabox.width) - 595.3) < 2 and abs(float(page.mediabox.height) - 841.9) < 2
        images = list(page.images)
        assert len(images) == 1
        im = images[0].image
        assert im.mode == "RGB"  # tinted paper is a colour scan, kept in colour
        assert im.width / (float(page.mediabox.width) / 72) >= 299


def test_grey_scan_gives_grey_pdf_image(page):
    out = pipeline.process_image(page.image, 300)[0]
    im = next(iter(PdfReader(io.BytesIO(out.pdf)).pages[0].images)).image
    assert im.mode == "L"
    assert Image.open(io.BytesIO(out.clean_jpg)).size == (out.width_px, out.height_px)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_osd_second_opinion_uses_our_rotation_convention(page, rotation):
    """Tesseract OSD answers pages whose line shapes leave up and down open; its turn must mean ours."""
    scan = synth.turn(synth.skew(page.image, 2.5), rotation)
    found = pipeline._orientation_from_osd(scan, 300)
    assert found is not None and found.rotation == rotation
    with_skew = pipeline._with_skew(scan, 300, found)
    assert abs(with_skew.skew_deg - 2.5) <= 0.5


def _cells_page() -> np.ndarray:
    """A 300-dpi strip of a tờ khai's value column: an address, the word it wraps onto, then the next row."""
    img = Image.new("L", (1600, 460), 255)
    d = ImageDraw.Draw(img)
    font = synth._font("serif", 44)
    for y, text in ((60, "Số 87 đường Ngô Quyền, phường Nam Hà, tỉnh Hà"), (150, "Tĩnh"), (300, "Quan hệ: Bố")):
        d.text((80, y), text, font=font, fill=0)
    return np.asarray(img)


def test_a_word_the_layout_skipped_is_read_again_in_its_place():
    """Real Tesseract on real pixels; the page's reading is given without "Tĩnh", as Tesseract's layout drops
    a short word alone in its cell. The ink no word covers is read and put after the line above it."""
    image = _cells_page()
    words = ocr_image(image, 300, want_pdf=False).words
    assert [w.text for w in words if nfc(w.text) == "Tĩnh"], "the page's own reading has the word to drop"
    dropped = [w for w in words if nfc(w.text) != "Tĩnh"]
    again = read_uncovered(image, dropped, 300, "vie")
    lines = [ln for ln in reading_order(again).splitlines() if ln]
    assert lines == ["Số 87 đường Ngô Quyền, phường Nam Hà, tỉnh Hà", "Tĩnh", "Quan hệ: Bố"]
    # Every piece of ink read: nothing more to read, and no second Tesseract run.
    assert uncovered(image, words) == [] and read_uncovered(image, words, 300, "vie") == words


def test_a_word_boxed_round_its_leader_dots_alone_keeps_its_letters_in_its_line():
    """Tesseract read "Vinh……" but boxed only the dots under the name (seen on a 70-dpi tờ khai): the letters
    above that box are no skipped word. The box grows over them; no second "Vinh" is read as a line of its own,
    which left the name's line "Nguyễn Văn" once its flat word was dropped as no letter."""
    img = Image.new("L", (1400, 200), 255)
    ImageDraw.Draw(img).text((80, 60), "Họ và tên: Nguyễn Văn Vinh" + "." * 30, font=synth._font("serif", 44), fill=0)
    image = np.asarray(img)
    words = [w for w in ocr_image(image, 300, want_pdf=False).words if any(c.isalpha() for c in w.text)]
    x, y, bw, bh = words[-1].box
    assert nfc(words[-1].text).startswith("Vinh.") and bh > 20, "the page's own reading boxes the name whole"
    words[-1] = Word(words[-1].text, words[-1].conf, (x, y + bh - 5, bw, 5), 1, 1, 1)  # the dots' height only
    again = read_uncovered(image, words, 300, "vie")
    assert [w.text for w in again] == [w.text for w in words]
    assert again[-1].box[1] <= y + 5 and again[-1].box[3] >= bh - 5


def test_rows_of_leader_dots_the_layout_skipped_are_read_again_as_sparse_text():
    """A blurred photo of the parents' table whose leader dots the cleanup left: Tesseract's layout kept the first
    row only. Read as one block the stacked rows came out as one date; as sparse text the nationality rows read
    too (sparse text alone drops a lone word, test above: each piece keeps the reading with more letters)."""
    rows = [("Họ và tên mẹ: Vũ Mỹ Nhung", "Họ và tên cha: Quách Tiến Khang"),
            ("Năm sinh: 2002", "Ngày, tháng, năm sinh: 22/11/1998"), ("Dân tộc: Kinh", "Dân tộc: Kinh"),
            ("Quốc tịch: Việt Nam", "Quốc tịch: Việt Nam")]  # fmt: skip
    img = Image.new("L", (1100, 32 * len(rows) + 80), 255)
    d = ImageDraw.Draw(img)
    font = synth._font("sans", 20)
    for i, pair in enumerate(rows):
        for x, text in zip((40, 560), pair, strict=True):
            dots = int((480 - d.textlength(text + " ", font=font)) / 5.6)
            d.text((x, 40 + 32 * i), f"{text} {'.' * dots}", font=font, fill=100)
    image = cv2.GaussianBlur(np.asarray(img), (0, 0), 1.2)
    first = [w for w in ocr_image(image, 130, want_pdf=False).words if w.box[1] < 66]
    assert " ".join(w.text for w in first).startswith("Họ và tên mẹ"), "the first row is read"
    lines = [nfc(ln).rstrip(".") for ln in reading_order(read_uncovered(image, first, 130, "vie")).splitlines()]
    assert lines.count("Quốc tịch: Việt Nam") == 2
    assert "Ngày, tháng, năm sinh: 22/11/1998" in lines


def test_a_column_of_labels_the_layout_skipped_is_read_again_from_a_grey_page():
    """A blurred photo of a table read in grey: Tesseract's layout may drop a whole column of labels (a tờ khai's
    "Họ và tên cha", "Năm sinh" … beside their values). Its print is lighter than half-way grey, and there are more
    rows than a seal leaves specks: each label is still found and read, in its row's order."""
    labels = ["Họ và tên cha", "Năm sinh", "Dân tộc", "Quốc tịch", "Nơi cư trú"] * 3
    img = Image.new("L", (1400, 60 * len(labels) + 60), 255)
    d = ImageDraw.Draw(img)
    font = synth._font("sans", 30)
    for i, label in enumerate(labels):
        d.text((60, 40 + 60 * i), label, font=font, fill=80)
        d.text((700, 40 + 60 * i), f"Giá trị {i + 1}", font=font, fill=80)
    image = cv2.GaussianBlur(np.asarray(img), (0, 0), 2.0)
    assert image.min() > 128, "the print is lighter than half-way"
    values = [w for w in ocr_image(image, 200, want_pdf=False).words if w.box[0] > 600]
    again = read_uncovered(image, values, 200, "vie")
    read = " ".join(nfc(w.text) for w in again if w.box[0] < 600)
    assert read == nfc(" ".join(labels))
