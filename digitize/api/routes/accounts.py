"""Staff accounts of the admin's own agency, and the agency's audit log (admin only)."""

from __future__ import annotations

from fastapi import APIRouter

from digitize.api.bodies import NewUser
from digitize.api.deps import AccountsDep, Actor

router = APIRouter(tags=["accounts"])


@router.post("/api/users", status_code=201, summary="Create a staff account in the admin's agency")
def create_user(accounts: AccountsDep, actor: Actor, body: NewUser):
    return accounts.create_user(actor, body.username, body.full_name, body.password, body.role)


@router.get("/api/users")
def list_users(accounts: AccountsDep, actor: Actor):
    return accounts.users(actor)


@router.get("/api/audit", tags=["figures"], summary="The audit log of the agency (admin)")
def get_audit(accounts: AccountsDep, actor: Actor, citizen: str | None = None, user: str | None = None,
              limit: int = 200):  # fmt: skip
    return accounts.audit_events(actor, citizen, user, limit)
