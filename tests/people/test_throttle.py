"""The throttle's guards on real SQL: each kind of guessing is counted apart, per subject and per address, so the
look-ups of a public page and the logins of the officers behind the same address never hold each other. That it
engages in the running service is tested over HTTP (tests/api/test_attacks.py, tests/api/test_public.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from digitize.core.config import Settings
from digitize.core.errors import DigitizeError
from digitize.people.auth import LOGINS
from digitize.people.throttle import Guard, count, hold
from storage.records import make_sessionmaker

LOOKUPS = Guard("tra-cuu:", 3, 4, timedelta(minutes=15), "failed look-ups", "Tra cứu không đúng")


@pytest.fixture
def session(tmp_path):
    sessions = make_sessionmaker(Settings(data_dir=tmp_path).sqlalchemy_url)
    with sessions() as s:
        yield s
    sessions.kw["bind"].dispose()


def held(s, guard: Guard, key: str, ip: str) -> bool:
    try:
        hold(s, guard, key, ip)
    except DigitizeError as e:
        assert e.status == 429 and e.detail["retry_after"] > 0
        return True
    return False


def test_each_guard_counts_its_own_failures(session):
    s = session
    for n in range(LOGINS.per_ip - 1):  # an address's failed logins, short of holding it
        count(s, LOGINS, f"doan{n}", "10.0.0.1")
    assert not held(s, LOOKUPS, "000.00.31.H29-261120-0001", "10.0.0.1")  # not counted as look-ups
    for n in range(LOOKUPS.per_ip):
        count(s, LOOKUPS, f"MA-{n}", "10.0.0.1")
    assert held(s, LOOKUPS, "MA-99", "10.0.0.1") and not held(s, LOOKUPS, "MA-99", "10.0.0.2")
    assert not held(s, LOGINS, "quay1", "10.0.0.1")  # the look-ups do not hold the officers' logins


def test_a_login_cannot_hold_another_guards_subject(session):
    """A login typed as "tra-cuu:<code>" is counted as a login of that name, not as a look-up of the code."""
    s = session
    for n in range(LOGINS.per_subject):  # more than a look-up's subject may fail
        count(s, LOGINS, "tra-cuu:MA-1", f"10.0.1.{n}")
    assert not held(s, LOOKUPS, "MA-1", "10.0.2.1")
    assert held(s, LOGINS, "tra-cuu:MA-1", "10.0.2.1")  # the name itself is held, as any account's
