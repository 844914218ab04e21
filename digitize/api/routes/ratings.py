"""Satisfaction at the counter: the citizen's rating of a dossier (sent from the rating screen, under the officer's
session), the rating screen's dossier, and the complaints a leader answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from digitize.api.bodies import ComplaintAnswer, KioskChoice, RatingBody
from digitize.api.deps import Actor, ServiceDep

router = APIRouter(tags=["ratings"])


@router.post("/api/dossiers/{dossier_id}/rating", status_code=201,
             summary="The citizen's rating of the dossier, once (counter: the rating screen)")  # fmt: skip
def rate(service: ServiceDep, actor: Actor, dossier_id: str, body: RatingBody):
    aspects = body.aspects.model_dump() if body.aspects else None
    return service.ratings.rate(dossier_id, actor, body.score, aspects, body.comment, body.complaint, body.moment)


@router.get("/api/kiosk", summary="What the officer's rating screen offers: the open dossier's code and procedure")
def kiosk(service: ServiceDep, actor: Actor):
    return service.kiosks.current(actor)


@router.put("/api/kiosk", summary="The dossier open at the counter; with invite, the invitation to rate it")
def publish(service: ServiceDep, actor: Actor, body: KioskChoice):
    return service.kiosks.publish(actor, body.dossier_id, body.invite, body.moment)


@router.get("/api/complaints", summary="The agency's complaints (phản ánh, kiến nghị) from ratings (leader, admin)")
def complaints(
    service: ServiceDep,
    actor: Actor,
    state: Annotated[str | None, Query(description="open or answered; all when left out")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
):
    return service.ratings.complaints(actor, state or None, limit)


@router.put("/api/complaints/{rating_id}", summary="The leader's answer to a complaint")
def answer(service: ServiceDep, actor: Actor, rating_id: int, body: ComplaintAnswer):
    return service.ratings.answer(rating_id, actor, body.answer)
