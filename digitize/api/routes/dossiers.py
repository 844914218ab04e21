"""Dossiers at the counter: open one (with its scans or without), follow its reading live, arrange its pages,
assign documents to the checklist, print its receipt's QR code, record the issued result."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse

from digitize.api.answers import OpenedDossier, Report, Status
from digitize.api.bodies import (
    ComponentChoice,
    DocumentGrouping,
    DocumentTypeChoice,
    NewDossier,
    PageArrangement,
    Rotation,
)
from digitize.api.deps import Actor, Filters, RunnerDep, ServiceDep, VaultDep
from digitize.api.errors import ERRORS, ErrorBody
from digitize.api.uploads import receive, take_files

router = APIRouter(tags=["dossiers"])

EVENT_POLL = 0.7  # seconds between looks at a dossier being read


def qr_svg(text: str) -> bytes:
    return qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string()


@router.post("/api/dossiers", status_code=201, summary="Open a dossier (counter)", response_model=OpenedDossier,
             response_model_exclude_unset=True)  # fmt: skip
def create_dossier(service: ServiceDep, vault: VaultDep, actor: Actor, body: NewDossier | None = None):
    body = body or NewDossier()
    dossier_id = service.reception.create_dossier(body.procedure, actor, body.citizen_id)
    if body.applicant is not None:
        service.handling.set_details(dossier_id, actor, body.applicant.model_dump(exclude_unset=True), None)
    # Papers of this citizen already digitized and valid: offered before anything is scanned.
    return {**service.queries.status(dossier_id, actor), "offers": vault.offers(actor, dossier_id)}


@router.post("/api/scan", summary="Open a dossier and upload its scans in one call", status_code=202, responses=ERRORS)
async def scan(
    service: ServiceDep,
    runner: RunnerDep,
    actor: Actor,
    files: Annotated[list[UploadFile], File(description="PDF, TIFF, JPEG or PNG scans, in order")],
    procedure: Annotated[str | None, Form()] = None,
    citizen_id: Annotated[str | None, Form()] = None,
):
    dossier_id = await run_in_threadpool(service.reception.create_dossier, procedure, actor, citizen_id)
    return await receive(service, runner, actor, dossier_id, files)


@router.post("/api/dossiers/{dossier_id}/files", summary="Upload scans into a dossier", status_code=202,
             responses=ERRORS)  # fmt: skip
async def upload(
    service: ServiceDep, runner: RunnerDep, actor: Actor, dossier_id: str, files: Annotated[list[UploadFile], File()]
):
    return await receive(service, runner, actor, dossier_id, files)


@router.get("/api/dossiers", summary="The agency's dossiers, newest first, or awaiting a result; filtered")
def list_dossiers(
    service: ServiceDep,
    actor: Actor,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, description="at most 500 are listed")] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    awaiting_result: bool = False,
):
    return service.queries.dossiers(actor, filters, limit, awaiting_result, offset)


@router.get("/api/dossiers/{dossier_id}", summary="Processing state, pages and documents", response_model=Status,
            response_model_exclude_unset=True, responses={404: {"model": ErrorBody}})  # fmt: skip
def get_dossier(service: ServiceDep, actor: Actor, dossier_id: str):
    return service.queries.status(dossier_id, actor)


@router.get("/api/dossiers/{dossier_id}/result", summary="The dossier as in `digitize scan --json`",
            response_model=Report, response_model_exclude_unset=True)  # fmt: skip
def get_result(service: ServiceDep, actor: Actor, dossier_id: str):
    return service.queries.report(dossier_id, actor)


@router.get("/api/dossiers/{dossier_id}/events", summary="Live state (server-sent events)")
async def dossier_events(request: Request, service: ServiceDep, actor: Actor, dossier_id: str):
    """The dossier's state as `status` events whenever it changes (pages read, documents found, checklist),
    for the counter screen while the citizen waits; a comment line every 15 s keeps proxies from closing."""
    state = await run_in_threadpool(service.queries.status, dossier_id, actor)  # 404 before the stream opens

    async def stream():
        nonlocal state
        last, quiet = None, 0.0
        for _ in range(int(30 * 60 / EVENT_POLL)):  # at most 30 minutes; the page reconnects if needed
            if await request.is_disconnected():
                return
            body = json.dumps(state, ensure_ascii=False, sort_keys=True)
            if body != last:
                yield f"event: status\ndata: {body}\n\n"
                last, quiet = body, 0.0
            elif quiet >= 15:
                yield ": still here\n\n"
                quiet = 0.0
            await asyncio.sleep(EVENT_POLL)
            quiet += EVENT_POLL
            state = await run_in_threadpool(service.queries.status, dossier_id, actor)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


@router.put("/api/dossiers/{dossier_id}/pages", status_code=202,
            summary="Reorder pages or leave some out; the copies and documents are made again")  # fmt: skip
def arrange(service: ServiceDep, runner: RunnerDep, actor: Actor, dossier_id: str, body: PageArrangement):
    service.reception.arrange_pages(dossier_id, actor, body.order, body.excluded)
    return {"dossier": dossier_id, "job": runner.enqueue(dossier_id)}


@router.post("/api/dossiers/{dossier_id}/pages/{index}/rotation", status_code=202,
             summary="Turn a page as it is shown and read it again upright")  # fmt: skip
def rotate(service: ServiceDep, runner: RunnerDep, actor: Actor, dossier_id: str, index: int, body: Rotation):
    service.reception.rotate_page(dossier_id, index, body.degrees, actor)
    return {"dossier": dossier_id, "page": index, "job": runner.enqueue(dossier_id)}


@router.post("/api/dossiers/{dossier_id}/documents", status_code=201,
             summary="These pages are one document of this type: split, merge (counter, reviewer)")  # fmt: skip
def group(service: ServiceDep, actor: Actor, dossier_id: str, body: DocumentGrouping):
    doc_id = service.grouping.group(dossier_id, actor, body.pages, body.type)
    return {"document": doc_id, "dossier": service.queries.status(dossier_id, actor)}


@router.put("/api/documents/{doc_id}/type", summary="Change a document's type: its pages read again as that type")
def set_type(service: ServiceDep, actor: Actor, doc_id: int, body: DocumentTypeChoice):
    new_id = service.grouping.set_type(doc_id, actor, body.type)
    return {"document": new_id}


@router.put("/api/documents/{doc_id}/component", summary="Assign a document to a component")
def assign(service: ServiceDep, actor: Actor, doc_id: int, body: ComponentChoice):
    return service.reception.assign_component(doc_id, body.component, actor)


@router.get("/api/dossiers/{dossier_id}/qr.svg", response_class=Response,
            summary="QR code of the dossier code, for the receipt")  # fmt: skip
def dossier_qr(service: ServiceDep, actor: Actor, dossier_id: str):
    return Response(qr_svg(service.queries.dossier_code(dossier_id, actor)), media_type="image/svg+xml")


@router.post("/api/dossiers/{dossier_id}/results", status_code=201,
             summary="Record the issued result, with its scan when digitized")  # fmt: skip
async def issue_result(
    service: ServiceDep,
    runner: RunnerDep,
    actor: Actor,
    dossier_id: str,
    files: Annotated[list[UploadFile] | None, File(description="the scan of the issued paper")] = None,
    document_type: Annotated[str | None, Form()] = None,
    collector_name: Annotated[str | None, Form(description="who collected the paper")] = None,
    collector_id: Annotated[str | None, Form(description="their 12-digit ID number")] = None,
    replaces: Annotated[bool, Form(description="replaces the result recorded before (else 409)")] = False,
):
    receipts = await take_files(service, actor, dossier_id, (files or [])[:1], "result")
    receipt = receipts[0] if receipts else None
    out = await run_in_threadpool(
        service.reception.issue_result,
        dossier_id,
        actor,
        document_type,
        receipt,
        collector_name,
        collector_id,
        replaces,
    )
    if receipt and receipt.error is None:
        out["job"] = await run_in_threadpool(runner.enqueue, dossier_id)
    return out
