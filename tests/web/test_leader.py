"""The leaders' page (/lanh-dao) in a real browser, on activity seeded through the HTTP API by a counter."""

from __future__ import annotations

import random
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy import text as text_sql

from digitize.core.config import Settings
from digitize.devtools import synth
from digitize.devtools.synth_forms import from_catalog
from forms.catalog import default_catalog
from tests.support.browser import open_page, shot
from tests.support.net import stop
from tests.support.paths import ARTIFACTS
from tests.support.servers import start_demo_server

A = "000.00.31.H29"
CITIZEN = "001099000123"  # the demo citizen
REASON = "Ảnh mờ, đề nghị chụp lại"


@pytest.fixture(scope="module")
def leader_server(tmp_path_factory):
    """A demo server of its own, with its data folder: the test makes a dossier overdue in its database."""
    tmp = tmp_path_factory.mktemp("leader")
    proc, url = start_demo_server(tmp)
    try:
        yield url, tmp / "data"
    finally:
        stop(proc, grace=30)


def seed_activity(browser, url: str, data_dir: Path) -> list[str]:
    """As quay1, today, for the demo citizen: a certified copy whose one paper is read (complete: digitized), a
    birth registration with its tờ khai only (read, but lacking the giấy chứng sinh and the card: not digitized),
    one with a blank sheet, a marriage registration with a blank sheet, and a certified copy whose paper duyet1
    rejects (not digitized). duyet1 corrects the mother's name on the tờ khai and approves it. The blank birth
    registration's promised date is then put three days back (in the database): it is overdue."""
    counter = open_page(browser, url, "quay1")
    req = counter.request
    text = synth.encode(synth.render_page(seed=7, paragraphs=2).image, "png")
    other = synth.encode(synth.render_page(seed=8, paragraphs=2).image, "png")
    to_khai = synth.encode(from_catalog(default_catalog().document_types["to_khai_khai_sinh"], random.Random(5)).image)
    blank = synth.encode(np.full((3508, 2480), 255, np.uint8), "png")
    papers = [("2.000815", text), ("1.001193", to_khai), ("1.001193", blank), ("1.000894", blank), ("2.000815", other)]
    dossiers = []
    for procedure, page in papers:
        r = req.post(url + "/api/dossiers", data={"procedure": procedure, "citizen_id": CITIZEN})
        assert r.status == 201, r.text()
        d = r.json()["dossier"]
        dossiers.append(d)
        r = req.post(f"{url}/api/dossiers/{d}/files",
                     multipart={"files": {"name": "trang-1.png", "mimeType": "image/png", "buffer": page}})  # fmt: skip
        assert r.status == 202, r.text()
    # A dossier opened with nothing handed in is not received at all.
    assert req.post(url + "/api/dossiers", data={"procedure": "1.001193"}).status == 201
    deadline = time.monotonic() + 240
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

    review(browser, url, dossiers)
    with create_engine(Settings(data_dir=data_dir).sqlalchemy_url).begin() as db:
        late = db.execute(text_sql("UPDATE dossiers SET due_date = :d WHERE id = :id"),
                          {"d": vn_today() - timedelta(days=3), "id": dossiers[2]})  # fmt: skip
        assert late.rowcount == 1
    return dossiers


def vn_today():
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def review(browser, url: str, dossiers: list[str]) -> None:
    """duyet1 corrects the mother's name on the tờ khai and approves it, and rejects the second copy's paper."""
    page = open_page(browser, url, "duyet1")
    req = page.request
    docs = [req.get(f"{url}/api/dossiers/{d}").json()["documents"] for d in dossiers]
    (to_khai,) = [x for x in docs[1] if x["type"] == "to_khai_khai_sinh"]
    r = req.put(f"{url}/api/documents/{to_khai['id']}/fields/mother_name", data={"value": "Nguyễn Thị Mẹ"})
    assert r.status == 200, r.text()
    r = req.post(f"{url}/api/documents/{to_khai['id']}/approve", data={"accept_invalid": True, "owner_id": CITIZEN})
    assert r.status == 200, r.text()
    assert docs[4], "the copy's paper was read as a document"
    r = req.post(f"{url}/api/documents/{docs[4][0]['id']}/reject", data={"reason": REASON})
    assert r.status == 200, r.text()
    page.context.close()


def tile(page, key: str):
    return page.locator(f'.tile[data-key="{key}"] .tile-value')


def iso(shown: str) -> str:
    """dd/mm/yyyy as the page shows a date, as the API's YYYY-MM-DD."""
    day, month, year = shown.split("/")
    assert len(day) == len(month) == 2 and len(year) == 4, shown
    return f"{year}-{month}-{day}"


def test_leader_page_shows_the_figures(browser, leader_server):
    web_server, data_dir = leader_server
    seed_activity(browser, web_server, data_dir)

    page = open_page(browser, web_server, "lanhdao1")
    assert urlsplit(page.url).path == "/lanh-dao"  # the period goes into the query once the page has loaded
    # Default period: the last 30 days, today included (5 dossiers, 1 of them digitized at reception: the others
    # lack a required component, 5 pages read, 2 of them blank).
    expect(tile(page, "received")).to_have_text("5")
    expect(page.get_by_label("Từ ngày")).not_to_have_value("")
    # Dates are shown and typed as in Vietnam, dd/mm/yyyy, whatever the browser's own date format (issue 13).
    shown_today = page.get_by_label("Đến ngày").input_value()
    today = iso(shown_today)
    assert iso(page.get_by_label("Từ ngày").input_value()) < today
    expect(tile(page, "share_digitized")).to_have_text("20 %")
    expect(page.locator('.tile[data-key="share_digitized"]')).to_have_class("tile warn")  # under the 80 % target
    expect(page.locator('.tile[data-key="share_digitized"] .tile-sub')).to_contain_text("1/5 hồ sơ")
    expect(tile(page, "reuse_rate")).to_have_text("0 %")
    expect(tile(page, "share_results_digitized")).to_have_text("–")  # no result issued: no share
    expect(tile(page, "share_on_time")).to_have_text("–")  # none returned
    expect(page.locator('.tile[data-key="share_on_time"] .tile-sub')).to_contain_text("1 hồ sơ quá hạn chưa trả")
    expect(tile(page, "pages_per_day")).to_have_text("0,17")  # 5 pages over 30 days, vi-VN decimal comma
    expect(page.locator("#period")).to_contain_text("(30 ngày)")

    # Charts: 30 daily buckets; today's point on both rate lines, one bar for today's pages.
    expect(page.locator("#c-digitized svg circle.point")).to_have_count(1)
    expect(page.locator("#c-digitized svg .target-line")).to_have_count(1)
    expect(page.locator("#c-reuse svg circle.point")).to_have_count(1)
    expect(page.locator("#c-pages svg rect.bar")).to_have_count(1)
    assert page.locator("#c-pages svg rect.bar title").text_content().endswith(": 5 trang (5 hồ sơ)")

    # Per procedure, with Vietnamese names, and the total.
    rows = page.locator("#t-proc tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Đăng ký kết hôn")
    expect(rows.nth(1)).to_contain_text("Đăng ký khai sinh")
    expect(rows.nth(2)).to_contain_text("Chứng thực bản sao")
    expect(page.locator("#t-proc tfoot")).to_contain_text("Tổng cộng")
    seen_new_tables(page, shown_today)

    # Fits 1366×768 without horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "leader")
    page.locator("#h-officers").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "screens" / "leader-tables.png"))  # what 1366×768 shows of them

    # One CSV file per table, for Excel: a byte-order mark, then the Vietnamese headers.
    def download(what: str) -> str:
        with page.expect_download() as dl:
            page.get_by_role("link", name=f"Tải CSV: {what}").click()
        data = Path(dl.value.path()).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), data[:20]
        return data[3:].decode("utf-8")

    lines = download("số liệu theo thủ tục").split("\r\n")
    assert lines[0].startswith("Cơ quan,Mã thủ tục,Thủ tục,Hồ sơ tiếp nhận,Số hóa khi tiếp nhận,Tỷ lệ số hóa")
    assert f"{A},1.001193,Đăng ký khai sinh,2,0,0.0,0,0,,0,,0,0,,1,0,0,0.0,0,0,2,0.07" in lines, lines
    assert any(line.startswith(f"Ngày,{today},{today},1,5,1,0.2,") for line in download("diễn biến theo kỳ").split())
    officers = download("số liệu theo cán bộ").split("\r\n")
    assert officers[0].startswith("Tài khoản,Họ và tên,Hồ sơ tiếp nhận,Trang")
    assert "quay1,Trần Thị Quầy,5,5,0,0,0,0" in officers and "duyet1,Lê Văn Duyệt,0,0,0,1,1,1" in officers
    assert f'"{REASON}",1,' in download("lý do từ chối")
    assert ",001*******23," in download("hồ sơ quá hạn")
    assert "Tờ khai đăng ký khai sinh,Mẹ," in download("tỷ lệ sửa dữ liệu")

    # Today only, then one procedure from the select.
    page.get_by_label("Từ ngày").fill(shown_today)
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#period")).to_contain_text("(1 ngày)")
    expect(page.get_by_label("Từ ngày")).to_have_value(shown_today)
    expect(tile(page, "received")).to_have_text("5")
    expect(tile(page, "pages_per_day")).to_have_text("5")
    assert f"from={today}&to={today}" in page.url
    page.get_by_label("Thủ tục", exact=True).select_option("1.001193")
    page.get_by_role("button", name="Xem").click()
    expect(tile(page, "received")).to_have_text("2")
    expect(tile(page, "share_digitized")).to_have_text("0 %")  # its tờ khai alone is not the whole dossier
    expect(page.get_by_role("link", name="Tải CSV: số liệu theo thủ tục")).to_have_attribute(
        "href", f"/api/figures?from={today}&to={today}&procedure=1.001193&format=csv&table=procedures"
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
    for chart in ("#c-digitized", "#c-reuse", "#c-pages", "#c-sat"):
        expect(page.locator(chart)).to_have_text("Chưa có dữ liệu")
    expect(page.locator("#t-proc tbody")).to_have_text("Chưa có dữ liệu")
    expect(tile(page, "share_satisfied")).to_have_text("–")  # nobody rated: no share (tests/web/test_kiosk.py)
    for table in ("#t-corr", "#t-officers", "#t-rej", "#t-sat", "#t-sat-officers"):
        expect(page.locator(table + " tbody")).to_have_text("Chưa có dữ liệu")
    expect(page.locator("#t-late tbody")).to_have_text("Không có hồ sơ quá hạn")
    # Each table's "nothing" spans all its columns.
    spans = page.evaluate("""[...document.querySelectorAll('.figures-table')].map((t) =>
        [t.id, t.querySelectorAll('thead th').length, Number(t.querySelector('tbody td.no-data').colSpan)])""")
    assert all(n == span for _, n, span in spans) and len(spans) == 7, spans
    expect(page.locator("#c-digitized-cap")).to_have_text("Tỷ lệ hồ sơ số hóa khi tiếp nhận theo tuần")  # 91 days
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "leader-empty")
    page.context.close()


def seen_new_tables(page, shown_today: str) -> None:
    """Corrections with whose field each is, per officer, rejections and the overdue list, as the seed made them."""
    mother = page.locator("#t-corr tbody tr", has_text="Họ, chữ đệm, tên người mẹ")
    expect(mother.locator("td.person")).to_have_text("Mẹ")
    expect(mother.locator("td.num").nth(1)).to_have_text("1")  # corrected
    expect(page.locator("#t-corr tbody tr", has_text="Giới tính").locator("td.person")).to_have_text("Con")
    quay1 = page.locator('#t-officers tbody tr[data-user="quay1"]')
    expect(quay1).to_contain_text("Trần Thị Quầy")
    expect(quay1.locator("td")).to_have_text(["5", "5", "0", "0", "0", "0"])
    expect(page.locator('#t-officers tbody tr[data-user="duyet1"] td')).to_have_text(["0", "0", "0", "1", "1", "1"])
    expect(page.locator("#t-rej tbody tr")).to_have_count(1)
    expect(page.locator("#t-rej tbody tr td")).to_have_text([REASON, "1"])
    expect(page.locator("#t-rej tbody th")).to_contain_text("Giấy tờ kháctừ chối 1/1 tài liệu")
    late = page.locator("#t-late tbody tr")
    expect(late).to_have_count(1)
    due = (datetime.strptime(shown_today, "%d/%m/%Y") - timedelta(days=3)).strftime("%d/%m/%Y")
    expect(late.locator("td")).to_have_text(
        ["Đăng ký khai sinh", "001*******23", re.compile(shown_today + r" \d\d:\d\d"), due, "3 ngày"]
    )
