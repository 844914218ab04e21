"""Intake: file types by content, page lists, paper and resolution, and every refusal with its reason."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from digitize.core.errors import IntakeError
from digitize.devtools import synth
from digitize.scan import intake

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)


def small_page(seed: int = 0, dpi: int = 300) -> np.ndarray:
    return synth.render_page(seed=seed, dpi=dpi, paragraphs=1).image


def refused(data: bytes, name: str = "x", **limits) -> IntakeError:
    with pytest.raises(IntakeError) as info:
        intake.inspect(data, name, intake.Limits(**limits) if limits else None)
    err = info.value
    assert err.reason and err.reason_vi and err.code
    return err


def test_sniff_by_content_not_name():
    png = synth.encode(np.full((100, 80, 3), 255, np.uint8))
    assert intake.sniff(png) == "png"
    pages = intake.inspect(png, "scan.pdf")  # misnamed, still read as PNG
    assert pages[0].kind == "png"
    assert refused(b"hello, this is text", "scan.pdf").code == "unsupported_type"


def test_pdf_pages_dpi_and_paper(tmp_path):
    pdf = synth.images_to_pdf([small_page(0), small_page(1)], dpi=300)
    pages = intake.inspect(pdf, "a.pdf")
    assert [p.label for p in pages] == ["a.pdf#1", "a.pdf#2"]
    assert all(p.dpi == 300 and p.paper == "A4" for p in pages)
    rgb = intake.load_page(_tmp(tmp_path, pdf), pages[1])
    assert abs(rgb.shape[0] - 3508) <= 2 and abs(rgb.shape[1] - 2480) <= 2


def test_pdf_rendered_at_its_own_scan_resolution():
    img = small_page(0, dpi=200)
    pages = intake.inspect(synth.images_to_pdf([img], dpi=200), "b.pdf")
    assert pages[0].dpi == 200 and pages[0].paper == "A4" and pages[0].warnings == []


def test_a3_paper_from_pixels():
    spread = np.full((3508, 4961, 3), 255, np.uint8)
    p = intake.inspect(synth.encode(spread, dpi=300), "a3.png")[0]
    assert p.paper == "A3"
    assert intake.paper_size(1000, 1000, 300) == "other"


def test_multipage_tiff(tmp_path):
    tif = synth.images_to_tiff([small_page(0), small_page(1), small_page(2)])
    pages = intake.inspect(tif, "t.tif")
    assert len(pages) == 3 and all(p.kind == "tiff" and p.dpi == 300 for p in pages)
    path = _tmp(tmp_path, tif)
    assert intake.load_page(path, pages[2]).shape == (3508, 2480, 3)


def test_low_dpi_warnings():
    at_180 = synth.encode(small_page(0, dpi=180), dpi=180)
    assert intake.inspect(at_180, "x.png")[0].warnings == ["dpi_below_200"]
    at_100 = synth.encode(small_page(0, dpi=100), dpi=100)
    assert intake.inspect(at_100, "x.png")[0].warnings == ["dpi_below_150", "dpi_below_200"]


def test_unknown_dpi_guessed_from_a4():
    img = Image.fromarray(small_page(0, dpi=200))
    buf = io.BytesIO()
    img.save(buf, "PNG")  # no pHYs chunk
    p = intake.inspect(buf.getvalue(), "x.png")[0]
    assert "dpi_unknown" in p.warnings and abs(p.dpi - 200) <= 2 and p.paper == "A4"


def test_empty_file():
    assert refused(b"").code == "empty_file"


def test_corrupt_pdf():
    assert refused(b"%PDF-1.4\nthis is not a pdf at all\n%%EOF\n").code == "corrupt_pdf"


def test_truncated_pdf():
    pdf = synth.images_to_pdf([small_page(0)])
    assert refused(pdf[: len(pdf) // 2]).code == "truncated_pdf"


def test_encrypted_pdf():
    w = PdfWriter()
    w.append(PdfReader(io.BytesIO(synth.images_to_pdf([small_page(0)]))))
    w.encrypt(user_password="mật-khẩu", owner_password="chủ", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    assert refused(buf.getvalue()).code == "encrypted_pdf"


def test_owner_only_encryption_is_readable(tmp_path):
    w = PdfWriter()
    w.append(PdfReader(io.BytesIO(synth.images_to_pdf([small_page(0)]))))
    w.encrypt(user_password="", owner_password="chủ", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    pages = intake.inspect(buf.getvalue(), "owner.pdf")
    assert len(pages) == 1
    assert intake.load_page(_tmp(tmp_path, buf.getvalue()), pages[0]).shape[0] > 3000


def test_too_many_pages():
    img = np.full((200, 150, 3), 255, np.uint8)
    pdf = synth.images_to_pdf([img] * 5, dpi=25)
    err = refused(pdf, max_pages=4)
    assert err.code == "too_many_pages" and err.status == 413 and err.detail["pages"] == 5


def test_pixel_bomb_refused_from_header():
    # A 30000 x 30000 PNG compresses to almost nothing but would need 2.7 GB decoded.
    img = Image.new("1", (30000, 30000), 1)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    assert len(buf.getvalue()) < 2_000_000
    err = refused(buf.getvalue())
    assert err.code == "too_many_pixels" and err.status == 413


def test_pdf_page_bomb_refused():
    w = PdfWriter()
    w.add_blank_page(width=72 * 200, height=72 * 200)  # 200 x 200 inches
    buf = io.BytesIO()
    w.write(buf)
    assert refused(buf.getvalue()).code == "too_many_pixels"


def test_truncated_jpeg_and_png():
    jpg = synth.encode(small_page(0), "jpeg")
    assert refused(jpg[: len(jpg) // 2]).code == "truncated_image"
    png = synth.encode(small_page(0))
    assert refused(png[: len(png) // 2]).code == "truncated_image"


def test_corrupt_png_body():
    png = bytearray(synth.encode(small_page(0)))
    png[200:4000] = b"\x00" * 3800  # keep the header and the end marker, break the data
    assert refused(bytes(png)).code == "corrupt_image"


def _tmp(folder, data: bytes) -> str:
    path = folder / "upload"
    path.write_bytes(data)
    return str(path)


def test_a_page_past_the_working_size_is_decoded_shrunk(tmp_path):
    """A page under the pixel limit but huge (110 MP, as a 1065-dpi scan) is read shrunk by a whole factor to
    under WORK_PIXELS, its resolution with it, and in much less memory: 1.5 GB at its peak before, 0.9 GB now,
    measured in a process of its own as a page worker is."""
    import subprocess
    import sys

    import cv2

    page = cv2.resize(synth.render_page(seed=3, paragraphs=3).image, None, fx=3.55, fy=3.55)
    path = tmp_path / "huge.png"
    path.write_bytes(synth.encode(page, "png", dpi=1065))
    ref = intake.inspect(path.read_bytes(), "huge.png")[0]
    assert ref.width_px * ref.height_px > 100_000_000 and intake.reduction(ref) == 2
    for kind, data in (("png", path.read_bytes()), ("jpeg", synth.encode(page, "jpeg", dpi=1065))):
        (tmp_path / f"h.{kind}").write_bytes(data)
        shrunk = intake.load_page(tmp_path / f"h.{kind}", intake.inspect(data, f"h.{kind}")[0])
        assert shrunk.shape[0] * shrunk.shape[1] <= intake.WORK_PIXELS and shrunk.shape[1] >= page.shape[1] // 2
    # VmHWM, the process's own high-water mark: getrusage's maxrss keeps the forking parent's (a pytest worker's).
    script = (
        "import re\nfrom digitize.scan import intake\nfrom digitize.scan.pipeline import process_scan\n"
        f"ref = intake.inspect(open({str(path)!r}, 'rb').read(), 'huge.png')[0]\n"
        f"out = process_scan({str(path)!r}, ref.to_dict())\n"
        "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) // 1024\n"
        "print(out.error, len(out.pages[0].words), peak)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    error, words, peak_mb = run.stdout.split()
    assert error == "None" and int(words) > 100, run.stderr
    assert int(peak_mb) < 1300, f"{peak_mb} MB at the peak"
