"""One spelling across a dossier's papers (forms.agree): a doubted name or address takes a better attested
spelling of the same text, and nothing else does."""

from __future__ import annotations

import pytest
from rapidfuzz.distance import Levenshtein

from forms.agree import (
    AGREED,
    DISPUTED,
    FACT_PROBLEM,
    HOLDER_ID,
    HOLDER_NAME,
    ID_PROBLEM,
    NATIONALITY_PROBLEM,
    PROBLEM,
    WHOLE_PROBLEM,
    agree_across_papers,
    agree_id_numbers,
    cards_from_holders,
    facts_across_papers,
    ids_of_people,
    names_whole_across_papers,
    nationalities_of_people,
    recased,
    years_of_people,
)
from forms.catalog import default_catalog
from forms.dossier import ExtractedDocument, across_papers
from forms.extract import ID_DIGIT_DROPPED, FieldValue

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

RESIDENCE = "Số 63, ngõ 107, phố Lê Duẩn, phường Lê Bình, quận Cái Răng, thành phố Cần Thơ"


def _fv(value: str, confidence: float) -> FieldValue:
    return FieldValue(value, value, confidence, 0, [0, 0, 10, 10], True, [])


def _dossier(to_khai: dict, card: dict | None = None, birth: dict | None = None) -> list[ExtractedDocument]:
    """A tờ khai, and where given a card and a giấy chứng sinh, with fields {key: (value, confidence)}."""
    papers = [("to_khai_khai_sinh", to_khai), ("can_cuoc", card), ("giay_chung_sinh", birth)]
    docs = [ExtractedDocument(t, [i], 0.9, {k: _fv(*v) for k, v in f.items()})
            for i, (t, f) in enumerate(papers) if f is not None]  # fmt: skip
    agree_across_papers(docs, default_catalog())
    return docs


def test_a_doubted_name_takes_the_marks_the_card_reads_confidently():
    docs = _dossier({"requester_name": ("Đinh Kim Chỉ", 0.54), "mother_name": ("Đinh Kim Chi", 0.5)},
                    {"full_name": ("ĐINH KIM CHI", 0.99)})  # fmt: skip
    fixed = docs[0].fields["requester_name"]
    assert (fixed.value, fixed.ocr_value, fixed.confidence) == ("Đinh Kim Chi", "Đinh Kim Chỉ", AGREED)
    assert fixed.problems == [PROBLEM]
    assert docs[0].fields["mother_name"].value == "Đinh Kim Chi" and not docs[0].fields["mother_name"].problems


def test_a_confident_name_on_one_paper_takes_the_marks_two_papers_agree_on():
    """The giấy chứng sinh read "CHÂU HẢI YÊN" at 0.91; the card and the tờ khai read Yến surely: the lone marks
    are the misread ones, below sure now. One other paper alone, or a reading the card's zone verified, stands."""
    docs = _dossier({"mother_name": ("Châu Hải Yến", 0.97)}, {"full_name": ("CHÂU HẢI YẾN", 0.95)},
                    {"mother_name": ("CHÂU HẢI YÊN", 0.91)})  # fmt: skip
    fixed = docs[2].fields["mother_name"]
    assert (fixed.value, fixed.ocr_value, fixed.confidence, fixed.problems) == (
        "CHÂU HẢI YẾN", "CHÂU HẢI YÊN", AGREED, [PROBLEM])  # fmt: skip
    alone = _dossier({"mother_name": ("Châu Hải Yến", 0.97)}, birth={"mother_name": ("CHÂU HẢI YÊN", 0.91)})
    assert alone[1].fields["mother_name"].value == "CHÂU HẢI YÊN"
    verified = _dossier({"mother_name": ("Châu Hải Yên", 0.97)}, {"full_name": ("CHÂU HẢI YẾN", 1.0)},
                        {"mother_name": ("CHÂU HẢI YÊN", 0.95)})  # fmt: skip
    assert verified[1].fields["full_name"].value == "CHÂU HẢI YẾN"


def test_a_letter_more_is_another_person():
    docs = _dossier({"child_name": ("Trần Văn Minh", 0.5), "father_name": ("Trần Văn Bình", 0.97)})
    assert docs[0].fields["child_name"].value == "Trần Văn Minh" and not docs[0].fields["child_name"].problems


def test_a_name_with_a_word_no_listed_name_may_be_a_letter_off():
    """ "Bùi Diệu Ay" and "Bời Diệu My" hold a word no listed name spells: a letter misread, not another person;
    they take the card's spelling in the tờ khai's title case. "Bùi Diệu Ly" is a listed name: left as read."""
    docs = _dossier({"requester_name": ("Bời Diệu My", 0.6), "mother_name": ("Bùi Diệu Ay", 0.6),
                     "child_name": ("Bùi Diệu Ly", 0.6)}, {"full_name": ("BÙI DIỆU MY", 0.95)})  # fmt: skip
    fields = docs[0].fields
    assert (fields["requester_name"].value, fields["requester_name"].ocr_value) == ("Bùi Diệu My", "Bời Diệu My")
    assert (fields["mother_name"].value, fields["mother_name"].problems) == ("Bùi Diệu My", [PROBLEM])
    assert fields["child_name"].value == "Bùi Diệu Ly" and not fields["child_name"].problems


def test_an_address_two_papers_read_alike_mends_a_third_reading():
    """Two doubted readings alike, on two papers, outweigh a third with misread letters ("tê" for "Lê": its case
    too) and a shouted word; the card's reading, with other words, and a house of another number are left as
    read."""
    misread = RESIDENCE.replace("phố Lê", "phế tê").replace("phường Lê", "phường LÊ")
    other_house = RESIDENCE.replace("Số 63", "Số 68")
    docs = _dossier(
        {"requester_residence": (RESIDENCE, 0.88), "father_residence": (misread, 0.03),
         "child_hometown": (other_house.replace("phố", "phế"), 0.4)},
        {"place_of_residence": (RESIDENCE.replace("phường", "Phường TY -"), 0.06)},
        {"mother_residence": (RESIDENCE, 0.72)},
    )  # fmt: skip
    f = docs[0].fields
    assert (f["father_residence"].value, f["father_residence"].ocr_value) == (RESIDENCE, misread)
    assert f["child_hometown"].value == other_house.replace("phố", "phế")
    assert docs[1].fields["place_of_residence"].value == RESIDENCE.replace("phường", "Phường TY -")


def test_a_doubted_address_takes_the_commas_another_paper_reads_surely():
    """Photographed, the tờ khai lost the commas of an address the giấy chứng sinh reads surely, same words and
    marks: they are put back, for the reviewer; a sure reading, or one on the same paper only, changes nothing."""
    lost = RESIDENCE.replace(",", "", 2)
    docs = _dossier({"mother_residence": (lost, 0.3), "requester_residence": (RESIDENCE, 0.6)},
                    birth={"mother_residence": (RESIDENCE, 0.93)})  # fmt: skip
    fixed = docs[0].fields["mother_residence"]
    assert (fixed.value, fixed.ocr_value, fixed.confidence, fixed.problems) == (RESIDENCE, lost, AGREED, [PROBLEM])
    assert not docs[0].fields["requester_residence"].problems
    sure = _dossier({"mother_residence": (lost, 0.95)}, birth={"mother_residence": (RESIDENCE, 0.93)})
    alone = _dossier({"mother_residence": (lost, 0.3), "requester_residence": (RESIDENCE, 0.95)})
    assert sure[0].fields["mother_residence"].value == lost and alone[0].fields["mother_residence"].value == lost


def test_two_readings_on_one_paper_count_once():
    """The tờ khai prints its requester's and the mother's name in one font: misread alike, they are one paper's
    word against the giấy chứng sinh's, and change nothing there."""
    docs = _dossier({"requester_name": ("Đinh Kim Chỉ", 0.54), "mother_name": ("Đinh Kim Chỉ", 0.36)},
                    birth={"mother_name": ("ĐINH KIM CHI", 0.6)})  # fmt: skip
    assert docs[1].fields["mother_name"].value == "ĐINH KIM CHI"
    assert docs[0].fields["mother_name"].value == "Đinh Kim Chỉ"


def test_one_doubted_reading_is_no_authority_and_a_confident_one_is_kept():
    docs = _dossier({"requester_name": ("Lê Thị Thúy", 0.6), "mother_name": ("Lê Thị Thủy", 0.5)},
                    {"full_name": ("LÊ THỊ THỦY", 0.95)})  # fmt: skip
    assert docs[0].fields["requester_name"].value == "Lê Thị Thủy"  # the card is confident
    assert docs[1].fields["full_name"].value == "LÊ THỊ THỦY"
    alone = _dossier({"requester_name": ("Lê Thị Thúy", 0.6), "mother_name": ("Lê Thị Thủy", 0.5)})
    assert [alone[0].fields[k].value for k in ("requester_name", "mother_name")] == ["Lê Thị Thúy", "Lê Thị Thủy"]
    sure = _dossier({"requester_name": ("Lê Thị Thúy", 0.93)}, {"full_name": ("LÊ THỊ THỦY", 0.99)})
    assert sure[0].fields["requester_name"].value == "Lê Thị Thúy"  # kept, but doubted: see the next test


def test_two_papers_reading_one_name_surely_with_other_marks_are_both_doubted():
    """A card read "LƯƠNG NGỌC HIÊN" at 0.99, the tờ khai "Lương Ngọc Hiền" at 0.97: one of the two lost or
    gained a mark, and nothing tells which. Both stand as read, for the reviewer; a reading the card's code
    verified (1.0) is not doubted, the other is."""
    docs = _dossier({"requester_name": ("Lương Ngọc Hiền", 0.97)}, {"full_name": ("LƯƠNG NGỌC HIÊN", 0.99)})
    got = [docs[0].fields["requester_name"], docs[1].fields["full_name"]]
    assert [f.value for f in got] == ["Lương Ngọc Hiền", "LƯƠNG NGỌC HIÊN"]
    assert all(f.confidence == AGREED and f.problems == [DISPUTED] for f in got)
    coded = _dossier({"requester_name": ("Lương Ngọc Hiền", 0.97)}, {"full_name": ("LƯƠNG NGỌC HIÊN", 1.0)})
    assert coded[1].fields["full_name"].confidence == 1.0
    assert coded[0].fields["requester_name"].problems == [DISPUTED]
    alike = _dossier({"requester_name": ("Lương Ngọc Hiền", 0.97)}, {"full_name": ("LƯƠNG NGỌC HIỀN", 0.99)})
    assert alike[0].fields["requester_name"].confidence == 0.97 and not alike[1].fields["full_name"].problems


def test_recased_in_the_case_of_the_paper():
    assert recased("PHƯỜNG LÊ BÌNH", "phường Lê Bình") == "phường Lê Bình"
    assert recased("Phường Lê Bình", "PHƯỜNG LÊ BINH") == "PHƯỜNG LÊ BÌNH"
    assert recased("phường Lê Bình", "phường LÊ Bình") == "phường Lê Bình"  # a shouted word in a lower value
    assert recased("phố Lê Duẩn", "phế tê Duẩn") == "phố Lê Duẩn"  # a misread word keeps the spelling's case
    # A card capitalises every unit's kind, a tờ khai none: kinds follow the paper even where words do not pair.
    card = "Số 39 đường Hùng Vương. Phường Ì ạch Tray, Quận Ngô TT phố Hải Phòng"
    spelling = "Số 59 đường Hùng Vương, phường Lạch Tray, quận Ngô Quyền, thành phố Hải Phòng"
    assert recased(spelling, card) == "Số 59 đường Hùng Vương, Phường Lạch Tray, Quận Ngô Quyền, Thành phố Hải Phòng"
    assert recased("Phường Lạch Tray, Thành phố Hải Phòng", "phương Lach Trav thành phố Hải Phòng") == (
        "phường Lạch Tray, thành phố Hải Phòng"
    )
    # A kind that pairs with the paper's word keeps its own case, though the paper's others are lower.
    like = "Số 11, phường Linh Trưng, thành phố Thủ Đức, Thành phố Hồ Chí Minh"
    assert recased(like.replace("Trưng", "Trung").lower().replace("số", "Số"), like) == like.replace("Trưng", "Trung")


def test_an_id_a_digit_off_the_one_the_card_verifies_is_that_id():
    """The tờ khai's "0421904344607" (a digit doubled: no ID at all) and the giấy chứng sinh's doubted
    "042190434697" are each one edit from the ID the card's zone verified; a number many digits off is another
    person's and stays."""
    card = ExtractedDocument("can_cuoc", [2], 0.9, {"id_number": _fv("042190434607", 1.0)})
    raw = "Căn cước công dân số 0421904344607, cấp ngày 26/08/2019"
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "requester_id_number": FieldValue(None, raw, 0.0, 0, None, False, ["unreadable_id_number"])})  # fmt: skip
    birth = ExtractedDocument("giay_chung_sinh", [1], 0.9, {"mother_id_number": _fv("042190434697", 0.7)})
    agree_id_numbers([to_khai, birth, card], default_catalog())
    fixed = to_khai.fields["requester_id_number"]
    assert (fixed.value, fixed.ocr_value, fixed.confidence, fixed.problems) == (
        "042190434607", "0421904344607", AGREED, [ID_PROBLEM])  # fmt: skip
    assert birth.fields["mother_id_number"].value == "042190434607"
    assert birth.fields["mother_id_number"].ocr_value == "042190434697"
    assert card.fields["id_number"].problems == []
    other = ExtractedDocument("giay_chung_sinh", [1], 0.9, {"mother_id_number": _fv("042187123456", 0.6)})
    agree_id_numbers([other, card], default_catalog())
    assert other.fields["mother_id_number"].value == "042187123456" and not other.fields["mother_id_number"].problems


def test_a_confident_id_on_one_paper_a_digit_off_two_papers_is_theirs():
    """A 300-dpi card read "012189623399" at 0.91; the tờ khai (surely) and the giấy chứng sinh read 042189623399:
    the lone reading is the misread one, for the reviewer. One other paper alone, or a number the card's zone
    verified, leaves it."""

    def papers(card_conf: float, birth: bool = True) -> list[ExtractedDocument]:
        docs = [ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {"requester_id_number": _fv("042189623399", 0.96)}),
                ExtractedDocument("can_cuoc", [2], 0.9, {"id_number": _fv("012189623399", card_conf)})]  # fmt: skip
        if birth:
            docs.append(ExtractedDocument("giay_chung_sinh", [1], 0.9, {"mother_id_number": _fv("042189623399", 0.78)}))
        agree_id_numbers(docs, default_catalog())
        return docs

    got = papers(0.91)[1].fields["id_number"]
    assert (got.value, got.ocr_value, got.problems) == ("042189623399", "012189623399", [ID_PROBLEM])
    assert papers(0.91, birth=False)[1].fields["id_number"].value == "012189623399"
    assert papers(1.0)[1].fields["id_number"].value == "012189623399"


def test_a_run_no_id_two_edits_off_a_sure_id_with_its_holders_digits_is_that_id():
    """A card photo's "Số: 0310856280080" (its last "89" read "080"): no ID, two edits from the tờ khai's sure
    number, and it opens with the same six digits (province, century and sex, year of birth): the same person's.
    A run two edits off that opens otherwise ("0091835713954") is left unread."""

    def card_after(raw: str, sure: str) -> FieldValue:
        card = ExtractedDocument("can_cuoc", [1], 0.9, {
            "id_number": FieldValue(None, raw, 0.0, 1, None, False, ["unreadable_id_number"])})  # fmt: skip
        to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {"requester_id_number": _fv(sure, 0.96)})
        agree_id_numbers([to_khai, card], default_catalog())
        return card.fields["id_number"]

    got = card_after("Số: 0310856280080", "031085628089")
    assert (got.value, got.ocr_value, got.problems) == ("031085628089", "0310856280080", [ID_PROBLEM])
    assert Levenshtein.distance("0091835713954", "089185713954") == 2
    assert card_after("Số: 0091835713954", "089185713954").value is None


def test_an_id_near_two_sure_ids_is_left_alone():
    sure = [ExtractedDocument("can_cuoc", [i], 0.9, {"id_number": _fv(n, 1.0)})
            for i, n in enumerate(("042190434607", "042190434608"))]  # fmt: skip
    to_khai = ExtractedDocument("to_khai_khai_sinh", [2], 0.9, {"requester_id_number": _fv("042190434600", 0.6)})
    agree_id_numbers([to_khai, *sure], default_catalog())
    assert to_khai.fields["requester_id_number"].value == "042190434600"


def test_a_card_whose_number_or_name_did_not_read_takes_its_holders_from_the_tờ_khai():
    """The card's number past reading; the tờ khai's requester has the card's name (marks aside) and a number that
    agrees with the card's birth date and sex: that number, for the reviewer. A number that disagrees with them,
    or a holder no paper names, gives none."""
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "requester_name": _fv("Lê Thu Vân", 0.95), "requester_id_number": _fv("038186996877", 0.95),
        "mother_name": _fv("Lê Thu Vân", 0.95)})  # fmt: skip
    card = ExtractedDocument("can_cuoc", [1], 0.9, {
        "id_number": FieldValue(None, "Số: 03818699", 0.0, 1, None, False, ["unreadable_id_number"]),
        "full_name": _fv("LÊ THU VĂN", 0.5), "date_of_birth": _fv("1986-07-13", 0.6),
        "sex": _fv("Nữ", 0.6)})  # fmt: skip
    cards_from_holders([to_khai, card], default_catalog())
    got = card.fields["id_number"]
    assert (got.value, got.confidence, got.problems, got.valid) == ("038186996877", AGREED, [HOLDER_ID], True)
    for born, name in (("1985-07-13", "LÊ THU VĂN"), ("1986-07-13", "LÊ THỊ VÂN")):
        card.fields.update(id_number=_fv("", 0.0), full_name=_fv(name, 0.5), date_of_birth=_fv(born, 0.6))
        cards_from_holders([to_khai, card], default_catalog())
        assert card.fields["id_number"].value == "", (born, name)
    # The other way: the number read, the name not: the name of the person the tờ khai gives that number for.
    card = ExtractedDocument("can_cuoc", [1], 0.9, {"id_number": _fv("038186996877", 0.9)})
    cards_from_holders([to_khai, card], default_catalog())
    got = card.fields["full_name"]
    assert (got.value, got.confidence, got.problems) == ("LÊ THU VÂN", AGREED, [HOLDER_NAME])
    # Or read doubtfully a letter or two off ("LÊ THI VÂM"), the number found by its place (doubted, and at odds
    # with a misread birth date): the papers agree on the number. A sure reading, or another name, stands.
    for read, want in ((_fv("LÊ THI VÂM", 0.4), "LÊ THU VÂN"), (_fv("LÊ THI VÂM", 0.95), "LÊ THI VÂM"),
                       (_fv("TRẦN THU VÂN", 0.4), "TRẦN THU VÂN")):  # fmt: skip
        number = FieldValue("038186996877", "Sổ: 038186996877", 0.1, 1, None, False, ["id_birth_year_mismatch"])
        card = ExtractedDocument("can_cuoc", [1], 0.9, {"id_number": number, "full_name": read})
        cards_from_holders([to_khai, card], default_catalog())
        assert card.fields["full_name"].value == want, read
    # A holder's name read less surely than the card's is no better: a photographed giấy chứng sinh's "ƯƠNG THU
    # NGA" put back as Dương at 0.25 leaves the card's LƯƠNG THU NGA at 0.8 as read.
    birth = ExtractedDocument("giay_chung_sinh", [2], 0.9, {
        "mother_name": _fv("DƯƠNG THU NGA", 0.25), "mother_id_number": _fv("056198187243", 0.43)})  # fmt: skip
    card = ExtractedDocument("can_cuoc", [1], 0.9, {
        "id_number": _fv("056198187243", 0.85), "full_name": _fv("LƯƠNG THU NGA", 0.8)})  # fmt: skip
    cards_from_holders([birth, card], default_catalog())
    assert card.fields["full_name"].value == "LƯƠNG THU NGA"


def test_a_name_read_without_its_surname_is_whole_as_another_paper_gives_the_same_id():
    """A photo's tờ khai read the requester "Phương Yến" (its surname lost) or "Š Gia Huy" (a speck for it); the
    card with the same ID number reads the whole name: taken, in the tờ khai's case, for the reviewer. Another
    number, a shorter name's other words, or a longer name read less surely, give nothing."""
    for read, whole in (("Phương Yến", "HỒ PHƯƠNG YẾN"), ("Š Gia Huy", "HỒ GIA HUY")):
        to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
            "requester_name": _fv(read, 0.8), "requester_id_number": _fv("001196123456", 0.9)})  # fmt: skip
        card = ExtractedDocument("can_cuoc", [1], 0.9, {
            "id_number": _fv("001196123456", 0.95), "full_name": _fv(whole, 0.9)})  # fmt: skip
        names_whole_across_papers([to_khai, card], default_catalog())
        got = to_khai.fields["requester_name"]
        assert (got.value, got.ocr_value, got.problems) == (whole.title(), read, [WHOLE_PROBLEM])
        assert got.confidence <= AGREED and card.fields["full_name"].value == whole
    for number, name, conf in (("079196123456", "HỒ PHƯƠNG YẾN", 0.9), ("001196123456", "HỒ THU YẾN", 0.9),
                               ("001196123456", "HỒ PHƯƠNG YẾN", 0.5)):  # fmt: skip
        to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
            "requester_name": _fv("Phương Yến", 0.8), "requester_id_number": _fv("001196123456", 0.9)})  # fmt: skip
        card = ExtractedDocument("can_cuoc", [1], 0.9, {"id_number": _fv(number, 0.95), "full_name": _fv(name, conf)})
        names_whole_across_papers([to_khai, card], default_catalog())
        assert to_khai.fields["requester_name"].value == "Phương Yến", (number, name, conf)


def test_a_spelling_tied_between_papers_is_agreed_again_once_the_card_takes_its_holders_name():
    """A photographed dossier: the tờ khai reads the requester (the mother) "Văn" and the mother "Vân", the card
    "VĂN" doubtfully, the giấy chứng sinh "VÂN" beside the card's number: two papers each way, no spelling ahead.
    The card then takes its holder's name from the giấy chứng sinh; agreed again over that, the requester is Vân."""
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "requester_name": _fv("Châu Khánh Văn", 0.75), "mother_name": _fv("Châu Khánh Vân", 0.6)})  # fmt: skip
    card = ExtractedDocument("can_cuoc", [1], 0.9, {
        "id_number": _fv("038195111767", 0.9), "full_name": _fv("CHÂU KHÁNH VĂN", 0.39)})  # fmt: skip
    birth = ExtractedDocument("giay_chung_sinh", [2], 0.9, {
        "mother_name": _fv("CHÂU KHÁNH VÂN", 0.41), "mother_id_number": _fv("038195111767", 0.9)})  # fmt: skip
    across_papers([to_khai, card, birth], [[], [], []], default_catalog())
    assert (card.fields["full_name"].value, card.fields["full_name"].problems) == ("CHÂU KHÁNH VÂN", [HOLDER_NAME])
    got = to_khai.fields["requester_name"]
    assert (got.value, got.ocr_value, got.confidence, got.problems) == ("Châu Khánh Vân", "Châu Khánh Văn", AGREED,
                                                                         [PROBLEM])  # fmt: skip


def test_a_persons_id_unread_or_two_digits_off_is_the_one_another_paper_gives_that_person_surely():
    """The giấy chứng sinh did not read the mother's number; the tờ khai gives its requester, the same name but for
    marks, one surely: that number, for the reviewer. So for a doubted reading two edits off ("071551283147" for
    074155128347). A reading further off (an old CMND), another name, or a name given two sure numbers: nothing."""
    number = "042189567458"

    def papers(read: FieldValue | None, name: str = "DƯƠNG KIM HOA", card: str | None = None):
        to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
            "requester_name": _fv("Dương Kim Hóa", 0.37), "requester_id_number": _fv(number, 0.92)})  # fmt: skip
        birth = ExtractedDocument("giay_chung_sinh", [1], 0.9, {"mother_name": _fv(name, 0.38)})
        if read is not None:
            birth.fields["mother_id_number"] = read
        docs = [to_khai, birth]
        if card:
            docs.append(ExtractedDocument("can_cuoc", [2], 0.9, {"id_number": _fv(card, 0.95),
                                                                  "full_name": _fv("DƯƠNG KIM HOA", 0.9)}))  # fmt: skip
        ids_of_people(docs, default_catalog())
        return birth.fields.get("mother_id_number")

    got = papers(None)
    assert (got.value, got.confidence, got.problems, got.valid) == (number, AGREED, [ID_PROBLEM], True)
    unread = FieldValue(None, "Số định danh cá nhân:", 0.0, 1, None, False, ["unreadable_id_number"])
    got = papers(unread)
    assert (got.value, got.problems, got.ocr_value) == (number, [ID_PROBLEM], None)
    got = papers(_fv("042189667453", 0.4))
    assert (got.value, got.ocr_value, got.problems) == (number, "042189667453", [ID_PROBLEM])
    for read, name, card in (
        (_fv("042186667453", 0.4), "DƯƠNG KIM HOA", None),
        (None, "DƯƠNG KIM HÀ", None),
        (None, "DƯƠNG KIM HOA", "042189567459"),
        (_fv("042189667453", 0.95), "DƯƠNG KIM HOA", None),
    ):
        got = papers(read, name, card)
        assert (got.value if got else None) == (read.value if read else None), (read, name, card)
    # A card's unread number is left to cards_from_holders (which checks it against the card's birth date).
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "requester_name": _fv("Dương Kim Hoa", 0.9), "requester_id_number": _fv(number, 0.92)})  # fmt: skip
    card = ExtractedDocument("can_cuoc", [1], 0.9, {"full_name": _fv("DƯƠNG KIM HOA", 0.9)})
    ids_of_people([to_khai, card], default_catalog())
    assert "id_number" not in card.fields


def test_a_fact_past_reading_on_one_paper_is_taken_from_another_that_reads_it_surely():
    """The child's birth date, handwritten on the tờ khai ("77⁄2Z⁄2023"), did not read; the giấy chứng sinh reads it
    surely: that date, for the reviewer. A date read on both, or given two ways elsewhere, stays as it is."""
    unread = FieldValue(None, "77⁄2Z⁄2023", 0.0, 0, None, False, ["unreadable_date"])
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {"child_date_of_birth": unread,
                                                                "child_sex": _fv("Nữ", 0.95)})  # fmt: skip
    birth = ExtractedDocument("giay_chung_sinh", [1], 0.9, {"child_date_of_birth": _fv("2023-07-11", 0.95),
                                                             "child_sex": _fv("Nam", 0.95)})  # fmt: skip
    facts_across_papers([to_khai, birth], default_catalog())
    got = to_khai.fields["child_date_of_birth"]
    assert (got.value, got.confidence, got.problems, got.ocr_value) == ("2023-07-11", AGREED, [FACT_PROBLEM],
                                                                        "77⁄2Z⁄2023")  # fmt: skip
    assert to_khai.fields["child_sex"].value == "Nữ" and birth.fields["child_sex"].value == "Nam"  # both read
    to_khai.fields["child_date_of_birth"] = _fv("2023-07-17", 0.6)  # read doubtfully, a digit off: the sure one
    facts_across_papers([to_khai, birth], default_catalog())
    assert to_khai.fields["child_date_of_birth"].value == "2023-07-11"
    to_khai.fields["child_date_of_birth"] = _fv("2023-07-17", 0.95)  # read surely: it stands, the reviewer compares
    facts_across_papers([to_khai, birth], default_catalog())
    assert to_khai.fields["child_date_of_birth"].value == "2023-07-17"
    to_khai.fields["child_date_of_birth"] = unread
    other = ExtractedDocument("giay_chung_sinh", [2], 0.9, {"child_date_of_birth": _fv("2023-07-12", 0.95)})
    facts_across_papers([to_khai, birth, other], default_catalog())
    assert to_khai.fields["child_date_of_birth"].value is None


def test_a_persons_year_a_digit_off_or_unread_takes_the_year_another_paper_reads_surely():
    """The father's year, handwritten "7997" and mended to 1997, is a digit off the birth date his card's zone
    verifies: 1991, for the reviewer. The mother's, unread, takes her giấy chứng sinh's; a year read as printed
    and sure stays, and so does one many digits off (another person of the same name, or another paper's slip)."""
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "father_name": _fv("Hoàng Minh Tùng", 0.95),
        "father_birth_year": FieldValue("1997", "Năm sinh: 7997", 0.95, 0, None, True, []),
        "mother_name": _fv("Trần Khánh Thủy", 0.95),
        "mother_birth_year": FieldValue(None, "Năm sinh: 19§S", 0.0, 0, None, False, ["unreadable_year"])})  # fmt: skip
    card = ExtractedDocument("can_cuoc", [1], 0.9, {"full_name": _fv("HOÀNG MINH TÙNG", 0.99),
                                                    "date_of_birth": _fv("1991-02-14", 1.0)})  # fmt: skip
    birth = ExtractedDocument("giay_chung_sinh", [2], 0.9, {"mother_name": _fv("TRẦN KHÁNH THỦY", 0.95),
                                                             "mother_birth_year": _fv("1999", 0.95)})  # fmt: skip
    years_of_people([to_khai, card, birth], default_catalog())
    father, mother = to_khai.fields["father_birth_year"], to_khai.fields["mother_birth_year"]
    assert (father.value, father.ocr_value, father.confidence, father.problems) == (
        "1991", "1997", AGREED, [FACT_PROBLEM])  # fmt: skip
    assert (mother.value, mother.problems) == ("1999", [FACT_PROBLEM])
    to_khai.fields["father_birth_year"] = _fv("1987", 0.95)  # read as printed and sure: stays
    birth.fields["mother_birth_year"] = _fv("1999", 0.95)
    to_khai.fields["mother_birth_year"] = _fv("2003", 0.6)  # two digits off: stays
    years_of_people([to_khai, card, birth], default_catalog())
    assert to_khai.fields["father_birth_year"].value == "1987" and to_khai.fields["mother_birth_year"].value == "2003"


def test_the_review_screen_words_the_dossier_problems_in_vietnamese():
    """A reviewer reads what each problem means, not its code."""
    from pathlib import Path

    import digitize

    script = (Path(digitize.__file__).parent / "web" / "static" / "review.js").read_text(encoding="utf-8")
    for code in (
        PROBLEM,
        DISPUTED,
        ID_PROBLEM,
        HOLDER_ID,
        HOLDER_NAME,
        FACT_PROBLEM,
        "name_marks_from_dossier",
        "name_pieced_from_mrz",
        "place_from_holder",
        "place_by_units",
        "birth_date_by_number",
        NATIONALITY_PROBLEM,
        "sex_from_id_number",
        "ocr_disagrees_with_mrz",
        "ocr_disagrees_with_qr",
        ID_DIGIT_DROPPED,
        WHOLE_PROBLEM,
    ):
        assert f'\n  {code}: "' in script, code


def test_a_nationality_not_read_is_the_persons_card_s_and_a_childs_is_its_two_citizen_parents():
    """The mother's nationality did not read: her card (her name, in capitals) is a citizen's by law, Việt Nam.
    Then the child's, unread too: both its parents are Vietnamese citizens, so it is one. For the reviewer."""
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "child_name": _fv("Trần Gia Huy", 0.95),
        "mother_name": _fv("Trần Khánh Thủy", 0.95),
        "mother_nationality": FieldValue(None, "Quốc tịch: ¥ệ", 0.0, 0, None, False, ["unreadable_text"]),
        "father_name": _fv("Hoàng Minh Tùng", 0.95), "father_nationality": _fv("Việt Nam", 0.7)})  # fmt: skip
    card = ExtractedDocument("can_cuoc", [1], 0.9, {"full_name": _fv("TRẦN KHÁNH THỦY", 0.95),
                                                    "nationality": _fv("Việt Nam", 0.4)})  # fmt: skip
    nationalities_of_people([to_khai, card], default_catalog())
    mother, child = to_khai.fields["mother_nationality"], to_khai.fields["child_nationality"]
    assert (mother.value, mother.confidence, mother.problems) == ("Việt Nam", AGREED, [NATIONALITY_PROBLEM])
    assert (child.value, child.problems) == ("Việt Nam", [NATIONALITY_PROBLEM])


@pytest.mark.parametrize(
    "fields",
    [
        {"mother_nationality": _fv("Lào", 0.95), "father_nationality": _fv("Việt Nam", 0.95)},  # not both citizens
        {"mother_nationality": _fv("Việt Nam", 0.95)},  # the father's block empty or unread: no guess
        {"mother_nationality": _fv("Việt Nam", 0.95), "father_nationality": _fv("Việt Nam", 0.95),
         "child_nationality": _fv("Lào", 0.95)},  # read: stays (the reviewer sees the paper)
    ],
)  # fmt: skip
def test_a_childs_nationality_is_not_guessed_from_parents_who_are_not_both_citizens(fields):
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "child_name": _fv("Trần Gia Huy", 0.95), "mother_name": _fv("Trần Khánh Thủy", 0.95), **fields})  # fmt: skip
    before = to_khai.fields.get("child_nationality")
    nationalities_of_people([to_khai], default_catalog())
    assert to_khai.fields.get("child_nationality") is before
