"""The date a dossier's result is due, as the counter's receipt promises it (giấy tiếp nhận hồ sơ và hẹn trả kết
quả): the procedure's processing time in working days, Monday to Friday less public holidays, counted from the
working day after receipt. A same-day procedure (0 days) received after 15:00, or on a day off, is due the next
working day, as the counters practise it.

The solar-calendar holidays are known here; Tết, the Hùng Kings' day, the second day of National Day and days off
in lieu move every year and are announced by the government: a deployment lists them in DIGITIZE_HOLIDAYS.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

FIXED_HOLIDAYS = ((1, 1), (4, 30), (5, 1), (9, 2))  # (month, day): New Year, Reunification, Labour, National Day
SAME_DAY_CUTOFF = time(15, 0)


class HolidayError(ValueError):
    pass


def parse_holidays(text: str) -> frozenset[date]:
    """ISO dates separated by commas, spaces or new lines, e.g. "2027-02-05, 2027-02-08"."""
    out = set()
    for item in text.replace(",", " ").split():
        try:
            out.add(date.fromisoformat(item))
        except ValueError as exc:
            raise HolidayError(f"DIGITIZE_HOLIDAYS: '{item}' is not a date (YYYY-MM-DD)") from exc
    return frozenset(out)


def is_working_day(day: date, holidays: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS and day not in holidays


def next_working_day(day: date, holidays: Iterable[date] = ()) -> date:
    day += timedelta(days=1)
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def due_date(received: datetime, days: int, holidays: Iterable[date] = ()) -> date:
    """`received` in local time; `days` the procedure's processing time in working days (0: the same day)."""
    if days < 0:
        raise ValueError("processing time cannot be negative")
    holidays = frozenset(holidays)
    day = received.date()
    if days == 0:
        if is_working_day(day, holidays) and received.time() < SAME_DAY_CUTOFF:
            return day
        return next_working_day(day, holidays)
    for _ in range(days):
        day = next_working_day(day, holidays)
    return day
