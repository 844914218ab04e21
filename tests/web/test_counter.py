"""The counter screen's own tools in a real browser: a page under 200 dpi offered for rescan and replaced, pages
reordered by dragging, a document assigned to another component by hand, and the citizen's digitized card offered
and attached when the next dossier is opened."""

from __future__ import annotations

import re

import cv2
import httpx
from playwright.sync_api import expect

from digitize.devtools import synth
from digitize.devtools.synth_forms import dossier
from digitize.people.demo import DEMO_PASSWORD
from tests.support.browser import open_page, shot


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_rescan_reorder_assign_and_reuse(browser, web_server, tmp_path):
    pages = dossier(seed=12)
    citizen_id = pages[2].fields["id_number"]
    page = open_page(browser, web_server, "quay1")
    # Typed without tone marks, as on a keyboard without Vietnamese input (issue 13, item 8): found all the same.
    page.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("dang ky khai sinh")
    expect(page.locator("#proc-chosen")).to_have_text("Đăng ký khai sinh · 4 thành phần hồ sơ")
    page.get_by_label("Số định danh cá nhân của công dân").fill(citizen_id)
    page.get_by_role("button", name="Mở hồ sơ").click()
    expect(page.locator("#dossier-code")).to_have_text(re.compile(r"-\d{4}$"))
    # Nothing scanned yet: the procedure's components are listed, the required ones missing, no receipt to print.
    expect(page.locator("#checklist li")).to_have_count(4)
    expect(page.locator("#checklist").get_by_text("Còn thiếu")).to_have_count(3)
    expect(page.locator("#finish")).to_be_disabled()
    expect(page.locator("#finish")).to_have_text("Chưa có trang nào")

    # The card photocopied at 150 dpi: flagged at once, with a rescan button.
    low = synth.encode(cv2.resize(pages[2].image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), dpi=150)
    page.locator("#files").set_input_files([write(tmp_path, "a.pdf", synth.images_to_pdf([p.image for p in pages[:2]])),
                                            write(tmp_path, "cccd-150.png", low)])  # fmt: skip
    thumbs = page.get_by_role("list", name="Các trang theo thứ tự").locator("li")
    expect(thumbs.locator("img")).to_have_count(3, timeout=120_000)
    third = thumbs.nth(2)
    expect(third.get_by_text("Dưới 200 dpi")).to_be_visible()
    shot(page, "counter-rescan")
    with page.expect_file_chooser() as chooser:
        third.get_by_role("button", name="Quét lại").click()
    chooser.value.set_files(write(tmp_path, "cccd-300.png", synth.encode(pages[2].image)))
    expect(thumbs.locator("img")).to_have_count(4, timeout=120_000)
    expect(page.locator("li.excluded")).to_have_count(1, timeout=60_000)
    expect(page.locator("#checklist").get_by_text("Đã có")).to_have_count(3, timeout=60_000)
    expect(page.get_by_role("button", name="Hoàn tất và in biên nhận")).to_be_enabled(timeout=60_000)

    # Drag the new card page in front of the form: it becomes page 1 and the documents follow the new order.
    thumbs.nth(3).drag_to(thumbs.nth(0))
    expect(thumbs.nth(0)).to_contain_text("Căn cước", timeout=60_000)
    expect(page.get_by_role("button", name="Hoàn tất và in biên nhận")).to_be_enabled(timeout=60_000)

    # The same with the keyboard: ▶ moves the card one place later and keeps the focus on it for the next move.
    thumbs.nth(0).get_by_role("button", name="Đưa trang 1 ra sau").focus()
    page.keyboard.press("Enter")
    expect(thumbs.nth(1)).to_contain_text("Căn cước", timeout=60_000)
    expect(page.get_by_role("button", name="Đưa trang 2 ra sau")).to_be_focused()
    # A live update redraws the list (the dossier is read again after each move): the focus stays on that button.
    page.evaluate("render(state.status)")
    expect(page.get_by_role("button", name="Đưa trang 2 ra sau")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # its ◀
    expect(page.get_by_role("button", name="Đưa trang 2 lên trước")).to_be_focused()
    page.keyboard.press("Enter")
    expect(thumbs.nth(0)).to_contain_text("Căn cước", timeout=60_000)
    expect(page.get_by_role("button", name="Đưa trang 1 ra sau")).to_be_focused()  # ◀ is off at the front
    expect(page.get_by_role("button", name="Hoàn tất và in biên nhận")).to_be_enabled(timeout=60_000)

    # The officer says the card is the power of attorney (a wrong choice, on purpose): the checklist follows.
    card = page.get_by_label(re.compile("Thành phần của Căn cước"))
    card.select_option(label="Văn bản ủy quyền (khi nộp thay)")
    row = page.locator("#checklist li", has_text="Giấy tờ tùy thân của người yêu cầu")
    expect(row).to_contain_text("Còn thiếu")
    # Moving a page afterwards keeps the officer's word (issue 13, item 3): the card is still the proxy paper.
    thumbs.nth(2).get_by_role("button", name="Đưa trang 3 lên trước").click()
    expect(page.get_by_role("button", name="Hoàn tất và in biên nhận")).to_be_enabled(timeout=60_000)
    expect(card.locator("option:checked")).to_have_text("Văn bản ủy quyền (khi nộp thay)")
    expect(row).to_contain_text("Còn thiếu")
    card.select_option(label="Thành phần: tự nhận dạng")
    expect(row).to_contain_text("Đã có")
    shot(page, "counter-arranged")
    page.context.close()

    # The card approved, the next dossier for the same citizen is offered it and attaches it without a scan.
    with httpx.Client(base_url=web_server, timeout=30) as c:
        c.post("/api/login", json={"username": "duyet1", "password": DEMO_PASSWORD}).raise_for_status()
        cards = [q for q in c.get("/api/review/queue").json() if q["type"] == "can_cuoc"]
        for q in cards:
            c.post(f"/api/documents/{q['id']}/approve", json={"accept_invalid": True}).raise_for_status()
    page = open_page(browser, web_server, "quay1")
    page.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("1.001193")
    page.get_by_label("Số định danh cá nhân của công dân").fill(citizen_id)
    offer = page.locator("#reuse-list input[type=checkbox]")
    expect(offer).to_have_count(len(cards))
    expect(offer.first).to_be_checked()
    shot(page, "counter-reuse-offer")
    page.get_by_role("button", name="Mở hồ sơ").click()
    row = page.locator("#checklist li", has_text="Giấy tờ tùy thân của người yêu cầu")
    expect(row).to_contain_text("dùng lại từ kho dữ liệu")
    expect(row).to_contain_text("Đã có")
    page.context.close()


def test_procedure_typed_before_the_catalog_arrives(browser, web_server):
    """An officer who types, and even clicks "Mở hồ sơ" twice, while the procedure list is still on its way gets
    the procedure once it arrives, and one dossier opened for it."""
    page = open_page(browser, web_server, "quay1")
    opened = []
    page.on("request", lambda r: opened.append(r) if r.method == "POST" and r.url.endswith("/api/dossiers") else None)
    held = []
    page.route("**/api/procedures", lambda route: held.append(route))  # hold the request until the officer has typed
    page.reload(wait_until="domcontentloaded")
    for _ in range(200):  # until the page's script has asked for the list
        if held:
            break
        page.wait_for_timeout(50)
    page.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("khai sinh")
    expect(page.locator("#proc-chosen")).to_have_text(re.compile("^0 thủ tục khớp"))
    assert len(held) == 1, "the list was not held back"
    page.get_by_role("button", name="Mở hồ sơ").dblclick()
    shot(page, "counter-open-waits-for-catalog")
    held[0].continue_()
    expect(page.locator("#proc-chosen")).to_have_text("Đăng ký khai sinh · 4 thành phần hồ sơ")
    expect(page.locator("#dossier-code")).to_have_text(re.compile(r"-\d{4}$"))
    expect(page.locator("#checklist li")).to_have_count(4)
    assert len(opened) == 1, f"{len(opened)} dossiers opened by one double click"


def test_result_handed_over_and_digitized(browser, web_server, tmp_path):
    """At the end of a procedure the officer records the issued paper and who collected it: one without a scan is
    recorded as not digitized; a second paper is refused unless it replaces the first; a broken scan records nothing
    (the file is kept) so that another can be chosen; the scan is read as the citizen's result, apart from the pages
    handed in, and the figures count the standing result once, digitized."""
    import random

    from digitize.devtools.synth_forms import fake_person, from_catalog
    from forms.catalog import default_catalog

    citizen_id = fake_person(random.Random(31)).id_number(31)
    certificate = from_catalog(default_catalog().document_types["giay_khai_sinh"], random.Random(31))
    # A new connection for each request: the leader's second look comes after the officer's whole scan, longer
    # than uvicorn keeps an idle connection (5 s); reusing it as the server closed it reset it once under load.
    fresh = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=web_server, timeout=30, limits=fresh) as leader:
        leader.post("/api/login", json={"username": "lanhdao1", "password": DEMO_PASSWORD}).raise_for_status()

        def figures() -> dict:
            r = leader.get("/api/figures", params={"procedure": "1.001193"})
            r.raise_for_status()
            return r.json()["total"]

        before = figures()
        page = open_page(browser, web_server, "quay1")
        page.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("1.001193")
        page.get_by_label("Số định danh cá nhân của công dân").fill(citizen_id)
        page.get_by_role("button", name="Mở hồ sơ").click()
        box = page.get_by_role("region", name="Trả kết quả")
        expect(page.get_by_role("group", name="Người nộp hồ sơ")).to_be_visible()
        expect(box).to_be_hidden()  # receiving papers: the hand-over is apart (issue 13, item 8)
        page.get_by_role("tab", name="Trả kết quả").click()
        expect(box.locator("#results")).to_have_text("Chưa trả kết quả.")
        expect(page.get_by_role("group", name="Người nộp hồ sơ")).to_be_hidden()
        code = page.locator("#dossier-code").inner_text()
        awaiting = page.locator("#awaiting-box")
        awaiting.locator("summary").click()  # the results to hand over, the earliest due first
        expect(awaiting.locator("li", has_text=code)).to_have_count(1)

        box.get_by_label("Người nhận kết quả").fill("Nguyễn Thị Nhận")
        box.get_by_label("Số định danh người nhận").fill(citizen_id)
        box.get_by_role("button", name="Ghi nhận trả kết quả").click()
        asked = page.get_by_role("alertdialog")  # "no scan chosen: record it anyway?", in the page
        expect(asked).to_contain_text("Chưa chọn bản quét")
        asked.get_by_role("button", name="Ghi nhận, không số hóa").click()
        results = box.locator("#results li")
        expect(results).to_have_count(1)
        expect(results.first).to_contain_text("Không số hóa")
        expect(results.first).to_contain_text("người nhận: Nguyễn Thị Nhận")
        expect(awaiting.locator("li", has_text=code)).to_have_count(0)  # handed over: off the list

        # Another paper for the same dossier is refused unless it replaces the first (issue 13, item 5).
        expect(box.get_by_label("Thay kết quả đã ghi")).to_be_visible()
        box.get_by_label("Người nhận kết quả").fill("Nguyễn Thị Nhận")
        box.get_by_role("button", name="Ghi nhận trả kết quả").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Ghi nhận, không số hóa").click()
        expect(page.locator("#toast")).to_contain_text("Hồ sơ đã có kết quả")
        expect(results).to_have_count(1)

        box.get_by_label("Thay kết quả đã ghi").check()
        box.get_by_label("Người nhận kết quả").fill("Nguyễn Thị Nhận")
        box.get_by_label("Chọn bản quét kết quả").set_input_files(write(tmp_path, "hong.pdf", b"%PDF-1.4\nnot really"))
        box.get_by_role("button", name="Ghi nhận trả kết quả").click()
        expect(page.locator("#toast")).to_contain_text("tệp gốc đã được lưu")
        expect(page.locator("#toast")).to_contain_text("Chưa ghi nhận trả kết quả")
        expect(results).to_have_count(1)  # nothing recorded for the broken scan

        box.get_by_label("Người nhận kết quả").fill("Nguyễn Thị Nhận")
        box.get_by_label("Chọn bản quét kết quả").set_input_files(
            write(tmp_path, "giay-khai-sinh.png", synth.encode(certificate.image))
        )
        expect(box.locator("#result-file-name")).to_have_text("giay-khai-sinh.png")
        box.get_by_role("button", name="Ghi nhận trả kết quả").dblclick()  # a second click records nothing more
        expect(results).to_have_count(2)
        expect(results.nth(0)).to_contain_text("Đã được thay")
        expect(results.nth(1)).to_contain_text("Giấy khai sinh")
        expect(results.nth(1)).to_contain_text("Đã số hóa")
        # The result's scan is read apart: no "Trang 1" among the pages handed in, the receipt counts none.
        expect(box.locator("#result-pages")).to_have_text("Bản quét kết quả: 1 trang.", timeout=120_000)
        pages = page.get_by_role("list", name="Các trang theo thứ tự").locator("li")
        expect(pages.locator("img")).to_have_count(0)
        expect(page.locator("#checklist").get_by_text("Đã có")).to_have_count(0)  # a result fills no component
        shot(page, "counter-result")
        dossier_id = page.evaluate("state.dossier")
        receipt = page.context.new_page()
        receipt.goto(f"{web_server}/quay/bien-nhan/{dossier_id}")
        expect(receipt.locator("#r-pages")).to_have_text("Số trang đã số hóa: 0.")
        page.context.close()

        after = figures()  # the standing result only: the replaced one is not counted again
        assert after["results_issued"] - before["results_issued"] == 1
        assert after["results_digitized"] - before["results_digitized"] == 1


def test_a_reviewers_rejection_and_an_unasked_paper_reach_the_counter(browser, web_server):
    """What the counter sees of a dossier after review (issue 13, item 4): the rejected card is missing again, with
    the reviewer's reason, and a paper the procedure does not ask for is pointed out."""
    import random

    from digitize.devtools.synth_forms import from_catalog
    from forms.catalog import default_catalog
    from tests.support.cards import card_png
    from tests.support.servers import login, wait_done

    png, idn, _ = card_png(7)
    issued = from_catalog(default_catalog().document_types["giay_khai_sinh"], random.Random(7))
    with httpx.Client(base_url=web_server, timeout=60) as counter, httpx.Client(base_url=web_server, timeout=60) as rv:
        login(counter, "quay1")
        login(rv, "duyet1")
        d = counter.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": idn}).json()["dossier"]
        files = [
            ("files", ("cccd.png", png, "image/png")),
            ("files", ("gks.png", synth.encode(issued.image), "image/png")),
        ]
        assert counter.post(f"/api/dossiers/{d}/files", files=files).status_code == 202
        st = wait_done(counter, d)
        card = next(x for x in st["documents"] if x["type"] == "can_cuoc")
        r = rv.post(f"/api/documents/{card['id']}/reject", json={"reason": "Ảnh thẻ mờ"})
        assert r.status_code == 200, r.text

    page = open_page(browser, web_server, "quay1")
    page.goto(f"{web_server}/quay?ho-so={d}")
    warnings = page.get_by_role("list", name="Cần lưu ý")
    expect(warnings).to_contain_text("bị từ chối khi kiểm tra (Ảnh thẻ mờ): cần nộp lại.")
    expect(warnings).to_contain_text("không thuộc thành phần nào của thủ tục")
    identity = page.locator("#checklist li", has_text="Giấy tờ tùy thân")
    expect(identity).to_contain_text("Còn thiếu")
    card = page.locator("#documents li").filter(has=page.locator("strong", has_text="Căn cước"))  # not its type list
    expect(card).to_contain_text("Bị từ chối")
    shot(page, "counter-after-review")
    page.context.close()


def test_scans_on_their_way_are_shown_and_not_lost_to_a_reload(browser, web_server, tmp_path):
    """Issue 13, item 6: on a slow line the counter sees the bytes sent, cannot print the receipt meanwhile, and a
    reload asks first (the files would be lost); once sent, the pages are read as usual."""
    page = open_page(browser, web_server, "quay1")
    page.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("1.001193")
    page.get_by_role("button", name="Mở hồ sơ").click()
    expect(page.locator("#dossier-code")).to_have_text(re.compile(r"-\d{4}$"))
    # A line of 48 kB/s (Chrome's network emulation): the two-page PDF takes some seconds to go.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 48 * 1024})  # fmt: skip
    scans = [synth.render_page(seed=40 + i, paragraphs=3).image for i in range(2)]
    pdf = synth.images_to_pdf(scans, quality=92)
    assert len(pdf) > 250_000, len(pdf)
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
    page.locator("#files").set_input_files(write(tmp_path, "cham.pdf", pdf))
    progress = page.locator("#upload-progress")
    expect(progress).to_contain_text(re.compile(r"Đang tải lên: \d+ % \(.* MB / .* MB\)"))
    expect(page.locator("#finish")).to_be_disabled()
    expect(page.locator("#finish")).to_have_text("Đang tải tệp lên…")
    page.evaluate("setTimeout(() => location.reload(), 0)")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"], asked  # the reload asked first, and was refused
    expect(progress).to_contain_text("Đang tải lên")  # still on its way: the slow line has done its part
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})  # fmt: skip
    expect(progress).to_be_hidden(timeout=60_000)
    thumbs = page.get_by_role("list", name="Các trang theo thứ tự").locator("li img")
    expect(thumbs).to_have_count(2, timeout=120_000)
    shot(page, "counter-upload-done")
    page.context.close()
