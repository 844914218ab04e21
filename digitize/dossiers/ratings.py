"""Satisfaction where it happens: the citizen rates their dossier on the screen turned towards them at the counter
(the kiosk, digitize/dossiers/kiosk.py), once per dossier; a comment that is a complaint (phản ánh, kiến nghị)
waits in the agency's complaints list until a leader answers it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import Conflict, DigitizeError, OutOfScope, not_found
from digitize.core.text import is_control, masked_id, words
from digitize.dossiers.lookup import dossier_in_scope, procedure_of, result_recorded
from digitize.people import audit
from digitize.people.auth import Principal
from storage.records import Dossier, Rating, Role, upsert

SCORES = range(1, 6)  # 1 rất không hài lòng … 5 rất hài lòng
SATISFIED = 4  # a score of 4 (hài lòng) or 5 (rất hài lòng)
ASPECTS = ("guidance", "attitude", "time", "result")  # hướng dẫn, thái độ, thời gian giải quyết, kết quả
MOMENTS = ("reception", "handover")
COMMENT_LIMIT = 1000
ANSWER_LIMIT = 2000
# Words that make a comment a complaint, folded (no case, no diacritics): typed without Vietnamese input they count.
COMPLAINT_WORDS = (("phan", "anh"), ("kien", "nghi"), ("khieu", "nai"), ("buc", "xuc"))


def is_complaint(comment: str | None) -> bool:
    """Whether the comment says it is a complaint: one of COMPLAINT_WORDS, with or without diacritics."""
    w = words(comment or "")
    return any(pair in COMPLAINT_WORDS for pair in zip(w, w[1:], strict=False))


def clean_comment(text: str | None, limit: int, what: str, what_vi: str) -> str | None:
    """Text typed on a screen: each line's spaces squeezed, empty lines around it dropped; None when empty; refused
    when longer than `limit` or holding control characters other than line breaks."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    out = "\n".join(lines).strip()
    if len(out) > limit or any(is_control(c) for c in out.replace("\n", "")):
        raise DigitizeError(f"bad_{what}", f"the {what} is longer than {limit} characters or holds control characters",
                            f"{what_vi} quá dài (tối đa {limit} ký tự) hoặc có ký tự không hợp lệ.",
                            status=422)  # fmt: skip
    return out or None


def check_scores(score: int, aspects: dict[str, int | None]) -> None:
    """The score and each aspect given: a whole number from 1 to 5, else a refusal naming it."""
    unknown = sorted(set(aspects) - set(ASPECTS))
    if unknown:
        raise DigitizeError("bad_aspect", f"no aspect {unknown[0]!r}; aspects: {', '.join(ASPECTS)}",
                            "Tiêu chí đánh giá không hợp lệ.", status=422)  # fmt: skip
    for name, value in (("score", score), *aspects.items()):
        if value is not None and (type(value) is not int or value not in SCORES):  # True is no score
            raise DigitizeError("bad_score", f"{name} must be a whole number from 1 to 5, not {value!r}",
                                "Mức đánh giá phải là một số từ 1 đến 5.", status=422, field=name)  # fmt: skip


class Ratings:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def rate(self, dossier_id: str, actor: Principal, score: int, aspects: dict[str, int | None] | None = None,
             comment: str | None = None, flagged: bool = False, moment: str | None = None) -> dict:  # fmt: skip
        """Record the citizen's rating of the dossier, given at the counter of `actor` (the officer's session, the
        kiosk's too). One per dossier: the unique dossier_id decides, so of two at once one is recorded and the
        other is 409. The moment is the reception, or the hand-over once a result was recorded, unless given."""
        actor.require(Role.COUNTER)
        aspects = {k: v for k, v in (aspects or {}).items() if v is not None}
        check_scores(score, aspects)
        text = clean_comment(comment, COMMENT_LIMIT, "comment", "Ý kiến")
        if moment is not None and moment not in MOMENTS:
            raise DigitizeError("bad_moment", f"moment must be one of {MOMENTS}", "Thời điểm đánh giá không hợp lệ.",
                                status=422)  # fmt: skip
        if flagged and not text:
            raise DigitizeError("complaint_without_text", "a complaint needs a comment saying what it is about",
                                "Xin ghi nội dung phản ánh, kiến nghị.", status=422)  # fmt: skip
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor)
            if d.archive:
                raise Conflict("archive_dossier", "a dossier digitized from the archive is not rated: nobody was "
                               "served", "Hồ sơ lưu trữ không được đánh giá.")  # fmt: skip
            values = {f"aspect_{k}": v for k, v in aspects.items()}
            rating_id = s.scalar(
                upsert(s, Rating)
                .values(dossier_id=d.id, score=score, comment=text, flagged=flagged,
                        complaint=flagged or is_complaint(text), recorded_by=actor.subject, officer=d.created_by,
                        moment=moment or ("handover" if result_recorded(s, d.id) else "reception"),
                        at=self.ctx.now(), **values)
                .on_conflict_do_nothing(index_elements=["dossier_id"])
                .returning(Rating.id)
            )  # fmt: skip
            if rating_id is None:
                raise Conflict("already_rated", "the dossier was rated already: one rating per dossier",
                               "Hồ sơ này đã được đánh giá.")  # fmt: skip
            r = s.get(Rating, rating_id)
            audit.record(s, actor, "rating.create", "dossier", d.id, agency=d.agency_code, citizen=d.citizen_id,
                         score=score, complaint=r.complaint)  # fmt: skip
            return rating_json(r, d, self.ctx)

    def complaints(self, actor: Principal, state: str | None = None, limit: int = 200) -> list[dict]:
        """The agency's complaints, `open` ones the longest waiting first, `answered` ones (or all) newest first;
        the read is audited (comments may name people)."""
        actor.require(Role.LEADER, Role.ADMIN)
        if state not in (None, "open", "answered"):
            raise DigitizeError("bad_state", "state is open or answered", "Trạng thái không hợp lệ.", status=422)
        q = select(Rating, Dossier).join(Dossier, Rating.dossier_id == Dossier.id).where(Rating.complaint.is_(True))
        if actor.kind != "system":
            q = q.where(Dossier.agency_code == actor.agency)
        if state:
            q = q.where(Rating.answered_at.is_(None) if state == "open" else Rating.answered_at.is_not(None))
        q = q.order_by(Rating.at.asc() if state == "open" else Rating.at.desc(), Rating.id).limit(max(1, limit))
        with self.ctx.session() as s:
            audit.record(s, actor, "complaints.read", "agency", actor.agency, state=state)
            return [complaint_json(r, d, self.ctx) for r, d in s.execute(q).all()]

    def answer(self, rating_id: int, actor: Principal, text: str) -> dict:
        """The leader's answer to a complaint of their agency, with who and when; a later answer replaces it (the
        audit trail keeps each)."""
        actor.require(Role.LEADER)
        answer = clean_comment(text, ANSWER_LIMIT, "answer", "Nội dung trả lời")
        if not answer:
            raise DigitizeError("answer_required", "the answer is empty", "Xin ghi nội dung trả lời.", status=422)
        with self.ctx.session() as s:
            r, d = complaint_in_scope(s, rating_id, actor)
            r.answer, r.answered_by, r.answered_at = answer, actor.subject, self.ctx.now()
            audit.record(s, actor, "complaint.answer", "rating", r.id, agency=d.agency_code, citizen=d.citizen_id,
                         dossier=d.id, answer=answer)  # fmt: skip
            return complaint_json(r, d, self.ctx)


def complaint_in_scope(s: Session, rating_id: int, actor: Principal) -> tuple[Rating, Dossier]:
    """The complaint and its dossier if the actor's agency holds it, else the same 404 as for none."""
    r = s.get(Rating, rating_id)
    d = s.get(Dossier, r.dossier_id) if r is not None and r.complaint else None
    if r is None or d is None:
        raise not_found("complaint", rating_id, f"phản ánh số {rating_id}")
    if not actor.sees_agency(d.agency_code):
        raise OutOfScope("complaint", rating_id, f"phản ánh số {rating_id}", actor, d.agency_code, d.citizen_id)
    return r, d


def aspects_json(r: Rating) -> dict[str, int | None]:
    return {a: getattr(r, f"aspect_{a}") for a in ASPECTS}


def rating_json(r: Rating, d: Dossier, ctx: Context) -> dict:
    """A rating as the API sends it: nothing of the citizen but their words."""
    proc = procedure_of(ctx.catalog, d)
    return {
        "id": r.id,
        "dossier_id": d.id,
        "code": d.code,
        "procedure": d.procedure,
        "procedure_name": proc.name if proc else None,
        "score": r.score,
        "aspects": aspects_json(r),
        "comment": r.comment,
        "flagged": r.flagged,
        "complaint": r.complaint,
        "moment": r.moment,
        "recorded_by": r.recorded_by,
        "officer": r.officer,
        "at": r.at.isoformat(),
    }


def complaint_json(r: Rating, d: Dossier, ctx: Context) -> dict:
    """A complaint for the leader: the rating, whose dossier (the ID number masked), and the answer if any."""
    return {
        **rating_json(r, d, ctx),
        "citizen_id": masked_id(d.citizen_id),
        "state": "answered" if r.answered_at else "open",
        "answer": r.answer,
        "answered_by": r.answered_by,
        "answered_at": r.answered_at.isoformat() if r.answered_at else None,
    }


def rating_brief(s: Session, dossier_id: str) -> dict | None:
    """What the counter shows of a dossier's rating (that there is one, and how it went), or None."""
    r = s.scalar(select(Rating).where(Rating.dossier_id == dossier_id))
    if r is None:
        return None
    return {"score": r.score, "moment": r.moment, "complaint": r.complaint, "at": r.at.isoformat()}
