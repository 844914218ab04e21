"""Files to download: the dossier's searchable PDF and its originals (with their SHA-256), and short-lived links
to a paper's certified e-copy (whether a copy is ours is checked by routes/public.py)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from digitize.api.deps import Actor, LinksDep, ServiceDep, VaultDep
from digitize.dossiers.keys import CONTENT_TYPES
from storage.objects import content_disposition

router = APIRouter(tags=["files"])


@router.get("/api/dossiers/{dossier_id}/searchable.pdf", response_class=Response)
def get_pdf(service: ServiceDep, actor: Actor, dossier_id: str):
    headers = {"Content-Disposition": content_disposition(f"ho-so-{dossier_id}.pdf", inline=True)}
    return Response(service.queries.searchable_pdf(dossier_id, actor), media_type="application/pdf", headers=headers)


@router.get("/api/dossiers/{dossier_id}/files/{seq}/original", response_class=Response)
def get_original(service: ServiceDep, actor: Actor, dossier_id: str, seq: int):
    f, data = service.queries.original(dossier_id, seq, actor)
    headers = {"Content-Disposition": content_disposition(f.name), "X-SHA256": f.sha256}
    return Response(data, media_type=CONTENT_TYPES.get(f.kind, "application/octet-stream"), headers=headers)


@router.get("/api/documents/{doc_id}/download", summary="A short-lived link to the certified e-copy")
def download_link(vault: VaultDep, links: LinksDep, actor: Actor, doc_id: int):
    return vault.ecopy_link(actor, doc_id, links)


@router.get("/api/download/{token}", response_class=Response, summary="Follow a download link")
def download(service: ServiceDep, links: LinksDep, token: str):
    dl = links.open(token)
    headers = {"Content-Disposition": content_disposition(dl.filename)}
    return Response(service.ctx.store.get(dl.key), media_type=dl.content_type, headers=headers)
