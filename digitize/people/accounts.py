"""What the API does with people, each in one transaction with its audit record: logins (a refusal counted and
audited in a transaction of its own, so the refusal itself cannot undo the count), staff accounts, citizens'
passwords and one-time codes, and reading the audit log."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.people import audit, auth
from digitize.people.auth import Principal
from storage.records import Agency, Role, User

Sessions = Callable[[], AbstractContextManager[Session]]
Attempt = Callable[[Session], tuple[str, Principal]]


def me_json(p: Principal) -> dict:
    return {"kind": p.kind, "subject": p.subject, "role": p.role, "agency": p.agency, "name": p.name}


class Accounts:
    def __init__(self, session: Sessions):
        self.session = session

    def _log_in(self, attempt: Attempt, ip: str | None) -> tuple[str, Principal]:
        try:
            with self.session() as s:
                token, p = attempt(s)
                citizen = p.subject if p.kind == "citizen" else None
                audit.record(s, p, "login", "citizen" if citizen else "user", p.subject, citizen=citizen)
        except auth.LoginRefused as refused:
            with self.session() as s:
                auth.count_failure(s, refused, ip)
                citizen = refused.subject if refused.kind == "citizen" else None
                audit.record(s, refused.principal(ip), "login.failed", "citizen" if citizen else "user",
                             refused.subject, citizen=citizen)  # fmt: skip
            raise
        return token, p

    def login_staff(self, username: str, password: str, ip: str | None) -> tuple[str, Principal]:
        return self._log_in(lambda s: auth.login_staff(s, username, password, ip), ip)

    def login_citizen(self, id_number: str, secret: str, ip: str | None) -> tuple[str, Principal]:
        return self._log_in(lambda s: auth.login_citizen(s, id_number, secret, ip), ip)

    def agency_name(self, code: str) -> str | None:
        with self.session() as s:
            agency = s.get(Agency, code)
            return agency.name if agency else None

    def logout(self, token: str) -> None:
        with self.session() as s:
            auth.logout(s, token)

    def create_user(self, actor: Principal, username: str, full_name: str, password: str, role: str) -> dict:
        """A staff account in the admin's own agency."""
        actor.require(Role.ADMIN)
        with self.session() as s:
            u = auth.create_user(s, username, full_name, password, role, actor.agency)
            audit.record(s, actor, "user.create", "user", u.username, role_given=u.role)
            return {"username": u.username, "full_name": u.full_name, "role": u.role, "agency": u.agency_code}

    def users(self, actor: Principal) -> list[dict]:
        actor.require(Role.ADMIN)
        with self.session() as s:
            rows = s.scalars(select(User).where(User.agency_code == actor.agency).order_by(User.username)).all()
            audit.record(s, actor, "user.list", "agency", actor.agency)
            return [{"username": u.username, "full_name": u.full_name, "role": u.role, "active": u.active}
                    for u in rows]  # fmt: skip

    def set_citizen_password(self, actor: Principal, id_number: str, password: str, full_name: str | None) -> dict:
        """Set at the counter of an agency that has received a dossier of the citizen (auth.check_received)."""
        actor.require(Role.COUNTER)
        with self.session() as s:
            c = auth.set_citizen_password(s, auth.check_received(s, actor, id_number), password, full_name)
            audit.record(s, actor, "citizen.password", "citizen", c.id_number, citizen=c.id_number)
            return {"id_number": c.id_number, "full_name": c.full_name, "password_set": True}

    def citizen_code(self, actor: Principal, id_number: str) -> dict:
        actor.require(Role.COUNTER)
        with self.session() as s:
            code, expires = auth.issue_citizen_code(s, auth.check_received(s, actor, id_number))
            audit.record(s, actor, "citizen.code", "citizen", id_number, citizen=id_number)
            return {"id_number": id_number, "code": code, "expires_at": expires.isoformat()}

    def audit_events(self, actor: Principal, citizen: str | None, user: str | None, limit: int) -> list[dict]:
        actor.require(Role.ADMIN)
        with self.session() as s:
            audit.record(s, actor, "audit.read", "agency", actor.agency, citizen=citizen, user=user)
            return audit.events(s, actor.agency, citizen=citizen, actor=user, limit=limit)
