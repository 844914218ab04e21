"""Moments in the database: a time compared in a query is taken in UTC like one stored, whatever its offset, on
the suite's database (SQLite compares the stored text: a bound at +07:00 was compared as if it were UTC, and a
day's query in Vietnam's time missed the dossiers received before 07:00)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from digitize.core.config import Settings
from digitize.core.context import open_context
from storage.records import Agency, Dossier

HCM = timezone(timedelta(hours=7))


def test_a_moment_compared_at_another_offset_is_the_same_moment(tmp_path):
    (tmp_path / "data").mkdir()
    ctx = open_context(Settings(data_dir=tmp_path / "data"))
    ctx.migrate()
    stored = datetime(2026, 12, 7, 19, 58, tzinfo=UTC)  # 02:58 on the 8th in Hà Nội
    with ctx.session() as s:
        s.add(Agency(code="T", name="T"))
        s.add(Dossier(id="d1", agency_code="T", created_at=stored))
    day_start = datetime(2026, 12, 8, 0, 0, tzinfo=HCM)
    with ctx.session() as s:
        assert s.scalars(select(Dossier.id).where(Dossier.created_at >= day_start)).all() == ["d1"]
        assert s.scalars(select(Dossier.id).where(Dossier.created_at < day_start)).all() == []
        later = stored.astimezone(HCM) + timedelta(seconds=1)
        assert s.scalars(select(Dossier.id).where(Dossier.created_at < later)).all() == ["d1"]
