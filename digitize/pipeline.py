"""The journey of one scanned page: decode → cleanup → OCR preparation → OCR → searchable page.

`process_scan` is a pure function of a file path and a page reference, so it runs the same in a local process
pool, in a Celery worker, or inline in a test. It never raises for a bad page: the failure comes back as data.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import threading
import time
import traceback
import zipfile
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np

from ocr import pdf as ocr_pdf
from ocr.prep import prepare_for_ocr
from ocr.tesseract import OcrPage, Word, ocr_image, osd_rotation

from .cards import UPSCALE, blank_out, find_cards, find_qr
from .cleanup import CleanPage, Orientation, clean_scan, estimate_skew, rotate_quarter, strip_frame, to_gray, work_mask
from .errors import DigitizeError
from .intake import PageRef, load_page, paper_size

LITTLE_TEXT_CHARS = 20


@dataclass
class PageOutput:
    part: int
    paper: str
    dpi: int
    rotation: int
    skew_deg: float
    blank: bool
    blur_px: float
    colour: bool
    width_px: int
    height_px: int
    warnings: list[str]
    text: str
    confidence: float
    words: list[dict]
    qr: list[str] = field(default_factory=list)  # decoded QR codes (a chip card's holds its holder's data)
    clean_jpg: bytes = b""
    thumb_jpg: bytes = b""
    pdf: bytes = b""  # the searchable one-page PDF; empty for blank pages

    def meta(self) -> dict:
        d = asdict(self)
        for k in ("clean_jpg", "thumb_jpg", "pdf", "words", "qr"):
            d.pop(k)
        return d


@dataclass
class ScanOutput:
    pages: list[PageOutput] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    reason: str | None = None


BINARY_PARTS = ("clean_jpg", "thumb_jpg", "pdf")


def pack_output(out: ScanOutput) -> bytes:
    """A scan's output as one zip: JSON for the data, the images and PDF as members. How a worker hands what it
    read to whoever numbers the dossier's pages (no pickle: the bytes live in the object store)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:  # JPEG and PDF are compressed already
        pages = []
        for i, p in enumerate(out.pages):
            d = asdict(p)
            for k in BINARY_PARTS:
                z.writestr(f"{i}/{k}", d.pop(k))
            pages.append(d)
        z.writestr("scan.json", json.dumps({"pages": pages, "timings": out.timings, "error": out.error,
                                            "reason": out.reason}, ensure_ascii=False))  # fmt: skip
    return buf.getvalue()


def unpack_output(data: bytes) -> ScanOutput:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        d = json.loads(z.read("scan.json"))
        pages = [PageOutput(**p, **{k: z.read(f"{i}/{k}") for k in BINARY_PARTS}) for i, p in enumerate(d["pages"])]
    return ScanOutput(pages=pages, timings=d["timings"], error=d["error"], reason=d["reason"])


class Timer:
    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    def __call__(self, stage: str):
        timer = self

        class _Stage:
            def __enter__(self):
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                timer.ms[stage] = timer.ms.get(stage, 0.0) + (time.perf_counter() - self.t) * 1000

        return _Stage()


def encode_jpeg(img: np.ndarray, quality: int = 90) -> bytes:
    """JPEG: a lossless PNG of a 300-dpi colour page costs more time than cleanup and is ten times larger."""
    bgr = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def thumbnail(img: np.ndarray, width: int = 240) -> bytes:
    h, w = img.shape[:2]
    return encode_jpeg(cv2.resize(img, (width, max(1, int(h * width / w))), interpolation=cv2.INTER_AREA), 80)


def worker_init() -> None:
    """Set up a page worker process.

    One OpenCV thread per worker: the pool already uses every core, more threads only contend. And the worker
    leaves when the process it works for is gone: a server or run killed hard would otherwise leave its workers
    (and their fork server) waiting for work forever.
    """
    cv2.setNumThreads(1)
    parent = multiprocessing.parent_process()  # the process that asked for the worker, not the fork server
    if parent is not None:

        def leave_with_parent() -> None:
            parent.join()
            os._exit(0)

        threading.Thread(target=leave_with_parent, daemon=True, name="orphan-watch").start()


def read_cards(gray: np.ndarray, dpi: int, lang: str) -> tuple[list[Word], str, list[str]]:
    """Words of the ID cards on a page, read from straightened, enlarged crops and placed back on the page, and
    the cards' QR codes. Only card crops are searched for QR codes: on a whole page the search costs a tenth
    of the page's time and finds nothing on ordinary papers."""
    words: list[Word] = []
    texts, qr = [], []
    for n, card in enumerate(find_cards(gray, dpi)):
        payloads, corners = find_qr(card.image)
        qr += payloads
        image = blank_out(card.image, corners) if corners else card.image
        got = ocr_image(prepare_for_ocr(image, int(dpi * UPSCALE)), int(dpi * UPSCALE), lang=lang, want_pdf=False)
        for w in got.words:
            box = card.box_to_page(list(w.box))
            words.append(Word(w.text, w.conf, (box[0], box[1], box[2], box[3]), 1000 * (n + 1) + w.block, w.par,
                              w.line))  # fmt: skip
        texts.append(got.text)
    return words, "\n\n".join(texts), qr


def _card_upside_down(gray: np.ndarray, dpi: int, lang: str) -> bool:
    """Whether the page's first ID card reads better turned over: a card is too small a part of its page for the
    line-shape measure of up and down, and OSD often declines it too."""
    found = find_cards(gray, dpi)
    if not found:
        return False
    crop, cdpi = found[0].image, int(dpi * UPSCALE)
    upright = ocr_image(prepare_for_ocr(crop, cdpi), cdpi, lang=lang, want_pdf=False)
    turned = np.ascontiguousarray(crop[::-1, ::-1])
    over = ocr_image(prepare_for_ocr(turned, cdpi), cdpi, lang=lang, want_pdf=False)
    return over.confidence > upright.confidence + 0.1


def _orientation_from_osd(rgb: np.ndarray, dpi: int) -> Orientation | None:
    """Tesseract OSD as a second opinion, only for pages whose line shapes left up and down undecided."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
    got = osd_rotation(gray, dpi)
    if got is None or got[1] < 1.5:
        return None
    # OSD's "Rotate" is the clockwise turn that corrects the page; ours is the turn the content suffered.
    rotation = (360 - got[0]) % 360
    return Orientation(rotation=rotation, skew_deg=0.0, confident=True)


def finish_page(page: CleanPage, part: int, dpi: int, lang: str, timer: Timer, split: bool) -> PageOutput:
    h, w = page.gray.shape[:2]
    colour = ocr_pdf.is_colour(page.color)
    warnings = list(page.warnings)
    if split:
        warnings.append("split_from_a3")
    ocr = OcrPage()
    pdf = b""
    qr: list[str] = []
    if not page.blank:
        with timer("prep"):
            ocr_input = prepare_for_ocr(page.gray, dpi)
        with timer("ocr"):
            ocr = ocr_image(ocr_input, dpi, lang=lang)
        with timer("cards"):
            card_words, card_text, qr = read_cards(page.gray, dpi, lang)
        if card_words:
            # A photocopied card: its enlarged crop reads far better than the page; the page's own OCR still
            # gives the PDF its text layer.
            ocr.words, ocr.text = card_words, card_text
        if len(ocr.text) < LITTLE_TEXT_CHARS:
            warnings.append("little_text")
        with timer("pdf"):
            pdf = ocr_pdf.searchable_page(page.color if colour else page.gray, dpi, ocr.text_pdf)
    with timer("encode"):
        shown = page.color if colour else page.gray
        clean_jpg = encode_jpeg(shown)
        thumb = thumbnail(shown)
    return PageOutput(
        part=part,
        paper=paper_size(w, h, dpi),
        dpi=dpi,
        rotation=page.rotation,
        skew_deg=page.skew_deg,
        blank=page.blank,
        blur_px=page.blur_px,
        colour=colour,
        width_px=w,
        height_px=h,
        warnings=warnings,
        text=ocr.text,
        confidence=ocr.confidence,
        words=[
            {"text": x.text, "conf": x.conf, "box": list(x.box), "line": [x.block, x.par, x.line]} for x in ocr.words
        ],
        qr=qr,
        clean_jpg=clean_jpg,
        thumb_jpg=thumb,
        pdf=pdf,
    )


def process_image(rgb: np.ndarray, dpi: int, lang: str = "vie", timer: Timer | None = None) -> list[PageOutput]:
    timer = timer or Timer()
    with timer("cleanup"):
        pages = clean_scan(rgb, dpi)
    if any("orientation_uncertain" in p.warnings for p in pages):
        with timer("osd"):
            found = _orientation_from_osd(rgb, dpi)
        if found is not None:
            with timer("cleanup"):
                pages = clean_scan(rgb, dpi, orientation=_with_skew(rgb, dpi, found))
        elif len(pages) == 1 and not pages[0].blank:
            page = pages[0]
            with timer("cards"):
                over = _card_upside_down(page.gray, dpi, lang)
            if over:
                turned = Orientation((page.rotation + 180) % 360, page.skew_deg, True)
                with timer("cleanup"):
                    pages = clean_scan(rgb, dpi, orientation=turned)
    split = len(pages) > 1
    return [finish_page(p, i, dpi, lang, timer, split) for i, p in enumerate(pages)]


def _with_skew(rgb: np.ndarray, dpi: int, found: Orientation) -> Orientation:
    """OSD gives the quarter turn only; measure the residual skew on the turned page."""
    mask, _ = work_mask(rotate_quarter(to_gray(rgb), found.rotation), dpi)
    angle, _ = estimate_skew(strip_frame(mask))
    return Orientation(found.rotation, round(angle, 2), True)


def process_scan(path: str, ref: dict, lang: str = "vie") -> ScanOutput:
    """Process one physical page of a stored upload. Failures are returned, not raised."""
    timer = Timer()
    page_ref = PageRef.from_dict(ref)
    try:
        with timer("load"):
            rgb = load_page(path, page_ref)
        pages = process_image(rgb, page_ref.dpi, lang, timer)
        for p in pages:
            p.warnings = list(dict.fromkeys(page_ref.warnings + p.warnings))
        return ScanOutput(pages=pages, timings=timer.ms)
    except DigitizeError as exc:
        return ScanOutput(timings=timer.ms, error=exc.code, reason=exc.reason)
    except Exception as exc:  # a page must never take the dossier down with it
        return ScanOutput(
            timings=timer.ms,
            error="page_failed",
            reason=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"[:2000],
        )
