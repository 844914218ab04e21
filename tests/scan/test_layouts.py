"""Form layouts beside label-colon-value lines: labels over their values in cells, numbered fields and headings,
an ID number written one digit per printed box. Reading with real Tesseract; extraction on word boxes."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from digitize.devtools import synth_holdout as sh
from digitize.scan import digit_boxes
from digitize.scan.digit_boxes import read_cells, reread_digit_rows
from forms.catalog import default_catalog
from forms.dossier import PageWords, extract_documents
from forms.extract import find_labels
from forms.lines import page_lines
from ocr.frames import find_frames, frame_mask
from ocr.prep import binarize, prepare, prepare_for_ocr
from ocr.tesseract import ocr_image, plain_read

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

ID = "079203012345"


def _digit_line(style: str) -> np.ndarray:
    cv = sh.Canvas(300, (150.0, 14.0))
    look = sh.Look(sh.faces(sh.MAIN_FACES)[0], None, 12.0, 7.2, False, digit_style=style)
    flow = sh.Flow(cv, look, random.Random(1), 5, 145, 9)
    flow.boxed_field("Số định danh cá nhân:", ID)
    return np.asarray(cv.img.convert("L"))


def _digits(text: str) -> str:
    return "".join(c for c in text.split(":", 1)[-1] if c.isdigit())


@pytest.mark.parametrize("style", ["boxes", "squares", "comb"])
def test_digit_boxes_are_erased_so_the_number_reads(style):
    """Boxes touching in a strip, squares apart, a comb: their sides read as "|", "[" or "1" among the digits."""
    line = _digit_line(style)
    assert _digits(plain_read(line).text) != ID  # the frames garble the number read as it stands
    assert _digits(plain_read(prepare_for_ocr(line, 300)).text) == ID
    assert [row.digits for row in find_frames(binarize(line), 300)[1]] == [12]


@pytest.mark.parametrize("style", ["boxes", "comb"])
def test_blurred_digit_boxes_are_read_again_as_digits(style):
    """Blurred, the digits alone between wide gaps read with a figure too many ("0 7 93203012345"); read again as
    a line of digits, the row gives the number, on the label's line."""
    cv = sh.Canvas(300, (150.0, 30.0))
    look = sh.Look(sh.faces(sh.MAIN_FACES)[0], None, 12.0, 7.2, False, digit_style=style)
    flow = sh.Flow(cv, look, random.Random(1), 5, 145, 9)
    flow.field("Họ và tên:", "Nguyễn Văn An")
    flow.boxed_field("Số định danh cá nhân:", ID)
    page = cv2.GaussianBlur(np.asarray(cv.img.convert("L")), (0, 0), 2.5)
    ready = prepare(page, 300, grey=True)
    first = ocr_image(ready.image, 300, want_pdf=False)
    assert not first.text.replace(" ", "").endswith(ID)
    again = reread_digit_rows(ready.image, ready.digit_rows, first)
    assert next(ln for ln in again.text.splitlines() if "danh" in ln).endswith(f": {ID}")
    assert read_cells(page, ready.digit_rows[0].cells)[0] == ID  # the frames' insides read too


def test_digits_blurred_into_their_boxes_are_read_from_the_boxes_insides():
    """A phone photo of squares apart, read at 150 dpi: blur joins each digit to its box, so no box holds a mark
    of its own and the sides, erased, take the digits' strokes with them. Each frame's inside, cut out and set
    apart on white, reads as the number."""
    cv = sh.Canvas(300, (150.0, 30.0))
    look = sh.Look(sh.faces(sh.MAIN_FACES)[0], None, 12.0, 7.2, False, digit_style="squares")
    flow = sh.Flow(cv, look, random.Random(1), 5, 145, 9)
    flow.field("Họ và tên:", "Nguyễn Văn An")
    flow.boxed_field("Số định danh cá nhân:", ID)
    page = cv2.GaussianBlur(np.asarray(cv.img.convert("L")), (0, 0), 3.0)
    page = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ready = prepare(page, 150, grey=True)
    assert [len(row.cells) for row in ready.digit_rows] == [12]  # a frame not found is put back at the pitch
    assert read_cells(page, ready.digit_rows[0].cells)[0] == ID
    first = ocr_image(ready.image, 150, want_pdf=False)
    assert _digits(next(ln for ln in first.text.splitlines() if "danh" in ln)) != ID
    again = reread_digit_rows(ready.image, ready.digit_rows, first, page)
    assert next(ln for ln in again.text.splitlines() if "danh" in ln).endswith(f": {ID}")


def test_a_photos_light_grey_digits_in_squares_are_read():
    """A phone photo of a tờ khai at 165 dpi, as one of a fresh set was: its squares blurred thick (their ink
    covers over 60 % of their boxes) and the digits a light grey. The squares are still frames, and their insides,
    stretched to black, read as the number (Tesseract read the grey strip as "78")."""
    cv = sh.Canvas(300, (150.0, 30.0))
    look = sh.Look(sh.faces(sh.MAIN_FACES)[0], None, 12.0, 7.2, False, digit_style="squares")
    flow = sh.Flow(cv, look, random.Random(1), 5, 145, 9)
    flow.field("Họ và tên:", "Tạ Kim Nga")
    flow.boxed_field("Số định danh cá nhân:", "022188983225")
    page = cv2.GaussianBlur(np.asarray(cv.img.convert("L")), (0, 0), 3.5)
    page = cv2.resize(page, None, fx=0.55, fy=0.55, interpolation=cv2.INTER_AREA)
    page = (235 - (235 - page.astype(np.float32)) * 0.55).astype(np.uint8)  # grey ink on grey paper
    ready = prepare(page, 165, grey=True)
    assert [len(row.cells) for row in ready.digit_rows] == [12]
    assert read_cells(page, ready.digit_rows[0].cells)[0] == "022188983225"


@pytest.mark.parametrize("blur, scale", [(4.0, 0.41), (3.0, 0.45)])
def test_a_photos_digits_joined_to_both_rules_of_their_squares_are_read(blur, scale):
    """A phone photo of a tờ khai at 124 or 135 dpi, as one of a fresh set was: blur joins each digit to its
    square's top and bottom, so a "1" is an upright side itself and no mark is left in its box once the sides
    are taken away; the box's middle is inked, so it is a digit's frame. Its cells are cut at the row's one
    height (a "0"'s own measure cut its top and read as a "9") and set on the paper's grey."""
    number = "056198187243"
    cv = sh.Canvas(300, (150.0, 30.0))
    look = sh.Look(sh.faces(sh.MAIN_FACES)[0], None, 12.0, 7.2, False, digit_style="squares")
    flow = sh.Flow(cv, look, random.Random(1), 5, 145, 9)
    flow.field("Họ và tên:", "Lương Thu Nga")
    flow.boxed_field("Số định danh cá nhân:", number)
    page = cv2.GaussianBlur(np.asarray(cv.img.convert("L")), (0, 0), blur)
    page = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    page = (225 - (225 - page.astype(np.float32)) * 0.75).astype(np.uint8)  # grey ink on grey paper
    ready = prepare(page, round(300 * scale), grey=True)
    assert [len(row.cells) for row in ready.digit_rows] == [12]
    assert read_cells(page, ready.digit_rows[0].cells)[0] == number


def test_a_scans_dark_digits_are_read_as_a_raw_line_only(monkeypatch):
    """Read as one line of text (psm 7), a clean scan's "066191518937" came out "066329518937", a whole number
    and wrong: a row whose ink is dark is read as a raw line only; a photo's light grey one is stretched to black
    and read both ways (test_a_photos_light_grey_digits_in_squares_are_read)."""
    modes: list[int] = []
    real = digit_boxes.read_only
    monkeypatch.setattr(digit_boxes, "read_only", lambda *a, psm, **k: modes.append(psm) or real(*a, psm=psm, **k))
    cv = sh.Canvas(300, (150.0, 30.0))
    look = sh.Look(sh.faces(sh.MAIN_FACES)[0], None, 12.0, 7.2, False, digit_style="squares")
    sh.Flow(cv, look, random.Random(1), 5, 145, 9).boxed_field("Số định danh cá nhân:", ID)
    page = np.asarray(cv.img.convert("L"))
    cells = prepare(page, 300, grey=True).digit_rows[0].cells
    assert read_cells(page, cells)[0] == ID and set(modes) == {13}
    modes.clear()
    light = (235 - (235 - page.astype(np.float32)) * 0.4).astype(np.uint8)
    read_cells(light, cells)
    assert set(modes) == {13, 7}


def test_a_blurred_comb_whose_corner_is_rounded_off_is_a_frame():
    """A comb on a 172-dpi photo (tests' drawing of it): its last tooth's foot rounded off by blur over two pixels,
    a digit's foot joined under its rule; its twelve digits stand over it."""
    ink = np.zeros((80, 420), np.uint8)
    x0, pitch, top, h = 10, 32, 40, 21
    for k in range(13):
        ink[top + 1 : top + h - 3, x0 + k * pitch : x0 + k * pitch + 3] = 1  # a tooth
    ink[top + h - 4 : top + h - 1, x0 : x0 + 12 * pitch + 3] = 1  # the rule
    ink[top + h - 2 :, x0 + 12 * pitch + 1 :] = 0  # its end rounded off
    ink[top + h - 1, x0 + 40 : x0 + 46] = 1  # a digit's foot joined under it
    for k in range(12):
        ink[top - 12 : top + 10, x0 + k * pitch + 10 : x0 + k * pitch + 22] = 1  # a digit over the teeth
    rows = find_frames(ink, 172)[1]
    assert [(row.digits, len(row.cells)) for row in rows] == [(12, 12)]


@pytest.mark.parametrize("dpi", [150, 300])
def test_letters_and_digits_are_no_frames(dpi):
    """Letters with ink in their four corners ("H", "M", "X", a serif "m" over its feet) and a run of ones keep
    every pixel; an empty box, holding no digit, is left too."""
    cv = sh.Canvas(dpi, (150.0, 14.0))
    face = sh.faces(sh.MAIN_FACES)[0]
    cv.text(5, 9, "HÙNG MINH UUU HHH XXX MMM NNN mmm nnn hhh uuu 1111 □", cv.font(face[0], 14))
    ink = binarize(np.asarray(cv.img.convert("L")))
    bold_m = np.array([[c == "#" for c in row] for row in BOLD_M], np.uint8)
    ink[20 : 20 + bold_m.shape[0], -40 : -40 + bold_m.shape[1]] = bold_m
    assert not frame_mask(ink, dpi).any()


# The "m" of "Lâm" on a real receipt photo read at 150 dpi: a bold m whose feet a smear joined, ink in all four
# corners and along every side, like a box; but there is no digit in it.
BOLD_M = (
    ".....######.######..",
    ".##################.",
    "#####...#####..####.",
    *["###......###....###."] * 8,
    "#####...############",
    "#####...###########.",
)


def _row_words(rows: list[list[tuple[int, str]]]) -> list[dict]:
    """Word boxes as Tesseract gives them (20 px a letter, 15 px spaces, rows 60 px apart), each cell's text from
    its x; a row is one line."""
    words = []
    for i, row in enumerate(rows):
        for x, text in row:
            for w in text.split():
                words.append({"text": w, "conf": 0.95, "box": [x, i * 60, 20 * len(w), 40], "line": [1, 1, i]})
                x += 20 * len(w) + 15
    return words


def _fields(words: list[dict]) -> dict[str, str | None]:
    doc = extract_documents([PageWords(0, False, words)], default_catalog())[0]
    return {k: v.value for k, v in doc.fields.items()}


def test_labels_over_values_in_a_row_of_cells():
    """ "Giới tính  Dân tộc  Quốc tịch" over "Nam  Kinh  Việt Nam": each value is the one in its label's column,
    and "Nam Kinh" under them is no near miss of "Năm sinh"."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Quan hệ với người được khai sinh")],
        [(10, "Cha")],
        [(0, "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")],
        [(0, "Họ, chữ đệm, tên")],
        [(10, "Trần Văn An")],
        [(0, "Giới tính"), (600, "Dân tộc"), (1200, "Quốc tịch")],
        [(10, "Nam"), (610, "Kinh"), (1210, "Việt Nam")],
    ]))  # fmt: skip
    assert (got["child_sex"], got["child_ethnicity"], got["child_nationality"]) == ("Nam", "Kinh", "Việt Nam")
    assert got["child_name"] == "Trần Văn An"
    assert got["relationship"] == "Cha"  # a value of three letters alone on its line is no speck
    # The row's other labels garbled past reading: the one read still takes only its column.
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Họ, chữ đệm, tên người mẹ: Lâm Diệu Dung")],
        [(0, "Vâm shướt"), (600, "Tiêm bóc"), (1200, "Quốc tịch")],
        [(10, "1989"), (610, "Mường"), (1210, "Việt Nam")],
    ]))  # fmt: skip
    assert got["mother_nationality"] == "Việt Nam"
    values = page_lines(_row_words([[(10, "Nam"), (610, "Kinh"), (1210, "Việt Nam")]]))
    dtype = default_catalog().document_types["to_khai_khai_sinh"]
    assert not find_labels(dtype, values)


def test_numbered_fields_and_headings():
    """A number printed (or misread: "%." for "5.") before a label on a line is no part of the value before it;
    a numbered heading ends a value that reached the margin."""
    words = _row_words([
        [(0, "GIẤY CHỨNG SINH")],
        [(0, "I. PHẦN THÔNG TIN VỀ MẸ")],
        [(0, "1. Họ và tên mẹ: Trần Thị Mai")],
        [(0, "2. Năm sinh: 1992 3. Dân tộc: Kinh")],
        [(0, "5. Nơi đăng ký thường trú: Số 5 đường Lê Lợi, phường Bến Nghé, quận 1, Thành phố Hồ Chí Minh")],
        [(0, "II. PHẦN THÔNG TIN VỀ CON")],
        [(0, "1. Đã sinh con vào lúc: 2 giờ 32 phút, ngày 18 tháng 6 năm 2024")],
        [(0, "3. Số con trong lần sinh: 01 %. Giới tính của con: Nữ")],
    ])  # fmt: skip
    got = _fields(words)
    assert got["mother_birth_year"] == "1992"
    assert got["mother_residence"] == "Số 5 đường Lê Lợi, phường Bến Nghé, quận 1, Thành phố Hồ Chí Minh"
    assert got["child_sex"] == "Nữ"
    tk = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "II. Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")],
        [(0, "1. Họ, chữ đệm, tên: Trần Văn An")],
        [(0, "3. Giới tính: Nam 4. Dân tộc: Kinh 5. Quốc tịch: Việt Nam")],
    ]))  # fmt: skip
    assert (tk["child_sex"], tk["child_ethnicity"], tk["child_nationality"]) == ("Nam", "Kinh", "Việt Nam")


def test_a_blank_numbered_row_whose_full_stops_and_colons_were_lost_fills_nothing():
    """The father's block left blank, read "2 Năm sinh 3 Dân tộc 4 Quốc tịch:": each label is found before the
    next field's number, so the name above takes no label words for a name and the ethnicity no "4"."""
    rows = [
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "IV. Thông tin về người cha")],
        [(0, "1. Họ, chữ đệm, tên người cha: ....")],
        [(0, "2 Năm sinh 3 Dân tộc 4 Quốc tịch:")],
        [(0, "5 Nơi cư trú:")],
    ]  # fmt: skip
    words = _row_words(rows)
    hits = find_labels(default_catalog().document_types["to_khai_khai_sinh"], page_lines(words, page=1))
    assert {"father_birth_year", "father_ethnicity", "father_nationality"} <= {h.key for h in hits if h.line == 3}
    got = _fields(words)
    assert [got.get(k) for k in ("father_name", "father_birth_year", "father_ethnicity")] == [None, None, None]


def test_a_speck_in_a_blank_cell_is_no_ethnic_group_nor_country():
    """The father's block left blank on a 70-dpi copy: a cell's speck read "#" after "Dân tộc:" is no value."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "IV. Thông tin về người cha")],
        [(0, "1. Họ, chữ đệm, tên người cha: ....")],
        [(0, "2. Năm sinh: ...... 3. Dân tộc: ....#, 4. Quốc tịch: ....")],
    ]))  # fmt: skip
    assert (got.get("father_ethnicity"), got.get("father_nationality")) == (None, None)


def test_a_country_at_the_margin_takes_no_line_under_it():
    """A row of cells whose last value, the country misread ("ViỆt Man"), reaches the right margin: an ethnic group
    or a country does not wrap, so the next row, its label garbled ("7 Nơi sử"), is not read into it."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "II. Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")],
        [(0, "1. Họ, chữ đệm, tên: Trần Văn An")],
        [(0, "4. Giới tính: Nam"), (420, "5. Dân tộc: Kinh"), (800, "6. Quốc tịch: ViỆt Man")],
        [(0, "7 Nơi sử Bệnh viện Từ Dũ")],
    ]))  # fmt: skip
    assert (got["child_ethnicity"], got["child_nationality"]) == ("Kinh", "Việt Nam")


def test_a_name_under_its_label_with_a_speck_read_as_a_colon_is_still_the_name():
    """Labels over values: "Lê Phương Hạnh:" under "Họ và tên" (a speck after it read as a colon) is the child's
    name, not the rest of a longer label up to its colon, which left the name empty."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")],
        [(0, "Họ và tên")],
        [(0, "Lê Phương Hạnh:")],
        [(0, "Ngày, tháng, năm sinh:")],
        [(0, "04/10/2023")],
    ]))  # fmt: skip
    assert got["child_name"] == "Lê Phương Hạnh"


def test_block_opens_at_its_heading_when_its_name_label_is_lost():
    """The mother's name label in small print garbled to "H1": her block starts at "Thông tin về người mẹ", so
    the labels printed for every person ("Năm sinh", "Nơi cư trú") are hers, not left unread; the one line under
    the heading that reads as a name is hers, doubted. The father's empty block, its label garbled, stays empty."""
    words = _row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Quan hệ với người được khai sinh: Mẹ")],
        [(0, "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")],
        [(0, "Họ và tên: Lương Tiến Vinh")],
        [(0, "Thông tin về người mẹ")],
        [(0, "H1")],
        [(10, "Bùi Kim Chi")],
        [(0, "Năm sinh: 2000 Dân tộc: Kinh Quốc tịch: Việt Nam")],
        [(0, "Nơi cư trú: Số 85 đường Lê Lợi, phường Mỹ Bình, thành phố Long Xuyên, tỉnh An Giang")],
        [(0, "Thông tin về người cha")],
        [(0, "H_. 'L ]")],
        [(0, "Năm sinh: Dân tộc: Quốc tịch:")],
    ])  # fmt: skip
    doc = extract_documents([PageWords(0, False, words)], default_catalog())[0]
    got = {k: v.value for k, v in doc.fields.items()}
    assert (got["mother_birth_year"], got["mother_ethnicity"]) == ("2000", "Kinh")
    assert got["mother_residence"] == "Số 85 đường Lê Lợi, phường Mỹ Bình, thành phố Long Xuyên, tỉnh An Giang"
    assert got["mother_name"] == "Bùi Kim Chi" and doc.fields["mother_name"].confidence <= 0.5
    assert not got.get("father_name") and not got.get("father_birth_year")


def test_a_name_after_a_cells_specks_and_a_year_whose_1_reads_as_a_bang():
    """A 125-dpi phone photo of a tờ khai in ruled cells, its small labels garbled past knowing: the mother's name
    read after the specks of its cell's corner and bottom rule ("._ Châu Diệu Trang"), her year's last 1 read "!"
    ("200!"). The name is still the one line under her heading that reads as one, the year still hers."""
    words = _row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Thông tin về người mẹ")],
        [(0, "t.*. s4 lên ca) /29 mẲ")],
        [(0, "._ Châu Diệu Trang")],
        [(0, "Mi vết tiêm tộc (uêy ta")],
        [(0, "200! Kinh Việt Nam")],
        [(0, "Thông tin về người cha")],
    ])  # fmt: skip
    doc = extract_documents([PageWords(0, False, words)], default_catalog())[0]
    got = {k: v.value for k, v in doc.fields.items()}
    assert (got["mother_name"], got["mother_birth_year"]) == ("Châu Diệu Trang", "2001")
    assert doc.fields["mother_name"].confidence <= 0.5  # no label vouches for it: for the reviewer


def test_a_hospital_read_after_a_quote_is_still_where_the_child_was_born():
    """A phone photo: the child's "Nơi sinh" and "Quê quán" labels garbled past knowing ("ưn", "Quả án"), the
    hospital's line opening with a speck read as a quote. The block's two places are still its place of birth (a
    facility) and its hometown, in the order printed."""
    words = _row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "'Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")],
        [(0, "Họ và tên: Phan Hoàng Phát")],
        [(0, "ưn")],
        [(0, "'Bệnh viện Phụ sản Hải Phòng")],
        [(0, "Quả án")],
        [(0, "phường Phú Cường, thành phố Thủ Dầu Một, tỉnh Bình Dương.")],
        [(0, "Thông tin về người mẹ")],
    ])  # fmt: skip
    got = extract_documents([PageWords(0, False, words)], default_catalog())[0].fields
    assert got["child_place_of_birth"].value == "Bệnh viện Phụ sản Hải Phòng"
    assert got["child_hometown"].value == "phường Phú Cường, thành phố Thủ Dầu Một, tỉnh Bình Dương"


def test_a_garbled_name_label_under_a_later_heading_is_that_blocks():
    """A 70-dpi copy (labels above values): the child's name label garbled past knowing and its relationship row
    too, the mother's read as the child's short label ("Họ, chữ đấm, tên ngự frxy"). The mother's heading above
    it makes it hers; the child's block opens at its own heading, its name the one line there that reads as one."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Thông tin người yêu cầu")],
        [(0, "Hạ, chí đấm, tên người gẽu (họ")],
        [(0, "Kiểu Ngọc My")],
        [(0, "Quan hệ vớt rgướt đơớ kdsa s ác")],
        [(0, "Mẹ để")],
        [(0, "Đề nghị cơ quan đãng kỷ khai sinh che người đười đây:")],
        [(0, "Họ xá: ên:")],
        [(0, "Kiểu Tiến Quần")],
        [(0, "Ngày, tháng, nàn srết")],
        [(0, "18/01/2024")],
        [(0, "Thðng tin về người mẹ")],
        [(0, "Họ, chữ đấm, tên ngự frxy")],
        [(0, "kiêu Ngọc My")],
        [(0, "Năm snh")],
        [(0, "1989")],
        [(0, "Thông tin vẽ người cha")],
        [(0, "Họ. chữ đề, tên người cha")],
        [(0, "Năm sinh:")],
        [(0, "Người yêu cầu (Ký, ghi rõ họ, chữ đệm, tõn)")],
    ]))  # fmt: skip
    assert (got["mother_name"], got["mother_birth_year"]) == ("Kiều Ngọc My", "1989")
    assert (got["child_name"], got["child_date_of_birth"]) == ("Kiều Tiến Quân", "2024-01-18")
    assert not got.get("father_name") and not got.get("father_birth_year")


def test_table_read_column_by_column_with_name_labels_garbled_to_figures():
    """A ruled table at 70 dpi that Tesseract reads as two blocks, its labels' column then its values': the
    name labels' last words garbled with figures in them ("lên nyaf01 te" for "tên người mẹ") are still the
    labels' (no value after them), each block's by the heading over it, and the names are in the cells beside."""
    rows = [
        ("Thông tin về người mẹ", None), ("Ho, chữ đệm, lên nyaf01 te", "Trần Thị Hằng"), ("Năm sinh", "1987"),
        ("Thông tin về người cha", None), ("Họ, chí đệm, tên g4 clui", "Lý Văn Sang"), ("Năm sinh", "1997"),
    ]  # fmt: skip
    title = _row_words([[(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")]])
    labels = _row_words([[(0, label)] for label, _ in rows])
    values = _row_words([[(700, value)] if value else [] for _, value in rows])
    for block, words in enumerate([title, labels, values]):  # the values' column a block of its own, read last
        for w in words:
            w["line"][0] = block
            w["box"][1] += 60 * bool(block)
    got = _fields(title + labels + values)
    assert (got["mother_name"], got["mother_birth_year"]) == ("Trần Thị Hằng", "1987")
    assert (got["father_name"], got["father_birth_year"]) == ("Lý Văn Sang", "1997")


def test_a_giay_chung_sinhs_values_found_by_kind_under_its_section_headings():
    """A 70-dpi giấy chứng sinh, each small label over its value garbled past knowing ("lo Và 1È giet hư nuôi
    tiưững"), its values read: under "PHẦN THÔNG TIN VỀ MẸ" the one name in capitals, a year, an ID number and an
    address are the mother's; under "… VỀ CON" the date, Nam/Nữ and a weight with its unit are the child's
    (the count of the children, "01", is no weight). No label vouches for them: each is for the reviewer."""
    doc = extract_documents([PageWords(0, False, _row_words([
        [(0, "GIẤY CHỨNG SINH")],
        [(0, "PHXN THỐNG TÍN VỀ MẸ")],
        [(0, "lo Và 1È giet hư nuôi tiưững")],
        [(0, "TÔN THỊ THỦY")],
        [(0, "Xâm xlnh:")],
        [(0, "1984")],
        [(0, "Si đt đunh ri t1")],
        [(0, "022184860228")],
        [(0, "r1 € fru")],
        [(0, "Số 163 đường Trần Hưng Đạo, phường An Hải Bắc, quận Sơn Trà, thành phố Đà Nẵng")],
        [(0, "PHẨN THÔNG HN VỀ CON")],
        [(0, "H s1] c6) v A0 Eúc")],
        [(0, "19 giờ 52 phút, ngày 7 tháng 6 năm 2023")],
        [(0, "SI ngại tu lắà 3š|1 |")],
        [(0, "01")],
        [(0, "12404 LH} t311 6t")],
        [(0, "Nam")],
        [(0, "tu nâng")],
        [(0, "3.600 gam")],
    ]))], default_catalog())[0]  # fmt: skip
    got = {k: v.value for k, v in doc.fields.items()}
    assert (got["mother_name"], got["mother_birth_year"], got["mother_id_number"]) == ("TÔN THỊ THỦY", "1984",
                                                                                      "022184860228")  # fmt: skip
    assert got["mother_residence"].startswith("Số 163 đường Trần Hưng Đạo")
    assert (got["child_date_of_birth"], got["child_sex"], got["child_weight_grams"]) == ("2023-06-07", "Nam", "3600")
    assert all(doc.fields[k].confidence < 0.9 for k in ("mother_name", "child_date_of_birth", "child_weight_grams"))


def test_a_garbled_name_label_ending_in_the_signature_caption_is_still_the_label():
    """ "lo câhŒ đệm. sêm ngưới yêu câu": a photo's requester label, all of its line, its end read as exactly the
    signature's caption "Người yêu cầu" (a stop phrase). It is the label, and the name under it the requester's."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Thông tÌn người yêu cầu")],
        [(0, "lo câhŒ đệm. sêm ngưới yêu câu")],
        [(0, "Châu Kim Oanh")],
        [(0, "Nơi cư trú")],
        [(0, "Số 37, ngõ 25, phố Nguyễn Trãi, phường Hồng Gai, thành phố Hạ Long, tỉnh Quảng Ninh")],
    ]))  # fmt: skip
    assert got["requester_name"] == "Châu Kim Oanh"


def test_a_garbled_label_whose_colon_reads_as_a_full_stop_ends_there():
    """ "2. Nơ thường tú. Số 50, …": on a 70-dpi tờ khai the residence's label lost two letters and its colon read as
    a full stop; before a value's capital that stop ends the label as a colon does (the numbering's "2." and a
    comma read as a stop inside a label, test above, do not)."""
    address = "Số 50, ngõ 127, phố Lê Duẩn, phường Cái Khế, quận Ninh Kiều, thành phố Cần Thơ"
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "1. Họ và tên người yêu cầu: Nguyễn Diệu Ngân")],
        [(0, f"2. Nơ thường tú. {address}")],
        [(0, "4. Quan hệ với người được khai sinh: Mẹ đẻ")],
    ]))  # fmt: skip
    assert got["requester_residence"] == address


def test_a_blocks_rows_read_before_its_first_label_are_in_it_from_its_heading():
    """A clean scan of a giấy chứng sinh whose "1. Đã sinh con vào lúc" Tesseract read after the rows under it
    (its number a block of its own): "Tại" and "Cân nặng" stand between the child's heading and that label, in
    the child's block."""
    got = _fields(_row_words([
        [(0, "GIẤY CHỨNG SINH")],
        [(0, "I. PHẦN THÔNG TIN VỀ MẸ")],
        [(0, "1. Họ và tên mẹ/người nuôi dưỡng: Mai Mỹ Trang")],
        [(0, "Năm sinh: 1992")],
        [(0, "II. PHẦN THÔNG TIN VỀ CON")],
        [(0, ". Tại: Bệnh viện Phụ sản - Nhi Đà Nẵng")],
        [(0, ". Cân nặng: 3.550 gam")],
        [(0, "NGƯỜI ĐỠ ĐẺ")],
        [(0, ". Đã sinh con vào lúc: 7 giờ 53 phút, ngày 15 tháng 08 năm 2025")],
        [(0, "4. Giới tính của con: Nữ")],
    ]))  # fmt: skip
    assert (got["place_of_birth"], got["child_weight_grams"]) == ("Bệnh viện Phụ sản - Nhi Đà Nẵng", "3550")
    assert (got["child_date_of_birth"], got["child_sex"]) == ("2025-08-15", "Nữ")


def test_two_headings_side_by_side_open_no_block_over_the_other():
    """A tờ khai whose mother's and father's headings stand on one line, each block under it read in turn: the
    father's heading, before the mother's label, does not open his block over hers."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")],
        [(0, "Họ, chữ đệm, tên: ĐỖ CÔNG KHANG")],
        [(0, "Thông tin về người mẹ"), (700, "Thông tin về người cha")],
        [(0, "Họ, chữ đệm, tên người mẹ: TRẦN KIM HẠNH")],
        [(0, "Năm sinh: 1997")],
        [(0, "Dân tộc: Thái")],
        [(0, "Họ, chữ đệm, tên người cha: ĐỖ THÀNH QUÂN")],
        [(0, "Năm sinh: 1980")],
        [(0, "Dân tộc: Tày")],
    ]))  # fmt: skip
    assert (got["mother_birth_year"], got["mother_ethnicity"]) == ("1997", "Thái")
    assert (got["father_birth_year"], got["father_ethnicity"]) == ("1980", "Tày")


def test_a_name_in_capitals_whose_surname_has_a_letter_read_twice_is_still_a_name():
    """ "PHAẠM THANH DỤNG" under "Họ và tên người mẹ" (a clean scan read an "A" twice): a name in capitals whose
    first word is a letter off a listed surname is the name; under the father's empty label, the next row's label
    in small letters is none."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "Thông tin về người mẹ")],
        [(0, "Họ và tên người mẹ")],
        [(0, "PHAẠM THANH DỤNG")],
        [(0, "Năm sinh: 1989")],
        [(0, "Thông tin về người cha")],
        [(0, "Họ và tên người cha")],
        [(0, "Nâm sinh:")],
    ]))  # fmt: skip
    assert got["mother_name"] == "PHẠM THANH DỤNG" and got["mother_birth_year"] == "1989"
    assert not got.get("father_name")


def test_heading_in_capitals_ends_a_value_and_cell_specks_do_not_open_one():
    """An address that reached the margin does not run on into the heading in capitals under it; the specks a
    ruled cell's corner leaves before a value ("„ -") are no part of it."""
    got = _fields(_row_words([
        [(0, "GIẤY CHỨNG SINH")],
        [(0, "Họ và tên mẹ: Trần Thị Mai")],
        [(0, "Nơi đăng ký thường trú: Số 5 đường Lê Lợi, phường Bến Nghé, quận 1, Thành phố Hồ Chí Minh")],
        [(0, "PHẦN THÔNG TIN VỀ CON")],
        [(0, "Tại: „ - Bệnh viện Hùng Vương")],
    ]))  # fmt: skip
    assert got["mother_residence"] == "Số 5 đường Lê Lợi, phường Bến Nghé, quận 1, Thành phố Hồ Chí Minh"
    assert got["place_of_birth"] == "Bệnh viện Hùng Vương"


def test_value_written_large_under_a_small_label():
    """A cell's label in small print (20 px) and its value written large (32 px) under it stand further apart than
    the small print's spacing: the value is still the label's."""
    rows = [("GIẤY CHỨNG SINH", 0, 40), ("Họ và tên mẹ: Trần Thị Mai", 60, 40), ("Nơi cư trú", 120, 20),
            ("Số 5 đường Lê Lợi, phường Bến Nghé, quận 1, Thành phố Hồ Chí Minh", 169, 32)]  # fmt: skip
    words = []
    for i, (text, y, h) in enumerate(rows):
        x = 0
        for w in text.split():
            words.append({"text": w, "conf": 0.95, "box": [x, y, h // 2 * len(w), h], "line": [1, 1, i]})
            x += h // 2 * len(w) + h // 2
    assert _fields(words)["mother_residence"] == "Số 5 đường Lê Lợi, phường Bến Nghé, quận 1, Thành phố Hồ Chí Minh"


def test_number_glued_to_a_label_opens_its_line():
    """ "1.Họvả tên:" (the number and the label run together, a space lost): the label still opens its line, so
    the child's block starts there and the labels the child shares with the parents are the child's."""
    got = _fields(_row_words([
        [(0, "TỜ KHAI ĐĂNG KÝ KHAI SINH")],
        [(0, "4. Quan hệ với người được khai sinh: Cha")],
        [(0, "1.Họvả tên: Quách Diệu Dung")],
        [(0, "2. Ngày, tháng, năm sinh: 07/09/2023")],
        [(0, "4, Giới tính: Nữ 5. Dân tộc: Kinh 6. Quốc tịch: Việt Nam")],
        [(0, "1.Họ và tên người mẹ: Đinh Phương Hoa")],
        [(0, "2. Năm sinh: 1993 3. Dân tộc: Kinh 4. Quốc tịch: Việt Nam")],
    ]))  # fmt: skip
    assert (got["child_name"], got["child_date_of_birth"]) == ("Quách Diệu Dung", "2023-09-07")
    assert (got["child_ethnicity"], got["mother_birth_year"]) == ("Kinh", "1993")


def test_value_read_after_another_block_is_still_the_one_under_its_label():
    """Tesseract may read the heading at the top right after the first cells of the left column, so that it comes
    between a label and the value printed under it ("Nơi đăng ký thường trú", then "CỘNG HÒA…", then the
    address): the value is the line standing under the label on the page, wherever the reading order put it."""
    blocks = [  # (block, x, y, text) in the order Tesseract gave them
        (1, 0, 0, "SỞ Y TẾ TỈNH AN GIANG"),
        (1, 0, 100, "Họ và tên mẹ"), (1, 0, 140, "Trần Thị Mai"), (1, 0, 200, "Nơi đăng ký thường trú"),
        (2, 900, 0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (2, 900, 40, "Độc lập - Tự do - Hạnh phúc"),
        (3, 600, 80, "GIẤY CHỨNG SINH"), (4, 900, 120, "Dân tộc"), (4, 900, 160, "Kinh"),
        (5, 0, 240, "Số 5 đường Lê Lợi, phường Mỹ Bình, thành phố Long Xuyên, tỉnh An"), (5, 0, 280, "Giang"),
    ]  # fmt: skip
    words = []
    for i, (block, x, y, text) in enumerate(blocks):
        for w in text.split():
            words.append({"text": w, "conf": 0.95, "box": [x, y, 20 * len(w), 30], "line": [block, 1, i]})
            x += 20 * len(w) + 15
    got = _fields(words)
    assert got["mother_name"] == "Trần Thị Mai"
    assert got["mother_residence"] == "Số 5 đường Lê Lợi, phường Mỹ Bình, thành phố Long Xuyên, tỉnh An Giang"


def test_address_wrapped_after_a_number_and_leaders_read_as_letters():
    """A narrow cell's address: its wrap opens with a number and a comma ("71, phố …", no numbered field), and
    the dots that fill a line's end, read as letters 4 px tall ("se."), are no part of it."""
    words = _row_words([
        [(0, "GIẤY CHỨNG SINH")],
        [(0, "Họ và tên mẹ: KIỀU MỸ DUNG")],
        [(0, "Nơi đăng ký thường trú: Số 85, ngõ ....")],
        [(0, "71, phố Lý Thường Kiệt, phường Hòa Khánh Bắc, quận Liên Chiểu, se.")],
        [(0, "thành phố Đà Nẵng")],
        [(0, "PHẦN THÔNG TIN VỀ CON")],
    ])  # fmt: skip
    flat = next(w for w in words if w["text"] == "se.")
    flat["box"] = [flat["box"][0], flat["box"][1] + 30, flat["box"][2], 4]
    assert _fields(words)["mother_residence"] == (
        "Số 85, ngõ 71, phố Lý Thường Kiệt, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng"
    )
