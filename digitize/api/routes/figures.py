"""The digitization figures leaders report, as JSON for the page or one table of them as CSV for a spreadsheet."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from digitize.api.deps import Actor, ServiceDep
from digitize.dossiers import figures, figures_csv
from storage.objects import content_disposition

router = APIRouter(tags=["figures"])


@router.get("/api/figures", summary="Digitization figures of the agency (leader, admin)")
def get_figures(
    service: ServiceDep,
    actor: Actor,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    procedure: str | None = None,
    format: Annotated[str, Query(description="json, or csv: one table, UTF-8 with a byte-order mark")] = "json",
    table: Annotated[str, Query(description=f"the table of a CSV: {', '.join(figures_csv.TABLES)}")] = "procedures",
):
    if format == "csv":
        figures_csv.table(table)  # an unknown table is refused before anything is counted
    out = figures.for_leader(service.ctx, actor, start, end, procedure)
    if format != "csv":
        return out
    headers = {"Content-Disposition": content_disposition(figures_csv.file_name(out, table))}
    body = figures_csv.to_csv(out, table, service.ctx.zone)
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
