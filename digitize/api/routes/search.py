"""Full-text search: every word of the caller's dossiers and papers, typed with or without diacritics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from digitize.api.deps import Actor, Filters, ServiceDep

router = APIRouter(tags=["search"])


@router.get("/api/search", summary="Find dossiers, papers and pages by any word, name, number or code")
def search(
    service: ServiceDep,
    actor: Actor,
    filters: Filters,
    q: Annotated[str, Query(max_length=200, description="words; the last may be the start of a word")],
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=50)] = 20,
):
    return service.search.find(actor, q, filters, page, per_page)
