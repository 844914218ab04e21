"""Pages in Debian's headless Chromium through Playwright, and screenshots kept for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.paths import ARTIFACTS

CHROMIUM = os.environ.get("DIGITIZE_TEST_CHROMIUM", "/usr/bin/chromium")


def open_page(browser, url: str, username: str | None = None, password: str | None = None, citizen: bool = False,
              height: int = 768):  # fmt: skip
    """A fresh browser context at 1366×768 (the counter PCs), logged in through the login page when asked;
    `height` 657 is what a 768-pixel screen leaves a page under the browser's own bars."""
    from digitize.people.demo import DEMO_PASSWORD

    ctx = browser.new_context(viewport={"width": 1366, "height": height}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    page.goto(url + "/dang-nhap")
    if username:
        if citizen:
            page.get_by_role("tab", name="Công dân").click()
            page.get_by_label("Số định danh cá nhân (12 số)").fill(username)
            page.get_by_label("Mật khẩu hoặc mã dùng một lần").fill(password or DEMO_PASSWORD)
        else:
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu", exact=True).fill(password or DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").locator("visible=true").click()
        page.wait_for_url(lambda u: "/dang-nhap" not in u)
    return page


def shot(page, name: str) -> Path:
    """A screenshot kept under test-artifacts/screens for a person to look at."""
    out = ARTIFACTS / "screens"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
