"""The round trip in a real browser (Debian's chromium, headless, 1366×768): a counter officer opens a dossier and
uploads a 3-page PDF, sees the pages read and the checklist fill, leaves a page out and takes it back, prints the
receipt; a reviewer corrects a field and approves; the citizen logs in and sees the paper; another citizen does
not. Screenshots go to test-artifacts/screens/."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from digitize.devtools import synth
from digitize.devtools.synth_forms import dossier
from digitize.people.demo import CITIZEN, DEMO_PASSWORD
from tests.support.browser import open_page, shot


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    pages = dossier(seed=5)
    path = tmp_path_factory.mktemp("scans") / "ho-so-khai-sinh.pdf"
    path.write_bytes(synth.images_to_pdf([p.image for p in pages]))
    return path, pages


def test_counter_review_citizen_round_trip(browser, web_server, scans):
    path, pages = scans
    citizen_id = pages[2].fields["id_number"]  # the requester, whose card is page 3
    truth_child = pages[0].fields["child_name"]

    # --- counter -------------------------------------------------------------------------------------------------
    page = open_page(browser, web_server, "quay1")
    page.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("khai sinh")
    expect(page.locator("#proc-chosen")).to_have_text("Đăng ký khai sinh · 4 thành phần hồ sơ")
    page.get_by_label("Số định danh cá nhân của công dân").fill(citizen_id)
    page.get_by_role("button", name="Mở hồ sơ").click()
    code = page.locator("#dossier-code")
    expect(code).to_have_text(re.compile(r"^000\.00\.31\.H29-\d{6}-\d{4}$"))
    page.locator("#files").set_input_files(str(path))
    pages_list = page.get_by_role("list", name="Các trang theo thứ tự")
    expect(pages_list.locator("li img")).to_have_count(3, timeout=120_000)
    checklist = page.locator("#checklist")
    expect(checklist.get_by_text("Đã có")).to_have_count(3, timeout=60_000)
    expect(page.locator("#progress-text")).to_have_text("Đã đọc xong 3 trang quét")
    expect(pages_list.locator("li").nth(0)).to_contain_text("Tờ khai đăng ký khai sinh")
    expect(pages_list.locator("li").nth(2)).to_contain_text("Căn cước")
    shot(page, "counter")

    # Leaving the card's page out empties its component; taking it back fills it again.
    pages_list.locator("li").nth(2).get_by_role("button", name="Bỏ trang").click()
    expect(checklist.get_by_text("Còn thiếu")).to_have_count(1, timeout=60_000)
    expect(pages_list.locator("li.excluded")).to_have_count(1)
    pages_list.locator("li").nth(2).get_by_role("button", name="Lấy lại").click()
    expect(checklist.get_by_text("Đã có")).to_have_count(3, timeout=60_000)

    dossier_code = code.inner_text()
    page.get_by_role("button", name="Hoàn tất và in biên nhận").click()
    expect(page.locator("#r-code")).to_have_text(dossier_code)
    expect(page.get_by_role("heading", name="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")).to_be_visible()
    expect(page.locator("#r-days")).to_have_text("Trong ngày làm việc")  # birth registration: the same day
    expect(page.locator("#r-due")).to_have_text(re.compile(r"^Thứ (Hai|Ba|Tư|Năm|Sáu), ngày \d\d/\d\d/20\d\d$"))
    expect(page.get_by_role("img", name="Mã QR của mã hồ sơ")).to_be_visible()
    expect(page.locator("#r-components")).to_contain_text("Đã nhận, đã số hóa")
    shot(page, "receipt")
    page.go_back()
    page.get_by_role("button", name="Cấp mã đăng nhập cho công dân").click()
    otp = page.locator("#citizen-code-out .otp")
    expect(otp).to_have_text(re.compile(r"^\d{6}$"))
    code = otp.inner_text()
    page.context.close()

    # --- review --------------------------------------------------------------------------------------------------
    page = open_page(browser, web_server, "duyet1")
    page.on("dialog", lambda d: d.accept())
    queue = page.get_by_role("list", name="Danh sách giấy tờ chờ kiểm tra")
    expect(queue.get_by_role("button")).to_have_count(3)
    queue.get_by_role("button", name=re.compile("Tờ khai đăng ký khai sinh")).click()
    child = page.get_by_label("Con: họ, chữ đệm, tên")
    expect(child).to_have_value(truth_child)
    y, m, d = pages[0].fields["child_date_of_birth"].split("-")
    expect(page.get_by_label("Con: ngày, tháng, năm sinh")).to_have_value(f"{d}/{m}/{y}")  # as Vietnamese write it
    child.focus()
    expect(page.locator("#viewer rect.box.active")).to_have_count(1)  # its box is outlined and zoomed to
    assert page.locator("#viewer").get_attribute("viewBox").split()[:2] != ["0", "0"]
    child.fill(truth_child + " Sửa")
    child.press("Enter")
    expect(page.locator('.field[data-key="child_name"] .conf')).to_have_text("đã sửa")
    shot(page, "review")
    # A card's address typed short of its province: the reviewer is told its last line may be missing.
    queue.get_by_role("button", name=re.compile("Căn cước")).click()
    residence = page.get_by_label("Nơi thường trú")
    full = residence.input_value()
    residence.fill("Số 112 đường Quang Trung,")
    residence.press("Enter")
    problem = page.locator('.field[data-key="place_of_residence"] .prob')
    expect(problem).to_have_text("Địa chỉ chưa hết (thiếu tỉnh/thành phố): có thể mất dòng cuối, xem lại")
    shot(page, "review-address-unfinished")
    residence.fill(full)
    residence.press("Enter")
    expect(problem).to_have_count(0)
    # An expiry that is no birthday of the holder's at 14, 25, 40 or 60: one of the card's two dates is misread.
    expiry = page.get_by_label("Có giá trị đến")
    was = expiry.input_value()
    expiry.fill("01/01/2099")
    expiry.press("Enter")
    problem = page.locator('.field[data-key="date_of_expiry"] .prob')
    expect(problem).to_have_text("Ngày hết hạn không phải sinh nhật tuổi 14, 25, 40 hoặc 60: ngày sinh hoặc ngày hết"
                                 " hạn đọc sai, xem lại cả hai")  # fmt: skip
    shot(page, "review-expiry-not-a-birthday")
    expiry.fill(was)
    expiry.press("Enter")
    expect(problem).to_have_count(0)
    for _ in range(3):  # Ctrl+Enter approves and opens the next one
        expect(page.locator("#h-doc")).to_contain_text("· hồ sơ")  # a document is open, not the empty screen
        name = page.locator("#h-doc").inner_text()
        page.locator("#fields input").first.press("Control+Enter")
        # Fields still invalid are accepted in the page (an in-page question, not the browser's confirm()).
        ask, moved = page.get_by_role("alertdialog"), page.locator("#h-doc").filter(has_not_text=name)
        expect(ask.or_(moved)).to_be_visible()
        if ask.is_visible():
            ask.get_by_role("button", name="Vẫn duyệt").click()
        expect(page.locator("#h-doc")).not_to_have_text(name)
    expect(queue).to_contain_text("Không còn giấy tờ nào chờ kiểm tra.")
    page.context.close()

    # --- citizen -------------------------------------------------------------------------------------------------
    page = open_page(browser, web_server, citizen_id, code, citizen=True)  # the one-time code from the counter
    assert urlsplit(page.url).path == "/cong-dan"
    row = page.locator("#dossiers tr", has_text=dossier_code)  # the dossier, tracked by the receipt's code
    expect(row).to_contain_text("Đăng ký khai sinh")
    expect(row).to_contain_text("Đang giải quyết")
    expect(row).to_contain_text(re.compile(r"Thứ (Hai|Ba|Tư|Năm|Sáu), ngày \d\d/\d\d/20\d\d"))
    expect(row).to_contain_text(re.compile(r"\d\d/\d\d/20\d\d \d\d:\d\d"))  # received: dd/mm/yyyy hh:mm
    papers = page.locator("#papers")
    expect(papers.locator("li.paper")).to_have_count(3)
    expect(papers).to_contain_text("Căn cước")
    expect(papers).to_contain_text(truth_child + " Sửa")
    expect(papers).to_contain_text(f"{d}/{m}/{y}")
    expect(papers).to_contain_text(dossier_code)
    with page.expect_download() as dl:
        papers.get_by_role("button", name=re.compile("Tải bản sao điện tử của Căn cước")).click()
    assert dl.value.suggested_filename.endswith(".pdf")
    assert dl.value.path().read_bytes()[:5] == b"%PDF-"
    shot(page, "citizen")
    page.context.close()

    # Another citizen sees none of it.
    page = open_page(browser, web_server, CITIZEN[0], DEMO_PASSWORD, citizen=True)
    expect(page.locator("#papers")).to_contain_text("Chưa có giấy tờ nào được số hóa.")
    expect(page.locator("#dossiers")).to_contain_text("Chưa có hồ sơ nào.")
    assert dossier_code not in page.content() and citizen_id not in page.content()
    page.context.close()


def test_moments_show_in_vietnam_time_and_dates_as_vietnamese_write_them(browser, web_server):
    """A PC whose clock is set to another zone (Paris here) still shows a moment stored in UTC in Asia/Ho_Chi_Minh
    time, sent with or without its offset; dates read dd/mm/yyyy."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN", timezone_id="Europe/Paris")
    page = ctx.new_page()
    page.goto(web_server + "/dang-nhap")
    shown = page.evaluate("""() => [fmtDate('2026-12-05T17:43:40.111601'), fmtDate('2026-12-05T17:43:40+00:00'),
                                    fmtDate('2045-04-13'), fieldText('2023-07-11'), fieldText('Nguyễn Văn An')]""")
    assert shown == ["06/12/2026 00:43", "06/12/2026 00:43", "13/04/2045", "11/07/2023", "Nguyễn Văn An"]
    ctx.close()
