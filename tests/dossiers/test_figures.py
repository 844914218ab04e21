"""The leaders' figures on a seeded set of records, against values counted by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from digitize.core.config import Settings
from digitize.core.errors import DigitizeError
from digitize.dossiers import figures, figures_csv
from digitize.dossiers.checks import refresh_checks
from digitize.dossiers.service import open_service
from storage.records import (
    Agency,
    Correction,
    Document,
    Dossier,
    DossierFile,
    Original,
    Page,
    Rating,
    Result,
    Reuse,
    Scan,
    User,
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

        s.add_all([User(username=u, full_name=n, password_hash="x", role=r, agency_code=A)
                   for u, n, r in (("quay1", "Nguyễn Thị Quầy", "counter"), ("duyet1", "Trần Văn Duyệt", "reviewer"),
                                   ("duyet2", "Lê Văn Kiểm", "reviewer"))])  # fmt: skip

        def dossier(name, agency=A, procedure="1.001193", at=IN, due=None, archive=False, by="quay1", citizen=None):
            s.add(Dossier(id=name, code=f"{agency}-{name}", agency_code=agency, procedure=procedure, created_at=at,
                          due_date=due, archive=archive, created_by=by, citizen_id=citizen))  # fmt: skip
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

        def doc(d, type_="can_cuoc", state="extracted", fields=None, decided=None, is_result=False, age_h=0.0,
                by="duyet1", reason=None):  # fmt: skip
            x = Document(dossier_id=d, type=type_, state=state, fields=fields or {}, decided_at=decided,
                         is_result=is_result, created_at=now() - timedelta(hours=age_h), reject_reason=reason,
                         decided_by=by if decided else None)  # fmt: skip
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
        d4 = dossier("d4", due=date(2026, 11, 6), citizen="001099000123")  # digitized by reuse alone
        d5 = dossier("d5", due=date(2026, 11, 5))  # nothing
        dossier("d7", agency=B)  # another agency
        dossier("d8", procedure="1.000894", due=date(2099, 1, 1), by="quay2")  # another procedure of A, quay2's
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
        z = doc(d5, state="rejected", decided=IN, fields={"id_number": {"value": "2"}, "full_name": {"value": "D"}},
                by="duyet2", reason="Ảnh mờ,  không\nđọc được")  # fmt: skip
        # Rejections without fields (no correction rate): the same reason spaced otherwise, and one typed like a
        # formula; a decision before the period counts nowhere.
        doc(d2, state="rejected", decided=IN, by="duyet2", reason=" Ảnh mờ, không đọc được")
        doc(d2, "to_khai_khai_sinh", state="rejected", decided=IN, by="duyet2", reason='=HYPERLINK("x")')
        doc(d2, state="rejected", decided=BEFORE, by="duyet2", reason="Ảnh mờ, không đọc được")
        for doc_id, field, old_value, new_value, by in [
            (y, "full_name", "A", "B", "duyet1"),
            (y, "full_name", "B", "C", "duyet1"),
            (y, "nationality", None, "Việt Nam", "duyet1"),
            (z, "id_number", "9", "2", "duyet2"),
        ]:
            s.add(Correction(document_id=doc_id, field=field, old_value=old_value, new_value=new_value, by=by))
        # B's tờ khai: the mother's name and the child's sex corrected, the child's name not.
        t = doc("d7", "to_khai_khai_sinh", state="approved", decided=IN,
                fields={"mother_name": {"value": "Lê Thị Hoa"}, "child_name": {"value": "Trần An"},
                        "child_sex": {"value": "Nữ"}})  # fmt: skip
        s.add_all(
            [
                Correction(
                    document_id=t, field="mother_name", old_value="Le Thi Hoa", new_value="Lê Thị Hoa", by="duyet1"
                ),
                Correction(document_id=t, field="child_sex", old_value="Nam", new_value="Nữ", by="duyet1"),
            ]
        )
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

    f["names"] = figures.names(seeded.ctx.catalog)
    lines = csv_lines(f, "procedures", seeded.ctx.zone)
    assert lines[0].startswith("Cơ quan,Mã thủ tục,Thủ tục,Hồ sơ tiếp nhận,Số hóa khi tiếp nhận")
    assert lines[2] == f"{A},1.001193,Đăng ký khai sinh,5,2,0.4,3,2,0.6667,1,0.3333,2,1,0.5,1,2,2,0.4,1,1,6,0.6"
    assert lines[3].startswith(f"{A},,Tổng cộng,6,2,0.3333,")
    assert "Căn cước / Căn cước công dân,,Số định danh cá nhân,2,1,0.5" in csv_lines(f, "corrections", seeded.ctx.zone)


def csv_lines(f: dict, table: str, zone) -> list[str]:
    """One table's CSV as Excel reads it: UTF-8 after a byte-order mark, lines ending CRLF."""
    data = figures_csv.to_csv(f, table, zone)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.split("\r\n")[:-1]


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
    f["names"] = figures.names(seeded.ctx.catalog)
    lines = csv_lines(f, "series", seeded.ctx.zone)
    assert lines[0] == ("Kỳ,Từ ngày,Đến ngày,Số ngày,Hồ sơ tiếp nhận,Số hóa khi tiếp nhận,Tỷ lệ số hóa khi tiếp nhận,"
                        "Kết quả đã trả,Kết quả được số hóa,Tỷ lệ kết quả được số hóa,Kết quả đồng bộ kho,"
                        "Tỷ lệ kết quả đồng bộ kho,Kết quả có ngày hẹn,Trả đúng hạn,Tỷ lệ trả đúng hạn,"
                        "Quá hạn chưa trả,Hồ sơ tái sử dụng,Lượt tái sử dụng,Tỷ lệ tái sử dụng,Hồ sơ lưu trữ,"
                        "Kết quả lưu trữ,Trang,Trang/ngày")  # fmt: skip
    assert lines[1:] == [
        "Ngày,2026-11-04,2026-11-04,1,0,0,,0,0,,0,,0,0,,0,0,0,,0,0,0,0.0",
        "Ngày,2026-11-05,2026-11-05,1,6,2,0.3333,3,2,0.6667,1,0.3333,2,1,0.5,1,2,2,0.3333,1,1,6,6.0",
        "Ngày,2026-11-06,2026-11-06,1,0,0,,0,0,,0,,0,0,,0,0,0,,0,0,0,0.0",
    ]
    assert csv_lines(f, "procedures", seeded.ctx.zone)[2].startswith(f"{A},1.001193,Đăng ký khai sinh,5,2,0.4,")
    assert empty["rows"] == [] and empty["total"]["received"] == 0 and empty["total"]["share_digitized"] is None
    assert [p["received"] for p in empty["series"]["points"]] == [0, 0, 0]


# --- digitized means complete -------------------------------------------------------------------------------------


def test_a_dossier_lacking_a_required_component_is_not_digitized(seeded):
    """Three dossiers with a page read, their checklists drawn up as the service does: a certified copy whose one
    paper stands (digitized), the same whose paper a reviewer rejected, a birth registration with its tờ khai only
    (both lack a required component: not digitized)."""
    day = datetime(2026, 11, 7, 3, 0, tzinfo=UTC)
    with seeded.ctx.session() as s:
        for name, procedure, doc_type, state in [
            ("c1", "2.000815", "giay_khai_sinh", "extracted"),
            ("c2", "2.000815", "giay_khai_sinh", "rejected"),
            ("c3", "1.001193", "to_khai_khai_sinh", "approved"),
        ]:
            d = Dossier(id=name, code=f"{B}-{name}", agency_code=B, procedure=procedure, created_at=day)
            s.add(d)
            handed_in(s, name)
            f = s.query(DossierFile).filter_by(dossier_id=name).one()
            scan = Scan(dossier_id=name, file_id=f.id, number=1, ref={})
            s.add(scan)
            s.flush()
            s.add(Page(dossier_id=name, scan_id=scan.id, index=0, source="x", paper="A4", dpi=300))
            s.add(Document(dossier_id=name, type=doc_type, state=state, fields={}))
            s.flush()
            refresh_checks(s, d, seeded.ctx.catalog)
        missing = {d.id: [c["component"] for c in d.checks["checklist"] if c["required"] and not c["satisfied"]]
                   for d in s.query(Dossier).filter(Dossier.id.in_(["c1", "c2", "c3"]))}  # fmt: skip
    assert missing == {"c1": [], "c2": ["ban_chinh"], "c3": ["giay_chung_sinh", "giay_to_tuy_than"]}
    with seeded.ctx.session() as s:
        f = figures.compute(s, date(2026, 11, 7), date(2026, 11, 7), seeded.ctx.zone, agency=B)
    rows = {r["procedure"]: r for r in f["rows"]}
    assert (rows["2.000815"]["received"], rows["2.000815"]["digitized_at_reception"]) == (2, 1)
    assert (rows["1.001193"]["received"], rows["1.001193"]["digitized_at_reception"]) == (1, 0)
    assert (f["total"]["digitized_at_reception"], f["total"]["share_digitized"]) == (1, 0.3333)
    assert f["series"]["points"][0]["digitized_at_reception"] == 1  # the series counts it the same way


# --- per officer, rejections, the overdue list ----------------------------------------------------------------------


def test_officers_rejections_and_overdue_match_hand_count(seeded):
    with seeded.ctx.session() as s:
        f = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=A,
                            today=date(2026, 11, 10))  # fmt: skip
    # quay1 opened d1–d5 and the archive d10 (pages: d1 2 + 1 result, d2 1 blank, d3 1 result, d10 1) and recorded
    # the results of d1–d3 (d5's before the period, d10's an archive's); quay2 opened d8 and has no account.
    # duyet1 approved d1's result and y, and corrected y; duyet2 rejected z and two papers of d2 in the period (a
    # third before it), and corrected z.
    assert f["officers"] == [
        {"username": "quay1", "full_name": "Nguyễn Thị Quầy", "received": 5, "pages": 6, "results_issued": 3,
         "approved": 0, "rejected": 0, "corrected": 0},
        {"username": "quay2", "full_name": None, "received": 1, "pages": 0, "results_issued": 0,
         "approved": 0, "rejected": 0, "corrected": 0},
        {"username": "duyet2", "full_name": "Lê Văn Kiểm", "received": 0, "pages": 0, "results_issued": 0,
         "approved": 0, "rejected": 3, "corrected": 1},
        {"username": "duyet1", "full_name": "Trần Văn Duyệt", "received": 0, "pages": 0, "results_issued": 0,
         "approved": 2, "rejected": 0, "corrected": 1},
    ]  # fmt: skip
    assert sum(o["received"] for o in f["officers"]) == f["total"]["received"]
    # Decided in the period: d1's result (giay_khai_sinh), y, z and d2's card (can_cuoc), d2's tờ khai; rejected:
    # z and d2's card for one reason written two ways, the tờ khai for one typed like a formula.
    r = f["rejections"]
    assert (r["decided"], r["rejected"], r["rate"]) == (5, 3, 0.6)
    assert r["types"] == [
        {"type": "can_cuoc", "decided": 3, "rejected": 2, "rate": 0.6667,
         "reasons": [{"reason": "Ảnh mờ, không đọc được", "count": 2}]},
        {"type": "to_khai_khai_sinh", "decided": 1, "rejected": 1, "rate": 1.0,
         "reasons": [{"reason": '=HYPERLINK("x")', "count": 1}]},
    ]  # fmt: skip
    # d4: promised 6 November, no result by the 10th; the citizen's number masked.
    assert f["overdue"] == [{"dossier_id": "d4", "code": f"{A}-d4", "agency": A, "procedure": "1.001193",
                             "citizen_id": "001*******23", "received_at": "2026-11-05T03:00:00+00:00",
                             "due_date": "2026-11-06", "days_late": 4, "new_due_date": None}]  # fmt: skip
    assert f["total"]["overdue"] == len(f["overdue"])


def test_the_corrections_name_whose_field_it_is(seeded):
    """A tờ khai names the child, the mother and the father with the same label: a row says whose field it is,
    from the catalog (the key's prefix, or the block the field follows)."""
    names = figures.names(seeded.ctx.catalog)
    assert names["people"]["to_khai_khai_sinh"]["mother_name"] == "Mẹ"
    assert names["people"]["to_khai_khai_sinh"]["child_sex"] == "Con"
    assert names["people"]["giay_chung_sinh"]["place_of_birth"] == "Con"  # after child_date_of_birth
    assert "full_name" not in names["people"]["can_cuoc"]  # a card's holder: nobody to tell apart
    assert names["document_types"]["khac"] == "Giấy tờ khác"  # a page of no type the catalog knows
    with seeded.ctx.session() as s:
        f = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=B)
    f["names"] = names
    assert csv_lines(f, "corrections", seeded.ctx.zone) == [
        "Loại giấy tờ,Người,Trường dữ liệu,Trường đã đọc,Trường bị sửa,Tỷ lệ sửa",
        'Tờ khai đăng ký khai sinh,Con,"Họ, chữ đệm, tên",1,0,0.0',
        "Tờ khai đăng ký khai sinh,Con,Giới tính,1,1,1.0",
        'Tờ khai đăng ký khai sinh,Mẹ,"Họ, chữ đệm, tên người mẹ",1,1,1.0',
    ]


def test_every_table_is_its_own_csv_for_excel(seeded):
    """Each table one file: a byte-order mark, Vietnamese headers, commas, quotes only around a comma, a quote or
    a line break, ISO dates, and text that would start a formula made plain text."""
    with seeded.ctx.session() as s:
        f = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=A,
                            today=date(2026, 11, 10))  # fmt: skip
    f["names"] = figures.names(seeded.ctx.catalog)
    zone = seeded.ctx.zone
    assert csv_lines(f, "officers", zone) == [
        "Tài khoản,Họ và tên,Hồ sơ tiếp nhận,Trang,Kết quả đã trả,Tài liệu đã duyệt,Tài liệu từ chối,"
        "Tài liệu đã sửa dữ liệu",
        "quay1,Nguyễn Thị Quầy,5,6,3,0,0,0",
        "quay2,,1,0,0,0,0,0",
        "duyet2,Lê Văn Kiểm,0,0,0,0,3,1",
        "duyet1,Trần Văn Duyệt,0,0,0,2,0,1",
    ]
    assert csv_lines(f, "rejections", zone) == [
        "Loại giấy tờ,Lý do từ chối,Số tài liệu,Tài liệu từ chối của loại,Tài liệu đã quyết định của loại,"
        "Tỷ lệ từ chối",
        'Căn cước / Căn cước công dân,"Ảnh mờ, không đọc được",2,2,3,0.6667',
        'Tờ khai đăng ký khai sinh,"\'=HYPERLINK(""x"")",1,1,1,1.0',
    ]
    # Received at 10:00 in Vietnam (03:00 UTC).
    assert csv_lines(f, "overdue", zone) == [
        "Mã hồ sơ,Thủ tục,Số định danh công dân,Tiếp nhận lúc,Ngày hẹn trả,Ngày hẹn lại,Số ngày quá hạn",
        f"{A}-d4,Đăng ký khai sinh,001*******23,2026-11-05 10:00,2026-11-06,,4",
    ]
    assert [csv_lines(f, t, zone)[0].split(",")[0] for t in figures_csv.TABLES] == [
        "Cơ quan", "Kỳ", "Loại giấy tờ", "Tài khoản", "Loại giấy tờ", "Mã hồ sơ",
        "Cơ quan", "Tài khoản", "Kỳ"]  # fmt: skip
    assert figures_csv.file_name(f, "overdue") == "ho-so-qua-han_2026-11-01_2026-11-10.csv"
    with pytest.raises(DigitizeError) as refused:
        figures_csv.to_csv(f, "everything", zone)
    assert refused.value.status == 422 and refused.value.code == "bad_table"


# --- satisfaction ---------------------------------------------------------------------------------------------------

LAST_MINUTE = datetime(2026, 11, 10, 16, 59, tzinfo=UTC)  # 23:59 on 10 November in Vietnam: inside


def rated(s, dossier, score, at=IN, by="quay1", moment="reception", complaint=False, answered=False, **aspects):
    s.add(Rating(dossier_id=dossier, score=score, at=at, recorded_by=by, moment=moment, complaint=complaint,
                 comment="phan anh" if complaint else None, answered_at=IN if answered else None,
                 **{f"aspect_{k}": v for k, v in aspects.items()}))  # fmt: skip


def test_satisfaction_matches_hand_count(seeded):
    """A's ratings in 1-10 November: d1 5 (guidance 4), d2 3 (a complaint, open, at quay2's counter, at hand-over),
    d8 1 (a complaint answered; another procedure), d3 4 at 23:59 on the 10th (attitude 2); d5's 4 on 31 October
    (a complaint still open) and B's d7 count nowhere but d5 in the open complaints, which are now's."""
    with seeded.ctx.session() as s:
        rated(s, "d1", 5, guidance=4)
        rated(s, "d2", 3, by="quay2", moment="handover", complaint=True)
        rated(s, "d8", 1, complaint=True, answered=True)
        rated(s, "d3", 4, at=LAST_MINUTE, attitude=2)
        rated(s, "d5", 4, at=BEFORE, complaint=True)
        rated(s, "d7", 2)
    with seeded.ctx.session() as s:
        f = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=A)
        one = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.ctx.zone, agency=A, procedure="1.000894")
    sat = f["satisfaction"]
    assert (sat["ratings"], sat["mean_score"], sat["satisfied"], sat["share_satisfied"]) == (4, 3.25, 2, 0.5)
    assert sat["scores"] == {"1": 1, "2": 0, "3": 1, "4": 1, "5": 1}
    assert (sat["mean_guidance"], sat["mean_attitude"], sat["mean_time"], sat["mean_result"]) == (4.0, 2.0, None, None)
    assert sat["aspect_ratings"] == {"guidance": 1, "attitude": 1, "time": 0, "result": 0}
    assert (sat["complaints"], sat["open_complaints"]) == (2, 2)  # d2, d8 in the period; d2 and d5 unanswered
    per = {r["procedure"]: (r["ratings"], r["mean_score"], r["share_satisfied"]) for r in sat["procedures"]}
    assert per == {"1.001193": (3, 4.0, 0.6667), "1.000894": (1, 1.0, 0.0)}
    officers = [(o["username"], o["full_name"], o["ratings"], o["mean_score"]) for o in sat["officers"]]
    assert officers == [("quay1", "Nguyễn Thị Quầy", 3, 3.33), ("quay2", None, 1, 3.0)]
    assert {m: x["ratings"] for m, x in sat["moments"].items()} == {"handover": 1, "reception": 3}
    days = {p["start"]: (p["ratings"], p["mean_score"]) for p in sat["series"]["points"] if p["ratings"]}
    assert days == {"2026-11-05": (3, 3.0), "2026-11-10": (1, 4.0)}
    assert len(sat["series"]["points"]) == 10 and sat["series"]["bucket"] == "day"
    assert (one["satisfaction"]["ratings"], one["satisfaction"]["open_complaints"]) == (1, 0)

    f["names"] = figures.names(seeded.ctx.catalog)
    zone = seeded.ctx.zone
    assert csv_lines(f, "satisfaction", zone) == [
        "Cơ quan,Mã thủ tục,Thủ tục,Lượt đánh giá,Điểm trung bình,Hài lòng và rất hài lòng,Tỷ lệ hài lòng,"
        '"Phản ánh, kiến nghị",Hướng dẫn,Thái độ của công chức,Thời gian giải quyết,Kết quả',  # a comma: quoted
        f"{A},1.000894,Đăng ký kết hôn,1,1.0,0,0.0,1,,,,",
        f"{A},1.001193,Đăng ký khai sinh,3,4.0,2,0.6667,1,4.0,2.0,,",
        f"{A},,Tổng cộng,4,3.25,2,0.5,2,4.0,2.0,,",
    ]
    assert csv_lines(f, "satisfaction_officers", zone)[1:] == ["quay1,Nguyễn Thị Quầy,3,3.33,2,0.6667,1,4.0,2.0,,",
                                                               "quay2,,1,3.0,0,0.0,1,,,,"]  # fmt: skip
    series = csv_lines(f, "satisfaction_series", zone)
    assert series[0].startswith("Kỳ,Từ ngày,Đến ngày,Số ngày,Lượt đánh giá") and len(series) == 11
    assert "Ngày,2026-11-05,2026-11-05,1,3,3.0,1,0.3333,2,4.0,,," in series
