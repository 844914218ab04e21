"""Satisfaction at the counter (issue 15) over real HTTP, on a demo server reading with the fake engine: one rating
per dossier (a second is 409, two at once record one), what is refused and why, another agency's dossier is 404,
complaints found in the comment's words with or without diacritics and answered by the leader, the rating screen's
dossier without the citizen's data, and the satisfaction figures counted from what the test recorded."""

from __future__ import annotations

import threading

import httpx
import pytest

from digitize.dossiers.ratings import is_complaint
from digitize.people.demo import CITIZEN, DEMO_PASSWORD
from tests.support.servers import login

MARRIAGE = "1.000894"  # rated only in test_satisfaction_figures: its figures are that test's alone


@pytest.fixture(scope="module")
def clients(fake_reading_server):
    out = {}
    for who in ("quay1", "quay2", "lanhdao1", "quantri1"):
        out[who] = login(httpx.Client(base_url=fake_reading_server, timeout=60), who)
    yield out
    for c in out.values():
        c.close()


def opened(c: httpx.Client, procedure: str = "1.001193", citizen: str | None = CITIZEN[0]) -> str:
    r = c.post("/api/dossiers", json={"procedure": procedure, "citizen_id": citizen})
    assert r.status_code == 201, r.text
    return r.json()["dossier"]


def rate(c: httpx.Client, dossier: str, **body) -> httpx.Response:
    return c.post(f"/api/dossiers/{dossier}/rating", json={"score": 4, **body})


def test_a_dossier_is_rated_once(clients):
    c = clients["quay1"]
    d = opened(c)
    r = rate(c, d, aspects={"guidance": 5, "attitude": 4}, comment="  Cán bộ   hướng dẫn tận tình. ")
    assert r.status_code == 201, r.text
    got = r.json()
    assert (got["score"], got["comment"], got["moment"]) == (4, "Cán bộ hướng dẫn tận tình.", "reception")
    assert got["aspects"] == {"guidance": 5, "attitude": 4, "time": None, "result": None}
    assert (got["recorded_by"], got["officer"], got["complaint"], got["flagged"]) == ("quay1", "quay1", False, False)
    assert got["procedure"] == "1.001193" and got["procedure_name"] == "Đăng ký khai sinh"
    assert got["at"].endswith("+00:00")  # sent with its offset
    assert CITIZEN[0] not in r.text and CITIZEN[1] not in r.text  # the screen faces the queue
    again = rate(c, d, score=1)
    assert again.status_code == 409 and again.json()["error"] == "already_rated", again.text
    assert again.json()["reason_vi"] == "Hồ sơ này đã được đánh giá."
    st = c.get(f"/api/dossiers/{d}").json()
    assert st["rating"]["score"] == 4 and st["rating"]["moment"] == "reception"  # the first one stands
    events = clients["quantri1"].get("/api/audit", params={"action": "rating.create"}).json()
    assert any(e["object_id"] == d and e["actor"] == "quay1" for e in events)


def test_two_ratings_at_once_record_one(clients, fake_reading_server):
    """Eight taps arriving together: the unique dossier_id lets one in, the others are 409 (a read-then-write
    would let several through)."""
    d = opened(clients["quay1"])
    taps = [login(httpx.Client(base_url=fake_reading_server, timeout=60), "quay1") for _ in range(8)]
    start = threading.Barrier(len(taps))
    codes: list[int] = []

    def tap(c: httpx.Client, score: int) -> None:
        start.wait()
        codes.append(rate(c, d, score=score).status_code)

    threads = [threading.Thread(target=tap, args=(c, 1 + i % 5)) for i, c in enumerate(taps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in taps:
        c.close()
    assert sorted(codes) == [201] + [409] * 7, codes
    st = clients["quay1"].get(f"/api/dossiers/{d}").json()
    assert st["rating"] is not None


@pytest.mark.parametrize(
    ("body", "error", "field"),
    [
        ({"score": 0}, "bad_score", "score"),
        ({"score": 6}, "bad_score", "score"),
        ({"score": 4, "aspects": {"time": 9}}, "bad_score", "time"),
        ({"score": 4.5}, "bad_request", "score"),
        ({"score": "5"}, "bad_request", "score"),  # a number, not text
        ({"score": True}, "bad_request", "score"),
        ({}, "bad_request", "score"),
        ({"score": 4, "aspects": {"speed": 3}}, "bad_request", "speed"),
        ({"score": 4, "comment": "x" * 1001}, "bad_request", "comment"),
        ({"score": 4, "moment": "later"}, "bad_moment", None),
        ({"score": 2, "complaint": True}, "complaint_without_text", None),
    ],
)
def test_a_bad_rating_is_refused_with_a_reason(clients, body, error, field):
    c = clients["quay1"]
    d = opened(c, citizen=None)
    r = c.post(f"/api/dossiers/{d}/rating", json=body)
    assert r.status_code == 422 and r.json()["error"] == error, r.text
    assert r.json()["reason"] and r.json()["reason_vi"]
    if field:
        assert field in r.json()["reason"]
    assert c.get(f"/api/dossiers/{d}").json()["rating"] is None  # nothing recorded


def test_another_agencys_dossier_is_not_found(clients):
    d = opened(clients["quay1"])
    for who, path, body in (("quay2", f"/api/dossiers/{d}/rating", {"score": 5}),
                            ("quay2", "/api/kiosk", {"dossier_id": d})):  # fmt: skip
        r = clients[who].request("POST" if path.endswith("rating") else "PUT", path, json=body)
        assert r.status_code == 404 and r.json()["error"] == "dossier_not_found", r.text
        assert CITIZEN[0] not in r.text
    for who in ("lanhdao1", "quantri1"):  # the figures' readers do not rate
        assert rate(clients[who], d).status_code == 403
    assert clients["quay1"].get(f"/api/dossiers/{d}").json()["rating"] is None
    # B's complaint: not in A's list, and A's leader cannot answer it.
    b = opened(clients["quay2"], citizen=None)
    mine = rate(clients["quay2"], b, score=1, comment="Tôi khiếu nại vì phải chờ lâu")
    assert mine.status_code == 201 and mine.json()["complaint"], mine.text
    listed = clients["lanhdao1"].get("/api/complaints").json()
    assert mine.json()["id"] not in [x["id"] for x in listed]
    r = clients["lanhdao1"].put(f"/api/complaints/{mine.json()['id']}", json={"answer": "Đã xem."})
    assert r.status_code == 404 and r.json()["error"] == "complaint_not_found", r.text


@pytest.mark.parametrize(
    ("comment", "flag", "complaint"),
    [
        ("toi muon phan anh ve thoi gian cho", False, True),  # typed without diacritics
        ("Tôi KIẾN NGHỊ bố trí thêm ghế chờ.", False, True),
        ("rat buc xuc", False, True),
        ("Đơn khiếu-nại", False, True),
        ("Cán bộ nhiệt tình, hướng dẫn rõ ràng", False, False),
        ("phản hồi nhanh, anh cán bộ vui vẻ", False, False),  # "phan" and "anh" but not together
        ("Chờ hơi lâu", True, True),  # the citizen ticked it
        (None, False, False),
    ],
)
def test_complaints_are_found_in_the_words(clients, comment, flag, complaint):
    assert is_complaint(comment) == (complaint and not flag)
    c = clients["quay1"]
    d = opened(c, citizen=None)
    r = rate(c, d, score=2, comment=comment, complaint=flag)
    assert r.status_code == 201, r.text
    assert (r.json()["complaint"], r.json()["flagged"]) == (complaint, flag)
    listed = [x["dossier_id"] for x in clients["lanhdao1"].get("/api/complaints", params={"state": "open"}).json()]
    assert (d in listed) == complaint


def test_the_leader_answers_a_complaint(clients):
    c, leader = clients["quay1"], clients["lanhdao1"]
    d = opened(c)
    made = rate(c, d, score=1, comment="Phản ánh: cán bộ không hướng dẫn").json()
    open_ = leader.get("/api/complaints", params={"state": "open"})
    assert open_.status_code == 200
    mine = next(x for x in open_.json() if x["id"] == made["id"])
    assert mine["state"] == "open" and mine["answer"] is None and mine["code"] == made["code"]
    assert mine["citizen_id"] == "001*******23" and CITIZEN[1] not in open_.text  # masked, as the figures do
    ats = [x["at"] for x in open_.json()]
    assert ats == sorted(ats)  # the longest waiting first

    assert c.put(f"/api/complaints/{made['id']}", json={"answer": "x"}).status_code == 403  # the counter does not
    empty = leader.put(f"/api/complaints/{made['id']}", json={"answer": " \n "})
    assert empty.status_code == 422 and empty.json()["error"] == "answer_required"
    r = leader.put(f"/api/complaints/{made['id']}", json={"answer": "Đơn vị đã nhắc nhở công chức.\nXin cảm ơn."})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["state"], got["answered_by"]) == ("answered", "lanhdao1")
    assert got["answer"] == "Đơn vị đã nhắc nhở công chức.\nXin cảm ơn." and got["answered_at"].endswith("+00:00")
    assert made["id"] not in [x["id"] for x in leader.get("/api/complaints", params={"state": "open"}).json()]
    answered = leader.get("/api/complaints", params={"state": "answered"}).json()
    assert made["id"] in [x["id"] for x in answered]
    events = clients["quantri1"].get("/api/audit", params={"action": "complaint.answer"}).json()
    assert any(e["object_id"] == str(made["id"]) and e["actor"] == "lanhdao1" for e in events)
    # A rating that is no complaint has nothing to answer.
    plain = rate(c, opened(c, citizen=None), score=5).json()
    assert leader.put(f"/api/complaints/{plain['id']}", json={"answer": "x"}).status_code == 404
    assert leader.get("/api/complaints", params={"state": "maybe"}).status_code == 422


def test_the_rating_screen_follows_the_counter(clients):
    c = clients["quay1"]
    d = opened(c)
    assert c.put("/api/kiosk", json={"dossier_id": None}).json()["dossier"] is None
    shown = c.put("/api/kiosk", json={"dossier_id": d})
    assert shown.status_code == 200, shown.text
    code = c.get(f"/api/dossiers/{d}").json()["code"]
    polled = c.get("/api/kiosk")
    assert polled.json() == {"dossier": {"id": d, "code": code, "procedure": "1.001193",
                                         "procedure_name": "Đăng ký khai sinh"},
                             "invited": False, "moment": None, "rated": False}  # fmt: skip
    assert CITIZEN[0] not in polled.text and CITIZEN[1] not in polled.text
    invited = c.put("/api/kiosk", json={"dossier_id": d, "invite": True, "moment": "handover"}).json()
    assert (invited["invited"], invited["moment"]) == (True, "handover")
    assert c.put("/api/kiosk", json={"dossier_id": d}).json()["invited"]  # the page reloaded: still invited
    assert rate(c, d, moment=c.get("/api/kiosk").json()["moment"]).json()["moment"] == "handover"
    assert c.get("/api/kiosk").json()["rated"]
    again = c.put("/api/kiosk", json={"dossier_id": d, "invite": True})
    assert again.status_code == 409 and again.json()["error"] == "already_rated"
    other = opened(c)
    assert not c.put("/api/kiosk", json={"dossier_id": other}).json()["invited"]  # another dossier: no invitation
    # Each officer's screen is their own; the other roles have none.
    assert clients["quay2"].get("/api/kiosk").json()["dossier"] is None
    assert clients["lanhdao1"].get("/api/kiosk").status_code == 403


def test_a_handover_rating_by_default_once_the_result_is_recorded(clients):
    c = clients["quay1"]
    d = opened(c, citizen=None)
    assert c.post(f"/api/dossiers/{d}/results", data={"document_type": "giay_khai_sinh"}).status_code == 201
    assert rate(c, d).json()["moment"] == "handover"


def test_satisfaction_figures(clients, fake_reading_server):
    """Four ratings of marriage registrations, counted by hand: quay1 receives all four, and quay3 (a second
    counter of agency A) hands the last one over and records its rating."""
    admin = clients["quantri1"]
    made = admin.post("/api/users", json={"username": "quay3", "full_name": "Ngô Thị Ba", "password": DEMO_PASSWORD,
                                          "role": "counter"})  # fmt: skip
    assert made.status_code == 201, made.text
    c = clients["quay1"]
    d = [opened(c, MARRIAGE, citizen=None) for _ in range(4)]
    assert rate(c, d[0], score=5, aspects={"guidance": 5, "attitude": 4}).status_code == 201
    complaint = rate(c, d[1], score=2, aspects={"attitude": 1, "time": 2}, comment="Tôi kiến nghị rút ngắn thời gian")
    assert complaint.status_code == 201 and complaint.json()["complaint"]
    assert rate(c, d[2], score=4, moment="handover").status_code == 201
    with httpx.Client(base_url=fake_reading_server, timeout=60) as third:
        answered = rate(login(third, "quay3"), d[3], score=3, comment="Chờ lâu", complaint=True)
    assert answered.status_code == 201 and answered.json()["officer"] == "quay1"
    r = clients["lanhdao1"].put(f"/api/complaints/{answered.json()['id']}", json={"answer": "Đã bố trí thêm quầy."})
    assert r.status_code == 200

    f = clients["lanhdao1"].get("/api/figures", params={"procedure": MARRIAGE}).json()["satisfaction"]
    scores = [5, 2, 4, 3]
    assert (f["ratings"], f["mean_score"]) == (4, round(sum(scores) / 4, 2))
    assert (f["satisfied"], f["share_satisfied"]) == (2, 0.5)  # 5 and 4
    assert f["scores"] == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 1}
    assert (f["mean_guidance"], f["mean_attitude"], f["mean_time"], f["mean_result"]) == (5.0, 2.5, 2.0, None)
    assert f["aspect_ratings"] == {"guidance": 1, "attitude": 2, "time": 1, "result": 0}
    assert (f["complaints"], f["open_complaints"]) == (2, 1)  # d1 open, d3 answered
    assert {m: x["ratings"] for m, x in f["moments"].items()} == {"handover": 1, "reception": 3}
    officers = {o["username"]: (o["ratings"], o["mean_score"], o["full_name"]) for o in f["officers"]}
    assert officers == {"quay1": (3, round(11 / 3, 2), "Trần Thị Quầy"), "quay3": (1, 3.0, "Ngô Thị Ba")}
    points = [p for p in f["series"]["points"] if p["ratings"]]
    assert f["series"]["bucket"] == "day" and len(f["series"]["points"]) == 30
    assert [(p["ratings"], p["mean_score"], p["share_satisfied"]) for p in points] == [(4, 3.5, 0.5)]
    (row,) = f["procedures"]
    assert (row["procedure"], row["ratings"], row["mean_score"]) == (MARRIAGE, 4, 3.5)
    # Unfiltered, the marriage row is the same; the agency's total holds the other tests' ratings too.
    everything = clients["lanhdao1"].get("/api/figures").json()["satisfaction"]
    assert next(x for x in everything["procedures"] if x["procedure"] == MARRIAGE) == row
    assert everything["ratings"] > 4
    csv = clients["lanhdao1"].get("/api/figures", params={"procedure": MARRIAGE, "format": "csv",
                                                          "table": "satisfaction"})  # fmt: skip
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Cơ quan,Mã thủ tục,Thủ tục,Lượt đánh giá,Điểm trung bình,Hài lòng và rất hài lòng")
    assert lines[1] == f"000.00.31.H29,{MARRIAGE},Đăng ký kết hôn,4,3.5,2,0.5,2,5.0,2.5,2.0,"
