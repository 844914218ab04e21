"""The outbox as the agency's admin sees it: messages to citizens and papers to the portal, and a dead one sent
again once its cause is fixed (a wrong address corrected, the portal back)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from digitize.api.deps import Actor, ServiceDep
from digitize.core.errors import not_found
from digitize.outbox import queue
from digitize.people import audit
from storage.records import Role

router = APIRouter(tags=["outbox"])


@router.get("/api/outbox", summary="Messages to citizens and the portal of the agency, the latest first (admin)")
def list_messages(
    service: ServiceDep,
    actor: Actor,
    state: Annotated[str | None, Query(pattern="^(pending|sent|dead)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    actor.require(Role.ADMIN)
    with service.ctx.session() as s:
        return {"counts": queue.counts(s, actor.agency), "messages": queue.listing(s, actor.agency, state, limit,
                                                                                    offset)}  # fmt: skip


@router.post("/api/outbox/{message_id}/retry", summary="Send a dead message again (admin)")
def retry_message(service: ServiceDep, actor: Actor, message_id: int):
    actor.require(Role.ADMIN)
    if not queue.retry(service.ctx, message_id, actor.agency):
        raise not_found("message", message_id, f"thư hỏng số {message_id}")
    with service.ctx.session() as s:
        audit.record(s, actor, "outbox.retry", "message", message_id)
    return {"id": message_id, "state": queue.PENDING}
