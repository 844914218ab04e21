"""The login page and the page guard in a real browser."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.support.browser import open_page, shot


def test_login_sends_each_role_home_and_guards_pages(browser, web_server):
    page = open_page(browser, web_server)
    shot(page, "login")
    page.get_by_label("Tên đăng nhập").fill("quay1")
    page.get_by_label("Mật khẩu", exact=True).fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").locator("visible=true").click()
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    page.context.close()

    for user, home in (("quay1", "/quay"), ("duyet1", "/kiem-tra"), ("lanhdao1", "/lanh-dao")):
        page = open_page(browser, web_server, user)
        assert urlsplit(page.url).path == home  # the leaders' page adds its period to the query once loaded
        assert page.locator(".me-name").inner_text()
        if user == "quay1":  # a page of another role is refused in Vietnamese, not shown
            page.goto(web_server + "/kiem-tra")
            expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
        page.context.close()

    page = browser.new_page()
    page.goto(web_server + "/quay")  # without a session: to the login page, and back after it
    assert "/dang-nhap?next=/quay" in page.url
    page.close()
