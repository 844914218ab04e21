"""Demo agencies, accounts and a citizen for `make run` (`digitize serve --demo`). Generated names and numbers
only; every password is DEMO_PASSWORD. Never enable on a real deployment."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import select

from digitize.people import auth
from storage.records import Agency, Role, User

DEMO_PASSWORD = "demo2026"
AGENCIES = {
    "000.00.31.H29": "Bộ phận Một cửa UBND phường Mẫu Một (demo)",
    "000.00.32.H29": "Bộ phận Một cửa UBND xã Mẫu Hai (demo)",
}
USERS = [
    ("quay1", "Trần Thị Quầy", Role.COUNTER, "000.00.31.H29"),
    ("duyet1", "Lê Văn Duyệt", Role.REVIEWER, "000.00.31.H29"),
    ("lanhdao1", "Phạm Minh Lãnh", Role.LEADER, "000.00.31.H29"),
    ("quantri1", "Hoàng Quản Trị", Role.ADMIN, "000.00.31.H29"),
    ("quay2", "Đỗ Thị Hai", Role.COUNTER, "000.00.32.H29"),
    ("duyet2", "Vũ Văn Hai", Role.REVIEWER, "000.00.32.H29"),
]
CITIZEN = ("001099000123", "NGUYỄN VĂN MẪU")  # a generated number: Hà Nội, male, born 1999


@cache
def _demo_hash() -> str:
    """DEMO_PASSWORD hashed once for all the demo's accounts, with argon2id at its lightest: the password is printed
    for anyone to read, so the cost of guessing it protects nothing, and at the service's own cost (0.2 s of CPU to
    make, as much to check) the seven hashes were most of a demo server's start and each login of the test suite's
    hundreds took as long. An account's own password, set later, is hashed as every other."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(DEMO_PASSWORD)


def seed(service) -> list[str]:
    """Create what is missing; returns a line per account for the console."""
    lines = []
    with service.ctx.session() as s:
        for code, name in AGENCIES.items():
            if s.get(Agency, code) is None:
                s.add(Agency(code=code, name=name))
        s.flush()
        for username, name, role, agency in USERS:
            if s.scalar(select(User.id).where(User.username == username)) is None:
                auth.create_user(s, username, name, DEMO_PASSWORD, role, agency, hashed=_demo_hash())
            lines.append(f"  {username:9} {role:9} {agency}  password {DEMO_PASSWORD}")
        c = auth.citizen(s, CITIZEN[0], CITIZEN[1])
        if c.password_hash is None:
            auth.set_citizen_password(s, CITIZEN[0], DEMO_PASSWORD, hashed=_demo_hash())
        lines.append(f"  citizen {CITIZEN[0]} ({CITIZEN[1]})  password {DEMO_PASSWORD}")
    return lines
