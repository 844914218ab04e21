"""The counter's and the reviewer's tools (issue 13, item 7), over real HTTP and real SQL on a demo server reading
with the fake engine (what is read does not matter here: the fake reader's pages have no words, so a dossier's
pages read as one bundled "Giấy tờ khác"): split, merge and change of type as one operation the reading keeps;
a page turned and read again in its place; a decision undone the same day, out of the repository, audited;
rejection reasons from a list."""

from __future__ import annotations

import httpx

from digitize.devtools import synth
from digitize.people.demo import CITIZEN
from forms.catalog import default_catalog
from tests.support.servers import login, wait_done

KHAC = "khac"
CARD_NAME = default_catalog().document_types["can_cuoc"].name


def page_png(seed: int) -> tuple[str, bytes, str]:
    return (f"p{seed}.png", synth.encode(synth.render_page(seed=seed, paragraphs=1).image), "image/png")


def three_pages(c: httpx.Client) -> tuple[str, dict]:
    d = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()["dossier"]
    files = [("files", page_png(seed)) for seed in (11, 12, 13)]
    assert c.post(f"/api/dossiers/{d}/files", files=files).status_code == 202
    return d, wait_done(c, d)


def grouping(st: dict) -> list[tuple[str, list[int], str | None]]:
    """The documents' types, pages and who grouped them, by their first page."""
    return sorted(((x["type"], x["pages"], x["grouped_by"]) for x in st["documents"]), key=lambda g: g[1][0])


def test_split_merge_and_type_are_one_operation_the_reading_keeps(counter, reviewer, fake_reading_server):
    d, st = three_pages(counter)
    assert grouping(st) == [(KHAC, [0, 1, 2], None)]  # three wordless pages: one bundled paper

    # Split: page 1 is an ID card. The bundle loses it; its other pages are grouped by the reading again.
    r = counter.post(f"/api/dossiers/{d}/documents", json={"pages": [1], "type": "can_cuoc"})
    assert r.status_code == 201, r.text
    card = r.json()["document"]
    assert grouping(r.json()["dossier"]) == [(KHAC, [0, 2], None), ("can_cuoc", [1], "quay1")]
    assert next(x for x in r.json()["dossier"]["documents"] if x["id"] == card)["name"] == CARD_NAME
    identity = next(c for c in r.json()["dossier"]["checklist"] if c["component"] == "giay_to_tuy_than")
    assert identity["satisfied"], "the checklist is refreshed with the officer's card"

    # Moving pages reads the dossier again: the officer's card stands.
    assert counter.put(f"/api/dossiers/{d}/pages", json={"order": [2, 1, 0]}).status_code == 202
    assert grouping(wait_done(counter, d)) == [(KHAC, [0, 2], None), ("can_cuoc", [1], "quay1")]

    # Merge, by the reviewer: pages 0 and 1 are one two-page tờ khai; page 2 is left, a bundle of its own.
    r = reviewer.post(f"/api/dossiers/{d}/documents", json={"pages": [0, 1], "type": "to_khai_khai_sinh"})
    assert r.status_code == 201, r.text
    assert grouping(r.json()["dossier"]) == [("to_khai_khai_sinh", [0, 1], "duyet1"), (KHAC, [2], None)]

    # Change of type: the same pages, read again as the type said.
    rest = next(x["id"] for x in r.json()["dossier"]["documents"] if x["pages"] == [2])
    r = counter.put(f"/api/documents/{rest}/type", json={"type": "giay_khai_sinh"})
    assert r.status_code == 200, r.text
    doc = counter.get(f"/api/documents/{r.json()['document']}").json()
    assert (doc["type"], doc["page_indexes"], doc["name"]) == ("giay_khai_sinh", [2], "Giấy khai sinh (bản chính)")

    # Refused: an unknown type, no pages, a page the dossier lacks.
    assert counter.post(f"/api/dossiers/{d}/documents", json={"pages": [0], "type": "nope"}).status_code == 422
    assert counter.post(f"/api/dossiers/{d}/documents", json={"pages": [], "type": KHAC}).status_code == 422
    assert counter.post(f"/api/dossiers/{d}/documents", json={"pages": [9], "type": KHAC}).status_code == 404
    # Back to "Giấy tờ khác" (not a type of the catalog's, the type of what is none of them) is a choice too.
    r = counter.put(f"/api/documents/{doc['id']}/type", json={"type": KHAC})
    assert r.status_code == 200 and counter.get(f"/api/documents/{r.json()['document']}").json()["type"] == KHAC

    with httpx.Client(base_url=fake_reading_server, timeout=60) as admin:
        login(admin, "quantri1")
        events = admin.get("/api/audit", params={"limit": 50}).json()
    grouped = [e for e in events if e["action"] == "document.group"]
    assert {(e["actor"], tuple(e["detail"]["pages"])) for e in grouped} >= {("quay1", (1,)), ("duyet1", (0, 1))}


def test_pages_of_a_decided_paper_are_not_moved_or_turned(counter, reviewer):
    d, st = three_pages(counter)
    bundle = st["documents"][0]["id"]
    assert reviewer.post(f"/api/documents/{bundle}/approve", json={}).status_code == 200
    r = counter.post(f"/api/dossiers/{d}/documents", json={"pages": [2], "type": "can_cuoc"})
    assert r.status_code == 409 and r.json()["error"] == "document_decided", r.text
    assert "hoàn tác" in r.json()["reason_vi"] and str(bundle) in r.json()["reason"]
    r = counter.post(f"/api/dossiers/{d}/pages/2/rotation", json={"degrees": 90})
    assert r.status_code == 409 and r.json()["error"] == "document_decided", r.text


def test_a_turned_page_is_read_again_in_its_place(counter):
    d = counter.post("/api/dossiers", json={"procedure": "1.001193"}).json()["dossier"]
    files = [("files", page_png(seed)) for seed in (21, 22)]
    assert counter.post(f"/api/dossiers/{d}/files", files=files).status_code == 202
    st = wait_done(counter, d)
    before = counter.get(f"/api/dossiers/{d}/pages/1").json()
    assert counter.post(f"/api/dossiers/{d}/pages/1/rotation", json={"degrees": 45}).status_code == 422
    r = counter.post(f"/api/dossiers/{d}/pages/1/rotation", json={"degrees": 90})
    assert r.status_code == 202, r.text
    st = wait_done(counter, d)
    after = counter.get(f"/api/dossiers/{d}/pages/1").json()
    assert (after["width_px"], after["height_px"]) == (before["height_px"], before["width_px"])
    assert after["rotation"] == 270  # turned 90° clockwise by hand: the content had suffered a 270° turn
    assert [p["index"] for p in st["pages"]] == [0, 1] and st["rereading"] == [] and st["scans"]["pending"] == 0
    assert grouping(st) == [(KHAC, [0, 1], None)]
    # Turned back: the page is as it was scanned.
    assert counter.post(f"/api/dossiers/{d}/pages/1/rotation", json={"degrees": 270}).status_code == 202
    wait_done(counter, d)
    again = counter.get(f"/api/dossiers/{d}/pages/1").json()
    assert (again["width_px"], again["height_px"], again["rotation"]) == (before["width_px"], before["height_px"], 0)


def ecopy(c: httpx.Client, doc_id: int) -> bytes:
    link = c.get(f"/api/documents/{doc_id}/download")
    assert link.status_code == 200, link.text
    return c.get(link.json()["url"]).content


def test_an_approval_undone_the_same_day_leaves_the_repository(counter, reviewer, fake_reading_server):
    d, st = three_pages(counter)
    card = counter.post(f"/api/dossiers/{d}/documents", json={"pages": [0], "type": "can_cuoc"}).json()["document"]
    assert reviewer.post(f"/api/documents/{card}/approve", json={}).status_code == 200
    assert card in [p["id"] for p in counter.get(f"/api/citizens/{CITIZEN[0]}/papers").json()]
    pdf = ecopy(reviewer, card)
    assert reviewer.post("/api/verify", files={"file": ("c.pdf", pdf, "application/pdf")}).status_code == 200

    assert card in [x["id"] for x in reviewer.get("/api/review/decided").json()]
    r = reviewer.post(f"/api/documents/{card}/undo")
    assert r.status_code == 200, r.text
    assert card not in [x["id"] for x in reviewer.get("/api/review/decided").json()]
    assert (r.json()["state"], r.json()["decided_by"], r.json()["certified"], r.json()["signed_by"]) == (
        "extracted",
        None,
        False,
        None,
    )
    assert card not in [p["id"] for p in counter.get(f"/api/citizens/{CITIZEN[0]}/papers").json()]
    assert reviewer.get(f"/api/documents/{card}/download").status_code == 409
    v = reviewer.post("/api/verify", files={"file": ("c.pdf", pdf, "application/pdf")})
    assert v.status_code == 422 and v.json()["issued_here"] and v.json()["state"] == "extracted", v.text
    assert card in [q["id"] for q in reviewer.get("/api/review/queue").json()]
    assert counter.post(f"/api/documents/{card}/undo").status_code == 403  # the counter does not decide
    with httpx.Client(base_url=fake_reading_server, timeout=60) as elsewhere:  # a reviewer of another agency
        assert login(elsewhere, "duyet2").post(f"/api/documents/{card}/undo").status_code == 404
    again = reviewer.post(f"/api/documents/{card}/undo")
    assert again.status_code == 409 and again.json()["error"] == "not_decided"

    with httpx.Client(base_url=fake_reading_server, timeout=60) as admin:
        login(admin, "quantri1")
        undone = [e for e in admin.get("/api/audit").json() if e["action"] == "document.undo"]
    assert undone[0]["actor"] == "duyet1" and undone[0]["object_id"] == str(card)
    assert undone[0]["detail"]["state"] == "approved" and undone[0]["detail"]["decided_by"] == "duyet1"


def test_a_reused_paper_is_not_undone(counter, reviewer):
    d, _ = three_pages(counter)
    card = counter.post(f"/api/dossiers/{d}/documents", json={"pages": [0], "type": "can_cuoc"}).json()["document"]
    assert reviewer.post(f"/api/documents/{card}/approve", json={}).status_code == 200
    other = counter.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()
    assert counter.post(f"/api/dossiers/{other['dossier']}/reuse", json={"document_ids": [card]}).status_code == 200
    r = reviewer.post(f"/api/documents/{card}/undo")
    assert r.status_code == 409 and r.json()["error"] == "paper_reused" and "dùng lại" in r.json()["reason_vi"]


def test_a_rejection_has_a_reason_from_the_list_and_words_and_is_undone(counter, reviewer):
    reasons = reviewer.get("/api/review/reject-reasons").json()
    assert {"code": "unreadable", "label": "Ảnh mờ, không đọc được"} in reasons and reasons[-1]["code"] == "other"
    d, st = three_pages(counter)
    doc = st["documents"][0]["id"]
    bad = reviewer.post(f"/api/documents/{doc}/reject", json={"code": "nope", "reason": "x"})
    assert bad.status_code == 422 and bad.json()["error"] == "unknown_reason"
    words_needed = reviewer.post(f"/api/documents/{doc}/reject", json={"code": "other", "reason": "  "})
    assert words_needed.status_code == 422 and words_needed.json()["error"] == "reason_required"
    r = reviewer.post(f"/api/documents/{doc}/reject", json={"code": "unreadable", "reason": "góc trái bị tối"})
    assert r.status_code == 200 and r.json()["reject_reason"] == "Ảnh mờ, không đọc được: góc trái bị tối"
    st = counter.get(f"/api/dossiers/{d}").json()
    assert any(w["code"] == "document_rejected" for w in st["warnings"])
    r = reviewer.post(f"/api/documents/{doc}/undo")
    assert r.status_code == 200 and (r.json()["state"], r.json()["reject_reason"]) == ("extracted", None)
    st = counter.get(f"/api/dossiers/{d}").json()
    assert not any(w["code"] == "document_rejected" for w in st["warnings"])
