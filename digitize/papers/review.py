"""The review step: a queue per agency ordered by risk, field corrections kept with who and when, and the
decision that files a document into the citizen's repository (approve) or keeps it out (reject)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import Conflict, DigitizeError, not_found
from digitize.dossiers.checks import (
    citizen_names,
    document_owner,
    other_person,
    refresh_checks,
    risk,
    valid_until_of,
)
from digitize.dossiers.lookup import document_in_scope, documents_in_order
from digitize.papers import portal
from digitize.papers.vault import paper_json
from digitize.people import audit, auth
from digitize.people.auth import Principal
from digitize.signing.certify import Certifier
from forms.extract import revise
from storage.records import OPEN_STATES, Correction, DocState, Document, Dossier, DossierState, Reuse, Role

# Why a paper is rejected: the reviewer picks one and may add words ("other" needs them). Stored in reject_reason as
# "<label>: <text>" (the label alone when no text), and the code in the audit trail's detail.
REJECT_REASONS = {
    "unreadable": "Ảnh mờ, không đọc được",
    "pages_missing": "Thiếu trang",
    "not_the_citizens": "Không phải giấy tờ của công dân",
    "expired": "Giấy tờ hết hạn",
    "not_in_procedure": "Không thuộc thành phần hồ sơ",
    "other": "Khác",
}


def rejection_text(code: str | None, text: str) -> str:
    """The reason a rejection records: the chosen reason's label, then the reviewer's words."""
    text = " ".join((text or "").split())
    if code is None:  # a caller that gives words only (the command line, older clients)
        label = ""
    elif code not in REJECT_REASONS:
        raise DigitizeError("unknown_reason", f"no rejection reason {code}; use one of {sorted(REJECT_REASONS)}",
                            "Lý do từ chối không có trong danh sách.", status=422)  # fmt: skip
    else:
        label = REJECT_REASONS[code] if code != "other" else ""
    reason = f"{label}: {text}" if label and text else label or text
    if not reason:
        raise DigitizeError("reason_required", "say why the document is rejected", "Cần ghi lý do từ chối.",
                            status=422)  # fmt: skip
    return reason


class Review:
    def __init__(self, ctx: Context, certifier: Certifier):
        self.ctx = ctx
        self.certifier = certifier  # signs the e-copy of each paper approved

    def queue(self, actor: Principal, limit: int = 100) -> list[dict]:
        """Documents waiting for a decision: failed validations first, then the least confident, then oldest."""
        actor.require(Role.REVIEWER)
        with self.ctx.session() as s:
            q = (
                select(Document, Dossier)
                .join(Dossier, Document.dossier_id == Dossier.id)
                .where(Document.state.in_(OPEN_STATES), Dossier.status == DossierState.DONE)
                .order_by(Document.invalid_fields.desc(), Document.min_confidence, Document.created_at, Document.id)
                .limit(max(1, min(limit, 500)))
            )
            if actor.kind != "system":
                q = q.where(Dossier.agency_code == actor.agency)
            t = self.ctx.now()
            rows = [
                {
                    "id": x.id,
                    "type": x.type,
                    "name": x.name,
                    "state": x.state,
                    "dossier": d.id,
                    "dossier_code": d.code,
                    "procedure": d.procedure,
                    "owner_id": x.owner_id,
                    "is_result": x.is_result,
                    "invalid_fields": x.invalid_fields,
                    "min_confidence": x.min_confidence,
                    "age_hours": round((t - x.created_at).total_seconds() / 3600, 1),
                }  # fmt: skip
                for x, d in s.execute(q)
            ]
            audit.record(s, actor, "review.queue", "agency", actor.agency, documents=len(rows))
            return rows

    def decided_today(self, actor: Principal) -> list[dict]:
        """The papers the reviewer approved or rejected this local day, the latest first: what they may still undo."""
        actor.require(Role.REVIEWER)
        # Local midnight as a moment in UTC: compared with a bound value, UtcDateTime converts nothing.
        start = datetime.combine(self.ctx.today(), time(), self.ctx.zone).astimezone(UTC)
        with self.ctx.session() as s:
            q = (
                select(Document, Dossier)
                .join(Dossier, Document.dossier_id == Dossier.id)
                .where(Document.decided_by == actor.actor, Document.decided_at >= start)
                .where(Document.state.in_((DocState.APPROVED, DocState.REJECTED)))
                .order_by(Document.decided_at.desc(), Document.id.desc())
                .limit(50)
            )
            return [{"id": x.id, "name": x.name, "state": x.state, "dossier_code": d.code,
                     "decided_at": x.decided_at.isoformat()} for x, d in s.execute(q)]  # fmt: skip

    def document(self, actor: Principal, doc_id: int) -> dict:
        """The document as a reviewer needs it (fields with boxes, pages, corrections), or as its citizen sees it."""
        actor.require(Role.COUNTER, Role.REVIEWER, Role.CITIZEN)
        with self.ctx.session() as s:
            x, d = document_in_scope(s, doc_id, actor)
            audit.record(s, actor, "document.read", "document", x.id, agency=d.agency_code, citizen=x.owner_id)
            out = paper_json(x, d)
            if actor.kind == "citizen":
                return out
            corrections = s.scalars(select(Correction).where(Correction.document_id == x.id).order_by(Correction.id))
            return {
                **out,
                "dossier": d.id,
                "fields": x.fields,
                "page_indexes": x.pages,
                "confidence": x.confidence,
                "invalid_fields": x.invalid_fields,
                "min_confidence": x.min_confidence,
                "decided_by": x.decided_by,
                "reject_reason": x.reject_reason,
                "grouped_by": x.grouped_by,
                "signed_by": x.signed_by,
                "other_person": self._other_person(s, x, d) if x.state in OPEN_STATES else None,
                "signed_at": x.signed_at.isoformat() if x.signed_at else None,
                "corrections": [
                    {"field": c.field, "old": c.old_value, "new": c.new_value, "by": c.by, "at": c.at.isoformat()}
                    for c in corrections
                ],  # fmt: skip
            }

    def _open_for_review(self, s: Session, actor: Principal, doc_id: int) -> tuple[Document, Dossier]:
        actor.require(Role.REVIEWER)
        x, d = document_in_scope(s, doc_id, actor, own_agency=True)  # a reused paper is not ours to review
        if x.state not in OPEN_STATES:
            raise Conflict("already_decided", f"document {doc_id} was already {x.state}",
                           "Giấy tờ này đã được duyệt hoặc từ chối.", state=x.state)  # fmt: skip
        return x, d

    def correct(self, actor: Principal, doc_id: int, key: str, text: str) -> dict:
        """Set a field to the reviewer's value (normalised and validated as extraction does), keeping the old."""
        with self.ctx.session() as s:
            x, d = self._open_for_review(s, actor, doc_id)
            dt = self.ctx.catalog.document_types.get(x.type)
            if dt is None or dt.field(key) is None:
                raise not_found("field", key, f"trường {key}")
            fields = {k: dict(v) for k, v in (x.fields or {}).items()}
            old = fields.get(key, {}).get("value")
            try:
                value, problems = revise(dt, key, text, {k: v.get("value") for k, v in fields.items()})
            except ValueError as exc:
                raise DigitizeError(
                    "value_unreadable",
                    f"{text!r} cannot be read as the field's kind ({exc})",
                    "Giá trị nhập không đúng định dạng của trường này.",
                    status=422,
                ) from exc
            entry = fields.get(key, {"page": None, "box": None})
            entry.update(value=value, confidence=1.0, valid=not problems, corrected=True)
            entry.pop("problems", None)
            if problems:
                entry["problems"] = problems
            fields[key] = entry
            x.fields = fields
            x.state = DocState.REVIEWED
            x.owner_id = document_owner(x.type, fields, d.citizen_id)
            x.valid_until = valid_until_of(self.ctx.catalog, x.type, fields)
            for k, v in risk(fields).items():
                setattr(x, k, v)
            if old != value:
                s.add(Correction(document_id=x.id, field=key, old_value=old, new_value=value, by=actor.actor))
            audit.record(s, actor, "document.correct", "document", x.id, agency=d.agency_code, citizen=x.owner_id,
                         field=key)  # fmt: skip
            s.flush()
            refresh_checks(s, d, self.ctx.catalog)
        return self.document(actor, doc_id)

    def approve(self, actor: Principal, doc_id: int, accept_invalid: bool = False, owner_id: str | None = None) -> dict:
        """File the document into its owner's repository, with its certified e-copy signed by the approving
        officer. Fields still failing validation must be accepted explicitly; a paper with no owner's ID number
        cannot be filed; a paper that names other people than the dossier's citizen waits for the reviewer to say
        whose it is (`owner_id`). The copy is signed outside the transaction (it reads the pages from the store)
        and recorded with the decision, which is checked again: of two approvals at once, one is refused."""
        owner_id = auth.check_id_number(owner_id) if owner_id else None
        with self.ctx.session() as s:
            dossier_id = self._approvable(s, actor, doc_id, accept_invalid, owner_id)[1].id
        signed = self.certifier.sign(doc_id, actor.subject, owner_id) if actor.kind == "staff" else None
        with self.ctx.lock(dossier_id), self.ctx.session() as s:  # decisions on a dossier, one at a time
            x, d = self._approvable(s, actor, doc_id, accept_invalid, owner_id)
            x.owner_id = owner_id or x.owner_id
            x.state, x.decided_by, x.decided_at = DocState.APPROVED, actor.actor, self.ctx.now()
            if signed is not None:
                signed.record(x)
            portal.offer(s, self.ctx.now(), self.ctx.catalog, x, d)
            refresh_checks(s, d, self.ctx.catalog)
            audit.record(s, actor, "document.approve", "document", x.id, agency=d.agency_code, citizen=x.owner_id,
                         certified=signed is not None)  # fmt: skip
        return self.document(actor, doc_id)

    def _approvable(
        self, s: Session, actor: Principal, doc_id: int, accept_invalid: bool, owner_id: str | None
    ) -> tuple[Document, Dossier]:
        x, d = self._open_for_review(s, actor, doc_id)
        if owner_id is None and (who := self._other_person(s, x, d)):
            raise Conflict("owner_unconfirmed", "the paper names other people than the dossier's citizen: say whose "
                           "it is (owner_id)", "Giấy tờ ghi tên hoặc số định danh của người khác; hãy xác nhận giấy "
                           "tờ này của ai trước khi duyệt.", **who)  # fmt: skip
        bad = sorted(k for k, f in (x.fields or {}).items() if not f.get("valid", True))
        if bad and not accept_invalid:
            raise Conflict("fields_invalid", f"fields still invalid: {', '.join(bad)}; correct them or accept",
                           "Còn trường chưa hợp lệ; sửa lại hoặc xác nhận chấp nhận.", fields=bad)  # fmt: skip
        if not x.owner_id:
            raise Conflict("no_owner", "the paper has no owner's ID number (dossier opened without one)",
                           "Giấy tờ chưa gắn với số định danh của công dân.")  # fmt: skip
        return x, d

    def _other_person(self, s: Session, x: Document, d: Dossier) -> dict | None:
        catalog = self.ctx.catalog
        return other_person(catalog, x, d.citizen_id, citizen_names(s, d, documents_in_order(s, d.id), catalog))

    def reject(self, actor: Principal, doc_id: int, reason: str, code: str | None = None) -> dict:
        """Keep the paper out of the repository, for a reason from REJECT_REASONS (`code`) and the reviewer's words."""
        reason = rejection_text(code, reason)
        with self.ctx.session() as s:
            x, d = self._open_for_review(s, actor, doc_id)
            x.state, x.decided_by, x.decided_at = DocState.REJECTED, actor.actor, self.ctx.now()
            x.reject_reason = reason
            s.flush()
            refresh_checks(s, d, self.ctx.catalog)  # the counter sees the paper missing again, and why
            audit.record(s, actor, "document.reject", "document", x.id, agency=d.agency_code, citizen=x.owner_id,
                         code=code)  # fmt: skip
        return self.document(actor, doc_id)

    def undo(self, actor: Principal, doc_id: int) -> dict:
        """Take back an approval or a rejection made the same local day: the paper waits for a decision again. An
        approved one leaves the citizen's repository; its e-copy is no longer handed out, and /api/verify answers
        for it that its paper is not approved (the copy's digest stays recorded, so it is still known as ours).
        Refused after the day of the decision, and for a paper reused in another dossier since."""
        actor.require(Role.REVIEWER)
        with self.ctx.session() as s:
            dossier_id = document_in_scope(s, doc_id, actor, own_agency=True)[1].id
        with self.ctx.lock(dossier_id), self.ctx.session() as s:  # decisions on a dossier, one at a time
            x, d = document_in_scope(s, doc_id, actor, own_agency=True)
            if x.state in OPEN_STATES:
                raise Conflict("not_decided", f"document {doc_id} is {x.state}: nothing to undo",
                               "Giấy tờ này chưa được duyệt hay từ chối.", state=x.state)  # fmt: skip
            if x.decided_at is None or x.decided_at.astimezone(self.ctx.zone).date() != self.ctx.today():
                raise Conflict("undo_too_late", "a decision is undone only on the day it was made",
                               "Chỉ hoàn tác được quyết định trong ngày đã ra quyết định.", state=x.state)  # fmt: skip
            if s.scalar(select(func.count()).select_from(Reuse).where(Reuse.document_id == x.id)):
                raise Conflict("paper_reused", "the paper was reused in another dossier since it was approved",
                               "Giấy tờ đã được dùng lại cho hồ sơ khác nên không hoàn tác được.")  # fmt: skip
            was = dict(state=x.state, owner=x.owner_id, decided_by=x.decided_by, decided_at=x.decided_at.isoformat(),
                       reason=x.reject_reason, ecopy_sha256=x.ecopy_sha256, signed_by=x.signed_by)  # fmt: skip
            corrected = s.scalar(select(func.count()).select_from(Correction).where(Correction.document_id == x.id))
            x.state = DocState.REVIEWED if corrected else DocState.EXTRACTED
            x.decided_by = x.decided_at = x.reject_reason = None
            # The signed copy stays stored and its digest recorded (a check of it says its paper is not approved),
            # but it is offered no more and the paper no longer shows as signed; who signed it is in the audit.
            x.ecopy_key = x.signed_by = x.signed_at = None
            x.owner_id = document_owner(x.type, x.fields or {}, d.citizen_id)
            if was["state"] == DocState.APPROVED:
                portal.withdraw(s, self.ctx.now(), x, d, was["owner"], was["ecopy_sha256"])
            s.flush()
            refresh_checks(s, d, self.ctx.catalog)
            audit.record(s, actor, "document.undo", "document", x.id, agency=d.agency_code, citizen=was["owner"],
                         **was)  # fmt: skip
        return self.document(actor, doc_id)
