"""How a message leaves: e-mail over SMTP, and JSON over HTTP (an SMS gateway; the national portal's repository).
Each is a seam: `send(message)` returns, or raises Undelivered saying whether trying again may help.

Over HTTP the message's key goes as the `Idempotency-Key` header and in the body: a delivery repeated after a
timeout (the receiver may have taken the first) is the receiver's to drop. 2xx is delivered, and so is 409 (the
receiver says it holds this key already); 408, 425, 429, 5xx and no answer are tried again; any other 4xx is
permanent (the message is wrong, not the moment). The JSON each receives is in docs/outbox.md.
"""

from __future__ import annotations

import base64
import json
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import make_msgid

import httpx

from digitize.core.config import Settings
from digitize.outbox.queue import Claimed
from storage.objects import ObjectStore

RETRYABLE = {408, 425, 429}


class Undelivered(Exception):  # noqa: N818 - what happened, as the sender words it
    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


Channel = Callable[[Claimed], None]


def email_channel(settings: Settings) -> Channel:
    def send(m: Claimed) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = settings.smtp_sender, m.recipient, m.subject or ""
        msg["Message-ID"] = make_msgid(idstring=m.key.replace(":", "."), domain="digitize")  # the same on a retry
        msg.set_content(m.body)
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.send_timeout) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.smtp_user:
                    smtp.login(settings.smtp_user, settings.smtp_password)
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise Undelivered(f"the mail server refused the address: {exc.recipients}", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise Undelivered(f"SMTP: {exc}") from exc

    return send


def http_channel(url: str, token: str, timeout: float, body: Callable[[Claimed], dict]) -> Channel:
    """POST `body(message)` as JSON to `url` with the message's key as Idempotency-Key."""

    def send(m: Claimed) -> None:
        headers = {"Idempotency-Key": m.key}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            r = httpx.post(url, json=body(m), headers=headers, timeout=timeout)
        except httpx.HTTPError as exc:
            raise Undelivered(f"{type(exc).__name__}: {exc}") from exc
        if r.is_success or r.status_code == 409:
            return
        permanent = 400 <= r.status_code < 500 and r.status_code not in RETRYABLE
        raise Undelivered(f"HTTP {r.status_code}: {r.text[:300]}", permanent=permanent)

    return send


def sms_body(m: Claimed) -> dict:
    return {"id": m.key, "to": m.recipient, "text": m.body}


def portal_body(store: ObjectStore) -> Callable[[Claimed], dict]:
    """The paper as the enqueue wrote it, with its certified e-copy read from the store at delivery (not copied
    into the outbox's rows): the PDF in base64."""

    def body(m: Claimed) -> dict:
        document = json.loads(m.body)
        if document.get("action") == "offer":
            pdf = store.get(document["ecopy"].pop("key"))
            document["ecopy"]["pdf_base64"] = base64.b64encode(pdf).decode()
        return {"id": m.key, "citizen_id": m.recipient, "document": document}

    return body


def configured(settings: Settings, store: ObjectStore) -> dict[str, Channel]:
    """The channels the settings turn on; a message of another waits until its channel is configured."""
    out: dict[str, Channel] = {}
    if settings.smtp_host:
        out["email"] = email_channel(settings)
    if settings.sms_gateway_url:
        out["sms"] = http_channel(settings.sms_gateway_url, settings.sms_gateway_token, settings.send_timeout,
                                  sms_body)  # fmt: skip
    if settings.portal_url:
        out["portal"] = http_channel(settings.portal_url, settings.portal_token, settings.send_timeout,
                                     portal_body(store))  # fmt: skip
    return out
