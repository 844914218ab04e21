"""The one-stop forms in a real browser (issue 13; Circular 01/2018/TT-VPCP, docs/forms.md): the officer types who
hands the dossier in and how many copies were received, asks for more papers in a dialog (no prompt()) and prints
the request to supplement; receives the dossier once complete and prints the receipt with the applicant, the counts,
the ID card shown and not received, and both signatures; refuses another; prints the apology of a late one, the
control slip and the tracking book. Each form is screenshotted (test-artifacts/screens/form-*.png)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.sync_api import expect

from digitize.people.demo import CITIZEN, DEMO_PASSWORD
from tests.support.browser import open_page, shot


def open_dossier(page) -> str:
    page.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("1.001193")
    page.get_by_label("Số định danh cá nhân của công dân").fill(CITIZEN[0])
    page.get_by_role("button", name="Mở hồ sơ").click()
    expect(page.locator("#dossier-code")).not_to_be_empty()
    return page.evaluate("state.dossier")


def test_supplement_then_receipt_with_the_applicant_and_the_counts(browser, web_server):
    page = open_page(browser, web_server, "quay1")
    dossier = open_dossier(page)
    box = page.get_by_role("group", name="Người nộp hồ sơ")
    expect(box.get_by_label("Họ và tên")).to_have_value(CITIZEN[1])  # the citizen's known name, to correct
    with page.expect_response(lambda r: r.url.endswith("/details") and r.ok):
        box.get_by_label("Họ và tên").fill("Nguyễn Thị Nộp")
        box.get_by_label("Địa chỉ").focus()  # leaving the field saves it
    with page.expect_response(lambda r: r.url.endswith("/details") and r.ok):
        box.get_by_label("Địa chỉ").fill("Số 7, thôn Mẫu, xã Mẫu Một")
        box.get_by_label("Số điện thoại").focus()
    with page.expect_response(lambda r: r.url.endswith("/details") and r.ok):
        box.get_by_label("Số điện thoại").fill("0912 345 678")
        page.get_by_label("Số bản sao: Giấy chứng sinh hoặc văn bản xác nhận việc sinh").focus()
    with page.expect_response(lambda r: r.url.endswith("/details") and r.ok):
        page.get_by_label("Số bản sao: Giấy chứng sinh hoặc văn bản xác nhận việc sinh").fill("2")
        page.get_by_label("Số bản chính: Tờ khai đăng ký khai sinh").focus()
    with page.expect_response(lambda r: r.url.endswith("/details") and r.ok):
        page.get_by_label("Giấy tờ tùy thân của người yêu cầu").check()
    card = page.locator("#checklist li", has_text="Giấy tờ tùy thân của người yêu cầu")
    expect(card).to_contain_text("Đã xuất trình")  # seen at the counter: the component is no longer missing
    shot(page, "counter-applicant-and-counts")

    page.get_by_role("button", name="Yêu cầu bổ sung").click()
    dialog = page.get_by_role("dialog", name="Yêu cầu bổ sung, hoàn thiện hồ sơ")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Ghi nhận và in phiếu").click()  # no reason: said in the dialog, no request
    expect(dialog.get_by_role("alert")).to_have_text("Cần ghi rõ lý do.")
    dialog.get_by_label("Lý do").fill("Tờ khai chưa có chữ ký của người yêu cầu")
    dialog.get_by_role("button", name="Ghi nhận và in phiếu").click()
    page.wait_for_url(f"**/quay/phieu/bo-sung/{dossier}")
    slip = page.locator("#slip")
    expect(slip.get_by_role("heading", level=1)).to_have_text("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    expect(slip.locator("#r-missing")).to_contain_text("Tờ khai chưa có chữ ký của người yêu cầu")
    expect(slip.locator("#r-applicant")).to_have_text("Nguyễn Thị Nộp")
    expect(slip).to_contain_text("NGƯỜI HƯỚNG DẪN")
    shot(page, "form-02-supplement")

    page.goto(f"{web_server}/quay?ho-so={dossier}")
    expect(page.locator("#outcome-note")).to_contain_text("Đã yêu cầu bổ sung")
    page.get_by_role("button", name="Đã bổ sung đủ, tiếp nhận").click()
    expect(page.locator("#outcome-note")).to_be_hidden()
    page.goto(f"{web_server}/quay/bien-nhan/{dossier}")
    slip = page.locator("#slip")
    expect(slip.get_by_role("heading", level=1)).to_have_text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    expect(slip.locator("#r-address")).to_have_text("Số 7, thôn Mẫu, xã Mẫu Một")
    expect(slip.locator("#r-phone")).to_have_text("0912 345 678")
    rows = slip.locator("#r-components tr")
    expect(rows.nth(1)).to_contain_text("Giấy chứng sinh")
    expect(rows.nth(1).locator("td").nth(4)).to_have_text("2")
    expect(rows.nth(2)).to_contain_text("Đã xuất trình, không thu")  # the ID card was shown, not received
    expect(slip.locator(".signer-name")).to_have_text(["Nguyễn Thị Nộp", "Trần Thị Quầy"])
    expect(page.locator("#print")).to_be_visible()
    shot(page, "form-01-receipt")
    page.get_by_role("button", name="A5").click()
    shot(page, "form-01-receipt-a5")
    page.emulate_media(media="print")
    expect(page.locator(".receipt-tools")).to_be_hidden()  # the tools never reach the paper
    expect(page.locator(".topbar")).to_be_hidden()
    page.emulate_media(media="screen")

    page.goto(f"{web_server}/quay/phieu/kiem-soat/{dossier}")
    steps = page.locator("#r-steps tbody tr")
    expect(steps.first).to_contain_text("Tiếp nhận hồ sơ, số hóa")
    expect(steps.nth(1)).to_contain_text("Quyết định tại quầy")
    expect(steps.nth(1)).to_contain_text("Yêu cầu bổ sung")  # which decision, in the note
    expect(steps.nth(2)).to_contain_text("Tiếp nhận (đã đủ)")
    shot(page, "form-05-control")


def test_refusal_apology_and_the_tracking_book(browser, web_server):
    page = open_page(browser, web_server, "quay1")
    refused = open_dossier(page)
    page.get_by_role("button", name="Từ chối tiếp nhận").click()
    dialog = page.get_by_role("dialog", name="Từ chối tiếp nhận hồ sơ")
    dialog.get_by_label("Lý do").fill("Việc sinh đã được đăng ký tại UBND xã khác")
    dialog.get_by_role("button", name="Ghi nhận và in phiếu").click()
    page.wait_for_url(f"**/quay/phieu/tu-choi/{refused}")
    expect(page.locator("#r-reason")).to_have_text("Việc sinh đã được đăng ký tại UBND xã khác")
    shot(page, "form-03-refusal")
    page.goto(f"{web_server}/quay/bien-nhan/{refused}")  # no receipt for a refused dossier: said in Vietnamese
    expect(page.get_by_role("alert")).to_contain_text("Từ chối tiếp nhận")

    # A late dossier's apology: the new date through the API (the page's button shows for dossiers past due).
    with httpx.Client(base_url=web_server, timeout=30) as c:
        c.post("/api/login", json={"username": "quay1", "password": DEMO_PASSWORD}).raise_for_status()
        opened = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()
        new = date.fromisoformat(opened["due_date"]) + timedelta(days=5)
        r = c.post(f"/api/dossiers/{opened['dossier']}/delay",
                   json={"new_due_date": new.isoformat(), "reason": "Chờ xác minh của cơ quan công an"})  # fmt: skip
        assert r.status_code == 200, r.text
    page.goto(f"{web_server}/quay/phieu/xin-loi/{opened['dossier']}")
    expect(page.locator("#r-new-due")).to_have_text(f"ngày {new:%d} tháng {new:%m} năm {new:%Y}")
    expect(page.locator("#slip")).to_contain_text("THỦ TRƯỞNG CƠ QUAN")
    shot(page, "form-04-apology")

    page.get_by_role("link", name="Sổ theo dõi").click()
    page.wait_for_url("**/quay/so-theo-doi")
    expect(page.get_by_role("link", name="Sổ theo dõi")).to_have_attribute("aria-current", "page")
    book = page.locator("#book tbody")
    expect(book).to_contain_text(opened["code"])
    expect(book.locator("tr", has_text=opened["code"])).to_contain_text(f"{new:%d/%m/%Y}")  # the new date
    expect(book).to_contain_text("Từ chối tiếp nhận")
    page.get_by_label("Từ ngày").fill("31/02/2026")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("alert")).to_contain_text("không đúng dạng dd/mm/yyyy")
    page.go_back()
    shot(page, "form-06-book")
    with page.expect_download() as got:
        page.get_by_role("link", name="Tải CSV (Excel)").click()
    data = got.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and opened["code"].encode() in data


def test_the_keyboard_and_a_657_pixel_screen(browser, web_server):
    """Issue 13, item 8: at the height a 768-pixel screen really leaves, the counter's work fits without scrolling
    the page (each column scrolls inside, "Hoàn tất" stays in view); the keyboard opens a dossier (Enter in the ID
    number) and goes on to who hands it in; a dossier opened from the list of results to return opens at the
    hand-over, its collector first."""
    page = open_page(browser, web_server, "quay1", height=657)
    page.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("1.001193")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Số định danh cá nhân của công dân")).to_be_focused()
    page.keyboard.type(CITIZEN[0])
    page.keyboard.press("Enter")
    expect(page.locator("#dossier-code")).not_to_be_empty()
    name = page.get_by_role("group", name="Người nộp hồ sơ").get_by_label("Họ và tên")
    expect(name).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("group", name="Người nộp hồ sơ").get_by_label("Địa chỉ")).to_be_focused()
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1"), "the page itself scrolls"
    finish = page.locator("#finish").bounding_box()
    assert finish and finish["y"] + finish["height"] <= 657, finish
    shot(page, "counter-657")

    code = page.locator("#dossier-code").inner_text()
    page.goto(f"{web_server}/quay")
    page.locator("#awaiting-box summary").click()
    page.locator("#awaiting li", has_text=code).get_by_role("link").click()
    expect(page.get_by_role("tab", name="Trả kết quả")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("region", name="Trả kết quả").get_by_label("Người nhận kết quả")).to_be_focused()
    expect(page.locator("#drop")).to_be_hidden()  # no pages are added to the dossier while returning its result
    page.get_by_role("tab", name="Trả kết quả").press("ArrowLeft")
    expect(page.get_by_role("tab", name="Tiếp nhận")).to_be_focused()
    expect(page.locator("#drop")).to_be_visible()
    assert "viec=" not in page.url
