"""A page reader that reads nothing (DIGITIZE_PAGE_READER=tests.support.fake_reader:read_scan): each page is
decoded and stored as it came, with its images and an image-only PDF page, and no words. For tests of what the
service does around the reading (storage, rights, states, the API's answers) that do not need Tesseract's
seconds per page; a test of reading or accuracy never uses it."""

from __future__ import annotations

import numpy as np

from digitize.scan.intake import PageRef, load_page
from digitize.scan.pipeline import PageOutput, ScanOutput, encode_jpeg, thumbnail
from ocr.pdf import image_page

NAME = "tests.support.fake_reader:read_scan"


def read_scan(path: str, ref: dict, lang: str = "vie") -> ScanOutput:
    page_ref = PageRef.from_dict(ref)
    rgb = load_page(path, page_ref)
    blank = bool(np.asarray(rgb).min() > 200)  # nothing darker than paper: as the pipeline would call it blank
    out = PageOutput(part=0, paper=page_ref.paper, dpi=page_ref.dpi, rotation=-(page_ref.turn or 0) % 360,
                     skew_deg=0.0, blank=blank, blur_px=0.0, colour=False, width_px=rgb.shape[1],
                     height_px=rgb.shape[0],
                     warnings=list(page_ref.warnings), text="", confidence=0.0, words=[],
                     clean_jpg=encode_jpeg(rgb), thumb_jpg=thumbnail(rgb),
                     pdf=b"" if blank else image_page(rgb, page_ref.dpi))  # fmt: skip
    return ScanOutput(pages=[out], timings={"load": 0.0})


TEXT_KEY = "digitize-text"  # the PNG text chunk read_scan_with_text takes as the page's words
NAME_WITH_TEXT = "tests.support.fake_reader:read_scan_with_text"


def read_scan_with_text(path: str, ref: dict, lang: str = "vie") -> ScanOutput:
    """As read_scan, the page's text being what its PNG file carries in a `digitize-text` chunk (the test chose
    it): for the pages' search tests, which need words on pages and not Tesseract's seconds to read them."""
    from PIL import Image

    out = read_scan(path, ref, lang)
    with Image.open(path) as im:
        text = getattr(im, "text", {}).get(TEXT_KEY, "")
    out.pages[0].text, out.pages[0].confidence = text, 0.95 if text else 0.0
    return out


def png_with_text(text: str, width: int = 1654, height: int = 2339) -> bytes:
    """A plain A4 page at 200 dpi (a dark line on white, so it is not blank) whose PNG carries `text` for
    read_scan_with_text."""
    import io

    from PIL import Image, ImageDraw
    from PIL.PngImagePlugin import PngInfo

    im = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(im).rectangle((60, 80, width - 60, 96), fill="black")
    info = PngInfo()
    info.add_itxt(TEXT_KEY, text)  # iTXt: UTF-8, for the Vietnamese letters
    buf = io.BytesIO()
    im.save(buf, "PNG", pnginfo=info, dpi=(200, 200))
    return buf.getvalue()
