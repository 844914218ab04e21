"""Searchable PDF: each page is the cleaned scan (colour where the scan is colour) with Tesseract's invisible text
laid over it at the same size, so the text can be selected, searched and extracted."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    NameObject,
)

from .colour import is_colour


def image_page(img: np.ndarray, dpi: int, quality: int = 80) -> bytes:
    """A one-page PDF holding `img` as a JPEG at 100% scale for `dpi`."""
    if img.ndim == 3 and not is_colour(img):
        img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "PDF", resolution=float(dpi), quality=quality)
    return buf.getvalue()


def overlay_text(image_pdf: bytes, text_pdf: bytes) -> PdfWriter:
    """The image page with the text-only page drawn on top as a form XObject, scaled to fit should sizes differ by
    rounding. The text's content stream is carried over unparsed: merging the pages (pypdf's merge_page) parsed
    every glyph of it, a sixth of a page's time outside OCR. (pypdf has no public call to add an object.)"""
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(image_pdf)).pages[0])
    out = writer.pages[0]
    if text_pdf:
        text = PdfReader(io.BytesIO(text_pdf)).pages[0]
        form = _text_form(writer, text, float(out.mediabox.width), float(out.mediabox.height))
        resources = out[NameObject("/Resources")].get_object()
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject())
        xobjects.get_object()[NameObject("/OcrText")] = writer._add_object(form)
        drawn = out.get_contents()  # the image page's few operators: draw the image
        drawn.set_data(drawn.get_data() + b"\nq /OcrText Do Q\n")
        out.replace_contents(drawn)
    return writer


def _text_form(writer: PdfWriter, text: PageObject, width: float, height: float) -> EncodedStreamObject:
    """Tesseract's text page as a form XObject of the image page's size, its resources (the glyphless font)
    copied into `writer`."""
    stream = DecodedStreamObject()
    stream.set_data(text[NameObject("/Contents")].get_object().get_data())
    form = stream.flate_encode()
    box = text.mediabox
    sx, sy = width / float(box.width), height / float(box.height)
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, box.width, box.height)]),
        NameObject("/Matrix"): ArrayObject([FloatObject(v) for v in (sx, 0, 0, sy, 0, 0)]),
        NameObject("/Resources"): text[NameObject("/Resources")].get_object().clone(writer),
    })  # fmt: skip
    return form


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
