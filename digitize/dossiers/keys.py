"""Where a dossier's objects live in the store, and the content types of the files handed in."""

from __future__ import annotations

CONTENT_TYPES = {"pdf": "application/pdf", "tiff": "image/tiff", "jpeg": "image/jpeg", "png": "image/png"}


def page_key(dossier_id: str, index: int, name: str) -> str:
    return f"dossiers/{dossier_id}/pages/{index}/{name}"


def scan_key(dossier_id: str, scan_id: int) -> str:
    """Where a worker leaves what it read of one scan, until the dossier's pages are numbered."""
    return f"dossiers/{dossier_id}/scans/{scan_id}.zip"


def dossier_key(dossier_id: str, name: str) -> str:
    return f"dossiers/{dossier_id}/{name}"
