"""Intake: tell what an uploaded file is by its content, check it against the limits, list its pages, and decode
one page at a time.

Inspection reads headers only (PDF structure with pypdf, image headers with Pillow), so a 200-page PDF is
listed in milliseconds; pages are decoded later, one by one, in the workers.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from digitize.core.errors import IntakeError
from digitize.core.text import is_control

A4 = (210.0, 297.0)
A3 = (297.0, 420.0)

# Pillow's own bomb guard is replaced by our pixel budget, checked from headers before decoding.
Image.MAX_IMAGE_PIXELS = None


WORK_PIXELS = 40_000_000  # a page larger is decoded shrunk: an A3 page at 450 dpi, an A4 at 640 dpi


@dataclass
class Limits:
    max_pages: int = 200
    max_page_pixels: int = 120_000_000
    default_dpi: int = 300


@dataclass
class PageRef:
    """Where one scanned page lives in an uploaded file, and what its header says about it."""

    file_name: str
    kind: str  # pdf | tiff | jpeg | png
    number: int  # 1-based page number inside the file
    dpi: int
    width_px: int
    height_px: int
    paper: str
    warnings: list[str] = field(default_factory=list)
    # Degrees clockwise an officer turned the page by hand (rotation at the counter): the page is loaded turned so,
    # and its orientation is not guessed again. None: the pipeline finds it.
    turn: int | None = None

    @property
    def label(self) -> str:
        return f"{self.file_name}#{self.number}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> PageRef:
        return cls(**d)


def sniff(data: bytes) -> str:
    """The file's type from its first bytes; the name the user gave it does not count."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return "unknown"


def paper_size(width_px: int, height_px: int, dpi: int) -> str:
    """A4, A3 or other, from the pixel size and resolution, whichever way the sheet lies."""
    short, long_ = sorted((width_px / dpi * 25.4, height_px / dpi * 25.4))
    for name, (w, h) in (("A4", A4), ("A3", A3)):
        # 4%: an ADF's trimmed A4 still counts, US Letter (216 x 279 mm) does not.
        if abs(short - w) <= 0.04 * w and abs(long_ - h) <= 0.04 * h:
            return name
    return "other"


def guess_dpi(width_px: int, height_px: int) -> int:
    """Resolution of an image that does not record one, assuming it is an A4 (or A3) sheet."""
    short, long_ = sorted((width_px, height_px))
    ratio = long_ / max(short, 1)
    if 1.3 <= ratio <= 1.52:
        return max(1, int(round(short / (A4[0] / 25.4))))
    return 300


def dpi_warnings(dpi: int) -> list[str]:
    if dpi < 150:
        return ["dpi_below_150", "dpi_below_200"]
    if dpi < 200:
        return ["dpi_below_200"]
    return []


def file_name(name: str | None) -> str:
    """The name a file is kept under: its last part, without control characters (a NUL in a name made
    PostgreSQL refuse the record: a 500), or "upload"."""
    clean = "".join(ch for ch in (name or "") if not is_control(ch))
    return Path(clean.replace("\\", "/")).name.strip() or "upload"


def empty_file(name: str) -> IntakeError:
    return IntakeError("empty_file", f"{name} is empty", f"Tệp {name} rỗng, không có dữ liệu.")


def file_too_large(name: str, limit: int) -> IntakeError:
    return IntakeError(
        "file_too_large",
        f"{name} is over the limit of {limit:,} bytes",
        f"Tệp {name} quá lớn, vượt giới hạn cho phép.",
        status=413,
    )


def _bomb(name: str, number: int, pixels: int, limits: Limits) -> IntakeError:
    return IntakeError(
        "too_many_pixels",
        f"{name} page {number} has {pixels:,} pixels, over the limit of {limits.max_page_pixels:,}",
        f"Trang {number} của tệp {name} quá lớn ({pixels:,} điểm ảnh), vượt giới hạn cho phép.",
        status=413,
        page=number,
    )


def _too_many_pages(name: str, pages: int, limits: Limits) -> IntakeError:
    return IntakeError(
        "too_many_pages",
        f"{name} has {pages} pages, over the limit of {limits.max_pages}",
        f"Tệp {name} có {pages} trang, vượt quá giới hạn {limits.max_pages} trang.",
        status=413,
        pages=pages,
    )


def inspect(data: bytes, name: str, limits: Limits | None = None) -> list[PageRef]:
    """The pages of an uploaded file, or an IntakeError saying why it cannot be read."""
    limits = limits or Limits()
    if not data:
        raise empty_file(name)
    kind = sniff(data)
    if kind == "pdf":
        return _inspect_pdf(data, name, limits)
    if kind in ("tiff", "jpeg", "png"):
        return _inspect_image(data, name, kind, limits)
    raise IntakeError(
        "unsupported_type",
        f"{name} is not a PDF, TIFF, JPEG or PNG file (checked by content)",
        f"Tệp {name} không phải PDF, TIFF, JPEG hay PNG; chỉ nhận bản quét ở các định dạng này.",
        status=415,
    )


def _largest_image_px(page) -> tuple[int, int] | None:
    """Pixel size of the biggest image drawn on a PDF page, read from the XObject dictionaries only."""
    best = None
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
    except (KeyError, AttributeError):
        return None
    if not xobjects:
        return None
    for ref in xobjects.get_object().values():
        obj = ref.get_object()
        if obj.get("/Subtype") != "/Image":
            continue
        w, h = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
        if best is None or w * h > best[0] * best[1]:
            best = (w, h)
    return best


def _inspect_pdf(data: bytes, name: str, limits: Limits) -> list[PageRef]:
    if b"%%EOF" not in data[-2048:]:
        raise IntakeError(
            "truncated_pdf",
            f"{name} is cut short: the PDF has no end-of-file marker (an interrupted upload or scan?)",
            f"Tệp PDF {name} bị cắt cụt (thiếu phần cuối tệp); đề nghị quét hoặc tải lên lại.",
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IntakeError(
                "encrypted_pdf",
                f"{name} is encrypted with a password",
                f"Tệp PDF {name} được đặt mật khẩu; đề nghị gỡ mật khẩu rồi tải lên lại.",
            )
        count = len(reader.pages)
    except IntakeError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise IntakeError(
            "corrupt_pdf",
            f"{name} is not a readable PDF: {type(exc).__name__}: {exc}"[:300],
            f"Tệp PDF {name} bị hỏng, không đọc được.",
        ) from exc
    if count == 0:
        raise IntakeError("corrupt_pdf", f"{name} has no pages", f"Tệp PDF {name} không có trang nào.")
    if count > limits.max_pages:
        raise _too_many_pages(name, count, limits)
    pages = []
    for i, page in enumerate(reader.pages, start=1):
        try:
            box = page.mediabox
            unit = float(page.get("/UserUnit", 1.0))
            w_in, h_in = float(box.width) * unit / 72, float(box.height) * unit / 72
            if (int(page.get("/Rotate", 0) or 0) // 90) % 2:
                w_in, h_in = h_in, w_in
            img = _largest_image_px(page)
        except (PdfReadError, ValueError, TypeError, KeyError) as exc:
            raise IntakeError(
                "corrupt_pdf",
                f"{name} page {i} cannot be read: {exc}"[:300],
                f"Trang {i} của tệp PDF {name} bị hỏng.",
                page=i,
            ) from exc
        if w_in <= 0 or h_in <= 0:
            raise IntakeError("corrupt_pdf", f"{name} page {i} has no size", f"Trang {i} của {name} bị hỏng.")
        dpi = limits.default_dpi
        if img:
            # A scan: render at the resolution it was scanned at, so no detail is invented or lost.
            dpi = int(round(max(img) / max(w_in, h_in)))
            dpi = max(50, min(dpi, 600))
        wpx, hpx = int(round(w_in * dpi)), int(round(h_in * dpi))
        if wpx * hpx > limits.max_page_pixels:
            raise _bomb(name, i, wpx * hpx, limits)
        pages.append(PageRef(name, "pdf", i, dpi, wpx, hpx, paper_size(wpx, hpx, dpi), dpi_warnings(dpi)))
    return pages


def _image_dpi(im: Image.Image) -> int | None:
    dpi = im.info.get("dpi")
    if not dpi:
        return None
    try:
        value = int(round(float(dpi[0])))
    except (TypeError, ValueError, IndexError):
        return None
    # Files that store 1 or 72 "dpi" mean "not recorded".
    return value if value > 72 else None


def _check_tail(data: bytes, name: str, kind: str) -> None:
    tail = data[-64:]
    complete = {"png": b"IEND" in tail, "jpeg": b"\xff\xd9" in data[-4096:]}.get(kind, True)
    if not complete:
        raise IntakeError(
            "truncated_image",
            f"{name} is cut short: the {kind.upper()} file has no end marker",
            f"Tệp ảnh {name} bị cắt cụt; đề nghị quét hoặc tải lên lại.",
        )


def _inspect_image(data: bytes, name: str, kind: str, limits: Limits) -> list[PageRef]:
    _check_tail(data, name, kind)
    try:
        im = Image.open(io.BytesIO(data))
        frames = getattr(im, "n_frames", 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise IntakeError(
            "corrupt_image",
            f"{name} is not a readable {kind.upper()} image: {exc}"[:300],
            f"Tệp ảnh {name} bị hỏng, không đọc được.",
        ) from exc
    if frames > limits.max_pages:
        raise _too_many_pages(name, frames, limits)
    pages = []
    for i in range(frames):
        try:
            im.seek(i)
        except (EOFError, OSError) as exc:
            raise IntakeError(
                "corrupt_image", f"{name} page {i + 1} cannot be read", f"Trang {i + 1} của tệp {name} bị hỏng."
            ) from exc
        w, h = im.size
        if w * h > limits.max_page_pixels:
            raise _bomb(name, i + 1, w * h, limits)
        dpi = _image_dpi(im)
        warnings = []
        if dpi is None:
            dpi = guess_dpi(w, h)
            warnings.append("dpi_unknown")
        pages.append(PageRef(name, kind, i + 1, dpi, w, h, paper_size(w, h, dpi), warnings + dpi_warnings(dpi)))
    if kind in ("jpeg", "png"):
        # One page: decoding it now turns a damaged file into a clear refusal at upload, not a failed job.
        try:
            im.seek(0)
            im.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise IntakeError(
                "corrupt_image",
                f"{name} cannot be decoded: {exc}"[:300],
                f"Tệp ảnh {name} bị hỏng, không giải mã được.",
            ) from exc
    return pages


def _to_rgb(im: Image.Image) -> np.ndarray:
    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    return np.asarray(im.convert("RGB"))


# A scanner's PDF page: one image stretched over the page, `q W 0 0 H X Y cm /Name Do Q`.
_FULL_PAGE_IMAGE = re.compile(rb"^q\s+([\d.]+)\s+0\s+0\s+([\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+cm\s+/(\S+)\s+Do\s+Q$")


def _embedded_jpeg(path: str | Path, number: int) -> np.ndarray | None:
    """The page's JPEG decoded as it is, when the page is nothing but that JPEG drawn upright over the page.

    Rendering through poppler decodes the same JPEG and resamples it, several times slower; anything less plain
    than this (rotation, masks, several images, CMYK, a page transform) goes through poppler.
    """
    try:
        page = PdfReader(str(path), strict=False).pages[number - 1]
        if int(page.get("/Rotate", 0) or 0) % 360:
            return None
        m = _FULL_PAGE_IMAGE.match(page.get_contents().get_data().strip())
        if not m:
            return None
        xobj = page["/Resources"].get_object()["/XObject"].get_object()["/" + m.group(5).decode()]
        img = xobj.get_object()
        filters = img.get("/Filter")
        filters = list(filters) if isinstance(filters, list) else [filters]
        if (
            filters != ["/DCTDecode"]
            or img.get("/ColorSpace") not in ("/DeviceRGB", "/DeviceGray")
            or any(k in img for k in ("/SMask", "/Mask", "/Decode"))
        ):
            return None
        box = page.mediabox
        w, h, x, y = (float(v) for v in m.groups()[:4])
        if abs(w - float(box.width)) > 1 or abs(h - float(box.height)) > 1 or abs(x - float(box.left)) > 1:
            return None
        if abs(y - float(box.bottom)) > 1:
            return None
        data = img.get_data()
        if not data.startswith(b"\xff\xd8"):
            return None
        flags = cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION  # PDF viewers ignore EXIF, so do we
        bgr = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
        if bgr is None or bgr.shape[1] != int(img["/Width"]) or bgr.shape[0] != int(img["/Height"]):
            return None
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    except Exception:  # any surprise in the file: poppler knows better
        return None


def reduction(ref: PageRef) -> int:
    """By how much a page is shrunk as it is decoded: 1, or the whole factor that brings it under WORK_PIXELS.
    A 110-megapixel scan decoded whole peaked at 1.5 GB in a worker (0.9 GB so); text reads as well at half
    of 600 dpi."""
    pixels = ref.width_px * ref.height_px
    return 1 if pixels <= WORK_PIXELS else math.ceil(math.sqrt(pixels / WORK_PIXELS))


def load_page(path: str | Path, ref: PageRef) -> np.ndarray:
    """Decode one page as an RGB array (turned as an officer said, if they did), PDFs at the page's own scan
    resolution, a page past WORK_PIXELS shrunk while it is decoded (`reduction`: the caller reads the resolution
    off the array's size)."""
    rgb = _decode_page(path, ref)
    k = -((ref.turn or 0) // 90) % 4  # numpy turns anticlockwise
    return np.ascontiguousarray(np.rot90(rgb, k=k)) if k else rgb


def _decode_page(path: str | Path, ref: PageRef) -> np.ndarray:
    shrink = reduction(ref)
    if ref.kind == "pdf":
        direct = _embedded_jpeg(path, ref.number) if shrink == 1 else None
        if direct is not None:
            return direct
        # pdftoppm writes a PPM on stdout: no temporary files, and poppler's errors come back as text.
        proc = subprocess.run(
            ["pdftoppm", "-r", str(max(1, ref.dpi // shrink)), "-f", str(ref.number), "-l", str(ref.number), str(path)],
            capture_output=True,
            timeout=300,
        )
        if proc.returncode != 0 or not proc.stdout:
            raise IntakeError(
                "page_unreadable",
                f"{ref.label} cannot be rendered: {proc.stderr.decode(errors='replace').strip()[:200]}",
                f"Không hiển thị được trang {ref.number} của tệp {ref.file_name}.",
            )
        with Image.open(io.BytesIO(proc.stdout)) as im:
            return _to_rgb(im)
    with Image.open(path) as im:
        im.seek(ref.number - 1)
        if shrink > 1:
            im.draft("RGB", (im.width // shrink, im.height // shrink))  # a JPEG decodes at 1/2, 1/4 or 1/8
            rest = reduction(replace(ref, width_px=im.width, height_px=im.height))
            return _to_rgb(im.reduce(rest) if rest > 1 else im)
        return _to_rgb(im)
