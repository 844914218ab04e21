"""The journey of one scanned page: decode → size (a photo's paper flattened, text brought to the size Tesseract
reads best) → cleanup → OCR preparation → OCR → searchable page, and never a reading worse than plain Tesseract's.

`process_scan` is a pure function of a file path and a page reference, so it runs the same in a local process
pool, in a Celery worker, or inline in a test. It never raises for a bad page: the failure comes back as data.
"""

from __future__ import annotations

import io
import json
import math
import multiprocessing
import os
import threading
import time
import traceback
import zipfile
from dataclasses import asdict, dataclass, field, replace
from itertools import groupby

import cv2
import numpy as np

from digitize.core.errors import DigitizeError
from digitize.scan.broken_numbers import reread_broken_numbers
from digitize.scan.cards import UPSCALE, blank_out, find_cards, find_qr
from digitize.scan.cleanup import (
    BLUR_WARN_EDGE_PX,
    CleanPage,
    Orientation,
    clean_scan,
    deblurred,
    edge_width,
    estimate_skew,
    rotate_quarter,
    sharpened,
    strip_frame,
    to_gray,
    work_mask,
)
from digitize.scan.digit_boxes import reread_digit_rows
from digitize.scan.intake import PageRef, dpi_warnings, load_page, paper_size
from digitize.scan.mrz_zone import reread_zone
from digitize.scan.photo import SCAN_A4_LIKE, flatten, is_rectangle, outline_dpi, paper_outline, sheet_dpi
from digitize.scan.textsize import effective_dpi, measure_text
from ocr import pdf as ocr_pdf
from ocr.colour import is_colour
from ocr.layout import centre_inside, reading_order
from ocr.prep import Prepared, prepare, prepare_for_ocr
from ocr.resize import resized
from ocr.tesseract import OcrPage, Word, ocr_image, osd_rotation
from ocr.unread import read_uncovered
from ocr.vote import voted

LITTLE_TEXT_CHARS = 20
TARGET_DPI = 300  # large text is shrunk to the size ordinary print has on a 300-dpi scan: what Tesseract reads best
HIGH_DPI = 450  # text larger than ordinary print at this resolution is shrunk: faster, and read as well
LOW_DPI = 250  # a scan below this whose text is smaller than ordinary print at ENLARGE_DPI is enlarged to that
# Enlarging adds no detail, and Tesseract reads interpolated text best at about half the size of a 300-dpi scan:
# on the real set, enlarging to 150 rather than 300 dpi took the letters' CER from 0.077 to 0.062 and the
# degraded letters' from 0.118 to 0.088, and the photo family's fields from 71 to 78 % (120 and 175 did worse).
# Cards cut from such pages first read worse (a holdout family's card fields 61 -> 44 %); most of that was
# A4 images without a resolution sized by their small print, and a halving bug in cards.py: 59 % once mended.
ENLARGE_DPI = 150
# A page is cleaned at 300 dpi but read from a copy shrunk until its text is as big as ordinary print at READ_DPI:
# Tesseract's layout analysis costs by the pixel, its recogniser scales every line to its own height anyway. On
# the studied scan family 212 fields right at 200 dpi, 208 at 300, 209 at 175, 208 at 150; Tesseract's time on a
# bench page 1.45 s at 300, 1.19 s at 200. Smaller than that, tone marks go: a real page of 11-pt print shrunk to
# 200 dpi read "buôi" and "cám" for "buổi" and "cảm". An enlarged page is not shrunk: it was sized for reading.
READ_DPI = 200
CARD_DPI = 600  # pixels per inch of card its crop is read at: the card's print is half the size of a page's
SCALE_RANGE = (0.4, 4.0)
PLAIN_CHECK_BELOW = 0.85  # a page read with less confidence than this is read plainly too (do no harm)
PLAIN_MUST_BEAT = 1.1  # plain's confident characters over ours for the plain reading to be kept
CARD_PAGE_MUST_BEAT = 1.2  # the page's confident characters over a card's crop's for the page's reading to stand
TURN_MUST_BEAT = 1.2  # a turned sample's confident characters over the unturned one's for a turn to stand
TURN_MIN_LEAD = 5  # and at least this many more: a few confident characters are read in any noise
# A card's print whose edges are wider than this (in pixels of a card read at CARD_DPI; 2.5-5.7 on 200-300 dpi
# scans, 6-15 on most phone photos and low-resolution copies) is blurred: it is read deblurred at each of
# BLURRED_CARD_DPIS, the reading with the most confident characters kept. Which size reads a blurred card best
# varies from card to card: on 72 photographed and low-resolution cards of three fresh sets the kept reading held
# the two addresses' text 79 and 79 % alike (fuzzy partial ratio), against 77 and 76 % at 375 dpi alone and 75
# and 74 % unsharp-masked at 375 as before; the best of the three each time would have been 80 and 81 %.
CARD_BLURRED_EDGE = 6.5
BLURRED_CARD_DPIS = (375, 300, 250)
CARD_BLOCKS = 1000  # the nth card's words are numbered from block CARD_BLOCKS * n, past any page's own blocks
# A page read in grey whose edges are wider than this (pixels at 300 dpi; BLUR_WARN_EDGE_PX warns from 3.2) is
# sharpened as a blurred card is. From 3.2 it cost moderately blurred low-resolution pages as many fields as it won.
SHARPEN_PAGE_EDGE = 5.0


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
    reading: str = "cleaned"  # "plain" when the image as it came read better than our cleaned one and was kept
    scale: float = 1.0  # how far the image was resized to bring its text to the size Tesseract reads best
    qr: list[str] = field(default_factory=list)  # decoded QR codes (a chip card's holds its holder's data)
    cards: list[list[int]] = field(default_factory=list)  # [x, y, w, h] of each ID card found on the page
    clean_jpg: bytes = b""
    thumb_jpg: bytes = b""
    pdf: bytes = b""  # the searchable one-page PDF; empty for blank pages

    def meta(self) -> dict:
        d = asdict(self)
        for k in ("clean_jpg", "thumb_jpg", "pdf", "words", "qr", "cards"):
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
    return encode_jpeg(resized(img, width / img.shape[1]), 80)


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


@dataclass
class CardReading:
    words: list[Word] = field(default_factory=list)  # placed back on the page
    qr: list[str] = field(default_factory=list)
    boxes: list[list[int]] = field(default_factory=list)  # each card on the page
    # What the page's reading is weighed against (cards_read_better): the cards' confident characters read at one
    # size each, as every card was before a blurred one was read at several. The surest of several readings is
    # surer than one by chance, and it tipped a form's card-shaped blocks over their page's reading (None: words).
    weight: float | None = None


def read_cards(gray: np.ndarray, dpi: int, lang: str) -> CardReading:
    """Words of the ID cards on a page, read from straightened, enlarged crops and placed back on the page, and
    the cards' QR codes. Only card crops are searched for QR codes: on a whole page the search costs a tenth
    of the page's time and finds nothing on ordinary papers. A crop is read in grey: enlarged to CARD_DPI its
    strokes are interpolated greys, and its background's pattern, thresholded, swallowed a 200-dpi card's name."""
    words: list[Word] = []
    qr, boxes, weight = [], [], 0.0
    for n, card in enumerate(find_cards(gray, dpi)):
        h, w = card.image.shape[:2]
        boxes.append(card.box_to_page([0, 0, w, h]))
        payloads, corners = find_qr(card.image)
        qr += payloads
        sizes = card_ready(blank_out(card.image, corners) if corners else card.image, dpi)
        readings = [(_read_card(image, cdpi, lang), factor) for image, cdpi, factor in sizes]
        reading, factor = max(readings, key=lambda r: _confident_chars(r[0].words))
        weight += _confident_chars(readings[0][0].words)
        for w in reading.words:
            box = card.box_to_page([round(v / factor) for v in w.box])
            words.append(Word(w.text, w.conf, (box[0], box[1], box[2], box[3]), CARD_BLOCKS * (n + 1) + w.block,
                              w.par, w.line))  # fmt: skip
    return CardReading(words, qr, boxes, weight)


def _ready_to_read(page: CleanPage, dpi: int, grey: bool) -> Prepared:
    """The image of a page Tesseract reads (ocr.prep.prepare), a heavily blurred one's strokes sharpened: on a
    photo of a slab-serif form the labels' capitals ("Nơi", "Họ", "Dân") read "Xi", "lo", "liên" and the page lost
    15 fields; on the real blurred letters (docs/realset.md) the CER went from 0.186 and 0.095 to 0.062 and 0.063,
    against plain Tesseract's 0.135 and 0.416. The photo family took 11 more fields of 222 on the generated set
    the threshold was chosen on, 5 on a fresh one."""
    ready = prepare(page.gray, dpi, grey=grey)
    if not grey or page.blur_px <= SHARPEN_PAGE_EDGE:
        return ready
    return Prepared(sharpened(ready.image, edge_width(ready.image)), ready.digit_rows)


def _with_uncovered(ocr: OcrPage, image: np.ndarray, dpi: int, lang: str, cards: list[list[int]]) -> OcrPage:
    """The page's reading with the short words its layout analysis skipped (ocr.unread), outside the cards (their
    crops were read apart); the searchable PDF keeps Tesseract's own text layer."""
    words = read_uncovered(image, ocr.words, dpi, lang, skip=cards)
    if len(words) == len(ocr.words):
        return ocr
    return ocr.with_words(words)


def cards_read_better(page: OcrPage, cards: CardReading) -> bool:
    """Whether the cards' crops are read in place of the page over them. A straightened, enlarged crop usually reads
    far better; a card photographed small may read better on the page, but only a clear lead of the page's whole
    reading counts (the crop is the one made for the card's print). The whole page, not only its words over the
    cards: a block of a form's text found card-shaped reads about as well cropped, and must not displace the page."""
    weight = _confident_chars(cards.words) if cards.weight is None else cards.weight
    return bool(cards.words) and CARD_PAGE_MUST_BEAT * weight >= _confident_chars(page.words)


def cards_over_page(page: OcrPage, cards: CardReading) -> OcrPage:
    """The cards' words in place of the page's words over each card; the page's words elsewhere (the stamp that
    certifies the copy, a note beside the card) kept. Each card's words stand where the card does in the page's
    reading order: a title above a block taken for a card must stay among the page's first lines. The page's own
    OCR still gives the PDF its text layer."""
    words = [w for w in page.words if not any(centre_inside(w.box, box) for box in cards.boxes)]
    at = [next((i for i, w in enumerate(words) if w.box[1] >= box[1]), len(words)) for box in cards.boxes]
    # From the last place back, so the places before it still hold; cards at one place keep the cards' order.
    for n in sorted(range(len(cards.boxes)), key=lambda n: (at[n], n), reverse=True):
        words[at[n] : at[n]] = [w for w in cards.words if w.block // CARD_BLOCKS == n + 1]
    return replace(page, words=words, text=reading_order(blocks_top_down(words)))


def blocks_top_down(words: list[Word]) -> list[Word]:
    """The words with each card's blocks reordered for the page's text: Tesseract lists a card crop's blocks a
    column at a time, the expiry under the photo before the card's header ("Có giá trị đến … CỘNG HÒA XÃ HỘI …").
    A block comes after every block that lies wholly above it, otherwise as Tesseract listed it (a blotchy photo's
    blocks overlap: sorted by their tops, their lines interleaved). The fields keep Tesseract's order
    (forms.lines): read top-down, two card fields were lost."""
    spans: dict[int, tuple[int, int]] = {}
    for w in words:
        top, bottom = spans.get(w.block, (w.box[1], w.box[1] + w.box[3]))
        spans[w.block] = (min(top, w.box[1]), max(bottom, w.box[1] + w.box[3]))
    out: list[Word] = []
    for card, group in groupby(words, key=lambda w: w.block // CARD_BLOCKS):
        run = list(group)
        if card:
            rank = {b: n for n, b in enumerate(_above_first(list(dict.fromkeys(w.block for w in run)), spans))}
            run.sort(key=lambda w: rank[w.block])  # stable: each block's words as read
        out += run
    return out


def _above_first(blocks: list[int], spans: dict[int, tuple[int, int]]) -> list[int]:
    """The blocks in their order, but each after every block wholly above it."""
    left, out = list(blocks), []
    while left:
        ready = next((b for b in left if not any(spans[a][1] <= spans[b][0] for a in left if a != b)), left[0])
        out.append(ready)
        left.remove(ready)
    return out


def card_ready(
    crop: np.ndarray, page_dpi: int, blurred_dpis: tuple[int, ...] = BLURRED_CARD_DPIS
) -> list[tuple[np.ndarray, int, float]]:
    """A card's crop as it is read, its resolution and its scale from the crop: its print brought to the size
    Tesseract reads it best; a blurred card's at each of `blurred_dpis`, deblurred (read_cards keeps the surest
    reading)."""
    image, factor = _card_print_sized(crop, int(page_dpi * UPSCALE))
    dpi = int(page_dpi * UPSCALE * factor)
    blur = edge_width(image) * CARD_DPI / dpi  # in pixels of a card read at CARD_DPI
    if blur < CARD_BLURRED_EDGE:
        return [(image, dpi, factor)]
    # Enlarged blur adds no detail: as for pages (ENLARGE_DPI), a blurred card reads best at a smaller size.
    sizes = []
    for size in sorted({min(dpi, d) for d in blurred_dpis}, reverse=True):
        small = resized(image, size / dpi) if size < dpi else image
        sizes.append((deblurred(small, blur * size / CARD_DPI), size, factor * size / dpi))
    return sizes


def _read_card(image: np.ndarray, dpi: int, lang: str) -> OcrPage:
    """A card's crop, readied by card_ready, read in grey with a sharp page's leader dots (see read_cards)."""
    return ocr_image(prepare_for_ocr(image, dpi, grey=True, blurred=False), dpi, lang=lang, want_pdf=False)


def _card_print_sized(crop: np.ndarray, dpi: int) -> tuple[np.ndarray, float]:
    """A card's small print (6-8 pt) is read from a crop of CARD_DPI pixels per inch of card: a crop of a page
    enlarged only to ENLARGE_DPI is enlarged the rest of the way. On a page whose text was larger than its dpi
    says (a photo taken close), the print may come out larger than Tesseract reads best: shrink it to TARGET_DPI."""
    if dpi < CARD_DPI / 1.1:
        factor = CARD_DPI / dpi
        return _enlarge(crop, factor), factor
    text_dpi = effective_dpi(measure_text(crop))
    if text_dpi is None or text_dpi <= HIGH_DPI:
        return crop, 1.0
    factor = TARGET_DPI / text_dpi
    return resized(crop, factor), factor


def _card_upside_down(gray: np.ndarray, dpi: int, lang: str) -> bool:
    """Whether the page's ID cards read clearly better turned over: a card is too small a part of its page for the
    line-shape measure of up and down, and OSD often declines it too. Read as read_cards reads them: a blurred
    card read raw is noise both ways up, and noise once turned a photographed card upside down. All the cards
    together: a card's back alone is mostly its machine-readable zone, whose fillers ("<<<<") read as confidently
    turned (">>>>"), and it once turned a page whose front read clearly upright."""
    upright, turned = [], []
    for card in find_cards(gray, dpi):
        # The first size only: the others' deblurring (a tenth of a second each) would go unread.
        image, cdpi, _ = card_ready(card.image, dpi, BLURRED_CARD_DPIS[:1])[0]
        upright += _read_card(image, cdpi, lang).words
        turned += _read_card(np.ascontiguousarray(image[::-1, ::-1]), cdpi, lang).words
    return _reads_clearly_better(turned, upright)


def _orientation_from_osd(rgb: np.ndarray, dpi: int) -> Orientation | None:
    """Tesseract OSD as a second opinion, only for pages whose line shapes left up and down undecided."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
    got = osd_rotation(gray, dpi)
    if got is None or got[1] < 1.5:
        return None
    # OSD's "Rotate" is the clockwise turn that corrects the page; ours is the turn the content suffered.
    rotation = (360 - got[0]) % 360
    return Orientation(rotation=rotation, skew_deg=0.0, confident=True)


def _read_page(
    page: CleanPage,
    dpi: int,
    lang: str,
    timer: Timer,
    ocr: OcrPage | None,
    grey: bool,
    read_dpi: int | None,
    own_size: float | None = None,
) -> tuple[OcrPage, CardReading]:
    """The words of a page with ink: its OCR (unless given; of a page enlarged from a low resolution, its words'
    marks voted with a reading at its own size, `own_size` times the page's: ocr.vote), the cards' crops read over
    their place, the short words the page's layout skipped, a card's zone, numbers in digit boxes and broken long
    numbers read again; and the cards found."""
    ready = None  # what our OCR read: none when the plain reading is given
    if ocr is None:
        with timer("prep"):
            ready = _ready_to_read(page, dpi, grey)
        with timer("ocr"):
            ocr = ocr_image(ready.image, dpi, lang=lang, read_dpi=read_dpi)
        if own_size:
            with timer("own size"):
                small = ocr_image(resized(ready.image, own_size), round(dpi * own_size), lang=lang, want_pdf=False)
                ocr = ocr.with_words(voted(ocr.words, small.words, 1 / own_size))
    with timer("cards"):
        cards = read_cards(page.gray, dpi, lang)
    if cards_read_better(ocr, cards):
        ocr = cards_over_page(ocr, cards)
    if ready is not None:
        with timer("unread"):
            ocr = _with_uncovered(ocr, ready.image, dpi, lang, cards.boxes)
        with timer("digits"):
            ocr = reread_digit_rows(ready.image, ready.digit_rows, ocr, page.gray)
            ocr = reread_broken_numbers(ready.image, ocr, cards.boxes)
    with timer("zone"):
        ocr = reread_zone(page.gray, ocr)
    return ocr, cards


def finish_page(
    page: CleanPage,
    part: int,
    dpi: int,
    lang: str,
    timer: Timer,
    split: bool,
    ocr: OcrPage | None = None,
    grey: bool = False,
    read_dpi: int | None = None,
    own_size: float | None = None,
) -> PageOutput:
    """OCR (unless `ocr` is given; of the grey page with `grey`, see prepare_for_ocr; from a copy at `read_dpi`;
    an enlarged page also at its own size, `own_size`: _read_page), the cards' crops and QR codes, the searchable
    page and the images of a page."""
    h, w = page.gray.shape[:2]
    colour = is_colour(page.color)
    warnings = list(page.warnings)
    if split:
        warnings.append("split_from_a3")
    pdf = b""
    qr: list[str] = []
    card_boxes: list[list[int]] = []
    if page.blank:
        ocr = OcrPage()
    else:
        ocr, cards = _read_page(page, dpi, lang, timer, ocr, grey, read_dpi, own_size)
        qr, card_boxes = cards.qr, cards.boxes
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
        cards=card_boxes,
        clean_jpg=clean_jpg,
        thumb_jpg=thumb,
        pdf=pdf,
    )


@dataclass
class Sized:
    """An image brought to size: a photo's paper flattened, the text as big as ordinary print at 300 dpi."""

    rgb: np.ndarray
    dpi: int  # pixels per inch of paper of `rgb`: what cleanup's and OCR's kernels are measured in
    scale: float  # factor applied to the image as it came
    photo: bool
    text_dpi: int | None = None  # the resolution at which its text would be ordinary print, when measured

    def reading_dpi(self) -> int | None:
        """The resolution to read it at: where its text is as big as ordinary print at READ_DPI, and never below
        READ_DPI itself (large print shrunk further loses marks too) nor above the page's own."""
        if not self.text_dpi:
            return None
        return min(self.dpi, max(READ_DPI, round(self.dpi * READ_DPI / self.text_dpi)))


def size_image(rgb: np.ndarray, dpi: int, dpi_known: bool, timer: Timer) -> Sized:
    """Scale from the content, not the metadata: the text's x-height tells the resolution. A file that gave no
    resolution takes the measured one, or its sheet's if it has A4's shape; small text of a scan below LOW_DPI is
    enlarged and text above HIGH_DPI shrunk, so the kernels of cleanup (all in pixels per inch) fit the text
    whatever the file said."""
    photo, sheet = False, None
    with timer("photo"):
        corners = paper_outline(rgb)
        if corners is not None and not is_rectangle(corners):
            rgb, photo = flatten(rgb, corners), True
            sheet = sheet_dpi(rgb.shape)
        elif not dpi_known:
            # An A4 scan saved without its resolution: the sheet's size gives it, whatever size its print is; so
            # does a sheet lying square in a bigger picture.
            sheet = sheet_dpi(rgb.shape, like=SCAN_A4_LIKE) or (outline_dpi(corners) if corners is not None else None)
    with timer("size"):
        measured = effective_dpi(measure_text(rgb))
    paper_dpi = dpi if dpi_known and not photo else (sheet or measured or dpi)
    text_dpi = measured or paper_dpi
    factor = 1.0
    if text_dpi > HIGH_DPI:
        factor = max(TARGET_DPI / text_dpi, SCALE_RANGE[0])
    elif paper_dpi < LOW_DPI and text_dpi < ENLARGE_DPI:
        factor = min(ENLARGE_DPI / text_dpi, SCALE_RANGE[1])
    if abs(factor - 1.0) < 0.1:
        return Sized(rgb, paper_dpi, 1.0, photo, measured)
    with timer("size"):
        rgb = resized(rgb, factor) if factor < 1 else _enlarge(rgb, factor)
    text = round(measured * factor) if measured else None
    return Sized(rgb, max(1, int(round(paper_dpi * factor))), round(factor, 3), photo, text)


def _enlarge(rgb: np.ndarray, factor: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    return cv2.resize(rgb, (int(round(w * factor)), int(round(h * factor))), interpolation=cv2.INTER_CUBIC)


def _confident_chars(words: list[Word]) -> float:
    """Characters of the words OCR is fairly sure of, weighted by that certainty: how much was really read."""
    return sum(len(w.text) * w.conf for w in words if w.conf >= 0.5)


def _sample(gray: np.ndarray, dpi: int) -> np.ndarray:
    """A band of the page's text (the middle of its inked area, a sixth of its height, at least 0.8 inch): enough
    words to tell which way up they stand (five or six lines of a letter), at a tenth of the page's OCR time."""
    mask, factor = work_mask(gray, dpi)
    ys, xs = np.nonzero(strip_frame(mask))
    if len(ys) == 0:
        return gray
    y0, y1 = int(ys.min() / factor), int(ys.max() / factor) + 1
    x0, x1 = int(xs.min() / factor), int(xs.max() / factor) + 1
    band = max((y1 - y0) // 6, int(dpi * 0.8))
    mid = (y0 + y1) // 2
    return gray[max(0, mid - band // 2) : mid + band // 2, x0:x1]


def turn_confirmed(upright: np.ndarray, rotation: int, dpi: int, lang: str) -> bool:
    """The second signal for a quarter or half turn: a sample of the page reads clearly better turned than as it
    came. Line shapes and OSD misjudge narrow papers (receipts, cards) and pages with little text."""
    sample = _sample(upright, dpi)
    as_scanned = np.ascontiguousarray(np.rot90(sample, k=-(rotation // 90)))
    # One block of horizontal lines (psm 6): the page layout mode would find sideways lines and read them too.
    turned = ocr_image(prepare_for_ocr(sample, dpi), dpi, lang=lang, psm=6, want_pdf=False, read_dpi=READ_DPI)
    unturned = ocr_image(prepare_for_ocr(as_scanned, dpi), dpi, lang=lang, psm=6, want_pdf=False, read_dpi=READ_DPI)
    return _reads_clearly_better(turned.words, unturned.words)


def _reads_clearly_better(words: list[Word], than: list[Word]) -> bool:
    """The second signal for a turn: the turned reading's confident characters clearly ahead of the other's."""
    return _confident_chars(words) > TURN_MUST_BEAT * _confident_chars(than) + TURN_MIN_LEAD


def clean_and_turn(rgb: np.ndarray, dpi: int, lang: str, timer: Timer, upright: bool = False) -> list[CleanPage]:
    """Cleanup with the page's turn decided by two signals: line shapes, then OSD or the reading of a card or
    of a sample. A turn no second signal confirms is not made: an upright page stays upright. An `upright` page
    (an officer turned it by hand) is only deskewed: no guess overrules the person who looked at it."""
    if upright:
        with timer("cleanup"):
            return clean_scan(rgb, dpi, orientation=_with_skew(rgb, dpi, Orientation(0, 0.0, True)))
    with timer("cleanup"):
        pages = clean_scan(rgb, dpi)
    read_confirmed = False
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
                read_confirmed = True
    first = pages[0]
    if first.rotation and not read_confirmed and not all(p.blank for p in pages):
        with timer("orientation"):
            confirmed = turn_confirmed(first.gray, first.rotation, dpi, lang)
        if not confirmed:
            with timer("cleanup"):
                pages = clean_scan(rgb, dpi, orientation=_with_skew(rgb, dpi, Orientation(0, 0.0, True)))
    return pages


def no_worse_than_plain(rgb: np.ndarray, dpi: int, ours: PageOutput, lang: str, timer: Timer) -> PageOutput:
    """Do no harm: when our reading is unsure, plain Tesseract reads the image as it came, and its reading (with
    that image as the page) is kept if it read clearly more. `reading` says which was kept."""
    with timer("plain"):
        plain = ocr_image(np.ascontiguousarray(to_gray(rgb)), None, lang=lang)
    mine = [Word(w["text"], w["conf"], tuple(w["box"]), *w["line"]) for w in ours.words]
    if _confident_chars(plain.words) <= PLAIN_MUST_BEAT * _confident_chars(mine):
        return ours
    colour = rgb if rgb.ndim == 3 else cv2.cvtColor(rgb, cv2.COLOR_GRAY2RGB)
    keep = [w for w in ours.warnings if w not in ("orientation_uncertain", "little_text", "split_from_a3")]
    page = CleanPage(color=colour, gray=to_gray(colour), blur_px=ours.blur_px, warnings=keep)
    out = finish_page(page, ours.part, dpi, lang, timer, False, ocr=plain)
    out.reading = "plain"
    return out


def process_image(
    rgb: np.ndarray, dpi: int, lang: str = "vie", timer: Timer | None = None, dpi_known: bool = True,
    upright: bool = False,
) -> list[PageOutput]:  # fmt: skip
    timer = timer or Timer()
    sized = size_image(rgb, dpi, dpi_known, timer)
    pages = clean_and_turn(sized.rgb, sized.dpi, lang, timer, upright)
    split = len(pages) > 1
    enlarged = sized.scale > 1.0
    reading = sized.reading_dpi()
    own = 1 / sized.scale if enlarged else None  # an enlarged page is read at its own size too (ocr.vote)
    outs = [
        finish_page(
            p, i, sized.dpi, lang, timer, split, grey=_read_in_grey(p, enlarged), read_dpi=reading, own_size=own
        )
        for i, p in enumerate(pages)
    ]
    for out in outs:
        out.scale = sized.scale
    one = outs[0]
    if not split and not one.blank and (one.confidence < PLAIN_CHECK_BELOW or "little_text" in one.warnings):
        outs = [no_worse_than_plain(rgb, dpi, one, lang, timer)]
    return outs


def _read_in_grey(page: CleanPage, enlarged: bool) -> bool:
    """Whether a page is read from its grey image (prepare_for_ocr): enlarged from a low resolution, or blurred (a
    photo, a soft copy), its strokes are greys a threshold thins or runs together. Reading blurred pages in grey
    took a studied photo family's fields exact from 178 to 197 of 222, its CER from 37 to 33 %."""
    return enlarged or page.blur_px > BLUR_WARN_EDGE_PX


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
        known = "dpi_unknown" not in page_ref.warnings
        # Less where a huge page was decoded shrunk; by area, which a page turned in its PDF does not change.
        dpi = round(page_ref.dpi * math.sqrt(rgb.shape[0] * rgb.shape[1] / (page_ref.width_px * page_ref.height_px)))
        pages = process_image(rgb, dpi, lang, timer, dpi_known=known, upright=page_ref.turn is not None)
        if page_ref.turn is not None:  # the turn the content suffered, as a guessed one is recorded
            for p in pages:
                p.rotation = -page_ref.turn % 360
        # A file that gave no resolution is judged by the one its text showed, not by intake's guess.
        said = page_ref.warnings if known else [w for w in page_ref.warnings if w not in dpi_warnings(page_ref.dpi)]
        for p in pages:
            measured = [] if known else dpi_warnings(round(p.dpi / p.scale))
            p.warnings = list(dict.fromkeys(said + measured + p.warnings))
        return ScanOutput(pages=pages, timings=timer.ms)
    except DigitizeError as exc:
        return ScanOutput(timings=timer.ms, error=exc.code, reason=exc.reason)
    except Exception as exc:  # a page must never take the dossier down with it
        return ScanOutput(
            timings=timer.ms,
            error="page_failed",
            reason=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"[:2000],
        )
