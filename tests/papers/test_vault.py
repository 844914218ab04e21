"""The citizen's repository end to end, on the service with real OCR, real SQL and real signatures: a counter
opens a dossier for a citizen and scans; a reviewer corrects and approves; the papers become the citizen's; a
later dossier is offered them and attaches them without scanning; the citizen sees them with their history."""

from __future__ import annotations

import io
import random

import pytest
from pypdf import PdfReader

from digitize.core.errors import DigitizeError
from digitize.devtools import synth
from digitize.devtools.synth_forms import can_cuoc, dossier, fake_person
from digitize.dossiers.service import DossierService
from digitize.papers.review import Review
from digitize.papers.vault import Vault
from digitize.people import auth
from digitize.people.auth import SYSTEM
from digitize.people.demo import AGENCIES, DEMO_PASSWORD
from storage.records import Correction, DocState, Document, Result, Reuse, User
from tests.support.servers import demo_service


def login(svc: DossierService, username: str) -> auth.Principal:
    with svc.ctx.session() as s:
        return auth.login_staff(s, username, DEMO_PASSWORD, "127.0.0.1")[1]


@pytest.fixture(scope="module")
def world(tmp_path_factory):

    svc = demo_service(tmp_path_factory.mktemp("repo") / "data", workers=2)
    pages = dossier(seed=5)
    requester_id = pages[2].fields["id_number"]
    counter = login(svc, "quay1")
    d1 = svc.reception.create_dossier("1.001193", counter, requester_id)
    pdf = synth.images_to_pdf([p.image for p in pages])
    assert svc.reception.add_file(d1, "ho-so.pdf", pdf, counter).error is None
    svc.reading.process(d1)
    yield {"svc": svc, "pages": pages, "citizen": requester_id, "d1": d1, "counter": counter,
           "reviewer": login(svc, "duyet1"), "repo": Vault(svc.ctx, svc.queries),
           "review": Review(svc.ctx, svc.certifier)}  # fmt: skip
    svc.close()


def test_documents_owned_signed_and_queued(world):
    svc, d1 = world["svc"], world["d1"]
    st = svc.queries.status(d1, world["counter"])
    assert st["code"].startswith("000.00.31.H29-") and st["citizen_id"] == world["citizen"]
    types = [x["type"] for x in st["documents"]]
    assert types == ["to_khai_khai_sinh", "giay_chung_sinh", "can_cuoc"]
    assert all(x["state"] == "extracted" and x["owner_id"] == world["citizen"] for x in st["documents"])
    # Nothing is certified at reception: a copy is signed when a reviewer approves it.
    with svc.ctx.session() as s:
        docs = s.query(Document).filter(Document.dossier_id == d1).order_by(Document.id).all()
    assert not any(x.ecopy_key or x.signed_by for x in docs)
    queue = world["review"].queue(world["reviewer"])
    assert {q["id"] for q in queue} == {x.id for x in docs}
    risk = [(-q["invalid_fields"], q["min_confidence"]) for q in queue]
    assert risk == sorted(risk)  # failed validations first, then the least confident


def test_review_then_reuse_then_citizen_sees(world):
    svc, repo, review, counter, reviewer = (world[k] for k in ("svc", "repo", "review", "counter", "reviewer"))
    citizen = world["citizen"]
    docs = svc.queries.status(world["d1"], counter)["documents"]
    card = next(x for x in docs if x["type"] == "can_cuoc")
    form = next(x for x in docs if x["type"] == "to_khai_khai_sinh")

    # A correction keeps old and new value and who made it; an unreadable value is refused.
    truth = world["pages"][0].fields["child_name"]
    changed = review.correct(reviewer, form["id"], "child_name", "Nguyễn Văn Sửa")
    assert changed["fields"]["child_name"]["value"] == "Nguyễn Văn Sửa" and changed["state"] == "reviewed"
    assert changed["corrections"][-1]["old"] == form["fields"]["child_name"]["value"] == truth
    assert changed["corrections"][-1]["by"] == "duyet1"
    with pytest.raises(DigitizeError) as exc:
        review.correct(reviewer, form["id"], "child_date_of_birth", "không phải ngày")
    assert exc.value.code == "value_unreadable"
    # Counter staff may not review.
    with pytest.raises(DigitizeError) as exc:
        review.approve(counter, card["id"])
    assert exc.value.status == 403

    for x in docs:
        review.approve(reviewer, x["id"], accept_invalid=True)
    # Each approved paper is signed by the reviewer who approved it; the copy verifies as ours, and approved.
    with svc.ctx.session() as s:
        signed = s.get(Document, card["id"])
        assert signed.signed_by == "duyet1" and signed.ecopy_key
        copy = svc.ctx.store.get(signed.ecopy_key)
    ok = svc.copy_check.file(copy)
    assert ok["verified"] and ok["state"] == "approved" and ok["signer"] == "Lê Văn Duyệt"
    # Which paper, digitized where: never whose (the QR text it carries holds the ID number).
    assert (ok["document_type"], ok["agency"]) == ("can_cuoc", AGENCIES["000.00.31.H29"])
    assert world["citizen"] not in str(ok)
    page = PdfReader(io.BytesIO(copy)).pages[0]  # the stamp names the reviewer's agency in full, and what it is
    stamp = " ".join(page.extract_xform_text(page["/Annots"][0].get_object()["/AP"]["/N"].get_object()).split())
    assert AGENCIES["000.00.31.H29"] in stamp and "KẾT QUẢ SỐ HÓA TỪ BẢN CHÍNH" in stamp and "Lê Văn Duyệt" in stamp
    with pytest.raises(DigitizeError) as exc:
        review.approve(reviewer, card["id"])
    assert exc.value.status == 409 and exc.value.code == "already_decided"

    # A second dossier for the same citizen: the card is offered (not the one-off forms) and attached by reference.
    d2 = svc.reception.create_dossier("1.001193", counter, citizen)
    offers = repo.offers(counter, d2)
    assert [(o["component"], [p["id"] for p in o["papers"]]) for o in offers] == [("giay_to_tuy_than", [card["id"]])]
    st = repo.attach(counter, d2, [card["id"]])
    row = next(r for r in st["checklist"] if r["component"] == "giay_to_tuy_than")
    assert row["satisfied"] and row["reused"] == [card["id"]] and row["documents"] == []
    assert st["reused"][0]["document"] == card["id"] and st["reused"][0]["from_dossier"] == world["d1"]
    assert repo.offers(counter, d2) == []  # attached papers are no longer offered
    with pytest.raises(DigitizeError) as exc:
        repo.attach(counter, d2, [form["id"]])  # a form is not reusable
    assert exc.value.status == 404
    with svc.ctx.session() as s:
        assert s.query(Reuse).filter(Reuse.dossier_id == d2).count() == 1
        assert s.query(Correction).filter(Correction.document_id == form["id"]).count() == 1

    # The citizen logs in with the password set at the counter and sees the papers with their history.
    with svc.ctx.session() as s:
        auth.set_citizen_password(s, citizen, "matkhau2026")
        _, me = auth.login_citizen(s, citizen, "matkhau2026", "10.0.0.9")
    papers = repo.my_papers(me)
    assert {p["id"] for p in papers} == {x["id"] for x in docs}
    mine = next(p for p in papers if p["id"] == card["id"])
    assert [h["event"] for h in mine["history"]] == ["digitized", "approved", "reused"]
    assert review.document(me, card["id"])["fields"]["id_number"] == citizen


def test_other_citizens_and_expired_papers_are_not_offered(world):
    svc, repo, review, reviewer = world["svc"], world["repo"], world["review"], world["reviewer"]
    counter = login(svc, "quay1")
    stranger = fake_person(random.Random(77), year=(1960, 1960))
    sid = stranger.id_number(4242)
    d = svc.reception.create_dossier("1.001193", counter, sid)
    card = can_cuoc(random.Random(3), holder=(stranger, sid, "Phường Mẫu, Thành phố Huế"))
    assert svc.reception.add_file(d, "cccd.png", synth.encode(card.image), counter).error is None
    svc.reading.process(d)
    doc = svc.queries.status(d, counter)["documents"][0]
    assert doc["type"] == "can_cuoc" and doc["owner_id"] == sid
    # The reviewer finds the card expired (born 1960: valid until 60) and says so; it is approved but not offered.
    review.correct(reviewer, doc["id"], "date_of_expiry", "01/01/2020")
    review.approve(reviewer, doc["id"], accept_invalid=True)
    with svc.ctx.session() as s:
        assert s.get(Document, doc["id"]).state == DocState.APPROVED
    assert repo.offers(counter, svc.reception.create_dossier("1.001193", counter, sid)) == []
    # The first citizen's new dossier is not offered the stranger's card, and cannot attach it.
    d3 = svc.reception.create_dossier("1.001193", counter, world["citizen"])
    assert doc["id"] not in [p["id"] for o in repo.offers(counter, d3) for p in o["papers"]]
    with pytest.raises(DigitizeError) as exc:
        repo.attach(counter, d3, [doc["id"]])
    assert exc.value.status == 404


def test_result_scanned_reviewed_and_synced(world):
    """The issued birth certificate is scanned at hand-over: a result document of the citizen, counted as
    digitized, and as synced to the repository once approved. The dossier's other papers are read again but keep
    their ids and e-copies."""
    from datetime import datetime

    from digitize.devtools.synth_forms import from_catalog
    from digitize.dossiers import figures

    svc, counter, reviewer = world["svc"], world["counter"], world["reviewer"]
    d = svc.reception.create_dossier("1.001193", counter, world["citizen"])
    pages = dossier(seed=8)
    assert svc.reception.add_file(d, "ho-so.pdf", synth.images_to_pdf([p.image for p in pages]), counter).error is None
    svc.reading.process(d)
    before = {x["id"]: x["type"] for x in svc.queries.status(d, counter)["documents"]}
    with svc.ctx.session() as s:
        signed_before = {x.id: x.ecopy_sha256 for x in s.query(Document).filter(Document.dossier_id == d)}

    for doc in before:  # a result waits for the review of what was handed in
        Review(svc.ctx, svc.certifier).reject(reviewer, doc, "Không thuộc thành phần hồ sơ")
    broken = svc.reception.add_file(d, "ket-qua-hong.pdf", b"%PDF-1.4\nbroken", counter, purpose="result")
    with pytest.raises(DigitizeError) as refused:  # nothing recorded: another scan is needed
        svc.reception.issue_result(d, counter, None, broken)
    assert refused.value.status == 422 and refused.value.detail["file"]["stored"]
    with svc.ctx.session() as s:
        assert s.query(Result).filter_by(dossier_id=d).count() == 0

    certificate = from_catalog(svc.ctx.catalog.document_types["giay_khai_sinh"], random.Random(9))
    receipt = svc.reception.add_file(d, "ket-qua.png", synth.encode(certificate.image), counter, purpose="result")
    result = svc.reception.issue_result(d, counter, None, receipt)
    assert result["digitized"] and result["document_type"] == "giay_khai_sinh"
    svc.reading.process(d)
    docs = svc.queries.status(d, counter)["documents"]
    assert {x["id"]: x["type"] for x in docs if not x["is_result"]} == before
    (issued,) = [x for x in docs if x["is_result"]]
    assert issued["type"] == "giay_khai_sinh" and issued["owner_id"] == world["citizen"]
    with svc.ctx.session() as s:
        assert {x.id: x.ecopy_sha256 for x in s.query(Document).filter(Document.dossier_id == d)
                if x.id in before} == signed_before  # fmt: skip
    # The checklist counts what was submitted, not what was issued.
    assert all(issued["id"] not in r["documents"] for r in svc.queries.status(d, counter)["checklist"])

    today = datetime.now(svc.ctx.zone).date()
    with svc.ctx.session() as s:
        f = figures.compute(s, today, today, svc.ctx.zone, agency=counter.agency, procedure="1.001193")["total"]
    synced_before = f["results_synced"]
    Review(svc.ctx, svc.certifier).approve(reviewer, issued["id"], accept_invalid=True)
    with svc.ctx.session() as s:
        f = figures.compute(s, today, today, svc.ctx.zone, agency=counter.agency, procedure="1.001193")["total"]
    assert f["results_digitized"] >= 1 and f["results_synced"] == synced_before + 1


def test_citizen_follows_own_dossiers(tmp_path):
    """The citizen's dossiers as the receipt's code tracks them: in progress, returned (the first result's time),
    overdue past the promised date; archives digitized for the unit and other citizens' dossiers are not listed."""
    from datetime import date, timedelta

    from storage.records import Dossier

    svc = demo_service(tmp_path / "data", workers=1)
    try:
        counter = login(svc, "quay1")
        me, other = "001099000123", "079203012345"
        waiting = svc.reception.create_dossier("1.004194", counter, me)  # 7 working days: due later
        returned = svc.reception.create_dossier("1.001193", counter, me)
        first = svc.reception.issue_result(returned, counter)["issued_at"]
        svc.reception.issue_result(returned, counter, replaces=True)  # a second paper: it replaces the first
        late = svc.reception.create_dossier("1.001193", counter, me)
        with svc.ctx.session() as s:
            s.get(Dossier, late).due_date = date.today() - timedelta(days=3)
        svc.reception.create_dossier("1.001193", counter, me, archive=True)
        theirs = svc.reception.create_dossier("1.001193", counter, other)
        # The counter's list of results to hand over: promised, not returned, the earliest due first.
        assert [x["id"] for x in svc.queries.dossiers(counter, awaiting_result=True)] == [late, theirs, waiting]
        with svc.ctx.session() as s:
            auth.set_citizen_password(s, me, "matkhau2026")
            _, citizen = auth.login_citizen(s, me, "matkhau2026", "10.0.0.9")
        got = Vault(svc.ctx, svc.queries).my_dossiers(citizen)
        codes = {svc.queries.status(x, actor=SYSTEM)["code"]: x for x in (waiting, returned, late)}
        assert [codes[d["code"]] for d in got] == [late, returned, waiting]  # newest first
        by = {codes[d["code"]]: d for d in got}
        assert by[waiting]["state"] == "in_progress" and by[waiting]["due_date"] > date.today().isoformat()
        assert by[waiting]["procedure_name"] == "Đăng ký thường trú" and by[waiting]["agency"] == "000.00.31.H29"
        assert by[returned]["state"] == "returned" and by[returned]["returned_at"][:19] == first[:19]
        assert by[late]["state"] == "overdue" and by[late]["returned_at"] is None
        with pytest.raises(DigitizeError):  # staff have their own look-up, audited per citizen
            Vault(svc.ctx, svc.queries).my_dossiers(counter)
    finally:
        svc.close()


def received_card(world: dict, seed: int) -> dict:
    """A card of the world's citizen, read at the counter in a dossier of its own, not yet reviewed."""
    svc, counter = world["svc"], login(world["svc"], "quay1")
    d = svc.reception.create_dossier("1.001193", counter, world["citizen"])
    card = can_cuoc(random.Random(seed), holder=(fake_person(random.Random(seed)), world["citizen"], "Phường Mẫu"))
    assert svc.reception.add_file(d, "cccd.png", synth.encode(card.image), counter).error is None
    svc.reading.process(d)
    (doc,) = svc.queries.status(d, counter)["documents"]
    return doc


def test_a_copy_signed_before_approval_does_not_verify(world):
    """Copies that an earlier version signed at reception are in the store: verify answers with the paper's
    state and vouches only for approved ones."""
    svc, review, reviewer = world["svc"], world["review"], world["reviewer"]
    doc = received_card(world, 31)
    signed = svc.certifier.sign(doc["id"], "quay1")  # as reception used to
    with svc.ctx.session() as s:
        signed.record(s.get(Document, doc["id"]))
    copy = svc.ctx.store.get(signed.key)
    for state in ("extracted", "rejected"):
        if state == "rejected":
            review.reject(reviewer, doc["id"], "Không phải bản chính")
        with pytest.raises(DigitizeError) as exc:
            svc.copy_check.file(copy)
        assert exc.value.code == "not_verified" and exc.value.detail["state"] == state
        assert exc.value.detail["intact"] and exc.value.detail["issued_here"]


def test_signing_keys_are_sealed_at_rest(world):
    """Officers' keys lay plain in the database and the CA's in the object store: a copy of either signed."""
    import stat

    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from digitize.signing import pki

    svc = world["svc"]
    key, _, _ = svc.certifier.credentials("quay1")  # issued now, or already
    with svc.ctx.session() as s:
        kept = s.query(User).filter_by(username="quay1").one().key_pem
    assert kept.startswith("-----BEGIN ENCRYPTED PRIVATE KEY") and load_pem_private_key(key, None)
    with pytest.raises(TypeError):  # encrypted: no password, no key
        load_pem_private_key(kept.encode(), password=None)
    assert svc.ctx.store.get("pki/ca-key.pem").startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY")
    assert stat.S_IMODE(svc.ctx.settings.data_dir.stat().st_mode) == 0o700
    # A key an earlier version kept plain still signs, and is sealed at its first use.
    ca_key, ca_cert = svc.certifier.authority()
    plain, cert = pki.issue_officer_cert(ca_key, ca_cert, "Lê Văn Duyệt", "000.00.31.H29", "duyet1")
    with svc.ctx.session() as s:
        user = s.query(User).filter_by(username="duyet1").one()
        user.key_pem, user.cert_pem = plain.decode(), cert.decode()
    assert svc.certifier.credentials("duyet1")[0] == plain
    with svc.ctx.session() as s:
        assert s.query(User).filter_by(username="duyet1").one().key_pem.startswith("-----BEGIN ENCRYPTED")


def test_two_approvals_at_once_one_is_refused(world):
    """Two reviewers (or one double click) approve the same paper at once: both sign outside the transaction, the
    decision is recorded once and the other is told it was already decided."""
    import threading

    svc, review, reviewer = world["svc"], world["review"], world["reviewer"]
    doc = received_card(world, 32)
    start, outcomes = threading.Barrier(2), []

    def approve() -> None:
        start.wait()
        try:
            outcomes.append(review.approve(reviewer, doc["id"], accept_invalid=True)["state"])
        except DigitizeError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_decided", "approved"], outcomes
    with svc.ctx.session() as s:
        x = s.get(Document, doc["id"])
        kept = svc.ctx.store.get(x.ecopy_key)
    assert svc.copy_check.file(kept)["verified"]  # the copy recorded is the one stored
