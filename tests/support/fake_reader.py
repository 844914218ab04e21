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
