"""An independent generator of labelled birth-registration dossiers: `digitize eval --family scan|photo|lowres|holdout`.

The pipeline was tuned on synth_forms' papers. This module draws the same three papers (tờ khai đăng ký khai sinh,
giấy chứng sinh, a photocopied căn cước) from layouts, label wordings, fonts, people and degradations of its own, so
`digitize eval` has a measuring stick the code was not fitted to. Every person and number is made up; ward, district
and province names are real units. Families (the truth JSON's "family"):

- scan: flatbed scans at 200-300 dpi, mildly skewed, noisy and JPEG'd; one PDF, or JPEGs with their dpi recorded;
- photo: phone photos, the page on a desk in perspective with uneven light and a shadow, 1-3 MP JPEGs, no dpi;
- lowres: 150 dpi and about 70 dpi JPEGs with no resolution recorded;
- holdout: other seeds, and a font set, layouts (labels above values over ruled lines, numbered tables, ID digits
  in boxes touching in a strip) and degradations (second-generation photocopies, glare, creases) that no other
  family uses. Look at its aggregate figures only: a holdout read page by page and fixed for stops being one.

Forms with labels over values and numbered fields are common on real papers, and the holdout showed the code read
them badly; the studied families draw such forms too, their own way, for work on them to be checked on the holdout:
STUDY_SHARE of their forms as ruled cells with the label in a corner (`cells`) or as numbered lines under headings
with roman numerals (`numbered_lines`), and a quarter of their ID numbers one digit per square, squares apart or a
comb.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFont

from digitize.core import fonts
from digitize.devtools import synth
from digitize.devtools.synth import A4_MM

FAMILIES = ("scan", "photo", "lowres", "holdout")
PROCEDURE = "1.001193"
FAMILY_SEEDS = {"scan": 110_000, "photo": 220_000, "lowres": 330_000, "holdout": 7_300_000}
CARD_MM = (85.6, 53.98)

# --- fonts ----------------------------------------------------------------------------------------------------------

Face = tuple[str, str]  # regular and bold font files

# Debian packages of these files: fonts-noto-core, fonts-noto-mono, fonts-dejavu-core, fonts-dejavu-extra,
# fonts-liberation2, fonts-freefont-ttf, fonts-sil-charis, fonts-sil-gentiumplus, fonts-sil-andika, fonts-open-sans,
# fonts-roboto-unhinted, fonts-crosextra-carlito, fonts-vollkorn, fonts-ebgaramond. A missing file is skipped (a set
# left empty falls back to synth's serif), so what a family looks like depends on the fonts installed.
MAIN_FACES = (
    ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
    ("NotoSerifDisplay-Regular.ttf", "NotoSerifDisplay-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("CharisSIL-Regular.ttf", "CharisSIL-Bold.ttf"),
    ("OpenSans-Regular.ttf", "OpenSans-Bold.ttf"),
    ("Roboto-Regular.ttf", "Roboto-Bold.ttf"),
    ("FreeSerif.ttf", "FreeSerifBold.ttf"),
    ("Carlito-Regular.ttf", "Carlito-Bold.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
)
HOLDOUT_FACES = (
    ("GentiumPlus-Regular.ttf", "GentiumPlus-Bold.ttf"),
    ("GentiumBookPlus-Regular.ttf", "GentiumBookPlus-Bold.ttf"),
    ("Vollkorn-Regular.ttf", "Vollkorn-Bold.ttf"),
    ("EBGaramond12-Regular.otf", "Vollkorn-SemiBold.ttf"),
    ("RobotoCondensed-Regular.ttf", "RobotoCondensed-Bold.ttf"),
    ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf"),
    ("NotoSansMono-Regular.ttf", "NotoSansMono-Bold.ttf"),
    ("FreeSans.ttf", "FreeSansBold.ttf"),
)
# Hand-filled values. Debian has no cursive font with Vietnamese letters: Andika (letters as children learn to write
# them) is the nearest, drawn in ballpoint blue on a wandering baseline.
MAIN_HANDS = ("Andika-Regular.ttf", "Andika-Italic.ttf")
HOLDOUT_HANDS = ("Andika-BoldItalic.ttf", "GentiumPlus-Italic.ttf", "CharisSIL-Italic.ttf")
MONO = ("NotoSansMono-Regular.ttf", "DejaVuSansMono.ttf", "LiberationMono-Regular.ttf")


def font_file(name: str) -> str | None:
    """The installed font file of that name, when it draws every Vietnamese letter."""
    found = fonts.font_file(name)
    return str(found) if found else None


def faces(names: tuple[Face, ...]) -> list[Face]:
    found = [(font_file(r), font_file(b)) for r, b in names]
    return [(r, b) for r, b in found if r and b] or [(synth.font_path("serif"), synth.font_path("serif-bold"))]


def hands(names: tuple[str, ...]) -> list[str]:
    return [f for f in map(font_file, names) if f] or [synth.font_path("serif")]


@lru_cache(maxsize=512)
def _ttf(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px)


# --- people and places ----------------------------------------------------------------------------------------------

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
            "Đinh", "Trịnh", "Mai", "Lương", "Tạ", "Quách", "Kiều", "Lâm", "Châu", "Tôn")  # fmt: skip
MIDDLE = {
    "Nam": ("Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân", "Đình", "Tiến", "Gia", "Hoàng"),
    "Nữ": ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bích", "Phương", "Mỹ", "Diệu", "Khánh", "Hải"),
}
GIVEN = {
    "Nam": ("An", "Bảo", "Cường", "Duy", "Dũng", "Hiếu", "Huy", "Khang", "Khôi", "Long", "Lực", "Nghĩa", "Phát",
            "Quân", "Sang", "Tài", "Thắng", "Thịnh", "Toàn", "Trung", "Tùng", "Vinh", "Vỹ", "Đông"),
    "Nữ": ("Chi", "Diệp", "Dung", "Hằng", "Hạnh", "Hiền", "Hoa", "Huyền", "Lan", "Loan", "Ly", "My", "Nga", "Nhung",
           "Oanh", "Phượng", "Tâm", "Thủy", "Trang", "Trâm", "Vân", "Vy", "Yến", "Ngân"),
}  # fmt: skip
ETHNICITIES = ("Kinh",) * 14 + ("Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng")
STREETS = ("Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Hùng Vương", "Quang Trung", "Lý Thường Kiệt", "Hai Bà Trưng",
           "Nguyễn Du", "Phan Chu Trinh", "Lê Duẩn", "Trần Hưng Đạo", "Ngô Quyền")  # fmt: skip
HAMLETS = ("Thôn Đông", "Thôn Trung", "Thôn Phú Lợi", "Thôn 3", "Xóm 5", "Xóm Mới", "Thôn Bắc Sơn", "Tổ 7")

Unit = tuple[str, str]  # ("phường", "Kim Liên")

# Units before the reform of 1 July 2025 (province, district, ward), by the province code that opens ID numbers.
PLACES: dict[str, tuple[Unit, list[tuple[Unit, list[Unit]]]]] = {
    "001": (("thành phố", "Hà Nội"), [
        (("quận", "Cầu Giấy"), [("phường", "Dịch Vọng Hậu"), ("phường", "Nghĩa Đô"), ("phường", "Yên Hòa")]),
        (("quận", "Đống Đa"), [("phường", "Kim Liên"), ("phường", "Láng Hạ"), ("phường", "Văn Chương")]),
        (("huyện", "Hoài Đức"), [("xã", "Vân Canh"), ("xã", "Kim Chung")]),
        (("huyện", "Gia Lâm"), [("xã", "Bát Tràng"), ("thị trấn", "Trâu Quỳ")])]),
    "031": (("thành phố", "Hải Phòng"), [
        (("quận", "Ngô Quyền"), [("phường", "Máy Chai"), ("phường", "Lạch Tray")]),
        (("huyện", "An Dương"), [("xã", "An Đồng")])]),
    "022": (("tỉnh", "Quảng Ninh"), [(("thành phố", "Hạ Long"), [("phường", "Bãi Cháy"), ("phường", "Hồng Gai")])]),
    "038": (("tỉnh", "Thanh Hóa"), [
        (("thành phố", "Thanh Hóa"), [("phường", "Điện Biên"), ("phường", "Đông Thọ")]),
        (("huyện", "Hoằng Hóa"), [("xã", "Hoằng Lộc")])]),
    "040": (("tỉnh", "Nghệ An"), [
        (("huyện", "Nghi Lộc"), [("xã", "Nghi Phong"), ("xã", "Nghi Thái")]),
        (("thành phố", "Vinh"), [("phường", "Hưng Dũng"), ("phường", "Bến Thủy")]),
        (("huyện", "Quỳnh Lưu"), [("xã", "Quỳnh Lương")]),
        (("huyện", "Tân Kỳ"), [("xã", "Nghĩa Đồng")])]),
    "042": (("tỉnh", "Hà Tĩnh"), [(("thành phố", "Hà Tĩnh"), [("phường", "Nam Hà"), ("phường", "Bắc Hà")])]),
    "046": (("tỉnh", "Thừa Thiên Huế"), [(("thành phố", "Huế"), [("phường", "Vĩnh Ninh"), ("phường", "Phú Hội")])]),
    "048": (("thành phố", "Đà Nẵng"), [
        (("quận", "Liên Chiểu"), [("phường", "Hòa Khánh Bắc"), ("phường", "Hòa Minh")]),
        (("quận", "Thanh Khê"), [("phường", "Thạc Gián"), ("phường", "Chính Gián")]),
        (("quận", "Sơn Trà"), [("phường", "An Hải Bắc")]),
        (("huyện", "Hòa Vang"), [("xã", "Hòa Phong")])]),
    "056": (("tỉnh", "Khánh Hòa"), [(("thành phố", "Nha Trang"), [("phường", "Lộc Thọ"), ("phường", "Vĩnh Hải")])]),
    "066": (("tỉnh", "Đắk Lắk"), [(("thành phố", "Buôn Ma Thuột"), [("phường", "Tân Lợi"), ("phường", "Thành Công")])]),
    "074": (("tỉnh", "Bình Dương"), [
        (("thành phố", "Thủ Dầu Một"), [("phường", "Phú Cường"), ("phường", "Hiệp Thành")])]),
    "079": (("Thành phố", "Hồ Chí Minh"), [
        (("Quận", "1"), [("phường", "Bến Nghé"), ("phường", "Tân Định")]),
        (("Quận", "3"), [("phường", "Võ Thị Sáu")]),
        (("thành phố", "Thủ Đức"), [("phường", "Linh Trung"), ("phường", "Thảo Điền")]),
        (("huyện", "Củ Chi"), [("xã", "Tân Thạnh Đông")])]),
    "089": (("tỉnh", "An Giang"), [(("thành phố", "Long Xuyên"), [("phường", "Mỹ Bình"), ("phường", "Mỹ Long")])]),
    "092": (("thành phố", "Cần Thơ"), [
        (("quận", "Ninh Kiều"), [("phường", "An Hòa"), ("phường", "Xuân Khánh"), ("phường", "Cái Khế")]),
        (("quận", "Cái Răng"), [("phường", "Lê Bình")])]),
}  # fmt: skip
# Wards of the two-level units in force since 1 July 2025.
NEW_WARDS: dict[str, list[Unit]] = {
    "001": [("phường", "Cầu Giấy"), ("phường", "Ba Đình"), ("phường", "Hoàn Kiếm"), ("phường", "Đống Đa")],
    "079": [("phường", "Sài Gòn"), ("phường", "Bến Thành"), ("phường", "Tân Định")],
    "048": [("phường", "Hải Châu"), ("phường", "Hòa Khánh"), ("phường", "Sơn Trà")],
    "092": [("phường", "Ninh Kiều"), ("phường", "Cái Khế")],
}
HOSPITALS = {
    "001": ["Bệnh viện Phụ sản Hà Nội", "Bệnh viện Phụ sản Trung ương"],
    "031": ["Bệnh viện Phụ sản Hải Phòng"],
    "022": ["Bệnh viện Sản Nhi Quảng Ninh"],
    "038": ["Bệnh viện Phụ sản Thanh Hóa"],
    "040": ["Bệnh viện Sản Nhi Nghệ An", "Trung tâm Y tế huyện Nghi Lộc"],
    "042": ["Bệnh viện Đa khoa tỉnh Hà Tĩnh"],
    "046": ["Bệnh viện Trung ương Huế"],
    "048": ["Bệnh viện Phụ sản - Nhi Đà Nẵng"],
    "056": ["Bệnh viện Đa khoa tỉnh Khánh Hòa"],
    "066": ["Bệnh viện Đa khoa vùng Tây Nguyên"],
    "074": ["Bệnh viện Đa khoa tỉnh Bình Dương"],
    "079": ["Bệnh viện Từ Dũ", "Bệnh viện Hùng Vương"],
    "089": ["Bệnh viện Đa khoa Trung tâm An Giang"],
    "092": ["Bệnh viện Phụ sản Thành phố Cần Thơ"],
}
TRAITS = ("Nốt ruồi C:1cm dưới sau đuôi mắt trái", "Sẹo chấm C:2cm trên trước đầu mày phải",
          "Nốt ruồi C:1,5cm trên cánh mũi phải", "Sẹo chấm C:1cm dưới môi trái")  # fmt: skip


def cap(word: str) -> str:
    return word[:1].upper() + word[1:]


@dataclass(frozen=True)
class Address:
    house: str
    ward: Unit
    district: Unit | None  # None in the two-level units since July 2025
    province: Unit
    code: str

    def parts(self, capital: bool) -> list[str]:
        units = [self.ward, self.district, self.province] if self.district else [self.ward, self.province]
        return [f"{cap(u) if capital else u} {n}" for u, n in units]

    def form(self) -> str:
        """As written on a form: "Số 12 đường Lê Lợi, phường Kim Liên, quận Đống Đa, thành phố Hà Nội"."""
        return ", ".join(([self.house] if self.house else []) + self.parts(False))

    def card(self) -> str:
        return ", ".join(([self.house] if self.house else []) + self.parts(True))

    def short(self) -> str:
        """Names only, as cards print a place of origin: "Nghi Phong, Nghi Lộc, Nghệ An"."""
        units = [self.ward, self.district, self.province] if self.district else [self.ward, self.province]
        return ", ".join(n if not n.isdigit() else f"{cap(u)} {n}" for u, n in units)


def address(rng: random.Random, code: str | None = None, new_units: bool = False, house: bool = True) -> Address:
    code = code or rng.choice(sorted(PLACES))
    province, districts = PLACES[code]
    if new_units and code in NEW_WARDS:
        ward, district = rng.choice(NEW_WARDS[code]), None
    else:
        district, wards = rng.choice(districts)
        ward = rng.choice(wards)
    if not house:
        where = ""
    elif ward[0] == "xã":
        where = rng.choice(HAMLETS)
    elif rng.random() < 0.5:
        where = f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}"
    else:
        where = f"Số {rng.randint(1, 90)}, ngõ {rng.randint(2, 160)}, phố {rng.choice(STREETS)}"
    return Address(where, ward, district, province, code)


@dataclass
class Person:
    name: str
    born: dt.date
    sex: str
    id_number: str
    ethnicity: str
    origin: Address  # where the birth was registered: the ID number's province
    residence: Address


def id_number(code: str, born: dt.date, sex: str, rng: random.Random) -> str:
    """docs/scan-json.md (Values): province of birth registration, century and sex, year, serial."""
    digit = 2 * (born.year // 100 - 19) + (1 if sex == "Nữ" else 0)
    return f"{code}{digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"


def person(rng: random.Random, sex: str, years: tuple[int, int], surname: str | None = None, **kw) -> Person:
    born = dt.date(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
    name = f"{surname or rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
    origin = address(rng, house=False)
    residence = kw.get("residence") or address(rng, new_units=kw.get("new_units", False))
    eth = kw.get("ethnicity") or rng.choice(ETHNICITIES)
    return Person(name, born, sex, id_number(origin.code, born, sex, rng), eth, origin, residence)


@dataclass
class Household:
    mother: Person
    father: Person | None  # None: the father block of the tờ khai stays empty
    requester: Person
    relationship: str
    child: str
    child_sex: str
    child_born: dt.date
    birth_time: tuple[int, int]
    hospital: str
    hospital_code: str
    grams: int
    filed: dt.date
    office: Address


def household(rng: random.Random) -> Household:
    child_born = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))
    filed = child_born + dt.timedelta(days=rng.randint(3, 55))
    new_units = filed >= dt.date(2025, 7, 1) and rng.random() < 0.6
    home = address(rng, new_units=new_units)
    eth = rng.choice(ETHNICITIES)
    mother = person(rng, "Nữ", (1984, 2003), residence=home, ethnicity=eth)
    father = None
    if rng.random() < 0.8:
        father = person(rng, "Nam", (1980, 2001), residence=home if rng.random() < 0.85 else None, ethnicity=eth)
    child_sex = rng.choice(("Nam", "Nữ"))
    surname = (father or mother).name.split()[0]
    child = f"{surname} {rng.choice(MIDDLE[child_sex])} {rng.choice(GIVEN[child_sex])}"
    roll = rng.random()
    if roll < 0.1:
        elder = person(rng, rng.choice(("Nam", "Nữ")), (1950, 1968), residence=home, ethnicity=eth)
        side = "nội" if father and rng.random() < 0.5 else "ngoại"
        requester, relationship = elder, f"{'Ông' if elder.sex == 'Nam' else 'Bà'} {side}"
    elif father and roll < 0.4:
        requester, relationship = father, rng.choice(("Cha", "Cha đẻ", "Bố"))
    else:
        requester, relationship = mother, rng.choice(("Mẹ", "Mẹ đẻ"))
    code = home.code if home.code in HOSPITALS else rng.choice(sorted(HOSPITALS))
    office = Address("", home.ward, home.district, home.province, home.code)
    grams = rng.randrange(2300, 4300, 50)
    time = (rng.randint(0, 23), rng.randint(0, 59))
    return Household(
        mother,
        father,
        requester,
        relationship,
        child,
        child_sex,
        child_born,
        time,
        rng.choice(HOSPITALS[code]),
        code,
        grams,
        filed,
        office,
    )


# --- numbers and dates in words ---------------------------------------------------------------------------------------

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MONTHS = ("một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai")


def two_digits(n: int) -> str:
    tens, unit = divmod(n, 10)
    if tens == 0:
        return DIGITS[unit]
    head = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if unit == 0:
        return head
    tail = {1: "mốt" if tens > 1 else "một", 4: "tư" if tens > 1 else "bốn", 5: "lăm"}.get(unit, DIGITS[unit])
    return f"{head} {tail}"


def year_words(y: int) -> str:
    thousands, rest = divmod(y, 1000)
    hundreds, tail = divmod(rest, 100)
    words = f"{DIGITS[thousands]} nghìn {DIGITS[hundreds]} trăm"
    if tail == 0:
        return words
    return f"{words} lẻ {DIGITS[tail]}" if tail < 10 else f"{words} {two_digits(tail)}"


def date_words(d: dt.date) -> str:
    return f"Ngày {two_digits(d.day)} tháng {MONTHS[d.month - 1]} năm {year_words(d.year)}"


def dmy(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def long_date(d: dt.date, pad: bool = False) -> str:
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    return f"ngày {day} tháng {month} năm {d.year}"


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- drawing ----------------------------------------------------------------------------------------------------------

INK = (28, 28, 32)
BLUE = (30, 50, 150)
RED = (205, 30, 40)


class Canvas:
    """A page (or a card) in millimetres; text is placed by its left baseline so fonts of a line align."""

    def __init__(self, dpi: int, size_mm: tuple[float, float] = A4_MM, paper=(255, 255, 255)):
        self.dpi = dpi
        self.size_mm = size_mm
        self.img = Image.new("RGB", (round(size_mm[0] * dpi / 25.4), round(size_mm[1] * dpi / 25.4)), paper)
        self.draw = ImageDraw.Draw(self.img)

    def px(self, mm: float) -> float:
        return mm * self.dpi / 25.4

    def font(self, path: str, pt: float) -> ImageFont.FreeTypeFont:
        return _ttf(path, max(5, round(pt * self.dpi / 72)))

    def width(self, text: str, font: ImageFont.FreeTypeFont) -> float:
        return self.draw.textlength(text, font=font) * 25.4 / self.dpi

    def text(self, x: float, y: float, s: str, font, fill=INK) -> float:
        self.draw.text((self.px(x), self.px(y)), s, font=font, fill=fill, anchor="ls")
        return x + self.width(s, font)

    def centred(self, cx: float, y: float, s: str, font, fill=INK) -> None:
        self.text(cx - self.width(s, font) / 2, y, s, font, fill)

    def rule(self, x0: float, y0: float, x1: float, y1: float, w: float = 0.25, fill=INK) -> None:
        self.draw.line(
            [(self.px(x0), self.px(y0)), (self.px(x1), self.px(y1))], fill=fill, width=max(1, round(self.px(w)))
        )

    def box(self, x0: float, y0: float, x1: float, y1: float, w: float = 0.25, fill=None, outline=INK) -> None:
        xy = [self.px(x0), self.px(y0), self.px(x1), self.px(y1)]
        self.draw.rectangle(xy, fill=fill, outline=outline, width=max(1, round(self.px(w))))


@dataclass
class Look:
    """How one paper is typeset and filled in."""

    face: Face
    hand: str | None  # font of hand-filled values, None when typed
    pt: float
    pitch: float  # mm between baselines
    leaders: bool  # dotted leaders after the values
    dotted_rule: bool = False  # leaders drawn as a dotted rule, not as full stops (holdout)
    digit_style: str = "boxes"  # an ID in boxes: "boxes" touching (holdout), "squares" apart or a "comb"


class Flow:
    """Writes a paper top to bottom between x0 and x1 and keeps the printed lines in reading order."""

    def __init__(self, cv: Canvas, look: Look, rng: random.Random, x0: float, x1: float, y: float):
        self.cv, self.look, self.rng = cv, look, rng
        self.x0, self.x1, self.y = x0, x1, y
        self.lines: list[str] = []
        self.body = cv.font(look.face[0], look.pt)
        self.bold = cv.font(look.face[1], look.pt)
        self.vfont = cv.font(look.hand, look.pt * 1.08) if look.hand else self.body
        self.vink = BLUE if look.hand else INK

    def newline(self, k: float = 1.0) -> None:
        self.y += self.look.pitch * k

    def wrap(self, text: str, font, width: float, first: float | None = None) -> list[str]:
        out, cur, limit = [], "", width if first is None else first
        for word in text.split():
            trial = f"{cur} {word}".strip()
            if self.cv.width(trial, font) <= limit or (not cur and first is None):
                cur = trial
                continue
            out.append(cur)
            cur, limit = word, width
        return [*out, cur] if cur else out

    def para(self, text: str, font=None, align: str = "left", record: bool = True) -> None:
        font = font or self.body
        for ln in self.wrap(text, font, self.x1 - self.x0):
            w = self.cv.width(ln, font)
            x = {"left": self.x0, "centre": (self.x0 + self.x1 - w) / 2, "right": self.x1 - w}[align]
            self.cv.text(x, self.y, ln, font)
            if record:
                self.lines.append(ln)
            self.newline()

    def value(self, x: float, s: str) -> float:
        if not self.look.hand:
            return self.cv.text(x, self.y, s, self.vfont, self.vink)
        space = self.cv.width(" ", self.vfont)
        for word in s.split():
            x = self.cv.text(x, self.y + self.rng.gauss(0, 0.2), word, self.vfont, self.vink)
            x += space * self.rng.uniform(0.9, 1.6)
        return x - space

    def leader(self, x0: float, x1: float) -> None:
        if not self.look.leaders or x1 - x0 < 3:
            return
        if self.look.dotted_rule:
            step, r = 1.2, max(1, round(self.cv.px(0.12)))
            for i in range(int((x1 - x0 - 1) / step)):
                cx, cy = self.cv.px(x0 + 1 + i * step), self.cv.px(self.y)
                self.cv.draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=INK)
            return
        dot = self.cv.width(".", self.body)
        self.cv.text(x0 + 1, self.y, "." * int((x1 - x0 - 1) / dot), self.body)

    def field(self, label: str, value: str, gap: float = 1.6) -> None:
        """`label value` with the value wrapped onto the next lines from the left margin, leaders to the end."""
        x = self.cv.text(self.x0, self.y, label, self.body)
        parts = self.wrap(value, self.vfont, self.x1 - self.x0, first=self.x1 - x - gap) if value else [""]
        first, rest = parts[0], parts[1:]  # first is "" when not even one word fits after the label
        end = self.value(x + gap, first) if first else x
        self.lines.append(f"{label} {first}".strip())
        self.leader(end, self.x1)
        for part in rest:
            self.newline()
            end = self.value(self.x0, part)
            self.lines.append(part)
            self.leader(end, self.x1)
        self.newline()

    def inline(self, items: list[tuple[str, str]], gap: float = 1.6) -> None:
        """Several short `label value` pairs on one line at even stops; each on its own line when they do not fit."""
        slot = (self.x1 - self.x0) / len(items)
        widths = [self.cv.width(lb, self.body) + gap + self.cv.width(v, self.vfont) for lb, v in items]
        if max(widths) > slot - 2:
            for lb, v in items:
                self.field(lb, v, gap)
            return
        for i, (lb, v) in enumerate(items):
            x = self.cv.text(self.x0 + i * slot, self.y, lb, self.body)
            end = self.value(x + gap, v) if v else x
            self.leader(end, self.x0 + (i + 1) * slot - 1.5)
        self.lines.append(" ".join(f"{lb} {v}".strip() for lb, v in items))
        self.newline()

    def columns(self, n: int = 2, gap: float = 8.0) -> list[Flow]:
        w = (self.x1 - self.x0 - gap * (n - 1)) / n
        return [
            Flow(self.cv, self.look, self.rng, self.x0 + i * (w + gap), self.x0 + i * (w + gap) + w, self.y)
            for i in range(n)
        ]

    def join(self, cols: list[Flow]) -> None:
        for c in cols:
            self.lines += c.lines
        self.y = max(c.y for c in cols)

    def _box_step(self) -> tuple[float, float]:
        size = self.look.pt * 0.42
        return size, size * (1.35 if self.look.digit_style == "squares" else 1.0)

    def boxes(self, x: float, digits: str) -> float:
        """An ID number written one digit per printed box, as some forms ask: boxes touching (holdout), squares
        apart, or a comb (a rule under the digits with ticks between them)."""
        (size, step), style = self._box_step(), self.look.digit_style
        for i, d in enumerate(digits):
            bx = x + i * step
            if style == "comb":
                self.cv.rule(bx, self.y + size * 0.25, bx + size, self.y + size * 0.25, w=0.2)
                for tick in (bx, bx + size):
                    self.cv.rule(tick, self.y - size * 0.3, tick, self.y + size * 0.25, w=0.2)
            else:
                self.cv.box(bx, self.y - size * 0.85, bx + size, self.y + size * 0.25, w=0.2)
            self.cv.text(bx + (size - self.cv.width(d, self.vfont)) / 2, self.y - size * 0.12, d, self.vfont, self.vink)
        return x + (len(digits) - 1) * step + size

    def boxed_field(self, label: str, digits: str) -> None:
        """The label, its boxes after it; in a column too narrow for them, under it (a printed form fits its boxes
        to its column: they never run over the next one)."""
        x = self.cv.text(self.x0, self.y, label, self.body)
        size, step = self._box_step()
        under = x + 2 + (len(digits) - 1) * step + size > self.x1
        if under:
            self.lines.append(label)
            self.newline()
        self.boxes(self.x0 + 2 if under else x + 2, digits)
        self.lines.append(" ".join(digits) if under else f"{label} {' '.join(digits)}")
        self.newline(1.15)

    def above(self, label: str, value: str, digits: bool = False) -> None:
        """Holdout layout: a small label, its value on the ruled line under it."""
        self.cv.text(self.x0, self.y, label, self.cv.font(self.look.face[0], self.look.pt * 0.82))
        self.lines.append(label)
        self.newline(0.95)
        if digits:
            self.boxes(self.x0 + 2, value)
            self.lines.append(" ".join(value))
            self.newline(1.2)
            return
        for part in self.wrap(value, self.vfont, self.x1 - self.x0 - 4) or [""]:
            if part:
                self.value(self.x0 + 2, part)
                self.lines.append(part)
            self.cv.rule(self.x0, self.y + 1.3, self.x1, self.y + 1.3, w=0.15)
            self.newline(1.05)

    def in_cell(self, label: str, value: str, digits: bool = False) -> None:
        """Study layout `cells`: a small label in the cell's top left, the value on the lines under it."""
        self.cv.text(self.x0, self.y, label, self.cv.font(self.look.face[0], self.look.pt * 0.78))
        self.lines.append(label)
        self.newline(0.9)
        if digits:
            self.boxes(self.x0 + 1, value)
            self.lines.append(" ".join(value))
            self.newline(1.15)
            return
        for part in self.wrap(value, self.vfont, self.x1 - self.x0 - 2) or [""]:
            if part:
                self.value(self.x0 + 1, part)
                self.lines.append(part)
            self.newline()

    def table(self, rows: list[tuple[str, str]], split: float = 0.4, header: tuple[str, str] | None = None) -> None:
        """Ruled cells, label | value; a value wraps inside its cell; lines are read across the row."""
        cv, pad, pitch = self.cv, 1.5, self.look.pitch
        xs = self.x0 + split * (self.x1 - self.x0)
        top = self.y - 0.72 * pitch
        cv.rule(self.x0, top, self.x1, top)
        for (label, value), head in [((header or ("", "")), True)] * bool(header) + [(r, False) for r in rows]:
            font = self.bold if head else self.body
            lab = self.wrap(label, font, xs - self.x0 - 2 * pad)
            digits = value.isdigit() and len(value) == 12 and self.look.dotted_rule
            val = [value] if digits else self.wrap(value, font if head else self.vfont, self.x1 - xs - 2 * pad)
            n = max(len(lab), len(val), 1)
            if head:
                cv.box(self.x0, top, self.x1, top + n * pitch, w=0.01, fill=(225, 225, 225), outline=(225, 225, 225))
            for i in range(n):
                parts = [lab[i]] if i < len(lab) else []
                if parts:
                    cv.text(self.x0 + pad, self.y, lab[i], font)
                if i < len(val) and val[i]:
                    if digits:
                        self.boxes(xs + pad, value)
                    elif head:
                        cv.text(xs + pad, self.y, val[i], font)
                    else:
                        self.value(xs + pad, val[i])
                    parts.append(" ".join(value) if digits else val[i])
                if parts:
                    self.lines.append(" ".join(parts))
                self.newline()
            bottom = self.y - 0.72 * pitch
            cv.rule(self.x0, bottom, self.x1, bottom)
            for x in (self.x0, xs, self.x1):
                cv.rule(x, top, x, bottom)
            top = bottom
        self.newline(0.35)


# --- marks: signatures, seals, QR codes, card furniture -------------------------------------------------------------


def scribble(cv: Canvas, x: float, y: float, w: float, h: float, rng: random.Random, ink=BLUE) -> None:
    """A signature: one pen stroke of loops drifting right, then a flourish."""
    loops, pts = rng.randint(3, 6), []
    for i in range(120):
        t = i / 119
        px = x + w * t + 0.18 * w / loops * math.sin(t * loops * 2 * math.pi + 1.3)
        py = y + h * (0.5 - 0.45 * math.cos(t * loops * 2 * math.pi) * (1 - 0.5 * t) + 0.15 * t)
        pts.append((cv.px(px), cv.px(py)))
    cv.draw.line(pts, fill=ink, width=max(1, round(cv.px(0.3))), joint="curve")
    tail = [(x + w * 0.2, y + h * 1.05), (x + w * 0.7, y + h * 0.9), (x + w * 1.05, y + h * 0.65)]
    cv.draw.line([(cv.px(a), cv.px(b)) for a, b in tail], fill=ink, width=max(1, round(cv.px(0.3))))


def _ring_text(layer: Image.Image, text: str, font, centre: float, radius: float) -> None:
    """Letters around the upper part of a circle, each turned to face outwards, as on a round seal."""
    n = len(text)
    span = min(300.0, 11.0 * n)
    for i, ch in enumerate(text):
        if ch == " ":
            continue
        angle = -span / 2 + span * i / max(1, n - 1)
        size = int(font.size * 1.6)
        glyph = Image.new("L", (size, size), 0)
        ImageDraw.Draw(glyph).text((size / 2, size / 2), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.BILINEAR)
        rad = math.radians(angle)
        gx, gy = centre + radius * math.sin(rad) - size / 2, centre - radius * math.cos(rad) - size / 2
        layer.paste(255, (int(gx), int(gy)), glyph)


def stamp(cv: Canvas, cx: float, cy: float, r: float, text: str, font_path: str, rng: random.Random) -> None:
    """A round red seal, inked over the page (multiplied), so the black text under it still shows through."""
    size = int(cv.px(2 * r)) + 8
    c, rr = size / 2, cv.px(r)
    layer = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(layer)
    d.ellipse([c - rr, c - rr, c + rr, c + rr], outline=255, width=max(2, round(cv.px(0.55))))
    inner = rr * 0.66
    d.ellipse([c - inner, c - inner, c + inner, c + inner], outline=255, width=max(1, round(cv.px(0.3))))
    font = _ttf(font_path, max(6, round(rr * 0.2)))
    _ring_text(layer, text.upper(), font, c, (rr + inner) / 2)
    star = [
        (
            c + inner * 0.45 * (1 if k % 2 == 0 else 0.4) * math.sin(k * math.pi / 5),
            c - inner * 0.45 * (1 if k % 2 == 0 else 0.4) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]
    d.polygon(star, fill=255)
    ink = np.asarray(layer, np.float32) / 255.0 * rng.uniform(0.55, 0.85)
    ink *= np.clip(np.random.default_rng(rng.randrange(1 << 30)).normal(1.0, 0.18, ink.shape), 0.3, 1.2)
    ink = cv2.GaussianBlur(ink, (0, 0), max(0.6, cv.px(0.08)))
    _multiply(cv, ink, int(cv.px(cx) - c), int(cv.px(cy) - c), RED)


def _multiply(cv: Canvas, density: np.ndarray, x: int, y: int, colour) -> None:
    h, w = density.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(cv.img.width, x + w), min(cv.img.height, y + h)
    if x1 <= x0 or y1 <= y0:
        return
    region = np.asarray(cv.img.crop((x0, y0, x1, y1))).astype(np.float32)
    dens = density[y0 - y : y1 - y, x0 - x : x1 - x, None]
    region *= 1.0 - dens * (1.0 - np.array(colour, np.float32) / 255.0)
    cv.img.paste(Image.fromarray(region.astype(np.uint8)), (x0, y0))


def qr_matrix(payload: str) -> np.ndarray:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return np.array(code.get_matrix(), bool)


def draw_qr(cv: Canvas, x: float, y: float, size: float, payload: str, state: str, rng: random.Random) -> None:
    """The card's QR code; `damaged` hides two of its three finder patterns (scratched, smudged copies)."""
    m = qr_matrix(payload)
    n, quiet = m.shape[0], size * 0.06
    cv.box(x - quiet, y - quiet, x + size + quiet, y + size + quiet, w=0.01, fill=(255, 255, 255), outline=None)
    mod, side = size / n, max(n, round(cv.px(size)))
    code = Image.fromarray(np.where(m, 10, 255).astype(np.uint8)).resize((side, side), Image.NEAREST)
    cv.img.paste(code.convert("RGB"), (round(cv.px(x)), round(cv.px(y))))
    if state != "damaged":
        return
    corners = [(x, y), (x + size - 7 * mod, y), (x, y + size - 7 * mod)]
    for cx, cy in rng.sample(corners, 2):
        grey = rng.randint(70, 170)
        blot = [
            (
                cv.px(cx + 3.5 * mod + 5.5 * mod * rng.uniform(0.8, 1.3) * math.cos(a)),
                cv.px(cy + 3.5 * mod + 5.5 * mod * rng.uniform(0.8, 1.3) * math.sin(a)),
            )
            for a in np.arange(0, 6.28, 0.6)
        ]
        cv.draw.polygon(blot, fill=(grey, grey, grey))
    for _ in range(rng.randint(2, 4)):
        a, b = (x + rng.uniform(0, size), y), (x + rng.uniform(0, size), y + size)
        cv.rule(a[0], a[1], b[0], b[1], w=mod * 1.3, fill=(240, 240, 240))


def emblem(cv: Canvas, cx: float, cy: float, r: float) -> None:
    cv.draw.ellipse(
        [cv.px(cx - r), cv.px(cy - r), cv.px(cx + r), cv.px(cy + r)],
        fill=(200, 40, 40),
        outline=(220, 180, 60),
        width=max(1, round(cv.px(0.5))),
    )
    star = [
        (
            cv.px(cx + r * 0.6 * (1 if k % 2 == 0 else 0.4) * math.sin(k * math.pi / 5)),
            cv.px(cy - r * 0.6 * (1 if k % 2 == 0 else 0.4) * math.cos(k * math.pi / 5)),
        )
        for k in range(10)
    ]
    cv.draw.polygon(star, fill=(250, 215, 60))


def portrait(cv: Canvas, x: float, y: float, w: float, h: float, rng: random.Random) -> None:
    """The holder's photo: a plain background, a head and shoulders (nobody in particular)."""
    cv.box(x, y, x + w, y + h, w=0.2, fill=(205, 215, 230), outline=(120, 120, 120))
    tone = tuple(int(v) for v in np.array((150, 120, 100)) * rng.uniform(0.8, 1.1))
    cv.draw.chord(
        [cv.px(x + w * 0.1), cv.px(y + h * 0.72), cv.px(x + w * 0.9), cv.px(y + h * 1.28)], 180, 360, fill=(40, 45, 60)
    )
    cv.draw.ellipse([cv.px(x + w * 0.28), cv.px(y + h * 0.16), cv.px(x + w * 0.72), cv.px(y + h * 0.7)], fill=tone)
    cv.draw.ellipse(
        [cv.px(x + w * 0.26), cv.px(y + h * 0.1), cv.px(x + w * 0.74), cv.px(y + h * 0.36)], fill=(25, 25, 30)
    )
    cv.box(x, y, x + w, y + h, w=0.2, outline=(120, 120, 120))


def chip(cv: Canvas, x: float, y: float) -> None:
    cv.box(x, y, x + 10, y + 8, w=0.2, fill=(205, 175, 95), outline=(140, 110, 50))
    for k in (2.6, 5.4):
        cv.rule(x, y + k, x + 10, y + k, w=0.15, fill=(140, 110, 50))
    cv.rule(x + 5, y, x + 5, y + 8, w=0.15, fill=(140, 110, 50))


def barcode(cv: Canvas, x: float, y: float, w: float, h: float, rng: random.Random) -> None:
    pos = x
    while pos < x + w:
        bar = rng.choice((0.25, 0.25, 0.5, 0.75))
        cv.box(pos, y, pos + bar, y + h, w=0.01, fill=INK, outline=None)
        pos += bar + rng.choice((0.25, 0.5, 0.75))


def guilloche(cv: Canvas, rng: random.Random, colour=(190, 200, 188)) -> None:
    """The fine wavy security print of a card's background."""
    w, h = cv.size_mm
    phase, freq = rng.uniform(0, 6), rng.uniform(0.18, 0.3)
    for k in range(0, int(h), 3):
        pts = [(cv.px(t), cv.px(k + 1.2 * math.sin(t * freq + phase + k * 0.4))) for t in np.arange(0, w, 0.8)]
        cv.draw.line(pts, fill=colour, width=1)


# --- papers -----------------------------------------------------------------------------------------------------------


@dataclass
class Item:
    label: str
    shown: str  # as printed
    key: str | None = None
    truth: str | None = None  # the normalised value of `key` (docs/scan-json.md, Values); `shown` when None
    digits: bool = False  # an ID number in boxes (holdout layouts)


@dataclass
class Section:
    heading: str | None
    entries: list[Item | list[Item]]  # a list: short items that may share a line
    always: bool = False  # heading printed in every layout, not only in tables


@dataclass
class Sheet:
    """One generated page: the upright image, its document's fields and the text printed on it."""

    type: str
    image: np.ndarray
    dpi: int
    fields: dict[str, str]
    lines: list[str]
    notes: dict[str, object] = field(default_factory=dict)


def items(sections: list[Section]) -> list[Item]:
    return [it for s in sections for e in s.entries for it in (e if isinstance(e, list) else [e])]


def truth_of(sections: list[Section]) -> dict[str, str]:
    return {it.key: it.shown if it.truth is None else it.truth for it in items(sections) if it.key}


def lay_lines(f: Flow, sections: list[Section], inline: bool = True) -> None:
    for s in sections:
        if s.heading and s.always:
            f.para(s.heading)
        for e in s.entries:
            group = e if isinstance(e, list) else [e]
            if len(group) > 1 and inline and not any(it.digits for it in group):
                f.inline([(it.label, it.shown) for it in group])
                continue
            for it in group:
                f.boxed_field(it.label, it.shown) if it.digits else f.field(it.label, it.shown)


def lay_table(f: Flow, sections: list[Section], numbered: bool = False) -> None:
    n, header = 0, ("Nội dung", "Thông tin kê khai") if numbered else None
    for s in sections:
        if s.heading:
            f.para(s.heading, font=f.bold)
            f.newline(0.3)
        rows = []
        for it in items([Section(None, s.entries)]):
            n += 1
            label = it.label.rstrip(": ")
            rows.append((f"{n}. {label}" if numbered else label, it.shown))
        f.table(rows, split=f.rng.uniform(0.34, 0.45), header=header)
        header = None


def lay_two_columns(f: Flow, sections: list[Section]) -> None:
    """All but the last two sections across the page; those two side by side (mother | father, mother | child)."""
    lay_lines(f, sections[:-2])
    cols = f.columns(2, gap=f.rng.uniform(6, 12))
    for col, s in zip(cols, sections[-2:], strict=True):
        col.para(s.heading or "", font=col.bold)
        lay_lines(col, [Section(None, s.entries)], inline=False)
    f.join(cols)


def lay_above(f: Flow, sections: list[Section]) -> None:
    """Holdout layout: a grid of boxes, label above value; short items share a row, read row by row."""
    for s in sections:
        if s.heading:
            f.para(s.heading, font=f.bold)
        for e in s.entries:
            group = e if isinstance(e, list) else [e]
            cols = f.columns(len(group), gap=5) if len(group) > 1 else [f]
            for col, it in zip(cols, group, strict=True):
                col.above(it.label.rstrip(": "), it.shown, digits=it.digits)
            if len(group) > 1:
                f.join(cols)


def lay_cells(f: Flow, sections: list[Section]) -> None:
    """Study layout: ruled cells, each with its label small in the corner and its value under it; short items share
    a row. (The holdout's `above` draws labels over ruled lines, without cells.)"""
    pad = 1.5
    for s in sections:
        if s.heading:
            f.para(s.heading, font=f.bold)
        for e in s.entries:
            group = e if isinstance(e, list) else [e]
            top = f.y - 0.75 * f.look.pitch
            cols = f.columns(len(group), gap=0.0)
            for col, it in zip(cols, group, strict=True):
                col.x0, col.x1 = col.x0 + pad, col.x1 - pad
                col.in_cell(it.label.rstrip(": "), it.shown, it.digits)
            f.join(cols)
            bottom = f.y - 0.55 * f.look.pitch
            for col in cols:
                f.cv.box(col.x0 - pad, top, col.x1 + pad, bottom, w=0.2)
            f.newline(0.3)


ROMAN = ("I", "II", "III", "IV", "V", "VI")


def lay_numbered_lines(f: Flow, sections: list[Section]) -> None:
    """Study layout: label-value lines numbered within sections headed by roman numerals ("II. ...", "3. Dân tộc:").
    (The holdout numbers the rows of a table.)"""
    for k, s in enumerate(sections):
        if s.heading:
            f.para(f"{ROMAN[k]}. {s.heading}", font=f.bold)
        n, entries = 0, []
        for e in s.entries:
            group = []
            for it in e if isinstance(e, list) else [e]:
                n += 1
                group.append(replace(it, label=f"{n}. {it.label}"))
            entries.append(group)
        lay_lines(f, [Section(None, entries)])


LAYOUTS = {
    "lines": lay_lines,
    "table": lay_table,
    "two_columns": lay_two_columns,
    "above": lay_above,
    "numbered": lambda f, s: lay_table(f, s, numbered=True),
    "cells": lay_cells,
    "numbered_lines": lay_numbered_lines,
}
MAIN_LAYOUTS = ("lines", "lines", "table", "two_columns")
HOLDOUT_LAYOUTS = ("above", "numbered", "lines")
# Layouts of the studied families in the holdout's kinds (label over value, numbered labels), drawn their own way.
# Chosen inside a paper's drawing so the seeds of the other papers of a dossier draw what they drew before.
STUDY_LAYOUTS = ("cells", "numbered_lines")
STUDY_SHARE = 0.3


def study_layout(rng: random.Random, layout: str, holdout: bool) -> str:
    if holdout or rng.random() >= STUDY_SHARE:
        return layout
    return rng.choice(STUDY_LAYOUTS)


def make_look(rng: random.Random, holdout: bool, hand_p: float = 0.3) -> Look:
    face = rng.choice(faces(HOLDOUT_FACES if holdout else MAIN_FACES))
    hand = rng.choice(hands(HOLDOUT_HANDS if holdout else MAIN_HANDS)) if rng.random() < hand_p else None
    pt = rng.uniform(11.0, 13.0)
    look = Look(face, hand, pt, pt * 0.3528 * rng.uniform(1.55, 1.9), rng.random() < 0.7, dotted_rule=holdout)
    if not holdout:  # drawn only here so the holdout's pages stay what they were
        look.digit_style = rng.choice(("squares", "comb"))
    return look


def header_motto(f: Flow, align: str = "centre") -> None:
    f.para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=f.bold, align=align)
    f.para("Độc lập - Tự do - Hạnh phúc", font=f.bold, align=align)


def place_of(code: str) -> str:
    unit, name = PLACES[code][0]
    return f"{unit} {name}"


def signature_block(f: Flow, title: str, note: str, name: str, rng: random.Random, date_line: str = "") -> float:
    """A centred signature block in f's column: optional place and date, title, (Ký…), signature, name.
    Returns the y of the signature, where a seal goes."""
    if date_line:
        f.para(date_line, align="centre")
    f.para(title, font=f.bold, align="centre")
    f.para(note, align="centre")
    mid = (f.x0 + f.x1) / 2
    sign_y = f.y - f.look.pitch * 0.4
    scribble(f.cv, mid - 14, sign_y, rng.uniform(20, 30), rng.uniform(6, 9), rng)
    f.newline(rng.uniform(2.4, 3.2))
    font = f.vfont if f.look.hand else f.bold
    f.cv.centred(mid, f.y, name, font, f.vink if f.look.hand else INK)
    f.lines.append(name)
    f.newline()
    return sign_y + 4


TK_LABELS = {
    "tt04": {"req_name": ("Họ, chữ đệm, tên người yêu cầu:",), "req_id": ("Giấy tờ tùy thân:", "Số định danh cá nhân:"),
             "req_res": ("Nơi cư trú:",), "name": ("Họ, chữ đệm, tên:",),
             "mother": ("Họ, chữ đệm, tên người mẹ:",), "father": ("Họ, chữ đệm, tên người cha:",),
             "born": ("Năm sinh:",), "res": ("Nơi cư trú:",)},
    "old": {"req_name": ("Họ và tên người yêu cầu:",), "req_id": ("Số CMND/CCCD/Hộ chiếu:", "Giấy tờ tùy thân:"),
            "req_res": ("Nơi thường trú:", "Nơi thường trú/tạm trú:"), "name": ("Họ và tên:",),
            "mother": ("Họ và tên mẹ:", "Họ và tên người mẹ:"), "father": ("Họ và tên cha:", "Họ và tên người cha:"),
            "born": ("Năm sinh:", "Ngày, tháng, năm sinh:"), "res": ("Nơi thường trú:", "Nơi cư trú:")},
}  # fmt: skip
PLEDGES = (
    "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về cam đoan "
    "của mình.",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, được sự thỏa thuận nhất trí của "
    "các bên liên quan theo quy định pháp luật.",
)
FOOTNOTES = (
    "(1) Ghi rõ tên cơ quan đăng ký khai sinh.",
    "(2) Ghi theo nơi đăng ký thường trú; nếu không có nơi thường trú thì ghi theo nơi đăng ký tạm trú.",
    "(3) Ghi thông tin về giấy tờ tùy thân của người yêu cầu, ghi rõ số, cơ quan cấp, ngày cấp.",
)


def _label(rng: random.Random, version: str, key: str) -> str:
    pool = TK_LABELS[version][key] if rng.random() < 0.75 else TK_LABELS["tt04"][key] + TK_LABELS["old"][key]
    return rng.choice(pool)


def _id_shown(rng: random.Random, label: str, p: Person, issued: dt.date) -> str:
    if not label.startswith("Giấy tờ"):
        return p.id_number
    forms = [f"CCCD số {p.id_number}", f"Căn cước công dân số {p.id_number}, cấp ngày {dmy(issued)}", p.id_number]
    return rng.choice(forms)


def _parent(rng: random.Random, version: str, who: str, p: Person | None, upper: bool) -> list[Item | list[Item]]:
    born_label = _label(rng, version, "born")
    keys = [f"{who}_{k}" for k in ("name", "birth_year", "ethnicity", "nationality", "residence")]
    if p is None:  # an empty block: labels only; its fields must come out empty
        return [
            Item(_label(rng, version, who), "", keys[0], ""),
            [Item(born_label, "", keys[1], ""), Item("Dân tộc:", "", keys[2], ""), Item("Quốc tịch:", "", keys[3], "")],
            Item(_label(rng, version, "res"), "", keys[4], ""),
        ]
    born = str(p.born.year) if born_label == "Năm sinh:" else dmy(p.born)
    name = p.name.upper() if upper else p.name
    return [
        Item(_label(rng, version, who), name, keys[0]),
        [
            Item(born_label, born, keys[1], str(p.born.year)),
            Item("Dân tộc:", p.ethnicity, keys[2]),
            Item("Quốc tịch:", "Việt Nam", keys[3]),
        ],
        Item(_label(rng, version, "res"), p.residence.form(), keys[4]),
    ]


def tk_sections(hh: Household, rng: random.Random, version: str, holdout: bool) -> list[Section]:
    upper = rng.random() < 0.25
    req, digits = hh.requester, rng.random() < (0.5 if holdout else 0.25)
    id_label = _label(rng, version, "req_id")
    issued = hh.filed - dt.timedelta(days=rng.randint(200, 1500))
    id_item = Item(id_label, _id_shown(rng, id_label, req, issued), "requester_id_number", req.id_number)
    if digits:
        id_item = Item("Số định danh cá nhân:", req.id_number, "requester_id_number", digits=True)
    requester = Section(
        None,
        [
            Item(_label(rng, version, "req_name"), req.name.upper() if upper else req.name, "requester_name"),
            Item(_label(rng, version, "req_res"), req.residence.form(), "requester_residence"),
            id_item,
            Item("Quan hệ với người được khai sinh:", hh.relationship, "relationship"),
        ],
    )
    if rng.random() < 0.5:  # the TT 04/2020 form puts the paper before the residence
        requester.entries[1], requester.entries[2] = requester.entries[2], requester.entries[1]
    dob = [Item("Ngày, tháng, năm sinh:", dmy(hh.child_born), "child_date_of_birth", hh.child_born.isoformat())]
    if rng.random() < 0.6:
        dob.append(Item("ghi bằng chữ:", date_words(hh.child_born)))
    pob = (
        hh.hospital if PLACES[hh.hospital_code][0][1] in hh.hospital else f"{hh.hospital}, {place_of(hh.hospital_code)}"
    )
    home = (hh.father or hh.mother).origin.form()
    child = Section(
        "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
        [
            Item(_label(rng, version, "name"), hh.child.upper() if upper else hh.child, "child_name"),
            dob,
            [
                Item("Giới tính:", hh.child_sex, "child_sex"),
                Item("Dân tộc:", hh.mother.ethnicity, "child_ethnicity"),
                Item("Quốc tịch:", "Việt Nam", "child_nationality"),
            ],
            Item("Nơi sinh:", pob, "child_place_of_birth"),
            Item("Quê quán:", home, "child_hometown"),
        ],
        always=True,
    )
    mother = Section("Thông tin về người mẹ", _parent(rng, version, "mother", hh.mother, upper))
    father = Section("Thông tin về người cha", _parent(rng, version, "father", hh.father, upper))
    return [Section("Thông tin người yêu cầu", requester.entries), child, mother, father]


def _fit(draw, rng: random.Random, limit: float = 287.0):
    """Draw with shrinking type until the paper fits one A4 page; every try repeats the same choices."""
    seed, scale = rng.randrange(1 << 30), 1.0
    for _ in range(8):
        out = draw(random.Random(seed), scale)
        if out[1] <= limit:
            break
        scale *= 0.9
    return out[0]


def to_khai(hh: Household, rng: random.Random, dpi: int, holdout: bool) -> Sheet:
    version = rng.choice(("tt04", "old"))
    layout = rng.choice(HOLDOUT_LAYOUTS if holdout else MAIN_LAYOUTS)

    def draw(r: random.Random, scale: float):
        look = make_look(r, holdout)
        drawn = study_layout(r, layout, holdout)
        look.pt, look.pitch = look.pt * scale, look.pitch * scale
        cv = Canvas(dpi)
        f = Flow(cv, look, r, r.uniform(18, 28), 210 - r.uniform(14, 22), r.uniform(14, 22))
        header_motto(f)
        f.newline(0.6)
        f.para("TỜ KHAI ĐĂNG KÝ KHAI SINH", font=cv.font(look.face[1], look.pt * 1.3), align="centre")
        f.newline(0.3)
        office = hh.office.parts(False)[0]
        f.para(f"Kính gửi: Ủy ban nhân dân {office}, {', '.join(hh.office.parts(False)[1:])}", align="centre")
        sections = tk_sections(hh, r, version, holdout)
        LAYOUTS[drawn](f, sections)
        tk_footer(f, hh, r, version, holdout)
        notes = {
            "version": version,
            "layout": drawn,
            "font": Path(look.face[0]).name,
            "hand": bool(look.hand),
            "father_empty": hh.father is None,
            "leaders": look.leaders,
        }
        return Sheet("to_khai_khai_sinh", np.asarray(cv.img), dpi, truth_of(sections), f.lines, notes), f.y

    return _fit(draw, rng)


def tk_footer(f: Flow, hh: Household, rng: random.Random, version: str, holdout: bool) -> None:
    f.newline(0.3)
    if version == "tt04" and rng.random() < 0.6:
        f.field("Đề nghị cấp bản sao:", f"Có, số lượng: {rng.randint(1, 3):02d} bản")
    f.para(rng.choice(PLEDGES))
    f.newline(0.2)
    cols = f.columns(2, gap=4)
    where = hh.office.parts(False)[0]
    sign_y = signature_block(
        cols[1],
        "Người yêu cầu",
        rng.choice(("(Ký, ghi rõ họ, chữ đệm, tên)", "(Ký, ghi rõ họ tên)")),
        hh.requester.name,
        rng,
        date_line=f"Làm tại: {where}, {long_date(hh.filed)}",
    )
    f.join(cols)
    if rng.random() < (0.7 if holdout else 0.5):
        cx = (cols[1].x0 + cols[1].x1) / 2 + rng.uniform(-28, -8)
        stamp(f.cv, cx, sign_y, rng.uniform(15, 19), f"Ủy ban nhân dân {where}", f.look.face[1], rng)
    if rng.random() < 0.5:
        small = f.cv.font(f.look.face[0], f.look.pt * 0.8)
        f.para("Chú thích:", font=small)
        for note in FOOTNOTES:
            f.para(note, font=small)


def gcs_sections(hh: Household, rng: random.Random, holdout: bool) -> list[Section]:
    m, upper = hh.mother, rng.random() < 0.45
    id_label = rng.choice(("Số CMND/CCCD/Hộ chiếu:", "Số định danh cá nhân:"))
    digits = rng.random() < (0.5 if holdout else 0.25)
    res_label = rng.choice(("Nơi đăng ký thường trú:", "Nơi cư trú:"))
    hour, minute = hh.birth_time
    born = f"{hour} giờ {minute:02d} phút, {long_date(hh.child_born, pad=rng.random() < 0.5)}"
    grams = f"{hh.grams // 1000}.{hh.grams % 1000:03d}" if rng.random() < 0.6 else str(hh.grams)
    at = hh.hospital if rng.random() < 0.6 else f"Khoa Sản, {hh.hospital}"
    mother = [
        Item(
            rng.choice(("Họ và tên mẹ/người nuôi dưỡng:", "Họ và tên mẹ:")),
            m.name.upper() if upper else m.name,
            "mother_name",
        ),
        [Item("Năm sinh:", str(m.born.year), "mother_birth_year"), Item("Dân tộc:", m.ethnicity)],
        Item(id_label, m.id_number, "mother_id_number", digits=digits),
        Item(res_label, m.residence.form(), "mother_residence"),
    ]
    child = [
        Item("Đã sinh con vào lúc:", born, "child_date_of_birth", hh.child_born.isoformat()),
        Item("Tại:", at, "place_of_birth"),
        [Item("Số con trong lần sinh:", "01"), Item("Giới tính của con:", hh.child_sex, "child_sex")],
        Item("Cân nặng:", f"{grams} {rng.choice(('gam', 'gam', 'gram'))}", "child_weight_grams", str(hh.grams)),
        Item("Hiện trạng sức khỏe của con:", rng.choice(("Bình thường", "Khỏe mạnh"))),
    ]
    if rng.random() < 0.6:
        child.append(Item("Dự định đặt tên con:", hh.child.upper() if upper else hh.child))
    if rng.random() < 0.4:
        child.append(Item("Ghi chú:", rng.choice(("Sinh thường", "Sinh mổ", "Con thứ hai"))))
    return [Section("PHẦN THÔNG TIN VỀ MẸ", mother), Section("PHẦN THÔNG TIN VỀ CON", child)]


def gcs_header(f: Flow, hh: Household, rng: random.Random) -> None:
    """Hospital left, national motto right, read column by column."""
    cols = f.columns(2, gap=4)
    unit, name = PLACES[hh.hospital_code][0]
    small = f.cv.font(f.look.face[1], f.look.pt * 0.9)
    cols[0].para(
        f"SỞ Y TẾ {unit.upper()} {name.upper()}" if rng.random() < 0.7 else "BỘ Y TẾ", font=small, align="centre"
    )
    cols[0].para(hh.hospital.upper(), font=small, align="centre")
    cols[0].para(f"Số: {rng.randint(12, 4800)}/GCS", align="centre")
    cols[1].para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=small, align="centre")
    cols[1].para("Độc lập - Tự do - Hạnh phúc", font=small, align="centre")
    f.join(cols)


def chung_sinh(hh: Household, rng: random.Random, dpi: int, holdout: bool) -> Sheet:
    layout = rng.choice(HOLDOUT_LAYOUTS if holdout else ("lines", "lines", "table", "two_columns"))

    def draw(r: random.Random, scale: float):
        look = make_look(r, holdout, hand_p=0.35)
        drawn = study_layout(r, layout, holdout)
        look.pt, look.pitch = look.pt * scale, look.pitch * scale
        cv = Canvas(dpi)
        f = Flow(cv, look, r, r.uniform(15, 25), 210 - r.uniform(12, 20), r.uniform(14, 22))
        gcs_header(f, hh, r)
        f.newline(0.8)
        f.para("GIẤY CHỨNG SINH", font=cv.font(look.face[1], look.pt * 1.45), align="centre")
        f.newline(0.5)
        sections = gcs_sections(hh, r, holdout)
        LAYOUTS[drawn](f, sections)
        gcs_footer(f, hh, r)
        notes = {"layout": drawn, "font": Path(look.face[0]).name, "hand": bool(look.hand)}
        return Sheet("giay_chung_sinh", np.asarray(cv.img), dpi, truth_of(sections), f.lines, notes), f.y

    return _fit(draw, rng)


def gcs_footer(f: Flow, hh: Household, rng: random.Random) -> None:
    f.newline(0.5)
    day = hh.child_born + dt.timedelta(days=rng.randint(0, 3))
    f.para(f"{PLACES[hh.hospital_code][0][1]}, {long_date(day)}", align="right")
    cols = f.columns(2, gap=4)
    midwife = person(rng, rng.choice(("Nam", "Nữ")), (1970, 1995)).name
    head = person(rng, rng.choice(("Nam", "Nữ")), (1960, 1985)).name
    signature_block(cols[0], "NGƯỜI ĐỠ ĐẺ", "(Ký, ghi rõ họ tên)", midwife, rng)
    sign_y = signature_block(
        cols[1], "THỦ TRƯỞNG CƠ SỞ KHÁM BỆNH, CHỮA BỆNH", "(Ký, ghi rõ họ tên, đóng dấu)", head, rng
    )
    f.join(cols)
    cx = (cols[1].x0 + cols[1].x1) / 2 + rng.uniform(-26, -10)
    stamp(f.cv, cx, sign_y, rng.uniform(16, 20), hh.hospital, f.look.face[1], rng)


# --- identity cards ---------------------------------------------------------------------------------------------------


@dataclass
class Card:
    kind: str  # chip2021, barcode2016, cancuoc2024
    holder: Person
    issued: dt.date
    expiry: str  # ISO date or "Không thời hạn"
    qr: str  # readable, damaged, none
    face: Face
    origin: str  # as printed: quê quán, or nơi đăng ký khai sinh on the 2024 card
    residence: str
    cmnd: str = ""  # the old 9-digit number some QR codes carry

    def payload(self) -> str:
        p = self.holder
        return "|".join(
            (
                p.id_number,
                self.cmnd,
                p.name.upper(),
                p.born.strftime("%d%m%Y"),
                p.sex,
                self.residence,
                self.issued.strftime("%d%m%Y"),
            )
        )

    def fields(self) -> dict[str, str]:
        p = self.holder
        return {
            "id_number": p.id_number,
            "full_name": p.name.upper(),
            "date_of_birth": p.born.isoformat(),
            "sex": p.sex,
            "nationality": "Việt Nam",
            "place_of_origin": self.origin,
            "place_of_residence": self.residence,
            "date_of_expiry": self.expiry,
        }

    @property
    def expiry_shown(self) -> str:
        return self.expiry if self.expiry == "Không thời hạn" else dmy(dt.date.fromisoformat(self.expiry))


def card_expiry(born: dt.date, issued: dt.date) -> str:
    """Cards run to the holder's 25th, 40th or 60th birthday; one issued within two years of it, to the next."""
    for age in (25, 40, 60):
        due = born.replace(year=born.year + age)
        if (due - issued).days > 730:
            return due.isoformat()
    return "Không thời hạn"


def card_flow(cv: Canvas, c: Card, x0: float, x1: float, y: float, pts: tuple[float, float], pitch: float) -> Flow:
    f = Flow(cv, Look(c.face, None, pts[0], pitch, leaders=False), random.Random(0), x0, x1, y)
    f.vfont = cv.font(c.face[1], pts[1])
    return f


def below(f: Flow, label: str, value: str, font=None) -> None:
    """A label on its line, the value on the next ones (names on cards)."""
    f.para(label)
    for part in f.wrap(value, font or f.vfont, f.x1 - f.x0):
        f.cv.text(f.x0, f.y, part, font or f.vfont)
        f.lines.append(part)
        f.newline()


def motto(cv: Canvas, c: Card, cx: float, s: float, english: bool) -> list[str]:
    rows = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1), ("Độc lập - Tự do - Hạnh phúc", 1)]
    if english:
        rows += [("SOCIALIST REPUBLIC OF VIET NAM", 0), ("Independence - Freedom - Happiness", 0)]
    for i, (text, bold) in enumerate(rows):
        cv.centred(cx, (5.0 + 2.6 * i) * s, text, cv.font(c.face[bold], (5.0 if bold else 4.3) * s))
    return [t for t, _ in rows]


def fingerprints(cv: Canvas, c: Card, x: float, y: float, s: float, english: bool) -> list[str]:
    lines = []
    for k, (vi, en) in enumerate((("Ngón trỏ trái", "Left index finger"), ("Ngón trỏ phải", "Right index finger"))):
        bx = x + k * 13.5
        cv.box(bx, y, bx + 12, y + 15, w=0.2, fill=(235, 235, 230), outline=(90, 90, 90))
        for r in range(1, 6):
            cv.draw.arc(
                [cv.px(bx + 6 - r), cv.px(y + 7.5 - r * 1.2), cv.px(bx + 6 + r), cv.px(y + 7.5 + r * 1.2)],
                200,
                520,
                fill=(150, 150, 150),
            )
        cv.centred(bx + 6, y + 17.5, vi, cv.font(c.face[0], 4.2 * s))
        lines.append(vi)
        if english:
            cv.centred(bx + 6, y + 19.6, en, cv.font(c.face[0], 3.8 * s))
            lines.append(en)
    return lines


def mrz_check(text: str) -> str:
    def value(ch: str) -> int:
        return int(ch) if ch.isdigit() else 0 if ch == "<" else ord(ch) - 55

    return str(sum(value(ch) * (7, 3, 1)[i % 3] for i, ch in enumerate(text)) % 10)


def mrz(c: Card) -> list[str]:
    """The three 30-character lines of a TD1 machine-readable zone."""
    p = c.holder
    doc = p.id_number[3:]
    one = f"IDVNM{doc}{mrz_check(doc)}{p.id_number}<<"
    born = p.born.strftime("%y%m%d")
    exp = dt.date.fromisoformat(c.expiry).strftime("%y%m%d") if c.expiry[0].isdigit() else "<<<<<<"
    two = f"{born}{mrz_check(born)}{'M' if p.sex == 'Nam' else 'F'}{exp}{mrz_check(exp)}VNM".ljust(29, "<")
    words = ascii_fold(p.name).upper().split()
    three = f"{words[0]}<<{'<'.join(words[1:])}".ljust(30, "<")[:30]
    return [one + mrz_check(one), two + mrz_check(two), three]


def draw_mrz(cv: Canvas, c: Card, y: float, rng: random.Random) -> list[str]:
    path = next((f for f in map(font_file, MONO) if f), c.face[0])
    lines = mrz(c)
    font = cv.font(path, 10.0)
    font = cv.font(path, 10.0 * 77.0 / max(1.0, cv.width(lines[0], font)))
    for i, ln in enumerate(lines):
        cv.text(4.0, y + i * 5.0, ln, font)
    return lines


def chip2021_front(cv: Canvas, c: Card, rng: random.Random, s: float) -> tuple[list[str], float]:
    emblem(cv, 8.5, 9.5, 5.6)
    lines = motto(cv, c, 42.5, s, english=True)
    if c.qr != "none":
        draw_qr(cv, 70.5, 2.2, 13.0, c.payload(), c.qr, rng)
    cv.centred(42.5, 18.2, "CĂN CƯỚC CÔNG DÂN", cv.font(c.face[1], 8.2 * s), RED)
    cv.centred(42.5, 20.9, "Citizen Identity Card", cv.font(c.face[0], 4.3 * s))
    lines += ["CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card"]
    portrait(cv, 3.5, 16.5, 19.0, 24.0, rng)
    f = card_flow(cv, c, 24.0, 84.8, 25.0, (4.9 * s, 6.2 * s), 3.0 * s)
    big = f.vfont
    f.vfont = cv.font(c.face[1], 7.6 * s)
    f.field("Số / No.:", c.holder.id_number)
    f.vfont = big
    below(f, "Họ và tên / Full name:", c.holder.name.upper(), cv.font(c.face[1], 6.8 * s))
    f.field("Ngày sinh / Date of birth:", dmy(c.holder.born))
    f.inline([("Giới tính / Sex:", c.holder.sex), ("Quốc tịch / Nationality:", "Việt Nam")])
    f.field("Quê quán / Place of origin:", c.origin)
    f.field("Nơi thường trú / Place of residence:", c.residence)
    small = cv.font(c.face[0], 4.3 * s)
    for y, text, font in (
        (44.6, "Có giá trị đến:", small),
        (47.2, "Date of expiry", small),
        (50.6, c.expiry_shown, cv.font(c.face[1], 5.6 * s)),
    ):
        cv.text(3.5, y, text, font)
    return lines + f.lines + ["Có giá trị đến:", "Date of expiry", c.expiry_shown], f.y - f.look.pitch


def chip2021_back(cv: Canvas, c: Card, rng: random.Random, s: float) -> tuple[list[str], float]:
    f = card_flow(cv, c, 3.5, 55.0, 5.5, (4.5 * s, 5.4 * s), 2.9 * s)
    f.field("Đặc điểm nhân dạng / Personal identification:", rng.choice(TRAITS))
    f.field("Ngày, tháng, năm / Date, month, year:", dmy(c.issued))
    lines = f.lines + fingerprints(cv, c, 57.5, 3.0, s, english=True)
    y = max(f.y, 21.0)
    for i, text in enumerate(("CỤC TRƯỞNG CỤC CẢNH SÁT", "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI")):
        cv.centred(29.0, y + i * 2.5, text, cv.font(c.face[1], 4.4 * s))
        lines.append(text)
    scribble(cv, 20, y + 3.5, 17, 4.5, rng, ink=INK)
    stamp(cv, 21.5, y + 6.5, 6.5, "Cục Cảnh sát QLHC về TTXH", c.face[1], rng)
    chip(cv, 62.0, 27.0)
    return lines + draw_mrz(cv, c, 42.0, rng), 53.0


def barcode2016_front(cv: Canvas, c: Card, rng: random.Random, s: float) -> tuple[list[str], float]:
    emblem(cv, 8.5, 9.0, 6.0)
    lines = motto(cv, c, 47.0, s, english=False)
    cv.centred(47.0, 14.2, "CĂN CƯỚC CÔNG DÂN", cv.font(c.face[1], 9.0 * s), RED)
    number = f"Số: {c.holder.id_number}"
    cv.centred(52.0, 19.0, number, cv.font(c.face[1], 8.0 * s), RED)
    lines += ["CĂN CƯỚC CÔNG DÂN", number]
    portrait(cv, 3.5, 16.0, 20.0, 26.0, rng)
    f = card_flow(cv, c, 26.0, 84.5, 23.5, (5.4 * s, 6.4 * s), 3.05 * s)
    below(f, "Họ và tên:", c.holder.name.upper(), cv.font(c.face[1], 7.0 * s))
    f.field("Ngày, tháng, năm sinh:", dmy(c.holder.born))
    f.inline([("Giới tính:", c.holder.sex), ("Quốc tịch:", "Việt Nam")])
    f.field("Quê quán:", c.origin)
    f.field("Nơi thường trú:", c.residence)
    small = cv.font(c.face[0], 4.6 * s)
    cv.text(3.5, 46.5, "Có giá trị đến:", small)
    cv.text(3.5, 50.0, c.expiry_shown, cv.font(c.face[1], 5.6 * s))
    return lines + f.lines + ["Có giá trị đến:", c.expiry_shown], f.y - f.look.pitch


def barcode2016_back(cv: Canvas, c: Card, rng: random.Random, s: float) -> tuple[list[str], float]:
    barcode(cv, 48.0, 3.0, 33.0, 8.0, rng)
    f = card_flow(cv, c, 3.5, 48.0, 16.0, (5.0 * s, 5.6 * s), 3.0 * s)
    f.field("Đặc điểm nhân dạng:", rng.choice(TRAITS))
    issued = f"Ngày {c.issued.day:02d} tháng {c.issued.month:02d} năm {c.issued.year}"
    f.para(issued, align="centre")
    lines = f.lines
    for i, text in enumerate(("CỤC TRƯỞNG CỤC CẢNH SÁT", "ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ")):
        cv.centred(25.5, f.y + i * 2.6, text, cv.font(c.face[1], 4.6 * s))
        lines.append(text)
    scribble(cv, 17, f.y + 4.5, 17, 5, rng, ink=INK)
    stamp(cv, 18.5, f.y + 8.0, 7.0, "Cục Cảnh sát ĐKQL cư trú và DLQG về dân cư", c.face[1], rng)
    return lines + fingerprints(cv, c, 54.0, 16.0, s, english=False), 53.0


def cancuoc2024_front(cv: Canvas, c: Card, rng: random.Random, s: float) -> tuple[list[str], float]:
    emblem(cv, 8.5, 9.5, 5.6)
    lines = motto(cv, c, 47.0, s, english=True)
    cv.centred(47.0, 18.6, "CĂN CƯỚC", cv.font(c.face[1], 10.0 * s), RED)
    cv.centred(47.0, 21.4, "IDENTITY CARD", cv.font(c.face[0], 4.6 * s))
    lines += ["CĂN CƯỚC", "IDENTITY CARD"]
    chip(cv, 6.5, 18.0)
    portrait(cv, 3.5, 28.0, 19.0, 23.5, rng)
    f = card_flow(cv, c, 24.5, 84.8, 25.5, (4.5 * s, 6.4 * s), 3.05 * s)
    below(f, "Số định danh cá nhân / Personal identification number:", c.holder.id_number, cv.font(c.face[1], 7.6 * s))
    below(f, "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name:", c.holder.name.upper())
    f.field("Ngày, tháng, năm sinh / Date of birth:", dmy(c.holder.born))
    f.inline([("Giới tính / Sex:", c.holder.sex), ("Quốc tịch / Nationality:", "Việt Nam")])
    return lines + f.lines, f.y - f.look.pitch


def cancuoc2024_back(cv: Canvas, c: Card, rng: random.Random, s: float) -> tuple[list[str], float]:
    if c.qr != "none":
        draw_qr(cv, 3.5, 3.0, 15.0, c.payload(), c.qr, rng)
    f = card_flow(cv, c, 21.5, 84.5, 5.5, (4.5 * s, 5.8 * s), 2.95 * s)
    f.field("Nơi cư trú / Place of residence:", c.residence)
    f.field("Nơi đăng ký khai sinh / Place of birth registration:", c.origin)
    f.field("Ngày, tháng, năm cấp / Date of issue:", dmy(c.issued))
    f.field("Ngày, tháng, năm hết hạn / Date of expiry:", c.expiry_shown)
    lines = f.lines
    y = max(f.y, 26.0)
    for i, (text, bold) in enumerate((("BỘ CÔNG AN", 1), ("MINISTRY OF PUBLIC SECURITY", 0))):
        cv.centred(62.0, y + i * 2.6, text, cv.font(c.face[bold], (5.0 if bold else 4.0) * s))
        lines.append(text)
    stamp(cv, 56.0, y + 4.0, 6.5, "Bộ Công an", c.face[1], rng)
    return lines + draw_mrz(cv, c, 42.0, rng), min(f.y - f.look.pitch, 40.0)


SIDES = {
    "chip2021": (chip2021_front, chip2021_back),
    "barcode2016": (barcode2016_front, barcode2016_back),
    "cancuoc2024": (cancuoc2024_front, cancuoc2024_back),
}


def render_side(c: Card, side: int, dpi: int, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """One face of the card at its real size; type shrinks until the fields end above the card's edge."""
    seed = rng.randrange(1 << 30)
    for s in (1.0, 0.93, 0.86, 0.8, 0.74):
        cv = Canvas(dpi, CARD_MM, paper=(214, 221, 207))
        guilloche(cv, random.Random(seed))
        lines, bottom = SIDES[c.kind][side](cv, c, random.Random(seed), s)
        if bottom <= 52.0:
            break
    w, h = cv.img.size
    cv.draw.rounded_rectangle(
        [0, 0, w - 1, h - 1], radius=cv.px(3.2), outline=(80, 80, 80), width=max(1, round(cv.px(0.3)))
    )
    return cv.img, lines


def paste_card(page: Canvas, card: Image.Image, x: float, y: float, angle: float) -> None:
    mask = Image.new("L", card.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, card.width - 1, card.height - 1], radius=page.px(3.2), fill=255)
    card, mask = card.rotate(angle, Image.BICUBIC, expand=True), mask.rotate(angle, Image.BICUBIC, expand=True)
    page.img.paste(card, (round(page.px(x)), round(page.px(y))), mask)


def photocopy(img: np.ndarray, rng: random.Random) -> np.ndarray:
    """A grey photocopy: toner darkens and flattens the print, blurs it a little, adds specks."""
    g = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
    g = 255.0 - (255.0 - g) * rng.uniform(1.1, 1.5) - rng.uniform(0, 14)
    g = cv2.GaussianBlur(g, (0, 0), rng.uniform(0.35, 0.8))
    noise = np.random.default_rng(rng.randrange(1 << 30))
    g += noise.normal(0, rng.uniform(2.5, 6), g.shape)
    specks = noise.random(g.shape) < rng.uniform(2e-5, 2e-4)
    g[cv2.dilate(specks.astype(np.uint8), np.ones((2, 2), np.uint8)) > 0] = rng.uniform(20, 90)
    return np.repeat(np.clip(g, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2)


def certify(page: Canvas, hh: Household, rng: random.Random, y: float, face: Face) -> list[str]:
    """The commune's certification that the copy matches the original, signed and sealed in colour on the copy."""
    look = Look(face, None, rng.uniform(9.5, 11.0), rng.uniform(4.6, 5.4), leaders=False)
    f = Flow(page, look, rng, 105.0, 195.0, y)
    day = hh.filed - dt.timedelta(days=rng.randint(0, 20))
    f.para("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", font=f.bold, align="centre")
    f.para(
        f"Số chứng thực: {rng.randint(10, 2999)} Quyển số: {rng.randint(1, 9):02d}/{day.year}-SCT/BS", align="centre"
    )
    f.para(f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", align="centre")
    officer = person(rng, rng.choice(("Nam", "Nữ")), (1965, 1992)).name
    sign_y = signature_block(f, "NGƯỜI THỰC HIỆN CHỨNG THỰC", "(Ký, ghi rõ họ tên và đóng dấu)", officer, rng)
    stamp(
        page,
        135.0 + rng.uniform(-6, 6),
        sign_y,
        rng.uniform(15, 18),
        f"Ủy ban nhân dân {hh.office.parts(False)[0]}",
        face[1],
        rng,
    )
    return f.lines


def make_card(hh: Household, rng: random.Random, holdout: bool) -> Card:
    p = hh.requester
    kinds = ["chip2021", "chip2021", "barcode2016"] + ["cancuoc2024"] * 2 * (hh.filed >= dt.date(2024, 7, 1))
    kind = rng.choice(kinds)
    start, end = {
        "barcode2016": (dt.date(2016, 1, 1), dt.date(2020, 12, 31)),
        "chip2021": (dt.date(2021, 1, 1), dt.date(2024, 6, 30)),
        "cancuoc2024": (dt.date(2024, 7, 1), hh.filed),
    }[kind]
    issued = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    qr = "none" if kind == "barcode2016" else "damaged" if rng.random() < 0.3 else "readable"
    face = rng.choice(faces(HOLDOUT_FACES if holdout else MAIN_FACES))
    origin = p.origin.card() if kind == "cancuoc2024" or rng.random() < 0.5 else p.origin.short()
    cmnd = f"{rng.randint(10**8, 10**9 - 1)}" if rng.random() < 0.4 else ""
    return Card(kind, p, issued, card_expiry(p.born, issued), qr, face, origin, p.residence.card(), cmnd)


def card_page(hh: Household, rng: random.Random, dpi: int, holdout: bool) -> Sheet:
    """Front and back of the requester's card photocopied on one A4 page, side by side or one above the other."""
    c = make_card(hh, rng, holdout)
    (front, front_lines), (back, back_lines) = render_side(c, 0, dpi, rng), render_side(c, 1, dpi, rng)
    page = Canvas(dpi)
    tilt = 6.0 if holdout else 2.0
    side_by_side = c.kind == "cancuoc2024" or rng.random() < 0.4
    if side_by_side:
        x, y = rng.uniform(10, 16), rng.uniform(20, 60)
        spots = [(x, y), (x + CARD_MM[0] + rng.uniform(5, 9), y + rng.uniform(-3, 3))]
    else:
        x, y = rng.uniform(25, 100), rng.uniform(18, 50)
        spots = [(x + rng.uniform(-8, 8), y), (x + rng.uniform(-8, 8), y + CARD_MM[1] + rng.uniform(10, 25))]
    for img, (sx, sy) in zip((front, back), spots, strict=True):
        paste_card(page, img, sx, sy, rng.uniform(-tilt, tilt))
    page.img = Image.fromarray(photocopy(np.asarray(page.img), rng))
    page.draw = ImageDraw.Draw(page.img)
    lines = front_lines + back_lines
    if rng.random() < (0.5 if holdout else 0.35):
        lowest = max(sy for _, sy in spots) + CARD_MM[1] + 15
        if lowest < 215:
            lines += certify(page, hh, rng, lowest, c.face)
    notes = {"card": c.kind, "qr": c.qr, "side_by_side": side_by_side, "font": Path(c.face[0]).name}
    return Sheet("can_cuoc", np.asarray(page.img), dpi, c.fields(), lines, notes)


def dossier(seed: int, holdout: bool = False, dpi: int = 300) -> tuple[list[Sheet], dict[str, object]]:
    """The three papers of one birth registration (tờ khai, giấy chứng sinh, the requester's card), upright."""
    rng = random.Random(seed)
    hh = household(rng)
    sheets = [to_khai(hh, rng, dpi, holdout), chung_sinh(hh, rng, dpi, holdout), card_page(hh, rng, dpi, holdout)]
    if rng.random() < 0.25:
        sheets.insert(0, sheets.pop())  # the card copy on top of the pile
    return sheets, {"requester": hh.relationship, "father_block_empty": hh.father is None}


# --- degradations -----------------------------------------------------------------------------------------------------


def _np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.randrange(1 << 30))


def flatbed(img: np.ndarray, rng: random.Random, dpi: int, skew: float = 1.5) -> np.ndarray:
    """A flatbed scan: slightly crooked, a little soft, sensor noise, sometimes off-white paper or the dark lid."""
    out = synth.skew(img, rng.uniform(-skew, skew), expand=False)
    if rng.random() < 0.3:
        out = synth.tint(out, (rng.randint(242, 252), rng.randint(236, 248), rng.randint(218, 238)))
    out = synth.blur(out, rng.uniform(0.3, 0.8) * dpi / 300)
    out = synth.noise(out, rng.uniform(2, 5), seed=rng.randrange(1 << 30))
    if rng.random() < 0.2:
        out = synth.dark_border(out, int(dpi * 0.12), seed=rng.randrange(1 << 30))
    return out


def background(h: int, w: int, rng: random.Random) -> np.ndarray:
    """What the page lies on: a wooden table, a dark desk or a cloth."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    kind, phase = rng.choice(("wood", "desk", "cloth")), rng.uniform(0, 6)
    if kind == "wood":
        base = np.array((125, 85, 52), np.float32) * rng.uniform(0.7, 1.2)
        grain = np.sin(x * rng.uniform(0.015, 0.04) + 6 * np.sin(y * 0.004 + phase))
        img = base * (0.85 + 0.15 * grain)[..., None]
    elif kind == "desk":
        img = np.full((h, w, 3), rng.uniform(35, 75), np.float32) * np.array((1.0, 1.0, 1.05), np.float32)
    else:
        base = np.array(rng.choice(((60, 80, 130), (70, 110, 80), (140, 60, 60))), np.float32)
        img = base * (0.9 + 0.1 * (np.sin(x * 0.6) * np.sin(y * 0.6)))[..., None]
    return img + _np_rng(rng).normal(0, 4, img.shape).astype(np.float32)


def _page_corners(sw: int, sh: int, w: int, h: int, rng: random.Random, hard: bool) -> np.ndarray:
    """Where the page's corners land in the photo: turned a little, seen from a little off-centre."""
    angle = math.radians(rng.uniform(-12, 12) if hard else rng.uniform(-5, 5))
    keystone = rng.uniform(0.0, 0.15 if hard else 0.07)
    cx, cy = w / 2 + rng.uniform(-0.04, 0.04) * w, h / 2 + rng.uniform(-0.04, 0.04) * h
    pts = []
    for px, py in ((-sw / 2, -sh / 2), (sw / 2, -sh / 2), (sw / 2, sh / 2), (-sw / 2, sh / 2)):
        px *= 1 - keystone if py < 0 else 1 + keystone / 3
        px, py = px + rng.uniform(-0.015, 0.015) * sw, py + rng.uniform(-0.015, 0.015) * sh
        pts.append((cx + px * math.cos(angle) - py * math.sin(angle), cy + px * math.sin(angle) + py * math.cos(angle)))
    return np.array(pts, np.float32)


def lighting(h: int, w: int, rng: random.Random) -> np.ndarray:
    """Uneven light: a slope across the picture, a vignette, and a soft shadow cast by the phone or a hand."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    light = rng.uniform(0.8, 1.05) + rng.uniform(-0.2, 0.2) * (x / w - 0.5) + rng.uniform(-0.2, 0.2) * (y / h - 0.5)
    light -= rng.uniform(0.05, 0.25) * (((x / w - 0.5) ** 2 + (y / h - 0.5) ** 2) * 2)
    shade = np.zeros((h, w), np.uint8)
    edge = rng.choice(("top", "left", "right", "bottom"))
    reach = rng.uniform(0.15, 0.45)
    a, b = sorted((rng.uniform(0, 1), rng.uniform(0, 1)))
    poly = {
        "top": [(a * w, 0), (b * w, 0), ((a + b) / 2 * w, reach * h)],
        "bottom": [(a * w, h), (b * w, h), ((a + b) / 2 * w, (1 - reach) * h)],
        "left": [(0, a * h), (0, b * h), (reach * w, (a + b) / 2 * h)],
        "right": [(w, a * h), (w, b * h), ((1 - reach) * w, (a + b) / 2 * h)],
    }[edge]
    cv2.fillPoly(shade, [np.array(poly, np.int32)], 255)
    shade = cv2.GaussianBlur(shade.astype(np.float32) / 255, (0, 0), w * rng.uniform(0.03, 0.08))
    return np.clip(light * (1 - rng.uniform(0.2, 0.5) * shade), 0.25, 1.2)


def phone_photo(page: np.ndarray, rng: random.Random, hard: bool = False) -> np.ndarray:
    """A phone photo of the page: 1-3 MP, the page on a desk in perspective, uneven light, JPEG'd."""
    mp = rng.uniform(1.0, 3.0) * 1e6
    w = int(math.sqrt(mp * 3 / 4))
    h = int(w * 4 / 3)
    ph, pw = page.shape[:2]
    scale = min(rng.uniform(0.72, 0.9) * h / ph, 0.9 * w / pw)
    small = cv2.resize(page, (round(pw * scale), round(ph * scale)), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape[:2]
    src = np.array(((0, 0), (sw, 0), (sw, sh), (0, sh)), np.float32)
    m = cv2.getPerspectiveTransform(src, _page_corners(sw, sh, w, h, rng, hard))
    warped = cv2.warpPerspective(small, m, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32)
    mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    out = background(h, w, rng) * (1 - mask) + warped * mask
    out *= lighting(h, w, rng)[..., None] * np.array((1.0, rng.uniform(0.95, 1.0), rng.uniform(0.85, 0.97)))
    if hard and rng.random() < 0.5:
        out = glare(out, rng)
    out = cv2.GaussianBlur(np.clip(out, 0, 255).astype(np.uint8), (0, 0), rng.uniform(0.4, 1.1))
    return synth.noise(out, rng.uniform(2, 6), seed=rng.randrange(1 << 30))


def glare(img: np.ndarray, rng: random.Random) -> np.ndarray:
    """A lamp's reflection on glossy paper washing out part of the page (holdout only)."""
    h, w = img.shape[:2]
    spot = np.zeros((h, w), np.float32)
    centre = (int(w * rng.uniform(0.2, 0.8)), int(h * rng.uniform(0.2, 0.8)))
    axes = (int(w * rng.uniform(0.08, 0.2)), int(h * rng.uniform(0.05, 0.12)))
    cv2.ellipse(spot, centre, axes, rng.uniform(0, 180), 0, 360, 1.0, -1)
    spot = cv2.GaussianBlur(spot, (0, 0), w * 0.04)[..., None] * rng.uniform(0.5, 0.85)
    return img + (255 - img) * spot


def low_resolution(page150: np.ndarray, rng: random.Random) -> tuple[np.ndarray, int]:
    """The page as a web form or a messaging app sends it: 150 dpi, or shrunk to about 70 dpi."""
    if rng.random() < 0.5:
        return page150, 150
    dpi = rng.randint(64, 80)
    h, w = page150.shape[:2]
    return cv2.resize(page150, (round(w * dpi / 150), round(h * dpi / 150)), interpolation=cv2.INTER_AREA), dpi


def crease(img: np.ndarray, rng: random.Random) -> np.ndarray:
    """A fold across the page: a light and a dark band where the paper bent (holdout only)."""
    out = img.astype(np.float32)
    h = img.shape[0]
    y = int(h * rng.uniform(0.3, 0.7))
    band = max(2, h // 400)
    out[y - band : y] *= 0.82
    out[y : y + band] = out[y : y + band] * 0.6 + 255 * 0.4
    return np.clip(out, 0, 255).astype(np.uint8)


# --- writing a family -------------------------------------------------------------------------------------------------


def jpeg_bytes(img: np.ndarray, quality: int, dpi: int | None = None) -> bytes:
    """JPEG bytes; without `dpi` no resolution is recorded (JFIF density 1:1), as phones and web forms send them."""
    import io

    buf = io.BytesIO()
    kw = {"dpi": (dpi, dpi)} if dpi else {}
    Image.fromarray(img).save(buf, "JPEG", quality=quality, **kw)
    return buf.getvalue()


def write_scan(folder: Path, stem: str, sheets: list[Sheet], rng: random.Random) -> tuple[list[str], list[dict]]:
    dpi = sheets[0].dpi
    imgs = [synth.jpeg(flatbed(s.image, rng, dpi), rng.randint(70, 92)) for s in sheets]
    notes = [{"kind": "scan", "dpi": dpi} for _ in sheets]
    if rng.random() < 0.8:
        (folder / f"{stem}.pdf").write_bytes(synth.images_to_pdf(imgs, dpi=dpi, quality=rng.randint(75, 90)))
        return [f"{stem}.pdf"], notes
    names = [f"{stem}-{k + 1}.jpg" for k in range(len(imgs))]
    for name, img in zip(names, imgs, strict=True):
        (folder / name).write_bytes(jpeg_bytes(img, rng.randint(75, 92), dpi))
    return names, notes


def write_photo(folder: Path, stem: str, sheets: list[Sheet], rng: random.Random) -> tuple[list[str], list[dict]]:
    names, notes = [], []
    for k, s in enumerate(sheets):
        img = phone_photo(s.image, rng)
        names.append(f"{stem}-{k + 1}.jpg")
        (folder / names[-1]).write_bytes(jpeg_bytes(img, rng.randint(60, 88)))
        notes.append({"kind": "photo", "pixels": f"{img.shape[1]}x{img.shape[0]}"})
    return names, notes


def write_lowres(folder: Path, stem: str, sheets: list[Sheet], rng: random.Random) -> tuple[list[str], list[dict]]:
    names, notes = [], []
    for k, s in enumerate(sheets):
        img, dpi = low_resolution(s.image, rng)
        names.append(f"{stem}-{k + 1}.jpg")
        (folder / names[-1]).write_bytes(jpeg_bytes(img, rng.randint(50, 85)))
        notes.append({"kind": "lowres", "dpi": dpi})
    return names, notes


def write_holdout(folder: Path, stem: str, sheets: list[Sheet], rng: random.Random) -> tuple[list[str], list[dict]]:
    """Each page its own way: a second-generation photocopy, a harder photo, a creased scan or a small JPEG."""
    names, notes = [], []
    for k, s in enumerate(sheets):
        mode = rng.choice(("copy2", "photo", "scan", "lowres"))
        name = f"{stem}-{k + 1}.{'pdf' if mode in ('copy2', 'scan') else 'jpg'}"
        if mode == "copy2":
            img = flatbed(photocopy(photocopy(s.image, rng), rng), rng, s.dpi, skew=2.5)
            data = synth.images_to_pdf([img], dpi=s.dpi, quality=rng.randint(60, 85))
        elif mode == "scan":
            img = flatbed(crease(s.image, rng), rng, s.dpi, skew=3.0)
            data = synth.images_to_pdf([img], dpi=s.dpi, quality=rng.randint(60, 85))
        elif mode == "photo":
            data = jpeg_bytes(phone_photo(s.image, rng, hard=True), rng.randint(55, 80))
        else:
            small = cv2.resize(s.image, None, fx=150 / s.dpi, fy=150 / s.dpi, interpolation=cv2.INTER_AREA)
            data = jpeg_bytes(low_resolution(small, rng)[0], rng.randint(45, 75))
        (folder / name).write_bytes(data)
        names.append(name)
        notes.append({"kind": mode, "dpi": s.dpi})
    return names, notes


WRITERS = {"scan": write_scan, "photo": write_photo, "lowres": write_lowres, "holdout": write_holdout}


def write_dossier(folder: Path, stem: str, family: str, seed: int) -> Path:
    """One dossier of `family`: its files and the truth JSON (docs/scan-json.md fields, normalised) beside them."""
    rng = random.Random(seed * 7919 + 17)  # the degradations draw from a stream of their own
    dpi = {"scan": rng.choice((200, 300, 300)), "photo": 200, "lowres": 150, "holdout": rng.choice((200, 240, 300))}
    sheets, info = dossier(seed, holdout=family == "holdout", dpi=dpi[family])
    files, page_notes = WRITERS[family](folder, stem, sheets, rng)
    truth = {
        "procedure": PROCEDURE,
        "family": family,
        "generator": "digitize.devtools.synth_holdout",
        "seed": seed,
        "files": files,
        "notes": info,
        "documents": [
            {"type": s.type, "pages": [k], "fields": {key: {"value": v} for key, v in s.fields.items()}}
            for k, s in enumerate(sheets)
        ],
        "pages": [
            {"index": k, "text": "\n".join(s.lines), "notes": {**s.notes, **page_notes[k]}}
            for k, s in enumerate(sheets)
        ],
    }
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_family(folder: Path, family: str, n: int, seed: int | None = None) -> list[Path]:
    """N dossiers of one family in `folder`; each family has seeds of its own, the holdout far from the others."""
    if family not in WRITERS:
        raise ValueError(f"unknown family {family!r}; one of {', '.join(FAMILIES)}")
    folder.mkdir(parents=True, exist_ok=True)
    base = FAMILY_SEEDS[family] if seed is None else seed
    return [write_dossier(folder, f"dossier-{i:03d}", family, base + i) for i in range(n)]
