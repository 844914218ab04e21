"""What the API does with people, each in one transaction with its audit record: logins (a refusal counted and
audited in a transaction of its own, so the refusal itself cannot undo the count), staff accounts, citizens'
passwords and one-time codes, and reading the audit log."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.core.errors import DigitizeError, not_found
from digitize.people import audit, auth
from digitize.people.auth import Principal
from storage.records import Agency, Role, User

Sessions = Callable[[], AbstractContextManager[Session]]
Attempt = Callable[[Session], tuple[str, Principal]]


def user_json(u: User) -> dict:
    return {"username": u.username, "full_name": u.full_name, "role": u.role, "agency": u.agency_code,
            "active": u.active, "created_at": u.created_at.isoformat() if u.created_at else None}  # fmt: skip


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
            return user_json(u)

    def users(self, actor: Principal) -> list[dict]:
        actor.require(Role.ADMIN)
        with self.session() as s:
            rows = s.scalars(select(User).where(User.agency_code == actor.agency).order_by(User.username)).all()
            audit.record(s, actor, "user.list", "agency", actor.agency)
            return [user_json(u) for u in rows]

    def _staff(self, s: Session, actor: Principal, username: str) -> User:
        """An account of the admin's own agency; another agency's is refused as if there were none."""
        user = s.scalar(select(User).where(User.username == (username or "").strip().lower()))
        if user is None or user.agency_code != actor.agency:
            raise not_found("user", username, f"tài khoản {username} trong đơn vị")
        return user

    def set_active(self, actor: Principal, username: str, active: bool) -> dict:
        """Deactivate an account (its sessions end: it is logged out at once) or reactivate it."""
        actor.require(Role.ADMIN)
        with self.session() as s:
            user = self._staff(s, actor, username)
            if user.username == actor.subject and not active:
                raise DigitizeError("own_account", "an admin cannot deactivate their own account",
                                    "Không thể tự khóa tài khoản đang dùng để quản trị.", status=409)  # fmt: skip
            if user.active != active:
                user.active = active
                if not active:
                    auth.end_staff_sessions(s, user.username)
                audit.record(s, actor, "user.reactivate" if active else "user.deactivate", "user", user.username)
            return user_json(user)

    def reset_password(self, actor: Principal, username: str, password: str) -> dict:
        """A new password the admin hands over; the account's open sessions end."""
        actor.require(Role.ADMIN)
        with self.session() as s:
            user = self._staff(s, actor, username)
            auth.set_staff_password(s, user, password)
            audit.record(s, actor, "user.password", "user", user.username)
            return user_json(user)

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

    def audit_events(self, actor: Principal, where: audit.EventFilter) -> list[dict]:
        actor.require(Role.ADMIN)
        with self.session() as s:
            # What was looked for, as it was before the filters grew: `citizen` also files the read under them.
            asked = {"user": where.actor, "of_action": where.action, "offset": where.offset or None,
                     "since": where.since.isoformat() if where.since else None,
                     "until": where.until.isoformat() if where.until else None}  # fmt: skip
            audit.record(s, actor, "audit.read", "agency", actor.agency, citizen=where.citizen,
                         **{k: v for k, v in asked.items() if v is not None})  # fmt: skip
            return audit.events(s, actor.agency, where)
