"""The counter's handling of a dossier and the one-stop forms (docs/forms.md): who handed it in and what was
received, supplement or refusal, a new date when late; each form's data, and the tracking book as JSON or CSV."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from digitize.api.bodies import DossierDetails, NewDate, OutcomeChoice
from digitize.api.deps import Actor, ServiceDep, public_site
from digitize.dossiers.slips import book_csv
from storage.objects import content_disposition

router = APIRouter(tags=["dossiers"])


@router.put("/api/dossiers/{dossier_id}/details", summary="Who handed the dossier in; originals and copies received")
def set_details(service: ServiceDep, actor: Actor, dossier_id: str, body: DossierDetails):
    applicant = body.applicant.model_dump(exclude_unset=True) if body.applicant else None
    handed_in = {k: v.model_dump() for k, v in body.handed_in.items()} if body.handed_in is not None else None
    return service.handling.set_details(dossier_id, actor, applicant, handed_in)


@router.post("/api/dossiers/{dossier_id}/outcome", summary="Ask for more papers, refuse, or receive after all")
def decide(service: ServiceDep, actor: Actor, dossier_id: str, body: OutcomeChoice):
    return service.handling.decide(dossier_id, actor, body.outcome, body.reason)


@router.post("/api/dossiers/{dossier_id}/delay", summary="A new date for a late dossier (the apology, form 04)")
def postpone(service: ServiceDep, actor: Actor, dossier_id: str, body: NewDate):
    return service.handling.postpone(dossier_id, actor, body.new_due_date, body.reason)


@router.get("/api/dossiers/{dossier_id}/forms/{kind}",
            summary="A one-stop form's data: receipt, supplement, refusal, apology, control")  # fmt: skip
def slip(request: Request, service: ServiceDep, actor: Actor, dossier_id: str, kind: str):
    return service.slips.slip(dossier_id, kind, actor, public_site(request))


@router.get("/api/tracking-book", summary="The tracking book (form 06) of the agency: JSON, or CSV for Excel")
def tracking_book(
    service: ServiceDep,
    actor: Actor,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    format: str = "json",
):
    end = end or service.ctx.today()
    start = start or end - timedelta(days=30)
    rows = service.handling.book(actor, start, end)
    if format != "csv":
        return {"from": start.isoformat(), "to": end.isoformat(), "rows": rows}
    name = f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    return Response(book_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(name)})  # fmt: skip
