"""A dossier's status for whoever holds its receipt, without a login (the page /tra-cuu): the dossier code and the
last four digits of the citizen's ID number give its state in a word and the date promised, nothing else (no name,
no ID number, no papers, no reason).

A wrong code and wrong digits get the same answer after the same work (one query, one failure counted in a
transaction of its own), so the look-up cannot tell which codes exist; guessing is held back per code and per
address (`LOOKUPS`), even for the right digits once held. A found dossier's look-up is on its agency's audit trail.
"""

from __future__ import annotations

import hmac
import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import DigitizeError, NotFound
from digitize.people import audit
from digitize.people.auth import PUBLIC
from digitize.people.throttle import Guard, count, hold
from storage.records import Dossier, Result

# Four digits are 10,000 guesses: five wrong ones per code a quarter of an hour, whatever the address.
LOOKUPS = Guard("tra-cuu:", 5, 20, timedelta(minutes=15), "failed look-ups", "Tra cứu không đúng")
CODE = re.compile(r"[0-9A-Z.-]{1,48}")  # <unit code>-YYMMDD-NNNN, loosely: a unit code is letters, digits, dots

STATES_VI = {
    "in_progress": "Đang xử lý",
    "supplement": "Chờ bổ sung hồ sơ",
    "refused": "Từ chối tiếp nhận",
    "ready": "Đã có kết quả",
    "returned": "Đã trả kết quả",
}


def not_found() -> NotFound:
    """The one answer for an unknown code and for wrong digits."""
    return NotFound("dossier_not_found", "no dossier has this code with these last four digits",
                    "Không tìm thấy hồ sơ có mã hồ sơ và 4 số cuối số định danh như đã nhập. Vui lòng kiểm tra lại "
                    "mã hồ sơ trên giấy tiếp nhận.")  # fmt: skip


def checked(code: str, id_last4: str) -> tuple[str, str]:
    """The code as codes are written (capitals, no spaces around) and the four digits, or a 422 saying what to
    type: a malformed request tells nothing about any dossier, and is not counted as a guess."""
    code, digits = (code or "").strip().upper(), (id_last4 or "").strip()
    if not CODE.fullmatch(code):
        raise DigitizeError("bad_code", "a dossier code is like 000.00.31.H29-261120-0001",
                            "Mã hồ sơ không đúng dạng (ví dụ: 000.00.31.H29-261120-0001).", status=422)  # fmt: skip
    if not re.fullmatch(r"\d{4}", digits):
        raise DigitizeError("bad_id_last4", "give the last four digits of the citizen's ID number",
                            "Cần nhập đúng 4 chữ số cuối của số định danh cá nhân.", status=422)  # fmt: skip
    return code, digits


def state_of(s: Session, d: Dossier) -> str:
    """A result recorded says the most (handed to someone named, or only issued); else the counter's decision."""
    current = s.scalars(select(Result.collector_name).where(Result.dossier_id == d.id, Result.replaced_by.is_(None)))
    collectors = list(current)
    if collectors:
        return "returned" if any(collectors) else "ready"
    return d.outcome if d.outcome in ("supplement", "refused") else "in_progress"


class PublicStatus:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def look_up(self, code: str, id_last4: str, ip: str | None) -> dict:
        code, digits = checked(code, id_last4)
        with self.ctx.session() as s:
            hold(s, LOOKUPS, code, ip)
            d = s.scalar(select(Dossier).where(Dossier.code == code, Dossier.archive.is_(False)))
            owner = (d.citizen_id or "") if d is not None else ""
            if len(owner) == 12 and hmac.compare_digest(owner[-4:], digits):
                audit.record(s, PUBLIC.at(ip), "dossier.status.read", "dossier", d.id, agency=d.agency_code,
                             citizen=d.citizen_id)  # fmt: skip
                return self.answer(s, d)
        with self.ctx.session() as s:  # the look-up's own transaction is over: the failure is written for sure
            count(s, LOOKUPS, code, ip)
        raise not_found()

    def answer(self, s: Session, d: Dossier) -> dict:
        state = state_of(s, d)
        return {
            "code": d.code,
            "state": state,
            "state_vi": STATES_VI[state],
            "due_date": d.due_date.isoformat() if d.due_date else None,
            "new_due_date": d.new_due_date.isoformat() if d.new_due_date else None,
        }
