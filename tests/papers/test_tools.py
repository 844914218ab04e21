"""The reviewer's tools in the service, where the API's tests cannot reach (issue 13, item 7): a document whose type
an officer set is read as that type from its pages' words (real Tesseract reads a generated card), and a decision
is undone only on the local day it was made (a clock of the test's own, Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from digitize.core.config import Settings
from digitize.core.errors import Conflict
from digitize.devtools import synth
from digitize.dossiers.service import open_service
from digitize.papers.review import Review
from digitize.people.demo import CITIZEN, seed
from storage.records import Page, Scan
from tests.papers.test_vault import login
from tests.support.cards import card_png
from tests.support.fake_reader import NAME
from tests.support.servers import demo_service


def test_a_type_set_by_hand_is_read_from_the_pages(tmp_path):
    svc = demo_service(tmp_path / "data")
    try:
        counter = login(svc, "quay1")
        png, idn, _ = card_png(7)
        d = svc.reception.create_dossier("1.001193", counter, idn)
        assert svc.reception.add_file(d, "cccd.png", png, counter).error is None
        svc.reading.process(d)
        card = next(x for x in svc.queries.status(d, counter)["documents"] if x["type"] == "can_cuoc")
        assert card["fields"]["id_number"]["value"] == idn

        # Said to be a birth certificate: its fields are a birth certificate's, read from the same words.
        other = svc.grouping.set_type(card["id"], counter, "giay_khai_sinh")
        doc = next(x for x in svc.queries.status(d, counter)["documents"] if x["id"] == other)
        keys = {f.key for f in svc.ctx.catalog.document_types["giay_khai_sinh"].fields}
        assert doc["type"] == "giay_khai_sinh" and doc["fields"] and set(doc["fields"]) <= keys
        # And back: a card again, its number read again from its words, kept by hand when the dossier is read again.
        back = svc.grouping.set_type(other, counter, "can_cuoc")
        svc.reception.arrange_pages(d, counter, excluded=[])
        svc.reading.process(d)
        doc = next(x for x in svc.queries.status(d, counter)["documents"] if x["id"] == back)
        assert (doc["type"], doc["grouped_by"], doc["fields"]["id_number"]["value"]) == ("can_cuoc", "quay1", idn)
    finally:
        svc.close()


class Clock:
    def __init__(self, t: datetime):
        self.t = t

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture
def clocked(tmp_path):
    clock = Clock(datetime(2026, 12, 7, 16, 50, tzinfo=UTC))  # 23:50 in Hà Nội
    svc = open_service(Settings(data_dir=tmp_path / "data", workers=1, page_reader=NAME), clock=clock)
    seed(svc)
    yield svc, clock
    svc.close()


def a_paper(svc) -> int:
    counter = login(svc, "quay1")
    d = svc.reception.create_dossier("1.001193", counter, CITIZEN[0])
    page = synth.encode(synth.render_page(seed=3, paragraphs=1).image)
    assert svc.reception.add_file(d, "p.png", page, counter).error is None
    svc.reading.process(d)
    return svc.queries.status(d, counter)["documents"][0]["id"]


def test_a_decision_is_undone_only_the_same_local_day(clocked):
    svc, clock = clocked
    reviewer, review = login(svc, "duyet1"), Review(svc.ctx, svc.certifier)
    doc = a_paper(svc)
    review.approve(reviewer, doc)
    clock.t += timedelta(minutes=9)  # 23:59: the same day
    assert review.undo(reviewer, doc)["state"] == "extracted"

    review.reject(reviewer, doc, "chữ nhòe", "unreadable")
    assert [x["id"] for x in review.decided_today(reviewer)] == [doc]
    clock.t += timedelta(minutes=2)  # 00:01 the next day in Hà Nội, still 7 December in UTC
    assert review.decided_today(reviewer) == []  # no longer offered for undoing
    with pytest.raises(Conflict) as refused:
        review.undo(reviewer, doc)
    assert refused.value.code == "undo_too_late" and "trong ngày" in refused.value.reason_vi
    assert review.document(reviewer, doc)["state"] == "rejected"


def test_a_turned_page_is_pending_then_read_in_its_place(clocked):
    svc, _ = clocked
    counter = login(svc, "quay1")
    d = svc.reception.create_dossier("1.001193", counter, CITIZEN[0])
    for k in (4, 5):
        page = synth.encode(synth.render_page(seed=k, paragraphs=1).image)
        assert svc.reception.add_file(d, f"p{k}.png", page, counter).error is None
    svc.reading.process(d)
    svc.reception.arrange_pages(d, counter, order=[1, 0])
    svc.reading.process(d)
    svc.reception.rotate_page(d, 0, 180, counter)
    with svc.ctx.session() as s:  # a new reading: a Celery worker would not count its earlier ones as crashes
        scan = s.scalar(select(Scan).join(Page, Page.scan_id == Scan.id).where(Page.dossier_id == d, Page.index == 0))
        assert (scan.state, scan.attempts, scan.ref["turn"]) == ("pending", 0, 180)
    st = svc.queries.status(d, counter)
    assert (st["rereading"], st["scans"]["pending"], st["status"]) == ([0], 1, "received")  # the counter: pending
    svc.reading.process(d)
    st = svc.queries.status(d, counter)
    assert (st["rereading"], st["scans"]["pending"], st["status"]) == ([], 0, "done")
    assert st["page_order"] == [1, 0] and [p["index"] for p in st["pages"]] == [0, 1]  # its number and place
    assert next(p for p in st["pages"] if p["index"] == 0)["rotation"] == 180


def test_pages_are_not_regrouped_while_they_are_read(clocked):
    """The reading holds the dossier for as long as its pages take: a regrouping meanwhile is refused at once."""
    svc, _ = clocked
    counter = login(svc, "quay1")
    d = svc.reception.create_dossier("1.001193", counter, CITIZEN[0])
    page = synth.encode(synth.render_page(seed=6, paragraphs=1).image)
    assert svc.reception.add_file(d, "p.png", page, counter).error is None
    svc.reading.process(d)
    assert svc.reception.add_file(d, "q.png", page, counter).error is None  # a second page, not read yet
    with pytest.raises(Conflict) as busy:
        svc.grouping.group(d, counter, [0], "can_cuoc")
    assert busy.value.code == "dossier_busy" and "đang được đọc" in busy.value.reason_vi
    svc.reading.process(d)
    assert svc.grouping.group(d, counter, [0], "can_cuoc")
