"""Certified e-copies: each document's pages, from the searchable PDF pages (text layer already in), stamped and
signed by the digitizing officer (PAdES). Whether a copy someone holds is one we issued is copycheck's.

The signing keys come from the service's own CA, made on first use and kept in the object store; each officer's
certificate is issued once and kept with the account. A production deployment replaces this with the officers'
certificates from a licensed CA; verification trusts whatever CA certificate is stored here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select

from digitize.core.context import Context
from digitize.signing import pki
from digitize.signing.links import secret_key
from ocr.pdf import join_pages
from storage.objects import ObjectNotFound
from storage.records import Agency, Document, Dossier, User, now

CA_KEY = "pki/ca-key.pem"
CA_CERT = "pki/ca-cert.pem"
SYSTEM_NAME = "digitize"


def ecopy_key(dossier_id: str, document_id: int, sha256: str) -> str:
    """Named by its content: of two copies signed at once (two approvals), the one recorded is never overwritten
    by the other."""
    return f"dossiers/{dossier_id}/documents/{document_id}/ecopy-{sha256[:16]}.pdf"


@dataclass(frozen=True)
class Signed:
    key: str  # the e-copy's object
    sha256: str
    by: str  # the officer's username

    def record(self, x: Document) -> None:
        x.ecopy_key, x.ecopy_sha256, x.signed_by, x.signed_at = self.key, self.sha256, self.by, now()


def ecopy_module():
    """The e-copy module, imported when a copy is first signed or checked: pyhanko and fontTools under it took a
    quarter of the start of every process that imports the service (command line, workers, page pools), most of
    which never sign."""
    from digitize.signing import ecopy

    return ecopy


class Certifier:
    def __init__(self, ctx: Context, page_pdf_key: Callable[[str, int], str]):
        self.ctx = ctx
        self.page_pdf_key = page_pdf_key  # a page's searchable PDF page in the store

    @cached_property
    def _password(self) -> bytes:
        """What the signing keys are encrypted under at rest, derived from the service's secret key: a copy of
        the database or of the object store alone signs nothing."""
        return hashlib.sha256(b"digitize-signing-keys:" + secret_key(self.ctx.settings).encode()).digest()

    def authority(self) -> tuple[bytes, bytes]:
        """(key, certificate) of the service's CA, made on first use, by one process only (two approvals at once
        made two CAs, and a copy signed under the one overwritten no longer verified); its key is kept sealed in
        the store (one an earlier version kept plain is sealed now)."""
        store = self.ctx.store
        found = self._stored_authority()
        if found is None:
            with self.ctx.lock("pki-authority"):
                found = self._stored_authority()
                if found is None:
                    key, cert = pki.make_ca("digitize CA (đơn vị tự cấp)", "digitize")
                    store.put(CA_KEY, pki.seal(key, self._password), "application/x-pem-file")
                    store.put(CA_CERT, cert, "application/x-pem-file")
                    found = store.get(CA_KEY), store.get(CA_CERT)
        kept, cert = found
        if not pki.is_sealed(kept):
            store.put(CA_KEY, pki.seal(kept, self._password), "application/x-pem-file")
        return pki.unseal(kept, self._password), cert

    def _stored_authority(self) -> tuple[bytes, bytes] | None:
        try:
            return self.ctx.store.get(CA_KEY), self.ctx.store.get(CA_CERT)
        except ObjectNotFound:
            return None

    def ca_certificate(self) -> bytes:
        """The CA's certificate alone (the chain of a copy, the trust of a check): no key unsealed for it."""
        try:
            return self.ctx.store.get(CA_CERT)
        except ObjectNotFound:
            return self.authority()[1]

    def credentials(self, username: str) -> tuple[bytes, bytes, str] | None:
        """(key, certificate, name) of the officer, issuing the certificate on first use, once however many
        approvals ask at the same time; None for no account. The key is kept sealed in the account's record (one
        kept plain by an earlier version is sealed now)."""
        with self.ctx.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                return None
            issued = bool(user.cert_pem and user.key_pem)
        if not issued:
            with self.ctx.lock(f"pki-officer-{username}"):
                self._issue(username)
        with self.ctx.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if not pki.is_sealed(user.key_pem.encode()):
                user.key_pem = pki.seal(user.key_pem.encode(), self._password).decode()
            return pki.unseal(user.key_pem.encode(), self._password), user.cert_pem.encode(), user.full_name

    def agency_name(self, username: str) -> str:
        """The full name of the officer's agency, as the stamp prints it; its code should the record be missing."""
        with self.ctx.session() as s:
            row = s.execute(select(User.agency_code, Agency.name).outerjoin(Agency, Agency.code == User.agency_code)
                            .where(User.username == username)).first()  # fmt: skip
            return (row.name or row.agency_code) if row is not None else ""

    def _issue(self, username: str) -> None:
        """The officer's key and certificate, unless another process issued them meanwhile."""
        with self.ctx.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user.cert_pem and user.key_pem:
                return
            ca_key, ca_cert = self.authority()
            key, cert = pki.issue_officer_cert(ca_key, ca_cert, user.full_name, user.agency_code, user.username)
            user.key_pem, user.cert_pem = pki.seal(key, self._password).decode(), cert.decode()

    def sign(self, doc_id: int, username: str, owner_id: str | None = None) -> Signed | None:
        """The document's pages, stamped and signed by the officer who approves it and stored as its e-copy: a
        copy is certified when a reviewer has checked it, never at reception. `owner_id`: whose paper the reviewer
        says it is, if not the one recorded (the stamp's QR names the owner the approval files it under). None
        when nothing can be signed (no officer's account, as for the command line; no page with a PDF)."""
        with self.ctx.session() as s:
            x = s.get(Document, doc_id)
            d = s.get(Dossier, x.dossier_id) if x is not None else None
            if x is None or d is None:
                return None
            dossier_id, name, pages = d.id, x.name, list(x.pages)
            stamp_of = dict(dossier_code=d.code or d.id, procedure_code=d.procedure or "",
                            id_number=owner_id or x.owner_id or d.citizen_id or "", document_name=x.name)  # fmt: skip
        creds = self.credentials(username)
        parts = [pdf for i in pages if (pdf := self._page_pdf(dossier_id, i)) is not None]
        if creds is None or not parts:
            return None
        key, cert, signer = creds
        ca_cert = self.ca_certificate()
        ecopy = ecopy_module()
        stamp = ecopy.Stamp(**stamp_of, signer_name=signer, signed_at=self.ctx.now().astimezone(self.ctx.zone),
                            system_name=SYSTEM_NAME, agency_name=self.agency_name(username))  # fmt: skip
        signed = ecopy.certify(join_pages(parts, title=name), stamp, key, cert, [ca_cert])
        sha = hashlib.sha256(signed).hexdigest()
        k = ecopy_key(dossier_id, doc_id, sha)
        self.ctx.store.put(k, signed, "application/pdf")
        return Signed(k, sha, username)

    def _page_pdf(self, dossier_id: str, index: int) -> bytes | None:
        try:
            return self.ctx.store.get(self.page_pdf_key(dossier_id, index))
        except ObjectNotFound:  # a blank or unreadable page has no PDF page
            return None
