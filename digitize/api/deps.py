"""What routes depend on, as FastAPI dependencies: who is calling (the session's principal) and from where."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from digitize.people import auth
from digitize.people.auth import Principal

COOKIE = "digitize_session"


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE)


def current(request: Request) -> Principal:
    with request.app.state.service.session() as s:
        return auth.principal_for(s, bearer(request), client_ip(request))


Actor = Annotated[Principal, Depends(current)]
