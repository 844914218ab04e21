"""The card's machine-readable zone: ICAO 9303 check digits, OCR look-alikes, and only verified values used."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.catalog import default_catalog
from forms.dossier import ExtractedDocument, PageWords, apply_card_mrz, extract_documents
from forms.extract import FieldValue
from forms.lines import Line
from forms.mrz import check_digit, find_mrz, zone_like
from tests.support.cards import card_zone

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

TODAY = dt.date(2026, 11, 24)


def test_check_digits_of_the_standards_own_example():
    # ICAO Doc 9303 part 5, the TD1 specimen: I<UTOD231458907…, 7408122F1204159UTO…
    assert check_digit("D23145890") == "7"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("<<<") == "0"


def test_a_clean_zone_gives_every_verified_value():
    lines = ["Có giá trị đến: 22/02/2045", *card_zone("074185528672", "850222", "F", "450222", "MAI<<KHANH<MY")]
    mrz = find_mrz(lines, TODAY)
    assert mrz is not None and mrz.rows == [1, 2, 3]
    assert mrz.values == {"id_number": "074185528672", "date_of_birth": "1985-02-22", "sex": "Nữ",
                          "date_of_expiry": "2045-02-22", "nationality": "Việt Nam"}  # fmt: skip
    assert mrz.name == "MAI KHANH MY"


def test_ocr_look_alikes_spaces_and_noise_around_the_zone():
    one, two, three = card_zone("001097002173", "970315", "M", "370315", "NGUYEN<<VAN<AN")
    noisy = ['_—-m—<— "= ..... ' + one.replace("0", "O", 2).replace("<<", "«") + " .", two[:9] + " " + two[9:],
             "¿ " + three]  # fmt: skip
    mrz = find_mrz(noisy, TODAY)
    assert mrz is not None
    assert mrz.values["id_number"] == "001097002173"
    assert mrz.values["date_of_birth"] == "1997-03-15" and mrz.values["sex"] == "Nam"
    assert mrz.name == "NGUYEN VAN AN"
    noisy[2] = "¿ " + three + " Ẳ"  # a speck past the fillers, as a photo's card edge was read
    assert find_mrz(noisy, TODAY).name == "NGUYEN VAN AN"
    noisy[2] = "lk " + three  # a speck in small letters before the name, read from the card's edge
    assert find_mrz(noisy, TODAY).name == "NGUYEN VAN AN"


def test_a_misread_digit_is_not_passed_off_as_verified():
    one, two, three = card_zone("074185528672", "850222", "F", "450222", "MAI<<KHANH<MY")
    wrong_birth = two[:3] + "3" + two[4:]  # 850222 read as 853222: its check digit no longer holds
    wrong_id = one[:5] + "1" + one[6:17] + "9" + one[18:]  # both printings of the ID misread differently
    mrz = find_mrz([wrong_id, wrong_birth, three], TODAY)
    assert mrz is not None
    assert "date_of_birth" not in mrz.values
    # the ID's last nine digits agree with the document number, but its first three only the overall check covers
    assert mrz.values["id_number"] == "079185528672" and mrz.partly == {"id_number"}
    assert mrz.values["date_of_expiry"] == "2045-02-22"
    clean = find_mrz([one, two, three], TODAY)
    assert clean.values["id_number"] == "074185528672" and not clean.partly
    doc = ExtractedDocument("can_cuoc", [0], 0.8)
    misread = [wrong_id, wrong_birth, three]
    apply_card_mrz(doc, [_line(t, 100 + 40 * i) for i, t in enumerate(misread)], find_mrz(misread, TODAY))
    assert doc.fields["id_number"].confidence < 0.9  # the reviewer looks at it
    assert "date_of_birth" not in doc.fields
    # The same digit of the province's code misread in the zone and in the card's print (3 for 4): they agree,
    # but no province's code is 073, so the value is not taken as sure.
    zone = [one[:17] + "3" + one[18:], two, three]
    mrz = find_mrz(zone, TODAY)
    assert mrz.values["id_number"] == "073185528672" and mrz.partly == {"id_number"}
    doc = ExtractedDocument("can_cuoc", [0], 0.8)
    doc.fields["id_number"] = FieldValue("073185528672", "073185528672", 0.95, 0, None, True, [])
    apply_card_mrz(doc, [_line(t, 100 + 40 * i) for i, t in enumerate(zone)], mrz)
    got = doc.fields["id_number"]
    assert got.confidence < 0.9 and "id_unknown_province" in got.problems and not got.valid
    # A first digit other than 0 opens no province's code: a blurred 0 read 9. Put right, the overall check holds.
    mrz = find_mrz([one[:15] + "9" + one[16:], two, three], TODAY)
    assert mrz.values["id_number"] == "074185528672" and not mrz.partly


def test_a_zone_date_that_is_no_date_is_mended_by_its_check_digit_in_part():
    """As a low-resolution card was read: the expiry 270512 came out 279512, a month 95. One digit off it, one date
    holds the check digit: 2027-05-12, verified in part (the reviewer sees it). A date that exists but fails its
    check (850222 read 853222 above) is never mended: which digit is wrong cannot be told."""
    one, two, three = card_zone("089302282001", "020512", "F", "270512", "DINH<<DIEU<HIEN")
    misread = two[:10] + "9" + two[11:]
    mrz = find_mrz([one, misread, three], TODAY)
    assert mrz.values["date_of_expiry"] == "2027-05-12" and "date_of_expiry" in mrz.partly
    assert mrz.values["date_of_birth"] == "2002-05-12" and "date_of_birth" not in mrz.partly
    doc = ExtractedDocument("can_cuoc", [0], 0.8)
    apply_card_mrz(doc, [_line(t, 100 + 40 * i) for i, t in enumerate([one, misread, three])], mrz)
    assert doc.fields["date_of_expiry"].value == "2027-05-12" and doc.fields["date_of_expiry"].confidence < 0.9


def test_a_zone_without_an_expiry_says_the_card_never_expires():
    """A holder over 60: the zone's expiry is six fillers, its check digit 0 (ICAO 9303), and the card prints
    "Không thời hạn" in small print a photo loses. A check digit misread ("Q" is the 0 read; a "9") leaves six
    fillers, which no misread date makes: that, in part."""
    one, two, three = card_zone("022155057480", "551218", "F", "<<<<<<", "LAM<<PHUONG<HOA")
    assert two[8:15] == "<<<<<<0"
    mrz = find_mrz([one, two, three], TODAY)
    assert mrz.values["date_of_expiry"] == "Không thời hạn" and "date_of_expiry" not in mrz.partly
    mrz = find_mrz([one, two[:14] + "9" + two[15:], three], TODAY)
    assert mrz.values["date_of_expiry"] == "Không thời hạn" and "date_of_expiry" in mrz.partly


def test_pages_without_a_zone():
    assert find_mrz(["CĂN CƯỚC CÔNG DÂN", "Số định danh cá nhân: 074185528672", "Quốc tịch: Việt Nam"]) is None
    assert find_mrz([]) is None


def _line(text: str, y: int) -> Line:
    word = {"text": text, "conf": 0.9, "box": [10, y, 600, 30], "line": [1, 1, y]}
    return Line(page=2, text=text, folded=text, words=[word], spans=[(0, len(text))])


def test_a_card_document_takes_the_zones_values_and_checks_its_name():
    zone = card_zone("074185528672", "850222", "F", "450222", "MAI<<KHANH<MY")
    lines = [_line(t, 100 + 40 * i) for i, t in enumerate(zone)]
    doc = ExtractedDocument("can_cuoc", [2], 0.8)
    doc.fields["id_number"] = FieldValue("074185528673", "074185528673", 0.7, 2, [1, 2, 3, 4], True, [])
    doc.fields["full_name"] = FieldValue("MAI KHÁNH MY", "MAI KHÁNH MY", 0.6, 2, None, True, [])
    apply_card_mrz(doc, lines, find_mrz(zone, TODAY))
    fid = doc.fields["id_number"]
    assert (fid.value, fid.confidence, fid.ocr_value, fid.problems) == (
        "074185528672", 1.0, "074185528673", ["ocr_disagrees_with_mrz"])  # fmt: skip
    assert fid.box == [1, 2, 3, 4]  # the reviewer is shown where OCR read it
    born = doc.fields["date_of_birth"]
    assert born.value == "1985-02-22" and born.page == 2 and born.box == [10, 100, 600, 110]
    assert doc.fields["full_name"].confidence == 0.99  # the printed name, with its marks, is confirmed
    doc.fields["full_name"] = FieldValue("MAI KHÁNH MỸ LINH", "", 0.9, 2, None, True, [])
    apply_card_mrz(doc, lines, find_mrz(zone, TODAY))
    assert doc.fields["full_name"].problems == ["ocr_disagrees_with_mrz"]
    # Two words of the print read as one: the zone says where the space was.
    doc.fields["full_name"] = FieldValue("MAIKHÁNH MỸ", "", 0.6, 2, None, True, [])
    apply_card_mrz(doc, lines, find_mrz(zone, TODAY))
    assert (doc.fields["full_name"].value, doc.fields["full_name"].confidence) == ("MAI KHÁNH MỸ", 0.99)


def test_an_untitled_card_back_is_a_card_and_its_address_stops_at_the_zone():
    # The back of a card photographed small: no title read, the address's last line just above the zone.
    zone = card_zone("079084719044", "840728", "M", "440728", "PHAM<<QUANG<TAI")
    texts = ["Nơi cư trú: Số 81, ngõ 110, phố Trần Hưng Đạo,", "Phường Đông Thọ, Thành phố Thanh Hóa", *zone]
    words = [
        {"text": t, "conf": 0.9, "box": [10, 100 + 40 * i, 600, 30], "line": [1, 1, i]} for i, t in enumerate(texts)
    ]
    (doc,) = extract_documents([PageWords(0, False, words)], default_catalog())
    assert doc.type == "can_cuoc"
    assert doc.fields["id_number"].value == "079084719044"
    assert doc.fields["date_of_birth"].value == "1984-07-28" and doc.fields["sex"].value == "Nam"
    assert doc.fields["place_of_residence"].value == (
        "Số 81, ngõ 110, phố Trần Hưng Đạo, Phường Đông Thọ, Thành phố Thanh Hóa"
    )


def test_garbled_zone_lines_are_known_as_such():
    assert zone_like("1 DVNM 1 8977 1 8454046 18977 18")  # too few digits to read, still no address
    assert zone_like("MAI<<KHANH<MY<<<<<<<<") and zone_like("8502223F4502225VNM<<<<<<<<<<<3")
    assert not zone_like("Phường Vĩnh Ninh, Thành phố Huế,") and not zone_like("Lớp 10A1, VNM")


def test_line_one_alone_gives_the_id_unchecked_in_part():
    one = card_zone("074185528672", "850222", "F", "450222", "MAI<<KHANH<MY")[0]
    mrz = find_mrz(["Có giá trị đến", one, "ĐẶC ĐIỂM NHÂN DẠNG"], TODAY)
    assert mrz.values == {"id_number": "074185528672"} and mrz.partly == {"id_number"}


def test_the_zones_name_finds_the_printed_name_whose_label_was_not_read():
    zone = card_zone("074185528672", "850222", "F", "450222", "MAI<<KHANH<MY")
    texts = ["CĂN CƯỚC", "— .... ~ x", "MAI KHÁNH MỸ Đa xi0 -Ã", *zone]
    lines = [_line(t, 100 + 40 * i) for i, t in enumerate(texts)]
    for ln in lines:  # one word a box, as OCR gives them
        ln.words = [{"text": w, "conf": 0.8, "box": [10 + 60 * k, 0, 50, 30], "line": [1, 1, 0]}
                    for k, w in enumerate(ln.text.split())]  # fmt: skip
    doc = ExtractedDocument("can_cuoc", [2], 0.8)
    apply_card_mrz(doc, lines, find_mrz(texts, TODAY))
    name = doc.fields["full_name"]
    assert (name.value, name.confidence, name.box) == ("MAI KHÁNH MỸ", 0.95, [10, 0, 170, 30])


def test_the_zone_vouches_for_a_names_letters_the_lexicon_for_its_marks():
    """TRAN<<DINH<THANG confirms the letters of "TRẤN ĐINH THÁNG", not its marks: the name lexicon puts right the
    marks it is sure of, and a name it does not know is not passed off as confirmed."""
    zone = card_zone("001083666046", "830913", "M", "430913", "TRAN<<DINH<THANG")
    lines = [_line(t, 100 + 40 * i) for i, t in enumerate(zone)]
    doc = ExtractedDocument("can_cuoc", [2], 0.8)
    doc.fields["full_name"] = FieldValue("TRẤN ĐINH THÁNG", "", 0.6, 2, None, True, [])
    apply_card_mrz(doc, lines, find_mrz(zone, TODAY))
    assert (doc.fields["full_name"].value, doc.fields["full_name"].confidence) == ("TRẦN ĐINH THẮNG", 0.99)
    doc.fields["full_name"] = FieldValue("TRẦN ĐINH THĂNGX", "", 0.6, 2, None, True, [])  # not the zone's letters
    zone = card_zone("001083666046", "830913", "M", "430913", "TRAN<<DINH<THANGX")
    apply_card_mrz(doc, [_line(t, 100 + 40 * i) for i, t in enumerate(zone)], find_mrz(zone, TODAY))
    assert (doc.fields["full_name"].value, doc.fields["full_name"].confidence) == ("TRẦN ĐINH THĂNGX", 0.6)
    # Found by the zone where no label was read: the same check of its marks.
    texts = ["CĂN CƯỚC", "TRẤN ĐINH THÁNG", *zone[:2], "TRAN<<DINH<THANG<<<<<<<<<<<<<<"]
    lines = [_line(t, 100 + 40 * i) for i, t in enumerate(texts)]
    for ln in lines:
        ln.words = [{"text": w, "conf": 0.8, "box": [10 + 60 * k, 0, 50, 30], "line": [1, 1, 0]}
                    for k, w in enumerate(ln.text.split())]  # fmt: skip
    doc = ExtractedDocument("can_cuoc", [2], 0.8)
    apply_card_mrz(doc, lines, find_mrz(texts, TODAY))
    assert (doc.fields["full_name"].value, doc.fields["full_name"].confidence) == ("TRẦN ĐINH THẮNG", 0.95)


def test_a_zone_whose_first_line_is_garbled_is_found_by_its_checked_second_line():
    one, two, three = card_zone("074185099165", "850809", "F", "450809", "KIEU<<BICH<HOA")
    assert one.startswith("IDVNM")
    dropped = "TDNM" + one[5:]  # "IDVNM" read "TDNM": its I as T, its V lost; the 22 digits after it hold
    mrz = find_mrz([dropped, two, three.replace("I", "1").replace("O", "0")], TODAY)
    assert mrz.values["id_number"] == "074185099165" and mrz.name == "KIEU BICH HOA"  # a name holds no digits
    unread = find_mrz(["~ = . 2c x", two, three], TODAY)  # line one past knowing: line two alone, both dates held
    assert unread.values == {"date_of_birth": "1985-08-09", "date_of_expiry": "2045-08-09", "sex": "Nữ",
                             "nationality": "Việt Nam"} and unread.name == "KIEU BICH HOA"  # fmt: skip
    wrong = two[:6] + str((int(two[6]) + 1) % 10) + two[7:]  # the birth date's check fails: no zone
    assert find_mrz(["~ = . 2c x", wrong, three], TODAY) is None
    # The expiry garbled ("458209": a month 82) and line one cut short: the birth date its check digit holds and
    # the name line after it make the zone; the birth date is taken, the expiry not.
    garbled = two[:8] + "458209" + two[14:]
    cut = find_mrz([one[:22], garbled, three], TODAY)
    assert cut is not None and cut.values["date_of_birth"] == "1985-08-09" and cut.name == "KIEU BICH HOA"
    assert "date_of_expiry" not in cut.values
    assert find_mrz([one[:22], garbled], TODAY) is None  # no name line: no zone
    assert find_mrz(["12345678<<9012345678<<<<<<"], TODAY) is None


def test_the_two_printings_of_the_id_settle_a_single_misread_digit():
    one, two, three = card_zone("079084719044", "840728", "M", "440728", "PHAM<<QUANG<TAI")
    # line one: IDVNM + document number (5:14) + check (14) + ID (15:27)
    doc_misread = one[:6] + "9" + one[7:]  # the document number's 8 read as 9: the ID's own digits hold
    id_misread = one[:20] + "2" + one[21:]  # one of the ID's last nine misread: the document number gives it
    twice = one[:6] + "9" + one[7:20] + "2" + one[21:]  # both printings wrong: no ID at all
    for line, want in ((doc_misread, "079084719044"), (id_misread, "079084719044"), (twice, None)):
        assert find_mrz([line, two, three], TODAY).values.get("id_number") == want, line
    marked = "IDVNMô84719044" + one[14:]  # a 0 read as ô
    assert find_mrz([marked, two, three], TODAY).values["id_number"] == "079084719044"


def test_a_name_the_card_did_not_print_legibly_is_spelt_by_another_paper_of_the_dossier():
    """The zone verifies the letters; the tờ khai beside the card gives the marks; the reviewer is told so."""
    zone = card_zone("092197826398", "970728", "F", "370728", "KIEU<<KIM<THUY")
    card = [_line(t, 100 + 40 * i) for i, t in enumerate(["CĂN CƯỚC", "Họ, chữ đệm và tên: ^~ .", *zone])]
    for ln in card:
        ln.words = [{"text": w, "conf": 0.8, "box": [10 + 60 * k, 0, 50, 30], "line": [1, 1, 0]}
                    for k, w in enumerate(ln.text.split())]  # fmt: skip
    tokhai = [_line(t, 300 + 40 * i) for i, t in enumerate(["Họ, chữ đệm, tên người yêu cầu: Kiều Kim Thủy"])]
    tokhai[0].words = [{"text": w, "conf": 0.9, "box": [0, 0, 9, 9], "line": [1, 1, 0]} for w in tokhai[0].text.split()]

    doc = ExtractedDocument("can_cuoc", [0], 0.8)
    doc.fields["full_name"] = FieldValue("ˆ", "ˆ", 0.3, 0, None, True, [])
    apply_card_mrz(doc, card, find_mrz([ln.text for ln in card], TODAY), tokhai)
    name = doc.fields["full_name"]
    assert (name.value, name.confidence, name.ocr_value) == ("KIỀU KIM THỦY", 0.85, "ˆ")
    assert name.problems == ["name_marks_from_dossier", "ocr_disagrees_with_mrz"]
    assert name.page == 2 and name.box == [10, 0, 50, 30]  # the reviewer is shown the card's zone

    # The other paper's marks misread too ("Kìều"): the name lexicon puts right what it is sure of.
    tokhai[0].words[-3]["text"] = "Kìều"
    apply_card_mrz(doc, card, find_mrz([ln.text for ln in card], TODAY), tokhai)
    assert doc.fields["full_name"].value == "KIỀU KIM THỦY"

    alone = ExtractedDocument("can_cuoc", [0], 0.8)
    apply_card_mrz(alone, card, find_mrz([ln.text for ln in card], TODAY), [])
    assert "full_name" not in alone.fields  # no paper spells it: the zone's bare letters are not passed off as it


def _card_lines(texts: list[str]) -> list[Line]:
    """A card's lines as OCR gives them: one word a box."""
    lines = [_line(t, 100 + 40 * i) for i, t in enumerate(texts)]
    for ln in lines:
        ln.words = [{"text": w, "conf": 0.8, "box": [10 + 60 * k, 0, 50, 30], "line": [1, 1, 0]}
                    for k, w in enumerate(ln.text.split())]  # fmt: skip
    return lines


def test_a_name_print_and_zone_each_misread_by_a_letter_is_pieced_together_for_the_reviewer():
    """Printed "FA KIM HẲNG", TA<<KTIM<HANG in the zone: each word from the reading the name lexicon knows, the
    marks from the print and the lexicon; below "sure" and said so. Two readings that both name someone are not
    decided between."""
    texts = ["CĂN CƯỚC", "FA KIM HẲNG", *card_zone("040187480210", "870812", "F", "270812", "TA<<KTIM<HANG")]
    doc = ExtractedDocument("can_cuoc", [2], 0.8)
    doc.fields["full_name"] = FieldValue("FA KIM HẲNG", "FA KIM HẲNG", 0.5, 2, None, True, [])
    apply_card_mrz(doc, _card_lines(texts), find_mrz(texts, TODAY))
    name = doc.fields["full_name"]
    assert (name.value, name.confidence, name.problems, name.ocr_value) == (
        "TẠ KIM HẰNG", 0.8, ["name_pieced_from_mrz"], "FA KIM HẲNG")  # fmt: skip
    # HUY and QUY both name people: no telling which the card printed.
    texts = ["CĂN CƯỚC", "HUY VĂN AN", *card_zone("040187480210", "870812", "M", "270812", "QUY<<VAN<AN")]
    doc.fields["full_name"] = FieldValue("HUY VĂN AN", "HUY VĂN AN", 0.5, 2, None, True, [])
    apply_card_mrz(doc, _card_lines(texts), find_mrz(texts, TODAY))
    name = doc.fields["full_name"]
    assert name.value == "HUY VĂN AN" and "ocr_disagrees_with_mrz" in name.problems
