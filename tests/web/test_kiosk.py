"""The rating screen (/danh-gia) in a real browser: a second page of the counter's browser, turned towards the
citizen, follows the dossier the officer opens (its code and procedure, nothing of the citizen), takes a rating with
its aspects and a comment by touch, sends it once however often it is tapped, thanks and waits again; a complaint
reaches the leaders' page, which shows the satisfaction tile and chart and answers it. Screenshots for a person to
judge: kiosk-waiting, kiosk-choose, kiosk-rating, kiosk-thanks (1280×800), kiosk-rating-1920, counter-rating and
leader-satisfaction."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from digitize.people.demo import CITIZEN
from tests.support.browser import open_page, shot
from tests.support.paths import ARTIFACTS

TABLET, MONITOR = {"width": 1280, "height": 800}, {"width": 1920, "height": 1080}
SEEN_WITHIN = 5_000  # the BroadcastChannel tells the screen at once; polling alone would take up to 2 s

# Every visible control of the screen: inside the window, and at least 64 px each way (a finger, not a mouse).
CONTROLS = """() => [...document.querySelectorAll('button, textarea, label.k-tick')]
  .filter((e) => e.offsetParent !== null)
  .map((e) => { const r = e.getBoundingClientRect();
                return {name: e.getAttribute('aria-label') || e.textContent.trim(), w: r.width, h: r.height,
                        right: r.right, bottom: r.bottom}; })"""


def check_controls(kiosk) -> None:
    size = kiosk.viewport_size
    controls = kiosk.evaluate(CONTROLS)
    assert controls
    small = [c for c in controls if c["w"] < 64 or c["h"] < 64]
    outside = [c for c in controls if c["right"] > size["width"] + 0.5 or c["bottom"] > size["height"] + 0.5]
    assert not small, small
    assert not outside, (size, outside)


def open_at_counter(counter) -> str:
    counter.get_by_label("Thủ tục hành chính (tên hoặc mã)").fill("1.001193")
    counter.get_by_label("Số định danh cá nhân của công dân").fill(CITIZEN[0])
    counter.get_by_role("button", name="Mở hồ sơ").click()
    code = counter.locator("#dossier-code")
    expect(code).to_have_text(re.compile(r"-\d{4}$"))
    return code.text_content()


def no_personal_data(kiosk) -> None:
    text = kiosk.locator("body").inner_text()
    for secret in (CITIZEN[0], CITIZEN[1], "001*******23", "Trần Thị Quầy", "quay1"):
        assert secret not in text, secret
    assert kiosk.locator("nav").count() == 0  # no way from the citizen's screen into the counter's pages


def test_the_citizen_rates_at_the_counter_and_the_leader_answers(browser, fake_reading_server):
    url = fake_reading_server
    counter = open_page(browser, url, "quay1")
    kiosk = counter.context.new_page()
    kiosk.set_viewport_size(TABLET)
    dialogs = []
    kiosk.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    posted = []
    kiosk.on("request", lambda r: posted.append(r.url) if r.method == "POST" and r.url.endswith("/rating") else None)
    kiosk.goto(url + "/danh-gia")
    expect(kiosk.get_by_role("heading", name="Kính chào ông/bà")).to_be_visible()
    no_personal_data(kiosk)
    shot(kiosk, "kiosk-waiting")

    code = open_at_counter(counter)
    expect(kiosk.locator("#k-code")).to_have_text(code, timeout=SEEN_WITHIN)
    expect(kiosk.locator("#k-proc")).to_have_text("Đăng ký khai sinh")
    expect(kiosk.get_by_text("Cán bộ mời ông/bà đánh giá")).to_be_hidden()
    counter.get_by_role("tab", name="Trả kết quả").click()  # at hand-over
    counter.get_by_role("button", name="Mời đánh giá").click()
    expect(kiosk.get_by_text("Cán bộ mời ông/bà đánh giá")).to_be_visible(timeout=SEEN_WITHIN)
    no_personal_data(kiosk)
    check_controls(kiosk)
    shot(kiosk, "kiosk-choose")

    kiosk.get_by_role("button", name="Hài lòng", exact=True).click()
    expect(kiosk.get_by_role("button", name="Hài lòng", exact=True)).to_have_attribute("aria-pressed", "true")
    kiosk.get_by_role("button", name="Hướng dẫn: Rất hài lòng").click()
    kiosk.get_by_role("button", name="Thái độ của công chức: Hài lòng").click()
    kiosk.get_by_role("button", name="Thời gian giải quyết: Bình thường").click()
    kiosk.get_by_label("Ý kiến của ông/bà (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình, dễ hiểu.")
    check_controls(kiosk)
    shot(kiosk, "kiosk-rating")
    kiosk.set_viewport_size(MONITOR)
    check_controls(kiosk)
    shot(kiosk, "kiosk-rating-1920")
    kiosk.set_viewport_size(TABLET)

    kiosk.get_by_role("button", name="Gửi đánh giá").dblclick()  # a double tap
    expect(kiosk.get_by_role("heading", name="Cảm ơn ông/bà đã đánh giá!")).to_be_visible()
    shot(kiosk, "kiosk-thanks")
    # The counter sees it live, and cannot invite again.
    expect(counter.locator("#rating-state")).to_contain_text("Công dân đã đánh giá: Hài lòng (4/5)", timeout=10_000)
    expect(counter.get_by_role("button", name="Đã đánh giá")).to_be_disabled()
    shot(counter, "counter-rating")
    expect(kiosk.get_by_role("heading", name="Kính chào ông/bà")).to_be_visible(timeout=15_000)  # back to waiting
    assert len(posted) == 1, posted
    dossier = counter.evaluate("state.dossier")
    figures = counter.context.request.get(url + "/api/dossiers/" + dossier).json()["rating"]
    assert (figures["score"], figures["moment"], figures["complaint"]) == (4, "handover", False)

    # The next citizen's dossier: a complaint must say what it is about, in the page, never in a browser dialog.
    counter.get_by_role("button", name="Hồ sơ mới").click()
    second = open_at_counter(counter)
    expect(kiosk.locator("#k-code")).to_have_text(second, timeout=SEEN_WITHIN)
    kiosk.get_by_role("button", name="Không hài lòng", exact=True).click()
    kiosk.get_by_label("Đây là phản ánh, kiến nghị").check()
    kiosk.get_by_role("button", name="Gửi đánh giá").click()
    expect(kiosk.get_by_role("alert")).to_have_text("Xin ghi nội dung phản ánh, kiến nghị vào ô ý kiến.")
    kiosk.get_by_label("Ý kiến của ông/bà (không bắt buộc)").fill("Phải chờ quá lâu mới được tiếp nhận.")
    kiosk.get_by_role("button", name="Gửi đánh giá").click()
    expect(kiosk.get_by_text("đã được chuyển tới lãnh đạo đơn vị")).to_be_visible()
    assert not dialogs, dialogs
    counter.context.close()

    leader_answers(browser, url, second)


def leader_answers(browser, url: str, code: str) -> None:
    """Two ratings today, one satisfied (4) and one not (2, a complaint): the tiles, the chart, the tables; the
    leader answers the complaint in the page."""
    page = open_page(browser, url, "lanhdao1")
    expect(page.locator('.tile[data-key="share_satisfied"] .tile-value')).to_have_text("50 %")
    expect(page.locator('.tile[data-key="share_satisfied"] .tile-sub')).to_contain_text("1/2 lượt hài lòng")
    expect(page.locator('.tile[data-key="share_satisfied"] .tile-sub')).to_contain_text("điểm TB 3/5")
    expect(page.locator('.tile[data-key="open_complaints"] .tile-value')).to_have_text("1")
    expect(page.locator("#c-sat svg circle.point")).to_have_count(1)
    assert page.locator("#c-sat svg circle.point title").text_content().endswith(": 50 % (1/2 lượt đánh giá)")
    expect(page.locator("#t-sat tbody tr")).to_have_count(1)
    expect(page.locator("#t-sat tbody tr")).to_contain_text("Đăng ký khai sinh")
    expect(page.locator("#t-sat-officers tbody tr")).to_contain_text("Trần Thị Quầy")
    item = page.locator("#complaint-list li.complaint")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(code)
    expect(item).to_contain_text("Phải chờ quá lâu mới được tiếp nhận.")
    expect(item).to_contain_text("Không hài lòng (2/5)")
    section = page.locator("#h-satisfaction")
    section.scroll_into_view_if_needed()
    top = section.bounding_box()["y"] + page.evaluate("scrollY")
    bottom = page.locator("#complaints").bounding_box()
    end = bottom["y"] + bottom["height"] + page.evaluate("scrollY")
    out = ARTIFACTS / "screens" / "leader-satisfaction.png"
    page.screenshot(path=str(out), full_page=True, clip={"x": 0, "y": top - 8, "width": 1366, "height": end - top + 16})

    item.get_by_label(f"Trả lời phản ánh hồ sơ {code}").fill("Đơn vị đã bố trí thêm cán bộ tiếp nhận giờ cao điểm.")
    item.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator("#complaint-list")).to_contain_text("Không có phản ánh, kiến nghị chờ trả lời.")
    expect(page.locator('.tile[data-key="open_complaints"] .tile-value')).to_have_text("0")
    page.get_by_role("tab", name="Đã trả lời").click()
    expect(page.locator("#complaint-list li.complaint")).to_contain_text("Trả lời (lanhdao1")
    page.context.close()
