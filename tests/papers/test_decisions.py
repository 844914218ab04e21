"""A reviewer's decision reaches the counter (issue 13, item 4): a rejected paper no longer satisfies its component
and is named among the dossier's warnings with the reason; a paper the procedure does not ask for is a warning
too. Real Tesseract reads a generated card and a birth certificate; real SQL."""

from __future__ import annotations

import random

import pytest

from digitize.devtools import synth
from digitize.devtools.synth_forms import from_catalog
from digitize.papers.review import Review
from digitize.signing.ecopy import stamped_qr
from forms.catalog import default_catalog
from storage.records import Document
from tests.papers.test_vault import login
from tests.support.cards import card_png
from tests.support.servers import demo_service


@pytest.fixture
def svc(tmp_path):
    service = demo_service(tmp_path / "data")
    yield service
    service.close()


def test_a_rejected_card_is_missing_again_and_an_unasked_paper_is_said(svc):
    counter, reviewer = login(svc, "quay1"), login(svc, "duyet1")
    png, idn, _ = card_png(5)
    d = svc.reception.create_dossier("1.001193", counter, idn)
    assert svc.reception.add_file(d, "cccd.png", png, counter).error is None
    # A birth certificate: the procedure issues one, it does not ask for one.
    issued = from_catalog(default_catalog().document_types["giay_khai_sinh"], random.Random(6))
    assert svc.reception.add_file(d, "gks.png", synth.encode(issued.image), counter).error is None
    svc.reading.process(d)
    st = svc.queries.status(d, counter)
    card = next(x for x in st["documents"] if x["type"] == "can_cuoc")
    other = next(x for x in st["documents"] if x["type"] == "giay_khai_sinh")
    identity = next(c for c in st["checklist"] if c["component"] == "giay_to_tuy_than")
    assert identity["satisfied"]
    unasked = [w for w in st["warnings"] if w["code"] == "document_not_in_procedure"]
    assert [st["documents"][w["document"]]["id"] for w in unasked] == [other["id"]]

    Review(svc.ctx, svc.certifier).reject(reviewer, card["id"], "Ảnh thẻ bị mờ, không đọc được số")
    st = svc.queries.status(d, counter)
    identity = next(c for c in st["checklist"] if c["component"] == "giay_to_tuy_than")
    assert not identity["satisfied"] and identity["documents"] == []
    rejected = [w for w in st["warnings"] if w["code"] == "document_rejected"]
    assert rejected == [{"code": "document_rejected", "document": st["documents"].index(
        next(x for x in st["documents"] if x["id"] == card["id"])), "name": card["name"],
        "reason": "Ảnh thẻ bị mờ, không đọc được số"}]  # fmt: skip
    assert {"code": "component_missing", "component": "giay_to_tuy_than",
            "name": identity["name"]} in st["warnings"]  # fmt: skip


def test_a_paper_of_another_person_waits_for_the_reviewer_to_say_whose(svc):
    """Issue 13, item 2: a tờ khai of another requester, handed in with a dossier opened for the demo citizen,
    is said at the counter and is not filed in the citizen's repository until the reviewer says whose it is; the
    same tờ khai in a dossier of its own requester raises nothing."""
    from digitize.core.errors import Conflict
    from digitize.devtools.synth_forms import dossier
    from digitize.people.demo import CITIZEN

    counter, reviewer = login(svc, "quay1"), login(svc, "duyet1")
    to_khai, _, card = dossier(seed=21)
    requester_id = card.fields["id_number"]
    review = Review(svc.ctx, svc.certifier)

    own = svc.reception.create_dossier("1.001193", counter, requester_id)
    for name, page in (("to-khai.png", to_khai), ("cccd.png", card)):
        assert svc.reception.add_file(own, name, synth.encode(page.image), counter).error is None
    svc.reading.process(own)
    st = svc.queries.status(own, counter)
    assert not [w for w in st["warnings"] if w["code"] == "document_of_another_person"], st["warnings"]

    d = svc.reception.create_dossier("1.001193", counter, CITIZEN[0])
    assert svc.reception.add_file(d, "to-khai.png", synth.encode(to_khai.image), counter).error is None
    svc.reading.process(d)
    st = svc.queries.status(d, counter)
    doc = next(x for x in st["documents"] if x["type"] == "to_khai_khai_sinh")
    other = [w for w in st["warnings"] if w["code"] == "document_of_another_person"]
    assert [st["documents"][w["document"]]["id"] for w in other] == [doc["id"]]
    assert requester_id in other[0]["id_numbers"]
    assert review.document(reviewer, doc["id"])["other_person"]["id_numbers"] == other[0]["id_numbers"]
    with pytest.raises(Conflict) as refused:
        review.approve(reviewer, doc["id"], accept_invalid=True)
    assert refused.value.code == "owner_unconfirmed" and refused.value.detail["id_numbers"] == other[0]["id_numbers"]
    approved = review.approve(reviewer, doc["id"], accept_invalid=True, owner_id=requester_id)
    assert approved["state"] == "approved" and approved["owner_id"] == requester_id
    with svc.ctx.session() as s:  # the certified copy's stamp names the owner it is filed under, not the dossier's
        copy = svc.ctx.store.get(s.get(Document, doc["id"]).ecopy_key)
    assert stamped_qr(copy)["id_number"] == requester_id
    st = svc.queries.status(d, counter)
    assert not [w for w in st["warnings"] if w["code"] == "document_of_another_person"]


def test_moving_pages_keeps_the_documents_and_the_officers_assignment(svc):
    """Issue 13, item 3: a two-page letter the officer assigned by hand, then a card moved between its pages: the
    documents keep their pages and their ids, the assignment stands, only the copies' order changes (the letter
    was split in two and its assignment lost)."""
    counter = login(svc, "quay1")
    png, idn, _ = card_png(8)
    letter = [synth.render_page(seed=30 + i, paragraphs=4, header=False).image for i in range(2)]
    d = svc.reception.create_dossier("1.001193", counter, idn)
    pdf = synth.images_to_pdf(letter)
    assert svc.reception.add_file(d, "thu.pdf", pdf, counter).error is None
    assert svc.reception.add_file(d, "cccd.png", png, counter).error is None
    svc.reading.process(d)
    before = svc.queries.status(d, counter)
    two = next(x for x in before["documents"] if x["pages"] == [0, 1])
    svc.reception.assign_component(two["id"], "giay_uy_quyen", counter)  # the officer's word
    svc.reception.arrange_pages(d, counter, order=[0, 2, 1])
    svc.reading.process(d)
    after = svc.queries.status(d, counter)
    assert after["page_order"] == [0, 2, 1]
    assert [(x["id"], x["pages"], x["type"]) for x in after["documents"]] == [
        (x["id"], x["pages"], x["type"]) for x in before["documents"]
    ]
    assert next(x for x in after["documents"] if x["id"] == two["id"])["component"] == "giay_uy_quyen"
    proxy = next(c for c in after["checklist"] if c["component"] == "giay_uy_quyen")
    assert proxy["satisfied"]
