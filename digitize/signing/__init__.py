"""The service's own CA and officers' certificates, certified e-copies (PAdES with a QR stamp) and their
verification, short-lived download links."""
