"""The leaders' figures on a seeded set of records, against values counted by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from digitize import figures
from digitize.config import Settings
from digitize.service import DossierService
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


@pytest.fixture
def seeded(tmp_path):
    svc = DossierService(Settings(data_dir=tmp_path / "data", workers=1))
    with svc.session() as s:
        s.add_all([Agency(code=A, name="A"), Agency(code=B, name="B"), Original(sha256="0" * 64, size=1, kind="png",
                                                                                   key="originals/0")])  # fmt: skip
        s.flush()

        def dossier(name, agency=A, procedure="1.001193", at=IN):
            s.add(Dossier(id=name, code=f"{agency}-{name}", agency_code=agency, procedure=procedure, created_at=at))
            s.flush()
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
                idx = (s.query(Page).filter_by(dossier_id=d).count())
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
        d1 = dossier("d1")
        pages(d1, "ok", "ok")  # digitized, 2 pages
        d2 = dossier("d2")
        pages(d2, "blank")  # a blank page only: not digitized, 1 page read
        d3 = dossier("d3")
        pages(d3, "failed")  # unreadable: not digitized, no page
        d4 = dossier("d4")  # digitized by reuse alone
        d5 = dossier("d5")  # nothing
        dossier("d7", agency=B)  # another agency
        dossier("d8", procedure="1.000894")  # another procedure of A
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
    with seeded.session() as s:
        f = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.zone, agency=A)
    rows = {r["procedure"]: r for r in f["rows"]}
    assert set(rows) == {"1.001193", "1.000894"}
    r = rows["1.001193"]
    assert (r["received"], r["digitized_at_reception"], r["share_digitized"]) == (5, 2, 0.4)  # d1, d4 of d1–d5
    assert (r["reused_dossiers"], r["reuse_events"], r["reuse_rate"]) == (2, 2, 0.4)
    assert (r["results_issued"], r["results_digitized"], r["results_synced"]) == (3, 2, 1)
    assert (r["share_results_digitized"], r["share_results_synced"]) == (0.6667, 0.3333)
    assert (r["pages"], r["pages_per_day"]) == (5, 0.5)  # d1: 2 + 1 result page; d2: 1 blank; d3: 1 result page
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
    assert f"2026-11-01,2026-11-10,{A},1.001193,5,2,0.4," in lines[2]
    assert "can_cuoc,full_name,2,1,0.5" in lines


def test_figures_other_agency_and_procedure_filter(seeded):
    with seeded.session() as s:
        b = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.zone, agency=B)
        one = figures.compute(s, date(2026, 11, 1), date(2026, 11, 10), seeded.zone, agency=A, procedure="1.000894")
        october = figures.compute(s, date(2026, 10, 31), date(2026, 10, 31), seeded.zone, agency=A)
    assert b["total"]["received"] == 1 and b["review_backlog"]["documents"] == 1
    assert [r["procedure"] for r in one["rows"]] == ["1.000894"] and one["total"]["results_issued"] == 0
    # 23:30 on 31 October in Vietnam is 31 October, though it is 16:30 UTC.
    assert october["total"]["received"] == 1 and october["total"]["results_issued"] == 1
