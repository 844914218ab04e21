"""The admin's page (/quan-tri) in a real browser against `digitize serve --demo`: staff accounts made, locked,
unlocked and given a new password, each of which the login then honours; the audit log filtered and paged, in
Vietnam's time; the catalog; and every other role refused the page and the APIs."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.support.browser import open_page, shot

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NEW, NEW_NAME, NEW_PASSWORD = "quay3", "Nguyễn Thị Ba", "matkhau123"


def user_row(page, username: str):
    return page.locator(f'#t-users tr[data-user="{username}"]')


def log_in_refused(browser, url: str, username: str, password: str) -> str:
    """The message the login page shows for a refused staff login."""
    page = open_page(browser, url)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").locator("visible=true").click()
    error = page.locator("#login-error")
    expect(error).not_to_have_text("")
    text = error.text_content()
    page.context.close()
    return text


def create_counter_account(page) -> None:
    form = page.locator("#new-user")
    form.get_by_label("Tên đăng nhập").fill(NEW)
    form.get_by_label("Họ và tên").fill(NEW_NAME)
    form.get_by_label("Vai trò").select_option(label="Cán bộ tiếp nhận")
    form.get_by_label("Mật khẩu ban đầu").fill("ngan")
    form.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("#new-user-error")).to_have_text("Mật khẩu cần ít nhất 8 ký tự, có cả chữ và số.")
    form.get_by_label("Mật khẩu ban đầu").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Tạo tài khoản").click()
    expect(user_row(page, NEW)).to_contain_text("Cán bộ tiếp nhận")
    expect(user_row(page, NEW)).to_contain_text("Đang hoạt động")
    expect(user_row(page, NEW)).to_contain_text(datetime.now(VN).strftime("%d/%m/%Y"))
    expect(page.locator("#new-user-error")).to_have_text("")
    form.get_by_label("Tên đăng nhập").fill(NEW)  # the same name again
    form.get_by_label("Họ và tên").fill("Người Khác")
    form.get_by_label("Mật khẩu ban đầu").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("#new-user-error")).to_have_text("Tên đăng nhập đã có người dùng.")


def test_admin_manages_accounts_and_the_login_obeys(browser, web_server):
    url = web_server
    admin = open_page(browser, url, "quantri1")
    assert urlsplit(admin.url).path == "/quan-tri"  # the admin's home is this page now, not the figures
    expect(admin.get_by_role("link", name="Quản trị")).to_have_attribute("aria-current", "page")
    expect(user_row(admin, "quay1")).to_contain_text("Trần Thị Quầy")
    expect(user_row(admin, "quay2")).to_have_count(0)  # another agency's accounts are not listed
    expect(user_row(admin, "quantri1").get_by_role("button", name="Khóa")).to_be_disabled()  # not oneself
    create_counter_account(admin)
    shot(admin, "admin-accounts")

    # The new counter account logs in, to the counter's page.
    officer = open_page(browser, url, NEW, NEW_PASSWORD)
    assert urlsplit(officer.url).path == "/quay"
    assert officer.request.get(url + "/api/me").json()["role"] == "counter"

    # Locked: its open session ends at once, and it cannot log in again.
    user_row(admin, NEW).get_by_role("button", name="Khóa").click()
    expect(user_row(admin, NEW)).to_contain_text("Đã khóa")
    assert officer.request.get(url + "/api/me").status == 401
    assert log_in_refused(browser, url, NEW, NEW_PASSWORD) == "Tên đăng nhập hoặc mật khẩu không đúng."

    # Unlocked, then given a new password through the dialog: only the new one works.
    user_row(admin, NEW).get_by_role("button", name="Mở khóa").click()
    expect(user_row(admin, NEW)).to_contain_text("Đang hoạt động")
    user_row(admin, NEW).get_by_role("button", name="Đặt lại mật khẩu").click()
    dialog = admin.locator("#pw-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Mật khẩu mới").fill("12345678")
    dialog.get_by_role("button", name="Đặt mật khẩu").click()
    expect(admin.locator("#pw-error")).to_have_text("Mật khẩu cần ít nhất 8 ký tự, có cả chữ và số.")
    shot(admin, "admin-reset-password")
    dialog.get_by_label("Mật khẩu mới").fill("moi2026abc")
    dialog.get_by_role("button", name="Đặt mật khẩu").click()
    expect(dialog).to_be_hidden()
    assert log_in_refused(browser, url, NEW, NEW_PASSWORD) == "Tên đăng nhập hoặc mật khẩu không đúng."
    again = open_page(browser, url, NEW, "moi2026abc")
    assert urlsplit(again.url).path == "/quay"
    for page in (again, officer):
        page.context.close()

    check_audit_log(admin)
    check_catalog(admin)
    admin.context.close()


def check_audit_log(admin) -> None:
    """Filtered by action, by user and day (typed dd/mm/yyyy), paged by 50; times shown in Vietnam's time."""
    admin.get_by_role("tab", name="Nhật ký truy cập").click()
    assert urlsplit(admin.url).fragment == "nhat-ky"
    rows = admin.locator("#t-audit tbody tr")
    admin.get_by_label("Hành động").select_option(label="Khóa tài khoản")
    admin.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(1)
    now = datetime.now(VN)
    expect(rows.first).to_contain_text(f"quantri1Quản trịKhóa tài khoảnTài khoản {NEW}")
    shown = re.match(r"(\d\d/\d\d/\d{4}) (\d\d):(\d\d)", rows.first.locator("td").first.text_content())
    assert shown and shown[1] == now.strftime("%d/%m/%Y")  # the local date, dd/mm/yyyy
    minutes = int(shown[2]) * 60 + int(shown[3])
    assert abs(minutes - (now.hour * 60 + now.minute)) <= 3  # Vietnam's clock, not UTC's (7 hours off)

    admin.get_by_label("Hành động").select_option("")
    admin.get_by_label("Người thực hiện").fill(NEW)
    admin.get_by_label("Từ ngày").fill(now.strftime("%d/%m/%Y"))
    admin.get_by_label("Đến ngày").fill(now.strftime("%-d/%-m/%Y"))  # one-digit day and month read too
    admin.get_by_role("button", name="Lọc").click()
    expect(rows.filter(has_text="Đăng nhập sai")).to_have_count(2)  # locked, then the old password
    expect(rows.filter(has_text="Đăng nhập").filter(has_not_text="sai")).to_have_count(2)
    admin.get_by_label("Từ ngày").fill("01/01/2020")
    admin.get_by_label("Đến ngày").fill("31/12/2020")
    admin.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(1)
    expect(rows).to_have_text("Không có sự kiện nào khớp bộ lọc.")
    admin.get_by_label("Đến ngày").fill("31/02/2021")
    admin.get_by_role("button", name="Lọc").click()
    expect(admin.locator("#audit-error")).to_contain_text("không phải ngày hợp lệ")

    # Paged: 60 more events of the admin's, 50 on a page, the next page the older ones.
    for _ in range(60):
        assert admin.request.get(admin.url.split("/quan-tri")[0] + "/api/users").status == 200
    for label in ("Người thực hiện", "Từ ngày", "Đến ngày"):
        admin.get_by_label(label).fill("")
    admin.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(50)
    expect(admin.locator("#a-prev")).to_be_disabled()
    first_page = rows.all_text_contents()
    shot(admin, "admin-audit")
    admin.get_by_role("button", name="Trang sau ›").click()
    expect(admin.locator("#a-page")).to_have_text("Trang 2")
    expect(admin.locator("#a-prev")).to_be_enabled()
    assert rows.count() > 0 and rows.all_text_contents() != first_page


def check_catalog(admin) -> None:
    admin.get_by_role("tab", name="Danh mục thủ tục").click()
    birth = admin.locator('details.procedure[data-code="1.001193"]')
    expect(birth).to_contain_text("Đăng ký khai sinh")
    birth.locator("summary").click()
    expect(birth).to_contain_text("Kết quả")
    expect(birth).to_contain_text("Giấy khai sinh")  # the result type, by its name
    expect(birth.locator("tbody tr").first).to_contain_text("Bắt buộc")
    expect(admin.locator("#t-types tbody")).to_contain_text("Căn cước")
    assert admin.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(admin, "admin-catalog")


def test_other_roles_are_refused_the_page_and_the_apis(browser, web_server):
    url = web_server
    for username in ("quay1", "duyet1", "lanhdao1"):
        page = open_page(browser, url, username)
        resp = page.goto(url + "/quan-tri")
        assert resp.status == 403
        expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
        expect(page.get_by_role("link", name="Quản trị")).to_have_count(0)
        req = page.request
        for r in (req.get(url + "/api/users"), req.get(url + "/api/audit"),
                  req.patch(url + "/api/users/quay1", data={"active": False}),
                  req.put(url + "/api/users/quay1/password", data={"password": "matkhau999"}),
                  req.post(url + "/api/users", data={"username": "x-" + username, "full_name": "X",
                                                     "password": "matkhau123", "role": "admin"})):  # fmt: skip
            assert r.status == 403, (username, r.url, r.status)
            body = r.json()
            assert (
                body["error"] == "role_not_allowed"
                and body["reason_vi"] == "Tài khoản không có quyền thực hiện việc này."
            )
        page.context.close()
    # quay1 was not locked by any of them: it still logs in.
    assert urlsplit(open_page(browser, url, "quay1").url).path == "/quay"


def test_admin_reaches_only_its_own_agency_and_not_itself(browser, web_server):
    url = web_server
    admin = open_page(browser, url, "quantri1")
    req = admin.request
    for r in (req.patch(url + "/api/users/quay2", data={"active": False}),  # agency B's counter
              req.put(url + "/api/users/quay2/password", data={"password": "matkhau999"}),
              req.patch(url + "/api/users/khongco", data={"active": False})):  # fmt: skip
        assert r.status == 404, r.text()
        assert r.json()["reason_vi"].startswith("Không tìm thấy tài khoản")
    r = req.patch(url + "/api/users/quantri1", data={"active": False})
    assert r.status == 409 and r.json()["reason_vi"] == "Không thể tự khóa tài khoản đang dùng để quản trị."
    r = req.post(url + "/api/users", data={"username": "sai vai tro", "full_name": "X", "password": "matkhau123",
                                          "role": "counter"})  # fmt: skip
    assert r.status == 422 and "Tên đăng nhập" in r.json()["reason_vi"]
    assert urlsplit(open_page(browser, url, "quay2").url).path == "/quay"  # agency B's account untouched

    # The server out of reach: said in Vietnamese, not as the browser's "Failed to fetch".
    admin.route("**/api/users/quay1", lambda route: route.abort())
    user_row(admin, "quay1").get_by_role("button", name="Khóa").click()
    expect(admin.locator("#toast")).to_have_text("Không kết nối được máy chủ; vui lòng thử lại.")
    expect(user_row(admin, "quay1")).to_contain_text("Đang hoạt động")
    admin.context.close()
