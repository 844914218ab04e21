"""The result handed back at the counter (issue 13, item 5): one per dossier, so a second click records nothing
(409 result_exists, also when two arrive at once) unless the officer says the new one replaces the first; who
collected it is kept; its scan's pages are the result's, not pages handed in; a refused result's scan stays stored
as a refused file and is never read into the dossier. Over real HTTP, on a demo server reading with the fake
engine (what is read does not matter here)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from digitize.devtools import synth
from digitize.people.demo import CITIZEN
from tests.support.servers import decide_all, login, wait_done

COLLECTOR = {"collector_name": "Nguyễn Văn Mẫu", "collector_id": CITIZEN[0]}


def scan(seed: int) -> tuple[str, bytes, str]:
    return (f"kq{seed}.png", synth.encode(synth.render_page(seed=seed, paragraphs=1).image), "image/png")


def received_dossier(c: httpx.Client, reviewed: bool = True) -> str:
    """A citizen's dossier read, and (`reviewed`) its papers decided on: what a result waits for."""
    d = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()["dossier"]
    assert c.post(f"/api/dossiers/{d}/files", files=[("files", scan(1))]).status_code == 202
    wait_done(c, d)
    if reviewed:
        assert decide_all(str(c.base_url), d)
    return d


def test_a_result_waits_for_the_review_of_the_papers_handed_in(counter):
    d = received_dossier(counter, reviewed=False)
    early = counter.post(f"/api/dossiers/{d}/results", files=[("files", scan(2))], data=COLLECTOR)
    assert early.status_code == 409 and early.json()["error"] == "not_reviewed", early.text
    waiting = early.json()["documents"]
    assert waiting and "chưa được kiểm tra" in early.json()["reason_vi"]
    st = wait_done(counter, d)
    assert st["results"] == [] and st["files"][-1]["error"] == "not_reviewed"  # the scan kept, set aside
    assert decide_all(str(counter.base_url), d) == waiting
    late = counter.post(f"/api/dossiers/{d}/results", files=[("files", scan(3))], data=COLLECTOR)
    assert late.status_code == 201, late.text


def test_a_second_result_is_refused_unless_it_replaces_the_first(counter):
    d = received_dossier(counter)
    first = counter.post(f"/api/dossiers/{d}/results", files=[("files", scan(2))], data=COLLECTOR)
    assert first.status_code == 201, first.text
    assert first.json()["collector"] == {"name": "Nguyễn Văn Mẫu", "id_number": CITIZEN[0]}
    again = counter.post(f"/api/dossiers/{d}/results", files=[("files", scan(3))], data=COLLECTOR)
    assert again.status_code == 409 and again.json()["error"] == "result_exists", again.text
    assert again.json()["result"]["id"] == first.json()["id"] and "Thay kết quả đã ghi" in again.json()["reason_vi"]
    st = wait_done(counter, d)
    assert [r["id"] for r in st["results"]] == [first.json()["id"]]
    # The refused scan is kept, as a refused file, and no page of it was read into the dossier.
    refused = st["files"][-1]
    assert refused["name"] == "kq3.png" and refused["error"] == "result_exists" and refused["sha256"]
    assert st["scans"]["pending"] == 0 and len(st["result_pages"]) == 1 and len(st["pages"]) == 2
    assert st["result_pages"] == [p["index"] for p in st["pages"] if p["source"].startswith("kq2.png")]

    replaced = counter.post(f"/api/dossiers/{d}/results", files=[("files", scan(4))],
                            data={**COLLECTOR, "replaces": "true"})  # fmt: skip
    assert replaced.status_code == 201, replaced.text
    st = wait_done(counter, d)
    assert [(r["id"], r["replaced_by"]) for r in st["results"]] == [
        (first.json()["id"], replaced.json()["id"]), (replaced.json()["id"], None)
    ]  # fmt: skip
    assert len(st["result_pages"]) == 2  # both scans of issued papers are kept, apart from the intake pages


def test_two_clicks_at_once_record_one_result(counter, fake_reading_server):
    d = received_dossier(counter)
    cookies = dict(counter.cookies)

    def click(seed: int) -> int:
        with httpx.Client(base_url=fake_reading_server, timeout=60, cookies=cookies) as c:
            return c.post(f"/api/dossiers/{d}/results", files=[("files", scan(seed))], data=COLLECTOR).status_code

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(click, (5, 6)))
    assert codes == [201, 409]
    assert len(wait_done(counter, d)["results"]) == 1


def test_a_bad_collector_is_refused_and_the_scan_kept(counter):
    d = received_dossier(counter)
    r = counter.post(f"/api/dossiers/{d}/results", files=[("files", scan(7))],
                     data={"collector_name": "Lê Thị Nhận", "collector_id": "12345"})  # fmt: skip
    assert r.status_code == 422 and r.json()["error"] == "bad_id_number", r.text
    st = wait_done(counter, d)
    assert st["results"] == [] and st["files"][-1]["error"] == "bad_id_number" and st["files"][-1]["sha256"]
    assert st["scans"]["pending"] == 0 and st["result_pages"] == []


def issued(url: str) -> int:
    with httpx.Client(base_url=url, timeout=60) as leader:
        login(leader, "lanhdao1")
        return leader.get("/api/figures").json()["total"]["results_issued"]


def test_the_figures_count_a_replaced_result_once(counter, fake_reading_server):
    d = received_dossier(counter)
    before = issued(fake_reading_server)
    for replaces in ("false", "true"):
        r = counter.post(f"/api/dossiers/{d}/results", data={**COLLECTOR, "replaces": replaces})
        assert r.status_code == 201, r.text
    assert issued(fake_reading_server) == before + 1
