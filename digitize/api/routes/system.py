"""For the machines that watch the service."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["system"])


@router.get("/healthz")
def healthz():
    return {"ok": True}
