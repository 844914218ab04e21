"""Generated counter papers with known field values: tờ khai đăng ký khai sinh, giấy chứng sinh and a photocopied
căn cước, laid out like the real forms (national motto, title, labelled lines with dotted leaders, typed values).
Every person and number is made up; ID numbers are built to agree with the person's birth date and sex."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw

from digitize.devtools import synth

PROVINCES = {"001": "Hà Nội", "031": "Hải Phòng", "048": "Đà Nẵng", "079": "Hồ Chí Minh", "092": "Cần Thơ",
             "040": "Nghệ An", "038": "Thanh Hóa", "046": "Thừa Thiên Huế"}  # fmt: skip
PLACES = (
    "Tổ 7, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng",
    "Số 12 ngõ 45 phố Trần Duy Hưng, phường Trung Hòa, quận Cầu Giấy, Hà Nội",
    "Ấp Mỹ Thuận, xã Tân Hòa, huyện Lai Vung, tỉnh Đồng Tháp",
    "Thôn Phú Thượng, xã Quỳnh Lưu, huyện Quỳnh Lưu, tỉnh Nghệ An",
    "Số 88 đường Nguyễn Văn Cừ, phường An Khánh, quận Ninh Kiều, thành phố Cần Thơ",
    "Khu phố 3, phường Linh Trung, thành phố Thủ Đức, Thành phố Hồ Chí Minh",
    "Số nhà 215, tổ dân phố Thanh Bình, phường Quang Trung, thành phố Kon Tum, tỉnh Kon Tum (nay là tỉnh Quảng Ngãi)",
    "Thôn Đông Hạ, xã Hoằng Đông, huyện Hoằng Hóa, tỉnh Thanh Hóa, gần trường tiểu học Hoằng Đông",
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
class Birth:
    """One birth as every paper of its dossier tells it: the same mother, father, child, date and home."""

    mother: Person
    father: Person
    mother_id: str
    father_id: str
    child_name: str
    child_sex: str
    born: dt.date
    home: str
    hospital: str
    mother_is_requester: bool

    @property
    def requester(self) -> tuple[Person, str, str]:
        """The person who asks, their relationship to the child, and their ID number."""
        if self.mother_is_requester:
            return self.mother, "Mẹ", self.mother_id
        return self.father, "Cha", self.father_id


def fake_birth(rng: random.Random) -> Birth:
    mother = fake_person(rng, "Nữ", (1975, 2002))
    father = fake_person(rng, "Nam", (1970, 2000))
    child_sex = rng.choice(["Nam", "Nữ"])
    middle = "Thị" if child_sex == "Nữ" else rng.choice(synth.MIDDLE[2:])
    return Birth(
        mother, father, mother.id_number(rng.randint(0, 999999)), father.id_number(rng.randint(0, 999999)),
        f"{father.name.split()[0]} {middle} {rng.choice(synth.GIVEN)}", child_sex,
        dt.date(2026, rng.randint(1, 10), rng.randint(1, 28)), rng.choice(PLACES), rng.choice(HOSPITALS),
        rng.random() < 0.6,
    )  # fmt: skip


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
        if len(parts) == 1 and self.draw.textlength(f"{parts[0][0]}: {parts[0][1]}", font=self.font) > slot:
            self._wrapped(*parts[0])
            return
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

    def _wrapped(self, label: str, value: str) -> None:
        """A value too long for its line goes on over the next one, as on a filled-in form."""
        words, line = f"{label}: {value}".split(" "), ""
        for w in words:
            if line and self.draw.textlength(f"{line} {w}", font=self.font) > self.right - self.left:
                self.draw.text((self.left, self.y), line, font=self.font, fill=(0, 0, 0))
                self.lines.append(line)
                self.y += int(self.px * 1.6)
                line = w
            else:
                line = f"{line} {w}".strip()
        self.row([("", line)])

    def space(self, lines: float = 0.6) -> None:
        self.y += int(self.px * lines)


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _vn(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def to_khai_khai_sinh(rng: random.Random, dpi: int = 300, font: str = "serif", birth: Birth | None = None) -> FormPage:
    b = birth or fake_birth(rng)
    mother, father, child_sex, child, born, home = b.mother, b.father, b.child_sex, b.child_name, b.born, b.home
    requester, relationship, rid = b.requester
    s = _Sheet(dpi, 12.5, font)
    s.centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    s.centre("Độc lập - Tự do - Hạnh phúc")
    s.space(1.2)
    s.centre("TỜ KHAI ĐĂNG KÝ KHAI SINH")
    s.centre(f"Kính gửi: Ủy ban nhân dân {rng.choice(('phường Hòa Khánh Bắc', 'xã Tân Hòa', 'phường Linh Trung'))}",
             bold=False)  # fmt: skip
    s.space()
    values = {
        "requester_name": requester.name, "requester_id_number": rid, "requester_residence": home,
        "relationship": relationship, "child_name": child, "child_date_of_birth": _iso(born), "child_sex": child_sex,
        "child_ethnicity": "Kinh", "child_nationality": "Việt Nam", "child_place_of_birth": b.hospital,
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


def giay_chung_sinh(rng: random.Random, dpi: int = 300, font: str = "serif", birth: Birth | None = None) -> FormPage:
    b = birth or fake_birth(rng)
    mother, born, sex = b.mother, b.born, b.child_sex
    weight = rng.randint(25, 40) * 100
    s = _Sheet(dpi, 12.5, font)
    s.centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    s.centre("Độc lập - Tự do - Hạnh phúc")
    s.space(1.2)
    s.centre("GIẤY CHỨNG SINH")
    s.space()
    values = {
        "mother_name": mother.name, "mother_birth_year": str(mother.born.year),
        "mother_id_number": b.mother_id, "mother_residence": b.home,
        "child_date_of_birth": _iso(born), "place_of_birth": b.hospital, "child_sex": sex,
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


def cccd_qr_text(id_number: str, name: str, born: dt.date, sex: str, residence: str, issued: dt.date) -> str:
    """The chip card's QR payload: ID|old CMND|name|DDMMYYYY|sex|residence|DDMMYYYY (issue date)."""
    return "|".join([id_number, "", name, born.strftime("%d%m%Y"), sex, residence, issued.strftime("%d%m%Y")])


def can_cuoc(
    rng: random.Random,
    dpi: int = 300,
    font: str = "sans",
    angle: float | None = None,
    holder: tuple[Person, str, str] | None = None,
) -> FormPage:
    """The front of a chip căn cước công dân, photocopied at 100% onto an A4 sheet, a little askew.
    `holder` is (person, ID number, residence) when the card must belong to someone of the dossier."""
    if holder is None:
        person = fake_person(rng, year=(1965, 2005))
        holder = (person, person.id_number(rng.randint(0, 999999)), rng.choice(PLACES))
    person, idn, residence = holder
    origin = ", ".join(rng.choice(PLACES).split(", ")[-2:])  # a card prints the unit names only
    issued = dt.date(rng.randint(2021, 2024), rng.randint(1, 12), rng.randint(1, 28))
    expiry = dt.date(person.born.year + (25 if person.born.year >= 2001 else 40 if person.born.year > 1986 else 60),
                     person.born.month, person.born.day)  # fmt: skip
    w, h = synth.mm_to_px(85.6, dpi), synth.mm_to_px(54, dpi)
    card = Image.new("RGB", (w, h), (236, 240, 246))
    d = ImageDraw.Draw(card)
    d.rounded_rectangle((2, 2, w - 3, h - 3), radius=int(dpi * 0.12), outline=(120, 120, 120), width=3)
    px = int(round(6.5 / 72 * dpi))
    f, fb = synth._font(font, px), synth._font(f"{font}-bold", px)
    big = synth._font(f"{font}-bold", int(px * 1.3))
    side = int(h * 0.28)
    qr_x = w - side - int(w * 0.03)
    lines: list[str] = []

    def put(x: int, y: int, text: str, fnt=f, right: int = w - int(w * 0.03), centre: bool = False) -> None:
        size = fnt.size
        while d.textlength(text, font=fnt) > right - x and size > 12:
            size -= 2  # long values are printed smaller to fit the card
            fnt = synth._font(font if fnt.path.find("Bold") < 0 else f"{font}-bold", size)
        if centre:
            x = int(x + (right - x - d.textlength(text, font=fnt)) / 2)
        d.text((x, y), text, font=fnt, fill=(20, 20, 20))
        lines.append(text)

    put(int(w * 0.04), int(h * 0.05), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fb, right=qr_x - 10, centre=True)
    put(int(w * 0.04), int(h * 0.12), "Độc lập - Tự do - Hạnh phúc", fb, right=qr_x - 10, centre=True)
    put(int(w * 0.04), int(h * 0.21), "CĂN CƯỚC CÔNG DÂN", big, right=qr_x - 10, centre=True)
    d.rectangle((int(w * 0.04), int(h * 0.36), int(w * 0.25), int(h * 0.76)), fill=(190, 195, 205))  # photo
    qr = cv2.QRCodeEncoder.create().encode(cccd_qr_text(idn, person.name.upper(), person.born, person.sex,
                                                          residence, issued))  # fmt: skip
    card.paste(Image.fromarray(cv2.resize(qr, (side, side), interpolation=cv2.INTER_NEAREST)).convert("RGB"),
               (qr_x, int(h * 0.04)))  # fmt: skip
    x, y, step = int(w * 0.29), int(h * 0.36), int(h * 0.058)
    put(x, y, f"Số / No.: {idn}", fb)
    put(x, y + step, "Họ và tên / Full name:")
    put(x, y + 2 * step, person.name.upper(), fb)
    put(x, y + 3 * step, f"Ngày sinh / Date of birth: {_vn(person.born)}")
    put(x, y + 4 * step, f"Giới tính / Sex: {person.sex}    Quốc tịch / Nationality: Việt Nam")
    put(x, y + 5 * step, "Quê quán / Place of origin:")
    put(x, y + 6 * step, origin)
    put(x, y + 7 * step, "Nơi thường trú / Place of residence:")
    # The residence goes on over a second line when it is long, as on the card.
    first, rest = residence, ""
    while d.textlength(first, font=f) > w * 0.68 and ", " in first:
        first, moved = first.rsplit(", ", 1)
        rest = f"{moved}, {rest}" if rest else moved
    put(x, y + 8 * step, first + ("," if rest else ""))
    if rest:
        put(x, y + 9 * step, rest)
    # Under the photo, in two lines: the label, then the date.
    put(int(w * 0.04), int(h * 0.80), "Có giá trị đến:")
    put(int(w * 0.04), int(h * 0.80) + step, _vn(expiry))
    sheet = Image.new("RGB", (synth.mm_to_px(210, dpi), synth.mm_to_px(297, dpi)), (255, 255, 255))
    angle = rng.uniform(-6, 6) if angle is None else angle
    rotated = card.rotate(angle, expand=True, fillcolor=(255, 255, 255), resample=Image.BICUBIC)
    sheet.paste(rotated, (synth.mm_to_px(rng.uniform(15, 60), dpi), synth.mm_to_px(rng.uniform(15, 40), dpi)))
    grey = np.asarray(sheet.convert("L").convert("RGB"))  # a photocopy is grey
    values = {
        "id_number": idn, "full_name": person.name.upper(), "date_of_birth": _iso(person.born), "sex": person.sex,
        "nationality": "Việt Nam", "place_of_origin": origin, "place_of_residence": residence,
        "date_of_expiry": _iso(expiry),
    }  # fmt: skip
    return FormPage("can_cuoc", grey, values, lines)


# Typed values for text fields of the generic layout, by field key.
TEXT_VALUES = {
    "relationship": ("Mẹ", "Cha", "Ông nội", "Bà ngoại"),
    "nationality": ("Việt Nam",),
    "request": ("Đăng ký thường trú", "Tách hộ", "Điều chỉnh thông tin về cư trú"),
    "parcel_number": ("125", "48", "307", "1022"),
    "map_sheet": ("12", "7", "31", "5"),
    "change_content": ("Chuyển nhượng quyền sử dụng đất", "Tặng cho quyền sử dụng đất", "Thừa kế quyền sử dụng đất"),
    "scope": ("Nộp hồ sơ và nhận kết quả đăng ký khai sinh", "Thực hiện thủ tục đăng ký biến động đất đai"),
}


def from_catalog(doc_type, rng: random.Random, dpi: int = 300, font: str = "serif") -> FormPage:
    """Any catalog document type as a plain printed form: motto, title, then each field's first label with a
    typed value, in the catalog's order. One person's ID number, birth date and sex agree, as on real papers."""
    person = fake_person(rng)
    s = _Sheet(dpi, 12.5, font)
    s.centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    s.centre("Độc lập - Tự do - Hạnh phúc")
    s.space(1.2)
    s.centre(doc_type.titles[0])
    s.space()
    values: dict[str, str] = {}
    for f in doc_type.fields:
        if f.kind == "name":
            value = fake_person(rng).name if f.key != "full_name" else person.name
        elif f.kind == "place":
            value = rng.choice(PLACES)
        elif f.kind in ("date", "expiry"):
            d = (
                person.born
                if "birth" in f.key
                else dt.date(rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28))
            )
            value = _iso(d)
        elif f.kind == "year":
            value = str(rng.randint(1960, 2000))
        elif f.kind == "sex":
            value = person.sex
        elif f.kind == "id_number":
            value = person.id_number(rng.randint(0, 999999))
        elif f.kind == "grams":
            value = str(rng.randint(25, 40) * 100)
        else:
            value = rng.choice(TEXT_VALUES.get(f.key, ("Kinh",) if "ethnicity" in f.key else ("Việt Nam",)))
        values[f.key] = value
        printed = _vn(dt.date.fromisoformat(value)) if f.kind in ("date", "expiry") else value
        s.row([(f.labels[0], printed)])
    s.space()
    s.row([("", "Tôi xin cam đoan những lời khai trên là đúng sự thật.")], leaders=False)
    return FormPage(doc_type.code, np.asarray(s.img), values, s.lines)


GENERATORS = {"to_khai_khai_sinh": to_khai_khai_sinh, "giay_chung_sinh": giay_chung_sinh, "can_cuoc": can_cuoc}


def dossier(seed: int, dpi: int = 300, catalog=None) -> list[FormPage]:
    """A birth-registration dossier whose papers agree (one birth, one requester): the tờ khai, the giấy chứng
    sinh and the requester's căn cước copy; with a
    catalog, one more paper of another of its types in turn, so that every type gets read."""
    rng = random.Random(seed)
    font = rng.choice(["serif", "sans"])
    birth = fake_birth(rng)
    requester, _, requester_id = birth.requester
    pages = [
        to_khai_khai_sinh(rng, dpi, font, birth),
        giay_chung_sinh(rng, dpi, font, birth),
        can_cuoc(rng, dpi, holder=(requester, requester_id, birth.home)),
    ]
    if catalog is not None:
        others = [t for code, t in sorted(catalog.document_types.items()) if code not in GENERATORS]
        if others:
            pages.append(from_catalog(others[seed % len(others)], rng, dpi, font))
    return pages
