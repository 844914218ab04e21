"""Generated Vietnamese pages for tests and benchmarks.

Renders A4/A3 pages of Vietnamese text with fonts that carry the full set of tone marks, then degrades them the way
counter scanners do (turned, skewed, blurred, noisy, JPEG'd, shadowed, dark scanner borders, bleed-through backs).
Every person, number and sentence here is made up.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitize.core.fonts import first_font

A4_MM = (210.0, 297.0)

# Fonts that draw every Vietnamese precomposed letter; the first one found is the default.
FONT_FILES = {
    "serif": ("LiberationSerif-Regular.ttf", "NotoSerif-Regular.ttf", "DejaVuSerif.ttf"),
    "serif-bold": ("LiberationSerif-Bold.ttf", "NotoSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    "sans": ("LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "DejaVuSans.ttf"),
    "sans-bold": ("LiberationSans-Bold.ttf", "NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "mono": ("NotoSansMono-Regular.ttf", "DejaVuSansMono.ttf", "LiberationMono-Regular.ttf"),
}

SENTENCES = (
    "Ủy ban nhân dân phường tiếp nhận hồ sơ đăng ký khai sinh của công dân theo quy định.",
    "Người yêu cầu nộp tờ khai theo mẫu và xuất trình giấy tờ tùy thân còn giá trị sử dụng.",
    "Bộ phận một cửa có trách nhiệm kiểm tra tính đầy đủ của thành phần hồ sơ trước khi tiếp nhận.",
    "Trường hợp hồ sơ chưa đầy đủ, công chức hướng dẫn người dân bổ sung một lần duy nhất.",
    "Kết quả giải quyết thủ tục hành chính được số hóa và lưu vào kho dữ liệu điện tử của công dân.",
    "Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp theo quy định của Bộ Y tế.",
    "Cha, mẹ có trách nhiệm đăng ký khai sinh cho con trong thời hạn sáu mươi ngày kể từ ngày sinh.",
    "Số định danh cá nhân gồm mười hai chữ số và được dùng để khai thác thông tin trong cơ sở dữ liệu.",
    "Thời hạn giải quyết là ngay trong ngày làm việc; nếu nhận hồ sơ sau mười lăm giờ thì trả vào hôm sau.",
    "Công dân được khai thác, sử dụng lại giấy tờ đã số hóa khi thực hiện thủ tục khác.",
    "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết đúng trình tự và thời gian quy định.",
    "Bản sao điện tử được chứng thực từ bản chính có giá trị sử dụng thay cho bản chính.",
    "Người ký xác nhận chịu trách nhiệm trước pháp luật về tính chính xác của nội dung kê khai.",
    "Phí, lệ phí được thu theo biểu mức do Hội đồng nhân dân tỉnh quyết định hằng năm.",
    "Thông tin về nơi cư trú được đối chiếu với cơ sở dữ liệu quốc gia về dân cư.",
    "Đơn vị sự nghiệp công lập phối hợp với Ủy ban nhân dân cấp xã hướng dẫn thủ tục đất đai.",
    "Hộ kinh doanh đăng ký tại cơ quan đăng ký kinh doanh cấp huyện nơi đặt địa điểm kinh doanh.",
    "Việc kết hôn phải được đăng ký và do cơ quan nhà nước có thẩm quyền thực hiện.",
    "Các bên giao dịch ký vào văn bản trước mặt người thực hiện chứng thực theo quy định.",
    "Người dân có thể tra cứu tình trạng giải quyết hồ sơ trên cổng dịch vụ công trực tuyến.",
    "Hằng tháng, văn phòng tổng hợp tỷ lệ hồ sơ được số hóa và báo cáo lãnh đạo đơn vị.",
    "Trẻ em được khai sinh với họ, chữ đệm và tên theo thỏa thuận của cha và mẹ.",
    "Quê quán của người được khai sinh được xác định theo quê quán của cha hoặc của mẹ.",
    "Chuyên viên kiểm tra thông tin trích xuất, chỉnh sửa sai sót rồi phê duyệt tài liệu.",
    "Đăng ký thường trú được thực hiện tại cơ quan công an cấp xã nơi công dân cư trú.",
    "Giấy ủy quyền ghi rõ phạm vi, thời hạn ủy quyền và thông tin của các bên liên quan.",
    "Biên nhận hồ sơ ghi mã hồ sơ, ngày hẹn trả kết quả và mã QR để tra cứu tiến độ.",
    "Những trang trắng ở mặt sau được nhận diện tự động và loại khỏi bản sao điện tử.",
    "Tổ dân phố số bảy, khu phố Hòa Khánh, quận Liên Chiểu, thành phố Đà Nẵng.",
    "Xã Nghĩa Đồng, huyện Tân Kỳ, tỉnh Nghệ An; thôn Phú Thượng, xã Quỳnh Lưu.",
)

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quốc", "Thanh", "Hữu", "Bảo", "Gia", "Khánh")
GIVEN = (
    "Anh",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hương",
    "Khoa",
    "Linh",
    "Lộc",
    "Mai",
    "Nam",
    "Ngân",
    "Phúc",
    "Quỳnh",
    "Sơn",
    "Thảo",
    "Trí",
    "Tuấn",
    "Uyên",
    "Việt",
    "Xuân",
    "Yến",
    "Đạt",
    "Ánh",
)


def fake_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def font_path(kind: str = "serif") -> str:
    found = first_font(FONT_FILES[kind])
    if found is None:
        raise FileNotFoundError(
            f"no font with Vietnamese glyphs for {kind!r}; install fonts-liberation2 or fonts-dejavu-core"
        )
    return str(found)


@lru_cache(maxsize=64)
def _font(kind: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(kind), px)


def mm_to_px(mm: float, dpi: int) -> int:
    return int(round(mm / 25.4 * dpi))


@dataclass
class RenderedPage:
    """An upright page and the text printed on it, line by line in reading order."""

    image: np.ndarray  # H x W x 3 uint8 RGB
    dpi: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        trial = f"{cur} {w}".strip()
        if draw.textlength(trial, font=font) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def render_page(
    seed: int = 0,
    dpi: int = 300,
    font: str = "serif",
    pt: float = 13.0,
    paragraphs: int = 6,
    header: bool = True,
    size_mm: tuple[float, float] = A4_MM,
    sentences: tuple[str, ...] | list[str] = SENTENCES,
) -> RenderedPage:
    """A portrait page: optional two-column official header, a title, then justified-left paragraphs."""
    rng = random.Random(seed)
    w, h = mm_to_px(size_mm[0], dpi), mm_to_px(size_mm[1], dpi)
    img = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    px = max(8, int(round(pt / 72 * dpi)))
    body = _font(font, px)
    bold = _font(f"{font.split('-')[0]}-bold", px)
    margin_l, margin_r, top = mm_to_px(30, dpi), mm_to_px(20, dpi), mm_to_px(20, dpi)
    line_h = int(px * 1.5)
    lines: list[str] = []
    y = top
    if header:
        # Two columns read column by column: agency first, then the national motto.
        col_w = (w - margin_l - margin_r) // 2
        left = ["ỦY BAN NHÂN DÂN", f"PHƯỜNG {rng.choice(('HÒA KHÁNH', 'LIÊN CHIỂU', 'THẠC GIÁN', 'AN HẢI'))}"]
        right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        small = _font(f"{font.split('-')[0]}-bold", int(px * 0.9))
        for i, t in enumerate(left):
            tw = draw.textlength(t, font=small)
            draw.text((margin_l + (col_w - tw) / 2, y + i * line_h), t, font=small, fill=(0, 0, 0))
        for i, t in enumerate(right):
            tw = draw.textlength(t, font=small)
            draw.text((margin_l + col_w + (col_w - tw) / 2, y + i * line_h), t, font=small, fill=(0, 0, 0))
        lines += left + right
        y += 3 * line_h
        title = rng.choice(("THÔNG BÁO", "TỜ TRÌNH", "BIÊN BẢN", "GIẤY MỜI"))
        tw = draw.textlength(title, font=bold)
        draw.text(((w - tw) / 2, y), title, font=bold, fill=(0, 0, 0))
        lines.append(title)
        y += 2 * line_h
    text_w = w - margin_l - margin_r
    for _ in range(paragraphs):
        para = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.5:
            para += f" Người liên hệ: {fake_name(rng)}, điện thoại 09{rng.randint(10000000, 99999999)}."
        for ln in _wrap(draw, para, body, text_w):
            if y + line_h > h - top:
                break
            draw.text((margin_l, y), ln, font=body, fill=(0, 0, 0))
            lines.append(ln)
            y += line_h
        y += line_h // 2
    return RenderedPage(np.asarray(img), dpi, lines)


def a3_spread(left: RenderedPage, right: RenderedPage, gutter_shadow: bool = True) -> np.ndarray:
    """Two A4 pages side by side as an A3 landscape scan, with a darker fold in the gutter."""
    spread = np.concatenate([left.image, right.image], axis=1).copy()
    if gutter_shadow:
        mid, half = spread.shape[1] // 2, max(4, spread.shape[1] // 200)
        ramp = np.abs(np.linspace(-1, 1, 2 * half))[None, :, None]
        spread[:, mid - half : mid + half] = (spread[:, mid - half : mid + half] * (0.55 + 0.45 * ramp)).astype(
            np.uint8
        )
    return spread


# --- degradations: each takes and returns an RGB uint8 array --------------------------------------------------


def turn(img: np.ndarray, rotation: int) -> np.ndarray:
    """The scan of an upright page whose content ends up turned `rotation` degrees clockwise."""
    return np.ascontiguousarray(np.rot90(img, k=-(rotation // 90)))


def skew(img: np.ndarray, deg: float, fill: int = 255, expand: bool = True) -> np.ndarray:
    """Rotate by `deg` (positive counter-clockwise, OpenCV's sense), keeping the whole page, or, with
    expand=False, keeping the scan's frame as a flatbed does (the page's corners fall outside)."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = (int(h * sin + w * cos), int(h * cos + w * sin)) if expand else (w, h)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(fill, fill, fill))


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma)


def noise(img: np.ndarray, sd: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(img.astype(np.int16) + rng.normal(0, sd, img.shape).astype(np.int16), 0, 255).astype(np.uint8)


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)[:, :, ::-1].copy()


def shadow(img: np.ndarray, strength: float = 0.35) -> np.ndarray:
    """A soft shadow darkening one side, as from a book spine or a lifted lid."""
    w = img.shape[1]
    ramp = 1.0 - strength * np.clip(1.0 - np.linspace(0, 3, w), 0, 1)
    return (img * ramp[None, :, None]).astype(np.uint8)


def dark_border(img: np.ndarray, px: int, level: int = 25, seed: int = 0) -> np.ndarray:
    """The page lying on a dark scanner bed, offset so the borders differ on each side."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    top, left = int(px * rng.uniform(0.5, 1.5)), int(px * rng.uniform(0.5, 1.5))
    out = np.full((h + 2 * px, w + 2 * px, 3), level, np.uint8)
    out = noise(out, 6, seed)
    out[top : top + h, left : left + w] = img
    return out


def tint(img: np.ndarray, rgb: tuple[int, int, int] = (250, 244, 228)) -> np.ndarray:
    """Coloured paper: white becomes `rgb`, ink stays dark."""
    return (img.astype(np.float32) * (np.array(rgb, np.float32) / 255.0)).astype(np.uint8)


def blank_back(front: RenderedPage, bleed: float = 0.06, seed: int = 0) -> np.ndarray:
    """The back side of a duplex scan: empty paper with the front's ink faintly showing through, mirrored."""
    mirrored = front.image[:, ::-1].astype(np.float32)
    paper = 255.0 - (255.0 - mirrored) * bleed
    return noise(blur(paper.astype(np.uint8), 2.0), 2.5, seed)


def encode(img: np.ndarray, fmt: str = "png", dpi: int = 300, quality: int = 90) -> bytes:
    """Image bytes as a scanner writes them, with the resolution recorded in the file."""
    buf = io.BytesIO()
    pil = Image.fromarray(img)
    if fmt == "jpeg":
        pil.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
    elif fmt == "tiff":
        pil.save(buf, "TIFF", dpi=(dpi, dpi), compression="tiff_lzw")
    else:
        pil.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def images_to_pdf(images: list[np.ndarray], dpi: int = 300, quality: int = 85) -> bytes:
    """A scanner-style PDF: one JPEG image per page at `dpi`."""
    pils = [Image.fromarray(i) for i in images]
    buf = io.BytesIO()
    pils[0].save(buf, "PDF", resolution=float(dpi), save_all=True, append_images=pils[1:], quality=quality)
    return buf.getvalue()


def images_to_tiff(images: list[np.ndarray], dpi: int = 300) -> bytes:
    pils = [Image.fromarray(i) for i in images]
    buf = io.BytesIO()
    pils[0].save(buf, "TIFF", save_all=True, append_images=pils[1:], dpi=(dpi, dpi), compression="tiff_lzw")
    return buf.getvalue()


# --- phone photos -------------------------------------------------------------------------------------------------


@dataclass
class Photo:
    """A page photographed lying on something, and where its corners ended up."""

    image: np.ndarray  # H x W x 3 uint8 RGB; like a phone's picture, it says nothing of a resolution
    corners: np.ndarray  # 4 x 2 float32 (x, y): the page's top-left, top-right, bottom-right, bottom-left


PHOTO_BACKGROUNDS = ("wood", "dark", "noisy")


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cell: int, channels: int = 1) -> np.ndarray:
    """Noise in -1..1 that varies over about `cell` pixels."""
    n = rng.uniform(-1, 1, (h // cell + 2, w // cell + 2, channels)).astype(np.float32)
    out = cv2.resize(n, (w, h), interpolation=cv2.INTER_CUBIC)
    return out.reshape(h, w, channels)


def _surface(kind: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """What the page lies on: a wooden table, a dark cloth or desk, or a busy mid-toned pattern."""
    if kind == "wood":
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        angle = rng.uniform(0, np.pi)
        along = xs * np.cos(angle) + ys * np.sin(angle)
        warp = _smooth_noise(rng, h, w, max(8, min(h, w) // 6))[..., 0] * rng.uniform(20, 60)
        grain = 0.5 + 0.5 * np.sin(2 * np.pi * (along + warp) / rng.uniform(12, 40))
        base = np.array([rng.uniform(120, 175), rng.uniform(75, 115), rng.uniform(40, 70)], np.float32)
        img = base * (0.75 + 0.3 * grain[..., None])
    elif kind == "dark":
        img = np.full((h, w, 3), rng.uniform(15, 55), np.float32) + rng.uniform(-8, 8, 3).astype(np.float32)
        img = img * (1 + 0.25 * _smooth_noise(rng, h, w, max(8, min(h, w) // 4)))
    else:
        img = 110 + 45 * _smooth_noise(rng, h, w, 6, 3) + 35 * _smooth_noise(rng, h, w, 40, 3)
    img += rng.normal(0, 4, (h, w, 3)).astype(np.float32)
    return np.clip(img, 0, 255)


def _lighting(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """Light falling off across the picture and a soft shadow (a hand, a phone) over part of it: H x W gains."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    along = (xs - w / 2) * np.cos(angle) + (ys - h / 2) * np.sin(angle)
    along /= np.abs(along).max()
    gain = 1.0 - rng.uniform(0.1, 0.3) * (along + 1) / 2
    # The shadow's edge: a straight line through a random point of the middle, softened over a few percent.
    px, py, edge = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h, rng.uniform(0, 2 * np.pi)
    side = (xs - px) * np.cos(edge) + (ys - py) * np.sin(edge)
    soft = rng.uniform(0.01, 0.04) * np.hypot(h, w)
    shade = 1.0 - rng.uniform(0.25, 0.45) / (1 + np.exp(-side / soft))
    return gain * shade


def _camera_view(
    pw: float, ph: float, centre: np.ndarray, size: tuple[int, int], rng: np.random.Generator, tilt: float | None
) -> np.ndarray:
    """Corners of a pw x ph sheet centred on `centre` of a picture of `size` (w, h), seen by a pinhole camera
    (focal length 0.8–1.3 times the picture's long side, as phones have; its axis through the picture's middle)
    tilted from the sheet's normal: each corner lands 3–12 % of the sheet's size (or about `tilt`) away from
    where a square-on view would put it."""
    half = np.array([[-pw, -ph, 0], [pw, -ph, 0], [pw, ph, 0], [-pw, ph, 0]], np.float64) / 2
    square_on = half[:, :2] + centre
    lo, hi = (0.03, 0.12) if tilt is None else (0.8 * tilt, 1.2 * tilt)
    f = rng.uniform(0.8, 1.3) * max(size)
    middle = np.array(size, np.float64) / 2
    shift = np.append(centre - middle, 0.0)  # the sheet's centre off the camera's axis, at distance f
    for _ in range(200):
        rx, ry = np.radians(rng.uniform(-30, 30, 2))
        rz = np.radians(rng.uniform(-6, 6))
        cx, sx, cy, sy, cz, sz = np.cos(rx), np.sin(rx), np.cos(ry), np.sin(ry), np.cos(rz), np.sin(rz)
        rot = (
            np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
            @ np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
            @ np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
        )
        p = half @ rot.T + shift + [0, 0, f]  # at distance f a square-on sheet is pw x ph pixels
        seen = f * p[:, :2] / p[:, 2:3] + middle
        moved = np.linalg.norm((seen - square_on) / [pw, ph], axis=1)
        if lo <= moved.min() and moved.max() <= hi:
            return seen.astype(np.float32)
    return square_on.astype(np.float32)


def photograph(
    img: np.ndarray,
    rng: np.random.Generator | int,
    background: str | None = None,
    megapixels: float | None = None,
    tilt: float | None = None,
) -> Photo:
    """A phone picture of the page `img`: shrunk onto a larger surface (wood, dark or busy), seen at an angle
    (each corner 3–12 % of the page's size from a square-on view, or about `tilt`), lit unevenly with a soft
    shadow, slightly out of focus, noisy and JPEG'd, 1–3 megapixels in 4:3 (or `megapixels`)."""
    rng = np.random.default_rng(rng)
    kind = background or str(rng.choice(PHOTO_BACKGROUNDS))
    h, w = img.shape[:2]
    mp = megapixels or rng.uniform(1.0, 3.0)
    long_side = int(round(np.sqrt(mp * 1e6 * 4 / 3)))
    short_side = int(round(long_side * 3 / 4))
    out_h, out_w = (long_side, short_side) if h >= w else (short_side, long_side)

    scale = rng.uniform(0.6, 0.78) * min(out_h / h, out_w / w)
    pw, ph = w * scale, h * scale
    centre = np.array([out_w / 2 + rng.uniform(-0.04, 0.04) * out_w, out_h / 2 + rng.uniform(-0.04, 0.04) * out_h])
    corners = _camera_view(pw, ph, centre, (out_w, out_h), rng, tilt)
    corners[:, 0] = np.clip(corners[:, 0], 2, out_w - 3)
    corners[:, 1] = np.clip(corners[:, 1], 2, out_h - 3)

    # Shrink first (area averaging) so the perspective warp does not alias the text.
    small = cv2.resize(img, (int(round(pw)), int(round(ph))), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape[:2]
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners)
    page = cv2.warpPerspective(small, m, (out_w, out_h), flags=cv2.INTER_LINEAR).astype(np.float32)
    alpha = cv2.warpPerspective(np.full((sh, sw), 1.0, np.float32), m, (out_w, out_h), flags=cv2.INTER_LINEAR)
    scene = _surface(kind, out_h, out_w, rng) * (1 - alpha[..., None]) + page * alpha[..., None]
    scene *= _lighting(out_h, out_w, rng)[..., None]
    scene = cv2.GaussianBlur(scene, (0, 0), rng.uniform(0.4, 0.9))
    scene += rng.normal(0, rng.uniform(2, 5), scene.shape).astype(np.float32)
    out = jpeg(np.clip(scene, 0, 255).astype(np.uint8), int(rng.integers(70, 92)))
    return Photo(out, corners)
