"""Validators: each returns a list of problem codes (empty when the value passes). A failure becomes a warning on
the field and the dossier; nothing here changes a value."""

from __future__ import annotations

import datetime as dt
import re

from .vocab import ends_at_a_province

# Province codes that open a personal ID number: where the birth was registered (63 provinces before 2025).
PROVINCE_CODES = {
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
    "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
    "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
}  # fmt: skip

# Fourth digit: century of birth and sex.
CENTURY_SEX = {"0": (1900, "Nam"), "1": (1900, "Nữ"), "2": (2000, "Nam"), "3": (2000, "Nữ"),
               "4": (2100, "Nam"), "5": (2100, "Nữ")}  # fmt: skip


def id_number(value: str, date_of_birth: str | None = None, sex: str | None = None) -> list[str]:
    """Structure of a 12-digit personal ID number, and its agreement with the same person's birth date and sex."""
    if len(value) == 9 and value.isdigit():
        return []  # an old CMND number carries no structure to check
    if len(value) != 12 or not value.isdigit():
        return ["id_not_12_digits"]
    problems = []
    if value[:3] not in PROVINCE_CODES:
        problems.append("id_unknown_province")
    century_sex = CENTURY_SEX.get(value[3])
    if century_sex is None:
        problems.append("id_bad_century_digit")
        return problems
    century, id_sex = century_sex
    if date_of_birth:
        born = int(date_of_birth[:4])
        if born // 100 * 100 != century or born % 100 != int(value[4:6]):
            problems.append("id_birth_year_mismatch")
    if sex and sex != id_sex:
        problems.append("id_sex_mismatch")
    return problems


def holder_sex(number: str) -> str | None:
    """The holder's sex a well-formed 12-digit ID number carries in its 4th digit (even: Nam, odd: Nữ), or None."""
    return CENTURY_SEX[number[3]][1] if len(number) == 12 and not id_number(number) else None


def birth_year(number: str) -> str | None:
    """The holder's year of birth a well-formed 12-digit ID number carries (its 4th digit the century, the 5th and
    6th the year's last two), or None."""
    if len(number) != 12 or id_number(number):
        return None
    return str(CENTURY_SEX[number[3]][0] + int(number[4:6]))


OLDEST_LIVING = 120  # years: a paper's date of birth or issue further back belongs to no one at the counter


def date(value: str, today: dt.date | None = None, past: bool = True) -> list[str]:
    """An ISO date that exists and, for births and issue dates, is not in the future; none is older than
    OLDEST_LIVING years ("1901-11-29" on a card is a misread 2001)."""
    try:
        d = dt.date.fromisoformat(value)
    except ValueError:
        return ["invalid_date"]
    today = today or dt.date.today()
    if past and d > today:
        return ["date_in_future"]
    if d.year < today.year - OLDEST_LIVING:
        return ["date_too_old"]
    return []


def year(value: str, today: dt.date | None = None) -> list[str]:
    y = int(value)
    this_year = (today or dt.date.today()).year
    return [] if this_year - OLDEST_LIVING <= y <= this_year else ["year_out_of_range"]


def grams(value: str) -> list[str]:
    return [] if 300 <= int(value) <= 7000 else ["weight_out_of_range"]


def whole_address(value: str) -> list[str]:
    """An address a paper prints whole (a card's, down from its province) that stops short of its province: its
    last line was lost ("Số 112 đường Quang Trung," with the card's second line unread)."""
    return [] if ends_at_a_province(_NOTE_AFTER.sub("", value)) else ["address_unfinished"]


_NOTE_AFTER = re.compile(r"\s*\([^()]*\)\W*$")  # "(cũ)", "(nay là tỉnh Quảng Ngãi)" after the province

# A căn cước is valid until its holder's birthday at the next age it must be renewed at (Luật Căn cước công dân
# 2014, Điều 21: 25, 40 and 60; Luật Căn cước 2024, Điều 21: 14 too); from 60 it has none ("Không thời hạn").
RENEWAL_AGES = (14, 25, 40, 60)
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def card_expiry(expiry: str | None, date_of_birth: str | None) -> list[str]:
    """A card's expiry that is no birthday of its holder's at a renewal age: one of the two dates misread (a card
    read 2033-11-07 under a birth date read 1963-11-07: 1983 and 2023 printed). Both fields are for the reviewer.
    Nothing to say when either is missing or no date (an old CMND prints no expiry)."""
    if not expiry or not date_of_birth or not ISO_DATE.fullmatch(expiry) or not ISO_DATE.fullmatch(date_of_birth):
        return []
    ages = int(expiry[:4]) - int(date_of_birth[:4])
    birthday = expiry[5:] == date_of_birth[5:] or (date_of_birth[5:] == "02-29" and expiry[5:] in ("02-28", "03-01"))
    return [] if birthday and ages in RENEWAL_AGES else ["expiry_not_a_renewal_birthday"]


VALIDATORS = {"date": date, "year": year, "grams": grams, "whole_address": whole_address}
