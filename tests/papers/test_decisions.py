"""A reviewer's decision reaches the counter (issue 13, item 4): a rejected paper no longer satisfies its component
and is named among the dossier's warnings with the reason; a paper the procedure does not ask for is a warning
too. Real Tesseract reads a generated card and a birth certificate; real SQL."""

from __future__ import annotations

import random

import pytest

from digitize.devtools import synth
from digitize.devtools.synth_forms import from_catalog
from digitize.papers.review import Review
from forms.catalog import default_catalog
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
