"""Taking uploaded scans: each file is read up to the size limit and handed to the service, which stores the
original under its SHA-256 before it checks anything; one refused file does not stop the others."""

from __future__ import annotations

from fastapi import UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from digitize.core.errors import IntakeError
from digitize.dossiers.jobs import CeleryRunner, JobRunner
from digitize.dossiers.reception import FileReceipt
from digitize.dossiers.service import DossierService
from digitize.people.auth import Principal
from digitize.scan.intake import file_too_large


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """The whole upload, refusing early past `limit` bytes instead of filling memory."""
    chunks, size = [], 0
    while chunk := await upload.read(1 << 20):
        size += len(chunk)
        if size > limit:
            raise file_too_large(upload.filename or "upload", limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def take_files(
    service: DossierService, actor: Principal, dossier_id: str, files: list[UploadFile], purpose: str
) -> list[FileReceipt]:
    receipts: list[FileReceipt] = []
    for up in files:
        name = up.filename or "upload"
        try:
            data = await read_upload(up, service.ctx.settings.max_upload_bytes)
        except IntakeError as exc:
            receipts.append(FileReceipt(name, None, False, 0, "unknown", error=exc))
            continue
        # Storing and checking a scan is blocking work: off the event loop, so other requests go on meanwhile.
        receipts.append(await run_in_threadpool(service.reception.add_file, dossier_id, name, data, actor, purpose))
    return receipts


async def receive(
    service: DossierService,
    runner: JobRunner | CeleryRunner,
    actor: Principal,
    dossier_id: str,
    files: list[UploadFile],
) -> JSONResponse:
    """A dossier's scans taken and queued for reading (202), or, when none was accepted, the first refusal."""
    receipts = await take_files(service, actor, dossier_id, files, "submission")
    accepted = [r for r in receipts if r.error is None]
    job = await run_in_threadpool(runner.enqueue, dossier_id) if accepted else None
    body = {"dossier": dossier_id, "job": job, "files": [r.to_json() for r in receipts]}
    if accepted:
        return JSONResponse(body, status_code=202)
    # Nothing to process: answer with the first refusal at the top so a client sees the reason directly.
    first = receipts[0].error if receipts else IntakeError("no_files", "no file was sent", "Chưa gửi tệp nào.")
    return JSONResponse({**first.to_json(), **body}, status_code=first.status)
