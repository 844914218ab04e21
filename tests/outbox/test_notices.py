"""The applicant is told by SMS and e-mail, when they agreed at the counter: over real HTTP from a running demo
server to a real SMTP server (aiosmtpd) and a local SMS gateway. Received (code, date promised dd/mm/yyyy, where
to look it up), papers to supplement (the reason), an apology with the new date, the result ready; SMS in plain
letters, e-mails in Vietnamese; nothing without consent; a wrong address or consent without a contact is refused."""

from __future__ import annotations

import email
import email.policy
import time

import httpx
import pytest
from aiosmtpd.controller import Controller

from digitize.people.demo import CITIZEN
from tests.support.fake_reader import NAME as FAKE_READER
from tests.support.net import free_port, stop
from tests.support.paths import REPO
from tests.support.receiver import Receiver
from tests.support.servers import login, start_demo_server


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture(scope="module")
def outside():
    """The SMS gateway and the mail server the service talks to."""
    box, port = Mailbox(), free_port()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    gateway = Receiver().start()
    yield gateway, box, port
    gateway.stop()
    smtp.stop()


@pytest.fixture(scope="module")
def counter(tmp_path_factory, outside):
    gateway, _, port = outside
    proc, url = start_demo_server(tmp_path_factory.mktemp("notices"), DIGITIZE_PAGE_READER=FAKE_READER,
                                  PYTHONPATH=str(REPO), DIGITIZE_SMTP_HOST="127.0.0.1", DIGITIZE_SMTP_PORT=str(port),
                                  DIGITIZE_SMS_GATEWAY_URL=gateway.url, DIGITIZE_OUTBOX_SECONDS="0.2",
                                  DIGITIZE_PUBLIC_URL="https://motcua.example.vn")  # fmt: skip
    try:
        with httpx.Client(base_url=url, timeout=60) as c:
            yield login(c, "quay1")
    finally:
        stop(proc, grace=30)


def sms_of(gateway: Receiver, dossier: str, event: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [b["text"] for k, b in gateway.kept.items() if k.startswith(f"sms:{event}:{dossier}")]
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no SMS {event} for {dossier}: {list(gateway.kept)}")


def mail_of(box: Mailbox, code: str, subject: str) -> email.message.EmailMessage:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [m for m in box.messages if m["Subject"] == subject and code in m.get_content()]
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no e-mail '{subject}' for {code}")


def open_dossier(c: httpx.Client, **applicant) -> dict:
    r = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0], "applicant": applicant})
    assert r.status_code == 201, r.text
    return r.json()


def test_received_supplement_apology_and_ready_reach_the_applicant(counter, outside):
    gateway, box, _ = outside
    d = open_dossier(counter, name="Nguyễn Văn Mẫu", phone="+84 912 345 678", email="mau@example.vn", consent=True)
    st = counter.get(f"/api/dossiers/{d['dossier']}").json()
    code, due = st["code"], st["handling"]["due_date"]
    dmy = f"{due[8:10]}/{due[5:7]}/{due[:4]}"

    sms = sms_of(gateway, d["dossier"], "received")
    assert code in sms and dmy in sms and sms.isascii() and "https://motcua.example.vn/tra-cuu" in sms
    assert gateway.kept[f"sms:received:{d['dossier']}"]["to"] == "0912345678"
    mail = mail_of(box, code, "Đã tiếp nhận hồ sơ")
    assert "Hẹn trả kết quả ngày " + dmy in mail.get_content() and mail["To"] == "mau@example.vn"

    r = counter.post(
        f"/api/dossiers/{d['dossier']}/outcome",
        json={"outcome": "supplement", "reason": "Thiếu bản chính giấy chứng sinh"},
    )
    assert r.status_code == 200, r.text
    assert "Thieu ban chinh giay chung sinh" in sms_of(gateway, d["dossier"], "supplement")
    r = counter.post(f"/api/dossiers/{d['dossier']}/outcome", json={"outcome": "received"})
    assert r.status_code == 200, r.text
    new_due = r.json()["due_date"]
    r = counter.post(
        f"/api/dossiers/{d['dossier']}/delay", json={"new_due_date": "2027-01-15", "reason": "Cần xác minh thêm"}
    )
    assert r.status_code == 200, r.text
    apology = mail_of(box, code, "Xin lỗi vì trả kết quả chậm").get_content()
    assert "15/01/2027" in apology and "Cần xác minh thêm" in apology
    r = counter.post(f"/api/dossiers/{d['dossier']}/results", data={})
    assert r.status_code == 201, r.text
    assert "da co ket qua" in sms_of(gateway, d["dossier"], "ready")
    received = [k for k in gateway.kept if k.startswith(f"sms:received:{d['dossier']}")]
    assert len(received) == 2 and new_due  # received at first, and again after the papers came


def test_nothing_without_consent_and_bad_contacts_are_refused(counter, outside):
    gateway, _, _ = outside
    quiet = open_dossier(counter, phone="0912345678", email="mau@example.vn")
    r = counter.post(f"/api/dossiers/{quiet['dossier']}/outcome", json={"outcome": "supplement", "reason": "Thiếu"})
    assert r.status_code == 200
    time.sleep(1.0)  # five of the sender's passes
    assert not [k for k in gateway.kept if quiet["dossier"] in k]

    for applicant, error in (({"email": "khong-phai-thu", "consent": True}, "bad_email"),
                             ({"phone": "024 3825 1234", "email": "", "consent": True}, "no_contact")):  # fmt: skip
        r = counter.put(f"/api/dossiers/{quiet['dossier']}/details", json={"applicant": applicant})
        assert r.status_code == 422 and r.json()["error"] == error and r.json()["reason_vi"], r.text
