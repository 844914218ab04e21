"""The two public routes of issue 14, without a login, over real HTTP and real SQL on a demo server reading with the
fake engine (what is read does not matter here): a dossier's status from its receipt's code and the last four
digits of the citizen's ID number, and whether a certified e-copy is ours and valid, from its file or the text of
its QR code. Each says nothing else, answers a guess exactly as a wrong code, and holds guessing back per address
and per code (429 with Retry-After) in the running service.

The server sits behind no proxy here, and uvicorn takes X-Forwarded-For from a loopback client as a proxy's: each
test speaks from addresses of its own, as citizens behind the agency's reverse proxy would."""

from __future__ import annotations

import io
from datetime import date, timedelta
from itertools import count

import httpx
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from digitize.devtools import synth
from digitize.people.demo import AGENCIES, CITIZEN
from forms.catalog import default_catalog
from tests.support.servers import login, wait_done

CARD = default_catalog().document_types["can_cuoc"].name
AGENCY = AGENCIES["000.00.31.H29"]
LAST4 = CITIZEN[0][-4:]
_addresses = count(1)


def anyone(url: str) -> httpx.Client:
    """A client with no session, from an address no other test uses."""
    return httpx.Client(base_url=url, timeout=60, headers={"X-Forwarded-For": f"10.14.0.{next(_addresses)}"})


def opened(c: httpx.Client) -> dict:
    r = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]})
    assert r.status_code == 201, r.text
    return r.json()


def look_up(c: httpx.Client, code: str, digits: str) -> httpx.Response:
    return c.post("/api/public/status", json={"code": code, "id_last4": digits})


def approved_card(counter: httpx.Client, reviewer: httpx.Client) -> tuple[int, bytes]:
    """A one-page dossier whose page the counter calls an ID card and a reviewer approves: its id and e-copy."""
    d = opened(counter)["dossier"]
    page = ("p.png", synth.encode(synth.render_page(seed=41, paragraphs=1).image), "image/png")
    assert counter.post(f"/api/dossiers/{d}/files", files=[("files", page)]).status_code == 202
    wait_done(counter, d)
    card = counter.post(f"/api/dossiers/{d}/documents", json={"pages": [0], "type": "can_cuoc"}).json()["document"]
    assert reviewer.post(f"/api/documents/{card}/approve", json={}).status_code == 200
    link = reviewer.get(f"/api/documents/{card}/download").json()["url"]
    return card, reviewer.get(link).content


@pytest.fixture(scope="module")
def card(fake_reading_server) -> tuple[int, bytes]:
    """An approved ID card's e-copy, for the tests that only check it (one signing for all of them)."""
    with (
        httpx.Client(base_url=fake_reading_server, timeout=60) as counter,
        httpx.Client(base_url=fake_reading_server, timeout=60) as reviewer,
    ):
        return approved_card(login(counter, "quay1"), login(reviewer, "duyet1"))


def qr_text(pdf: bytes) -> str:
    """The text of the copy's QR code, as a scanner reads it off the stamp (the signature keeps the same text)."""
    return str(PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0].sig_object["/DigitizeQR"])


def with_field(text: str, key: str, value: str) -> str:
    return "|".join(f"{key}={value}" if part.startswith(key + "=") else part for part in text.split("|"))


# --- the dossier's status ---------------------------------------------------------------------------------------


def test_the_code_and_four_digits_tell_the_state_and_date_and_nothing_else(counter, fake_reading_server):
    d = opened(counter)
    with anyone(fake_reading_server) as c:
        r = look_up(c, f"  {d['code'].lower()} ", LAST4)  # typed in lower case, with spaces: still the code
    assert r.status_code == 200, r.text
    assert r.json() == {"code": d["code"], "state": "in_progress", "state_vi": "Đang xử lý",
                        "due_date": d["due_date"], "new_due_date": None}  # fmt: skip
    assert CITIZEN[0] not in r.text and CITIZEN[1] not in r.text
    # Someone read the dossier's state: on its agency's audit trail, from where.
    events = login(counter, "quantri1").get("/api/audit", params={"action": "dossier.status.read"}).json()
    assert [(e["object_id"], e["role"], e["ip"]) for e in events][:1] == [
        (d["dossier"], "anonymous", r.request.headers["x-forwarded-for"])
    ]


def test_the_state_follows_the_counter(counter, fake_reading_server):
    asked, refused, late, handed, issued = (opened(counter) for _ in range(5))
    for d, outcome, reason in ((asked, "supplement", "Thiếu giấy chứng sinh"), (refused, "refused", "Sai thẩm quyền")):
        r = counter.post(f"/api/dossiers/{d['dossier']}/outcome", json={"outcome": outcome, "reason": reason})
        assert r.status_code == 200, r.text
    new_date = (date.fromisoformat(late["due_date"]) + timedelta(days=3)).isoformat()
    r = counter.post(
        f"/api/dossiers/{late['dossier']}/delay", json={"new_due_date": new_date, "reason": "Chờ xác minh"}
    )
    assert r.status_code == 200, r.text
    r = counter.post(f"/api/dossiers/{handed['dossier']}/results", data={"collector_name": "Nguyễn Văn Mẫu"})
    assert r.status_code == 201, r.text
    assert counter.post(f"/api/dossiers/{issued['dossier']}/results", data={}).status_code == 201
    with anyone(fake_reading_server) as c:
        named = {"asked": asked, "refused": refused, "late": late, "handed": handed, "issued": issued}
        seen = {k: look_up(c, d["code"], LAST4).json() for k, d in named.items()}
    assert {k: (v["state"], v["state_vi"]) for k, v in seen.items()} == {
        "asked": ("supplement", "Chờ bổ sung hồ sơ"),
        "refused": ("refused", "Từ chối tiếp nhận"),
        "late": ("in_progress", "Đang xử lý"),
        "handed": ("returned", "Đã trả kết quả"),
        "issued": ("ready", "Đã có kết quả"),
    }
    assert (seen["late"]["due_date"], seen["late"]["new_due_date"]) == (late["due_date"], new_date)
    assert seen["asked"]["due_date"] is None and "Thiếu" not in str(seen)  # no date promised; no reason told


def test_a_wrong_code_and_wrong_digits_get_the_same_answer(counter, fake_reading_server):
    d = opened(counter)
    other = "000.00.31.H29-000101-9999"  # a code nobody was given
    wrong = f"{(int(LAST4) + 1) % 10000:04d}"
    with anyone(fake_reading_server) as c:
        answers = [look_up(c, d["code"], wrong), look_up(c, other, LAST4)]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json() and answers[0].json()["error"] == "dossier_not_found"
    assert "kiểm tra lại mã hồ sơ" in answers[0].json()["reason_vi"]


def test_what_is_not_a_code_or_four_digits_is_told_in_vietnamese(fake_reading_server):
    with anyone(fake_reading_server) as c:
        good = "000.00.31.H29-261120-0001"
        for code, digits, error, words in (("", "0123", "bad_code", "Mã hồ sơ không đúng dạng"),
                                           ("mã hồ sơ", "0123", "bad_code", "Mã hồ sơ không đúng dạng"),
                                           (good, "12a4", "bad_id_last4", "4 chữ số cuối"),
                                           (good, "12345", "bad_id_last4", "4 chữ số cuối")):  # fmt: skip
            r = look_up(c, code, digits)
            assert r.status_code == 422 and r.json()["error"] == error and words in r.json()["reason_vi"], r.text
        r = c.post("/api/public/status", content=b"ma=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 422 and r.json()["error"] == "bad_request"


def test_guessing_the_digits_of_one_code_is_held_from_any_address(counter, fake_reading_server):
    d = opened(counter)
    for n in range(5):  # five addresses, a guess each
        with anyone(fake_reading_server) as c:
            assert look_up(c, d["code"], f"{n:04d}").status_code == 404
    with anyone(fake_reading_server) as c:
        held = look_up(c, d["code"], LAST4)  # the right digits, from a sixth address: held all the same
        assert held.status_code == 429, held.text
        body = held.json()
        assert body["error"] == "too_many_attempts" and "Tra cứu" in body["reason_vi"] and "phút" in body["reason_vi"]
        assert held.headers["retry-after"] == str(body["retry_after"]) and 0 < body["retry_after"] <= 15 * 60
        assert look_up(c, opened(counter)["code"], LAST4).status_code == 200  # another code is not held


def test_one_address_trying_many_codes_is_held_and_its_logins_are_not(counter, fake_reading_server):
    d = opened(counter)
    with anyone(fake_reading_server) as c:
        for n in range(20):  # never twice the same code: only the address counts them
            assert look_up(c, f"000.00.31.H29-000101-{n:04d}", LAST4).status_code == 404
        assert look_up(c, d["code"], LAST4).status_code == 429
        assert c.post("/api/login", json={"username": "quay1", "password": "demo2026"}).status_code == 200
    with anyone(fake_reading_server) as c:
        assert look_up(c, d["code"], LAST4).status_code == 200


def test_the_receipt_sends_the_citizen_to_the_look_up_page(counter, fake_reading_server):
    d = opened(counter)
    line = counter.get(f"/api/dossiers/{d['dossier']}/forms/receipt").json()["look_up"]
    assert line.startswith(f"Tra cứu tình trạng hồ sơ tại {fake_reading_server}/tra-cuu: nhập mã hồ sơ {d['code']}")
    assert "4 chữ số cuối của số định danh" in line
    assert line in counter.get(f"/quay/bien-nhan/{d['dossier']}").text  # the printed receipt says it too
    with anyone(fake_reading_server) as c:  # and the page is there for anyone, under the pages' own policy
        for path in ("/tra-cuu", "/xac-minh"):
            r = c.get(path)
            assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]


# --- certified e-copies ----------------------------------------------------------------------------------------


def test_a_copy_is_ours_by_its_file_and_by_its_qr_text(card, fake_reading_server):
    _, pdf = card
    text = qr_text(pdf)
    facts = {"state": "approved", "document_type": "can_cuoc", "document_name": CARD, "agency": AGENCY}
    with anyone(fake_reading_server) as c:
        by_file = c.post("/api/verify", files={"file": ("ban-sao.pdf", pdf, "application/pdf")})
        by_text = c.post("/api/verify/qr", json={"text": f" {text}\r\n"})  # as a handheld scanner types it
    assert by_file.status_code == 200 and by_text.status_code == 200, (by_file.text, by_text.text)
    f, q = by_file.json(), by_text.json()
    assert {k: f[k] for k in facts} == facts == {k: q[k] for k in facts}
    assert (f["checked"], f["proves_unaltered"], q["checked"], q["proves_unaltered"]) == ("file", True, "qr", False)
    assert f["signed_on"] == q["signed_on"] == f["signed_at"][:10] and f["signed_at"] == q["signed_at"]
    assert f["signed_at"].endswith("+07:00") and "chính tệp PDF" in q["note_vi"]
    for r in (by_file, by_text):  # which paper, from where, when: never whose
        assert CITIZEN[0] not in r.text and CITIZEN[1] not in r.text and "qr" not in r.json()


def test_a_qr_text_we_did_not_issue_is_not_ours(card, fake_reading_server):
    _, pdf = card
    text = qr_text(pdf)
    time = next(p for p in text.split("|") if p.startswith("time="))[5:]
    later = (date.fromisoformat(time[:10]) + timedelta(days=1)).isoformat() + time[10:]
    forged = [with_field(text, "id", "001099000999"), with_field(text, "time", later),
              with_field(text, "doc", "Giấy khai sinh (bản chính)")]  # fmt: skip
    with anyone(fake_reading_server) as c:
        for t in forged:
            r = c.post("/api/verify/qr", json={"text": t})
            assert r.status_code == 404 and r.json()["error"] == "ecopy_not_found", r.text
            assert "không được xác minh" in r.json()["reason_vi"]
        for t in ("", "xin chào", "v=1|dossier=abc", text.replace("time=", "tme="), text + "|v=2"):
            r = c.post("/api/verify/qr", json={"text": t})
            assert r.status_code == 422 and r.json()["error"] == "bad_qr", (t, r.text)
            assert "không đúng dạng" in r.json()["reason_vi"]


def test_bad_files_are_refused_with_a_reason(fake_reading_server):
    unsigned = synth.images_to_pdf([synth.render_page(seed=3, paragraphs=1).image])
    with anyone(fake_reading_server) as c:
        for name, data, words in (("anh.png", b"\x89PNG\r\n\x1a\n...", "không phải là tệp PDF"),
                                  ("hong.pdf", b"%PDF-1.7\n1 0 obj", "bị hỏng"),
                                  ("chua-ky.pdf", unsigned, "chưa được ký số")):  # fmt: skip
            r = c.post("/api/verify", files={"file": (name, data, "application/pdf")})
            assert r.status_code == 422 and r.json()["error"] == "not_verified", r.text
            assert words in r.json()["reason_vi"] and not r.json()["issued_here"]


def test_an_approval_undone_or_a_rejection_leaves_the_copy_not_valid(counter, reviewer, fake_reading_server):
    card, pdf = approved_card(counter, reviewer)
    assert reviewer.post(f"/api/documents/{card}/undo").status_code == 200
    with anyone(fake_reading_server) as c:
        for r in (c.post("/api/verify", files={"file": ("c.pdf", pdf, "application/pdf")}),
                  c.post("/api/verify/qr", json={"text": qr_text(pdf)})):  # fmt: skip
            body = r.json()
            assert r.status_code == 422 and body["error"] == "not_verified" and body["issued_here"], r.text
            assert body["state"] == "extracted" and "bị hủy" in body["reason_vi"] and body["document_name"] == CARD
        assert reviewer.post(f"/api/documents/{card}/reject", json={"reason": "Ảnh mờ"}).status_code == 200
        r = c.post("/api/verify/qr", json={"text": qr_text(pdf)})
        assert r.status_code == 422 and r.json()["state"] == "rejected" and "bị từ chối" in r.json()["reason_vi"]
        assert "không có giá trị" in r.json()["reason_vi"] and CITIZEN[0] not in r.text


def test_qr_texts_matching_nothing_are_held_per_dossier_code(card, fake_reading_server):
    _, pdf = card
    made_up = with_field(qr_text(pdf), "dossier", "000.00.31.H29-000101-7777")
    for n in range(10):  # ten addresses, a made-up ID number each, on one dossier code
        with anyone(fake_reading_server) as c:
            r = c.post("/api/verify/qr", json={"text": with_field(made_up, "id", f"0010990{n:05d}")})
            assert r.status_code == 404, r.text
    with anyone(fake_reading_server) as c:
        held = c.post("/api/verify/qr", json={"text": made_up})  # from an eleventh: held all the same
        assert held.status_code == 429 and "Xác minh" in held.json()["reason_vi"] and held.headers["retry-after"]
        assert c.post("/api/verify/qr", json={"text": qr_text(pdf)}).status_code == 200  # another code is not held
        # The file proves itself and is never held: nothing in it is guessed.
        assert c.post("/api/verify", files={"file": ("c.pdf", pdf, "application/pdf")}).status_code == 200


# --- both -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://127.0.0.1:1"}])
def test_a_page_of_another_site_cannot_post_to_the_public_routes(fake_reading_server, headers):
    with anyone(fake_reading_server) as c:
        pdf = {"file": ("a.pdf", b"%PDF-1.7", "application/pdf")}
        for r in (c.post("/api/public/status", json={"code": "X-1", "id_last4": "0000"}, headers=headers),
                  c.post("/api/verify/qr", json={"text": "v=1"}, headers=headers),
                  c.post("/api/verify", files=pdf, headers=headers)):  # fmt: skip
            assert r.status_code == 403 and r.json()["error"] == "cross_origin", r.text
