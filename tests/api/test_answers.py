"""The API's answer models (api/answers.py) against what the service really sends: a dossier with an accepted and
a refused file and a result, read with the fake engine (what is read does not matter here). Each answer must pass
its model and come out of it unchanged: nothing dropped, nothing added."""

from __future__ import annotations

import pytest

from digitize.api.answers import PageDetail, Report, Status
from digitize.core.config import Settings
from digitize.devtools import synth
from digitize.dossiers.queries import page_json
from digitize.dossiers.service import open_service
from digitize.papers.review import Review
from digitize.people.auth import SYSTEM
from digitize.people.demo import seed
from tests.support.fake_reader import NAME


@pytest.fixture
def service(tmp_path):
    svc = open_service(Settings(data_dir=tmp_path / "data", workers=1, page_reader=NAME))
    seed(svc)
    yield svc
    svc.close()


def round_trip(model, answer: dict) -> dict:
    return model.model_validate(answer).model_dump(mode="json", exclude_unset=True)


def test_the_answers_pass_their_models_unchanged(service):
    d = service.reception.create_dossier("1.001193", SYSTEM, "001099000123")
    page = synth.encode(synth.render_page(seed=8, paragraphs=1).image)
    assert service.reception.add_file(d, "a.png", page, SYSTEM).error is None
    assert service.reception.add_file(d, "hong.pdf", b"%PDF-1.4 cut", SYSTEM).error is not None
    service.reading.process(d)
    review = Review(service.ctx, service.certifier)
    for x in service.queries.status(d, SYSTEM)["documents"]:
        review.reject(SYSTEM, x["id"], "Không thuộc thành phần hồ sơ")  # a result waits for the review
    result = service.reception.add_file(d, "kq.png", page, SYSTEM, "result")
    service.reception.issue_result(d, SYSTEM, None, result)
    service.reading.process(d)
    status = service.queries.status(d, SYSTEM)
    assert [f.get("error") for f in status["files"]] == [None, "truncated_pdf", None] and status["results"]
    assert round_trip(Status, status) == status
    report = service.queries.report(d, SYSTEM)
    assert round_trip(Report, report) == report
    p = service.queries.page(d, 0, SYSTEM)
    detail = {**page_json(p), "width_px": p.width_px, "height_px": p.height_px, "blur_px": p.blur_px}
    assert round_trip(PageDetail, detail) == detail


def test_a_key_the_model_does_not_name_is_refused(service):
    d = service.reception.create_dossier(None, SYSTEM)
    status = service.queries.status(d, SYSTEM)
    with pytest.raises(ValueError, match="extra"):
        Status.model_validate({**status, "surprise": 1})
