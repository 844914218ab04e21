"""Every error the API answers is JSON: {"error": code, "reason": English, "reason_vi": Vietnamese, …}.

One place turns each kind of failure into that body: the service's own errors (with the audit of a refused try at
what is outside the caller's scope), the object store or the database being down (503: nothing half-done was
recorded, the client may try again), a malformed request and an unknown address.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from digitize.core.errors import DigitizeError, OutOfScope
from digitize.dossiers.service import DossierService
from digitize.people import audit
from storage.objects import ObjectNotFound, StoreUnavailable


class ErrorBody(BaseModel):
    error: str = Field(description="stable code, e.g. corrupt_pdf, unsupported_type, dossier_not_found")
    reason: str = Field(description="what is wrong, in English")
    reason_vi: str = Field(description="the same for the counter screen, in Vietnamese")


# The error answers of the upload routes, for /docs.
ERRORS = {status: {"model": ErrorBody} for status in (401, 403, 404, 413, 415, 422)}


def body(error: str, reason: str, reason_vi: str, status: int) -> JSONResponse:
    return JSONResponse({"error": error, "reason": reason, "reason_vi": reason_vi}, status_code=status)


def error_response(exc: DigitizeError) -> JSONResponse:
    wait = exc.detail.get("retry_after")
    headers = {"Retry-After": str(wait)} if isinstance(wait, int) else None  # a throttled login (RFC 9110)
    return JSONResponse(exc.to_json(), status_code=exc.status, headers=headers)


def refused_access(service: DossierService, exc: OutOfScope) -> None:
    """A try at another agency's dossier or paper, or at a paper not one's own, on the audit trail of the agency
    that holds it."""
    with service.ctx.session() as s:
        audit.record(s, exc.actor, "access.refused", exc.what, exc.ident, agency=exc.agency, citizen=exc.citizen)


async def digitize_error(request: Request, exc: DigitizeError) -> JSONResponse:
    if isinstance(exc, OutOfScope):
        await run_in_threadpool(refused_access, request.app.state.service, exc)
    return error_response(exc)


async def store_down(_: Request, exc: StoreUnavailable) -> JSONResponse:
    return body("store_unavailable", f"the object store cannot be reached; nothing was stored: {exc}",
                "Không kết nối được kho lưu trữ; chưa lưu gì, đề nghị thử lại sau.", 503)  # fmt: skip


async def database_down(_: Request, exc: OperationalError) -> JSONResponse:
    # The database restarting or unreachable: nothing half-done is recorded (each change is one transaction,
    # objects are written before the records that point to them); the client may simply try again.
    return body("database_unavailable", "the database cannot be reached; nothing was recorded, try again shortly",
                "Không kết nối được cơ sở dữ liệu; chưa ghi nhận gì, đề nghị thử lại sau giây lát.", 503)  # fmt: skip


async def object_missing(_: Request, exc: ObjectNotFound) -> JSONResponse:
    return body("object_missing", f"stored object {exc} is missing", "Thiếu tệp lưu trữ.", 404)


async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
    problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
    return body("bad_request", problems, "Yêu cầu không hợp lệ: " + problems, 422)


async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 404:
        return body("not_found", str(exc.detail), "Không tìm thấy.", 404)
    return body("http_error", str(exc.detail), "Yêu cầu không thực hiện được.", exc.status_code)


HANDLERS = {
    DigitizeError: digitize_error,
    StoreUnavailable: store_down,
    OperationalError: database_down,
    ObjectNotFound: object_missing,
    RequestValidationError: bad_request,
    StarletteHTTPException: http_error,
}


def install(app: FastAPI) -> None:
    for kind, handler in HANDLERS.items():
        app.add_exception_handler(kind, handler)  # type: ignore[arg-type]
