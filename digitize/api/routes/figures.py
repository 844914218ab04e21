"""The digitization figures leaders report, as JSON for the page or as CSV for a spreadsheet."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from digitize.api.deps import Actor, ServiceDep
from digitize.dossiers import figures
from storage.objects import content_disposition

router = APIRouter(tags=["figures"])


@router.get("/api/figures", summary="Digitization figures of the agency (leader, admin)")
def get_figures(
    service: ServiceDep,
    actor: Actor,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    procedure: str | None = None,
    format: str = "json",
):
    out = figures.for_leader(service.ctx, actor, start, end, procedure)
    if format != "csv":
        return out
    headers = {"Content-Disposition": content_disposition("figures.csv")}
    return PlainTextResponse(figures.to_csv(out), media_type="text/csv; charset=utf-8", headers=headers)
