"""A card's origin found by its units where OCR lost its label (forms.card_origins)."""

from __future__ import annotations

import pytest

from forms.card_origins import ORIGIN_BY_UNITS, PROBLEM, origins_by_units
from forms.catalog import default_catalog
from forms.dossier import ExtractedDocument
from forms.extract import FieldValue
from forms.lines import Line
from tests.support.cards import card_lines

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

# What OCR made of a photographed card's lower half: both labels lost, the origin read whole after the noise, the
# residence's house number before its units.
GARBLED = [
    "City NỮ ©u%& œ2 Việt Nam",
    "CC Noi tượng rủ: Số B7, ngõ 4, phó Nguyễn Du,",
    "Quá so» Mỹ Long, Long Xuyên, An Giang",
    "„¡ Phường Bắc Hà, Thành phố Hà Tĩnh, Tỉnh Hà",
    "Tĩnh",
]


def _lines(texts: list[str]) -> list[Line]:
    return card_lines(texts)


def _origin(texts: list[str], fields: dict | None = None) -> FieldValue | None:
    card = ExtractedDocument("can_cuoc", [1], 0.9, fields or {})
    origins_by_units([card], [_lines(texts)], default_catalog())
    return card.fields.get("place_of_origin")


def test_an_origin_whose_label_was_lost_is_found_by_its_units_for_review():
    got = _origin(GARBLED)
    assert got is not None
    assert (got.value, got.confidence, got.problems, got.page) == (
        "Mỹ Long, Long Xuyên, An Giang", ORIGIN_BY_UNITS, [PROBLEM], 1)  # fmt: skip
    assert got.box == [120, 80, 350, 30]  # the units' words on the third line, not its noise


def test_units_garbled_past_one_close_neighbour_are_written_as_listed_the_reading_kept():
    got = _origin(["CQA gác 09x32 0< PBướng Án Mới Bắc, Quận Sơn Tìa,", "Thanh pôế Dé Mông."])
    assert got is not None
    assert got.value == "Phường An Hải Bắc, Quận Sơn Trà, Thành phố Đà Nẵng"
    assert got.ocr_value == "PBướng Án Mới Bắc, Quận Sơn Tìa, Thanh pôế Dé Mông"


def test_the_residence_and_a_read_origin_are_left_alone():
    residence = FieldValue("Phường Bắc Hà, Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh", "", 0.9, 1, None, True, [])
    assert _origin(GARBLED[3:], {"place_of_residence": residence}) is None  # the residence's units
    assert _origin(["Số 48, ngõ 23, Phường Bắc Hà, Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh"]) is None  # a house before
    read = FieldValue("Phường Kim Liên, Quận Đống Đa, Thành phố Hà Nội", "", 0.9, 1, None, True, [])
    assert _origin(GARBLED, {"place_of_origin": read}) is read
    assert _origin(["CÔNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]) is None


def test_units_of_an_address_another_paper_gives_the_holder_are_the_residence_not_the_origin():
    number = "089186306274"
    to_khai = ExtractedDocument("to_khai_khai_sinh", [0], 0.9, {
        "requester_name": FieldValue("Mai Kim Văn", "", 0.95, 0, None, True, []),
        "requester_id_number": FieldValue(number, "", 0.95, 0, None, True, []),
        "requester_residence": FieldValue("Số 87, ngõ 4, phố Nguyễn Du, phường Bắc Hà, thành phố Hà Tĩnh, tỉnh Hà Tĩnh",
                                          "", 0.9, 0, None, True, [])})  # fmt: skip
    card = ExtractedDocument("can_cuoc", [1], 0.9, {"id_number": FieldValue(number, "", 0.9, 1, None, True, [])})
    texts = ["„¡ Phường Bắc Hà, Thành phố Hà Tĩnh, Tỉnh Hà Tĩnh", "Quá so» Mỹ Long, Long Xuyên, An Giang"]
    origins_by_units([to_khai, card], [[], _lines(texts)], default_catalog())
    assert card.fields["place_of_origin"].value == "Mỹ Long, Long Xuyên, An Giang"


def test_an_origin_found_by_its_units_is_written_with_its_commas():
    got = _origin(["Quê quán Phường Hiệp Thành Thành phố Thủ Dầu Một Tỉnh Bình Dương"])
    assert got is not None and got.value == "Phường Hiệp Thành, Thành phố Thủ Dầu Một, Tỉnh Bình Dương"
