"""The one-stop counter's forms (issue 13; Circular 01/2018/TT-VPCP, docs/forms.md) from the API: who handed the
dossier in and what was received fill the receipt; a component only shown is not received; an incomplete dossier
gets the request to supplement instead of a receipt and no date; a refusal, an apology with a new date, the
control slip from the audit trail, the tracking book as JSON and as CSV for Excel. Over real HTTP and SQL, on a demo
server reading with the fake engine (what is read does not matter here)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from digitize.people.demo import CITIZEN
from tests.support.servers import login

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
APPLICANT = {"name": "Nguyễn Thị Nộp", "address": "Số 7, thôn Mẫu, xã Mẫu Một", "phone": "0912 345 678"}


def opened(c: httpx.Client, **extra) -> dict:
    r = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0], **extra})
    assert r.status_code == 201, r.text
    return r.json()


def test_the_receipt_names_the_applicant_and_counts_what_was_received(counter):
    st = opened(counter, applicant=APPLICANT)
    d = st["dossier"]
    assert st["handling"]["applicant"] == {**APPLICANT, "email": None, "consent": False}
    assert st["handling"]["outcome"] is None
    counts = {"to_khai": {"originals": 1, "copies": 0}, "giay_chung_sinh": {"originals": 1, "copies": 2},
              "giay_to_tuy_than": {"presented": True}}  # fmt: skip
    r = counter.put(f"/api/dossiers/{d}/details", json={"handed_in": counts})
    assert r.status_code == 200, r.text
    checklist = {x["component"]: x for x in counter.get(f"/api/dossiers/{d}").json()["checklist"]}
    assert checklist["giay_to_tuy_than"]["satisfied"] and checklist["giay_to_tuy_than"]["presented"]
    assert not checklist["giay_chung_sinh"]["satisfied"]  # counted, not scanned: not digitized
    form = counter.get(f"/api/dossiers/{d}/forms/receipt").json()
    assert form["form"] == "01" and form["title"] == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    assert form["applicant"]["name"] == APPLICANT["name"] and form["applicant"]["phone"] == APPLICANT["phone"]
    assert form["request"] == "Đăng ký khai sinh" and form["officer"] == "Trần Thị Quầy"
    rows = {x["component"]: x for x in form["components"]}
    assert (rows["giay_chung_sinh"]["originals"], rows["giay_chung_sinh"]["copies"]) == (1, 2)
    assert rows["giay_chung_sinh"]["state"] == "Đã nhận"
    shown = rows["giay_to_tuy_than"]  # the ID card is shown and handed back: never "received"
    assert shown["state"] == "Đã xuất trình, không thu" and shown["originals"] == shown["copies"] == 0
    assert rows["giay_uy_quyen"]["state"] == "Không nộp"
    received = datetime.fromisoformat(st["created_at"]).astimezone(HCM)
    assert (
        form["received_at"]
        == f"{received:%H} giờ {received:%M} phút, ngày {received:%d} tháng {received:%m} năm {received:%Y}"
    )
    assert form["due_on"] == st["due_date"] and form["due_weekday"].endswith(
        date.fromisoformat(st["due_date"]).strftime("%d/%m/%Y")
    )
    assert form["book"]["number"] == st["code"].rsplit("-", 1)[1].lstrip("0")
    control = counter.get(f"/api/dossiers/{d}/forms/control").json()
    assert control["form"] == "05" and control["steps"][0]["step"] == "Tiếp nhận hồ sơ, số hóa"
    assert control["steps"][0]["by"] == "Trần Thị Quầy" and control["steps"][0]["timing"] == "Đúng hạn"


def test_an_incomplete_dossier_gets_the_request_to_supplement_not_a_receipt(counter):
    d = opened(counter, applicant=APPLICANT)["dossier"]
    no_reason = counter.post(f"/api/dossiers/{d}/outcome", json={"outcome": "supplement"})
    assert no_reason.status_code == 422 and no_reason.json()["error"] == "reason_required"
    r = counter.post(f"/api/dossiers/{d}/outcome",
                     json={"outcome": "supplement", "reason": "Thiếu giấy chứng sinh bản chính"})  # fmt: skip
    assert r.status_code == 200 and r.json()["outcome"] == "supplement" and r.json()["due_date"] is None, r.text
    form = counter.get(f"/api/dossiers/{d}/forms/supplement").json()
    assert form["form"] == "02" and form["reason"] == "Thiếu giấy chứng sinh bản chính"
    assert "Giấy chứng sinh hoặc văn bản xác nhận việc sinh" in form["missing"] and form["guide"] == "Trần Thị Quầy"
    refused = counter.get(f"/api/dossiers/{d}/forms/receipt")
    assert refused.status_code == 409 and refused.json()["error"] == "form_not_applicable"
    # The citizen comes back with the paper: received after all, the date promised from now.
    back = counter.post(f"/api/dossiers/{d}/outcome", json={"outcome": "received"}).json()
    assert back["outcome"] is None and back["due_date"] is not None
    assert counter.get(f"/api/dossiers/{d}/forms/receipt").status_code == 200


def test_a_refusal_and_an_apology_with_a_new_date(counter):
    d = opened(counter)["dossier"]
    r = counter.post(f"/api/dossiers/{d}/outcome", json={"outcome": "refused",
                     "reason": "Thủ tục không thuộc thẩm quyền giải quyết của UBND xã"})  # fmt: skip
    assert r.status_code == 200, r.text
    form = counter.get(f"/api/dossiers/{d}/forms/refusal").json()
    assert form["form"] == "03" and form["reason"].startswith("Thủ tục không thuộc")
    assert form["applicant"]["name"] == CITIZEN[1] or form["applicant"]["name"] == ""  # the citizen's known name

    late = opened(counter, applicant=APPLICANT)
    d, due = late["dossier"], date.fromisoformat(late["due_date"])
    assert counter.get(f"/api/dossiers/{d}/forms/apology").status_code == 409
    same = counter.post(f"/api/dossiers/{d}/delay", json={"new_due_date": due.isoformat(), "reason": "Chờ xác minh"})
    assert same.status_code == 422 and same.json()["error"] == "bad_new_date"
    new = due + timedelta(days=3)
    r = counter.post(f"/api/dossiers/{d}/delay", json={"new_due_date": new.isoformat(), "reason": "Chờ xác minh"})
    assert r.status_code == 200 and r.json()["new_due_date"] == new.isoformat(), r.text
    form = counter.get(f"/api/dossiers/{d}/forms/apology").json()
    assert form["form"] == "04" and form["new_due"] == f"ngày {new:%d} tháng {new:%m} năm {new:%Y}"
    assert form["reason"] == "Chờ xác minh"
    steps = [x["step"] for x in counter.get(f"/api/dossiers/{d}/forms/control").json()["steps"]]
    assert steps == ["Tiếp nhận hồ sơ, số hóa", "Hẹn lại ngày trả kết quả"]


def test_the_tracking_book_as_json_and_as_csv_for_excel(counter):
    d = opened(counter, applicant=APPLICANT)
    today = datetime.now(HCM).date().isoformat()
    book = counter.get("/api/tracking-book", params={"from": today, "to": today}).json()
    row = next(x for x in book["rows"] if x["code"] == d["code"])
    assert row["applicant"] == APPLICANT["name"] and row["contact"] == f"{APPLICANT['address']}, {APPLICANT['phone']}"
    assert row["procedure"] == "Đăng ký khai sinh" and row["received"] == today  # ISO in the API
    r = counter.get("/api/tracking-book", params={"from": today, "to": today, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not Windows-1252
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert all(x[7] == today for x in table[1:] if x[1] == d["code"])  # dates ISO: Excel reads them as dates
    assert len(table) == len(book["rows"]) + 1
    line = next(x for x in table if x[1] == d["code"])
    assert line[6] == f"{APPLICANT['address']}, {APPLICANT['phone']}"  # a comma inside a field stays one field
    assert b"\r\n" in r.content


def test_bad_details_and_other_roles_and_agencies_are_refused(counter, fake_reading_server):
    d = opened(counter)["dossier"]
    unknown = counter.put(f"/api/dossiers/{d}/details", json={"handed_in": {"khong_co": {"originals": 1}}})
    assert unknown.status_code == 422 and unknown.json()["error"] == "unknown_component"
    phone = counter.put(f"/api/dossiers/{d}/details", json={"applicant": {"phone": "gọi tôi"}})
    assert phone.status_code == 422 and phone.json()["error"] == "bad_request"
    negative = counter.put(f"/api/dossiers/{d}/details", json={"handed_in": {"to_khai": {"originals": -1}}})
    assert negative.status_code == 422
    assert counter.get(f"/api/dossiers/{d}/forms/nothing").json()["error"] == "unknown_form"
    with httpx.Client(base_url=fake_reading_server, timeout=60) as other:
        login(other, "duyet1")
        r = other.put(f"/api/dossiers/{d}/details", json={"applicant": {"name": "X"}})
        assert r.status_code == 403 and r.json()["reason_vi"]
    with httpx.Client(base_url=fake_reading_server, timeout=60) as other:
        login(other, "quay2")  # another agency's counter: as if there were no such dossier
        assert other.get(f"/api/dossiers/{d}/forms/receipt").status_code == 404
        assert other.post(f"/api/dossiers/{d}/outcome", json={"outcome": "received"}).status_code == 404
