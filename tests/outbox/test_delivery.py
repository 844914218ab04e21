"""The outbox against real receivers: an SMTP server (aiosmtpd) that is down and then up, an HTTP gateway that
fails, hangs past the time limit, refuses for good, answers twice. Nothing is lost, nothing is sent twice by us,
a permanent refusal is dead at once with its reason, and an admin's retry sends it again. Time is moved, not
waited for."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from digitize.core.config import Settings
from digitize.dossiers.service import open_service
from digitize.outbox import queue
from digitize.outbox.channels import email_channel, http_channel, sms_body
from digitize.outbox.sender import Sender
from storage.records import OutboxMessage
from tests.support.net import free_port
from tests.support.receiver import Receiver


class Clock:
    def __init__(self):
        self.t = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.t

    def pass_(self, **kw) -> None:
        self.t += timedelta(**kw)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def svc(tmp_path, clock):
    service = open_service(Settings(data_dir=tmp_path / "data", workers=1, send_timeout=1.0), clock=clock)
    yield service
    service.close()


def put(svc, channel: str, key: str, recipient: str, body: str, subject: str | None = None) -> None:
    with svc.ctx.session() as s:
        queue.enqueue(s, svc.ctx.now(), channel, key, recipient, body, subject=subject, agency="000.00.31.H29")


def rows(svc) -> dict[str, OutboxMessage]:
    with svc.ctx.session() as s:
        return {m.key: m for m in s.scalars(select(OutboxMessage))}


class Mailbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"


def test_email_waits_for_the_mail_server_then_arrives_once_in_vietnamese(svc, clock):
    port = free_port()
    settings = svc.ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    sender = Sender(svc.ctx, {"email": email_channel(settings)})
    put(svc, "email", "received:d1", "cong.dan@example.vn", "Hồ sơ 000.00.31.H29-261208-0001 đã được tiếp nhận.",
        subject="Đã tiếp nhận hồ sơ")  # fmt: skip
    put(svc, "email", "received:d1", "cong.dan@example.vn", "the same event told again")
    assert len(rows(svc)) == 1

    assert sender.run_once() == {"sent": 0, "pending": 1, "dead": 0}  # the server is down
    m = rows(svc)["received:d1"]
    assert m.attempts == 1 and "SMTP" in m.last_error and m.due_at == clock.t + timedelta(seconds=30)
    assert sender.run_once() == {"sent": 0, "pending": 0, "dead": 0}  # not due yet

    box = Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        clock.pass_(seconds=31)
        assert sender.run_once()["sent"] == 1
        assert sender.run_once() == {"sent": 0, "pending": 0, "dead": 0}
    finally:
        smtp.stop()
    assert len(box.messages) == 1 and box.messages[0].rcpt_tos == ["cong.dan@example.vn"]
    parsed = email.message_from_bytes(box.messages[0].content, policy=email.policy.default)
    assert parsed["Subject"] == "Đã tiếp nhận hồ sơ"
    assert parsed.get_content().strip() == "Hồ sơ 000.00.31.H29-261208-0001 đã được tiếp nhận."
    m = rows(svc)["received:d1"]
    assert m.state == "sent" and m.sent_at == clock.t and m.last_error is None


def test_sms_survives_failures_and_a_hang_and_a_bad_number_is_dead_with_its_reason(svc, clock):
    gw = Receiver(hang_seconds=1.5).start()
    gw.script = ["fail", "hang", "ok", "refuse"]
    try:
        sender = Sender(svc.ctx, {"sms": http_channel(gw.url, "", 1.0, sms_body)})
        put(svc, "sms", "ready:d1", "0912345678", "Kết quả hồ sơ đã có, mời ông/bà đến nhận.")
        assert sender.run_once()["pending"] == 1  # 503
        clock.pass_(seconds=31)
        assert sender.run_once()["pending"] == 1  # hung past the limit (the gateway may have taken it)
        assert rows(svc)["ready:d1"].due_at == clock.t + timedelta(seconds=60)  # the backoff doubles
        clock.pass_(seconds=61)
        assert sender.run_once()["sent"] == 1
        assert gw.calls == ["ready:d1"] * 3 and list(gw.kept) == ["ready:d1"]  # a repeat of what it took: dropped
        text = "Kết quả hồ sơ đã có, mời ông/bà đến nhận."
        assert gw.kept["ready:d1"] == {"id": "ready:d1", "to": "0912345678", "text": text}

        put(svc, "sms", "ready:d2", "12", "Số điện thoại sai.")
        assert sender.run_once()["dead"] == 1  # 400: the message is wrong, not the moment
        dead = rows(svc)["ready:d2"]
        assert dead.state == "dead" and dead.attempts == 1 and dead.last_error.startswith("HTTP 400")
        assert not queue.retry(svc.ctx, dead.id, "000.00.32.H29")  # another agency's admin
        assert queue.retry(svc.ctx, dead.id, "000.00.31.H29")
        assert sender.run_once()["sent"] == 1  # fixed at the gateway: sent now
        with svc.ctx.session() as s:
            assert queue.counts(s, "000.00.31.H29") == {"sms": {"pending": 0, "sent": 2, "dead": 0}}
    finally:
        gw.stop()


def test_a_sender_that_dies_mid_delivery_leaves_the_message_to_the_next(svc, clock):
    put(svc, "sms", "ready:d3", "0912345678", "Kết quả đã có.")
    (taken,) = queue.claim(svc.ctx, {"sms"})  # ... and the process is killed before it settles
    assert queue.claim(svc.ctx, {"sms"}) == []  # leased: nobody else takes it meanwhile
    clock.pass_(minutes=3)
    (again,) = queue.claim(svc.ctx, {"sms"})
    assert again.key == taken.key and again.attempts == 2


def test_retries_end_in_the_dead_letter_with_the_last_reason(svc, clock):
    def always_down(m):
        from digitize.outbox.channels import Undelivered

        raise Undelivered("gateway unreachable")

    sender = Sender(svc.ctx, {"sms": always_down})
    put(svc, "sms", "ready:d4", "0912345678", "Kết quả đã có.")
    states = []
    for _ in range(queue.MAX_ATTEMPTS):
        states.append(sender.run_once())
        clock.pass_(hours=7)
    assert states[-1]["dead"] == 1 and all(x["pending"] == 1 for x in states[:-1])
    m = rows(svc)["ready:d4"]
    assert m.state == "dead" and m.last_error == "gateway unreachable" and m.attempts == queue.MAX_ATTEMPTS
    assert queue.backoff(1, timedelta(seconds=30)) == timedelta(seconds=30)
    assert queue.backoff(20, timedelta(seconds=30)) == queue.LAST_RETRY
