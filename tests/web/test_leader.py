"""The leaders' page (/lanh-dao) in a real browser, on activity seeded through the HTTP API by a counter."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from playwright.sync_api import expect

from digitize.devtools import synth
from tests.support.browser import open_page, shot

A = "000.00.31.H29"


def seed_activity(browser, url: str) -> None:
    """As quay1: three birth registrations (one with a scanned page) and one marriage registration, today."""
    counter = open_page(browser, url, "quay1")
    req = counter.request
    dossiers = []
    for procedure in ("1.001193", "1.001193", "1.001193", "1.000894"):
        r = req.post(url + "/api/dossiers", data={"procedure": procedure})
        assert r.status == 201, r.text()
        dossiers.append(r.json()["dossier"])
    # One dossier's page is read; the others hand in a blank sheet (received, not digitized); a dossier opened
    # with nothing handed in is not received at all.
    png = synth.encode(synth.render_page(seed=7, paragraphs=2).image, "png")
    blank = synth.encode(np.full((3508, 2480), 255, np.uint8), "png")
    assert req.post(url + "/api/dossiers", data={"procedure": "1.001193"}).status == 201
    for d, page in zip(dossiers, (png, blank, blank, blank), strict=True):
        r = req.post(f"{url}/api/dossiers/{d}/files",
                     multipart={"files": {"name": "trang-1.png", "mimeType": "image/png", "buffer": page}})  # fmt: skip
        assert r.status == 202, r.text()
    deadline = time.monotonic() + 180
    for d in dossiers:
        while (st := req.get(f"{url}/api/dossiers/{d}").json())["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline, st
            time.sleep(0.5)
        assert st["status"] == "done", st

    # A counter may not see the figures: the refusal page, in Vietnamese, with 403.
    resp = counter.goto(url + "/lanh-dao")
    assert resp.status == 403
    expect(counter.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    assert req.get(url + "/api/figures").status == 403
    counter.context.close()


def tile(page, key: str):
    return page.locator(f'.tile[data-key="{key}"] .tile-value')


def iso(shown: str) -> str:
    """dd/mm/yyyy as the page shows a date, as the API's YYYY-MM-DD."""
    day, month, year = shown.split("/")
    assert len(day) == len(month) == 2 and len(year) == 4, shown
    return f"{year}-{month}-{day}"


def test_leader_page_shows_the_figures(browser, web_server):
    seed_activity(browser, web_server)

    page = open_page(browser, web_server, "lanhdao1")
    assert urlsplit(page.url).path == "/lanh-dao"  # the period goes into the query once the page has loaded
    # Default period: the last 30 days, today included (4 dossiers, 1 of them digitized at reception, 4 pages read,
    # 3 of them blank).
    expect(tile(page, "received")).to_have_text("4")
    expect(page.get_by_label("Từ ngày")).not_to_have_value("")
    # Dates are shown and typed as in Vietnam, dd/mm/yyyy, whatever the browser's own date format (issue 13).
    shown_today = page.get_by_label("Đến ngày").input_value()
    today = iso(shown_today)
    assert iso(page.get_by_label("Từ ngày").input_value()) < today
    expect(tile(page, "share_digitized")).to_have_text("25 %")
    expect(page.locator('.tile[data-key="share_digitized"]')).to_have_class("tile warn")  # under the 80 % target
    expect(page.locator('.tile[data-key="share_digitized"] .tile-sub')).to_contain_text("1/4 hồ sơ")
    expect(tile(page, "reuse_rate")).to_have_text("0 %")
    expect(tile(page, "share_results_digitized")).to_have_text("–")  # no result issued: no share
    expect(tile(page, "share_on_time")).to_have_text("–")  # all received today: none due yet, none returned
    expect(page.locator('.tile[data-key="share_on_time"] .tile-sub')).to_contain_text("Không có hồ sơ quá hạn")
    expect(tile(page, "pages_per_day")).to_have_text("0,13")  # 4 pages over 30 days, vi-VN decimal comma
    expect(page.locator("#period")).to_contain_text("(30 ngày)")

    # Charts: 30 daily buckets; today's point on both rate lines, one bar for today's pages.
    expect(page.locator("#c-digitized svg circle.point")).to_have_count(1)
    expect(page.locator("#c-digitized svg .target-line")).to_have_count(1)
    expect(page.locator("#c-reuse svg circle.point")).to_have_count(1)
    expect(page.locator("#c-pages svg rect.bar")).to_have_count(1)
    assert page.locator("#c-pages svg rect.bar title").text_content().endswith(": 4 trang (4 hồ sơ)")

    # Per procedure, with Vietnamese names, and the total.
    rows = page.locator("#t-proc tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Đăng ký kết hôn")
    expect(rows.nth(1)).to_contain_text("Đăng ký khai sinh")
    expect(page.locator("#t-proc tfoot")).to_contain_text("Tổng cộng")
    expect(page.locator("#t-corr tbody")).to_have_text("Chưa có dữ liệu")  # nothing reviewed yet

    # Fits 1366×768 without horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "leader")

    # CSV of the same period.
    with page.expect_download() as dl:
        page.get_by_role("link", name="Tải CSV").click()
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("from,to,agency,procedure,received,digitized_at_reception,share_digitized")
    assert any(line.startswith(f"{lines[1][:22]}{A},1.001193,3,1,0.3333,") for line in lines), lines
    assert any(line.startswith(f"day,{today},{today},4,1,0.25,") for line in lines), lines

    # Today only, then one procedure from the select.
    page.get_by_label("Từ ngày").fill(shown_today)
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#period")).to_contain_text("(1 ngày)")
    expect(page.get_by_label("Từ ngày")).to_have_value(shown_today)
    expect(tile(page, "received")).to_have_text("4")
    expect(tile(page, "pages_per_day")).to_have_text("4")
    assert f"from={today}&to={today}" in page.url
    page.get_by_label("Thủ tục", exact=True).select_option("1.001193")
    page.get_by_role("button", name="Xem").click()
    expect(tile(page, "received")).to_have_text("3")
    expect(tile(page, "share_digitized")).to_have_text("33,3 %")
    expect(page.get_by_role("link", name="Tải CSV")).to_have_attribute(
        "href", f"/api/figures?from={today}&to={today}&procedure=1.001193&format=csv"
    )
    expect(rows).to_have_count(1)

    # A free procedure code, and a bad period refused in Vietnamese before any call.
    page.get_by_label("Thủ tục", exact=True).select_option("*")
    page.get_by_label("Mã thủ tục").fill("1.000894")
    page.get_by_role("button", name="Xem").click()
    expect(tile(page, "received")).to_have_text("1")
    page.get_by_label("Từ ngày").fill("02/01/2099")
    page.get_by_label("Đến ngày").fill("01/01/2099")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#filter-error")).to_have_text("Từ ngày phải trước hoặc bằng đến ngày.")
    page.get_by_label("Từ ngày").fill("31/02/2099")  # no such day
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#filter-error")).to_have_text("Ngày ghi theo dạng ngày/tháng/năm, ví dụ 08/11/2026.")

    # An empty period renders sensibly.
    page.get_by_label("Thủ tục", exact=True).select_option("")
    page.get_by_label("Từ ngày").fill("1/1/2020")  # a day and a month of one digit are read too
    page.get_by_label("Đến ngày").fill("31/03/2020")
    page.get_by_role("button", name="Xem").click()
    expect(tile(page, "received")).to_have_text("0")
    expect(page.locator("#filter-error")).to_have_text("")
    expect(page.get_by_label("Từ ngày")).to_have_value("01/01/2020")
    expect(tile(page, "share_digitized")).to_have_text("–")
    for chart in ("#c-digitized", "#c-reuse", "#c-pages"):
        expect(page.locator(chart)).to_have_text("Chưa có dữ liệu")
    expect(page.locator("#t-proc tbody")).to_have_text("Chưa có dữ liệu")
    expect(page.locator("#c-digitized-cap")).to_have_text("Tỷ lệ hồ sơ số hóa khi tiếp nhận theo tuần")  # 91 days
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "leader-empty")
    page.context.close()
