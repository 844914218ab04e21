"""Certified e-copies: each document's pages, from the searchable PDF pages (text layer already in), stamped and
signed by the digitizing officer (PAdES), and the check that a file is one we issued, unaltered.

The signing keys come from the service's own CA, made on first use and kept in the object store; each officer's
certificate is issued once and kept with the account. A production deployment replaces this with the officers'
certificates from a licensed CA; verification trusts whatever CA certificate is stored here.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select

from ocr.pdf import join_pages
from storage.objects import ObjectNotFound
from storage.records import Document, Dossier, User, now

from . import ecopy, pki
from .errors import DigitizeError

CA_KEY = "pki/ca-key.pem"
CA_CERT = "pki/ca-cert.pem"
SYSTEM_NAME = "digitize"


def ecopy_key(dossier_id: str, document_id: int) -> str:
    return f"dossiers/{dossier_id}/documents/{document_id}/ecopy.pdf"


class Certifier:
    def __init__(self, service):
        self.svc = service  # DossierService: sessions, store, time zone

    def authority(self) -> tuple[bytes, bytes]:
        store = self.svc.store
        try:
            return store.get(CA_KEY), store.get(CA_CERT)
        except ObjectNotFound:
            key, cert = pki.make_ca("digitize CA (đơn vị tự cấp)", "digitize")
            store.put(CA_KEY, key, "application/x-pem-file")
            store.put(CA_CERT, cert, "application/x-pem-file")
            return store.get(CA_KEY), store.get(CA_CERT)

    def credentials(self, username: str) -> tuple[bytes, bytes, str] | None:
        """(key, certificate, name) of the officer, issuing the certificate on first use; None for no account."""
        with self.svc.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                return None
            if not user.cert_pem or not user.key_pem:
                ca_key, ca_cert = self.authority()
                key, cert = pki.issue_officer_cert(ca_key, ca_cert, user.full_name, user.agency_code, user.username)
                user.key_pem, user.cert_pem = key.decode(), cert.decode()
            return user.key_pem.encode(), user.cert_pem.encode(), user.full_name

    def certify_documents(self, dossier_id: str, page_pdf_key) -> int:
        """Sign every document of the dossier that has no e-copy yet; returns how many were signed.

        Dossiers opened without an officer's account (the command line) have nobody to sign for them.
        """
        with self.svc.session() as s:
            d = s.get(Dossier, dossier_id)
            todo = s.scalars(
                select(Document).where(Document.dossier_id == dossier_id, Document.ecopy_key.is_(None))
            ).all()
            if d is None or not d.created_by or not todo:
                return 0
            code, procedure, citizen = d.code or d.id, d.procedure or "", d.citizen_id or ""
            docs = [(x.id, x.name, x.owner_id, list(x.pages)) for x in todo]
        creds = self.credentials(d.created_by)
        if creds is None:
            return 0
        key, cert, signer = creds
        _, ca_cert = self.authority()
        done = 0
        for doc_id, name, owner, pages in docs:
            parts = []
            for i in pages:
                try:
                    parts.append(self.svc.store.get(page_pdf_key(dossier_id, i)))
                except ObjectNotFound:  # a blank or unreadable page has no PDF page
                    continue
            if not parts:
                continue
            stamp = ecopy.Stamp(dossier_code=code, procedure_code=procedure, id_number=owner or citizen,
                                document_name=name, signer_name=signer, signed_at=datetime.now(self.svc.zone),
                                system_name=SYSTEM_NAME)  # fmt: skip
            signed = ecopy.certify(join_pages(parts, title=name), stamp, key, cert, [ca_cert])
            k = ecopy_key(dossier_id, doc_id)
            self.svc.store.put(k, signed, "application/pdf")
            with self.svc.session() as s:
                x = s.get(Document, doc_id)
                x.ecopy_key, x.ecopy_sha256 = k, hashlib.sha256(signed).hexdigest()
                x.signed_by, x.signed_at = d.created_by, now()
            done += 1
        return done

    def verify(self, data: bytes) -> dict:
        """Is this the file we issued, unaltered? Signature intact, by our CA, covering the whole file, and the
        very bytes recorded when it was signed."""
        _, ca_cert = self.authority()
        v = ecopy.verify(data, [ca_cert])
        digest = hashlib.sha256(data).hexdigest()
        with self.svc.session() as s:
            x = s.scalar(select(Document).where(Document.ecopy_sha256 == digest))
            issued = x is not None
        if not v.ok or not issued:
            reason = v.reason if not v.ok else "the file is signed but is not one this system issued"
            reason_vi = v.reason_vi if not v.ok else "Tệp có chữ ký nhưng không phải bản do hệ thống này cấp."
            raise DigitizeError("not_verified", reason, reason_vi, status=422, intact=v.intact, trusted=v.trusted,
                                whole_file=v.whole_file, issued_here=issued)  # fmt: skip
        return {"verified": True, "sha256": digest, "signer": v.signer,
                "signed_at": v.signed_at.isoformat() if v.signed_at else None, "qr": v.qr}  # fmt: skip
