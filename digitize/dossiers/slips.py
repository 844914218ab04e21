"""The one-stop counter's forms as data, in Vietnamese, for the pages that print them (docs/forms.md).

Circular 01/2018/TT-VPCP (guiding Decree 61/2018/NĐ-CP) appends six forms: 01 the receipt and appointment slip,
02 the request to supplement a dossier, 03 the refusal slip, 04 the apology with a new date, 05 the processing
control slip, 06 the tracking book. Forms 01–05 are made for A5 and 06 for A4; all print on A4 here. Every form is
built from the dossier's records alone, so a reprint tomorrow prints the same facts: who handed the dossier in,
what was received and how many copies, the times in the agency's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import Conflict, DigitizeError
from digitize.core.spreadsheet import excel_csv
from digitize.dossiers.lookup import documents_in_order, dossier_in_scope, procedure_of, result_page_numbers
from digitize.people import audit
from digitize.people.auth import Principal
from forms.catalog import Catalog, Procedure
from storage.records import Agency, AuditEvent, Dossier, Page, Result, Role, User

FORM_VI = {"original": "Bản chính", "copy": "Bản sao", "present": "Xuất trình"}
OUTCOME_VI = {"supplement": "Yêu cầu bổ sung hồ sơ", "refused": "Từ chối tiếp nhận"}


def dmy(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def iso(d: date | None) -> str | None:
    """Dates in the API are ISO; the pages show them dd/mm/yyyy (the `dmy` filter of the templates)."""
    return d.isoformat() if d else None


WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def weekday_dmy(d: date | None) -> str:
    """'Thứ Hai, ngày 07/12/2026': the appointment as the citizen reads it."""
    return f"{WEEKDAYS_VI[d.weekday()]}, ngày {dmy(d)}" if d else ""


def spelled_day(d: date) -> str:
    """'ngày 04 tháng 12 năm 2026', as the forms write a date."""
    return f"ngày {d:%d} tháng {d:%m} năm {d:%Y}"


def spelled_moment(t: datetime, zone: tzinfo) -> str:
    """'16 giờ 29 phút, ngày 24 tháng 11 năm 2026' in the agency's time zone."""
    t = t.astimezone(zone)
    return f"{t:%H} giờ {t:%M} phút, {spelled_day(t.date())}"


def book_entry(code: str | None) -> dict:
    """The tracking book's volume (the year) and number (the day's sequence in the dossier code)."""
    parts = (code or "").split("-")
    day, number = (parts[-2], parts[-1]) if len(parts) >= 3 else ("", "")
    return {"volume": f"20{day[:2]}" if len(day) == 6 else "", "number": number.lstrip("0") or number}


def handed_in_rows(d: Dossier, procedure: Procedure | None) -> list[dict]:
    """Each component with what the counter received of it. A component only shown (xuất trình) is looked at and
    handed back: it is never "received". Counts the officer did not enter default to one paper of the form the
    catalog asks for."""
    checks = {row["component"]: row for row in (d.checks or {}).get("checklist", [])}
    counts = d.handed_in or {}
    rows = []
    for c in procedure.components if procedure else []:
        row, given = checks.get(c.key, {}), counts.get(c.key) or {}
        scanned, reused = bool(row.get("documents")), bool(row.get("reused"))
        present = c.form == "present" or bool(given.get("presented"))
        originals = given.get("originals", 1 if scanned and c.form == "original" else 0)
        copies = given.get("copies", 1 if scanned and c.form == "copy" else 0)
        if reused:
            state = "Dùng lại từ kho dữ liệu, không phải nộp"
        elif scanned and not present:
            state = "Đã nhận, đã số hóa"
        elif present and (scanned or given.get("presented")):
            state, originals, copies = "Đã xuất trình, không thu", 0, 0
        elif originals or copies:
            state = "Đã nhận"
        else:
            state = "Còn thiếu" if c.required else "Không nộp"
        rows.append({"component": c.key, "name": c.name, "form": FORM_VI[c.form], "kind": c.form,
                     "presented": state.startswith("Đã xuất trình"), "required": c.required,
                     "originals": originals, "copies": copies, "state": state,
                     "missing": state == "Còn thiếu"})  # fmt: skip
    return rows


LOOK_UP_PATH = "/tra-cuu"  # the public page of a dossier's status (web/pages.py)


class Slips:
    """The forms of one dossier, and the tracking book of the agency."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def slip(self, dossier_id: str, kind: str, actor: Principal, site: str = "") -> dict:
        """Form `kind` (receipt, supplement, refusal, apology, control) of the dossier, read by its agency's staff
        and audited; 409 when the dossier is not in that case (no apology for a dossier not late…). `site`: the
        address citizens reach the service at, where the receipt sends them to look the dossier up."""
        actor.require(Role.COUNTER, Role.REVIEWER, Role.LEADER)
        build = FORMS.get(kind)
        if build is None:
            raise DigitizeError("unknown_form", f"no form {kind}", "Không có biểu mẫu này.", status=404)
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            audit.record(s, actor, "dossier.form", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         form=kind)  # fmt: skip
            base = self._common(s, d) | {"look_up_at": f"{site.rstrip('/')}{LOOK_UP_PATH}"}
            return base | build(self, s, d, base)

    def _common(self, s: Session, d: Dossier) -> dict:
        procedure = procedure_of(self.ctx.catalog, d)
        agency = s.get(Agency, d.agency_code) if d.agency_code else None
        officer = staff_name(s, d.created_by)
        received = d.created_at.astimezone(self.ctx.zone)
        return {
            "dossier": d.id,
            "code": d.code,
            "agency": agency.name if agency else (d.agency_code or ""),
            "date_line": spelled_day(self.ctx.today()).capitalize(),
            "applicant": {
                "name": d.applicant_name or "",
                "address": d.applicant_address or "",
                "phone": d.applicant_phone or "",
                "id_number": d.citizen_id or "",
            },
            "request": procedure.name if procedure else "",
            "procedure": d.procedure or "",
            "officer": officer or (d.created_by or ""),
            "received_at": spelled_moment(received, self.ctx.zone),
            "received_on": iso(received.date()),
        }

    def _receipt(self, s: Session, d: Dossier, base: dict) -> dict:
        if d.outcome:
            raise Conflict("form_not_applicable", f"the dossier was not received ({d.outcome})",
                           f"Hồ sơ không được tiếp nhận ({OUTCOME_VI[d.outcome]}): in phiếu tương ứng.")  # fmt: skip
        procedure = procedure_of(self.ctx.catalog, d)
        days = procedure.processing_days if procedure else None
        return {
            "form": "01",
            "title": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "components": handed_in_rows(d, procedure),
            "sets": 1,
            "processing": "" if days is None else (f"{days} ngày làm việc" if days else "Trong ngày làm việc"),
            "date_line": spelled_day(d.created_at.astimezone(self.ctx.zone).date()).capitalize(),
            "due": spelled_day(d.due_date) if d.due_date else "",
            "due_on": iso(d.due_date),
            "due_weekday": weekday_dmy(d.due_date),
            "pages": handed_in_pages(s, d.id),
            "collect_at": counter_of(base["agency"]),
            "look_up": f"Tra cứu tình trạng hồ sơ tại {base['look_up_at']}: nhập mã hồ sơ {d.code} (hoặc quét mã "
            "QR trên giấy này) và 4 chữ số cuối của số định danh cá nhân; hoặc hỏi tại quầy.",
            "book": book_entry(d.code),
        }

    def _outcome(self, d: Dossier, wanted: str, form: str, title: str) -> dict:
        if d.outcome != wanted:
            raise Conflict("form_not_applicable", f"the dossier's outcome is not {wanted}",
                           f"Hồ sơ không ở trường hợp «{OUTCOME_VI[wanted]}».")  # fmt: skip
        at = d.outcome_at.astimezone(self.ctx.zone) if d.outcome_at else None
        return {"form": form, "title": title, "reason": d.outcome_reason or "",
                "decided_at": spelled_moment(at, self.ctx.zone) if at else "",
                "date_line": spelled_day(at.date()).capitalize() if at else ""}  # fmt: skip

    def _supplement(self, s: Session, d: Dossier, base: dict) -> dict:
        out = self._outcome(d, "supplement", "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
        missing = [r["name"] for r in handed_in_rows(d, procedure_of(self.ctx.catalog, d)) if r["missing"]]
        return out | {
            "missing": missing,
            "guide": staff_name(s, d.outcome_by) or base["officer"],
            "counter": counter_of(base["agency"]),
        }

    def _refusal(self, s: Session, d: Dossier, base: dict) -> dict:
        out = self._outcome(d, "refused", "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")
        return out | {"refused_by": staff_name(s, d.outcome_by) or base["officer"]}

    def _apology(self, s: Session, d: Dossier, base: dict) -> dict:
        if d.new_due_date is None or d.due_date is None:
            raise Conflict("form_not_applicable", "the dossier has no new date",
                           "Hồ sơ chưa được hẹn lại ngày trả kết quả.")  # fmt: skip
        return {"form": "04", "title": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                "received_day": spelled_day(d.created_at.astimezone(self.ctx.zone).date()),
                "due": spelled_day(d.due_date), "new_due": spelled_day(d.new_due_date),
                "reason": d.delay_reason or ""}  # fmt: skip

    def _control(self, s: Session, d: Dossier, base: dict) -> dict:
        return {"form": "05", "title": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                "book": book_entry(d.code), "due_on": iso(d.new_due_date or d.due_date),
                "steps": control_steps(s, d, self.ctx.zone, base["agency"])}  # fmt: skip


def handed_in_pages(s: Session, dossier_id: str) -> int:
    """Pages digitized from what was handed in: neither those left out nor the scans of the issued result."""
    result = set(result_page_numbers(s, dossier_id))
    pages = s.scalars(select(Page.index).where(Page.dossier_id == dossier_id, Page.excluded.is_(False)))
    return sum(1 for i in pages if i not in result)


def counter_of(agency: str) -> str:
    """Where the citizen comes back: the agency's one-stop counter (the name may say so already)."""
    return agency if "bộ phận" in agency.lower() else f"Bộ phận Một cửa – {agency}"


def staff_name(s: Session, username: str | None) -> str | None:
    return s.scalar(select(User.full_name).where(User.username == username)) if username else None


STEP_VI = {
    "dossier.create": "Tiếp nhận hồ sơ, số hóa",
    "document.approve": "Kiểm tra, phê duyệt giấy tờ số hóa",
    "document.reject": "Kiểm tra, không duyệt giấy tờ số hóa",
    "dossier.outcome": "Quyết định tại quầy",
    "dossier.delay": "Hẹn lại ngày trả kết quả",
    "result.issue": "Trả kết quả cho công dân",
}


OUTCOME_NOTE = {"supplement": "Yêu cầu bổ sung", "refused": "Từ chối tiếp nhận", "received": "Tiếp nhận (đã đủ)"}


def control_steps(s: Session, d: Dossier, zone: tzinfo, agency: str) -> list[dict]:
    """Form 05's rows: each hand-over of the dossier on the audit trail (reception, each review decision, the
    counter's decisions, the result handed back), who did it and when, and whether it came before, on or after
    the due date."""
    doc_ids = [str(x.id) for x in documents_in_order(s, d.id)]
    q = select(AuditEvent).where(
        AuditEvent.action.in_(STEP_VI),
        or_(
            (AuditEvent.object_type == "dossier") & (AuditEvent.object_id == d.id),
            (AuditEvent.object_type == "document") & AuditEvent.object_id.in_(doc_ids),
        ),
    )
    names = dict(s.execute(select(User.username, User.full_name)).all())
    due = d.new_due_date or d.due_date
    steps = []
    for e in s.scalars(q.order_by(AuditEvent.at, AuditEvent.id)):
        day = e.at.astimezone(zone).date()
        timing = "" if due is None else ("Trước hạn" if day < due else "Đúng hạn" if day == due else "Quá hạn")
        note = OUTCOME_NOTE.get((e.detail or {}).get("outcome"), "")  # which decision at the counter
        steps.append({"step": STEP_VI[e.action], "agency": agency, "by": names.get(e.actor, e.actor),
                      "at": spelled_moment(e.at, zone), "timing": timing, "note": note})  # fmt: skip
    return steps


FORMS: dict[str, Callable[[Slips, Session, Dossier, dict], dict]] = {
    "receipt": Slips._receipt,
    "supplement": Slips._supplement,
    "refusal": Slips._refusal,
    "apology": Slips._apology,
    "control": Slips._control,
}


def book_rows(s: Session, catalog: Catalog, zone: tzinfo, agency: str | None, start: date, end: date) -> list[dict]:
    """Form 06, the tracking book: the agency's citizens' dossiers received from `start` to `end` (local days),
    in order of receipt, with the result handed back and who collected it."""
    lo = datetime.combine(start, datetime.min.time(), zone)
    hi = datetime.combine(end, datetime.max.time(), zone)
    q = select(Dossier).where(Dossier.created_at >= lo, Dossier.created_at <= hi, Dossier.archive.is_(False))
    if agency is not None:
        q = q.where(Dossier.agency_code == agency)
    dossiers = s.scalars(q.order_by(Dossier.created_at, Dossier.code)).all()
    results = {r.dossier_id: r for r in s.scalars(select(Result).where(
        Result.dossier_id.in_([d.id for d in dossiers]), Result.replaced_by.is_(None)))}  # fmt: skip
    rows = []
    for i, d in enumerate(dossiers, 1):
        p, r = procedure_of(catalog, d), results.get(d.id)
        contact = ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x)
        rows.append({"number": i, "code": d.code, "procedure": p.name if p else (d.procedure or ""), "sets": 1,
                     "applicant": d.applicant_name or "", "id_number": d.citizen_id or "", "contact": contact,
                     "received": iso(d.created_at.astimezone(zone).date()), "due": iso(d.new_due_date or d.due_date),
                     "returned": iso(r.issued_at.astimezone(zone).date()) if r else None,
                     "collector": (r.collector_name or "") if r else "",
                     "note": OUTCOME_VI.get(d.outcome or "", "")})  # fmt: skip
    return rows


BOOK_COLUMNS = [
    ("STT", "number"),
    ("Mã hồ sơ", "code"),
    ("Tên thủ tục hành chính", "procedure"),
    ("Số lượng hồ sơ (bộ)", "sets"),
    ("Tên cá nhân, tổ chức", "applicant"),
    ("Số định danh cá nhân", "id_number"),
    ("Địa chỉ, số điện thoại", "contact"),
    ("Ngày nhận hồ sơ", "received"),
    ("Ngày hẹn trả kết quả", "due"),
    ("Ngày trả kết quả", "returned"),
    ("Người nhận kết quả", "collector"),
    ("Ghi chú", "note"),
]  # fmt: skip (header, key); dates ISO, which Excel reads as dates whatever the PC's regional settings


def book_csv(rows: list[dict]) -> bytes:
    return excel_csv(BOOK_COLUMNS, rows)
