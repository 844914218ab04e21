"""A card's address found in its own garbled text by its holder's address on the tờ khai (forms.card_places)."""

from __future__ import annotations

import pytest

from forms.card_places import HOLDER_PLACE, PROBLEM, as_cards_print, infix_edits, places_from_holders
from forms.catalog import default_catalog
from forms.dossier import ExtractedDocument
from forms.extract import FieldValue
from forms.lines import Line
from tests.support.cards import card_lines

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

HOME = "Số 39, ngõ 83, phố Quang Trung, phường Mỹ Bình, thành phố Long Xuyên, tỉnh An Giang"
NUMBER = "089186306274"
# What OCR made of the card's back on a 70-dpi copy: the label lost, the address run into noise over two lines.
GARBLED = [
    "fá0exng xi. Số 39, ngố 83, phố Quang Trueg, Phường",
    "L z5/01/1035 uy",
    "Mỹ Bính, Thằsà phố Leng Xuyế», Tỉnh An Giang",
]


def _fv(value: str, confidence: float, box: list[int] | None = None) -> FieldValue:
    return FieldValue(value, value, confidence, 1, box, True, [])


def _lines(texts: list[str]) -> list[Line]:
    return card_lines(texts)


def _papers(card_fields: dict, requester: tuple[str, str] = ("Mai Kim Văn", NUMBER)) -> list[ExtractedDocument]:
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "requester_name": _fv(requester[0], 0.95), "requester_id_number": _fv(requester[1], 0.95),
        "requester_residence": _fv(HOME, 0.8)})  # fmt: skip
    return [to_khai, ExtractedDocument("can_cuoc", [1], 0.9, card_fields)]


def _run(docs: list[ExtractedDocument], texts: list[str]) -> FieldValue | None:
    places_from_holders(docs, [[], _lines(texts)], default_catalog())
    return docs[1].fields.get("place_of_residence")


def test_edits_count_what_is_missing_as_well_as_what_is_misread():
    assert infix_edits("quang trung", "so 39 pho quang trung phuong") == 0
    assert infix_edits("quang trung", "so 39 pho quanq trunq phuong") == 2
    assert infix_edits("ngo 83 pho quang trung", "pho quang trung phuong") == 7  # "ngo 83 " not there


def test_a_card_whose_address_did_not_read_takes_its_holders_found_in_its_text():
    got = _run(_papers({"id_number": _fv(NUMBER, 0.9)}), GARBLED)
    assert got is not None
    assert got.value == "Số 39, ngõ 83, phố Quang Trung, Phường Mỹ Bình, Thành phố Long Xuyên, Tỉnh An Giang"
    assert (got.confidence, got.problems, got.ocr_value, got.page) == (HOLDER_PLACE, [PROBLEM], None, 1)


def test_a_garbled_reading_takes_it_by_the_holders_name_and_keeps_the_reading():
    read = _fv("Số 39, ngố 83, phố Quang Trueg, Phường", 0.3)
    got = _run(_papers({"full_name": _fv("MAI KIM VĂN", 0.6), "place_of_residence": read}), GARBLED)
    assert got.value.startswith("Số 39, ngõ 83") and got.ocr_value == "Số 39, ngố 83, phố Quang Trueg, Phường"


def test_a_surer_reading_stands_and_so_does_a_card_of_another_person():
    for confidence in (0.95, 0.85):  # sure, or surer than the form's reading (0.8): a form misreads digits too
        read = _fv("Số 38, ngõ 83, phố Quang Trung, Phường Mỹ Bình, Thành phố Long Xuyên, Tỉnh An Giang", confidence)
        assert _run(_papers({"id_number": _fv(NUMBER, 0.9), "place_of_residence": read}), GARBLED) is read
    other = _papers({"id_number": _fv(NUMBER, 0.9)}, requester=("Lê Thu Vân", "038186996877"))
    assert _run(other, GARBLED) is None


def test_nothing_is_taken_from_an_address_the_card_does_not_show():
    # Another house of the same ward, or of the same street: the shared tail is not enough, nor the street.
    # (A digit off, "Số 139", may be a misread: then the surer reading stands, above.)
    for house in (
        "Số 12 đường Trần Phú",
        "Số 12, ngõ 83, phố Quang Trung",
        "Số 39, ngõ 8, phố Lê Lợi",
        "Thôn Đông, xã Mỹ Hòa",
    ):
        elsewhere = [f"Nơi thường trú: {house}, Phường Mỹ Bình, Thành phố Long Xuyên, Tỉnh An Giang"]
        assert _run(_papers({"id_number": _fv(NUMBER, 0.9)}), elsewhere) is None, house
    # The address is in the card's text, but as another field's value (its place of origin): not the residence.
    origin = _fv(HOME, 0.5, box=[0, 0, 2000, 200])
    assert _run(_papers({"id_number": _fv(NUMBER, 0.9), "place_of_origin": origin}), GARBLED) is None


def test_words_another_fields_reading_ran_on_into_are_still_the_cards_text():
    """An origin read on into the address under it, cut at its province: its box holds the address's words too,
    which are no word of its value."""
    origin = _fv("Mỹ Long, Long Xuyên, An Giang", 0.5, box=[0, 0, 2000, 200])
    texts = ["Quê quán: Mỹ Long, Long Xuyên, An Giang", *GARBLED]
    got = _run(_papers({"id_number": _fv(NUMBER, 0.9), "place_of_origin": origin}), texts)
    assert got is not None and got.value.startswith("Số 39, ngõ 83, phố Quang Trung, Phường Mỹ Bình")


def test_a_card_prints_the_units_kinds_capitalised():
    assert as_cards_print(HOME) == "Số 39, ngõ 83, phố Quang Trung, Phường Mỹ Bình, Thành phố Long Xuyên, Tỉnh An Giang"
    assert as_cards_print("Thôn 3, xã An Đồng, huyện An Dương") == "Thôn 3, Xã An Đồng, Huyện An Dương"
