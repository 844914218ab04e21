"""HTTP API (FastAPI). Every error is JSON: {"error": code, "reason": English, "reason_vi": Vietnamese, …}.

Uploads are stored (original bytes under their SHA-256) before they are checked; processing runs in the
background and is polled with GET /api/dossiers/{id}. OpenAPI at /docs.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from digitize.api.access_log import mask_access_log
from digitize.api.bodies import ComponentChoice, NewDossier, PageArrangement, ReuseRequest
from digitize.api.deps import Actor
from digitize.api.routes import people as api_people
from digitize.api.same_origin import SameOriginMiddleware
from digitize.api.security_headers import SecurityHeadersMiddleware
from digitize.core.config import Settings, get_settings
from digitize.core.errors import DigitizeError, IntakeError, NotFound, OutOfScope
from digitize.dossiers.jobs import make_runner
from digitize.dossiers.service import CONTENT_TYPES, DossierService, FileReceipt, page_json, page_key
from digitize.papers.review import Review
from digitize.papers.vault import Vault
from digitize.people import audit
from digitize.scan.intake import file_too_large
from digitize.signing.links import Links
from digitize.web import pages as web_pages
from forms.catalog import field_title
from storage.objects import ObjectNotFound, StoreUnavailable, content_disposition
from storage.records import Role

EVENT_POLL = 0.7  # seconds between looks at a dossier being read


def qr_svg(text: str) -> bytes:
    import qrcode
    import qrcode.image.svg

    return qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string()


def error_response(exc: DigitizeError) -> JSONResponse:
    wait = exc.detail.get("retry_after")
    headers = {"Retry-After": str(wait)} if isinstance(wait, int) else None  # a throttled login (RFC 9110)
    return JSONResponse(exc.to_json(), status_code=exc.status, headers=headers)


def no_nul(request: Request) -> None:
    """PostgreSQL refuses a NUL character in a string (a 500): one in the path or the query is refused before any
    route runs; JSON bodies refuse it field by field (api.bodies), file names drop it (intake.file_name)."""
    if "\x00" in request.url.path or any("\x00" in k + v for k, v in request.query_params.multi_items()):
        raise DigitizeError("bad_request", "a NUL character is not allowed in the address",
                            "Yêu cầu không hợp lệ: địa chỉ chứa ký tự NUL.", status=422)  # fmt: skip


def refused_access(service: DossierService, exc: OutOfScope) -> None:
    """A try at another agency's dossier or paper, or at a paper not one's own, on the audit trail of the agency
    that holds it."""
    with service.session() as s:
        audit.record(s, exc.actor, "access.refused", exc.what, exc.ident, agency=exc.agency, citizen=exc.citizen)


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """The whole upload, refusing early past `limit` bytes instead of filling memory."""
    chunks, size = [], 0
    while chunk := await upload.read(1 << 20):
        size += len(chunk)
        if size > limit:
            raise file_too_large(upload.filename or "upload", limit)
        chunks.append(chunk)
    return b"".join(chunks)


class ErrorBody(BaseModel):
    error: str = Field(description="stable code, e.g. corrupt_pdf, unsupported_type, dossier_not_found")
    reason: str = Field(description="what is wrong, in English")
    reason_vi: str = Field(description="the same for the counter screen, in Vietnamese")


ERRORS = {status: {"model": ErrorBody} for status in (401, 403, 404, 413, 415, 422)}


def mark_binary_uploads(schema: dict) -> dict:
    """Give file fields `format: binary` beside OpenAPI 3.1's `contentMediaType`: Swagger UI only draws a file
    picker for the former, and without one nobody can upload a scan from /docs."""

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("contentMediaType") == "application/octet-stream":
                node["format"] = "binary"
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return schema


def create_app(settings: Settings | None = None, service: DossierService | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        mask_access_log()
        svc = service or DossierService(settings)
        app.state.service = svc
        app.state.vault = Vault(svc)
        app.state.review = Review(svc)
        app.state.links = Links(settings, svc.store)
        app.state.runner = make_runner(svc)
        for dossier_id in svc.unfinished():
            app.state.runner.enqueue(dossier_id)
        yield
        app.state.runner.stop()
        if service is None:
            svc.close()

    # Swagger UI served from the package, not a CDN: counters may have no internet.
    app = FastAPIOffline(
        title="digitize",
        description="Số hóa hồ sơ tại Bộ phận Một cửa: làm sạch bản quét, nhận dạng tiếng Việt, PDF tìm kiếm được.",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(no_nul)],
    )
    app.add_middleware(SameOriginMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)

    @app.exception_handler(DigitizeError)
    async def _digitize_error(request: Request, exc: DigitizeError):
        if isinstance(exc, OutOfScope):
            await run_in_threadpool(refused_access, request.app.state.service, exc)
        return error_response(exc)

    @app.exception_handler(StoreUnavailable)
    async def _store_down(_: Request, exc: StoreUnavailable):
        return JSONResponse(
            {
                "error": "store_unavailable",
                "reason": f"the object store cannot be reached; nothing was stored: {exc}",
                "reason_vi": "Không kết nối được kho lưu trữ; chưa lưu gì, đề nghị thử lại sau.",
            },
            status_code=503,
        )

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError):
        # The database restarting or unreachable: nothing half-done is recorded (each change is one transaction,
        # objects are written before the records that point to them); the client may simply try again.
        return JSONResponse(
            {
                "error": "database_unavailable",
                "reason": "the database cannot be reached; nothing was recorded, try again shortly",
                "reason_vi": "Không kết nối được cơ sở dữ liệu; chưa ghi nhận gì, đề nghị thử lại sau giây lát.",
            },
            status_code=503,
        )

    @app.exception_handler(ObjectNotFound)
    async def _object_missing(_: Request, exc: ObjectNotFound):
        return JSONResponse(
            {"error": "object_missing", "reason": f"stored object {exc} is missing", "reason_vi": "Thiếu tệp lưu trữ."},
            status_code=404,
        )

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse(
            {"error": "bad_request", "reason": problems, "reason_vi": "Yêu cầu không hợp lệ: " + problems},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException):
        missing = exc.status_code == 404
        return JSONResponse(
            {
                "error": "not_found" if missing else "http_error",
                "reason": str(exc.detail),
                "reason_vi": "Không tìm thấy." if missing else "Yêu cầu không thực hiện được.",
            },
            status_code=exc.status_code,
        )

    def svc(request: Request) -> DossierService:
        return request.app.state.service

    async def take_files(request: Request, actor, dossier_id: str, files: list[UploadFile], purpose: str):
        service = svc(request)
        receipts: list[FileReceipt] = []
        for up in files:
            name = up.filename or "upload"
            try:
                data = await read_upload(up, settings.max_upload_bytes)
            except IntakeError as exc:
                receipts.append(FileReceipt(name, None, False, 0, "unknown", error=exc))
                continue
            # Storing and checking a scan is blocking work: off the event loop, so other requests go on meanwhile.
            receipts.append(await run_in_threadpool(service.add_file, dossier_id, name, data, actor, purpose))
        return receipts

    async def receive(request: Request, actor, dossier_id: str, files: list[UploadFile]) -> JSONResponse:
        receipts = await take_files(request, actor, dossier_id, files, "submission")
        accepted = [r for r in receipts if r.error is None]
        job = await run_in_threadpool(request.app.state.runner.enqueue, dossier_id) if accepted else None
        body = {"dossier": dossier_id, "job": job, "files": [r.to_json() for r in receipts]}
        if accepted:
            return JSONResponse(body, status_code=202)
        # Nothing to process: answer with the first refusal at the top so a client sees the reason directly.
        first = receipts[0].error if receipts else IntakeError("no_files", "no file was sent", "Chưa gửi tệp nào.")
        return JSONResponse({**first.to_json(), **body}, status_code=first.status)

    @app.get("/healthz", tags=["system"])
    def healthz():
        return {"ok": True}

    @app.post("/api/dossiers", status_code=201, tags=["dossiers"], summary="Open a dossier (counter)")
    def create_dossier(request: Request, actor: Actor, body: NewDossier | None = None):
        body = body or NewDossier()
        dossier_id = svc(request).create_dossier(body.procedure, actor, body.citizen_id)
        # Papers of this citizen already digitized and valid: offered before anything is scanned.
        return {
            **svc(request).status(dossier_id, actor),
            "offers": request.app.state.vault.offers(actor, dossier_id),
        }

    @app.get("/api/procedures", tags=["dossiers"], summary="The procedure catalog: components and their papers")
    def procedures(request: Request, actor: Actor):
        actor.require(Role.COUNTER, Role.REVIEWER, Role.LEADER, Role.ADMIN)
        catalog = svc(request).catalog
        return [
            {
                "code": p.code,
                "name": p.name,
                "level": p.level,
                "result": p.result,
                "processing_days": p.processing_days,
                "components": [
                    {"key": c.key, "name": c.name, "required": c.required, "form": c.form,
                     "document_types": c.document_types,
                     "reusable_types": [t for t in c.document_types
                                        if t in catalog.document_types and catalog.document_types[t].reusable]}
                    for c in p.components
                ],
            }
            for p in catalog.procedures.values()
        ]  # fmt: skip

    @app.get("/api/document-types", tags=["dossiers"], summary="Document types: names and fields with their labels")
    def document_types(request: Request, actor: Actor):
        actor.require(Role.COUNTER, Role.REVIEWER, Role.LEADER, Role.ADMIN, Role.CITIZEN)
        return {
            code: {"name": t.name, "reusable": t.reusable,
                   "fields": [{"key": f.key, "label": field_title(f), "kind": f.kind} for f in t.fields]}
            for code, t in svc(request).catalog.document_types.items()
        }  # fmt: skip

    @app.get("/api/dossiers/{dossier_id}/events", tags=["dossiers"], summary="Live state (server-sent events)")
    async def dossier_events(request: Request, actor: Actor, dossier_id: str):
        """The dossier's state as `status` events whenever it changes (pages read, documents found, checklist),
        for the counter screen while the citizen waits; a comment line every 15 s keeps proxies from closing."""
        service = svc(request)
        state = await run_in_threadpool(service.status, dossier_id, actor)  # 404 before the stream opens

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
                state = await run_in_threadpool(service.status, dossier_id, actor)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})  # fmt: skip

    @app.put("/api/dossiers/{dossier_id}/pages", tags=["dossiers"], status_code=202,
             summary="Reorder pages or leave some out; the copies and documents are made again")  # fmt: skip
    def arrange(request: Request, actor: Actor, dossier_id: str, body: PageArrangement):
        svc(request).arrange_pages(dossier_id, actor, body.order, body.excluded)
        job = request.app.state.runner.enqueue(dossier_id)
        return {"dossier": dossier_id, "job": job}

    @app.put("/api/documents/{doc_id}/component", tags=["dossiers"], summary="Assign a document to a component")
    def assign(request: Request, actor: Actor, doc_id: int, body: ComponentChoice):
        return svc(request).assign_component(doc_id, body.component, actor)

    @app.get("/api/dossiers/{dossier_id}/qr.svg", tags=["dossiers"], response_class=Response,
             summary="QR code of the dossier code, for the receipt")  # fmt: skip
    def dossier_qr(request: Request, actor: Actor, dossier_id: str):
        code = svc(request).dossier_code(dossier_id, actor)
        return Response(qr_svg(code), media_type="image/svg+xml")

    @app.get("/api/dossiers", tags=["dossiers"], summary="The agency's dossiers, newest first, or awaiting a result")
    def list_dossiers(
        request: Request, actor: Actor, status: str | None = None, limit: int = 50, awaiting_result: bool = False
    ):
        return svc(request).dossiers(actor, status, limit, awaiting_result)

    @app.get("/api/dossiers/{dossier_id}/reuse", tags=["repository"], summary="Papers offered for reuse")
    def reuse_offers(request: Request, actor: Actor, dossier_id: str):
        return request.app.state.vault.offers(actor, dossier_id)

    @app.post("/api/dossiers/{dossier_id}/reuse", tags=["repository"], summary="Attach offered papers, no scan")
    def reuse(request: Request, actor: Actor, dossier_id: str, body: ReuseRequest):
        return request.app.state.vault.attach(actor, dossier_id, body.document_ids)

    @app.post("/api/dossiers/{dossier_id}/results", tags=["dossiers"], status_code=201,
              summary="Record the issued result, with its scan when digitized")  # fmt: skip
    async def issue_result(
        request: Request,
        actor: Actor,
        dossier_id: str,
        files: Annotated[list[UploadFile] | None, File(description="the scan of the issued paper")] = None,
        document_type: Annotated[str | None, Form()] = None,
    ):
        service = svc(request)
        receipts = await take_files(request, actor, dossier_id, (files or [])[:1], "result")
        out = await run_in_threadpool(service.issue_result, dossier_id, actor, document_type,
                                      receipts[0] if receipts else None)  # fmt: skip
        if receipts and receipts[0].error is None:
            out["job"] = await run_in_threadpool(request.app.state.runner.enqueue, dossier_id)
        return out

    @app.post(
        "/api/dossiers/{dossier_id}/files",
        tags=["dossiers"],
        summary="Upload scans into a dossier",
        status_code=202,
        responses=ERRORS,
    )
    async def upload(request: Request, actor: Actor, dossier_id: str, files: Annotated[list[UploadFile], File()]):
        return await receive(request, actor, dossier_id, files)

    @app.post(
        "/api/scan",
        tags=["dossiers"],
        summary="Open a dossier and upload its scans in one call",
        status_code=202,
        responses=ERRORS,
    )
    async def scan(
        request: Request,
        actor: Actor,
        files: Annotated[list[UploadFile], File(description="PDF, TIFF, JPEG or PNG scans, in order")],
        procedure: Annotated[str | None, Form()] = None,
        citizen_id: Annotated[str | None, Form()] = None,
    ):
        dossier_id = await run_in_threadpool(svc(request).create_dossier, procedure, actor, citizen_id)
        return await receive(request, actor, dossier_id, files)

    @app.get(
        "/api/dossiers/{dossier_id}",
        tags=["dossiers"],
        summary="Processing state, pages and documents",
        responses={404: {"model": ErrorBody}},
    )
    def get_dossier(request: Request, actor: Actor, dossier_id: str):
        return svc(request).status(dossier_id, actor)

    @app.get("/api/dossiers/{dossier_id}/result", tags=["dossiers"], summary="The dossier as in `digitize scan --json`")
    def get_result(request: Request, actor: Actor, dossier_id: str):
        return svc(request).report(dossier_id, actor)

    @app.get("/api/dossiers/{dossier_id}/searchable.pdf", tags=["files"], response_class=Response)
    def get_pdf(request: Request, actor: Actor, dossier_id: str):
        data = svc(request).searchable_pdf(dossier_id, actor)
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": content_disposition(f"ho-so-{dossier_id}.pdf", inline=True)},
        )

    @app.get("/api/dossiers/{dossier_id}/files/{seq}/original", tags=["files"], response_class=Response)
    def get_original(request: Request, actor: Actor, dossier_id: str, seq: int):
        f, data = svc(request).original(dossier_id, seq, actor)
        return Response(
            data,
            media_type=CONTENT_TYPES.get(f.kind, "application/octet-stream"),
            headers={"Content-Disposition": content_disposition(f.name), "X-SHA256": f.sha256},
        )

    @app.get("/api/dossiers/{dossier_id}/pages/{index}", tags=["pages"])
    def get_page(request: Request, actor: Actor, dossier_id: str, index: int):
        p = svc(request).page(dossier_id, index, actor)
        return {**page_json(p), "width_px": p.width_px, "height_px": p.height_px, "blur_px": p.blur_px}

    @app.get("/api/dossiers/{dossier_id}/pages/{index}/text", tags=["pages"], response_class=PlainTextResponse)
    def get_page_text(request: Request, actor: Actor, dossier_id: str, index: int):
        return svc(request).page(dossier_id, index, actor).text

    page_files = {"clean.jpg": "image/jpeg", "thumb.jpg": "image/jpeg", "ocr.json": "application/json"}

    @app.get("/api/dossiers/{dossier_id}/pages/{index}/{name}", tags=["pages"], response_class=Response)
    def get_page_file(request: Request, actor: Actor, dossier_id: str, index: int, name: str):
        if name not in page_files:
            raise NotFound("not_found", f"no page file {name}; use one of {sorted(page_files)}", "Không tìm thấy.")
        svc(request).page(dossier_id, index, actor)
        data = svc(request).store.get(page_key(dossier_id, index, name))
        return Response(data, media_type=page_files[name])

    app.include_router(api_people.router())
    app.include_router(web_pages.router())
    web_pages.mount_static(app)

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = mark_binary_uploads(
                get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
