"""Searchable PDF: each page is the cleaned scan (colour where the scan is colour) with Tesseract's invisible text
laid over it at the same size, so the text can be selected, searched and extracted."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image
from pypdf import PdfReader, PdfWriter, Transformation

from .colour import is_colour


def image_page(img: np.ndarray, dpi: int, quality: int = 80) -> bytes:
    """A one-page PDF holding `img` as a JPEG at 100% scale for `dpi`."""
    if img.ndim == 3 and not is_colour(img):
        img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "PDF", resolution=float(dpi), quality=quality)
    return buf.getvalue()


def overlay_text(image_pdf: bytes, text_pdf: bytes) -> PdfWriter:
    """The image page with the text-only page merged on top, scaled to fit should sizes differ by rounding."""
    page = PdfReader(io.BytesIO(image_pdf)).pages[0]
    writer = PdfWriter()
    writer.add_page(page)
    out = writer.pages[0]
    if text_pdf:
        text = PdfReader(io.BytesIO(text_pdf)).pages[0]
        sx = float(out.mediabox.width) / float(text.mediabox.width)
        sy = float(out.mediabox.height) / float(text.mediabox.height)
        if abs(sx - 1) > 1e-3 or abs(sy - 1) > 1e-3:
            out.merge_transformed_page(text, Transformation().scale(sx, sy))
        else:
            out.merge_page(text)
    return writer


def searchable_page(img: np.ndarray, dpi: int, text_pdf: bytes, quality: int = 80) -> bytes:
    """One finished page of the searchable PDF."""
    writer = overlay_text(image_page(img, dpi, quality), text_pdf)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def join_pages(pages: list[bytes], title: str = "", author: str = "digitize") -> bytes:
    """Concatenate one-page PDFs in order into the dossier's searchable PDF."""
    writer = PdfWriter()
    for p in pages:
        writer.append(PdfReader(io.BytesIO(p)))
    writer.add_metadata({"/Title": title, "/Producer": "digitize", "/Creator": author})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
