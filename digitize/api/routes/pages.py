"""A dossier's pages: the page's record, its text, its cleaned image, thumbnail and OCR words."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response

from digitize.api.answers import PageDetail
from digitize.api.deps import Actor, ServiceDep
from digitize.core.errors import NotFound
from digitize.dossiers.keys import page_key
from digitize.dossiers.queries import page_json

router = APIRouter(tags=["pages"])

PAGE_FILES = {"clean.jpg": "image/jpeg", "thumb.jpg": "image/jpeg", "ocr.json": "application/json"}


@router.get("/api/dossiers/{dossier_id}/pages/{index}", response_model=PageDetail, response_model_exclude_unset=True)
def get_page(service: ServiceDep, actor: Actor, dossier_id: str, index: int):
    p = service.queries.page(dossier_id, index, actor)
    return {**page_json(p), "width_px": p.width_px, "height_px": p.height_px, "blur_px": p.blur_px}


@router.get("/api/dossiers/{dossier_id}/pages/{index}/text", response_class=PlainTextResponse)
def get_page_text(service: ServiceDep, actor: Actor, dossier_id: str, index: int):
    return service.queries.page(dossier_id, index, actor).text


@router.get("/api/dossiers/{dossier_id}/pages/{index}/{name}", response_class=Response)
def get_page_file(service: ServiceDep, actor: Actor, dossier_id: str, index: int, name: str):
    if name not in PAGE_FILES:
        raise NotFound("not_found", f"no page file {name}; use one of {sorted(PAGE_FILES)}", "Không tìm thấy.")
    service.queries.page(dossier_id, index, actor)  # in the caller's scope, or 404
    return Response(service.ctx.store.get(page_key(dossier_id, index, name)), media_type=PAGE_FILES[name])
