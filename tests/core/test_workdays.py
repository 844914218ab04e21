"""The date the receipt promises: working days counted by hand on the 2026–2027 calendar."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from digitize.core.config import Settings
from digitize.core.workdays import HolidayError, due_date, parse_holidays
from digitize.dossiers.service import open_service
from digitize.people.auth import SYSTEM

TET_2027 = parse_holidays("2027-02-04, 2027-02-05 2027-02-08,2027-02-09\n2027-02-10 2027-02-11 2027-02-12")


@pytest.mark.parametrize(
    ("received", "days", "holidays", "due"),
    [
        (datetime(2026, 11, 23, 10, 0), 0, (), date(2026, 11, 23)),  # Monday morning: the same day
        (datetime(2026, 11, 23, 14, 59), 0, (), date(2026, 11, 23)),
        (datetime(2026, 11, 23, 15, 0), 0, (), date(2026, 11, 24)),  # after 15:00: the next working day
        (datetime(2026, 11, 27, 16, 30), 0, (), date(2026, 11, 30)),  # Friday afternoon: Monday
        (datetime(2026, 11, 28, 9, 0), 0, (), date(2026, 11, 30)),  # a Saturday counter: Monday
        (datetime(2026, 11, 19, 9, 0), 7, (), date(2026, 11, 30)),  # Thu: Fri, Mon..Fri, Mon
        (datetime(2026, 11, 19, 16, 0), 7, (), date(2026, 11, 30)),  # the hour does not matter for N days
        (datetime(2026, 12, 29, 9, 0), 3, (), date(2027, 1, 4)),  # Wed 30, Thu 31, (Fri 1/1 off), Mon 4
        (datetime(2026, 4, 29, 9, 0), 2, (), date(2026, 5, 5)),  # Thu 30/4 and Fri 1/5 off: Mon 4, Tue 5
        (datetime(2026, 9, 1, 9, 0), 1, (), date(2026, 9, 3)),  # Wed 2/9 off
        (datetime(2027, 2, 3, 9, 0), 1, TET_2027, date(2027, 2, 15)),  # Tết as announced: Monday after
        (datetime(2027, 2, 4, 9, 0), 0, TET_2027, date(2027, 2, 15)),  # received on a holiday
        (datetime(2027, 2, 3, 9, 0), 0, TET_2027, date(2027, 2, 3)),
    ],
)
def test_due_date(received, days, holidays, due):
    assert due_date(received, days, holidays) == due


def test_holidays_are_refused_when_not_dates(monkeypatch):
    with pytest.raises(HolidayError, match="'2027-02-30'"):
        parse_holidays("2027-02-04, 2027-02-30")
    monkeypatch.setenv("DIGITIZE_HOLIDAYS", "05/02/2027")
    with pytest.raises(ValidationError, match="DIGITIZE_HOLIDAYS: '05/02/2027' is not a date"):
        Settings()
    monkeypatch.setenv("DIGITIZE_HOLIDAYS", "2027-02-05,2027-02-08")
    assert Settings().holiday_dates == {date(2027, 2, 5), date(2027, 2, 8)}
    with pytest.raises(ValueError):
        due_date(datetime(2026, 11, 23, 9, 0), -1)


def test_dossier_keeps_the_date_its_receipt_promised(tmp_path):
    svc = open_service(Settings(data_dir=tmp_path, workers=1, holidays="2027-02-05"))
    try:
        d = svc.reception.create_dossier("1.004194", SYSTEM)  # permanent residence: 7 working days
        st = svc.queries.status(d, actor=SYSTEM)
        received = datetime.fromisoformat(st["created_at"]).astimezone(svc.ctx.zone)
        assert st["due_date"] == due_date(received, 7, {date(2027, 2, 5)}).isoformat()
        assert date.fromisoformat(st["due_date"]) >= date.fromordinal(received.date().toordinal() + 9)  # 7 + weekend
        assert (
            svc.queries.status(svc.reception.create_dossier(None, SYSTEM), actor=SYSTEM)["due_date"] is None
        )  # no procedure, no promise
    finally:
        svc.close()
