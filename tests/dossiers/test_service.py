"""Dossier service on real SQLite and both object stores: originals first, pages in order, refusals kept."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from digitize.devtools import synth
from digitize.dossiers.keys import dossier_key, page_key
from digitize.dossiers.service import open_service
from digitize.people.auth import SYSTEM
from storage.objects import original_key
from storage.records import Original, Scan


@pytest.fixture
def service(settings, store):
    svc = open_service(settings, store=store)
    yield svc
    svc.close()


def test_dossier_from_pdf_spread_and_blank(service, pages3):
    p0, p1, p2 = pages3
    pdf = synth.images_to_pdf(
        [p0.image, synth.turn(synth.skew(p1.image, 2.0, expand=False), 180), synth.blank_back(p1)]
    )
    spread = synth.encode(synth.a3_spread(p2, p0), "jpeg")
    d = service.reception.create_dossier("1.001193", actor=SYSTEM)
    r1 = service.reception.add_file(d, "ho-so.pdf", pdf, actor=SYSTEM)
    r2 = service.reception.add_file(d, "a3.jpg", spread, actor=SYSTEM)
    assert r1.error is None and r1.pages == 3 and r2.pages == 1
    service.reading.process(d)
    report = service.queries.report(d, actor=SYSTEM)

    assert report["procedure"] == "1.001193"
    pages = report["pages"]
    assert [p["index"] for p in pages] == [0, 1, 2, 3, 4]
    assert [p["source"] for p in pages] == ["ho-so.pdf#1", "ho-so.pdf#2", "ho-so.pdf#3", "a3.jpg#1", "a3.jpg#1"]
    assert [p["blank"] for p in pages] == [False, False, True, False, False]
    assert pages[1]["rotation"] == 180 and abs(pages[1]["skew_deg"] - 2.0) <= 0.5
    assert all(p["paper"] == "A4" and p["dpi"] == 300 for p in pages)
    assert "split_from_a3" in pages[3]["warnings"]
    # The spread's left half is p2, the right half p0.
    assert "PHƯỜNG" in pages[3]["text"] and pages[4]["text"].startswith(pages[0]["text"][:40])
    assert set(pages[0]) == {
        "index", "source", "paper", "dpi", "rotation", "skew_deg", "blank", "warnings", "text", "confidence",
        "reading", "scale",
    }  # fmt: skip
    # 300-dpi scans of ordinary print are read at their own size, by our cleanup.
    assert all(p["scale"] == 1.0 and p["reading"] == "cleaned" for p in pages if not p["blank"])

    # Artefacts under predictable keys; the searchable PDF skips the blank back.
    store = service.ctx.store
    for n in range(5):
        assert store.exists(page_key(d, n, "clean.jpg"))
        words = json.loads(store.get(page_key(d, n, "ocr.json")))["words"]
        assert (len(words) == 0) == (n == 2)
    reader = PdfReader(io.BytesIO(store.get(dossier_key(d, "searchable.pdf"))))
    assert len(reader.pages) == 4
    assert "ỦY BAN NHÂN DÂN" in reader.pages[0].extract_text()
    assert store.exists(dossier_key(d, "fields.json"))
    assert service.queries.status(d, actor=SYSTEM)["status"] == "done"


def test_original_stored_before_checks_and_once(service):
    data = b"%PDF-1.4\nnot really a pdf\n%%EOF"
    d = service.reception.create_dossier(None, actor=SYSTEM)
    r = service.reception.add_file(d, "hong.pdf", data, actor=SYSTEM)
    assert r.error is not None and r.error.code == "corrupt_pdf"
    assert r.stored and r.sha256 == hashlib.sha256(data).hexdigest()
    assert service.ctx.store.get(original_key(r.sha256)) == data
    again = service.reception.add_file(
        service.reception.create_dossier(None, actor=SYSTEM), "copy.pdf", data, actor=SYSTEM
    )
    assert again.sha256 == r.sha256
    assert list(service.ctx.store.list("originals/")) == [original_key(r.sha256)]
    with service.ctx.session() as s:
        assert s.get(Original, r.sha256).kind == "pdf"
        assert s.scalars(select(Scan)).all() == []  # nothing to process


def test_unknown_procedure_refused(settings):
    svc = open_service(settings)
    try:
        with pytest.raises(Exception) as info:
            svc.reception.create_dossier("9.999999", actor=SYSTEM)
        assert info.value.code == "unknown_procedure"
    finally:
        svc.close()


def test_files_handed_in_at_once_are_numbered_apart(settings):
    """Two uploads to one dossier at the same moment (two clicks): both kept, numbered 1 and 2, where both took the
    next number and the second failed on the database's uniqueness (a 500)."""
    svc = open_service(settings)
    try:
        for attempt in range(8):  # the race was lost about every other time
            d = svc.reception.create_dossier(None, actor=SYSTEM)
            both = threading.Barrier(2)

            def upload(data: bytes, d: str = d, both: threading.Barrier = both):
                both.wait()
                return svc.reception.add_file(d, "x.txt", data, actor=SYSTEM)

            with ThreadPoolExecutor(2) as pool:
                receipts = list(pool.map(upload, (b"not a scan %d %d" % (attempt, n) for n in (1, 2))))
            assert sorted(r.seq for r in receipts) == [1, 2]
    finally:
        svc.close()


@pytest.mark.parametrize(
    "data,code",
    [
        (b"GIF89a not a scan we take", "unsupported_type"),
        (b"%PDF-1.7\n1 0 obj\n<<", "truncated_pdf"),
    ],
)
def test_every_refusal_keeps_the_bytes(service, data, code):
    d = service.reception.create_dossier(None, actor=SYSTEM)
    r = service.reception.add_file(d, "x", data, actor=SYSTEM)
    assert r.error.code == code and r.stored
    assert service.ctx.store.get(original_key(r.sha256)) == data
    st = service.queries.status(d, actor=SYSTEM)
    assert st["files"][0]["error"] == code and st["files"][0]["sha256"] == r.sha256


def test_an_empty_upload_is_refused_and_kept(service):
    """Every file handed in is kept with its SHA-256, the empty one too: the record says what arrived."""
    d = service.reception.create_dossier(None, actor=SYSTEM)
    r = service.reception.add_file(d, "rong.pdf", b"", actor=SYSTEM)
    assert r.error.code == "empty_file" and r.stored and r.sha256 == hashlib.sha256(b"").hexdigest()
    assert service.ctx.store.get(original_key(r.sha256)) == b""
    assert service.queries.status(d, actor=SYSTEM)["files"][0]["error"] == "empty_file"


def test_unreadable_page_flagged_not_fatal(service, pages3, tmp_path):
    """A PDF whose second page poppler cannot draw: the dossier finishes and the page says it failed."""
    good = synth.images_to_pdf([pages3[0].image])
    d = service.reception.create_dossier(None, actor=SYSTEM)
    service.reception.add_file(d, "ok.pdf", good, actor=SYSTEM)
    with service.ctx.session() as s:
        scan = s.scalars(select(Scan)).one()
        ref = dict(scan.ref)
        ref["number"] = 7  # a page the file does not have
        s.add(Scan(dossier_id=d, file_id=scan.file_id, number=7, ref=ref))
    service.reading.process(d)
    pages = service.queries.report(d, actor=SYSTEM)["pages"]
    assert len(pages) == 2
    assert "page_unreadable" in pages[1]["warnings"] and not pages[0]["warnings"]
    assert service.queries.status(d, actor=SYSTEM)["scans"] == {"pending": 0, "done": 1, "failed": 1}


def test_processing_twice_does_not_duplicate(service, pages3):
    d = service.reception.create_dossier(None, actor=SYSTEM)
    service.reception.add_file(d, "a.png", synth.encode(pages3[0].image), actor=SYSTEM)
    service.reading.process(d)
    service.reading.process(d)
    assert len(service.queries.report(d, actor=SYSTEM)["pages"]) == 1
    service.reception.add_file(d, "b.png", synth.encode(pages3[1].image), actor=SYSTEM)
    service.reading.process(d)
    assert [p["source"] for p in service.queries.report(d, actor=SYSTEM)["pages"]] == ["a.png#1", "b.png#1"]


def test_pages_left_pending_are_found_after_restart(settings, store, pages3):
    first = open_service(settings, store=store)
    d = first.reception.create_dossier(None, actor=SYSTEM)
    first.reception.add_file(d, "a.png", synth.encode(pages3[0].image), actor=SYSTEM)
    first.close()  # stopped before processing
    again = open_service(settings, store=store)
    try:
        assert again.reading.unfinished() == [d]
        again.reading.process(d)
        assert again.reading.unfinished() == [] and len(again.queries.report(d, actor=SYSTEM)["pages"]) == 1
    finally:
        again.close()


def test_upload_over_the_size_limit_refused_before_storing(tmp_path, store):
    from digitize.core.config import Settings

    svc = open_service(Settings(data_dir=tmp_path / "small", max_upload_bytes=1000), store=store)
    try:
        r = svc.reception.add_file(
            svc.reception.create_dossier(None, actor=SYSTEM), "big.pdf", b"%PDF-1.4 " + b"x" * 2000, actor=SYSTEM
        )
        assert r.error.code == "file_too_large" and r.error.status == 413 and not r.stored
        assert r.error.reason and r.error.reason_vi
        assert list(store.list("originals/")) == []
    finally:
        svc.close()
