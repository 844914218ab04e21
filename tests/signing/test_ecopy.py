"""The certified electronic copy: a real searchable page signed with a test CA's officer certificate, then checked
for what Circular 01/2023/TT-VPCP asks (stamp with its QR code in free margin, naming the agency and what the copy
is; whole file signed) and for tampering."""

from __future__ import annotations

import asyncio
import io
import random
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import cv2
import numpy as np
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader, PdfWriter

from digitize.devtools import synth
from digitize.signing import ecopy, pki
from ocr.pdf import searchable_page
from ocr.tesseract import ocr_image

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

VN = timezone(timedelta(hours=7))
OFFICER = "NGUYỄN VĂN AN"
AGENCY = "Bộ phận Một cửa UBND phường An Hải Bắc"
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
DPI = 300  # rendering resolution for the stamp checks
MM_PX = DPI / 25.4


def stamp_for(signed_at: datetime | None = None, **changes: str) -> ecopy.Stamp:
    fields = {
        "dossier_code": "000.00.31.H29-261122-0001",
        "procedure_code": "1.001193",
        "id_number": "001090012345",
        "document_name": "Giấy khai sinh",
        "signer_name": OFFICER,
        "agency_name": AGENCY,
    }
    fields.update(changes)
    return ecopy.Stamp(signed_at=signed_at or datetime(2026, 11, 22, 10, 15, tzinfo=VN), **fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ca() -> tuple[bytes, bytes]:
    return pki.make_ca("CA Thử nghiệm Số hóa", "UBND thành phố Đà Nẵng")


@pytest.fixture(scope="module")
def officer(ca) -> tuple[bytes, bytes]:
    return pki.issue_officer_cert(*ca, OFFICER, "UBND phường An Hải Bắc", "annv")


@pytest.fixture(scope="module")
def page_pdf() -> bytes:
    """One A4 page as the pipeline makes it: the scan with Tesseract's invisible text layer over it. An official
    paper's head: the agency at the top left, the national motto at the top right."""
    page = synth.render_page(seed=3, dpi=150, paragraphs=2, header=True)
    gray = cv2.cvtColor(page.image, cv2.COLOR_RGB2GRAY)
    return searchable_page(page.image, 150, ocr_image(gray, 150).text_pdf)


@pytest.fixture(scope="module")
def signed(page_pdf, officer) -> bytes:
    return ecopy.certify(page_pdf, stamp_for(), *officer)


def render(pdf: bytes, dpi: int = DPI, annotations: bool = True) -> np.ndarray:
    """Page 1 in grey at `dpi`, with the signature's appearance or without (the page as it was scanned)."""
    with tempfile.TemporaryDirectory(prefix="ecopy-") as tmp:
        src, out = Path(tmp) / "in.pdf", Path(tmp) / "page"
        src.write_bytes(pdf)
        hide = [] if annotations else ["-hide-annotations"]
        subprocess.run(["pdftoppm", "-r", str(dpi), "-singlefile", *hide, "-gray", "-png", src, out], check=True)
        return cv2.imread(str(out) + ".png", cv2.IMREAD_GRAYSCALE)


def stamp_box_px(pdf: bytes, dpi: int = DPI) -> tuple[int, int, int, int]:
    """The signature widget's rectangle in pixels of `render` (x0, y0, x1, y1 from the top left)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    left, bottom, right, top = (float(v) for v in page["/Annots"][0].get_object()["/Rect"])
    box = page.cropbox
    k = dpi / 72
    x0, top_edge = float(box.left), float(box.top)
    return (
        round((left - x0) * k),
        round((top_edge - top) * k),
        round((right - x0) * k),
        round((top_edge - bottom) * k),
    )


def appearance_text(pdf: bytes) -> str:
    """The text of the signature widget's appearance, as pypdf reads it."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return page.extract_xform_text(page["/Annots"][0].get_object()["/AP"]["/N"].get_object())


def stamp_text(pdf: bytes) -> str:
    """Page 1's text as poppler reads it, which takes in the signature widget's appearance (via its ToUnicode)."""
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode()


def stamp_font(pdf: bytes) -> dict:
    """The CID font of the signature widget's appearance."""
    annot = PdfReader(io.BytesIO(pdf)).pages[0]["/Annots"][0].get_object()
    font = annot["/AP"]["/N"]["/Resources"]["/Font"]["/F1"].get_object()
    return font["/DescendantFonts"][0].get_object()


def page_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


# --- QR payload -----------------------------------------------------------------------------------------------------


def test_qr_payload_round_trips_and_escapes_separators():
    stamp = stamp_for(document_name="Giấy tờ | loại=A 100%\nbản chính", dossier_code="H29|x=y")
    text = ecopy.qr_payload(stamp)
    assert text.startswith("v=1|dossier=H29%7Cx%3Dy|proc=1.001193|")
    assert "\n" not in text and "Giấy tờ %7C loại%3DA 100%25%0Abản chính" in text
    parsed = ecopy.parse_qr_payload(text)
    for key in ("dossier_code", "procedure_code", "id_number", "document_name", "system_name", "signed_at"):
        assert parsed[key] == getattr(stamp, key)
    assert parsed["signed_at"].utcoffset() == timedelta(hours=7)


def test_qr_payload_refuses_malformed_text():
    good = ecopy.qr_payload(stamp_for())
    for bad in ("", "v=2" + good[3:], good.replace("|id=", "|ident="), good + "|junk", good.replace("+07:00", "")):
        with pytest.raises(ValueError):
            ecopy.parse_qr_payload(bad)


def test_stamp_needs_an_aware_time_and_keeps_it_to_the_second():
    with pytest.raises(ValueError):
        stamp_for(datetime(2026, 11, 22, 10, 15))
    assert stamp_for(datetime(2026, 11, 22, 10, 15, 7, 999, tzinfo=VN)).signed_at.microsecond == 0


# --- signing and verifying ------------------------------------------------------------------------------------------


def test_certified_copy_verifies_with_signer_time_and_qr(signed, ca):
    stamp = stamp_for()
    v = ecopy.verify(signed, [ca[1]])
    assert (v.ok, v.intact, v.trusted, v.whole_file) == (True, True, True, True), v.reason
    assert (v.reason, v.reason_vi) == ("", "")
    assert v.signer == OFFICER
    assert v.signed_at == stamp.signed_at
    assert v.qr == ecopy.parse_qr_payload(ecopy.qr_payload(stamp))
    assert v.qr["dossier_code"] == stamp.dossier_code and v.qr["document_name"] == "Giấy khai sinh"


def test_signature_is_pades_over_the_unchanged_page(signed, page_pdf):
    before, after = PdfReader(io.BytesIO(page_pdf)), PdfReader(io.BytesIO(signed))
    assert len(after.pages) == len(before.pages) == 1
    assert after.pages[0].mediabox == before.pages[0].mediabox
    text = page_text(page_pdf)
    assert len(text.split()) > 20  # the input really has a text layer
    assert page_text(signed) == text
    assert signed.startswith(page_pdf)  # an incremental update: the original bytes are kept as they were
    assert b"/ETSI.CAdES.detached" in signed


def test_stamp_says_what_the_copy_is_the_agency_the_officer_and_the_date(signed):
    for text in (appearance_text(signed), stamp_text(signed)):  # pypdf and poppler both read it, accents intact
        lines = [" ".join(line.split()) for line in text.splitlines()]
        assert "BẢN SAO ĐIỆN TỬ" in lines and "KẾT QUẢ SỐ HÓA TỪ BẢN CHÍNH" in lines
        assert AGENCY in " ".join(lines)  # the agency's full name, not its code
        assert f"Ký số bởi: {OFFICER}" in lines
        assert "Thời gian: 22/11/2026 10:15 +07:00" in lines


def test_font_with_2048_units_per_em_is_not_spread_out(page_pdf, officer, monkeypatch):
    # DejaVu Sans has 2048 units per em: unless rescaled, pyHanko writes widths like 1401 for "A" where PDF
    # expects thousandths of an em (684), and viewers draw the letters far apart.
    monkeypatch.setattr(ecopy, "STAMP_FONTS", ("DejaVuSans.ttf",))
    ecopy._stamp_font.cache_clear()
    try:
        signed = ecopy.certify(page_pdf, stamp_for(), *officer)
        assert f"Ký số bởi: {OFFICER}" in stamp_text(signed)
        assert "DejaVuSans" in stamp_font(signed)["/BaseFont"]
        widths = [w for item in stamp_font(signed)["/W"] if isinstance(item, list) for w in item]
        assert widths and max(widths) < 1000
    finally:
        ecopy._stamp_font.cache_clear()


def test_stamp_lies_in_free_margin_never_over_the_head_or_the_text(signed, page_pdf):
    page, stamped = render(signed, annotations=False), render(signed)
    assert np.array_equal(page, render(page_pdf))  # the page itself is unchanged: the stamp is an annotation
    x0, y0, x1, y1 = stamp_box_px(signed)
    ink = page < 128
    assert ink.sum() > 10_000  # the page has a head and text to avoid
    assert not ink[y0:y1, x0:x1].any()  # nothing of the page under the stamp...
    pad = round(1.5 * MM_PX)
    assert not ink[y0 - pad : y1 + pad, x0 - pad : x1 + pad].any()  # ...nor right beside it
    rows = np.flatnonzero(ink.any(axis=1))
    assert y0 > rows.min() + 40 * MM_PX  # well below the agency and the national motto
    assert (stamped[y0:y1, x0:x1] < 128).mean() > 0.08  # QR code, text and border drawn there
    outside = np.ones_like(ink)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(stamped[outside], page[outside])  # and nowhere else
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(SCREENS / "ecopy-stamped-page.png"), render(signed, dpi=100))


def test_qr_code_in_the_stamp_scans(signed):
    x0, y0, x1, y1 = stamp_box_px(signed)
    crop = render(signed)[y0 - 20 : y1 + 20, x0 - 20 : x1 + 20]
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(crop)
    assert text == ecopy.qr_payload(stamp_for())
    xs = points[0][:, 0]
    assert 15 <= (xs.max() - xs.min()) / MM_PX <= 22  # big enough to scan from a printed copy


def test_stamp_stays_inside_any_page_box(officer, ca):
    writer = PdfWriter()
    page = writer.add_blank_page(width=842, height=1191)  # A3 portrait, blank: the lowest rightmost corner
    page.mediabox.lower_left = (-100, 50)
    page.mediabox.upper_right = (742, 1241)
    buf = io.BytesIO()
    writer.write(buf)
    signed = ecopy.certify(buf.getvalue(), stamp_for(), *officer)
    annot = PdfReader(io.BytesIO(signed)).pages[0]["/Annots"][0].get_object()
    left, bottom, right, top = (float(v) for v in annot["/Rect"])
    mm = 72 / 25.4
    assert right == pytest.approx(742 - 5 * mm, abs=1.5) and bottom == pytest.approx(50 + 5 * mm, abs=1.5)
    assert right - left == pytest.approx(75 * mm, abs=1.5) and top - bottom == pytest.approx(22 * mm, abs=1.5)
    assert ecopy.verify(signed, [ca[1]]).ok


def test_page_without_free_margin_gets_a_smaller_stamp_over_the_least_ink(officer, ca, caplog):
    img = synth.render_page(seed=5, dpi=100, paragraphs=40, header=True).image.copy()
    for dy in range(3):  # a grid of 3 x 3 dots over the whole page, margins too: no free spot anywhere
        for dx in range(3):
            img[dy::12, dx::9] = 0
    signed = ecopy.certify(searchable_page(img, 100, b""), stamp_for(), *officer)  # no text layer
    x0, y0, x1, y1 = stamp_box_px(signed)
    assert (x1 - x0) / MM_PX == pytest.approx(75 * 0.7, abs=0.5)  # shrunk as far as the QR code allows
    assert "no free margin" in caplog.text
    assert ecopy.verify(signed, [ca[1]]).ok


def test_long_name_still_fits_and_verifies(page_pdf, ca):
    name = "CÔNG TÔN NỮ THỊ PHƯƠNG THẢO"
    key, cert = pki.issue_officer_cert(*ca, name, "UBND", "thaoctnp")
    agency = "Bộ phận Tiếp nhận và Trả kết quả Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế"
    stamp = stamp_for(signer_name=name, agency_name=agency,
                      document_name="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở")  # fmt: skip
    signed = ecopy.certify(page_pdf, stamp, key, cert)
    assert ecopy.verify(signed, [ca[1]]).signer == name
    assert agency in " ".join(appearance_text(signed).split())
    x0, y0, x1, y1 = stamp_box_px(signed)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(render(signed)[y0 - 20 : y1 + 20, x0 - 20 : x1 + 20])
    assert text == ecopy.qr_payload(stamp)


def test_bytes_changed_inside_the_signed_range_break_the_signature(signed, ca):
    start, length = (int(n) for n in re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", signed).groups())
    at = signed.index(b"\xff\xd8\xff") + 500  # inside the scan's JPEG: the PDF structure stays readable
    assert start <= at < start + length
    tampered = bytearray(signed)
    tampered[at] ^= 0xFF
    v = ecopy.verify(bytes(tampered), [ca[1]])
    assert not v.ok and not v.intact
    assert "changed after signing" in v.reason and v.reason_vi


def test_incremental_update_after_signing_is_not_whole_file(signed, ca):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = generic.pdf_string("vi")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    v = ecopy.verify(out.getvalue(), [ca[1]])
    assert not v.ok and not v.whole_file
    assert v.intact and v.trusted  # the signed revision itself is still fine
    assert "after the signature" in v.reason


def test_signer_from_another_ca_is_not_trusted(page_pdf, ca):
    other_ca = pki.make_ca("CA Lạ", "Không rõ")
    signed = ecopy.certify(page_pdf, stamp_for(), *pki.issue_officer_cert(*other_ca, OFFICER, "X", "x"))
    v = ecopy.verify(signed, [ca[1]])
    assert not v.ok and not v.trusted and v.intact and v.whole_file
    assert "trusted" in v.reason and v.reason_vi
    assert ecopy.verify(signed, [ca[1], other_ca[1]]).ok  # any one of several roots will do
    assert not ecopy.verify(signed, []).ok


def test_expired_officer_certificate_is_refused(page_pdf, ca):
    now = datetime.now(UTC)
    key, cert = pki.issue_officer_cert(*ca, OFFICER, "X", "x", valid_days=365, not_before=now - timedelta(days=400))
    signed = ecopy.certify(page_pdf, stamp_for(now - timedelta(days=200)), key, cert)
    v = ecopy.verify(signed, [ca[1]])
    assert not v.ok and not v.trusted and v.intact
    assert "expired" in v.reason and "hết hạn" in v.reason_vi


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage bytes, not a PDF", b"%PDF-1.7\n1 0 obj <<", b"\x00" * 2000],
    ids=["empty", "text", "pdf-header-only", "zeros"],
)
def test_garbage_gives_a_reason_not_an_exception(data, ca):
    v = ecopy.verify(data, [ca[1]])
    assert not v.ok and not v.intact and v.reason and v.reason_vi


def damaged(copy: bytes, rng: random.Random) -> bytes:
    """One of the ways a copy arrives broken: cut short, bytes flipped, a run cut out or slipped in, a structural
    token renamed, or noise behind a PDF header."""
    b, kind = bytearray(copy), rng.randrange(6)
    if kind == 0:
        return bytes(b[: rng.randrange(len(b))])
    if kind == 1:
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    i = rng.randrange(len(b))
    if kind == 2:
        return bytes(b[:i] + b[i + rng.randint(1, 5000) :])
    if kind == 3:
        return bytes(b[:i] + rng.randbytes(rng.randint(1, 200)) + b[i:])
    if kind == 4:
        tokens = [b"/ByteRange", b"obj", b"endobj", b"xref", b"trailer", b"/Contents", b"<<", b">>", b"startxref"]
        return bytes(b).replace(rng.choice(tokens), rng.choice([*tokens, b"", b"0", b"-1", b"99999999"]), 3)
    return b"%PDF-1.7\n" + rng.randbytes(rng.randint(0, 3000))


def test_damaged_copies_get_a_reason_never_an_exception(signed, ca):
    """verify() catches only the PDF libraries' errors: 300 damaged copies (seeded, the same each run) must all be
    answered; a kind of error it does not catch would raise here. (A change in the signature's zero padding may
    leave a copy valid: the service then refuses it as not the bytes it issued.)"""
    rng = random.Random(2026)
    for _ in range(300):
        v = ecopy.verify(damaged(signed, rng), [ca[1]])
        assert v.ok or (v.reason and v.reason_vi)  # a refusal says why, in both languages


def test_truncated_and_unsigned_pdfs_are_not_ok(signed, page_pdf, ca):
    for data in (signed[: len(signed) // 2], signed[:-200], page_pdf):
        v = ecopy.verify(data, [ca[1]])
        assert not v.ok and v.reason and v.reason_vi
    assert ecopy.verify(page_pdf, [ca[1]]).reason == "the PDF has no digital signature"


def test_certify_refuses_a_key_of_another_certificate_and_non_pdf(page_pdf, officer, ca):
    other_key, _ = pki.issue_officer_cert(*ca, "TRẦN THỊ B", "X", "b")
    with pytest.raises(ValueError, match="does not belong"):
        ecopy.certify(page_pdf, stamp_for(), other_key, officer[1])
    with pytest.raises(ValueError, match="not a readable PDF"):
        ecopy.certify(b"not a pdf", stamp_for(), *officer)


def test_certify_refuses_an_already_signed_copy(signed, officer):
    with pytest.raises(ValueError, match="already signed"):
        ecopy.certify(signed, stamp_for(), *officer)


def test_works_inside_a_running_event_loop(page_pdf, officer, ca):
    # An async FastAPI endpoint calling straight in: pyHanko's own asyncio.run would fail there.
    async def endpoint() -> ecopy.Verification:
        return ecopy.verify(ecopy.certify(page_pdf, stamp_for(), *officer), [ca[1]])

    # In a thread of its own: the browser tests' Playwright keeps a loop running in the main thread.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, endpoint()).result().ok
