"""The reviewer's work: the queue of documents riskiest first, a document with its page images and field boxes,
corrections, approval (which files the paper into the citizen's vault with its signed e-copy), rejection for a
reason from a list, and the undoing of either the same day."""

from __future__ import annotations

from fastapi import APIRouter

from digitize.api.bodies import Approval, FieldValue, Rejection
from digitize.api.deps import Actor, ReviewDep
from digitize.papers.review import REJECT_REASONS
from storage.records import Role

router = APIRouter(tags=["review"])


@router.get("/api/review/queue", summary="Documents to review, riskiest first (reviewer)")
def queue(review: ReviewDep, actor: Actor, limit: int = 100):
    return review.queue(actor, limit)


@router.get("/api/review/reject-reasons", summary="Reasons a reviewer picks from to reject a paper")
def reject_reasons(actor: Actor):
    actor.require(Role.REVIEWER, Role.COUNTER)
    return [{"code": code, "label": label} for code, label in REJECT_REASONS.items()]


@router.get("/api/review/decided", summary="My approvals and rejections of today, which I may still undo (reviewer)")
def decided_today(review: ReviewDep, actor: Actor):
    return review.decided_today(actor)


@router.get("/api/documents/{doc_id}")
def document(review: ReviewDep, actor: Actor, doc_id: int):
    return review.document(actor, doc_id)


@router.put("/api/documents/{doc_id}/fields/{key}", summary="Correct a field (reviewer)")
def correct(review: ReviewDep, actor: Actor, doc_id: int, key: str, body: FieldValue):
    return review.correct(actor, doc_id, key, body.value or "")


@router.post("/api/documents/{doc_id}/approve")
def approve(review: ReviewDep, actor: Actor, doc_id: int, body: Approval | None = None):
    body = body or Approval()
    return review.approve(actor, doc_id, body.accept_invalid, body.owner_id)


@router.post("/api/documents/{doc_id}/reject")
def reject(review: ReviewDep, actor: Actor, doc_id: int, body: Rejection):
    return review.reject(actor, doc_id, body.reason, body.code)


@router.post("/api/documents/{doc_id}/undo", summary="Undo the day's approval or rejection (reviewer)")
def undo(review: ReviewDep, actor: Actor, doc_id: int):
    return review.undo(actor, doc_id)
