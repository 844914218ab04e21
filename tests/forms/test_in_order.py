"""A card's values found by their place when OCR garbled their labels (forms.in_order), on lines as Tesseract
read them from a low-resolution photocopy of a card."""

from __future__ import annotations

import pytest

from forms.catalog import default_catalog
from forms.dossier import PageWords, extract_documents
from forms.extract import extract_fields
from forms.in_order import by_order
from forms.lines import page_lines

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

# The labels of name, birth date, sex and nationality are noise here; the values are legible.
GARBLED = [
    "CĂN CƯỚC CÔNG DÂN",
    "Số: 001162780150",
    "lạ và lắm,",
    "(_ DƯƠNG NGỌC TRÂM.",
    "gay tháng, nà m sài 25/07/1962",
    "Gitss Nữ Quách Việt Nam",
    "Quê quán: Thị trấn Trâu Quỳ, Huyện Gia Lâm, Thành phố Hà Nội",
    "Nơi thường trú: Xóm Mới, Xã An Đồng, Huyện An Dương, Thành phố Hải Phòng",
]


def _words(text_lines: list[str]) -> list[dict]:
    words = []
    for i, line in enumerate(text_lines):
        x = 0
        for w in line.split():
            words.append({"text": w, "conf": 0.8, "box": [x, i * 60, 20 * len(w), 40], "line": [1, 1, i]})
            x += 20 * len(w) + 15
    return words


def _card(text_lines: list[str]) -> dict:
    return extract_fields(default_catalog().document_types["can_cuoc"], page_lines(_words(text_lines)))


def test_values_under_garbled_labels_found_by_their_place_and_doubted():
    got = _card(GARBLED)
    assert got["id_number"].value == "001162780150" and got["id_number"].confidence > 0.5  # read by its label
    assert got["full_name"].value == "DƯƠNG NGỌC TRÂM"
    assert got["date_of_birth"].value == "1962-07-25"
    assert (got["sex"].value, got["nationality"].value) == ("Nữ", "Việt Nam")
    for key in ("full_name", "date_of_birth", "sex", "nationality"):
        assert got[key].confidence < 0.5, key  # no label vouches for them: the reviewer looks
    assert got["full_name"].box == [0, 180, 365, 40]  # its line, for the reviewer to see
    assert got["place_of_origin"].value.startswith("Thị trấn Trâu Quỳ")  # labels read still lead


def test_a_number_read_short_still_says_where_the_fields_after_it_stand():
    """As a low-resolution copy was read: the number lost a digit, so no field has a value read by its label;
    the number's label still stands, and the name and nationality follow it."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 09153292713", "| Kệ", "_ LÂM THỊ LOAN", "| XQhu ng sân su 190W19%1",
             "| ae. NŒ (sáé°% Việt Nam"]  # fmt: skip
    got = _card(lines)
    assert got["id_number"].value is None
    assert (got["full_name"].value, got["nationality"].value) == ("LÂM THỊ LOAN", "Việt Nam")


def test_the_title_says_where_the_fields_begin_when_nothing_else_was_read():
    """As a small photographed card was read: its number and every label past reading, the title and the name
    still legible. The name follows the title; far below it, nothing is taken."""
    lines = ["CỐÔAH: MÔAA XÃ HỘI CC NGAMÍA VIỆT XAM:", "CĂN CƯỚC CÔNG DÂN", "*ó: (790 L42640<0", "...",
             "TỒN CÔNG QUÂN.", "Hs 1VI2E9SES"]  # fmt: skip
    got = _card(lines)
    assert got["full_name"].value == "TÔN CÔNG QUÂN" and got["full_name"].confidence < 0.5
    assert "full_name" not in _card(lines[:2] + ["x", "y", "z", "w", "v"] + lines[4:])
    # Its small capitals' spaces moved and a letter misread, a low-resolution copy's title is still the title.
    lines[1] = "CẢ NCƯỚC CÔNG ĐẦNX"
    assert _card(lines)["full_name"].value == "TÔN CÔNG QUÂN"
    # The title garbled a little is still the title, and no name: "CÀ N CƯỨC CÔNG ĐẮN" holds one heading pair only.
    assert "full_name" not in _card(["CÀ N CƯỨC CÔNG ĐẮN", "®ú: Ifˆ 070121", "là tả 9x"])


def test_a_name_read_above_the_numbers_line_is_found_under_the_title():
    """A photo's lines out of order: the name read between the title and the number's line. Looked for there
    last, no further than the number's line: the birth date below is no name's place."""
    lines = ["CĂN CƯỚC CÔNG ĐÂN", "|", "Ea", "| lẹ và tức", "HOÀNG KHANH NHƯNG", "Số: 0091835713954",
             "| Ngáy tháng. nám se 06/01/1985"]  # fmt: skip
    got = _card(lines)
    assert got["full_name"].value == "HOÀNG KHANH NHUNG" and got["full_name"].confidence < 0.5  # the list: Nhung
    assert "full_name" not in _card([lines[0], "Số: 0091835713954", "x", "y", "z", "w", "v", "HOÀNG KHANH NHƯNG"])


def test_no_value_taken_from_far_away_or_from_the_wrong_word():
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 001162780150", "lạ và lắm,", "Ngày ®áng nÀm se", "x", "y", "z",
             "Có dấu: Ngày 19 tháng 05 năm 2024, Việt Nam"]  # fmt: skip
    got = _card(lines)
    assert got["id_number"].value == "001162780150"
    # "nÀm" is "năm" misread, no sex; the date and the nationality stand too far below the number.
    for key in ("full_name", "date_of_birth", "sex", "nationality", "date_of_expiry"):
        assert key not in got or got[key].value is None, key


def test_the_cards_heading_in_capitals_is_no_name():
    """As a 67-dpi copy was read: the number's label stands, its value garbled; the national heading below it, in
    capitals, is no name. A name with one of its words ("LÊ CÔNG HÒA") is one."""
    lines = ["Số: 231082032x", "CÔNG HÒA XÃ HỢI CHẾ NGHĨ", "Ngày HÔ g r7"]
    assert "full_name" not in _card(lines) or _card(lines)["full_name"].value is None
    lines = ["Số: 231082032x", "CÔNG HÒA XÃ HỢI CHẾ NGHĨ", "_ LÊ CÔNG HÒA"]
    assert _card(lines)["full_name"].value == "LÊ CÔNG HÒA"
    # The heading misread a letter a word, and noise in capitals (no syllables, no surname first), as photos
    # gave them, are no names either.
    for noise in ("CÔNG HỌA KÃ VỚI (36)", "€WVC XUIIA XWET MA»", "À XE c._ . MO", "HÀ, ĐC đc"):
        got = _card(["Số: 231082032x", noise, "Ngày HÔ g r7"])
        assert "full_name" not in got or got["full_name"].value is None, noise
    # A name with one word of three misread past being a syllable is still a name.
    assert _card(["Số: 231082032x", "- NGÔ DĐÌNH TRUNG", "Ngày HÔ g r7"])["full_name"].value == "NGÔ ĐÌNH TRUNG"


def test_nam_of_viet_nam_is_no_sex_and_a_value_serves_once():
    fields = default_catalog().document_types["can_cuoc"].fields
    lines = page_lines(_words(["Số: 001162780150", "Quốc tịch Việt Nam"]))
    got = by_order(fields, lines, {"id_number": 0}, {"id_number": 0}, [])
    assert got == {"nationality": ("Việt Nam", 1, 1)}
    # The birth date's line is also where the expiry would be looked for: its date is not taken twice.
    lines = page_lines(_words(["Số: 001162780150", "01/02/1990"]))
    assert by_order(fields, lines, {"id_number": 0}, {"id_number": 0}, []) == {"date_of_birth": ("1990-02-01", 1, 1)}


def test_a_blotted_nu_read_with_its_letter_twice_is_nu():
    fields = default_catalog().document_types["can_cuoc"].fields
    lines = page_lines(_words(["Số: 001162780150", "Giới tính: NữỮ bên Quốc tịch: Việt Nam"]))
    assert by_order(fields, lines, {"id_number": 0}, {"id_number": 0}, [])["sex"] == ("Nữ", 1, 1)


def test_a_card_number_is_found_with_no_label_at_all():
    got = _card(["CĂN CƯỚC CÔNG DÂN", "Í %ó: 042054117489 -———— m—_C", "__ TỔN TIỀN CƯỜNG"])
    assert got["id_number"].value == "042054117489" and got["id_number"].confidence < 0.5
    # Then the name after it; the surname list corrects its mark, the middle names its middle word's (Tiền is no
    # middle name, Tiến is), OCR's reading kept beside.
    assert (got["full_name"].value, got["full_name"].ocr_value) == ("TÔN TIẾN CƯỜNG", "TỔN TIỀN CƯỜNG")


def test_addresses_under_garbled_labels_found_by_their_place():
    """As a 1-MP photo of a card was read: both places' labels are noise, each address runs over two lines and
    lost a comma or two; each begins at a unit's kind or a house number's "Số" and ends at a province."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "S6: 089081410830", "Í Mexvà tên", ". TÔN HỮU TÙNG",
             "Ô May tháng năm sớc 24/01/1981", "Gsó te Nam Quốc Ằœ Việt Nam",
             ". Quê quoc Phường Mỹ Long Thành phố Long", "_ Xuyên, Tỉnh An Giang",
             "Mơ ao vu Số 191 đường Lê Lợi Phường Bãi", "Cháy, Thành phố Hạ Long. Tính Quảng Ninh",
             "CD Sóc cứ Ống Nết rười( %om đướt sau đưới mẠN trớt"]  # fmt: skip
    got = _card(lines)
    assert got["place_of_origin"].value == "Phường Mỹ Long, Thành phố Long Xuyên, Tỉnh An Giang"
    residence = got["place_of_residence"]
    assert residence.value == "Số 191 đường Lê Lợi, Phường Bãi Cháy, Thành phố Hạ Long, Tỉnh Quảng Ninh"
    assert residence.ocr_value is not None and residence.confidence < 0.5  # "Tính" corrected; no label vouches
    assert residence.box[1] == 8 * 60 and residence.box[3] == 60 + 40  # both of its lines
    # An address with no kinds printed begins at the unit its first part names.
    lines[6:8] = ["Gsó te Thành Công, Buôn Ma Thuột, Đắk Lắk"]
    assert _card(lines)["place_of_origin"].value == "Thành Công, Buôn Ma Thuột, Đắk Lắk"


def test_an_address_that_reaches_no_province_is_no_value():
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 089081410830", ". TÔN HỮU TÙNG", "Gsó te Nam Quốc Ằœ Việt Nam",
             ". Quê quoc Phường Mỹ Long Thành phố", "lạ và lắm,", "Ố hé ềm"]  # fmt: skip
    got = _card(lines)
    assert "place_of_origin" not in got and "place_of_residence" not in got


def test_an_address_ends_at_its_province_on_the_next_line_and_is_never_a_province_alone():
    """As a 67-dpi copy of the 2021 card was read: the origin's labelled value ends at a city whose name is also a
    province's, its province on the next line; the residence's label is garbled and shares the expiry's line."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 022189940817", "Ho và tên Full name . |", ". NGUYEN KHANH YEN",
             "Ngày sinh / DateofbtUW 04/02/1989", "| Giới tính/%x NỮ Quốc tích / Natonalty Việt Nam |",
             "tQ+ˆ ae: Phường Đông Thọ, Thành phó Thanh Hóa,", "TÍnh Thanh Hóa",
             "Cô giá trị đến Nơi thuếơng trú £ Plxce d rsidenec Số 6 đường Quang Trung. Phường",
             "Tân Lợi, Thành phố Buôn Ma Thuột, Tinh Đắk Lắk |", "04/02/2029"]  # fmt: skip
    got = _card(lines)
    assert got["place_of_origin"].value == "Phường Đông Thọ, Thành phố Thanh Hóa, Tỉnh Thanh Hóa"
    residence = "Số 6 đường Quang Trung, Phường Tân Lợi, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk"
    assert got["place_of_residence"].value == residence
    # The residence unreadable: the origin's province line is no residence of its own.
    lines[8:10] = ["Cô giá trị đến %6 xx"]
    assert "place_of_residence" not in _card(lines)


def test_a_stray_mark_is_no_country_and_a_misread_kind_still_opens_an_address():
    """As a 67-dpi copy was read: "Việt Nam" unreadable, an "ý" in the residence's garbled label is no "Ý" (Italy);
    "Phượng" is "Phường" before a ward's name."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "%4. 066194962094", "tha £s/ n4 seee", "ĐĂNG BÍCH NGA.", "Sen /5ec Nữ Việt Mam",
             "to ews/7Sesolsey+— Phượng Lộc Thọ, Thành phố Nha Trang,", "Tính Khánh Hòa",
             "Xe txØns) ý /Pegf maøsoc TẾ7, Xã Nghĩa Đồng, Huyện Tân", "Kỳ Tính Nghệ An"]  # fmt: skip
    got = _card(lines)
    assert "nationality" not in got
    assert got["place_of_origin"].value == "Phường Lộc Thọ, Thành phố Nha Trang, Tỉnh Khánh Hòa"


def test_a_garbled_label_before_its_english_is_still_a_label():
    lines = ["CĂN CƯỚC", "Nơi cư vú / Piace of ceœóezxe- Số 70, ngõ 40, phố Hùng Vương, Phường",
             "Bãi Cháy, Thành phố Hạ Long, Tỉnh Quảng Ninh"]  # fmt: skip
    got = _card(lines)["place_of_residence"]
    assert got.value == "Số 70, ngõ 40, phố Hùng Vương, Phường Bãi Cháy, Thành phố Hạ Long, Tỉnh Quảng Ninh"


def test_a_labelled_address_is_cut_where_it_begins():
    """The English label read as noise before the value ("Place of origin" read "P(ece oforgi")."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 038195235388", "Quê quán / P(ece oforgi Điện Biên, Thanh Hóa, Thanh Hóa",
             "Nơi thường trú / dÝ ondger Phường Thảo Điện, Thành phố Thủ Đức, Thành phố Hồ Chí Minh"]  # fmt: skip
    got = _card(lines)
    assert got["place_of_origin"].value == "Điện Biên, Thanh Hóa, Thanh Hóa"
    assert got["place_of_residence"].value == "Phường Thảo Điền, Thành phố Thủ Đức, Thành phố Hồ Chí Minh"


def test_a_cards_name_is_in_capitals_not_its_labels_english():
    """As a 67-dpi copy of the 2021 card was read: "Họ và tên / Full name" came out "Họ và lên /Fsll sa", and the
    name in capitals stood under it."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 046302335556", "Họ và lên /Fsll sa", "TRỊNH MỸ DUNG"]
    assert _card(lines)["full_name"].value == "TRỊNH MỸ DUNG"
    lines[3] = "x"
    got = _card(lines)["full_name"]
    assert (got.value, got.problems) == (None, ["unreadable_name"])


def test_a_card_with_no_words():
    assert _card([]) == {}


def test_only_cards_are_read_in_order():
    tk = default_catalog().document_types["to_khai_khai_sinh"]
    text = ["TỜ KHAI ĐĂNG KÝ KHAI SINH", "Quan hệ với người được khai sinh: Mẹ", "lạ và lắm,", "TRẦN THỊ BÌNH"]
    got = extract_fields(tk, page_lines(_words(text)))
    assert "child_name" not in got or got["child_name"].value is None


def test_a_certified_copys_attestation_ends_the_cards_values():
    """A certified copy carries the attestation beside the card: a residence cut short by the card's edge does not
    run on into it, and the officer's name under "ghi rõ họ tên" is nobody's name on the card."""
    lines = GARBLED[:-1] + [
        "Nơi thường trú: Xóm Mới, Xã An Đồng, Huyện An Dương,",
        "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH",
        "Số chứng thực: 1032 Quyển số: 01/2024-SCT/BS",
        "Người thực hiện chứng thực",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "NGUYỄN VĂN HÙNG",
    ]
    got = _card(lines)
    assert got["place_of_residence"].value == "Xóm Mới, Xã An Đồng, Huyện An Dương"
    assert got["full_name"].value == "DƯƠNG NGỌC TRÂM"


def test_a_labelled_address_keeps_its_unit_kind_in_small_letters():
    """A card printed "quận Liên Chiểu": the kind opens the address whatever its case."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 038195235388", "Quê quán: quận Liên Chiểu, thành phố Đà Nẵng"]
    assert _card(lines)["place_of_origin"].value == "quận Liên Chiểu, thành phố Đà Nẵng"


def test_a_value_before_the_next_label_on_its_line():
    """As a 67-dpi copy was read: the sex's label garbled, the nationality's read on the same line; "Nữ" stands
    before it."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 001301121014", "| Họ vàtên", "PHAN KIM HIỀN",
             "| ( Ngày tháng, năm soh: 13/10/2001 sỹ", "| Gớnh: Nữ Quốc th: Việt Nam"]  # fmt: skip
    got = _card(lines)
    assert (got["sex"].value, got["nationality"].value) == ("Nữ", "Việt Nam")


def test_the_2024_card_prints_the_residence_before_the_place_of_birth_registration():
    """Its back opens with "Nơi cư trú", then "Nơi đăng ký khai sinh": garbled labels, each address is taken for
    the field printed in its place; the căn cước công dân's order stays."""
    back = ["CĂN CƯỚC", "Số: 001162780150", "Gitss Nữ Quách Việt Nam",
            "hx% cư gõ: Số 34, ngõ 39, phố Trần Hưng Đạo, Phường An Hải Bắc, Quận Sơn Trà, Thành phố Đà Nẵng",
            "hoi đ&ky kh:sih: Phường Bắc Hà, Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh"]  # fmt: skip
    got = _card(back)
    assert got["place_of_residence"].value.startswith("Số 34, ngõ 39")
    assert got["place_of_origin"].value == "Phường Bắc Hà, Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh"
    got = _card(["CĂN CƯỚC CÔNG DÂN", *back[1:]])
    assert got["place_of_origin"].value.startswith("Số 34, ngõ 39")
    got = _card(["CĂN CƯỚ", *back[1:]])  # the title's last letter lost
    assert got["place_of_residence"].value.startswith("Số 34, ngõ 39")


def test_an_address_past_reading_keeps_its_place_for_the_next_one():
    """The place of origin read with its district and province garbled ("Hxé, Thừa Thiên Muấ") is no address, but
    it stands where the origin is printed: the residence after it is not taken for the origin."""
    residence = "Số 53, ngõ 66, phố Hai Bà Trưng, Phường Vĩnh Hải, Thành phố Nha Trang, Tỉnh Khánh Hòa"
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 046195752577", "gày tháng năm vớ 06/08/1995", "Siệt9Sh.VỎ MỜ uc sọ. Việt Nam",
             "Quá quác Vĩnh Minh, Hxé, Thừa Thiên Muấ", f"l5 toơống xúc {residence}"]  # fmt: skip
    got = _card(lines)
    assert "place_of_origin" not in got or got["place_of_origin"].value is None
    assert got["place_of_residence"].value.startswith("Số 53, ngõ 66")
    # Its district read, the misread ward before it starts the address (vocab.place_start), mended, for review.
    lines[4] = "Quá quác Vĩnh Minh, Huế, Thừa Thiên Muấ"
    got = _card(lines)
    assert got["place_of_origin"].value == "Vĩnh Ninh, Huế, Thừa Thiên Huế"
    assert got["place_of_origin"].confidence < 0.5
    assert got["place_of_residence"].value.startswith("Số 53, ngõ 66")


def test_an_address_below_the_unread_lines_of_the_fields_before_it():
    """As a phone photo of a card was read: the date of birth, sex and nationality past reading on lines of their
    own, the place of origin below them, its province's kind and name each a letter off."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "Số: 016302406018", "sz“Zs....&", ". MAI NGỌC MỸ", "| Xung bảng sảm sẻ. 14/09/200đ",
             "x", "y", "(0\\sxœ MŒ Quk sức YIỆt Naữn", "Í GÝ gse= Phường Vinh HAI Thành phố Nha Trang",
             "Ô Tính Khánh Hêa"]  # fmt: skip
    got = _card(lines)
    assert got["place_of_origin"].value == "Phường Vĩnh Hải, Thành phố Nha Trang, Tỉnh Khánh Hòa"
    assert got["place_of_origin"].confidence < 0.5


def test_a_label_read_in_the_heading_above_the_title_is_no_field():
    """The heading's "Nợ" read as the number's "No.": the name is looked for after the title, not after it."""
    lines = ["CỘNG HỌA KÃ VỚI (36) SGIÉA VI † Nợ", "Du lần - ?ự án - mạn® ghe.", "X1 ›`À S47 9V SØX 4 @ #4",
             "CĂN CƯỚC CÔNG DẪN", "ˆham —, 9", "lo sà XU ( 6v( se”.", ". NGÔ BÍCH NHƯNG"]  # fmt: skip
    assert _card(lines)["full_name"].value == "NGÔ BÍCH NHUNG"


def test_a_label_read_out_of_order_far_below_does_not_hide_the_lines_above():
    """As a photo of a 2016 card was read: the name's label found in noise far below, every value above garbled
    but the place of origin, and the birth date's "Ngày, tháng, năm" (two commas) is no address past reading."""
    lines = ["CẮN CƯỚC CÔNG ĐẦN", "- Ñõ: (36188109729", "kHE kIME \\X", "Ngàt, thẳng, nắn siuực 77 (H 1988",
             "(ñớitínlc NÂY tu tec Việt Xiưn", "Owequan: Vĩnh Hải, Nha trang, khánh Hòa", "x", "x", "x", "x", "x",
             "Ị Họ và tên"]  # fmt: skip
    got = _card(lines)
    assert got["place_of_origin"].value == "Vĩnh Hải, Nha Trang, Khánh Hòa"
    assert "place_of_residence" not in got


def test_an_origin_past_reading_leaves_the_residence_below_it_to_the_residence():
    """As a photo of a card read: the place of origin's province past reading ("Tháshk phố Hà Xà"), but its line
    holds a unit's kind as the card prints it; the next address is the residence, not the origin."""
    lines = ["CĂN CƯỚC CÔNG DÂN", "s..ẮẳẮồ 001191591233", "| PHAM THỦ ĐUNG", "| Xuysee/Dav 9 ợớC @A/WWM/TWE",
             "CN NA glSA/§. ÔN Quoc Sư jy VIỆ Naøn", "Lá qua (Fe Phường Lắng Hạ Quận Đồng fĐa, Tháshk", "phố Hà Xà",
             "` s5 ng s4 Plerddnddse Số 27, ngõ 8, phố Quang Trung,", "Phường Sơn Trà, Thành phố Đà Nẵng"]  # fmt: skip
    got = _card(lines)
    assert "place_of_origin" not in got or got["place_of_origin"].value is None
    assert got["place_of_residence"].value == "Số 27, ngõ 8, phố Quang Trung, Phường Sơn Trà, Thành phố Đà Nẵng"


def test_a_2024_cards_back_copied_above_its_front_still_gives_the_addresses():
    """Both sides copied on one sheet, the back on top: read in the sheet's order, the back's two addresses (their
    labels noise) stood before the front's fields, where no field's order looks. The front is put first, and the
    residence is looked for where the back opens."""
    back = [
        "Mã sự 6%! 7% 1s ZÍ (s2 90%xe+ %9 Số 21 đường Ngô Quyền,",
        "Phường Bắc Hà, Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh",
        ">* CC ve 6ecvel/#(ss Phường Lê Bình,",
        "Quận Cái Răng, Thành phố Cần Thơ",
        "Ngưu Đáng sâm sá2/Ívw 23/09/2024",
        "SƠu, bảng xen bátb¿a 11/02/2027",
        "IDVNM3027610263092302761026<<1",
        "0202114F2702113VNM<<<<<<<<<<<1",
        "CHAU<<THI<OANH<<<<<<<<<<<<<<<",
    ]
    front = ["CĂN CƯỚC", "092102761026", "CHÂU THỊ OANH", "Xướt “hứng tua 11/02/2002", "Cua thề 3e Nữ"]  # fmt: skip
    words = _words(back + front)
    for w in words[len(_words(back)) :]:
        w["line"] = [2, 1, w["line"][2]]  # the front read as a block of its own
    cards = [[0, 0, 1400, 9 * 60], [0, 9 * 60, 1400, 5 * 60]]
    (doc,) = extract_documents([PageWords(0, False, words, [], cards)], default_catalog())
    assert doc.type == "can_cuoc"
    assert (
        doc.fields["place_of_residence"].value
        == "Số 21 đường Ngô Quyền, Phường Bắc Hà, Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh"
    )
    assert doc.fields["place_of_origin"].value == "Phường Lê Bình, Quận Cái Răng, Thành phố Cần Thơ"
    assert doc.fields["place_of_residence"].confidence < 0.5  # found by its place: the reviewer looks


def test_a_date_read_by_its_label_is_no_other_fields_by_place():
    """The expiry unread, the birth date found by its label is the only date after the fields before the expiry:
    it is the birth date's, not the expiry's too."""
    got = _card(["Có giá trị đến:", "CĂN CƯỚC CÔNG DÂN", "Số: 079065397487", "Họ và tên: ĐẶNG ĐÌNH TRUNG",
                 "Ngày, tháng, năm sinh: 13/07/1965"])  # fmt: skip
    assert got["date_of_birth"].value == "1965-07-13"
    assert "date_of_expiry" not in got or got["date_of_expiry"].value is None


def test_specks_between_a_blurred_cards_lines_do_not_use_up_the_lines_looked_at():
    """As a photographed card was read: its photo's edge and background came out as lines of specks ("|", "\"¬")
    between the number and the name; the name and birth date are still looked for that far. The "Nam" of a
    nationality misread "Vi Nam" is no sex."""
    got = _card(["CĂN CƯỚC CÔNG DÂN", "%9: 0461849159%67", '"¬', "|", "té: cà cm", "CHÂU HẢI YẾN",
                 "Nghy táng si se 20/07/1984", "|", "{it » NŒ Quớ %® Vi Nam |"])  # fmt: skip
    assert got["id_number"].value == "046184915967"
    assert (got["full_name"].value, got["date_of_birth"].value) == ("CHÂU HẢI YẾN", "1984-07-20")
    assert "sex" not in got or got["sex"].value != "Nam"


def test_noise_spelling_a_short_country_but_for_its_marks_is_no_nationality():
    """As low-resolution cards were read: "sec" in a garbled sex-and-nationality line is no "Séc" (Czechia), nor
    the "Ngà" of a certified copy's misread "Ngày" "Nga"; a short country printed as listed still is."""
    got = _card(["CĂN CƯỚC CÔNG DÂN", "Số: 038303187346", "VŨ THANH TRÂM", "Ngày Vòxz sâu sa 22/07/2003",
                 "0x ta NẾ Go sec Việt Na="])  # fmt: skip
    assert "nationality" not in got or got["nationality"].value is None
    got = _card(["CĂN CƯỚC CÔNG DÂN", "Số: 038303187346", "VŨ THANH TRÂM", "Ngày Vòxz sâu sa 22/07/2003",
                 "Gitss Nữ Quách Lào"])  # fmt: skip
    assert got["nationality"].value == "Lào"
