"""Staff accounts of the admin's own agency, and the agency's audit log (admin only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from digitize.api.bodies import AccountState, NewPassword, NewUser
from digitize.api.deps import AccountsDep, Actor, ServiceDep
from digitize.people.audit import EventFilter

router = APIRouter(tags=["accounts"])


@router.post("/api/users", status_code=201, summary="Create a staff account in the admin's agency")
def create_user(accounts: AccountsDep, actor: Actor, body: NewUser):
    return accounts.create_user(actor, body.username, body.full_name, body.password, body.role)


@router.get("/api/users")
def list_users(accounts: AccountsDep, actor: Actor):
    return accounts.users(actor)


@router.patch("/api/users/{username}", summary="Deactivate or reactivate an account of the admin's agency")
def set_user_state(accounts: AccountsDep, actor: Actor, username: str, body: AccountState):
    return accounts.set_active(actor, username, body.active)


@router.put("/api/users/{username}/password", summary="Reset the password of an account of the admin's agency")
def reset_password(accounts: AccountsDep, actor: Actor, username: str, body: NewPassword):
    return accounts.reset_password(actor, username, body.password)


@router.get("/api/audit", tags=["figures"], summary="The audit log of the agency (admin), newest first")
def get_audit(
    accounts: AccountsDep,
    service: ServiceDep,
    actor: Actor,
    citizen: str | None = None,
    user: str | None = None,
    action: str | None = None,
    start: Annotated[date | None, Query(alias="from", description="first local day (Asia/Ho_Chi_Minh)")] = None,
    end: Annotated[date | None, Query(alias="to", description="last local day, included")] = None,
    limit: int = 200,
    offset: int = 0,
):
    zone = service.ctx.zone
    since = datetime.combine(start, time(), zone) if start else None
    until = datetime.combine(end + timedelta(days=1), time(), zone) if end else None
    where = EventFilter(citizen, user, action, since, until, limit, offset)
    return accounts.audit_events(actor, where)
