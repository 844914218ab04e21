"""Every normaliser and validator, with the inputs that must fail."""

from __future__ import annotations

import datetime as dt

import pytest

from forms import normalize as n
from forms import validate as v

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)


@pytest.mark.parametrize(
    "raw,iso",
    [
        ("15/03/2024", "2024-03-15"),
        ("15-03-2024", "2024-03-15"),
        ("5.3.2024", "2024-03-05"),
        ("ngày 15 tháng 3 năm 2024", "2024-03-15"),
        ("Ngày 01 tháng 12 năm 1999", "1999-12-01"),
        ("20 giờ 55 phút, ngày 0ó tháng 03 năm 2024", "2024-03-06"),  # a 6 read "ó" beside a digit
        ("10 giờ 31 phút, ngày 23 tháng ó năm 2025", "2025-06-23"),  # or alone
        ("Hải Phòng, ngày 2ó tháng 4 năm 2025", "2025-04-26"),
        ("06\u204406\u20442024", "2024-06-06"),  # slashes read as fraction slashes
        ("12/O4/2031", "2031-04-12"),
        ("1S/08/2O20", "2020-08-15"),  # a 5 read "S", a 1 read "l"
        ("2l/08/2020", "2020-08-21"),
        ("_ 16/07I2022", "2022-07-16"),  # a slash read as a stroke, as a card's expiry was
        ("16l07/2022", "2022-07-16"),
        ("16/0712022", "2022-07-16"),  # a 1 where a month of three figures cannot be
        ("ngay 15 thang 3 nam 2024", "2024-03-15"),  # OCR lost the marks
        ("1O/O3/2O24", "2024-03-10"),  # O read for 0
        ("Sinh ngày: 29/02/2024.", "2024-02-29"),
        ("05092025", "2025-09-05"),  # the value alone, its slashes lost
        ("02 102000", "2000-10-02"),  # or one read as a space
        ("9 05 1986", "1986-05-09"),  # a day of one figure, both slashes read as spaces
        ("Ngày tháng, nàrn dưới 2408/1998", "1998-08-24"),  # one slash lost, after a garbled label
        ("24/081998", "1998-08-24"),
        # written out, as a tờ khai prints a date of birth again ("ghi bằng chữ")
        ("Ngày mười tám tháng hai năm hai nghìn không trăm hai mươi tư", "2024-02-18"),
        ("Ngày hai mươi lăm tháng một năm hai nghìn không trăm hai mươi tư", "2024-01-25"),
        ("Ngày mùng một tháng năm năm một nghìn chín trăm chín mươi", "1990-05-01"),  # May: "tháng năm năm"
        ("ghi bằng chữ: Ngày ba mươi mốt tháng mười hai năm hai nghìn linh năm", "2005-12-31"),
        ("NgàV mười tắm tháng hai năm hai nghìn Không trăm hi mươi tử", "2024-02-18"),  # a letter off here and there
    ],
)
def test_dates(raw, iso):
    assert n.date(raw) == iso


@pytest.mark.parametrize(
    "raw",
    ["31/02/2024", "29/02/2023", "15/13/2024", "ngày tháng năm", "", "2024", "12345678", "Số 05092025", "16/07I20221",
     "1234/2020", "2408/9998", "Ngày ba mươi hai tháng một năm hai nghìn",
     "Ngày mười một thắng hột xăm hai ng Ìn không tâm bai tư"],
)  # fmt: skip
def test_dates_refused(raw):
    assert n.date(raw) is None


@pytest.mark.parametrize(
    "raw,want", [("Nam", "Nam"), ("NAM", "Nam"), ("Nữ", "Nữ"), ("NỮ", "Nữ"), ("nu", "Nữ"), ("Giới tính: Nữ", "Nữ")]
)
def test_sex(raw, want):
    assert n.sex(raw) == want


@pytest.mark.parametrize("raw", ["Nam Định", "không rõ", "", "Nữa"])
def test_sex_refused(raw):
    assert n.sex(raw) is None


@pytest.mark.parametrize(
    "raw,want",
    [
        ("nguyễn  thị hoà", "nguyễn thị hòa"),
        ("NGUYỄN THỊ THUỶ", "NGUYỄN THỊ THỦY"),
        ("Lê Hoàng Khoẻ", "Lê Hoàng Khỏe"),
        ("Trần Quý", "Trần Quý"),
        ("Phạm Thuyền", "Phạm Thuyền"),
        ("Nguye\u0302\u0303n Va\u0306n", "Nguyễn Văn"),  # combining marks from OCR become NFC
        ("7rịnh Kim Vy", "Trịnh Kim Vy"),  # a capital read as the digit it looks like in some fonts
        ("ĐINH 0ANH", "ĐINH OANH"),
        ("Lê 5 Hà", "Lê Hà"),  # a lone digit is a speck
        ("g Tạ Phương Ly", "Tạ Phương Ly"),  # so is a small letter before a name
        ("Hồ xuân Vỹ", "Hồ Xuân Vỹ"),  # a word after the first that lost its capital
        ("x ĐỖ VĂN AN", "ĐỖ VĂN AN"),
        ("A Tạ Văn", "A Tạ Văn"),  # a capital may be a name's
        ("Í Tạ Thị My", "Tạ Thị My"),  # a table cell's border read as a capital is none
        ("Y Moan Niê", "Y Moan Niê"),  # an Ê Đê man's name opens with Y
        ("ĐỖ Kim My", "Đỗ Kim My"),  # one word in capitals in a name set in small letters: a mark read as one
        ("Lê Hải VY", "Lê Hải Vy"),  # or a y read large: its capital is the same shape
    ],
)
def test_names(raw, want):
    assert n.name(raw) == want


@pytest.mark.parametrize("raw", ["L", "L¿]", "li", "Thị", "", "12"])
def test_one_short_word_is_no_name(raw):
    """A surname and a given name at least; one word is taken only when long enough to be a name run together."""
    assert n.name(raw) is None


def test_a_name_run_together_is_kept():
    assert n.name("NGUYỄNVĂNAN") == "NGUYỄNVĂNAN"


def test_compare_key_ignores_case_spacing_and_tone_placement():
    assert n.compare_key("NGUYỄN THỊ HOÀ") == n.compare_key("Nguyễn  Thị Hòa")
    assert n.compare_key("Nguyễn Thị Hòa") != n.compare_key("Nguyễn Thị Hoa")


@pytest.mark.parametrize(
    "raw,want",
    [("079 203 012 345", "079203012345"), ("O79203O12345", "079203012345"), ("Số: 123456789", "123456789"),
     ("966301787215", "066301787215"),  # a blurred 0 read 9: every 12-digit number opens with 0
     ("923456789", "923456789"),  # an old CMND number opens with any digit
     ("| 0 | 7 | 9 | 2 | 0 | 3 | 0 | 1 | 2 | 3 | 4 | 5 |", "079203012345"),  # a digit to a box: bars, no 1s
     ("[0][7][9][2][0][3][0][1][2][3][4][5]", "079203012345"), ("079-203-012-345", "079203012345"),
     ("0923029ó5283......", "092302965283"),  # a 6 read "ó", leader dots after
     ("%9: 0461849159%67", "046184915967"),  # a speck read as a symbol between two digits
     ("0,9,2,3.0,1,5,9,4,9,4.4", "092301594944")],  # boxes' sides read as commas and dots
)  # fmt: skip
def test_id_numbers(raw, want):
    assert n.id_number(raw) == want


@pytest.mark.parametrize("raw", ["07920301234", "0792030123456", "không có"])
def test_id_numbers_refused(raw):
    assert n.id_number(raw) is None


@pytest.mark.parametrize(
    "raw,want",
    [
        ("3.200 gam", "3200"),
        ("3200g", "3200"),
        ("3,2 kg", "3200"),
        ("2.850", "2850"),
        ("2.ó50 gam", "2650"),
        ("3. 100 gam", "3100"),
    ],
)
def test_grams(raw, want):
    assert n.grams(raw) == want


def test_grams_and_years_refused():
    assert n.grams("không cân") is None
    assert n.year("năm sinh") is None and n.year("Năm sinh: 1990") == "1990"
    assert n.year("Năm sinh: 7985") == "1985" and n.year("71234") is None  # a 1 read as 7 starts no year
    assert n.year("73⁄01⁄4987") == "1987" and n.year("Năm sinh: 2987") is None  # nor as 4; a 2 may be a 2
    assert n.year("Năm sinh: 199ó") == "1996" and n.year("Năm sinh: ó") is None  # a 6 read "ó"
    assert n.year("21071993") == "1993" and n.year("21/07/1993") == "1993"  # a date's year


def test_id_number_structure_against_birth_and_sex():
    assert v.id_number("079203012345", "2003-05-01", "Nam") == []
    assert v.id_number("001190012345", "1990-01-01", "Nữ") == []
    assert v.id_number("079203012345", "2004-05-01", "Nam") == ["id_birth_year_mismatch"]
    assert v.id_number("079203012345", "1903-05-01", "Nam") == ["id_birth_year_mismatch"]  # wrong century
    assert v.id_number("079203012345", "2003-05-01", "Nữ") == ["id_sex_mismatch"]
    assert v.id_number("003203012345") == ["id_unknown_province"]
    assert v.id_number("079903012345") == ["id_bad_century_digit"]
    assert v.id_number("07920301234") == ["id_not_12_digits"]
    assert v.id_number("123456789") == []  # old 9-digit CMND


def test_date_validator():
    today = dt.date(2026, 11, 22)
    assert v.date("2024-03-15", today) == []
    assert v.date("2027-01-01", today) == ["date_in_future"]
    assert v.date("2027-01-01", today, past=False) == []
    assert v.date("1850-01-01", today) == ["date_too_old"]
    assert v.date("1901-11-29", today) == ["date_too_old"]  # older than anyone living: a misread 2001
    assert v.date("1910-01-01", today) == []
    assert v.date("2024-02-30", today) == ["invalid_date"]


def test_year_and_weight_validators():
    today = dt.date(2026, 11, 22)
    assert v.year("1990", today) == [] and v.year("2030", today) == ["year_out_of_range"]
    assert v.year("1904", today) == ["year_out_of_range"]
    assert v.grams("3200") == [] and v.grams("32000") == ["weight_out_of_range"]


def test_a_word_of_mixed_case_takes_a_capital_first():
    assert n.name("Vũ Ngọc DiỆp") == "Vũ Ngọc Diệp"
    assert n.name("VŨ NGỌC DIỆP") == "VŨ NGỌC DIỆP"
    assert n.place("thành phố Thủ DẦu Một") == "thành phố Thủ Dầu Một"
    assert n.place("Q.Bình Thạnh, TP.HCM") == "Q.Bình Thạnh, TP.HCM"


def test_names_drop_ocr_specks_places_keep_punctuation():
    assert n.name("Võ 'Thị Uyên") == "Võ Thị Uyên"
    assert n.name("Trần ‘Văn, Bình”") == "Trần Văn Bình"
    assert n.NORMALISERS["place"]("Số 12, phường 3, quận Hoà Vang.") == "Số 12, phường 3, quận Hòa Vang"


def test_compare_key_keeps_digits():
    assert n.compare_key("2026-04-14") != n.compare_key("2026-03-28")
    assert n.compare_key("079203012345") != n.compare_key("079203012346")


def test_place_reads_a_stop_before_a_lower_case_word_as_comma():
    assert n.place("Thôn Phú Thượng. xã Quỳnh Lưu, tỉnh Nghệ An") == "Thôn Phú Thượng, xã Quỳnh Lưu, tỉnh Nghệ An"
    assert n.place("Số 12 ngõ 45. Phố Huế") == "Số 12 ngõ 45. Phố Huế"  # a capital starts a new sentence


def test_place_reads_a_loose_mark_as_a_comma_or_a_speck():
    assert n.place("Số 185 đường Lê Lợi . Phường Mỹ Long") == "Số 185 đường Lê Lợi, Phường Mỹ Long"
    assert n.place("Thành phố Long Xuyên. Tỉnh An Giang") == "Thành phố Long Xuyên, Tỉnh An Giang"
    assert n.place("Số 18 , ngõ 35") == "Số 18, ngõ 35"
    assert n.place("huyện Hoằng Hóa, tỉnh Thanh . Hóa") == "huyện Hoằng Hóa, tỉnh Thanh Hóa"
    assert n.place("Thành phố Vinh, & Tỉnh Nghệ An") == "Thành phố Vinh, Tỉnh Nghệ An"
    assert n.place("quận Thanh Khê, „ thành phố Đà Nẵng") == "quận Thanh Khê, thành phố Đà Nẵng"
    assert n.place("Bệnh: viện Phụ sản Thanh: Hóa") == "Bệnh viện Phụ sản Thanh Hóa"
    assert n.place("Bệnh viện Phụ sản Thành , phố Cần Thơ") == "Bệnh viện Phụ sản Thành phố Cần Thơ"
    assert n.place("thôn Tân Thành, phố Huế") == "thôn Tân Thành, phố Huế"  # a printed comma stays
    assert n.place("Số 5. Đường Láng") == "Số 5. Đường Láng"  # no unit's kind after it: kept as printed
    assert n.place("xã Quỳnh Lương, —: huyện Quỳnh Lưu") == "xã Quỳnh Lương, huyện Quỳnh Lưu"
    assert n.place("phường Bãi Cháy; thành phố Hạ Long") == "phường Bãi Cháy, thành phố Hạ Long"  # no address has ";"


def test_place_drops_a_mark_between_a_kind_and_its_name_and_a_hyphen_stuck_to_a_word():
    assert n.place("Xã Hoằng Lộc, Huyện : Hoằng Hóa, Tỉnh Thanh Hóa") == "Xã Hoằng Lộc, Huyện Hoằng Hóa, Tỉnh Thanh Hóa"
    assert n.place("Thôn Trung, Huyện, Nghi Lộc, Tỉnh Nghệ An") == "Thôn Trung, Huyện Nghi Lộc, Tỉnh Nghệ An"
    assert n.place("Số 222 đường Trần Hưng -Đạo, Phường Lê Bình") == "Số 222 đường Trần Hưng Đạo, Phường Lê Bình"
    assert n.place("Bệnh viện Phụ sản - Nhi Đà Nẵng") == "Bệnh viện Phụ sản - Nhi Đà Nẵng"  # a hyphen between spaces
    assert n.place("Số 12-14 đường Láng") == "Số 12-14 đường Láng"
    assert n.place("Huyện Tân Kỳ, Tỉnh - Nghệ An") == "Huyện Tân Kỳ, Tỉnh Nghệ An"  # a dash after a kind
    assert n.place("Thành phố Vũng Tàu, Tỉnh Bà Rịa - Vũng Tàu") == "Thành phố Vũng Tàu, Tỉnh Bà Rịa - Vũng Tàu"
    # A kind of two words split by a speck where a part opens; a name ending so is no kind
    assert n.place("Quận Ngô Quyền, Thanh, phố Hải Phòng") == "Quận Ngô Quyền, Thành phố Hải Phòng"
    assert n.place("Thị, xã Sơn Tây, Hà Nội") == "Thị xã Sơn Tây, Hà Nội"
    assert n.place("xã Tân Thanh, phố Huế") == "xã Tân Thanh, phố Huế"
    # or by specks read as short words where its line wrapped ("Thị" / "| bể trấn Trâu Quỳ")
    assert n.place("phố Lý Thường Kiệt, Thị | bể trấn Trâu Quỳ") == "phố Lý Thường Kiệt, Thị trấn Trâu Quỳ"
    assert n.place("Phường Thành Công, phố Huế") == "Phường Thành Công, phố Huế"


def test_one_case_a_word_a_name_and_a_space_after_a_comma():
    assert n.place("Xóm Mới, xã Nghĩa ĐỒng, huyện Tân Kỳ") == "Xóm Mới, xã Nghĩa Đồng, huyện Tân Kỳ"
    assert n.place("Số 86 đường Nguyễn Du,phường Lộc Thọ") == "Số 86 đường Nguyễn Du, phường Lộc Thọ"
    assert n.name("Lý NGỌC HẠNH") == "LÝ NGỌC HẠNH"  # a paper sets a name in one case
    assert n.name("Lê Văn AN") == "Lê Văn AN"  # one word in capitals says nothing


def test_an_l_read_as_a_parenthesis_before_small_letters():
    assert n.name("(âm Đức Trung") == "Lâm Đức Trung"
    assert n.name("Ngô Thanh (y") == "Ngô Thanh Ly"
    assert n.name("Nguyễn (Anh)") == "Nguyễn Anh"  # a parenthesis before a capital is one


def test_a_number_run_into_the_word_before_it():
    assert n.place("Số77, ngõ 104, Tổ7, Phường12, Quận1") == "Số 77, ngõ 104, Tổ 7, Phường 12, Quận 1"
    assert n.place("Lô A12, KP3") == "Lô A12, KP3"  # a lot's and a quarter's codes are no words


def test_a_letter_read_for_a_digit_inside_a_house_number():
    assert n.place("Số 77, ngõ 12ó, phố Quang Trung") == "Số 77, ngõ 126, phố Quang Trung"
    assert n.place("Số 2O, Phường 1O") == "Số 20, Phường 10"
    assert n.place("Xóm Ó, xã Hòa") == "Xóm Ó, xã Hòa"  # a word, no number
    assert n.place("Số 1S đường Quang Trung") == "Số 15 đường Quang Trung"
    assert n.place("Số 15B, Lô S2") == "Số 15B, Lô S2"  # a house's letter and a lot's code are printed so
    assert n.place("Số ó, ngõ 80") == "Số 6, ngõ 80"  # the house's number alone, one such letter


def test_a_speck_read_as_a_quote_before_a_place_is_dropped():
    assert n.place("“Thôn Trung, Xã Hoằng Lộc") == "Thôn Trung, Xã Hoằng Lộc"
    assert n.place("'Số 5, ngõ 35.") == "Số 5, ngõ 35"


def test_place_keeps_one_comma_where_a_speck_follows_the_printed_one():
    # A wrapped line's comma, then a speck before the wrap: the speck reads as a second comma.
    assert n.place("phường Phú Hội, . thành phố Huế") == "phường Phú Hội, thành phố Huế"
    assert n.place("Số 49, ngõ 132., phố Nguyễn Du") == "Số 49, ngõ 132, phố Nguyễn Du"  # a speck before the comma
    assert n.place("Ì Bệnh viện Trung ương Huế") == "Bệnh viện Trung ương Huế"  # a table cell's border
    assert n.place("Số 69, ngõ ó, phố Lê Lợi") == "Số 69, ngõ 6, phố Lê Lợi"  # a lone 6 read "ó" after its word
    assert n.place("Số óó, ngõ 42") == "Số 66, ngõ 42"  # and two
    assert n.place("Số I16 đường Hùng Vương") == "Số 116 đường Hùng Vương"  # its first figure read as a letter
    assert n.place("Số s, ngõ 21") == "Số 5, ngõ 21"
    assert n.place("Xóm $, xã Nghi Thái") == n.place("Xóm S, xã Nghi Thái") == "Xóm 5, xã Nghi Thái"  # a photo's 5
    assert n.place("Khu S đường Lê Lợi") == "Khu S đường Lê Lợi"  # a zone named by a letter
    assert n.place("Khu I, phường Hòa Xuân") == "Khu I, phường Hòa Xuân"  # a numeral alone stays
    assert n.place("Xóm 5%, Xã Quỳnh Lương") == "Xóm 5, Xã Quỳnh Lương"  # a speck read "%"
    assert n.place("Số +43, ngõ 50, phố Nguyễn Du") == "Số 43, ngõ 50, phố Nguyễn Du"  # or "+" before the number
    # words run together where OCR lost the spaces; a capital read for a marked vowel is no cut
    assert n.place("Thành phố Hà Tĩnh, TỉnhHàTĩnh") == "Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh"
    assert n.place("Huyện Krông Búk, Tỉnh ĐắkLắk") == "Huyện Krông Búk, Tỉnh Đắk Lắk"
    assert n.place("phố DiỆp Minh") == "phố Diệp Minh"
    assert n.place("Số 9,, ngõ 49") == "Số 9, ngõ 49"
    assert n.place("phố Phan Chu Trinh, - Phường Vĩnh Hải") == "phố Phan Chu Trinh, Phường Vĩnh Hải"  # or a dash
    assert n.place("Xã Tân Thạnh Đông, .— Huyện Củ Chi") == "Xã Tân Thạnh Đông, Huyện Củ Chi"  # a dotted dash


def test_a_date_read_into_a_place_is_no_part_of_it_nor_of_the_kind_it_split():
    """A card's expiry printed beside its address and read into it, between the two words of a unit's kind."""
    read = "Quận Sơn Trà, Thành L 09/06/2039. - phố Đà Nẵng"
    assert n.place(read) == "Quận Sơn Trà, Thành phố Đà Nẵng"


def test_place_drops_a_stop_after_a_unit_kind_but_keeps_abbreviations():
    assert n.place("huyện An Dương, thành phố. Hải Phòng") == "huyện An Dương, thành phố Hải Phòng"
    assert n.place("Phường 7, TP. Hồ Chí Minh") == "Phường 7, TP. Hồ Chí Minh"
    # A name's word misread as a kind ("Hà Tỉnh" for Hà Tĩnh) before the next unit's kind keeps its comma.
    assert n.place("thành phố HÀ Tỉnh, tỉnh Hà Tĩnh") == "thành phố HÀ Tỉnh, tỉnh Hà Tĩnh"


@pytest.mark.parametrize(
    "raw,want",
    [
        ("Không thời hạn", "Không thời hạn"),
        ("Không thư hạn", "Không thời hạn"),  # as blurred cards read it
        ("Không thời bạn.", "Không thời hạn"),
        ("Không có ai", None),
        ("không phải", None),
        ("12/04/2031", "2031-04-12"),
        ("z5/01/1035", None),  # before the first cards that print an expiry: misread
    ],
)
def test_expiry_reads_no_expiry_a_letter_off(raw, want):
    assert n.expiry(raw) == want


def test_birth_year_carried_by_an_id_number():
    assert (v.birth_year("031185201424"), v.birth_year("079301900721")) == ("1985", "2001")
    assert v.birth_year("031785201424") is None and v.birth_year("123456789") is None  # no century 7; a CMND
