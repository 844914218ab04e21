"""The two public pages of issue 14 in a real browser, without a login, at the counter's 1366×768 and on a phone
(390×844): from the login page to /tra-cuu, a dossier's state by its receipt's code (typed as a handheld scanner
does: the code, then Enter) and four digits; to /xac-minh, a certified copy's file and its QR text checked, green
when valid and red with the reason when not. The demo server reads with the fake engine: what is read does not
matter here. Screenshots: test-artifacts/screens/public-*.png."""

from __future__ import annotations

import io
from datetime import date, timedelta

import httpx
from playwright.sync_api import expect
from pyhanko.pdf_utils.reader import PdfFileReader

from digitize.devtools import synth
from digitize.people.demo import AGENCIES, CITIZEN
from tests.support.browser import shot
from tests.support.servers import login, wait_done

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}


def a_late_dossier(url: str) -> tuple[dict, str]:
    """A dossier given a new date three days after the one promised: the dossier and the new date."""
    with httpx.Client(base_url=url, timeout=60) as c:
        login(c, "quay1")
        d = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()
        new = (date.fromisoformat(d["due_date"]) + timedelta(days=3)).isoformat()
        r = c.post(f"/api/dossiers/{d['dossier']}/delay", json={"new_due_date": new, "reason": "Chờ xác minh"})
        assert r.status_code == 200, r.text
    return d, new


def dmy(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def a_dossier_and_a_copy(url: str) -> tuple[dict, bytes, str]:
    """A dossier at quay1's counter whose one page is an ID card approved by duyet1: the dossier, its card's
    certified copy and the copy's QR text."""
    with httpx.Client(base_url=url, timeout=60) as c, httpx.Client(base_url=url, timeout=60) as r:
        login(c, "quay1")
        login(r, "duyet1")
        d = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()
        page = ("p.png", synth.encode(synth.render_page(seed=42, paragraphs=1).image), "image/png")
        assert c.post(f"/api/dossiers/{d['dossier']}/files", files=[("files", page)]).status_code == 202
        wait_done(c, d["dossier"])
        card = c.post(f"/api/dossiers/{d['dossier']}/documents", json={"pages": [0], "type": "can_cuoc"})
        doc = card.json()["document"]
        assert r.post(f"/api/documents/{doc}/approve", json={}).status_code == 200
        pdf = r.get(r.get(f"/api/documents/{doc}/download").json()["url"]).content
    qr = str(PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0].sig_object["/DigitizeQR"])
    return d, pdf, qr


def fits(page) -> None:
    """Nothing wider than the window: no sideways scrolling on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def look_up(page, code: str, digits: str) -> None:
    page.get_by_label("4 chữ số cuối số định danh cá nhân").fill("")
    page.get_by_label("Mã hồ sơ").fill("")
    page.get_by_label("Mã hồ sơ").press_sequentially(code)
    page.get_by_label("Mã hồ sơ").press("Enter")  # the scanner's Enter: on to the digits, nothing sent yet
    expect(page.get_by_label("4 chữ số cuối số định danh cá nhân")).to_be_focused()
    page.get_by_label("4 chữ số cuối số định danh cá nhân").fill(digits)
    page.get_by_role("button", name="Tra cứu").click()


def check_status_page(page, d: dict, name: str) -> None:
    look_up(page, d["code"], "9999")
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ")
    look_up(page, d["code"], CITIZEN[0][-4:])
    result = page.locator("#lookup-result")
    expect(result.locator(".verdict-title")).to_have_text("Đang xử lý")
    expect(page.get_by_role("alert")).to_be_empty()
    expect(result).to_contain_text(f"ngày {dmy(d['due_date'])}")  # the date promised, dd/mm/yyyy, with its weekday
    expect(result.locator("#r-first-due")).to_be_hidden()
    assert CITIZEN[0] not in page.content() and CITIZEN[1] not in page.content()
    fits(page)
    shot(page, name)


def check_late_dossier(page, late: dict, new: str) -> None:
    look_up(page, late["code"], CITIZEN[0][-4:])
    result = page.locator("#lookup-result")
    expect(result.locator("#r-due-label")).to_have_text("Ngày hẹn trả mới")
    expect(result.locator("#r-due")).to_contain_text(f"ngày {dmy(new)}")
    expect(result.locator("#r-first-due")).to_contain_text(f"ngày {dmy(late['due_date'])}")
    expect(result.get_by_text("Ngày hẹn ban đầu")).to_be_visible()
    expect(result).to_contain_text("đã được hẹn lại")


def check_verify_page(page, pdf: bytes, qr: str, name: str) -> None:
    verdict = page.locator("#verdict")
    page.get_by_label("Chọn tệp PDF của bản sao").set_input_files(
        {"name": "ban-sao.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    expect(page.locator("#ecopy-file-name")).to_have_text("ban-sao.pdf")
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(verdict.locator(".verdict-title")).to_have_text("✓ Hợp lệ")
    expect(verdict).to_have_class("verdict ok")
    expect(verdict).to_contain_text("Căn cước")
    expect(verdict).to_contain_text(AGENCIES["000.00.31.H29"])
    fits(page)
    shot(page, name)
    page.get_by_label("Nội dung mã QR").fill(qr)
    page.get_by_label("Nội dung mã QR").press("Enter")  # as a handheld scanner ends its text
    expect(verdict).to_contain_text("Hệ thống đã cấp bản sao điện tử có mã QR này")
    expect(verdict.locator(".note")).to_contain_text("chính tệp PDF")
    assert CITIZEN[0] not in page.content()
    fits(page)
    shot(page, name + "-qr")
    page.get_by_label("Nội dung mã QR").fill(qr.replace("time=", "tme="))
    page.get_by_role("button", name="Kiểm tra mã").click()
    expect(verdict).to_have_class("verdict bad")
    expect(verdict.locator(".verdict-title")).to_have_text("Không kiểm tra được")
    expect(verdict).to_contain_text("không đúng dạng")
    page.get_by_label("Chọn tệp PDF của bản sao").set_input_files(
        {"name": "anh.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\nnot a pdf"}
    )
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(verdict.locator(".verdict-title")).to_have_text("✗ Không hợp lệ")
    expect(verdict).to_contain_text("Tệp không phải là tệp PDF")
    expect(verdict).to_contain_text("xuất trình bản chính")
    shot(page, name + "-refused")


def test_the_public_pages_at_the_desk_and_on_a_phone(browser, fake_reading_server):
    url = fake_reading_server
    d, pdf, qr = a_dossier_and_a_copy(url)
    late, new = a_late_dossier(url)
    for viewport, suffix in ((DESK, ""), (PHONE, "-phone")):
        ctx = browser.new_context(viewport=viewport, locale="vi-VN", is_mobile=viewport is PHONE)
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        try:
            page.goto(url + "/dang-nhap")  # no session: the pages are linked from the login page
            fits(page)
            shot(page, "public-login" + suffix)
            page.get_by_role("link", name="Tra cứu hồ sơ").click()
            expect(page).to_have_url(url + "/tra-cuu")
            check_status_page(page, d, "public-status" + suffix)
            if viewport is DESK:
                check_late_dossier(page, late, new)
                shot(page, "public-status-late")
            page.get_by_role("link", name="Xác minh bản sao điện tử").click()
            expect(page).to_have_url(url + "/xac-minh")
            check_verify_page(page, pdf, qr, "public-verify" + suffix)
        finally:
            ctx.close()
