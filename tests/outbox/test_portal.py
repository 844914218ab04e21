"""Approved papers reach the citizen's repository on the national portal, over real HTTP from a running demo
server to a local receiver that keeps what it is sent by key, as docs/outbox.md asks of the portal. The receiver
fails, hangs past the sender's limit (having taken the paper), is down for a while and comes back on the same
port: exactly one copy of each version arrives, with the very bytes of the certified e-copy, and an approval
undone withdraws its version. The server reads with the fake engine (what is read does not matter here)."""

from __future__ import annotations

import base64
import time

import httpx
import pytest

from digitize.devtools import synth
from digitize.people.demo import CITIZEN
from tests.support.browser import open_page, shot
from tests.support.fake_reader import NAME as FAKE_READER
from tests.support.net import stop
from tests.support.paths import REPO
from tests.support.receiver import Receiver
from tests.support.servers import login, start_demo_server, wait_done


class Portal(Receiver):
    def versions(self, action: str) -> list[tuple[int, str]]:
        return sorted((b["document"]["document_id"], b["document"]["version"]) for b in self.kept.values()
                      if b["document"]["action"] == action)  # fmt: skip


@pytest.fixture(scope="module")
def portal():
    p = Portal().start()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, portal):
    proc, url = start_demo_server(tmp_path_factory.mktemp("portal"), DIGITIZE_PAGE_READER=FAKE_READER,
                                  PYTHONPATH=str(REPO), DIGITIZE_PORTAL_URL=portal.url,
                                  DIGITIZE_OUTBOX_SECONDS="0.2", DIGITIZE_OUTBOX_RETRY_SECONDS="0.2",
                                  DIGITIZE_SEND_TIMEOUT="1")  # fmt: skip
    try:
        yield url
    finally:
        stop(proc, grace=30)


def approved_card(url: str, seed: int) -> tuple[int, bytes]:
    """A card paper approved by the reviewer: its id and its certified e-copy's bytes."""
    with httpx.Client(base_url=url, timeout=60) as c, httpx.Client(base_url=url, timeout=60) as r:
        login(c, "quay1")
        login(r, "duyet1")
        d = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()["dossier"]
        page = ("the.png", synth.encode(synth.render_page(seed=seed, paragraphs=1).image), "image/png")
        assert c.post(f"/api/dossiers/{d}/files", files=[("files", page)]).status_code == 202
        wait_done(c, d)
        card = c.post(f"/api/dossiers/{d}/documents", json={"pages": [0], "type": "can_cuoc"}).json()["document"]
        assert r.post(f"/api/documents/{card}/approve", json={}).status_code == 200
        link = r.get(f"/api/documents/{card}/download").json()["url"]
        return card, r.get(link).content


def wait_for(check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the outbox did not deliver in time"
        time.sleep(0.2)


def test_each_version_arrives_once_through_failures_a_hang_and_a_restart(server, portal):
    portal.script = ["fail", "hang"]  # a 503, then taken-but-too-late: the sender tries again, the key repeats
    card, pdf = approved_card(server, 41)
    wait_for(lambda: len(portal.calls) >= 3)
    offers = portal.versions("offer")
    assert len(offers) == 1 and offers[0][0] == card
    assert portal.calls.count(f"portal:offer:{card}:{offers[0][1]}") == 3  # one key, three tries
    body = next(iter(portal.kept.values()))
    assert body["citizen_id"] == CITIZEN[0] and body["document"]["type"] == "can_cuoc"
    assert base64.b64decode(body["document"]["ecopy"]["pdf_base64"]) == pdf  # the very copy the citizen downloads

    portal.stop()  # the portal is down ...
    second, _ = approved_card(server, 42)
    time.sleep(1.0)  # ... for a few of the sender's passes
    assert second not in [d for d, _ in portal.versions("offer")]
    portal.start()  # ... and back on the same address
    wait_for(lambda: second in [d for d, _ in portal.versions("offer")], timeout=120)
    assert len(portal.versions("offer")) == 2


def test_an_approval_undone_withdraws_its_version(server, portal):
    card, _ = approved_card(server, 43)
    wait_for(lambda: card in [d for d, _ in portal.versions("offer")], timeout=120)
    with httpx.Client(base_url=server, timeout=60) as r:
        login(r, "duyet1")
        assert r.post(f"/api/documents/{card}/undo").status_code == 200
    wait_for(lambda: card in [d for d, _ in portal.versions("withdraw")])
    (offered,) = [v for d, v in portal.versions("offer") if d == card]
    assert [v for d, v in portal.versions("withdraw") if d == card] == [offered]


def test_a_refused_offer_is_dead_until_the_admin_sends_it_again(server, portal):
    portal.script = ["refuse"]
    card, _ = approved_card(server, 44)
    with httpx.Client(base_url=server, timeout=60) as admin:
        login(admin, "quantri1")

        def dead() -> list[dict]:
            return admin.get("/api/outbox", params={"state": "dead"}).json()["messages"]

        wait_for(lambda: any(m["key"].startswith(f"portal:offer:{card}:") for m in dead()))
        (m,) = [m for m in dead() if m["key"].startswith(f"portal:offer:{card}:")]
        assert m["last_error"].startswith("HTTP 400") and m["attempts"] == 1 and m["recipient"] != CITIZEN[0]
        assert card not in [d for d, _ in portal.versions("offer")]
        assert admin.post(f"/api/outbox/{m['id']}/retry").json() == {"id": m["id"], "state": "pending"}
        wait_for(lambda: card in [d for d, _ in portal.versions("offer")])
        assert admin.post(f"/api/outbox/{m['id']}/retry").status_code == 404  # sent: nothing to retry
        counts = admin.get("/api/outbox").json()["counts"]["portal"]
        assert counts["dead"] == 0 and counts["sent"] >= 1
        with httpx.Client(base_url=server, timeout=60) as other:
            assert login(other, "duyet1").get("/api/outbox").status_code == 403


def test_the_admin_sends_a_dead_offer_again_from_the_page(browser, server, portal):
    """The admin's tab 'Thông báo, đồng bộ': the dead offer with its reason in Vietnamese words around it, one
    click on 'Gửi lại' (a second does nothing: the button is off), and the paper arrives."""
    portal.script = ["refuse"]
    card, _ = approved_card(server, 45)
    page = open_page(browser, server, "quantri1")
    try:
        page.goto(server + "/quan-tri#gui-di")
        row = page.locator("#t-outbox tbody tr", has_text="Kho dữ liệu Cổng DVC quốc gia")
        deadline = time.monotonic() + 30
        while not row.count():
            assert time.monotonic() < deadline, page.locator("#t-outbox").inner_text()
            page.click("#tab-accounts")
            page.click("#tab-outbox")  # loads the tab again
        assert (
            "Đã dừng (lỗi)" in row.first.inner_text()
            and "Bên nhận từ chối nội dung gửi (HTTP 400)" in row.first.inner_text()
        )
        assert CITIZEN[0] not in page.content()  # the ID number is masked
        shot(page, "admin-outbox")
        button = row.first.get_by_role("button", name="Gửi lại")
        button.click()
        assert button.is_disabled() or not button.count()
        wait_for(lambda: card in [d for d, _ in portal.versions("offer")])
    finally:
        page.context.close()
    leader = open_page(browser, server, "lanhdao1")
    try:  # the leaders' page counts what reached the portal: the tile behind "đồng bộ kho"
        leader.goto(server + "/lanh-dao")
        sub = leader.locator('.tile[data-key="portal_sync"] .tile-sub')
        sub.wait_for()
        sent = int(leader.locator('.tile[data-key="portal_sync"] .tile-value').inner_text())
        assert sent == len(portal.versions("offer")) + len(portal.versions("withdraw")), sub.inner_text()
        assert "0 lỗi" in sub.inner_text()
        shot(leader, "leader-portal-sync")
    finally:
        leader.context.close()
