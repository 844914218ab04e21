"""forms.unit_paths: an address's units matched together against the official list."""

from __future__ import annotations

import pytest

from forms import unit_paths
from forms.vocab import correct

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)


@pytest.mark.parametrize(
    "ocr,printed",
    [
        # a district and its province garbled past one close neighbour each; together they are one path
        ("phường Tân Lợi, thành phố Buận Mẹ Thuột, tỉnh Đổi Lề",
         "phường Tân Lợi, thành phố Buôn Ma Thuột, tỉnh Đắk Lắk"),
        # a ward two letters off among its district's wards, its kind written as its district's is (a card prints
        # every kind or none)
        ("Án Mới Bắc, Quận Sơn Trà, Thành phố Đà Nẵng", "Phường An Hải Bắc, Quận Sơn Trà, Thành phố Đà Nẵng"),
        # a ward's kind garbled at the start of its part, its name a letter off
        ("Số 130 đường Trần Phú, pluưừng M€ Bình, thành phố Long Xuyên, tỉnh An Giang",
         "Số 130 đường Trần Phú, phường Mỹ Bình, thành phố Long Xuyên, tỉnh An Giang"),
        # a speck before a kind, and a kind broken by noise: dropped
        ("Xã Vân Canh, Huyện Hoài Đức, CC Thành phố Hà Nội", "Xã Vân Canh, Huyện Hoài Đức, Thành phố Hà Nội"),
        ("Phường Lộc Thọ, Thánh 521` - phố Nha Trang, Tỉnh Khánh Hòa",
         "Phường Lộc Thọ, Thành phố Nha Trang, Tỉnh Khánh Hòa"),
        # a district of before a reform (Huế, parted in 2025): its wards are those of the districts it became; a
        # province's name printed as before (Thừa Thiên Huế) and misread
        ("Số 213 đường Hùng Vương, nhường Phú HỆI, thành phố Huế, tỉnh Thiết Ihiên Huế",
         "Số 213 đường Hùng Vương, phường Phú Hội, thành phố Huế, tỉnh Thừa Thiên Huế"),
        # a district's name misread and a province's garbled after "tỉnh": the district's province
        ("Số 153 đường Phan Chu Trinh, phường Tân Lợi, thành phố Buôn lúa Thuột, tỉnh Đết Lất",
         "Số 153 đường Phan Chu Trinh, phường Tân Lợi, thành phố Buôn Ma Thuột, tỉnh Đắk Lắk"),
        # nothing read after the province's kind, of one word or two (a low-resolution tờ khai's; it once raised
        # IndexError and failed the dossier): the district's province
        ("Số 219 đường Trần Hưng BC hường An Hải Bác, Quận Sơn Trà, Thành phố",
         "Số 219 đường Trần Hưng BC phường An Hải Bắc, Quận Sơn Trà, Thành phố Đà Nẵng"),
        ("xã Nghĩa Đồng, huyện Tân Kỳ, tỉnh", "xã Nghĩa Đồng, huyện Tân Kỳ, tỉnh Nghệ An"),
    ],
)  # fmt: skip
def test_units_garbled_past_mending_one_by_one_are_read_as_one_path(ocr, printed):
    snapped = unit_paths.snap(ocr)
    assert snapped is not None and snapped.value == printed and not snapped.sure
    assert correct("place", ocr).value == printed


@pytest.mark.parametrize(
    "place",
    [
        "HÀ, Hà Tĩnh, Hà Tĩnh",  # Bắc Hà and Nam Hà both: no guess
        "Quỹnh Lương, Quỳnh Lưu, Nghệ An",  # a commune merged away; Minh Lương, three letters off, is not it
        "Phường Vĩnh Ninh, Thành phố Huế",  # a listed ward is never taken for another
        "Bệnh viện Đa khoa tỉnh Hà Tĩnh",  # "khoa" opens no part: no district "Kỳ Hoa"
        "Phường Phú Hội, Thành phố Huế, Tỉnh Thừa Thiên Huế",  # a district the list has no more: left as printed
        "P. Bến Nghé, Q.1, TP.HCM",  # abbreviated kinds: left as printed
        "Tân Định, Quận 1, Hồ Chí Minh",  # listed, kinds as printed
        "Mỹ Long, Long Xuyên, An Giang",
        "Thôn Phú Lợi, xã An Đồng, huyện An",  # a district cut short: no guess
        "Xóm Hạ, xã Tân Lập, huyện Đan Phượng",  # no province printed: none added
        "Phường An Hải Bắc, Quận Sơn Trà, Tỉnh - Kệ",  # Sơn Trà's is a city ("Thành phố"), not a "Tỉnh"
        "xã Đông Thạnh, huyện Thanh Ba, tỉnh Phú Thọ",  # a commune listed elsewhere is not taken for Đông Thành
    ],
)
def test_listed_unclear_or_unlisted_paths_are_left_alone(place):
    assert unit_paths.snap(place) is None


def test_marks_alone_put_right_are_sure():
    snapped = unit_paths.snap("phường Mỹ Binh, thành phố Long Xuyên, tỉnh Án Giang")
    assert snapped == unit_paths.Snapped("phường Mỹ Bình, thành phố Long Xuyên, tỉnh An Giang", True)


def test_a_name_that_lost_a_capital_is_written_as_listed():
    snapped = unit_paths.snap("Phường Vĩnh Thái, Thành phố Nha Trang, khánh Hòa")
    assert snapped == unit_paths.Snapped("Phường Vĩnh Thái, Thành phố Nha Trang, Khánh Hòa", True)


def test_a_name_in_capitals_stays_in_capitals():
    snapped = unit_paths.snap("PHƯỜNG MỸ BÌNH, THÀNH PHỐ LONG XUYÊN, TỈNH AN GIANGG")
    assert snapped is not None and snapped.value == "PHƯỜNG MỸ BÌNH, THÀNH PHỐ LONG XUYÊN, TỈNH AN GIANG"
