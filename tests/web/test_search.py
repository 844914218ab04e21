"""Finding dossiers again in the pages (issue 14): the header's search box at the counter, in review, for the leader
and the citizen (hits as one types, the words found marked, opened with the keyboard), the dossier list with its
filters kept in the address, and the handheld scanner typing a receipt's code.

One demo server for the module, its pages read by tests.support.fake_reader:read_scan_with_text (each PNG carries
the Vietnamese words the test gave it: what is tested is finding them, not reading them)."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Error, expect

from digitize.people.demo import CITIZEN, DEMO_PASSWORD
from tests.support.browser import open_page, shot
from tests.support.fake_reader import NAME_WITH_TEXT, png_with_text
from tests.support.net import stop
from tests.support.paths import REPO
from tests.support.servers import login, start_demo_server, wait_done

LETTER = ("ĐƠN ĐỀ NGHỊ ĐĂNG KÝ KHAI SINH\nTôi tên là Nguyễn Văn Khoa, cư trú tại phường Quang Trung, quận Đống Đa, "
          "đề nghị đăng ký khai sinh cho con.")  # fmt: skip
BIRTH = "GIẤY CHỨNG SINH\nHọ và tên mẹ: Trần Thị Lan. Con: Nguyễn Thị Mai, sinh ngày 02/12/2026 tại Bệnh viện Đống Đa."
RESIDENCE = "GIẤY XÁC NHẬN THÔNG TIN CƯ TRÚ\nÔng Phạm Quốc Bảo, thường trú tại thôn Phú Lâm, xã Tiên Du."
GIVEN = ["Anh", "Bình", "Cúc", "Dũng", "Giang", "Hải", "Hằng", "Hùng", "Huệ", "Kiên", "Liên", "Long", "Mơ", "Nam",
         "Nga", "Phúc", "Quyên", "Sơn", "Tâm", "Thắng", "Uyên", "Vinh", "Xuân", "Yên"]  # fmt: skip
FILLERS = [f"Trần {'Văn' if k % 2 else 'Thị'} {name}" for k, name in enumerate(GIVEN)]
DMY = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def open_dossier(c: httpx.Client, procedure: str, applicant: str, citizen: str | None = None, *pages: str) -> dict:
    opened = c.post("/api/dossiers", json={"procedure": procedure, "citizen_id": citizen,
                                           "applicant": {"name": applicant}})  # fmt: skip
    assert opened.status_code == 201, opened.text
    d = opened.json()
    if pages:
        files = [("files", (f"trang-{k}.png", png_with_text(text), "image/png")) for k, text in enumerate(pages)]
        assert c.post(f"/api/dossiers/{d['dossier']}/files", files=files).status_code == 202
        d = wait_done(c, d["dossier"])
    return {"id": d["dossier"], "code": d["code"], "documents": [x["id"] for x in d.get("documents", [])]}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The server and what it holds for agency …31: Khoa's birth registration (read, its paper approved: the
    citizen's), Phạm Quốc Bảo's residence paper waiting for review, a marriage registration received by another
    officer (quay3), and 24 more of the Trần family (a list of more than a page, hits that overflow the panel)."""
    proc, url = start_demo_server(tmp_path_factory.mktemp("search-pages"), DIGITIZE_PAGE_READER=NAME_WITH_TEXT,
                                  PYTHONPATH=str(REPO))  # fmt: skip
    try:
        with httpx.Client(base_url=url, timeout=60) as c:
            login(c, "quantri1")
            assert c.post("/api/users", json={"username": "quay3", "full_name": "Ngô Thị Ba", "role": "counter",
                                              "password": DEMO_PASSWORD}).status_code == 201  # fmt: skip
            login(c, "quay3")
            marriage = open_dossier(c, "1.000894", "Lê Thị Hoa")
            login(c, "quay1")
            for name in FILLERS:
                open_dossier(c, "1.000894", name)
            residence = open_dossier(c, "1.001193", "Phạm Quốc Bảo", None, RESIDENCE)
            khoa = open_dossier(c, "1.001193", "Nguyễn Văn Khoa", CITIZEN[0], LETTER, BIRTH)
            login(c, "duyet1")
            r = c.post(f"/api/documents/{khoa['documents'][0]}/approve", json={"accept_invalid": True})
            assert r.status_code == 200, r.text
        yield {"url": url, "khoa": khoa, "residence": residence, "marriage": marriage}
    finally:
        stop(proc, grace=30)


def search_box(page):
    return page.get_by_role("searchbox", name="Tìm kiếm hồ sơ, giấy tờ")


def hits(page):
    return page.locator("#search-hits .hit")


def marked(hit) -> list[str]:
    return hit.locator("mark").all_inner_texts()


def in_a_row(words: list[str], seen: list[str]) -> bool:
    return any(seen[k : k + len(words)] == words for k in range(len(seen)))


def body_focus(page):
    """The focus on the page itself, as after a click on an empty place: where a scanner's keys go."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    assert page.evaluate("document.activeElement === document.body")


def test_the_counter_finds_as_it_types_and_opens_with_the_keyboard(browser, site):
    page = open_page(browser, site["url"], "quay1")
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/api/search" in r.url else None)
    search_box(page).click()
    page.keyboard.type("nguyen van kh", delay=60)  # a person's typing, without diacritics
    khoa = hits(page).filter(has_text=site["khoa"]["code"])
    expect(khoa.first).to_be_visible()
    # A request after a pause, not one per key (a loaded machine may pause once mid-word), the last for all of it.
    assert len(asked) <= 3 and asked[-1].split("?q=")[1].startswith("nguyen+van+kh&"), asked
    expect(page.locator("#search-status")).to_contain_text("kết quả")
    # The page of the letter: where it is (procedure, paper, page 1), its words marked as written, with diacritics.
    letter = khoa.filter(has_text="trang 1")
    expect(letter).to_have_count(1)
    expect(letter).to_contain_text("Đăng ký khai sinh · Giấy tờ khác · trang 1")
    assert in_a_row(["Nguyễn", "Văn", "Khoa"], marked(letter)), marked(letter)  # "KHAI" too: "kh" starts it
    dates = re.compile(r"^nhận \d{2}/\d{2}/\d{4} · hẹn trả \d{2}/\d{2}/\d{4}$")
    expect(letter.locator(".hit-dates")).to_have_text(dates)
    # The dossier itself (the applicant's name) is a hit too; the other agency's and other names are not.
    expect(khoa.filter(has_text="Thông tin hồ sơ")).to_have_count(1)
    expect(hits(page).filter(has_text="Lê Thị Hoa")).to_have_count(0)
    shot(page, "search-counter")

    # ↓ into the hits, ↓ ↑ between them, ↑ from the first back to the box; Enter opens the one with the focus.
    page.keyboard.press("ArrowDown")
    expect(hits(page).first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(search_box(page)).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(hits(page).nth(1)).to_be_focused()
    code = hits(page).nth(1).locator(".hit-code").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("#dossier-code")).to_have_text(code)
    assert "ho-so=" in page.url
    page.context.close()


def test_a_slow_answer_never_replaces_a_newer_one(browser, site):
    page = open_page(browser, site["url"], "quay1")
    held = []
    page.route(re.compile(r"/api/search\?q=khoa&"), lambda route: held.append(route))  # the first answer is late
    search_box(page).click()
    with page.expect_request(re.compile(r"/api/search\?q=khoa&")):
        page.keyboard.type("khoa", delay=40)
    with page.expect_event("requestfailed") as failed:  # typing on drops the request on its way
        page.keyboard.type(" nothing-of-that-sort")
    assert "q=khoa&" in failed.value.url and failed.value.failure
    expect(page.locator("#search-status")).to_contain_text("Không tìm thấy kết quả nào")
    with contextlib.suppress(Error):  # the late answer arrives after all (if it still can): it changes nothing
        held[0].continue_()
    expect(page.locator("#search-status")).to_contain_text("Không tìm thấy kết quả nào")
    expect(hits(page)).to_have_count(0)
    page.context.close()


def test_the_scanner_opens_the_dossier_and_a_person_typing_is_not_hijacked(browser, site):
    code = site["khoa"]["code"]
    page = open_page(browser, site["url"], "quay1")
    # A person typing the code with the focus on the page, then Enter: not a scanner, nothing opens.
    body_focus(page)
    page.keyboard.type(code, delay=120)
    page.keyboard.press("Enter")
    expect(page.locator("#search-panel")).to_be_hidden()  # a scan taken says so at once: "Đang tìm hồ sơ mã …"
    assert "ho-so=" not in page.url

    # The scanner: the code a few ms a key and Enter twice (CR LF); the dossier opens, once.
    opened, looked_up = [], []
    page.on("request", lambda r: opened.append(r.url) if r.resource_type == "document" else None)
    page.on("request", lambda r: looked_up.append(r.url) if "/api/search" in r.url else None)
    body_focus(page)
    page.keyboard.type(code + "\n\n", delay=5)
    expect(page.locator("#dossier-code")).to_have_text(code)
    assert len(looked_up) == 1 and len(opened) == 1 and f"ho-so={site['khoa']['id']}" in opened[0], opened

    # At the dossier, the officer types the applicant's name slowly, then Enter: it stays a name in its field.
    name = page.get_by_role("group", name="Người nộp hồ sơ").get_by_label("Họ và tên")
    name.fill("")
    name.click()
    page.keyboard.type("Nguyễn Văn Khoa", delay=120)
    page.keyboard.press("Enter")
    expect(name).to_have_value("Nguyễn Văn Khoa")
    expect(name).to_be_focused()
    # Even at a scanner's speed, what is typed into a text field stays there.
    address = page.get_by_role("group", name="Người nộp hồ sơ").get_by_label("Địa chỉ")
    address.click()
    page.keyboard.type(site["residence"]["code"] + "\n", delay=5)
    expect(address).to_have_value(site["residence"]["code"])
    expect(page.locator("#search-panel")).to_be_hidden()  # a scan taken says so at once: "Đang tìm hồ sơ mã …"
    address.fill("")
    assert len(opened) == 1 and len(looked_up) == 1

    # A receipt's QR holding a link with the code, scanned with the focus on a button: the dossier, not the button.
    page.goto(site["url"] + "/quay")
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    page.get_by_role("button", name="Mở hồ sơ").focus()
    page.keyboard.type(f"https://dichvucong.gov.vn/tra-cuu?ma={code}\n", delay=5)
    expect(page.locator("#dossier-code")).to_have_text(code)
    assert posted == [], posted  # the button's Enter was the scanner's: no dossier opened by it

    # Scanned into the search box; then a code that is nobody's.
    page.goto(site["url"] + "/quay")
    search_box(page).click()
    page.keyboard.type(site["residence"]["code"] + "\n", delay=5)
    expect(page.locator("#dossier-code")).to_have_text(site["residence"]["code"])
    body_focus(page)
    unknown = code[:-4] + "9999"
    page.keyboard.type(unknown + "\n", delay=5)
    expect(page.locator("#search-status")).to_have_text(f"Không tìm thấy hồ sơ mã {unknown}.")
    expect(page.locator("#dossier-code")).to_have_text(site["residence"]["code"])
    page.context.close()


def test_another_agency_finds_nothing(browser, site):
    page = open_page(browser, site["url"], "quay2")
    body_focus(page)
    page.keyboard.type(site["khoa"]["code"] + "\n", delay=5)
    expect(page.locator("#search-status")).to_have_text(f"Không tìm thấy hồ sơ mã {site['khoa']['code']}.")
    assert "ho-so=" not in page.url
    search_box(page).click()
    page.keyboard.type("nguyen van kh", delay=30)
    expect(page.locator("#search-status")).to_have_text("Không tìm thấy kết quả nào cho «nguyen van kh».")
    expect(hits(page)).to_have_count(0)
    search_box(page).fill("")  # words typed into the box as fast as a scanner types are searched as words
    page.keyboard.type("nguyen van khoa\n", delay=5)
    expect(page.locator("#search-status")).to_have_text("Không tìm thấy kết quả nào cho «nguyen van khoa».")
    page.context.close()


def test_at_657_pixels_the_panel_scrolls_inside_and_the_counter_does_not(browser, site):
    page = open_page(browser, site["url"], "quay1", height=657)
    search_box(page).click()
    page.keyboard.type("tran", delay=30)
    expect(hits(page)).to_have_count(20)
    expect(page.locator("#search-status")).to_contain_text("25 kết quả, đang xem 20")
    panel = page.locator("#search-panel")
    box = panel.bounding_box()
    assert box and box["y"] + box["height"] <= 657, box
    assert panel.evaluate("p => p.scrollHeight > p.clientHeight"), "20 hits fit in 657 pixels?"
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1"), "the page itself scrolls"
    shot(page, "search-counter-657")
    # "Xem thêm": the next hits below, the focus on the first of them.
    page.get_by_role("button", name="Xem thêm").click()
    expect(hits(page)).to_have_count(25)
    expect(hits(page).nth(20)).to_be_focused()
    expect(page.get_by_role("button", name="Xem thêm")).to_be_hidden()
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1"), "the page itself scrolls"
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(search_box(page)).to_be_focused()
    page.context.close()


def test_review_opens_the_paper_at_the_page_found(browser, site):
    page = open_page(browser, site["url"], "duyet1")
    search_box(page).click()
    page.keyboard.type("pham quoc bao", delay=30)
    hit = hits(page).filter(has_text="trang 1")
    expect(hit).to_have_count(1)
    assert marked(hit) == ["Phạm", "Quốc", "Bảo"], marked(hit)
    hit.click()
    expect(page.locator("#h-doc")).to_have_text(f"Giấy tờ khác · hồ sơ {site['residence']['code']}")
    expect(page.locator("#search-panel")).to_be_hidden()
    expect(page.get_by_role("button", name="Duyệt (Ctrl+Enter)")).to_be_enabled()
    search_box(page).click()
    expect(hit).to_be_visible()  # the box has the focus again: what it found is shown again
    shot(page, "search-review")
    page.keyboard.press("Escape")
    # The citizen's approved paper is shown, not decided again; from an address as the dossier list gives it.
    page.goto(f"{site['url']}/kiem-tra?giay-to={site['khoa']['documents'][0]}&trang=1")
    expect(page.locator("#h-doc")).to_have_text(f"Giấy tờ khác · hồ sơ {site['khoa']['code']}")
    expect(page.locator("#doc-meta")).to_contain_text("đã duyệt")
    expect(page.get_by_role("button", name="Duyệt (Ctrl+Enter)")).to_be_disabled()
    expect(page.locator("#page-tabs [aria-selected=true]")).to_have_text("Trang 2")
    page.context.close()


def test_the_leader_sees_the_hits_and_opens_the_control_slip(browser, site):
    page = open_page(browser, site["url"], "lanhdao1")
    search_box(page).click()
    page.keyboard.type("le thi hoa", delay=30)
    hit = hits(page).filter(has_text=site["marriage"]["code"])
    expect(hit).to_have_count(1)
    expect(page.locator("#search-status")).to_contain_text("phiếu kiểm soát")
    expect(hit).to_have_attribute("href", f"/quay/phieu/kiem-soat/{site['marriage']['id']}")
    shot(page, "search-leader")
    hit.click()
    expect(page.locator("main")).to_contain_text(site["marriage"]["code"])
    page.context.close()


def test_the_dossier_list_filters_and_keeps_them_in_the_address(browser, site):
    url = site["url"]
    page = open_page(browser, url, "quay1")
    page.get_by_role("link", name="Danh sách hồ sơ").click()
    rows = page.locator("#l-table tbody tr")
    expect(rows).to_have_count(25)
    expect(page.get_by_role("button", name="Trang sau ›")).to_be_enabled()
    page.get_by_role("button", name="Trang sau ›").click()
    expect(rows).to_have_count(2)
    assert "trang=2" in page.url

    # The marriages received by quay3: one; kept in the address, the same after a reload.
    page.get_by_label("Thủ tục").select_option("1.000894")
    expect(rows).to_have_count(25)  # a new filter starts at page 1
    page.get_by_label("Cán bộ tiếp nhận").fill("quay3")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(site["marriage"]["code"])
    expect(rows.first).to_contain_text("Đăng ký kết hôn")
    assert "thu-tuc=1.000894" in page.url and "can-bo=quay3" in page.url and "trang=" not in page.url
    page.reload()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Cán bộ tiếp nhận")).to_have_value("quay3")
    expect(page.get_by_label("Thủ tục")).to_have_value("1.000894")
    expect(rows.first.locator("td").nth(3)).to_have_text(DMY)  # received dd/mm/yyyy hh:mm

    # Days of receipt typed the Vietnamese way: up to yesterday, nothing; a day that does not exist, said so.
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    page.get_by_role("button", name="Xóa bộ lọc").click()
    expect(rows).to_have_count(25)
    page.get_by_label("Đến ngày").fill(f"{today - timedelta(days=1):%d/%m/%Y}")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page.locator("#l-count")).to_have_text("Không có hồ sơ nào khớp bộ lọc.")
    page.get_by_label("Đến ngày").fill("31/02/2026")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page.locator("#l-error")).to_have_text("Ngày «31/02/2026» không đúng dạng ngày/tháng/năm, ví dụ 08/11/2026.")
    page.get_by_label("Tiếp nhận từ ngày").fill(f"{today:%d/%m/%Y}")
    page.get_by_label("Đến ngày").fill(f"{today:%d/%m/%Y}")
    page.get_by_label("Quá hạn chưa trả").check()  # nothing is late yet
    expect(page.locator("#l-count")).to_have_text("Không có hồ sơ nào khớp bộ lọc.")
    assert "qua-han=1" in page.url
    page.get_by_label("Quá hạn chưa trả").uncheck()
    expect(rows).to_have_count(25)

    # Words typed: the search, grouped by dossier, the words marked where they were found.
    page.get_by_label("Từ khóa").fill("dong da")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(rows).to_have_count(1)
    found = rows.first.locator(".found-list li")
    expect(found).to_have_count(2)  # both pages of Khoa's dossier
    assert in_a_row(["Đống", "Đa"], marked(found.first)), marked(found.first)  # ĐĂNG too: "da" starts it
    expect(found.first).to_contain_text("Giấy tờ khác, trang")
    shot(page, "search-list")
    page.reload()
    expect(page.get_by_label("Từ khóa")).to_have_value("dong da")
    expect(rows).to_have_count(1)
    rows.first.locator("td").nth(1).click()  # anywhere on the row
    expect(page.locator("#dossier-code")).to_have_text(site["khoa"]["code"])

    # The scanner works on the list too, even when a busy machine delivers one of its keys late.
    page.goto(url + "/quay/ho-so")
    expect(rows).to_have_count(25)
    body_focus(page)
    page.keyboard.type(site["marriage"]["code"][:6], delay=5)
    page.wait_for_timeout(150)
    page.keyboard.type(site["marriage"]["code"][6:] + "\n", delay=5)
    expect(page.locator("#dossier-code")).to_have_text(site["marriage"]["code"])
    page.context.close()


def test_the_reviewer_list_opens_papers_in_review(browser, site):
    page = open_page(browser, site["url"], "duyet1")
    page.goto(site["url"] + "/quay/ho-so?q=phu+lam")
    rows = page.locator("#l-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator(".found-place").click()
    expect(page.locator("#h-doc")).to_have_text(f"Giấy tờ khác · hồ sơ {site['residence']['code']}")
    page.context.close()


def test_the_citizen_finds_their_own_papers(browser, site):
    page = open_page(browser, site["url"], CITIZEN[0], citizen=True)
    search_box(page).click()
    page.keyboard.type("nguyen thi mai", delay=30)
    hit = hits(page).filter(has_text="trang 2")
    expect(hit).to_have_count(1)
    assert in_a_row(["Nguyễn", "Thị", "Mai"], marked(hit)), marked(hit)  # "Trần Thị Lan" has a "Thị" too
    shot(page, "search-citizen")
    hit.focus()
    page.keyboard.press("Enter")
    paper = page.locator(f"#giay-to-{site['khoa']['documents'][0]}")
    expect(paper).to_be_focused()
    expect(paper).to_have_class(re.compile(r"\bfound\b"))
    # Another person's dossier is nobody's business here.
    search_box(page).fill("")
    search_box(page).click()
    page.keyboard.type("pham quoc bao", delay=30)
    expect(page.locator("#search-status")).to_have_text("Không tìm thấy kết quả nào cho «pham quoc bao».")
    page.context.close()
