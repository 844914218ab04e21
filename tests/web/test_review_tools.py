"""The counter's and the reviewer's tools in a real browser (issue 13, item 7): a page full size with zoom and the
keyboard, a page turned, pages made one document of a chosen type (split), the type changed; in review a
field-less paper not approved by a habit's Ctrl+Enter, the day's decision undone, a rejection's reason from a list
in the page (never the browser's prompt()). The demo server reads with the fake engine: what is read does not
matter here, and its wordless pages make one bundled "Giấy tờ khác"."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from digitize.devtools import synth
from digitize.people.demo import CITIZEN
from tests.support.browser import open_page, shot
from tests.support.servers import login, wait_done


def dossier_of_three(url: str) -> str:
    with httpx.Client(base_url=url, timeout=60) as c:
        login(c, "quay1")
        d = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()["dossier"]
        pngs = [synth.encode(synth.render_page(seed=k, paragraphs=1).image) for k in (1, 2, 3)]
        files = [("files", (f"p{k}.png", png, "image/png")) for k, png in enumerate(pngs)]
        assert c.post(f"/api/dossiers/{d}/files", files=files).status_code == 202
        wait_done(c, d)
    return d


def status(url: str, d: str) -> dict:
    with httpx.Client(base_url=url, timeout=60) as c:
        return login(c, "quay1").get(f"/api/dossiers/{d}").json()


def document(page, name: str):
    """The counter's line of a document, by its name (not by the names its type list offers)."""
    return page.locator("#documents li").filter(has=page.locator("strong", has_text=name))


def no_browser_dialogs(page) -> list[str]:
    """Every alert, confirm or prompt the page opens (it should open none): answered no, and kept to be asserted."""
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    return seen


def test_the_counter_views_turns_and_groups_pages(browser, fake_reading_server):
    d = dossier_of_three(fake_reading_server)
    page = open_page(browser, fake_reading_server, "quay1")
    page.goto(f"{fake_reading_server}/quay?ho-so={d}")
    pages = page.get_by_role("list", name="Các trang theo thứ tự")
    expect(pages.locator("li img")).to_have_count(3, timeout=60_000)

    # The page viewer: full size, zoom with + and −, the arrows, Esc back to the thumbnail.
    pages.get_by_role("button", name="Xem trang 2 cỡ lớn").click()
    viewer = page.locator("#page-viewer")
    expect(viewer).to_be_visible()
    expect(viewer.get_by_role("heading")).to_have_text("Trang 2 · 2/3")
    page.keyboard.press("+")
    expect(viewer.locator("#pv-zoom")).to_have_text("150%")
    page.keyboard.press("ArrowRight")
    expect(viewer.get_by_role("heading")).to_have_text("Trang 3 · 3/3")
    expect(viewer.get_by_role("button", name="Trang sau (→)")).to_be_disabled()
    page.keyboard.press("-")
    page.keyboard.press("-")
    expect(viewer.locator("#pv-zoom")).to_have_text("75%")
    shot(page, "counter-page-viewer")
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(pages.get_by_role("button", name="Xem trang 2 cỡ lớn")).to_be_focused()

    # Page 2 is an ID card, not part of the bundle: chosen, and made one document of that type.
    expect(page.locator("#documents li")).to_have_count(1)
    pages.get_by_label("Chọn trang 2 để tách, gộp giấy tờ").check()
    bar = page.get_by_role("group", name="Tách, gộp giấy tờ theo trang đã chọn")
    expect(bar).to_be_visible()
    bar.get_by_label("Loại giấy tờ cho các trang đã chọn").select_option(label="Căn cước / Căn cước công dân")
    shot(page, "counter-pages-chosen")
    bar.get_by_role("button", name="Thành một giấy tờ").click()
    expect(page.locator("#documents li")).to_have_count(2)
    card = document(page, "Căn cước / Căn cước công dân")
    expect(card).to_contain_text("trang 2 · sắp xếp tay")
    expect(page.locator("#checklist li", has_text="Giấy tờ tùy thân")).to_contain_text("Đã có")
    expect(bar).to_be_hidden()

    # The bundle's type changed from the list of documents.
    bundle = document(page, "Giấy tờ khác")
    bundle.get_by_label("Loại giấy tờ của Giấy tờ khác").select_option(label="Giấy khai sinh (bản chính)")
    expect(document(page, "Giấy khai sinh (bản chính)")).to_contain_text("trang 1, 3")

    # Page 1 turned: read again in its place, its thumbnail fetched anew.
    before = next(p for p in status(fake_reading_server, d)["pages"] if p["index"] == 0)
    pages.get_by_role("button", name="Xoay trang 1 90° theo chiều kim đồng hồ").click()
    expect(pages.locator("li").first.locator("img")).to_have_attribute(
        "src", re.compile(r"thumb\.jpg\?r=270$"), timeout=60_000
    )  # read again
    expect(pages.locator("li img")).to_have_count(3)
    shot(page, "counter-grouped-and-turned")

    # Turned from the viewer: the page shown is read again and shown again, turned.
    pages.get_by_role("button", name="Xem trang 3 cỡ lớn").click()
    page.get_by_role("button", name="Xoay trang này 90° theo chiều kim đồng hồ").click()
    expect(page.locator("#pv-img")).to_have_attribute("src", re.compile(r"pages/2/clean\.jpg\?r=270$"), timeout=60_000)
    expect(page.locator("#page-viewer").get_by_role("heading")).to_have_text("Trang 3 · 3/3")
    shot(page, "counter-viewer-turned")
    page.keyboard.press("Escape")
    expect(pages.get_by_role("button", name="Xem trang 3 cỡ lớn")).to_be_focused()
    st = status(fake_reading_server, d)
    after = next(p for p in st["pages"] if p["index"] == 0)
    assert (after["rotation"], st["page_order"]) == (270, [0, 1, 2]), after
    page.context.close()
    assert before["rotation"] == 0


def test_the_reviewer_confirms_a_fieldless_paper_undoes_and_rejects_with_a_reason(browser, fake_reading_server):
    d = dossier_of_three(fake_reading_server)
    page = open_page(browser, fake_reading_server, "duyet1")
    asked = no_browser_dialogs(page)
    doc_id = next(x["id"] for x in status(fake_reading_server, d)["documents"])
    page.locator(f"#queue button[data-id='{doc_id}']").click()
    expect(page.locator("#h-doc")).to_contain_text("Giấy tờ khác")

    # Ctrl+Enter on a paper with no fields asks in the page; Enter by habit answers "not yet".
    page.locator("#approve").focus()
    page.keyboard.press("Control+Enter")
    ask = page.get_by_role("alertdialog")
    expect(ask).to_contain_text("không có trường dữ liệu nào")
    expect(ask.get_by_role("button", name="Chưa duyệt")).to_be_focused()
    shot(page, "review-fieldless-asks")
    page.keyboard.press("Enter")
    expect(ask).to_be_hidden()
    assert status(fake_reading_server, d)["documents"][0]["state"] == "extracted"

    # The reviewer says yes; the decision is listed, and undone.
    page.keyboard.press("Control+Enter")
    page.get_by_role("alertdialog").get_by_role("button", name="Duyệt giấy tờ").click()
    expect(page.locator("#toast")).to_contain_text("Đã duyệt")
    decided = page.get_by_role("list", name="Quyết định trong ngày, hoàn tác được")
    expect(decided).to_contain_text("Đã duyệt: Giấy tờ khác")
    page.reload()  # the day's decisions come from the fake_reading_server: a reload keeps them
    expect(decided).to_contain_text("Đã duyệt: Giấy tờ khác")
    assert next(x for x in status(fake_reading_server, d)["documents"] if x["id"] == doc_id)["state"] == "approved"
    decided.get_by_role("button", name="Hoàn tác quyết định: Giấy tờ khác").click()
    expect(page.locator("#toast")).to_contain_text("Đã hoàn tác")
    expect(decided.locator("li")).to_have_count(0)
    assert next(x for x in status(fake_reading_server, d)["documents"] if x["id"] == doc_id)["state"] == "extracted"

    # The page full size from review, Esc back to its button.
    page.get_by_role("button", name="Xem cỡ lớn").click()
    expect(page.locator("#page-viewer")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Xem cỡ lớn")).to_be_focused()

    # Rejection: a reason from the list; "Khác" needs words.
    page.get_by_role("button", name="Từ chối…").click()
    dialog = page.get_by_role("dialog", name="Từ chối giấy tờ")
    expect(dialog).to_be_visible()
    dialog.get_by_role("radio", name="Khác", exact=True).check()
    dialog.get_by_role("button", name="Từ chối giấy tờ").click()
    expect(dialog.get_by_role("alert")).to_contain_text("hãy ghi rõ lý do")
    dialog.get_by_role("radio", name="Thiếu trang").check()
    dialog.get_by_label("Ghi chú thêm (bắt buộc khi chọn “Khác”)").fill("thiếu mặt sau")
    shot(page, "review-reject-reasons")
    dialog.get_by_role("button", name="Từ chối giấy tờ").click()
    expect(page.locator("#toast")).to_contain_text("Đã từ chối")
    with httpx.Client(base_url=fake_reading_server, timeout=60) as c:
        doc = login(c, "duyet1").get(f"/api/documents/{doc_id}").json()
    assert (doc["state"], doc["reject_reason"]) == ("rejected", "Thiếu trang: thiếu mặt sau")
    assert asked == []  # no prompt(), confirm() or alert() on the way
    page.context.close()


def test_the_reviewer_splits_a_bundle(browser, fake_reading_server):
    d = dossier_of_three(fake_reading_server)
    page = open_page(browser, fake_reading_server, "duyet1")
    bundle = next(x["id"] for x in status(fake_reading_server, d)["documents"])
    page.goto(f"{fake_reading_server}/kiem-tra")
    page.locator(f"#queue button[data-id='{bundle}']").click()
    expect(page.locator("#page-tabs [role=tab]")).to_have_count(3)
    page.get_by_text("Tách, gộp, đổi loại giấy tờ").click()
    box = page.locator("#regroup")
    box.get_by_label("Trang 1 của giấy tờ này").uncheck()
    box.get_by_label("Trang 2 của giấy tờ này").uncheck()
    box.get_by_label("Loại giấy tờ").select_option(label="Căn cước / Căn cước công dân")
    shot(page, "review-split")
    box.get_by_role("button", name="Lưu thành một giấy tờ").click()
    expect(page.locator("#h-doc")).to_contain_text("Căn cước / Căn cước công dân")
    expect(page.locator("#page-tabs [role=tab]")).to_have_count(0)  # one page: no tabs
    docs = sorted((x["type"], x["pages"]) for x in status(fake_reading_server, d)["documents"])
    assert docs == [("can_cuoc", [2]), ("khac", [0, 1])]
    page.context.close()


def test_the_document_clicked_stands_over_the_one_opened_as_the_page_loads(browser, fake_reading_server):
    """The page opens the queue's first document as it loads: when that answer came after the reviewer had clicked
    another, it took the clicked one's place (its pages, fields and approve button), as
    test_the_reviewer_splits_a_bundle once found."""
    codes = {status(fake_reading_server, d)["code"] for d in (dossier_of_three(fake_reading_server) for _ in "ab")}
    page = open_page(browser, fake_reading_server, "duyet1")
    with httpx.Client(base_url=fake_reading_server, timeout=60) as c:
        queue = login(c, "duyet1").get("/api/review/queue").json()
    first = queue[0]
    clicked = next(q for q in queue if q["dossier_code"] != first["dossier_code"] and q["dossier_code"] in codes)
    held = []
    page.route(f"**/api/documents/{first['id']}", lambda route: held.append(route) if not held else route.continue_())
    page.goto(f"{fake_reading_server}/kiem-tra")
    expect(page.locator(f"#queue button[data-id='{first['id']}']")).to_be_visible()
    page.locator(f"#queue button[data-id='{clicked['id']}']").click()
    expect(page.locator("#h-doc")).to_contain_text(clicked["dossier_code"])
    assert len(held) == 1, "the first document's answer was not held back"
    held[0].continue_()  # (waiting for its response event timed out now and then: the answer is waited for in time)
    page.wait_for_timeout(1000)  # the late answer arrives and is handled within milliseconds
    expect(page.locator("#h-doc")).to_contain_text(clicked["dossier_code"])
    expect(page.locator(f"#queue button[data-id='{clicked['id']}']")).to_have_attribute("aria-current", "true")
    page.context.close()
