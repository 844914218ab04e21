"""The leaders' figures on a seeded set of records, against values counted by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from digitize.core.config import Settings
from digitize.dossiers import figures
from digitize.dossiers.service import open_service
from storage.records import (
    Agency,
    Correction,
    Document,
    Dossier,
    DossierFile,
    Original,
    Page,
    Result,
    Reuse,
    Scan,
    now,
)

A, B = "000.00.31.H29", "000.00.32.H29"
IN = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam, inside 1–10 November
BEFORE = datetime(2026, 10, 31, 16, 30, tzinfo=UTC)  # 23:30 on 31 October in Vietnam: outside


def handed_in(s, dossier_id: str) -> None:
    """A file accepted into the dossier, as a counter's upload leaves it before its pages are read: a dossier
    holding nothing handed in is not received."""
    s.flush()
    seq = s.query(DossierFile).filter_by(dossier_id=dossier_id).count() + 1
    s.add(DossierFile(dossier_id=dossier_id, seq=seq, name="x", sha256="0" * 64, kind="png", purpose="submission"))
    s.flush()


@pytest.fixture
def seeded(tmp_path):
    svc = open_service(Settings(data_dir=tmp_path / "data", workers=1))
    with svc.ctx.session() as s:
        s.add_all([Agency(code=A, name="A"), Agency(code=B, name="B"), Original(sha256="0" * 64, size=1, kind="png",
                                                                                   key="originals/0")])  # fmt: skip
        s.flush()

        def dossier(name, agency=A, procedure="1.001193", at=IN, due=None, archive=False):
            s.add(Dossier(id=name, code=f"{agency}-{name}", agency_code=agency, procedure=procedure, created_at=at,
                          due_date=due, archive=archive))  # fmt: skip
            handed_in(s, name)
            return name

        def pages(d, *kinds, purpose="submission"):
            seq = s.query(DossierFile).filter_by(dossier_id=d).count() + 1
            f = DossierFile(dossier_id=d, seq=seq, name="x", sha256="0" * 64, kind="png", purpose=purpose)
            s.add(f)
            s.flush()
            for i, kind in enumerate(kinds):
                sc = Scan(dossier_id=d, file_id=f.id, number=i + 1, ref={})
                s.add(sc)
                s.flush()
                idx = s.query(Page).filter_by(dossier_id=d).count()
                s.add(Page(dossier_id=d, scan_id=sc.id, index=idx, source="x", paper="A4", dpi=300,
                           blank=kind == "blank", failed=kind == "failed"))  # fmt: skip
            s.flush()
            return f.seq

        def doc(d, type_="can_cuoc", state="extracted", fields=None, decided=None, is_result=False, age_h=0.0):
            x = Document(dossier_id=d, type=type_, state=state, fields=fields or {}, decided_at=decided,
                         is_result=is_result, created_at=now() - timedelta(hours=age_h))  # fmt: skip
            s.add(x)
            s.flush()
            return x.id

        old = dossier("d6", at=BEFORE)  # outside the period: counts nowhere but lends its paper
        paper = doc(old, state="approved")
        # Due dates: d1's result (5 Nov) on its day, d2's a day late, d3 had none; d4 is overdue with no result,
        # d5 past due but returned (before the period), d8 due in the future.
        d1 = dossier("d1", due=date(2026, 11, 5))
        pages(d1, "ok", "ok")  # digitized, 2 pages
        d2 = dossier("d2", due=date(2026, 11, 4))
        pages(d2, "blank")  # a blank page only: not digitized, 1 page read
        d3 = dossier("d3")
        pages(d3, "failed")  # unreadable: not digitized, no page
        d4 = dossier("d4", due=date(2026, 11, 6))  # digitized by reuse alone
        d5 = dossier("d5", due=date(2026, 11, 5))  # nothing
        dossier("d7", agency=B)  # another agency
        dossier("d8", procedure="1.000894", due=date(2099, 1, 1))  # another procedure of A
        s.add_all([Reuse(dossier_id=d4, document_id=paper, by="quay1"), Reuse(dossier_id=d1, document_id=paper,
                                                                               by="quay1")])  # fmt: skip
        # Results: d1 scanned and approved (digitized, synced); d2 on paper only; d3 scanned, not yet approved.
        seq1 = pages(d1, "ok", purpose="result")
        doc(d1, "giay_khai_sinh", "approved", is_result=True, decided=IN)
        seq3 = pages(d3, "ok", purpose="result")
        doc(d3, "giay_khai_sinh", "extracted", is_result=True, age_h=30)
        s.add_all([Result(dossier_id=d1, file_seq=seq1, issued_by="quay1", issued_at=IN),
                   Result(dossier_id=d2, issued_by="quay1", issued_at=IN),
                   Result(dossier_id=d3, file_seq=seq3, issued_by="quay1", issued_at=IN),
                   Result(dossier_id=d5, issued_by="quay1", issued_at=BEFORE)])  # fmt: skip
        # An old birth certificate from the archive (digitize batch): 1 page read, its result, counted apart.
        d10 = dossier("d10", archive=True)
        s.add(Result(dossier_id=d10, file_seq=pages(d10, "ok", purpose="result"), issued_by="quay1", issued_at=IN))
        # Opened, but its only file was refused: nothing was received, it counts nowhere.
        s.add(Dossier(id="d11", code=f"{A}-d11", agency_code=A, procedure="1.001193", created_at=IN))
        s.add(DossierFile(dossier_id="d11", seq=1, name="x.pdf", sha256="0" * 64, kind="unknown", accepted=False,
                          error="corrupt_pdf"))  # fmt: skip
        # Review: two open documents of A (30 h above and 10 h here), one of B.
        doc(d2, age_h=10)
        doc("d7", age_h=50)
        # Corrections: y changes full_name twice (counts once) and adds nationality (not extracted);
        # z changes id_number. Fields extracted: y 3, z 2.
        y = doc(d5, state="approved", decided=IN,
                fields={"id_number": {"value": "1"}, "full_name": {"value": "C"}, "sex": {"value": "Nam"},
                        "nationality": {"value": "Việt Nam"}})  # fmt: skip
        z = doc(d5, state="rejected", decided=IN, fields={"id_number": {"value": "2"}, "full_name": {"value": "D"}})
        for doc_id, field, old_value, new_value in [
            (y, "full_name", "A", "B"),
            (y, "full_name", "B", "C"),
            (y, "nationality", None, "Việt Nam"),
            (z, "id_number", "9", "2"),
        ]:
            s.add(Correction(document_id=doc_id, field=field, old_value=old_value, new_value=new_value, by="duyet1"))
    yield svc
    svc.close()


def test_figures_match_hand_count(seeded):
    with seeded.ctx.session() as s:
        f = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=A)
    rows = {r["procedure"]: r for r in f["rows"]}
    assert set(rows) == {"1.001193", "1.000894"}
    r = rows["1.001193"]
    assert (r["received"], r["digitized_at_reception"], r["share_digitized"]) == (5, 2, 0.4)  # d1, d4 of d1–d5
    assert (r["reused_dossiers"], r["reuse_events"], r["reuse_rate"]) == (2, 2, 0.4)
    assert (r["results_issued"], r["results_digitized"], r["results_synced"]) == (3, 2, 1)
    assert (r["share_results_digitized"], r["share_results_synced"]) == (0.6667, 0.3333)
    # d1: 2 + 1 result page; d2: 1 blank; d3: 1 result page; d10 (the archive): 1 page.
    assert (r["pages"], r["pages_per_day"]) == (6, 0.6)
    assert (r["archive_dossiers"], r["archive_results"]) == (1, 1)  # d10, and in none of the counts above
    assert (r["results_with_due_date"], r["results_on_time"], r["share_on_time"]) == (2, 1, 0.5)  # d1 of d1, d2
    assert r["overdue"] == 1  # d4
    assert rows["1.000894"]["overdue"] == 0 and rows["1.000894"]["share_on_time"] is None
    assert rows["1.000894"]["received"] == 1 and rows["1.000894"]["share_digitized"] == 0.0
    assert f["total"]["received"] == 6 and f["total"]["reuse_rate"] == round(2 / 6, 4)
    assert f["review_backlog"]["documents"] == 2
    assert f["review_backlog"]["oldest_hours"] == pytest.approx(30, abs=0.2)
    assert f["review_backlog"]["mean_age_hours"] == pytest.approx(20, abs=0.2)
    cr = f["correction_rate"]
    assert (cr["extracted"], cr["corrected"], cr["rate"]) == (5, 2, 0.4)
    per = {(x["type"], x["field"]): (x["extracted"], x["corrected"]) for x in cr["fields"]}
    assert per == {("can_cuoc", "full_name"): (2, 1), ("can_cuoc", "id_number"): (2, 1), ("can_cuoc", "sex"): (1, 0)}

    lines = figures.to_csv(f).splitlines()
    assert lines[0].startswith("from,to,agency,procedure,received")
    assert f"2026-11-01,2026-11-10,{A},1.001193,5,2,0.4,3,2,0.6667,1,0.3333,2,1,0.5,1,2,2,0.4,1,1,6,0.6" == lines[2]
    assert "can_cuoc,full_name,2,1,0.5" in lines


def test_figures_other_agency_and_procedure_filter(seeded):
    with seeded.ctx.session() as s:
        b = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=B)
        one = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=A, procedure="1.000894")
        october = figures.compute(s, date(2026, 10, 31), date(2026, 10, 31), seeded.ctx.zone, agency=A)
    assert b["total"]["received"] == 1 and b["review_backlog"]["documents"] == 1
    assert [r["procedure"] for r in one["rows"]] == ["1.000894"] and one["total"]["results_issued"] == 0
    # 23:30 on 31 October in Vietnam is 31 October, though it is 16:30 UTC.
    assert october["total"]["received"] == 1 and october["total"]["results_issued"] == 1


# --- the series over the period ------------------------------------------------------------------------------------

ZEROS = {"received": 0, "digitized_at_reception": 0, "share_digitized": None, "results_issued": 0,
         "results_digitized": 0, "share_results_digitized": None, "results_synced": 0, "share_results_synced": None,
         "reused_dossiers": 0, "reuse_events": 0, "reuse_rate": None, "pages": 0, "pages_per_day": 0.0,
         "archive_dossiers": 0, "archive_results": 0,
         "results_with_due_date": 0, "results_on_time": 0, "share_on_time": None, "overdue": 0}  # fmt: skip


def test_series_per_day_matches_hand_count(seeded):
    with seeded.ctx.session() as s:
        f = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=A)
    series = f["series"]
    assert series["bucket"] == "day"
    points = series["points"]
    assert [p["start"] for p in points] == [f"2026-11-{d:02d}" for d in range(1, 11)]  # every day, empty ones too
    assert all(p["start"] == p["end"] and p["days"] == 1 for p in points)
    by_day = {p["start"]: p for p in points}
    nov5 = by_day.pop("2026-11-05")
    # All of A's activity in the period is on 5 November: d1–d5 and d8 received (6); d1 scanned, d4 by reuse (2);
    # d1 and d4 reused one paper each; results of d1 (scanned, approved), d2 (paper), d3 (scanned, not approved);
    # pages 6 (d1 2 + 1 result, d2 1 blank, d3 1 result, the archive's d10 1), all read that one day.
    assert (nov5["received"], nov5["digitized_at_reception"], nov5["share_digitized"]) == (6, 2, 0.3333)
    assert (nov5["reused_dossiers"], nov5["reuse_events"], nov5["reuse_rate"]) == (2, 2, 0.3333)
    assert (nov5["results_issued"], nov5["results_digitized"], nov5["results_synced"]) == (3, 2, 1)
    assert (nov5["share_results_digitized"], nov5["share_results_synced"]) == (0.6667, 0.3333)
    assert (nov5["pages"], nov5["pages_per_day"]) == (6, 6.0)
    assert (nov5["archive_dossiers"], nov5["archive_results"]) == (1, 1)
    for p in by_day.values():  # the nine other days: zeros, and no share of nothing
        assert {k: p[k] for k in ZEROS} == ZEROS
    # The series adds up to the total.
    for k in ("received", "digitized_at_reception", "reused_dossiers", "results_issued", "pages"):
        assert sum(p[k] for p in points) == f["total"][k]

    # One procedure only: d8 alone, nothing digitized.
    with seeded.ctx.session() as s:
        one = figures.compute(s, date(2026, 11, 5), date(2026, 11, 5), seeded.ctx.zone, agency=A, procedure="1.000894")
    (p,) = one["series"]["points"]
    assert (p["start"], p["received"], p["share_digitized"], p["results_issued"], p["pages"]) == (
        "2026-11-05", 1, 0.0, 0, 0)  # fmt: skip


def test_series_buckets_by_local_date(seeded):
    with seeded.ctx.session() as s:
        # 01:00 on 5 November in Vietnam, though still 4 November in UTC.
        s.add(Dossier(id="d9", code=f"{B}-d9", agency_code=B, procedure="1.001193",
                      created_at=datetime(2026, 11, 4, 18, 0, tzinfo=UTC)))  # fmt: skip
        handed_in(s, "d9")
    with seeded.ctx.session() as s:
        b = figures.compute(s, date(2026, 11, 4), date(2026, 11, 5), seeded.ctx.zone, agency=B)
        october = figures.compute(s, date(2026, 10, 31), date(2026, 11, 1), seeded.ctx.zone, agency=A)
    assert [(p["start"], p["received"]) for p in b["series"]["points"]] == [("2026-11-04", 0), ("2026-11-05", 2)]
    # d6 received and d5's result issued at 23:30 on 31 October (16:30 UTC): that day, not 1 November.
    oct31, nov1 = october["series"]["points"]
    assert (oct31["received"], oct31["share_digitized"], oct31["results_issued"]) == (1, 0.0, 1)
    assert (nov1["received"], nov1["results_issued"]) == (0, 0)


def test_a_local_day_holds_the_dossiers_of_its_small_hours_and_not_the_next_ones(seeded):
    """A counter open at 01:00 in Vietnam (still the day before in UTC) or a night batch at 03:00: on SQLite, which
    keeps no zone, the period's bounds must be compared in UTC as the times are stored."""
    with seeded.ctx.session() as s:
        s.add(Dossier(id="night1", code=f"{B}-night1", agency_code=B, procedure="1.001193",
                      created_at=datetime(2026, 11, 4, 18, 0, tzinfo=UTC)))  # 01:00 on 5 November  # fmt: skip
        s.add(Dossier(id="night2", code=f"{B}-night2", agency_code=B, procedure="1.001193",
                      created_at=datetime(2026, 11, 5, 20, 0, tzinfo=UTC)))  # 03:00 on 6 November  # fmt: skip
        handed_in(s, "night1")
        handed_in(s, "night2")
    with seeded.ctx.session() as s:
        fifth = figures.compute(s, date(2026, 11, 5), date(2026, 11, 5), seeded.ctx.zone, agency=B)["total"]
        sixth = figures.compute(s, date(2026, 11, 6), date(2026, 11, 6), seeded.ctx.zone, agency=B)["total"]
    assert (fifth["received"], sixth["received"]) == (2, 1)


def test_series_per_week_and_per_month(seeded):
    with seeded.ctx.session() as s:
        weeks = figures.compute(s, date(2026, 10, 1), date(2026, 12, 31), seeded.ctx.zone, agency=A)  # 92 days
        months = figures.compute(s, date(2025, 11, 1), date(2026, 12, 31), seeded.ctx.zone, agency=A)  # 426 days
    assert weeks["series"]["bucket"] == "week"
    points = weeks["series"]["points"]
    # 1 October 2026 is a Thursday: the first week is cut to 1–4 October, then Monday to Sunday, the last cut at
    # Thursday 31 December.
    assert [(p["start"], p["end"], p["days"]) for p in points[:2]] == [("2026-10-01", "2026-10-04", 4),
                                                                       ("2026-10-05", "2026-10-11", 7)]  # fmt: skip
    assert (points[-1]["start"], points[-1]["end"], points[-1]["days"]) == ("2026-12-28", "2026-12-31", 4)
    assert len(points) == 14 and sum(p["days"] for p in points) == 92
    by_week = {p["start"]: p for p in points}
    # Saturday 31 October is in the week of Monday 26 October: d6 and d5's result; Thursday 5 November in the
    # week of 2 November: the six dossiers, 6 pages over 7 days.
    assert (by_week["2026-10-26"]["received"], by_week["2026-10-26"]["results_issued"]) == (1, 1)
    w = by_week["2026-11-02"]
    assert (w["received"], w["share_digitized"], w["reuse_rate"], w["pages"], w["pages_per_day"]) == (
        6, 0.3333, 0.3333, 6, 0.86)  # fmt: skip
    assert sum(p["received"] for p in points) == 7

    assert months["series"]["bucket"] == "month"
    mpoints = months["series"]["points"]
    assert [p["start"] for p in mpoints] == [f"2025-{m}-01" for m in (11, 12)] + [
        f"2026-{m:02d}-01" for m in range(1, 13)]  # fmt: skip
    by_month = {p["start"]: p for p in mpoints}
    assert (by_month["2026-10-01"]["received"], by_month["2026-11-01"]["received"]) == (1, 6)
    assert (by_month["2026-11-01"]["days"], by_month["2026-11-01"]["pages_per_day"]) == (30, round(6 / 30, 2))
    assert sum(p["received"] for p in mpoints) == 7


def test_series_bucket_thresholds():
    d = date(2026, 1, 1)
    assert [figures.bucket_kind(n) for n in (1, 62, 63, 400, 401)] == ["day", "day", "week", "week", "month"]
    assert figures.buckets(d, d, "day") == [(d, d)]
    # a period that starts mid-month and ends mid-month: both ends cut
    assert figures.buckets(date(2026, 1, 15), date(2026, 3, 10), "month") == [
        (date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 10))]  # fmt: skip
    # December rolls into January
    assert figures.buckets(date(2026, 12, 20), date(2027, 1, 5), "month")[-1] == (date(2027, 1, 1), date(2027, 1, 5))


def test_series_in_csv_and_empty_period(seeded):
    with seeded.ctx.session() as s:
        f = figures.compute(s, date(2026, 11, 4), date(2026, 11, 6), seeded.ctx.zone, agency=A)
        empty = figures.compute(s, date(2027, 1, 1), date(2027, 1, 3), seeded.ctx.zone, agency=A)
    lines = figures.to_csv(f).splitlines()
    i = lines.index("bucket,start,end,received,digitized_at_reception,share_digitized,results_issued,"
                    "results_digitized,share_results_digitized,results_synced,share_results_synced,"
                    "results_with_due_date,results_on_time,share_on_time,overdue,reused_dossiers,"
                    "reuse_events,reuse_rate,archive_dossiers,archive_results,pages,pages_per_day")  # fmt: skip
    assert lines[i + 1 :] == [
        "day,2026-11-04,2026-11-04,0,0,,0,0,,0,,0,0,,0,0,0,,0,0,0,0.0",
        "day,2026-11-05,2026-11-05,6,2,0.3333,3,2,0.6667,1,0.3333,2,1,0.5,1,2,2,0.3333,1,1,6,6.0",
        "day,2026-11-06,2026-11-06,0,0,,0,0,,0,,0,0,,0,0,0,,0,0,0,0.0",
    ]
    assert lines[2].startswith(f"2026-11-04,2026-11-06,{A},1.001193,5,2,0.4,")  # the first sections as before
    assert empty["rows"] == [] and empty["total"]["received"] == 0 and empty["total"]["share_digitized"] is None
    assert [p["received"] for p in empty["series"]["points"]] == [0, 0, 0]
