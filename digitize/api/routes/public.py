"""What anyone may ask without a login (the pages /tra-cuu and /xac-minh): a dossier's status from the code on its
receipt and the last four digits of the citizen's ID number, and whether a certified e-copy is one we issued and
valid now, from its file or from the text of its QR code. The secrets travel in the body, never in the address
(nor, so, in access logs); guessing is throttled per code and per address (429 with Retry-After). These are POSTs
a page of another origin may not send with a browser (api.same_origin), like every other."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from digitize.api.answers import CopyVerified, PublicStatus
from digitize.api.bodies import QrText, StatusQuery
from digitize.api.deps import ServiceDep, client_ip
from digitize.api.errors import ErrorBody
from digitize.core.errors import DigitizeError

router = APIRouter(tags=["public"])

VERIFY_LIMIT = 64 * 1024 * 1024  # a certified copy of a long dossier is a few MiB
REFUSALS = {status: {"model": ErrorBody} for status in (404, 413, 422, 429)}


@router.post("/api/public/status", summary="A dossier's state and due date, by its code and 4 digits (no login)",
             response_model=PublicStatus, responses=REFUSALS)  # fmt: skip
def public_status(request: Request, service: ServiceDep, body: StatusQuery):
    return service.public_status.look_up(body.code, body.id_last4, client_ip(request))


@router.post("/api/verify", summary="Is this certified e-copy (the PDF file) one we issued, unaltered, valid now?",
             response_model=CopyVerified, response_model_exclude_unset=True, responses=REFUSALS)  # fmt: skip
async def verify(service: ServiceDep, file: Annotated[UploadFile, File()]):
    data = await file.read(VERIFY_LIMIT + 1)
    if len(data) > VERIFY_LIMIT:
        raise DigitizeError("file_too_large", "a certified copy is under 64 MiB",
                            "Tệp quá lớn: bản sao điện tử không quá 64 MB.", status=413)  # fmt: skip
    return await run_in_threadpool(service.copy_check.file, data)


@router.post("/api/verify/qr", summary="Did we issue a certified e-copy with this QR text, valid now?",
             response_model=CopyVerified, response_model_exclude_unset=True, responses=REFUSALS)  # fmt: skip
def verify_qr(request: Request, service: ServiceDep, body: QrText):
    return service.copy_check.qr(body.text, client_ip(request))
