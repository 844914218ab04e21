"""The certified electronic copy (bản sao điện tử được ký số) of Circular 01/2023/TT-VPCP.

`certify` puts the digitizing officer's visible stamp (a QR code; what the copy is, `WORDING`; the agency's full name,
the officer's name and the signing time) in free margin of page 1 (`margin.free_spot`, measured on the page
rendered by poppler: never over the agency header or the national motto at the top, nor over the text), and signs
the whole PDF with a PAdES baseline B-B signature; `verify` checks such a file offline against the unit's trust
roots. The stamp is the appearance of the signature widget, so it is part of what is signed and the page content
(scan and OCR text layer) is left untouched.

QR payload (`qr_payload`): UTF-8 text, `key=value` pairs joined by `|`, always in this order::

    v=1|dossier=<dossier code>|proc=<procedure code>|id=<ID number>|doc=<document name>|sys=<system>|time=<ISO 8601>

Values keep their Vietnamese letters as they are; only `%`, `|`, `=` and control characters are written as
`%XX` (upper-case hex), so splitting on `|` and then on the first `=` is unambiguous. `time` is
`YYYY-MM-DDTHH:MM:SS+HH:MM`, to the second. Short keys keep the QR code small enough to read in a 20 mm square.
The same text is stored in the signature dictionary under `/DigitizeQR`, so `verify` returns it without
decoding the image.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import subprocess
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import QRPosition, QRStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from digitize.core.fonts import first_font
from digitize.signing import margin

T = TypeVar("T")
log = logging.getLogger(__name__)

# What pyHanko raises on a damaged or forged file: its own PdfError family for the PDF's structure, ValueError (its
# signature errors derive from it, as do asn1crypto's) for the signature's content. Fuzzing a signed copy with
# truncations, flipped bytes, cut and inserted runs and renamed tokens (thousands of them) raised nothing else.
PDF_ERRORS = (PdfError, ValueError)

PAYLOAD_VERSION = "1"
# (key in the QR text, field of Stamp), in the order they are written.
PAYLOAD_FIELDS = (
    ("dossier", "dossier_code"),
    ("proc", "procedure_code"),
    ("id", "id_number"),
    ("doc", "document_name"),
    ("sys", "system_name"),
    ("time", "signed_at"),
)
QR_KEY = "/DigitizeQR"  # private entry of the signature dictionary holding the QR text
FIELD_NAME = "BanSaoDienTu"

MM = 72 / 25.4
STAMP_W, STAMP_H = 75 * MM, 22 * MM
EDGE = 5 * MM  # from the page's edges: printers leave about 4 mm unprinted
CLEARANCE = 2 * MM  # from the nearest ink of the page
RENDER_DPI = 72  # the page measured for ink at one pixel a point: text strokes still show, A4 is 595 x 842
# What the copy is. Circular 01/2023/TT-VPCP (Chapter II, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính")
# calls what the counter makes from a paper original its "kết quả số hóa", signed by the officer who made it; Decree
# 45/2020/NĐ-CP art. 3 defines "bản sao điện tử" as the electronic image of the paper original (bản chính). It is
# not the notarial "chứng thực bản sao từ bản chính" of Decree 23/2015, so the stamp does not say "chứng thực".
WORDING = "BẢN SAO ĐIỆN TỬ\nKẾT QUẢ SỐ HÓA TỪ BẢN CHÍNH"  # a line each
INNSEP = 2  # points around the QR code; the QR's own quiet zone adds the rest
TEXT_GAP = 3  # points between the QR code and the text
FONT_SIZES = (8, 7, 6, 5)  # pyHanko writes sizes as integers
# Sans-serif faces with every Vietnamese letter, best first: Noto Sans already has 1000 units per em.
STAMP_FONTS = ("NotoSans-Regular.ttf", "DejaVuSans.ttf", "LiberationSans-Regular.ttf")


@dataclass(frozen=True)
class Stamp:
    """What the stamp and the QR code of a certified copy say (the QR code leaves out the signer and the agency,
    as the circular's list of its data does). `signed_at` must be timezone-aware; it is kept to the second, as in
    the PDF signature."""

    dossier_code: str
    procedure_code: str
    id_number: str
    document_name: str
    signer_name: str
    signed_at: datetime
    system_name: str = "digitize"
    agency_name: str = ""  # the full name of the officer's agency, as the stamp prints it

    def __post_init__(self) -> None:
        if self.signed_at.tzinfo is None or self.signed_at.utcoffset() is None:
            raise ValueError("signed_at must be timezone-aware")
        object.__setattr__(self, "signed_at", self.signed_at.replace(microsecond=0))


@dataclass
class Verification:
    """What `verify` found. `ok` only when the file has a signature, every signature is intact, every signer
    chains to a trust root with a certificate valid now (a B-B signature carries no trusted time, so an expired
    certificate cannot be shown to have been valid when it signed), and the last signature covers the whole file.
    `signer` (certificate CN), `signed_at` (the signature's /M) and `qr` (`parse_qr_payload` of the stored QR
    text) describe the first signature, the digitizing officer's; `reason` and `reason_vi` say why not ok."""

    ok: bool = False
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str | None = None
    signed_at: datetime | None = None
    qr: dict | None = None
    reason: str = ""
    reason_vi: str = ""


# --- QR payload ---------------------------------------------------------------------------------------------------


def _escape(value: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in "%|=" or ord(c) < 0x20 or ord(c) == 0x7F else c for c in value)


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "%":
            code = value[i + 1 : i + 3]
            if len(code) != 2 or not all(c in "0123456789ABCDEFabcdef" for c in code):
                raise ValueError(f"bad escape {value[i : i + 3]!r} in QR payload")
            out.append(chr(int(code, 16)))
            i += 3
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def qr_payload(stamp: Stamp) -> str:
    """The QR code's text; see the module docstring for the format."""
    values = {f: getattr(stamp, f) for _, f in PAYLOAD_FIELDS}
    values["signed_at"] = stamp.signed_at.isoformat(timespec="seconds")
    return "|".join([f"v={PAYLOAD_VERSION}"] + [f"{key}={_escape(values[f])}" for key, f in PAYLOAD_FIELDS])


def parse_qr_payload(text: str) -> dict:
    """Inverse of `qr_payload`: Stamp field names to values (`signed_at` an aware datetime). Unknown keys are
    ignored so later versions can add some; missing ones raise ValueError."""
    pairs: dict[str, str] = {}
    for part in text.strip().split("|"):
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"QR payload part without '=': {part!r}")
        pairs[key] = _unescape(value)
    if pairs.get("v") != PAYLOAD_VERSION:
        raise ValueError(f"unknown QR payload version {pairs.get('v')!r}")
    missing = [key for key, _ in PAYLOAD_FIELDS if key not in pairs]
    if missing:
        raise ValueError(f"QR payload lacks {', '.join(missing)}")
    out: dict = {f: pairs[key] for key, f in PAYLOAD_FIELDS}
    when = datetime.fromisoformat(out["signed_at"])
    if when.tzinfo is None:
        raise ValueError("QR payload time has no UTC offset")
    out["signed_at"] = when
    return out


# --- signing --------------------------------------------------------------------------------------------------------


def _off_loop(fn: Callable[..., T], *args: object) -> T:
    """pyHanko's synchronous API calls asyncio.run, which fails inside a running event loop (an async FastAPI
    endpoint): there, run it on a worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        in_loop = False  # called outside the except block so pyHanko's errors do not chain to this one
    else:
        in_loop = True
    if not in_loop:
        return fn(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


@dataclass(frozen=True)
class _StampFont(FontEngineFactory):
    """The stamp's font, held in memory at 1000 units per em.

    pyHanko writes a TrueType font's widths in the font's own units where PDF wants thousandths of an em, so a
    font with another em size (DejaVu, Liberation: 2048) would be drawn with its letters far apart. Noto Sans
    already has 1000; any other font is rescaled once per process (about a second) rather than written to a
    shared temporary folder where another user could swap it.
    """

    data: bytes
    advances: dict[int, int]  # code point -> advance width in thousandths of an em
    font_size: int = 10

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:  # type: ignore[no-untyped-def]
        return GlyphAccumulator(writer, io.BytesIO(self.data), self.font_size, obj_stream=obj_stream)

    def width(self, text: str, size: int) -> float:
        """Advance width in points (kerning ignored: the layout keeps a little slack)."""
        return sum(self.advances.get(ord(c), 1000) for c in text) * size / 1000


@cache
def _stamp_font() -> _StampFont:
    found = first_font(STAMP_FONTS)
    if found is None:
        raise FileNotFoundError(
            "no TrueType font with Vietnamese letters for the signature stamp; "
            "install fonts-noto-core or fonts-dejavu-core"
        )
    return _load_font(found)


def _load_font(path: Path) -> _StampFont:
    font = TTFont(path)
    if font["head"].unitsPerEm == 1000:
        data = path.read_bytes()
    else:
        scale_upem(font, 1000)
        if "FFTM" in font:
            del font["FFTM"]  # FontForge's timestamp: the subsetter would warn about it on every stamp
        buf = io.BytesIO()
        font.save(buf)
        data = buf.getvalue()
    hmtx = font["hmtx"]
    return _StampFont(data, {cp: hmtx[glyph][0] for cp, glyph in font.getBestCmap().items()})


def _when(dt: datetime) -> str:
    offset = dt.strftime("%z")  # +0700
    return f"{dt:%d/%m/%Y %H:%M} {offset[:3]}:{offset[3:]}"


def _wrap(text: str, size: int, width: float) -> list[str]:
    """`text` in lines no wider than `width` at `size`, broken between words (a word longer than a line stays
    whole: the caller then tries a smaller size)."""
    font, lines, line = _stamp_font(), [], ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if line and font.width(joined, size) > width:
            lines.append(line)
            joined = word
        line = joined
    return [*lines, line] if line else lines


def _stamp_text(stamp: Stamp, text_width: float, height: float) -> tuple[str, int]:
    """The stamp's lines, each item wrapped between words, at the largest size at which all fit beside the QR
    code: what the copy is, the agency, who signed and when."""
    font = _stamp_font()
    items = [
        *WORDING.split("\n"),
        stamp.agency_name,
        f"Ký số bởi: {stamp.signer_name}",
        f"Thời gian: {_when(stamp.signed_at)}",
    ]
    items = [i for i in items if i.strip()]
    lines: list[str] = []
    for size in FONT_SIZES:
        lines = [ln for item in items for ln in _wrap(item, size, text_width)]
        # The lines' leading plus one size for the first line's ascent and the last one's descent.
        fits_height = len(lines) * round(size * 1.25) + size <= height - 2 * INNSEP
        if max(font.width(ln, size) for ln in lines) <= text_width and fits_height:
            return "\n".join(lines), size
    return "\n".join(lines), FONT_SIZES[-1]  # pyHanko shrinks the whole stamp to fit


def _stamp_style(stamp: Stamp, width: float, height: float) -> QRStampStyle:
    """The stamp laid out for a box of `width` x `height` points (smaller than STAMP_W x STAMP_H where the free
    margin is), so a shrunk stamp is drawn at its own size rather than scaled."""
    qr_size = height - 2 * INNSEP
    text, size = _stamp_text(stamp, width - qr_size - 2 * INNSEP - 2 * TEXT_GAP, height)
    # Opaque white under the stamp: a QR code drawn over the scan's own ink would not scan.
    background = RawContent(b"1 1 1 rg 0 0 %g %g re f" % (width, height), box=layout.BoxConstraints(width, height))
    return QRStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(
            font=replace(_stamp_font(), font_size=size),
            font_size=size,
            leading=round(size * 1.25),
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins(left=TEXT_GAP, right=TEXT_GAP),
            ),
        ),
        innsep=INNSEP,
        qr_inner_size=round(qr_size),
        qr_position=QRPosition.LEFT_OF_TEXT,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID
        ),
        border_width=1,
        border_color=(0.0, 0.2, 0.6),
        background=background,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN
        ),
    )


def render_gray(pdf: bytes, dpi: int = RENDER_DPI) -> np.ndarray:
    """Page 1 of `pdf` in grey as poppler draws it (its crop box, annotations included). Raises ValueError when
    poppler cannot draw it."""
    proc = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-gray", "-"],
                          input=pdf, capture_output=True, timeout=120)  # fmt: skip
    if proc.returncode != 0 or not proc.stdout:
        raise ValueError(f"page 1 cannot be rendered: {proc.stderr.decode(errors='replace').strip()[:200]}")
    img = cv2.imdecode(np.frombuffer(proc.stdout, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise ValueError("page 1 cannot be rendered")
    return img


def place_stamp(gray: np.ndarray, box: Sequence[float]) -> tuple[tuple[float, float, float, float], margin.Spot]:
    """The stamp's rectangle in PDF points on a page whose visible box is `box` (x0, y0, x1, y1, any corners)
    and whose image, drawn over that box, is `gray`; and the spot `margin.free_spot` chose."""
    x0, y0, x1, y1 = box
    left, top = min(x0, x1), max(y0, y1)
    rows, cols = gray.shape
    px = cols / abs(x1 - x0)  # pixels a point, across; poppler rounds the size so the two may differ a little
    py = rows / abs(y1 - y0)
    spot = margin.free_spot(gray, round(STAMP_W * px), round(STAMP_H * py), round(EDGE * max(px, py)),
                            round(CLEARANCE * max(px, py)))  # fmt: skip
    rect = (left + spot.x / px, top - (spot.y + spot.h) / py, left + (spot.x + spot.w) / px, top - spot.y / py)
    return rect, spot


def _public_der(key_pem: bytes) -> bytes:
    public = serialization.load_pem_private_key(key_pem, password=None).public_key()
    return public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


async def _sign_async(writer: IncrementalPdfFileWriter, pdf_signer: signers.PdfSigner, stamp: Stamp) -> bytes:
    # pyHanko's step-by-step signing API: the only way to set the signing time (sign_pdf takes the clock's) and
    # to add the QR text to the signature dictionary before the signed bytes are written.
    payload = qr_payload(stamp)
    session = pdf_signer.init_signing_session(writer)
    session.system_time = stamp.signed_at
    reserved = await session.estimate_signature_container_size(None)
    tbs = session.prepare_tbs_document(
        validation_info=None, bytes_reserved=reserved, appearance_text_params={"url": payload}
    )
    session.sig_field["/V"].get_object()[generic.pdf_name(QR_KEY)] = generic.pdf_string(payload)
    prepared, output = tbs.digest_tbs_document(output=io.BytesIO())
    await tbs.perform_signature(
        document_digest=prepared.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=stamp.signed_at),
    )
    return output.getvalue()


def certify(pdf: bytes, stamp: Stamp, key_pem: bytes, cert_pem: bytes, chain_pems: Sequence[bytes] = ()) -> bytes:
    """The certified copy: `pdf` (already with its OCR text layer) plus the visible stamp in free margin of page 1
    (`place_stamp`; logged when it had to be shrunk or, with no free margin, laid over the page's ink) and a PAdES
    B-B signature (ETSI.CAdES.detached) over the whole file, timed `stamp.signed_at`.

    Raises ValueError for an unreadable, encrypted or already signed PDF, or a key that does not match the
    certificate.
    """
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    except PDF_ERRORS as exc:
        raise ValueError(f"not a readable PDF: {exc}") from exc
    if writer.prev.encrypted:
        raise ValueError("the PDF is encrypted; certify the unencrypted copy")
    if writer.prev.embedded_signatures:
        # The copy is signed once, last: a second stamp would cover the first and the text layer is frozen.
        raise ValueError("the PDF is already signed")
    try:
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        box = find_inherited_value_in_tree(page, "/CropBox", "/Parent") or find_inherited_value_in_tree(
            page, "/MediaBox", "/Parent"
        )
        rect, spot = place_stamp(render_gray(pdf), [float(v) for v in box])
    except (*PDF_ERRORS, KeyError, TypeError) as exc:  # TypeError: a page with no box at all
        raise ValueError(f"the PDF's first page cannot be read: {exc}") from exc
    if spot.note():
        log.warning("e-copy %s, %s: %s", stamp.dossier_code, stamp.document_name, spot.note())
    cert = next(iter(load_certs_from_pemder_data(cert_pem)))
    key = load_private_key_from_pemder_data(key_pem, passphrase=None)
    if _public_der(key_pem) != cert.public_key.dump():
        raise ValueError("the private key does not belong to the certificate")
    chain = [c for pem in chain_pems for c in load_certs_from_pemder_data(pem)]
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs([cert, *chain])
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        # Digitizing, not the notarial "chứng thực bản sao từ bản chính" of Decree 23/2015, so it says so.
        reason="Số hóa hồ sơ, giấy tờ theo Thông tư 01/2023/TT-VPCP",
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        stamp_style=_stamp_style(stamp, rect[2] - rect[0], rect[3] - rect[1]),
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=0, box=rect, readable_field_name="Bản sao điện tử"),
    )
    return _off_loop(asyncio.run, _sign_async(writer, pdf_signer, stamp))


# --- verification ---------------------------------------------------------------------------------------------------


def verify(pdf: bytes, trust_roots_pem: Sequence[bytes]) -> Verification:
    """Check a certified copy offline against the trust roots (PEM, one or more certificates each). Never raises:
    anything that is not a good certified copy gives ok=False and a reason."""
    try:
        return _off_loop(_verify, pdf, list(trust_roots_pem))
    except PDF_ERRORS as exc:  # what thousands of damaged copies raised (tests/signing/test_ecopy.py fuzzes it)
        return _refused(f"the signature cannot be checked: {exc}", "Không kiểm tra được chữ ký số của tệp.")


def stamped_qr(pdf: bytes) -> dict | None:
    """The QR payload (`parse_qr_payload`) that a copy's first signature carries, unchecked: for a copy from our own
    store, what a QR text typed by someone holding its paper is compared with. None when it has none."""
    try:
        sigs = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures
    except PDF_ERRORS:
        return None
    return _describe(sigs[0])["qr"] if sigs else None


def _refused(reason: str, reason_vi: str) -> Verification:
    return Verification(ok=False, reason=reason, reason_vi=reason_vi)


def _verify(pdf: bytes, trust_roots_pem: list[bytes]) -> Verification:
    if b"%PDF-" not in pdf[:1024]:
        return _refused("not a PDF file", "Tệp không phải là tệp PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if reader.encrypted:
            return _refused("the PDF is encrypted", "Tệp PDF bị mã hóa.")
        sigs = reader.embedded_regular_signatures
    except PDF_ERRORS as exc:
        return _refused(f"the PDF cannot be read (damaged or truncated): {exc}", "Tệp PDF bị hỏng hoặc không đầy đủ.")
    if not sigs:
        return _refused("the PDF has no digital signature", "Tệp PDF chưa được ký số.")

    roots = [c for pem in trust_roots_pem for c in load_certs_from_pemder_data(pem)]
    found = _describe(sigs[0])
    intact = trusted = True
    coverage: list[SignatureCoverageLevel | None] = []
    reasons: list[tuple[str, str]] = []
    for sig in sigs:
        # A fresh context per signature: it caches paths and state. No fetching: the counter may be offline, and
        # soft-fail accepts a certificate whose revocation status cannot be learnt.
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, context, skip_diff=True)
        except PDF_ERRORS as exc:
            intact = trusted = False
            coverage.append(None)
            reasons.append((f"the signature is malformed: {exc}", "Chữ ký số bị lỗi định dạng."))
            continue
        coverage.append(status.coverage)
        if not (status.intact and status.valid):
            intact = False
            reasons.append(
                (
                    "the signature does not match the content: the file was changed after signing",
                    "Chữ ký số không khớp với nội dung: tệp đã bị sửa sau khi ký.",
                )
            )
        if status.trust_problem_indic is not None or status.validation_path is None:
            trusted = False
            reasons.append(_untrusted(status.signing_cert, status.trust_problem_indic, status.revoked))
    # The last signature must cover every byte; earlier ones (co-signatures) at least their own revision.
    whole_file = coverage[-1] == SignatureCoverageLevel.ENTIRE_FILE and all(
        c is not None and c >= SignatureCoverageLevel.ENTIRE_REVISION for c in coverage
    )
    if not whole_file:
        reasons.append(
            (
                "the file was added to or changed after the signature",
                "Tệp đã được bổ sung hoặc sửa đổi sau khi ký số.",
            )
        )
    ok = intact and trusted and whole_file
    unique = list(dict.fromkeys(reasons))
    return Verification(
        ok=ok,
        intact=intact,
        trusted=trusted,
        whole_file=whole_file,
        reason="; ".join(r for r, _ in unique),
        reason_vi=" ".join(r for _, r in unique),
        **found,
    )


def _describe(sig: EmbeddedPdfSignature) -> dict:
    """Signer, time and QR text as the signature states them, each None when it cannot be read."""
    found: dict = {"signer": None, "signed_at": None, "qr": None}
    with contextlib.suppress(Exception):
        found["signer"] = sig.signer_cert.subject.native.get("common_name")
    with contextlib.suppress(Exception):
        found["signed_at"] = sig.self_reported_timestamp
    with contextlib.suppress(Exception):
        found["qr"] = parse_qr_payload(str(sig.sig_object[QR_KEY]))
    return found


def _untrusted(cert: asn1_x509.Certificate, indic: object, revoked: bool) -> tuple[str, str]:
    now = datetime.now(UTC)
    until, since = cert.not_valid_after, cert.not_valid_before
    if revoked:
        return "the signer's certificate was revoked", "Chứng thư số của người ký đã bị thu hồi."
    if until < now:
        return (
            f"the signer's certificate expired on {until:%Y-%m-%d}",
            f"Chứng thư số của người ký đã hết hạn từ ngày {until:%d/%m/%Y}.",
        )
    if since > now:
        return (
            f"the signer's certificate is valid only from {since:%Y-%m-%d}",
            f"Chứng thư số của người ký chỉ có hiệu lực từ ngày {since:%d/%m/%Y}.",
        )
    name = getattr(indic, "name", None) or "no path to a trusted root"
    return (
        f"the signer's certificate is not issued by a trusted certificate authority ({name})",
        "Chứng thư số của người ký không do tổ chức chứng thực được tin cậy cấp.",
    )
