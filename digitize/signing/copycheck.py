"""Is a certified e-copy one we issued, and valid now? Asked without a login by whoever holds one (a bank, another
agency; the page /xac-minh), in two ways:

- the file itself (`file`): its signature intact, by our CA, over the whole file, and the very bytes recorded when
  it was signed. This proves the file in hand is unaltered.
- the text of its stamp's QR code (`qr`), typed, pasted or sent by a handheld scanner: the copy is found by its
  dossier code and document name, and the text must be the one our stored copy carries (ecopy.stamped_qr: the
  signing time to the second, the ID number, the procedure). This proves only that we issued such a copy, not that
  the file or paper in hand is unaltered; the answer says so. A text that matches nothing is counted against the
  address and the dossier code (`CHECKS`), as a guess.

Either answer says the least needed: the document type (its Vietnamese name in the catalog), the agency that
digitized it, the local date of signing, and whether its paper is approved now: a rejected paper, or an approval
undone, leaves a copy that is ours but not valid (422). Never the citizen's name or ID number.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import DigitizeError, NotFound
from digitize.people.throttle import Guard, count, hold
from digitize.signing.certify import ecopy_key, ecopy_module
from storage.objects import ObjectNotFound
from storage.records import Agency, DocState, Document, Dossier

CHECKS = Guard("xac-minh:", 10, 30, timedelta(minutes=15), "QR texts matching no copy", "Xác minh không thành công")
QR_ONLY = (
    "a QR text proves only that this system issued such a copy, not that the file or paper in hand is unaltered; "
    "upload the PDF file itself for that",
    "Mã QR chỉ cho biết hệ thống đã cấp một bản sao điện tử như vậy, không chứng minh tệp hoặc bản in đang cầm "
    "không bị sửa đổi. Để chắc chắn, hãy tải lên chính tệp PDF của bản sao.",
)
NOT_VALID_VI = {
    DocState.REJECTED: "Giấy tờ của bản sao này đã bị từ chối khi kiểm tra: bản sao không có giá trị.",
    DocState.EXTRACTED: "Giấy tờ của bản sao này chưa được duyệt hoặc việc duyệt đã bị hủy: bản sao không có giá trị.",
    DocState.REVIEWED: "Giấy tờ của bản sao này chưa được duyệt hoặc việc duyệt đã bị hủy: bản sao không có giá trị.",
}


def typed_payload(text: str) -> dict:
    """The QR text as a scanner or a person gave it (surrounding spaces and the scanner's Enter dropped, letters
    composed as ours are), parsed; a 422 saying so when it is not the text of our stamps."""
    try:
        return ecopy_module().parse_qr_payload(unicodedata.normalize("NFC", (text or "").strip()))
    except ValueError as exc:
        raise DigitizeError("bad_qr", f"not the QR text of a certified copy of this system: {exc}",
                            "Nội dung mã QR không đúng dạng mã của bản sao điện tử (v=1|dossier=…|…). Hãy quét lại "
                            "hoặc kiểm tra nội dung đã nhập.", status=422) from None  # fmt: skip


def no_such_copy() -> NotFound:
    return NotFound("ecopy_not_found", "no certified copy of this system carries this QR text",
                    "Không tìm thấy bản sao điện tử nào do hệ thống cấp có mã QR này: "
                    "bản sao không được xác minh.")  # fmt: skip


class CopyCheck:
    def __init__(self, ctx: Context, ca_certificate: Callable[[], bytes]):
        self.ctx = ctx
        self.ca_certificate = ca_certificate  # the trust root of our copies

    def file(self, data: bytes) -> dict:
        """The file in hand: ours, unaltered, of a paper approved now."""
        v = ecopy_module().verify(data, [self.ca_certificate()])
        digest = hashlib.sha256(data).hexdigest()
        with self.ctx.session() as s:
            row = s.execute(select(Document, Dossier).join(Dossier, Document.dossier_id == Dossier.id)
                            .where(Document.ecopy_sha256 == digest)).first()  # fmt: skip
            found = (row[0].state, self.facts(s, *row, v.signed_at)) if row is not None else None
        signature = dict(intact=v.intact, trusted=v.trusted, whole_file=v.whole_file)
        if not v.ok or found is None:
            reason = v.reason if not v.ok else "the file is signed but is not one this system issued"
            reason_vi = v.reason_vi if not v.ok else "Tệp có chữ ký nhưng không phải bản do hệ thống này cấp."
            raise DigitizeError("not_verified", reason, reason_vi, status=422, issued_here=found is not None,
                                **signature)  # fmt: skip
        state, facts = found
        return verdict(state, facts, signature) | {"checked": "file", "proves_unaltered": True, "sha256": digest,
                                                   "signer": v.signer}  # fmt: skip

    def qr(self, text: str, ip: str | None) -> dict:
        """The text of a copy's QR code: a copy we issued with exactly this text, of a paper approved now."""
        typed = typed_payload(text)
        code = typed["dossier_code"]
        with self.ctx.session() as s:
            hold(s, CHECKS, code, ip)
            candidates = s.execute(
                select(Document, Dossier).join(Dossier, Document.dossier_id == Dossier.id)
                .where(or_(Dossier.code == code, Dossier.id == code), Document.name == typed["document_name"],
                       Document.ecopy_sha256.is_not(None)).order_by(Document.id)
            ).all()  # fmt: skip
        for x, d in candidates:  # a dossier holds one or two papers of a name: each stored copy's text compared
            if self._stamped(x, d) == typed:
                with self.ctx.session() as s:
                    facts = self.facts(s, x, d, typed["signed_at"])
                note, note_vi = QR_ONLY
                return verdict(x.state, facts) | {"checked": "qr", "proves_unaltered": False, "note": note,
                                                  "note_vi": note_vi}  # fmt: skip
        with self.ctx.session() as s:  # in a transaction of its own, as every refused guess
            count(s, CHECKS, code, ip)
        raise no_such_copy()

    def _stamped(self, x: Document, d: Dossier) -> dict | None:
        """The QR payload of the document's last signed copy, kept in the store even after its approval was undone
        (its key then rebuilt from the digest still recorded)."""
        try:
            pdf = self.ctx.store.get(x.ecopy_key or ecopy_key(d.id, x.id, x.ecopy_sha256))
        except ObjectNotFound:
            return None
        return ecopy_module().stamped_qr(pdf)

    def facts(self, s: Session, x: Document, d: Dossier, signed_at: datetime | None) -> dict:
        """What the answer tells of a copy of ours: which paper, digitized by whom, on which local day."""
        dt = self.ctx.catalog.document_types.get(x.type)
        agency = s.get(Agency, d.agency_code) if d.agency_code else None
        local = signed_at.astimezone(self.ctx.zone) if signed_at else None
        return {
            "document_type": x.type,
            "document_name": dt.name if dt else x.name,
            "agency": agency.name if agency else (d.agency_code or ""),
            "signed_on": local.date().isoformat() if local else None,
            "signed_at": local.isoformat() if local else None,
        }


def verdict(state: str, facts: dict, detail: dict | None = None) -> dict:
    """The answer for a copy of ours: valid while its paper is approved, else a 422 saying why it is not."""
    if state != DocState.APPROVED:  # signed at reception by an earlier version, rejected, or its approval undone
        raise DigitizeError("not_verified", f"the paper of this copy is {state}, not approved",
                            NOT_VALID_VI.get(state, NOT_VALID_VI[DocState.EXTRACTED]), status=422, issued_here=True,
                            state=state, **(detail or {}), **facts)  # fmt: skip
    return {"verified": True, "state": state, **facts}
