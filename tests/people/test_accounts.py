"""Accounts on real SQL: password hashes, sessions, login throttling, one-time codes, and dossier codes that never
repeat when many counters open dossiers at once (threads and separate processes on one database)."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from digitize.core.errors import DigitizeError
from digitize.people import auth
from digitize.people.demo import DEMO_PASSWORD
from storage.records import LoginSession, User, now
from tests.support.servers import demo_service


@pytest.fixture
def svc(tmp_path):
    service = demo_service(tmp_path / "data")
    yield service
    service.close()


def refused(fn, *args) -> DigitizeError:
    with pytest.raises(DigitizeError) as exc:
        fn(*args)
    return exc.value


def test_passwords_are_argon2_and_wrong_ones_refused(svc):
    with svc.ctx.session() as s:
        user = s.query(User).filter_by(username="quay1").one()
        assert user.password_hash.startswith("$argon2id$") and DEMO_PASSWORD not in user.password_hash
    with svc.ctx.session() as s:
        assert refused(auth.login_staff, s, "quay1", "sai-mat-khau", "1.2.3.4").status == 401
    with svc.ctx.session() as s:
        assert refused(auth.login_staff, s, "khong-ai", DEMO_PASSWORD, "1.2.3.4").code == "bad_credentials"
    with svc.ctx.session() as s:
        token, p = auth.login_staff(s, "QUAY1 ", DEMO_PASSWORD, "1.2.3.4")
        assert (p.role, p.agency) == ("counter", "000.00.31.H29")
        assert s.get(LoginSession, auth.token_hash(token)) is not None  # only the hash is stored
        assert s.get(LoginSession, token) is None
    with svc.ctx.session() as s:
        assert auth.principal_for(s, token, "1.2.3.4").subject == "quay1"
        s.get(LoginSession, auth.token_hash(token)).expires_at = now() - timedelta(seconds=1)
    with svc.ctx.session() as s:
        assert refused(auth.principal_for, s, token, "1.2.3.4").code == "session_expired"
        assert refused(auth.principal_for, s, None, "1.2.3.4").code == "login_required"


def test_citizen_password_and_one_time_code(svc):
    idn = "079201000042"
    with svc.ctx.session() as s:
        assert refused(auth.set_citizen_password, s, idn, "12345678").code == "weak_password"
        assert refused(auth.set_citizen_password, s, "12345", "matkhau123").code == "bad_id_number"
        auth.set_citizen_password(s, idn, "matkhau123", "TRẦN THỊ MẪU")
    with svc.ctx.session() as s:
        _, p = auth.login_citizen(s, idn, "matkhau123", None)
        assert (p.kind, p.subject, p.role, p.agency) == ("citizen", idn, "citizen", None)
        code, _ = auth.issue_citizen_code(s, idn)
    with svc.ctx.session() as s:
        assert auth.login_citizen(s, idn, code, None)[1].subject == idn
    with svc.ctx.session() as s:  # used up
        assert refused(auth.login_citizen, s, idn, code, None).status == 401


def test_staff_accounts_checked(svc):
    with svc.ctx.session() as s:
        assert refused(auth.create_user, s, "a", "X", "matkhau123", "counter", "000.00.31.H29").code == "bad_username"
        assert refused(auth.create_user, s, "moi1", "X", "matkhau123", "chief", "000.00.31.H29").code == "bad_role"
        assert refused(auth.create_user, s, "quay1", "X", "matkhau123", "counter", "000.00.31.H29").status == 409


def test_dossier_codes_never_repeat_under_concurrency(svc, tmp_path):
    """Eight threads here and two other processes open dossiers at the same unit at once."""
    counter = None
    with svc.ctx.session() as s:
        counter = auth.login_staff(s, "quay1", DEMO_PASSWORD, None)[1]
    script = (
        "import sys\n"
        "from digitize.core.config import Settings\nfrom digitize.dossiers.service import open_service\n"
        "from digitize.people.auth import Principal\n"
        f"svc = open_service(Settings(data_dir={str(tmp_path / 'data')!r}, workers=1))\n"
        "p = Principal('staff', 'quay1', 'counter', '000.00.31.H29')\n"
        "for _ in range(40): svc.reception.create_dossier('1.001193', p)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    errors: list[BaseException] = []

    def open_many() -> None:
        try:
            for _ in range(15):
                svc.reception.create_dossier("1.001193", counter)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_many) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert not errors, errors
    codes = [d["code"] for d in svc.queries.dossiers(counter, limit=500)]
    assert len(codes) == 8 * 15 + 2 * 40 == len(set(codes))
    day = codes[0].split("-")[1]
    assert sorted(int(c.split("-")[2]) for c in codes) == list(range(1, 201))
    assert all(c.startswith(f"000.00.31.H29-{day}-") for c in codes)


def test_audit_reads_once_per_minute_changes_always(svc):
    from storage.records import AuditEvent

    with svc.ctx.session() as s:
        counter = auth.login_staff(s, "quay1", DEMO_PASSWORD, "10.1.1.1")[1]
        reviewer = auth.login_staff(s, "duyet1", DEMO_PASSWORD, "10.1.1.2")[1]
    d = svc.reception.create_dossier("1.001193", counter, "001099000123")
    for _ in range(5):  # a screen polling the dossier
        svc.queries.status(d, counter)
    svc.queries.status(d, reviewer)
    svc.reception.add_file(d, "a.pdf", b"%PDF-1.4 broken", counter)
    svc.reception.add_file(d, "a.pdf", b"%PDF-1.4 broken", counter)
    with svc.ctx.session() as s:
        rows = [(e.actor, e.action, e.ip, e.citizen_id) for e in s.query(AuditEvent).filter(AuditEvent.object_id == d)]
    assert rows.count(("quay1", "dossier.read", "10.1.1.1", "001099000123")) == 1
    assert rows.count(("duyet1", "dossier.read", "10.1.1.2", "001099000123")) == 1
    assert rows.count(("quay1", "dossier.create", "10.1.1.1", "001099000123")) == 1
    assert rows.count(("quay1", "dossier.upload", "10.1.1.1", "001099000123")) == 2


def test_same_bytes_handed_in_at_once_by_many_counters(svc):
    """Identical scans uploaded concurrently into different dossiers: every upload is taken, one original kept."""
    from storage.records import Original

    with svc.ctx.session() as s:
        counter = auth.login_staff(s, "quay1", DEMO_PASSWORD, None)[1]
    data = b"%PDF-1.4 the same broken bytes from everyone"
    dossiers = [svc.reception.create_dossier("1.001193", counter) for _ in range(8)]
    receipts: list = []

    def hand_in(d: str) -> None:
        receipts.append(svc.reception.add_file(d, "giong-nhau.pdf", data, counter))

    threads = [threading.Thread(target=hand_in, args=(d,)) for d in dossiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(receipts) == 8 and all(r.stored and r.sha256 == receipts[0].sha256 for r in receipts)
    with svc.ctx.session() as s:
        assert s.query(Original).count() == 1


def test_admin_changes_only_accounts_of_its_own_agency_and_each_change_is_audited(svc):
    from digitize.people.accounts import Accounts
    from storage.records import AuditEvent

    accounts = Accounts(svc.ctx.session)
    with svc.ctx.session() as s:
        auth.create_user(s, "quantri2", "Quản Trị Hai", "quantri2026", "admin", "000.00.32.H29")
    admin_a = accounts.login_staff("quantri1", DEMO_PASSWORD, "10.0.0.1")[1]
    admin_b = accounts.login_staff("quantri2", "quantri2026", "10.0.0.2")[1]
    token, _ = accounts.login_staff("quay1", DEMO_PASSWORD, "10.0.0.3")

    for change in (lambda: accounts.set_active(admin_b, "quay1", False),
                   lambda: accounts.reset_password(admin_b, "quay1", "matkhau999")):  # fmt: skip
        assert refused(change).status == 404  # agency B's admin: as if quay1 did not exist
    with svc.ctx.session() as s:
        assert auth.principal_for(s, token, "10.0.0.3").subject == "quay1"  # untouched

    assert accounts.set_active(admin_a, "quay1", False)["active"] is False
    with svc.ctx.session() as s:
        assert refused(auth.principal_for, s, token, "10.0.0.3").status == 401  # logged out at once
    assert refused(accounts.login_staff, "quay1", DEMO_PASSWORD, "10.0.0.3").status == 401
    assert accounts.set_active(admin_a, "quay1", True)["active"] is True
    assert refused(accounts.reset_password, admin_a, "quay1", "ngan").code == "weak_password"
    accounts.reset_password(admin_a, "quay1", "matkhau999")
    assert refused(accounts.login_staff, "quay1", DEMO_PASSWORD, "10.0.0.3").status == 401
    assert accounts.login_staff("quay1", "matkhau999", "10.0.0.3")[1].role == "counter"
    assert refused(accounts.set_active, admin_a, "quantri1", False).code == "own_account"
    with svc.ctx.session() as s:
        done = [(e.actor, e.action, e.object_id, e.agency_code) for e in s.query(AuditEvent).order_by(AuditEvent.id)
                if e.action.startswith("user.")]  # fmt: skip
    assert done == [("quantri1", a, "quay1", "000.00.31.H29")
                    for a in ("user.deactivate", "user.reactivate", "user.password")]  # fmt: skip


def test_audit_log_days_are_vietnams_days(svc):
    """An event at 18:30 UTC on 1 March is on 2 March in Vietnam: a filter on 2 March finds it, one on 1 March
    does not. Paging goes newest first without overlap."""
    from datetime import UTC, date, datetime, time

    from digitize.people import audit
    from digitize.people.accounts import Accounts
    from storage.records import AuditEvent

    accounts = Accounts(svc.ctx.session)
    admin = accounts.login_staff("quantri1", DEMO_PASSWORD, "10.0.0.1")[1]
    with svc.ctx.session() as s:
        for hour in (16, 17, 18):
            s.add(AuditEvent(actor="quay1", role="counter", agency_code="000.00.31.H29", action="dossier.create",
                             object_type="dossier", object_id=f"d{hour}",
                             at=datetime(2026, 3, 1, hour, 30, tzinfo=UTC)))  # fmt: skip
    zone = svc.ctx.zone

    def day(d: date) -> audit.EventFilter:
        return audit.EventFilter(actor="quay1", since=datetime.combine(d, time(), zone),
                                 until=datetime.combine(d.replace(day=d.day + 1), time(), zone))  # fmt: skip

    assert [e["object_id"] for e in accounts.audit_events(admin, day(date(2026, 3, 1)))] == ["d16"]  # 23:30 local
    assert [e["object_id"] for e in accounts.audit_events(admin, day(date(2026, 3, 2)))] == ["d18", "d17"]
    pages = [accounts.audit_events(admin, audit.EventFilter(actor="quay1", action="dossier.create", limit=2,
                                                            offset=n)) for n in (0, 2)]  # fmt: skip
    assert [[e["object_id"] for e in p] for p in pages] == [["d18", "d17"], ["d16"]]
