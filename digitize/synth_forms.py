"""Generated counter papers with known field values: tờ khai đăng ký khai sinh, giấy chứng sinh and a photocopied
căn cước, laid out like the real forms (national motto, title, labelled lines with dotted leaders, typed values).
Every person and number is made up; ID numbers are built to agree with the person's birth date and sex."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from . import synth

PROVINCES = {"001": "Hà Nội", "031": "Hải Phòng", "048": "Đà Nẵng", "079": "Hồ Chí Minh", "092": "Cần Thơ",
             "040": "Nghệ An", "038": "Thanh Hóa", "046": "Thừa Thiên Huế"}  # fmt: skip
PLACES = (
    "Tổ 7, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng",
    "Số 12 ngõ 45 phố Trần Duy Hưng, phường Trung Hòa, quận Cầu Giấy, Hà Nội",
    "Ấp Mỹ Thuận, xã Tân Hòa, huyện Lai Vung, tỉnh Đồng Tháp",
    "Thôn Phú Thượng, xã Quỳnh Lưu, huyện Quỳnh Lưu, tỉnh Nghệ An",
    "Số 88 đường Nguyễn Văn Cừ, phường An Khánh, quận Ninh Kiều, thành phố Cần Thơ",
    "Khu phố 3, phường Linh Trung, thành phố Thủ Đức, Thành phố Hồ Chí Minh",
)
HOSPITALS = ("Bệnh viện Phụ sản - Nhi Đà Nẵng", "Bệnh viện Từ Dũ", "Bệnh viện Phụ sản Hà Nội", "Trạm y tế xã Tân Hòa")
ETHNIC = ("Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Khmer")


@dataclass
class Person:
    name: str
    sex: str
    born: dt.date
    province: str

    def id_number(self, serial: int) -> str:
        century = (self.born.year // 100 - 19) * 2 + (1 if self.sex == "Nữ" else 0)
        return f"{self.province}{century}{self.born.year % 100:02d}{serial:06d}"


def fake_person(rng: random.Random, sex: str | None = None, year: tuple[int, int] = (1970, 2005)) -> Person:
    sex = sex or rng.choice(["Nam", "Nữ"])
    middle = "Thị" if sex == "Nữ" and rng.random() < 0.6 else rng.choice(synth.MIDDLE[2:])
    name = f"{rng.choice(synth.FAMILY)} {middle} {rng.choice(synth.GIVEN)}"
    born = dt.date(rng.randint(*year), rng.randint(1, 12), rng.randint(1, 28))
    return Person(name, sex, born, rng.choice(list(PROVINCES)))


@dataclass
class FormPage:
    """A generated paper: the upright page image and the values of its fields, normalised as §2 wants them."""

    type: str
    image: np.ndarray
    fields: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


class _Sheet:
    """An A4 sheet at `dpi` with a text cursor; lines may end in dotted leaders as on printed forms."""

    def __init__(self, dpi: int, pt: float, font: str):
        self.dpi = dpi
        self.w, self.h = synth.mm_to_px(210, dpi), synth.mm_to_px(297, dpi)
        self.img = Image.new("RGB", (self.w, self.h), (255, 255, 255))
        self.draw = ImageDraw.Draw(self.img)
        self.px = int(round(pt / 72 * dpi))
        self.font_kind = font
        self.font = synth._font(font, self.px)
        self.bold = synth._font(f"{font}-bold", self.px)
        self.left, self.right = synth.mm_to_px(22, dpi), self.w - synth.mm_to_px(18, dpi)
        self.y = synth.mm_to_px(15, dpi)
        self.lines: list[str] = []

    def centre(self, text: str, bold: bool = True, gap: float = 1.45) -> None:
        f = self.bold if bold else self.font
        tw = self.draw.textlength(text, font=f)
        self.draw.text(((self.w - tw) / 2, self.y), text, font=f, fill=(0, 0, 0))
        self.lines.append(text)
        self.y += int(self.px * gap)

    def row(self, parts: list[tuple[str, str]], leaders: bool = True) -> None:
        """Label–value pairs on one line, spread over the width, each value followed by dots to its slot's end."""
        slot = (self.right - self.left) / len(parts)
        texts = []
        for i, (label, value) in enumerate(parts):
            x = self.left + i * slot
            text = f"{label}: {value}" if label else value
            font, px = self.font, self.px
            while self.draw.textlength(text, font=font) > slot and px > 20:
                px -= 2  # a long address is typed smaller to stay on its line, as clerks do
                font = synth._font(self.font_kind, px)
            self.draw.text((x, self.y), text, font=font, fill=(0, 0, 0))
            end = x + self.draw.textlength(text + " ", font=font)
            if leaders:
                dot = self.draw.textlength(".", font=self.font)
                n = int((x + slot - end - self.px * 0.6) / dot)
                if n > 3:
                    self.draw.text((end, self.y), "." * n, font=self.font, fill=(0, 0, 0))
            texts.append(text)
        self.lines.append(" ".join(texts))
        self.y += int(self.px * 1.6)

    def space(self, lines: float = 0.6) -> None:
        self.y += int(self.px * lines)


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _vn(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def to_khai_khai_sinh(rng: random.Random, dpi: int = 300, font: str = "serif") -> FormPage:
    mother = fake_person(rng, "Nữ", (1975, 2002))
    father = fake_person(rng, "Nam", (1970, 2000))
    child_sex = rng.choice(["Nam", "Nữ"])
    child = f"{father.name.split()[0]} {'Thị' if child_sex == 'Nữ' else rng.choice(synth.MIDDLE[2:])} " + rng.choice(
        synth.GIVEN
    )
    born = dt.date(2026, rng.randint(1, 10), rng.randint(1, 28))
    requester, relationship = (mother, "Mẹ") if rng.random() < 0.6 else (father, "Cha")
    home = rng.choice(PLACES)
    s = _Sheet(dpi, 12.5, font)
    s.centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    s.centre("Độc lập - Tự do - Hạnh phúc")
    s.space(1.2)
    s.centre("TỜ KHAI ĐĂNG KÝ KHAI SINH")
    s.centre(f"Kính gửi: Ủy ban nhân dân {rng.choice(('phường Hòa Khánh Bắc', 'xã Tân Hòa', 'phường Linh Trung'))}",
             bold=False)  # fmt: skip
    s.space()
    rid = requester.id_number(rng.randint(0, 999999))
    values = {
        "requester_name": requester.name, "requester_id_number": rid, "requester_residence": home,
        "relationship": relationship, "child_name": child, "child_date_of_birth": _iso(born), "child_sex": child_sex,
        "child_ethnicity": "Kinh", "child_nationality": "Việt Nam", "child_place_of_birth": rng.choice(HOSPITALS),
        "child_hometown": rng.choice(PLACES), "mother_name": mother.name, "mother_birth_year": str(mother.born.year),
        "mother_ethnicity": rng.choice(ETHNIC), "mother_nationality": "Việt Nam", "mother_residence": home,
        "father_name": father.name, "father_birth_year": str(father.born.year), "father_ethnicity": "Kinh",
        "father_nationality": "Việt Nam", "father_residence": home,
    }  # fmt: skip
    v = values
    s.row([("Họ, chữ đệm, tên người yêu cầu", v["requester_name"])])
    s.row([("Số định danh cá nhân", rid)])
    s.row([("Nơi cư trú", v["requester_residence"])])
    s.row([("Quan hệ với người được khai sinh", relationship)])
    s.row([("", "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")], leaders=False)
    s.row([("Họ, chữ đệm, tên", child)])
    s.row([("Ngày, tháng, năm sinh", _vn(born))])
    s.row([("Giới tính", child_sex), ("Dân tộc", "Kinh"), ("Quốc tịch", "Việt Nam")])
    s.row([("Nơi sinh", v["child_place_of_birth"])])
    s.row([("Quê quán", v["child_hometown"])])
    s.row([("Họ, chữ đệm, tên người mẹ", mother.name)])
    s.row([("Năm sinh", v["mother_birth_year"]), ("Dân tộc", v["mother_ethnicity"]), ("Quốc tịch", "Việt Nam")])
    s.row([("Nơi cư trú", home)])
    s.row([("Họ, chữ đệm, tên người cha", father.name)])
    s.row([("Năm sinh", v["father_birth_year"]), ("Dân tộc", "Kinh"), ("Quốc tịch", "Việt Nam")])
    s.row([("Nơi cư trú", home)])
    s.space()
    s.row([("", "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật.")], leaders=False)
    return FormPage("to_khai_khai_sinh", np.asarray(s.img), values, s.lines)


def giay_chung_sinh(rng: random.Random, dpi: int = 300, font: str = "serif") -> FormPage:
    mother = fake_person(rng, "Nữ", (1975, 2002))
    born = dt.date(2026, rng.randint(1, 10), rng.randint(1, 28))
    weight = rng.randint(25, 40) * 100
    sex = rng.choice(["Nam", "Nữ"])
    s = _Sheet(dpi, 12.5, font)
    s.centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    s.centre("Độc lập - Tự do - Hạnh phúc")
    s.space(1.2)
    s.centre("GIẤY CHỨNG SINH")
    s.space()
    values = {
        "mother_name": mother.name, "mother_birth_year": str(mother.born.year),
        "mother_id_number": mother.id_number(rng.randint(0, 999999)), "mother_residence": rng.choice(PLACES),
        "child_date_of_birth": _iso(born), "place_of_birth": rng.choice(HOSPITALS), "child_sex": sex,
        "child_weight_grams": str(weight),
    }  # fmt: skip
    s.row([("Họ và tên mẹ", mother.name)])
    s.row([("Năm sinh", values["mother_birth_year"])])
    s.row([("Số định danh cá nhân", values["mother_id_number"])])
    s.row([("Nơi cư trú", values["mother_residence"])])
    s.row([("Đã sinh con vào lúc", f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút, {_vn(born)}")])
    s.row([("Tại", values["place_of_birth"])])
    s.row([("Giới tính của con", sex), ("Cân nặng", f"{weight // 1000}.{weight % 1000:03d} gam")])
    s.space()
    s.row([("", "Người đỡ đẻ và thủ trưởng cơ sở khám bệnh, chữa bệnh ký tên, đóng dấu.")], leaders=False)
    return FormPage("giay_chung_sinh", np.asarray(s.img), values, s.lines)


GENERATORS = {"to_khai_khai_sinh": to_khai_khai_sinh, "giay_chung_sinh": giay_chung_sinh}


def dossier(seed: int, dpi: int = 300) -> list[FormPage]:
    """A birth-registration dossier: the tờ khai and the giấy chứng sinh."""
    rng = random.Random(seed)
    font = rng.choice(["serif", "sans"])
    return [to_khai_khai_sinh(rng, dpi, font), giay_chung_sinh(rng, dpi, font)]
