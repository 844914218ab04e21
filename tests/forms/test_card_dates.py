"""A card's expiry read through its holder's birth date (forms.card_dates), on what OCR made of photographed cards."""

from __future__ import annotations

import pytest

from forms.card_dates import (
    BIRTH_PROBLEM,
    PROBLEM,
    birth_dates_by_number,
    date_runs,
    expiry_among,
    expiry_by_birth_date,
    renewal_birthdays,
)
from forms.catalog import default_catalog
from forms.dossier import ExtractedDocument
from forms.extract import FieldValue
from forms.lines import Line
from forms.normalize import unmarked
from tests.support.cards import card_lines

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

NUMBER = "074190275548"  # born in 1990 (its 4th digit: the 20th century; the 5th and 6th: 90)


def _fv(value: str, confidence: float, raw: str | None = None) -> FieldValue:
    return FieldValue(value, raw or value, confidence, 0, [0, 0, 10, 10], True, [])


def _lines(texts: list[str]) -> list[Line]:
    return card_lines(texts, page=0, top=100)


def _card(texts: list[str], born: FieldValue, **fields: FieldValue) -> FieldValue | None:
    card = ExtractedDocument("can_cuoc", [0], 0.9, {"id_number": _fv(NUMBER, 0.95), "date_of_birth": born, **fields})
    expiry_by_birth_date([card], [_lines(texts)], default_catalog())
    return card.fields.get("date_of_expiry")


def test_the_birthdays_a_card_may_run_to():
    assert renewal_birthdays("1990-01-19") == ["2030-01-19", "2050-01-19"]  # at 14 and 25: before the first cards
    assert renewal_birthdays("2008-02-29")[0] == "2022-02-28"


def test_a_date_the_card_spells_exactly_is_its_expiry_though_its_label_did_not_read():
    # A photo: the label under the card's photo lost, the date's first slash too. The birth date is not read
    # surely, but in the year the number carries: the two vouch for each other.
    text = ["Ngày tháng, năm sinh: 19/01/1990", "iớttúnh: Nữ", "1901/2030."]
    got = _card(text, _fv("1990-01-19", 0.84))
    assert got is not None and (got.value, got.confidence, got.problems) == ("2030-01-19", 0.9, [])
    # Not a birth date the number does not carry: read wrong, its misreads may be the expiry's too.
    assert _card(text, _fv("1996-01-19", 0.95)) is None


def test_the_expirys_own_reading_a_digit_or_two_off_is_mended_for_review():
    read = _fv("2032-01-19", 0.4, raw="19/01/2O32")
    got = _card(["Có giá trị đến: 19/01/2O32"], _fv("1990-01-19", 0.95), date_of_expiry=read)
    assert (got.value, got.problems, got.ocr_value) == ("2030-01-19", [PROBLEM], "2032-01-19")


def test_a_date_elsewhere_a_digit_off_a_birthday_is_no_expiry():
    # The back's issue date, a digit off the 25th birthday: only the expiry's own reading is mended.
    born = _fv("1996-01-21", 0.95)
    card = ExtractedDocument("can_cuoc", [0], 0.9, {"id_number": _fv("022196223675", 0.95), "date_of_birth": born})
    expiry_by_birth_date([card], [_lines(["Ngày, tháng, năm: 21/03/2021"])], default_catalog())
    assert "date_of_expiry" not in card.fields


def test_runs_of_digits_and_their_lookalikes_at_words_edges():
    assert date_runs(unmarked("L z5/01/1035 so 101 duong")) == ["25011035"]
    assert date_runs(unmarked("IDVNM2003194452046200319445<<1")) == []
    # Two birthdays a digit apart (2030, 2050): a reading as near both is neither; spelt exactly, one.
    assert expiry_among(["19012040"], "1990-01-19", 2) is None
    assert expiry_among(["19012050"], "1990-01-19") == ("2050-01-19", 0)
    assert expiry_among(["25011035"], "1995-04-25", 2) == ("2035-04-25", 2)  # "z5/01/1035": 2055 is three off


def _born(number: FieldValue, **fields: FieldValue) -> FieldValue | None:
    card = ExtractedDocument("can_cuoc", [0], 0.9, {"id_number": number, **fields})
    birth_dates_by_number([card], default_catalog())
    return card.fields.get("date_of_birth")


def test_a_birth_year_read_a_digit_off_the_one_a_sure_number_carries_takes_it_for_review():
    got = _born(_fv(NUMBER, 0.85), date_of_birth=_fv("1980-04-21", 0.3))
    assert got is not None
    assert (got.value, got.problems, got.ocr_value) == ("1990-04-21", [BIRTH_PROBLEM], "1980-04-21")


def test_an_unread_birth_date_is_the_birthday_a_sure_expiry_falls_on_at_a_renewal_age():
    got = _born(_fv(NUMBER, 0.95), date_of_expiry=_fv("2030-04-21", 1.0))  # 1990 + 40
    assert got is not None and (got.value, got.problems) == ("1990-04-21", [BIRTH_PROBLEM])


@pytest.mark.parametrize(
    "number,fields",
    [
        (_fv(NUMBER, 0.5), {"date_of_birth": _fv("1980-04-21", 0.3)}),  # a doubted number vouches for nothing
        (_fv(NUMBER, 0.95), {"date_of_birth": _fv("1980-04-21", 0.95)}),  # a sure reading stays: the reviewer sees both
        (_fv(NUMBER, 0.95), {"date_of_birth": _fv("1979-04-21", 0.3)}),  # two digits off: which is wrong is unknown
        (_fv(NUMBER, 0.95), {"date_of_expiry": _fv("2032-04-21", 1.0)}),  # 42: no renewal age
        (_fv(NUMBER, 0.95), {"date_of_expiry": _fv("2030-04-21", 0.6)}),  # a doubted expiry
        (_fv("074190275548", 0.95), {"date_of_expiry": _fv("2030-02-28", 1.0)}),  # born on the 28th or the 29th
    ],
)
def test_a_birth_date_is_not_taken_from_a_doubted_or_disagreeing_number_or_expiry(number, fields):
    before = fields.get("date_of_birth")
    assert _born(number, **fields) is before
