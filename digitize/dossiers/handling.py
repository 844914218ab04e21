"""The counter's handling of a dossier beyond its files, what the one-stop forms print (docs/forms.md): who handed
it in, how many originals and copies of each component were received, the decision to ask for more papers or to
refuse it, and a new date when it is late."""

from __future__ import annotations

from datetime import date

from digitize.core.context import Context
from digitize.core.errors import Conflict, DigitizeError
from digitize.core.text import is_control
from digitize.core.workdays import due_date
from digitize.dossiers import notices
from digitize.dossiers.checks import refresh_checks
from digitize.dossiers.lookup import dossier_in_scope, procedure_of, result_recorded
from digitize.dossiers.slips import book_rows
from digitize.people import audit
from digitize.people.auth import Principal
from storage.records import Dossier, Role

OUTCOMES = ("received", "supplement", "refused")


def clean_text(value: str | None, limit: int, what_vi: str) -> str | None:
    """One line of text typed at the counter, spaces squeezed; None when empty; refused when too long or with
    control characters (it is printed on an official form)."""
    text = " ".join((value or "").split())
    if len(text) > limit or any(map(is_control, text)):
        raise DigitizeError("bad_text", f"{what_vi}: too long or with control characters",
                            f"{what_vi} không hợp lệ.", status=422)  # fmt: skip
    return text or None


class Handling:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def set_details(self, dossier_id: str, actor: Principal, applicant: dict | None, handed_in: dict | None) -> dict:
        """Who handed the dossier in (name, address, phone) and, per component key, the originals and copies
        received or that it was only shown; keys left out are kept."""
        actor.require(Role.COUNTER)
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            for key, limit, what in (("name", 255, "Họ tên người nộp"), ("address", 500, "Địa chỉ"),
                                     ("phone", 32, "Số điện thoại"), ("email", 255, "Thư điện tử")):  # fmt: skip
                if applicant is not None and key in applicant:
                    setattr(d, f"applicant_{key}", clean_text(applicant[key], limit, what))
            self._contact(d, applicant or {})
            if d.notify and d.due_date and d.outcome is None and not result_recorded(s, d.id):
                notices.tell(s, self.ctx, d, "received")
            if handed_in is not None:
                d.handed_in = {**(d.handed_in or {}), **self._counts(d, handed_in)}
                refresh_checks(s, d, self.ctx.catalog)  # a card shown satisfies its component
            audit.record(s, actor, "dossier.details", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         handed_in=handed_in, applicant=sorted(applicant or {}))  # fmt: skip
            return details_json(d)

    @staticmethod
    def _contact(d: Dossier, applicant: dict) -> None:
        """The applicant's consent to be told by SMS or e-mail, with a number or an address to tell them at."""
        if d.applicant_email and not notices.EMAIL.match(d.applicant_email):
            raise DigitizeError("bad_email", "not an e-mail address", "Địa chỉ thư điện tử không hợp lệ.", status=422)
        if applicant.get("consent") is not None:
            d.notify = bool(applicant["consent"])
        if d.notify and not (notices.mobile(d.applicant_phone) or d.applicant_email):
            raise DigitizeError("no_contact", "consent to be told needs a mobile number or an e-mail address",
                                "Cần số điện thoại di động hoặc thư điện tử để gửi thông báo.", status=422)  # fmt: skip

    def _counts(self, d: Dossier, handed_in: dict) -> dict:
        procedure = procedure_of(self.ctx.catalog, d)
        keys = {c.key for c in procedure.components} if procedure else set()
        unknown = sorted(set(handed_in) - keys)
        if unknown:
            raise DigitizeError("unknown_component", f"the procedure has no component {unknown[0]}",
                                "Thủ tục không có thành phần hồ sơ này.", status=422)  # fmt: skip
        return {k: {"originals": v["originals"], "copies": v["copies"], "presented": v["presented"]}
                for k, v in handed_in.items()}  # fmt: skip

    def decide(self, dossier_id: str, actor: Principal, outcome: str, reason: str | None) -> dict:
        """The counter's decision on a dossier: `supplement` (incomplete: form 02, no date is promised), `refused`
        (form 03), or `received` (complete after all: the date is promised from now, the receipt is form 01)."""
        actor.require(Role.COUNTER)
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)  # another agency's dossier: 404 before anything is said
            if outcome not in OUTCOMES:
                raise DigitizeError("unknown_outcome", f"outcome must be one of {OUTCOMES}",
                                    "Quyết định không hợp lệ.", status=422)  # fmt: skip
            why = clean_text(reason, 2000, "Lý do")
            if outcome != "received" and not why:
                raise DigitizeError("reason_required", "say why", "Cần ghi rõ lý do.", status=422)
            if result_recorded(s, d.id):
                raise Conflict("result_exists", "the dossier's result was handed over already",
                               "Hồ sơ đã trả kết quả.")  # fmt: skip
            now = self.ctx.now()
            d.outcome = None if outcome == "received" else outcome
            d.outcome_reason, d.outcome_by, d.outcome_at = why, actor.subject, now
            d.due_date = self._promised(d, now) if outcome == "received" else None
            if outcome != "refused":  # a refusal is handed over on paper (form 03), with its reason
                notices.tell(s, self.ctx, d, outcome, moment=now.isoformat())
            audit.record(s, actor, "dossier.outcome", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         outcome=outcome, reason=why)  # fmt: skip
            return details_json(d)

    def _promised(self, d: Dossier, now) -> date | None:
        procedure = procedure_of(self.ctx.catalog, d)
        days = procedure.processing_days if procedure and not d.archive else None
        local = now.astimezone(self.ctx.zone)
        return None if days is None else due_date(local, days, self.ctx.settings.holiday_dates)

    def postpone(self, dossier_id: str, actor: Principal, new_date: date, reason: str | None) -> dict:
        """A new date for a dossier that is late or will be (form 04, the apology): after the promised date and
        not in the past, with a reason; the promised date stays as it was (the figures count the dossier late)."""
        actor.require(Role.COUNTER)
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            why = clean_text(reason, 2000, "Lý do")
            if not why:
                raise DigitizeError("reason_required", "say why the dossier is late", "Cần ghi rõ lý do chậm.",
                                    status=422)  # fmt: skip
            if d.due_date is None or result_recorded(s, d.id):
                raise Conflict("not_awaiting_result", "the dossier awaits no result",
                               "Hồ sơ không chờ trả kết quả.")  # fmt: skip
            if new_date <= d.due_date or new_date < self.ctx.today():
                raise DigitizeError("bad_new_date", "the new date must come after the promised one, not in the past",
                                    "Ngày hẹn mới phải sau ngày hẹn cũ và không ở quá khứ.", status=422)  # fmt: skip
            d.new_due_date, d.delay_reason = new_date, why
            notices.tell(s, self.ctx, d, "apology", moment=new_date.isoformat())
            audit.record(s, actor, "dossier.delay", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         new_due_date=new_date.isoformat(), reason=why)  # fmt: skip
            return details_json(d)

    def book(self, actor: Principal, start: date, end: date) -> list[dict]:
        """Form 06 over the actor's agency, audited."""
        actor.require(Role.COUNTER, Role.LEADER, Role.ADMIN)
        if end < start or (end - start).days > 366:
            raise DigitizeError("bad_period", "the period must run forward and span at most a year",
                                "Khoảng thời gian không hợp lệ (tối đa một năm).", status=422)  # fmt: skip
        with self.ctx.session() as s:
            agency = None if actor.kind == "system" else actor.agency
            audit.record(s, actor, "book.read", "agency", actor.agency, start=start.isoformat(), end=end.isoformat())
            return book_rows(s, self.ctx.catalog, self.ctx.zone, agency, start, end)


def details_json(d: Dossier) -> dict:
    """The dossier's handling as the status answer carries it."""
    return {
        "applicant": {
            "name": d.applicant_name,
            "address": d.applicant_address,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
            "consent": d.notify,
        },
        "handed_in": d.handed_in or {},
        "outcome": d.outcome,
        "outcome_reason": d.outcome_reason,
        "outcome_at": d.outcome_at.isoformat() if d.outcome_at else None,
        "due_date": d.due_date.isoformat() if d.due_date else None,
        "new_due_date": d.new_due_date.isoformat() if d.new_due_date else None,
        "delay_reason": d.delay_reason,
    }
