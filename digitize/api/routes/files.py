"""Files to download: the dossier's searchable PDF and its originals (with their SHA-256), short-lived links to a
paper's certified e-copy, and the check that a certified e-copy is one we issued, unaltered."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from digitize.api.deps import Actor, LinksDep, ServiceDep, VaultDep
from digitize.core.errors import DigitizeError
from digitize.dossiers.keys import CONTENT_TYPES
from storage.objects import content_disposition

router = APIRouter(tags=["files"])

VERIFY_LIMIT = 64 * 1024 * 1024  # a certified copy of a long dossier is a few MiB


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


@router.post("/api/verify", summary="Is this certified e-copy one we issued, unaltered?")
async def verify(service: ServiceDep, file: Annotated[UploadFile, File()]):
    data = await file.read(VERIFY_LIMIT + 1)
    if len(data) > VERIFY_LIMIT:
        raise DigitizeError("file_too_large", "a certified copy is under 64 MiB", "Tệp quá lớn.", status=413)
    return await run_in_threadpool(service.certifier.verify, data)
