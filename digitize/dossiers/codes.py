"""Dossier codes `<unit code>-YYMMDD-NNNN`: the receiving unit, the local date of receipt, a daily sequence.

Dossiers opened to digitize an archive take their own series, `<unit code>-LT-YYMMDD-NNNNN` (lưu trữ): a batch of
thousands of old papers must not use up the numbers the counter gives citizens that day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import literal_column
from sqlalchemy.orm import Session

from digitize.core.errors import Conflict
from storage.records import DossierCounter, upsert

MAX_PER_DAY = 9999
ARCHIVE_SERIES = "LT"
MAX_ARCHIVE_PER_DAY = 99999


def next_code(s: Session, unit: str, when: datetime, zone, archive: bool = False) -> str:
    """Take the unit's next number for the day in one upsert statement.

    The row is created or incremented and its new value returned by the same statement, under the row's write
    lock, so two counters opening dossiers at the same instant (two API processes, or two machines on
    PostgreSQL) never get the same number.
    """
    day = when.astimezone(zone).strftime("%y%m%d")
    series = f"{unit}-{ARCHIVE_SERIES}" if archive else unit  # its own row: its own sequence
    stmt = upsert(s, DossierCounter).values(unit_code=series, day=day, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["unit_code", "day"], set_={"last": literal_column("dossier_counters.last") + 1}
    ).returning(DossierCounter.last)
    n = s.execute(stmt).scalar_one()
    limit = MAX_ARCHIVE_PER_DAY if archive else MAX_PER_DAY
    if n > limit:
        what, what_vi = ("archive dossiers", "hồ sơ lưu trữ") if archive else ("dossiers", "hồ sơ")
        raise Conflict("daily_limit", f"unit {unit} has opened {limit} {what} today",
                       f"Đơn vị đã mở {limit} {what_vi} trong ngày; không cấp được mã mới.")  # fmt: skip
    if archive:
        return f"{unit}-{ARCHIVE_SERIES}-{day}-{n:05d}"
    return f"{unit}-{day}-{n:04d}"
