"""The reviewer's screen in a real browser (issue 13, item 2): a tờ khai of another requester, handed in with a
dossier opened for the demo citizen, is not filed in the citizen's repository until the reviewer says whose it is;
the screen asks, and refuses to approve before an answer."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from digitize.devtools import synth
from digitize.devtools.synth_forms import dossier
from digitize.people.demo import CITIZEN
from tests.support.browser import open_page, shot
from tests.support.servers import login, wait_done


def test_a_paper_of_another_person_asks_whose_it_is(browser, web_server):
    to_khai, _, card = dossier(seed=23)
    requester_id = card.fields["id_number"]
    with httpx.Client(base_url=web_server, timeout=60) as counter:
        login(counter, "quay1")
        d = counter.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()["dossier"]
        files = [("files", ("to-khai.png", synth.encode(to_khai.image), "image/png"))]
        assert counter.post(f"/api/dossiers/{d}/files", files=files).status_code == 202
        st = wait_done(counter, d)
        doc = next(x for x in st["documents"] if x["type"] == "to_khai_khai_sinh")
        assert any(w["code"] == "document_of_another_person" for w in st["warnings"]), st["warnings"]

    page = open_page(browser, web_server, "duyet1")
    page.get_by_role("list", name="Danh sách giấy tờ chờ kiểm tra").get_by_role(
        "button", name=re.compile("Tờ khai đăng ký khai sinh")).click()  # fmt: skip
    owner = page.get_by_role("group", name="Giấy tờ này của ai?")
    expect(owner).to_be_visible()
    expect(owner).to_contain_text(requester_id)
    expect(owner).to_contain_text("không phải công dân của hồ sơ")
    shot(page, "review-whose-paper")
    page.get_by_role("button", name="Duyệt (Ctrl+Enter)").click()
    expect(page.locator("#toast")).to_contain_text("Hãy chọn giấy tờ này của ai")
    owner.get_by_label("Của người khác, số định danh:").check()
    owner.get_by_label("Số định danh của chủ giấy tờ").fill(requester_id)
    page.get_by_role("button", name="Duyệt (Ctrl+Enter)").click()
    # Fields still invalid are accepted in the page (an in-page question, not the browser's confirm()).
    ask = page.get_by_role("alertdialog")
    expect(ask.or_(page.locator("#toast", has_text="Đã duyệt"))).to_be_visible()
    if ask.is_visible():
        ask.get_by_role("button", name="Vẫn duyệt").click()
    expect(page.locator("#toast")).to_contain_text("Đã duyệt")
    page.context.close()

    with httpx.Client(base_url=web_server, timeout=60) as reviewer:
        login(reviewer, "duyet1")
        filed = reviewer.get(f"/api/documents/{doc['id']}").json()
    assert filed["state"] == "approved" and filed["owner_id"] == requester_id
