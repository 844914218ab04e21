"""What the applicant is told, by SMS and e-mail, when they agreed to it at the counter: the dossier received (its
code, the date promised, where to look it up), papers to supplement, the result ready, an apology with the new
date. Written to the outbox in the transaction of the change (digitize/outbox), so a message tells of what was
saved and of nothing that was not; the key names the event and its moment, so one event sends once.

SMS are in plain letters (no diacritics: 160 characters a part instead of 70, as agencies' brand-name SMS are);
e-mails in full Vietnamese.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.text import unaccented
from digitize.outbox import queue
from storage.records import Agency, Dossier

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def mobile(phone: str | None) -> str | None:
    """A Vietnamese mobile number as gateways take it (0 and nine digits), or None if it is not one."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if len(digits) == 10 and digits.startswith("0") and digits[1] in "35789" else None


def dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def texts(ctx: Context, d: Dossier, agency: str, event: str) -> tuple[str, str]:
    """(subject, text) of an event, in Vietnamese."""
    code, procedure = d.code or d.id, ctx.catalog.procedures.get(d.procedure or "")
    what = f"hồ sơ {code}" + (f" ({procedure.name})" if procedure else "")
    look_up = f"{ctx.settings.public_url.rstrip('/')}/tra-cuu" if ctx.settings.public_url else "trang /tra-cuu"
    if event == "received":
        return "Đã tiếp nhận hồ sơ", (
            f"{agency} đã tiếp nhận {what}. Hẹn trả kết quả ngày {dmy(d.due_date)}. "
            f"Tra cứu tình trạng tại {look_up} với mã hồ sơ và 4 số cuối của số định danh."
        )
    if event == "supplement":
        return "Hồ sơ cần bổ sung", (
            f"{agency}: {what} cần bổ sung, hoàn thiện: {d.outcome_reason}. Đề nghị ông/bà liên hệ Bộ phận Một cửa."
        )
    if event == "ready":
        return "Đã có kết quả", (
            f"{agency}: {what} đã có kết quả. Mời ông/bà đến Bộ phận Một cửa nhận kết quả, "
            "mang theo giấy tiếp nhận và hẹn trả kết quả."
        )
    if event == "apology":
        return "Xin lỗi vì trả kết quả chậm", (
            f"{agency} xin lỗi ông/bà: {what} chưa trả được kết quả đúng hẹn "
            f"({d.delay_reason}). Ngày hẹn trả mới: {dmy(d.new_due_date)}."
        )
    raise ValueError(f"no notice for {event}")


def tell(s: Session, ctx: Context, d: Dossier, event: str, moment: str = "") -> int:
    """Queue the event's SMS and e-mail to the applicant, if they agreed and gave a number or an address; the
    number of messages queued. `moment` tells apart two events of a kind (a second supplement request)."""
    phone, email = mobile(d.applicant_phone), d.applicant_email
    if not d.notify or not (phone or email):
        return 0
    agency_row = s.get(Agency, d.agency_code) if d.agency_code else None
    agency = agency_row.name if agency_row else "Bộ phận Một cửa"
    subject, text = texts(ctx, d, agency, event)
    key = f"{event}:{d.id}" + (f":{moment}" if moment else "")
    now = ctx.now()
    if phone:
        queue.enqueue(s, now, "sms", f"sms:{key}", phone, unaccented(text), agency=d.agency_code, dossier_id=d.id)
    if email:
        queue.enqueue(s, now, "email", f"email:{key}", email, text, subject=subject, agency=d.agency_code,
                      dossier_id=d.id)  # fmt: skip
    return int(bool(phone)) + int(bool(email))
