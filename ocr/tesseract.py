"""Tesseract through pytesseract: one run per page gives the words with boxes and confidences (TSV) and the
invisible text layer for the searchable PDF."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
import pytesseract
from pytesseract.pytesseract import run_tesseract

from .layout import reading_order
from .resize import resized
from .text import nfc

# With OpenMP's defaults Tesseract's LSTM is 5-6x slower on two cores; we run one process per core instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Tesseract retries every low-confidence line inverted (white on black); scans never need it and it costs time.
BASE_CONFIG = "-c tessedit_do_invert=0"


@dataclass
class Word:
    text: str
    conf: float  # 0..1
    box: tuple[int, int, int, int]  # x, y, w, h in page pixels
    block: int
    par: int
    line: int


@dataclass
class OcrPage:
    words: list[Word] = field(default_factory=list)
    text: str = ""
    confidence: float = 0.0
    text_pdf: bytes = b""  # one-page PDF with the invisible text layer, same size as the image at `dpi`

    def with_words(self, words: list[Word]) -> OcrPage:
        """The same reading (confidence, text layer) with other words: added, replaced or re-read ones."""
        return replace(self, words=words, text=reading_order(words))


def parse_tsv(tsv: str) -> list[Word]:
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = nfc(cols[11]).strip()
        if not text:
            continue
        conf = max(0.0, float(cols[10])) / 100.0
        x, y, w, h = (int(c) for c in cols[6:10])
        words.append(Word(text, round(conf, 3), (x, y, w, h), int(cols[2]), int(cols[3]), int(cols[4])))
    return words


def page_confidence(words: list[Word]) -> float:
    """Mean word confidence weighted by word length: long words say more about the page than stray marks."""
    total = sum(len(w.text) for w in words)
    if not total:
        return 0.0
    return round(sum(w.conf * len(w.text) for w in words) / total, 3)


def ocr_image(
    gray: np.ndarray,
    dpi: int | None,
    lang: str = "vie",
    psm: int = 3,
    want_pdf: bool = True,
    timeout: int = 300,
    config: str = "",
    read_dpi: int | None = None,
    order: Callable[[list[Word]], str] = reading_order,
) -> OcrPage:
    """Read one page image. `gray` is what Tesseract sees; the PDF layer matches its size at `dpi`. With no
    `dpi` Tesseract estimates the resolution from the text itself. `config` adds Tesseract options (a character
    whitelist). With `read_dpi` a page of higher resolution is read from a copy shrunk to it, the words' boxes
    given back in the page's pixels. `order` makes the page's text of its words: ours (ocr.layout) unless told."""
    if dpi and read_dpi and dpi > read_dpi * 1.1:
        page = ocr_image(resized(gray, read_dpi / dpi), read_dpi, lang, psm, want_pdf, timeout, config, order=order)
        page.words = [_scaled_word(w, dpi / read_dpi) for w in page.words]
        return page
    with tempfile.TemporaryDirectory(prefix="digitize-ocr-") as tmp:
        src = Path(tmp) / "page.pgm"  # uncompressed: writing a PNG would cost more than it saves
        cv2.imwrite(str(src), gray)
        base = str(Path(tmp) / "out")
        options = f"--psm {psm} {BASE_CONFIG} -c tessedit_create_tsv=1 {config}".strip()
        if dpi:
            options = f"--dpi {int(dpi)} {options}"
        if want_pdf:
            options += " -c textonly_pdf=1"
        run_tesseract(str(src), base, "pdf" if want_pdf else "", lang, options, timeout=timeout)
        tsv = Path(base + ".tsv").read_text(encoding="utf-8")
        pdf = Path(base + ".pdf").read_bytes() if want_pdf else b""
    words = parse_tsv(tsv)
    return OcrPage(words=words, text=order(words), confidence=page_confidence(words), text_pdf=pdf)


def _scaled_word(word: Word, factor: float) -> Word:
    x, y, w, h = word.box
    x0, y0 = round(x * factor), round(y * factor)
    box = (x0, y0, round((x + w) * factor) - x0, round((y + h) * factor) - y0)
    return Word(word.text, word.conf, box, word.block, word.par, word.line)


def read_only(crop: np.ndarray, factor: float, chars: str, psm: int) -> OcrPage:
    """A band of a page (a card's zone, a row of digit boxes) scaled by `factor` to a comfortable line height and
    read as what it holds: the English model, only `chars`. Word boxes are in the scaled band's pixels."""
    size = (max(1, round(crop.shape[1] * factor)), max(1, round(crop.shape[0] * factor)))
    big = cv2.resize(crop, size, interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA)
    return ocr_image(np.ascontiguousarray(big), None, lang="eng", psm=psm, want_pdf=False,
                     config=f"-c tessedit_char_whitelist={chars}")  # fmt: skip


def plain_read(image: np.ndarray, lang: str = "vie", timeout: int = 300) -> OcrPage:
    """What plain Tesseract reads from an image as it came: no cleanup, no turning, its own thresholding and
    resolution estimate, and its text in its own order (not ours: ocr.layout). The baseline every reading of ours
    is compared with (eval, bench, do-no-harm)."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    return ocr_image(np.ascontiguousarray(gray), None, lang=lang, want_pdf=False, timeout=timeout, order=own_order)


def own_order(words: list[Word]) -> str:
    """The words as Tesseract's own text output gives them: its lines in its order, a blank line between blocks."""
    out: list[str] = []
    key = None
    for w in words:
        if key is not None and (w.block, w.par, w.line) != key:
            out.append("\n\n" if w.block != key[0] else "\n")
        elif key is not None:
            out.append(" ")
        out.append(w.text)
        key = (w.block, w.par, w.line)
    return "".join(out)


def osd_rotation(gray: np.ndarray, dpi: int, timeout: int = 60) -> tuple[int, float] | None:
    """Tesseract's orientation guess (clockwise degrees the content is turned, confidence), or None."""
    with tempfile.TemporaryDirectory(prefix="digitize-osd-") as tmp:
        src = Path(tmp) / "page.pgm"
        cv2.imwrite(str(src), gray)
        try:
            out = pytesseract.image_to_osd(str(src), config=f"--dpi {int(dpi)}", timeout=timeout)
        except pytesseract.TesseractError:
            return None
    info = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    try:
        return int(info["Rotate"].strip()), float(info["Orientation confidence"].strip())
    except (KeyError, ValueError):
        return None
