"""The audit trail: every read or change of personal data, with who, what, when and from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.people.auth import Principal
from storage.records import AuditEvent, now


def record(
    s: Session,
    actor: Principal,
    action: str,
    object_type: str,
    object_id: object = None,
    *,
    agency: str | None = None,
    citizen: str | None = None,
    **detail: object,
) -> None:
    """Write one event. `agency` is whose admins see it: the agency holding the data, else the actor's.

    A read repeated by the same actor from the same place within READ_REPEAT (a screen polling a dossier while its
    pages are read) is the same look at the data: it is written once, not every second.
    """
    if action.endswith(".read") and _recent(s, actor, action, object_id, detail or None):
        return
    s.add(
        AuditEvent(
            actor=actor.actor,
            role=actor.role,
            agency_code=agency or actor.agency,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            citizen_id=citizen,
            ip=actor.ip,
            detail=detail or None,
        )
    )


READ_REPEAT = timedelta(seconds=60)


def _recent(s: Session, actor: Principal, action: str, object_id: object, detail: dict | None) -> bool:
    q = (
        select(AuditEvent.detail)
        .where(AuditEvent.actor == actor.actor, AuditEvent.action == action, AuditEvent.at > now() - READ_REPEAT)
        .where(AuditEvent.object_id == (None if object_id is None else str(object_id)), AuditEvent.ip == actor.ip)
    )
    return any(d == detail for d in s.scalars(q))


@dataclass(frozen=True)
class EventFilter:
    """Which events of an agency's log to read: by citizen, actor (a username, or "citizen:<ID>"), exact action,
    and moments (aware; `since` included, `until` not); a page of `limit` from `offset`, newest first."""

    citizen: str | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 200
    offset: int = 0


def events(s: Session, agency: str | None, where: EventFilter | None = None) -> list[dict]:
    where = where or EventFilter()
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(max(1, min(where.limit, 1000)))
    q = q.offset(max(0, where.offset))
    if agency is not None:
        q = q.where(AuditEvent.agency_code == agency)
    if where.citizen:
        q = q.where(AuditEvent.citizen_id == where.citizen)
    if where.actor:
        q = q.where(AuditEvent.actor == where.actor)
    if where.action:
        q = q.where(AuditEvent.action == where.action)
    # Compared in UTC, as stored: SQLite keeps no zone and would compare a local time's digits.
    if where.since is not None:
        q = q.where(AuditEvent.at >= where.since.astimezone(UTC))
    if where.until is not None:
        q = q.where(AuditEvent.at < where.until.astimezone(UTC))
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "role": e.role,
            "agency": e.agency_code,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "citizen": e.citizen_id,
            "ip": e.ip,
            "detail": e.detail or {},
        }  # fmt: skip
        for e in s.scalars(q)
    ]
