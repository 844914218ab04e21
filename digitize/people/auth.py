"""Who is asking: staff and citizen logins, sessions, login throttling, and the principal every service call
carries. Passwords are argon2id hashes; session tokens are random and only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from digitize.core.errors import DigitizeError, NotFound, Unauthorized, login_required, not_allowed
from digitize.people.throttle import Guard, count, forget, hold
from forms import validate
from storage.records import STAFF_ROLES, Citizen, Dossier, LoginFailure, LoginSession, Role, User, now

SESSION_HOURS = 10  # one working day at the counter
MAX_FAILURES = 5  # per account (or ID number) within THROTTLE_WINDOW
MAX_FAILURES_PER_IP = 30
THROTTLE_WINDOW = timedelta(minutes=15)
LOGINS = Guard("", MAX_FAILURES, MAX_FAILURES_PER_IP, THROTTLE_WINDOW, "failed logins", "Đăng nhập sai")
CODE_MINUTES = 15  # a one-time code handed over at the counter
MIN_PASSWORD = 8

_hasher = PasswordHasher()


@cache
def dummy_hash() -> str:
    """Verified against when the account does not exist, so a wrong username costs as long as a wrong password.
    Made once, by the app as it starts, not at import: every process importing this (each command line, worker,
    page pool) paid 0.2 s of CPU for it."""
    return _hasher.hash(secrets.token_hex(8))


@dataclass(frozen=True)
class Principal:
    kind: str  # staff | citizen | system | public
    subject: str  # username, ID number, or "system"
    role: str  # a Role: one of STAFF_ROLES, CITIZEN or SYSTEM
    agency: str | None = None
    name: str = ""
    ip: str | None = None

    @property
    def actor(self) -> str:
        return f"citizen:{self.subject}" if self.kind == "citizen" else self.subject

    def require(self, *roles: str) -> Principal:
        """This principal, if its role is among `roles` (the system may do everything)."""
        if self.kind != "system" and self.role not in roles:
            raise not_allowed(self.role)
        return self

    def sees_agency(self, agency: str | None) -> bool:
        return self.kind == "system" or (self.kind == "staff" and agency is not None and agency == self.agency)

    def at(self, ip: str | None) -> Principal:
        return replace(self, ip=ip)


SYSTEM = Principal("system", "system", Role.SYSTEM)
PUBLIC = Principal("public", "public", Role.ANONYMOUS)  # nobody logged in, on a public page (`at` its address)


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def check_secret(stored: str | None, given: str) -> bool:
    try:
        return _hasher.verify(stored or dummy_hash(), given) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD or not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        raise DigitizeError(
            "weak_password",
            f"a password needs at least {MIN_PASSWORD} characters with letters and digits",
            f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự, có cả chữ và số.",
            status=422,
        )


def check_id_number(id_number: str) -> str:
    id_number = (id_number or "").strip()
    if not re.fullmatch(r"\d{12}", id_number) or validate.id_number(id_number):
        raise DigitizeError("bad_id_number", f"{id_number!r} is not a valid 12-digit personal ID number",
                            "Số định danh cá nhân không hợp lệ (phải gồm 12 chữ số).", status=422)  # fmt: skip
    return id_number


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LoginRefused(Unauthorized):
    """A wrong secret, or no such account. The login's transaction rolls back with the error, so the caller counts
    the failure (`count_failure`) in a transaction of its own: counted inside, it would never be written."""

    def __init__(self, kind: str, subject: str, agency: str | None = None):
        if kind == "citizen":
            super().__init__("bad_credentials", "wrong ID number or password", "Số định danh hoặc mật khẩu không đúng.")
        else:
            super().__init__("bad_credentials", "wrong username or password", "Tên đăng nhập hoặc mật khẩu không đúng.")
        self.kind, self.subject, self.agency = kind, subject, agency

    def principal(self, ip: str | None) -> Principal:
        """Who tried, for the audit trail: nobody logged in, the account named."""
        return Principal(self.kind, self.subject, Role.ANONYMOUS, self.agency, ip=ip)


def count_failure(s: Session, refused: LoginRefused, ip: str | None) -> None:
    """Count a refused login against its account and its address (`LOGINS`); a citizen's one-time code dies
    after MAX_FAILURES wrong tries since it was issued, whatever the window."""
    count(s, LOGINS, refused.subject, ip)
    c = s.get(Citizen, refused.subject) if refused.kind == "citizen" else None
    if c is None or not c.code_hash or not c.code_expires_at:
        return
    s.flush()
    issued = c.code_expires_at - timedelta(minutes=CODE_MINUTES)
    tries = select(func.count()).where(LoginFailure.subject == refused.subject, LoginFailure.at >= issued)
    if s.scalar(tries) >= MAX_FAILURES:
        c.code_hash = c.code_expires_at = None


def _open_session(s: Session, kind: str, subject: str, ip: str | None) -> str:
    token = secrets.token_urlsafe(32)
    s.add(LoginSession(token_hash=token_hash(token), kind=kind, subject=subject, ip=ip,
                       expires_at=now() + timedelta(hours=SESSION_HOURS)))  # fmt: skip
    forget(s, LOGINS, subject)
    return token


def login_staff(s: Session, username: str, password: str, ip: str | None) -> tuple[str, Principal]:
    username = (username or "").strip().lower()
    hold(s, LOGINS, username, ip)
    user = s.scalar(select(User).where(User.username == username))
    ok = check_secret(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        raise LoginRefused("staff", username, user.agency_code if user else None)
    token = _open_session(s, "staff", username, ip)
    return token, Principal("staff", username, user.role, user.agency_code, user.full_name, ip)


def login_citizen(s: Session, id_number: str, secret: str, ip: str | None) -> tuple[str, Principal]:
    """A citizen logs in with the password set at the counter, or with a one-time code (used up on success)."""
    id_number = (id_number or "").strip()
    hold(s, LOGINS, id_number, ip)
    c = s.get(Citizen, id_number)
    ok = check_secret(c.password_hash if c else None, secret or "")
    if not ok and c is not None and c.code_hash and c.code_expires_at and c.code_expires_at > now():
        ok = check_secret(c.code_hash, secret or "")
        if ok:
            c.code_hash = c.code_expires_at = None
    if not ok or c is None:
        raise LoginRefused("citizen", id_number)
    token = _open_session(s, "citizen", id_number, ip)
    return token, Principal("citizen", id_number, Role.CITIZEN, None, c.full_name or "", ip)


def principal_for(s: Session, token: str | None, ip: str | None) -> Principal:
    if not token:
        raise login_required()
    row = s.get(LoginSession, token_hash(token))
    if row is None or row.expires_at <= now():
        raise Unauthorized("session_expired", "the session is unknown or has expired; log in again",
                           "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.")  # fmt: skip
    if row.kind == "citizen":
        c = s.get(Citizen, row.subject)
        return Principal("citizen", row.subject, Role.CITIZEN, None, (c.full_name if c else "") or "", ip)
    user = s.scalar(select(User).where(User.username == row.subject))
    if user is None or not user.active:
        raise Unauthorized("session_expired", "the account is disabled", "Tài khoản đã bị khóa.")
    return Principal("staff", user.username, user.role, user.agency_code, user.full_name, ip)


def logout(s: Session, token: str) -> None:
    s.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))


def create_user(
    s: Session, username: str, full_name: str, password: str, role: str, agency: str, hashed: str | None = None
) -> User:
    """`hashed`: a hash of `password` already made (the demo's accounts share one)."""
    username = (username or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{2,63}", username):
        raise DigitizeError(
            "bad_username",
            "a username is 3-64 letters, digits, dots, dashes or underscores",
            "Tên đăng nhập gồm 3–64 chữ cái không dấu, chữ số, dấu chấm, gạch.",
            status=422,
        )
    if role not in STAFF_ROLES:
        raise DigitizeError("bad_role", f"role must be one of {', '.join(STAFF_ROLES)}", "Vai trò không hợp lệ.",
                            status=422)  # fmt: skip
    check_password_rules(password)
    if s.scalar(select(User.id).where(User.username == username)) is not None:
        raise DigitizeError("username_taken", f"the username {username} is taken", "Tên đăng nhập đã có người dùng.",
                            status=409)  # fmt: skip
    user = User(username=username, full_name=full_name.strip(), password_hash=hashed or hash_secret(password),
                role=role, agency_code=agency)  # fmt: skip
    s.add(user)
    s.flush()
    return user


def end_staff_sessions(s: Session, username: str) -> None:
    s.execute(delete(LoginSession).where(LoginSession.kind == "staff", LoginSession.subject == username))


def set_staff_password(s: Session, user: User, password: str) -> None:
    """A new password; every session the account had open ends."""
    check_password_rules(password)
    user.password_hash = hash_secret(password)
    end_staff_sessions(s, user.username)


def citizen(s: Session, id_number: str, full_name: str | None = None) -> Citizen:
    id_number = check_id_number(id_number)
    c = s.get(Citizen, id_number)
    if c is None:
        c = Citizen(id_number=id_number)
        s.add(c)
    if full_name:
        c.full_name = " ".join(full_name.split())
    return c


def check_received(s: Session, actor: Principal, id_number: str) -> str:
    """The ID number, if the actor's agency holds a dossier of this citizen: only a counter that received the
    citizen, who showed their papers there, may give them a password or a code. Any other counter gets the same
    404 as for a citizen nobody knows; the system (the command line, the demo) may always."""
    id_number = check_id_number(id_number)
    if actor.kind != "system":
        held = select(Dossier.id).where(Dossier.citizen_id == id_number, Dossier.agency_code == actor.agency)
        if actor.agency is None or s.scalar(held.limit(1)) is None:
            raise NotFound("citizen_not_found", "no such citizen among the agency's dossiers",
                           "Không tìm thấy công dân trong hồ sơ của đơn vị: chỉ đặt mật khẩu hoặc cấp mã đăng nhập "
                           "cho công dân có hồ sơ tại đơn vị.")  # fmt: skip
    return id_number


def set_citizen_password(
    s: Session, id_number: str, password: str, full_name: str | None = None, hashed: str | None = None
) -> Citizen:
    """A new password; every session the citizen had open ends (whoever set the old one is logged out).
    `hashed`: as for create_user."""
    check_password_rules(password)
    c = citizen(s, id_number, full_name)
    c.password_hash = hashed or hash_secret(password)
    s.execute(delete(LoginSession).where(LoginSession.kind == "citizen", LoginSession.subject == c.id_number))
    return c


def issue_citizen_code(s: Session, id_number: str) -> tuple[str, object]:
    """A 6-digit one-time code for a citizen without a password; valid CODE_MINUTES, used up at login."""
    c = citizen(s, id_number)
    code = f"{secrets.randbelow(10**6):06d}"
    c.code_hash = hash_secret(code)
    c.code_expires_at = now() + timedelta(minutes=CODE_MINUTES)
    return code, c.code_expires_at
