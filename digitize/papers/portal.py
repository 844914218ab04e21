"""Papers offered to the citizen's personal data repository on the national public-service portal, through the
outbox: an approved paper's certified e-copy is offered once per version (its e-copy's SHA-256: signed again after
an undo, it is a new version), and withdrawn when its approval is undone. Written in the approval's transaction,
so a paper approved is a paper offered, and one whose approval failed is not. The JSON is in docs/outbox.md.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.orm import Session

from digitize.outbox import queue
from forms.catalog import Catalog
from storage.records import Agency, Document, Dossier

CHANNEL = "portal"


def offer(s: Session, now: datetime, catalog: Catalog, x: Document, d: Dossier) -> None:
    """Offer the approved paper `x` (signed: without an e-copy there is nothing to file)."""
    if not (x.ecopy_key and x.ecopy_sha256 and x.owner_id):
        return
    t = catalog.document_types.get(x.type)
    agency = s.get(Agency, d.agency_code) if d.agency_code else None
    document = {
        "action": "offer",
        "version": x.ecopy_sha256,
        "document_id": x.id,
        "type": x.type,
        "type_name": t.name if t else x.name,
        "fields": {k: f.get("value") for k, f in (x.fields or {}).items() if isinstance(f, dict) and f.get("value")},
        "valid_until": x.valid_until.isoformat() if x.valid_until else None,
        "approved_at": x.decided_at.isoformat() if x.decided_at else now.isoformat(),
        "agency": {"code": d.agency_code, "name": agency.name if agency else None},
        "dossier_code": d.code,
        "procedure": d.procedure,
        "ecopy": {"sha256": x.ecopy_sha256, "key": x.ecopy_key},
    }
    queue.enqueue(s, now, CHANNEL, f"portal:offer:{x.id}:{x.ecopy_sha256}", x.owner_id, json.dumps(document),
                  agency=d.agency_code, dossier_id=d.id)  # fmt: skip


def withdraw(s: Session, now: datetime, x: Document, d: Dossier, owner_id: str | None, sha256: str | None) -> None:
    """The paper's approval was undone: the version offered is withdrawn (nothing, if none was offered). An offer
    still waiting is not sent at all; one being tried may have arrived, so the withdrawal is sent in any case (the
    receiver keeps a withdrawn version withdrawn whichever of the two comes first: docs/outbox.md)."""
    if not (owner_id and sha256):
        return
    queue.cancel(s, f"portal:offer:{x.id}:{sha256}", "withdrawn before it was delivered")
    document = {"action": "withdraw", "version": sha256, "document_id": x.id}
    queue.enqueue(s, now, CHANNEL, f"portal:withdraw:{x.id}:{sha256}", owner_id, json.dumps(document),
                  agency=d.agency_code, dossier_id=d.id)  # fmt: skip
