"""API routes about people and their papers: logins, staff accounts, citizens, the citizen's repository, the
review of documents, certified e-copies and their verification, download links, figures and the audit log.

Status codes: 401 without a valid session, 403 when the role may not call the route, 404 for anything outside
the caller's agency or, for a citizen, not their own approved paper (the same answer as for nothing at all).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitize.api.bodies import Approval, CitizenLogin, CitizenPassword, FieldValue, NewUser, Rejection, StaffLogin
from digitize.api.deps import COOKIE, Actor, bearer, client_ip
from digitize.core.errors import DigitizeError
from digitize.dossiers import figures
from digitize.papers.review import Review
from digitize.people import audit, auth
from digitize.people.auth import Principal
from storage.objects import content_disposition
from storage.records import DocState, Role, User


def logged_in(request: Request, token: str, p: Principal) -> JSONResponse:
    """The session's token, in the body for API clients and in a cookie for the pages: Secure when the app is
    reached over HTTPS (or behind a proxy that ends TLS: DIGITIZE_COOKIE_SECURE), so it never travels in clear."""
    body = {"token": token, "expires_in": auth.SESSION_HOURS * 3600, "user": me_json(p)}
    resp = JSONResponse(body)
    secure = request.url.scheme == "https" or request.app.state.service.settings.cookie_secure
    resp.set_cookie(COOKIE, token, max_age=auth.SESSION_HOURS * 3600, httponly=True, samesite="lax", secure=secure)
    return resp


def me_json(p: Principal) -> dict:
    return {"kind": p.kind, "subject": p.subject, "role": p.role, "agency": p.agency, "name": p.name}


def router() -> APIRouter:
    r = APIRouter()

    def svc(request: Request):
        return request.app.state.service

    # --- sessions ---------------------------------------------------------------------------------------------

    def log_in(request: Request, attempt: Callable[[Session], tuple[str, Principal]]) -> JSONResponse:
        """A login, its refusal counted and audited in a transaction of its own (auth.LoginRefused)."""
        service = svc(request)
        try:
            with service.session() as s:
                token, p = attempt(s)
                audit.record(s, p, "login", p.kind if p.kind == "citizen" else "user", p.subject,
                             citizen=p.subject if p.kind == "citizen" else None)  # fmt: skip
        except auth.LoginRefused as refused:
            with service.session() as s:
                auth.count_failure(s, refused, client_ip(request))
                citizen = refused.subject if refused.kind == "citizen" else None
                audit.record(s, refused.principal(client_ip(request)), "login.failed",
                             "citizen" if citizen else "user", refused.subject, citizen=citizen)  # fmt: skip
            raise
        return logged_in(request, token, p)

    @r.post("/api/login", tags=["accounts"], summary="Staff login (username, password)")
    def login(request: Request, body: StaffLogin):
        return log_in(request, lambda s: auth.login_staff(s, body.username, body.password, client_ip(request)))

    @r.post("/api/citizen/login", tags=["accounts"], summary="Citizen login (ID number, password or one-time code)")
    def citizen_login(request: Request, body: CitizenLogin):
        secret = body.password or body.code or ""
        return log_in(request, lambda s: auth.login_citizen(s, body.id_number, secret, client_ip(request)))

    @r.post("/api/logout", tags=["accounts"])
    def logout(request: Request, actor: Actor):
        with svc(request).session() as s:
            auth.logout(s, bearer(request) or "")
        resp = JSONResponse({"ok": True})
        resp.delete_cookie(COOKIE)
        return resp

    @r.get("/api/me", tags=["accounts"])
    def me(actor: Actor):
        return me_json(actor)

    # --- staff accounts (admin) -------------------------------------------------------------------------------

    @r.post("/api/users", tags=["accounts"], status_code=201, summary="Create a staff account in the admin's agency")
    def create_user(request: Request, actor: Actor, body: NewUser):
        actor.require(Role.ADMIN)
        with svc(request).session() as s:
            u = auth.create_user(s, body.username, body.full_name, body.password, body.role, actor.agency)
            audit.record(s, actor, "user.create", "user", u.username, role_given=u.role)
            return {"username": u.username, "full_name": u.full_name, "role": u.role, "agency": u.agency_code}

    @r.get("/api/users", tags=["accounts"])
    def list_users(request: Request, actor: Actor):
        actor.require(Role.ADMIN)
        with svc(request).session() as s:
            rows = s.scalars(select(User).where(User.agency_code == actor.agency).order_by(User.username)).all()
            audit.record(s, actor, "user.list", "agency", actor.agency)
            return [{"username": u.username, "full_name": u.full_name, "role": u.role, "active": u.active}
                    for u in rows]  # fmt: skip

    # --- citizens at the counter ------------------------------------------------------------------------------

    @r.put("/api/citizens/{id_number}/password", tags=["citizens"], summary="Set a citizen's password (counter)")
    def set_password(request: Request, actor: Actor, id_number: str, body: CitizenPassword):
        actor.require(Role.COUNTER)
        with svc(request).session() as s:
            c = auth.set_citizen_password(s, auth.check_received(s, actor, id_number), body.password, body.full_name)
            audit.record(s, actor, "citizen.password", "citizen", c.id_number, citizen=c.id_number)
            return {"id_number": c.id_number, "full_name": c.full_name, "password_set": True}

    @r.post("/api/citizens/{id_number}/code", tags=["citizens"], summary="One-time login code (counter)")
    def one_time_code(request: Request, actor: Actor, id_number: str):
        actor.require(Role.COUNTER)
        with svc(request).session() as s:
            code, expires = auth.issue_citizen_code(s, auth.check_received(s, actor, id_number))
            audit.record(s, actor, "citizen.code", "citizen", id_number, citizen=id_number)
            return {"id_number": id_number, "code": code, "expires_at": expires.isoformat()}

    @r.get("/api/citizens/{id_number}/papers", tags=["citizens"], summary="A citizen's reusable papers (staff)")
    def citizen_papers(request: Request, actor: Actor, id_number: str):
        return request.app.state.vault.papers(actor, auth.check_id_number(id_number))

    @r.get("/api/me/papers", tags=["citizens"], summary="My digitized papers and their history (citizen)")
    def my_papers(request: Request, actor: Actor):
        return request.app.state.vault.my_papers(actor)

    @r.get("/api/me/dossiers", tags=["citizens"], summary="My dossiers: received, due, returned (citizen)")
    def my_dossiers(request: Request, actor: Actor):
        return request.app.state.vault.my_dossiers(actor)

    # --- documents and review ---------------------------------------------------------------------------------

    def review(request: Request) -> Review:
        return request.app.state.review

    @r.get("/api/review/queue", tags=["review"], summary="Documents to review, riskiest first (reviewer)")
    def queue(request: Request, actor: Actor, limit: int = 100):
        return review(request).queue(actor, limit)

    @r.get("/api/documents/{doc_id}", tags=["review"])
    def document(request: Request, actor: Actor, doc_id: int):
        return review(request).document(actor, doc_id)

    @r.put("/api/documents/{doc_id}/fields/{key}", tags=["review"], summary="Correct a field (reviewer)")
    def correct(request: Request, actor: Actor, doc_id: int, key: str, body: FieldValue):
        return review(request).correct(actor, doc_id, key, body.value or "")

    @r.post("/api/documents/{doc_id}/approve", tags=["review"])
    def approve(request: Request, actor: Actor, doc_id: int, body: Approval | None = None):
        return review(request).approve(actor, doc_id, body.accept_invalid if body else False)

    @r.post("/api/documents/{doc_id}/reject", tags=["review"])
    def reject(request: Request, actor: Actor, doc_id: int, body: Rejection):
        return review(request).reject(actor, doc_id, body.reason)

    @r.get("/api/documents/{doc_id}/download", tags=["files"], summary="A short-lived link to the certified e-copy")
    def download_link(request: Request, actor: Actor, doc_id: int):
        actor.require(Role.COUNTER, Role.REVIEWER, Role.CITIZEN)
        service = svc(request)
        with service.session() as s:
            x, d = service.document_in_scope(s, doc_id, actor)
            if not x.ecopy_key or x.state != DocState.APPROVED:  # certified when approved (review.approve)
                raise DigitizeError("ecopy_not_ready", f"the paper is {x.state}: a certified e-copy is made when a "
                                    "reviewer approves it", "Giấy tờ chưa được duyệt nên chưa có bản sao điện tử "
                                    "được ký số.", status=409, state=x.state)  # fmt: skip
            audit.record(s, actor, "document.download", "document", x.id, agency=d.agency_code, citizen=x.owner_id)
            key, name = x.ecopy_key, f"{d.code or d.id}-{x.type}-{x.id}.pdf"
        return request.app.state.links.make(key, name, "application/pdf")

    @r.get("/api/download/{token}", tags=["files"], response_class=Response, summary="Follow a download link")
    def download(request: Request, token: str):
        dl = request.app.state.links.open(token)
        data = svc(request).store.get(dl.key)
        return Response(data, media_type=dl.content_type,
                        headers={"Content-Disposition": content_disposition(dl.filename)})  # fmt: skip

    @r.post("/api/verify", tags=["files"], summary="Is this certified e-copy one we issued, unaltered?")
    async def verify(request: Request, file: Annotated[UploadFile, File()]):
        data = await file.read(64 * 1024 * 1024 + 1)
        if len(data) > 64 * 1024 * 1024:
            raise DigitizeError("file_too_large", "a certified copy is under 64 MiB", "Tệp quá lớn.", status=413)
        return await run_in_threadpool(svc(request).certifier.verify, data)

    # --- figures and audit ------------------------------------------------------------------------------------

    @r.get("/api/figures", tags=["figures"], summary="Digitization figures of the agency (leader, admin)")
    def get_figures(
        request: Request,
        actor: Actor,
        start: Annotated[date | None, Query(alias="from")] = None,
        end: Annotated[date | None, Query(alias="to")] = None,
        procedure: str | None = None,
        format: str = "json",
    ):
        actor.require(Role.LEADER, Role.ADMIN)
        service = svc(request)
        end = end or datetime.now(service.zone).date()
        start = start or end - timedelta(days=29)
        figures.check_period(start, end)
        with service.session() as s:
            out = figures.compute(s, start, end, service.zone, actor.agency, procedure)
            audit.record(s, actor, "figures.read", "agency", actor.agency)
        if format == "csv":
            return PlainTextResponse(figures.to_csv(out), media_type="text/csv; charset=utf-8",
                                     headers={"Content-Disposition": content_disposition("figures.csv")})  # fmt: skip
        # Vietnamese names for the codes in the figures (procedures, document types, their fields), for the page.
        catalog = service.catalog
        out["names"] = {
            "procedures": {code: p.name for code, p in catalog.procedures.items()},
            "document_types": {code: t.name for code, t in catalog.document_types.items()},
            "fields": {code: {f.key: f.labels[0] for f in t.fields} for code, t in catalog.document_types.items()},
        }
        return out

    @r.get("/api/audit", tags=["figures"], summary="The audit log of the agency (admin)")
    def get_audit(request: Request, actor: Actor, citizen: str | None = None, user: str | None = None,
                        limit: int = 200):  # fmt: skip
        actor.require(Role.ADMIN)
        with svc(request).session() as s:
            audit.record(s, actor, "audit.read", "agency", actor.agency, citizen=citizen, user=user)
            return audit.events(s, actor.agency, citizen=citizen, actor=user, limit=limit)

    return r
