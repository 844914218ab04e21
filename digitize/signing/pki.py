"""A small certificate authority for the digitizing officers' signing keys: PEM bytes in, PEM bytes out.

Production signing keys come from a licensed CA (or the government CA) on a token; this module covers a unit's
own test and training deployments and the test suite. Keys are EC P-256: small signatures, fast to generate,
accepted by pyHanko and by Vietnamese signature validators alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

# Certificates start a little in the past so a verifier whose clock lags ours still sees them as valid.
CLOCK_SKEW = timedelta(minutes=5)
NAME_MAX = 64  # ub-common-name (RFC 5280); the X.509 encoder counts it in UTF-8 bytes and refuses more


def common_name(full_name: str) -> str:
    """The officer's name as a certificate's CN holds it: whole up to NAME_MAX bytes of UTF-8 (a Vietnamese name
    of some 40 letters), else cut after the last whole word that fits (the full name is printed on the stamp of
    each copy they sign)."""
    words, out = " ".join(full_name.split()).split(" "), ""
    for word in words:
        longer = f"{out} {word}" if out else word
        if len(longer.encode()) > NAME_MAX:
            break
        out = longer
    return out or full_name.encode()[:NAME_MAX].decode(errors="ignore")


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def seal(key_pem: bytes, password: bytes) -> bytes:
    """A private key as it is kept at rest (database, object store): PKCS#8 encrypted under `password`."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(password))  # fmt: skip


def unseal(kept: bytes, password: bytes) -> bytes:
    """The plain key of a `seal`ed one, for signing in memory; a key kept plain by an earlier version as it is."""
    if b"ENCRYPTED" not in kept:
        return kept
    key = serialization.load_pem_private_key(kept, password=password)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())  # fmt: skip


def is_sealed(kept: bytes) -> bool:
    return b"ENCRYPTED" in kept


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_usage(ca: bool) -> x509.KeyUsage:
    """A CA signs certificates and CRLs; an officer signs documents (digitalSignature + nonRepudiation)."""
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca(ca_name: str, organization: str, valid_days: int = 3650) -> tuple[bytes, bytes]:
    """A self-signed root CA: (key_pem, cert_pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, ca_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    start = datetime.now(UTC) - CLOCK_SKEW
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            _key_usage(ca=True),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _key_pem(key), _cert_pem(cert)


def issue_officer_cert(
    ca_key_pem: bytes,
    ca_cert_pem: bytes,
    officer_name: str,
    organization: str,
    username: str,
    valid_days: int = 730,
    not_before: datetime | None = None,
) -> tuple[bytes, bytes]:
    """A document-signing certificate for one officer, issued by the CA: (key_pem, cert_pem).

    The subject carries the officer's full name (CN, Vietnamese in UTF-8, `common_name`), the unit (O) and the
    login (UID), so a signature can be traced back to the account that made it. `not_before` (aware or UTC) lets
    tests build an already expired certificate.
    """
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=None)
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError("the CA key must be EC or RSA")
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before if not_before is not None else datetime.now(UTC) - CLOCK_SKEW
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name(officer_name)),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.USER_ID, username),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    try:
        ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski)
    except x509.ExtensionNotFound:
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # nonRepudiation (contentCommitment) is what pyHanko and Adobe require of a document signer.
            _key_usage(ca=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(aki, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return _key_pem(key), _cert_pem(cert)
