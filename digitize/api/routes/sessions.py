"""Logging in and out: staff by user name and password, citizens by ID number and a password or a one-time code
given at the counter. Status codes: 401 without a valid session, 429 (with Retry-After) after too many failures."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from digitize.api.bodies import CitizenLogin, StaffLogin
from digitize.api.deps import COOKIE, AccountsDep, Actor, SettingsDep, bearer, client_ip
from digitize.people import auth
from digitize.people.accounts import me_json
from digitize.people.auth import Principal

router = APIRouter(tags=["accounts"])


def logged_in(request: Request, secure_cookie: bool, token: str, p: Principal) -> JSONResponse:
    """The session's token, in the body for API clients and in a cookie for the pages: Secure when the app is
    reached over HTTPS (or behind a proxy that ends TLS: DIGITIZE_COOKIE_SECURE), so it never travels in clear."""
    body = {"token": token, "expires_in": auth.SESSION_HOURS * 3600, "user": me_json(p)}
    resp = JSONResponse(body)
    secure = request.url.scheme == "https" or secure_cookie
    resp.set_cookie(COOKIE, token, max_age=auth.SESSION_HOURS * 3600, httponly=True, samesite="lax", secure=secure)
    return resp


@router.post("/api/login", summary="Staff login (username, password)")
def login(request: Request, accounts: AccountsDep, settings: SettingsDep, body: StaffLogin):
    token, p = accounts.login_staff(body.username, body.password, client_ip(request))
    return logged_in(request, settings.cookie_secure, token, p)


@router.post("/api/citizen/login", summary="Citizen login (ID number, password or one-time code)")
def citizen_login(request: Request, accounts: AccountsDep, settings: SettingsDep, body: CitizenLogin):
    token, p = accounts.login_citizen(body.id_number, body.password or body.code or "", client_ip(request))
    return logged_in(request, settings.cookie_secure, token, p)


@router.post("/api/logout")
def logout(request: Request, accounts: AccountsDep, actor: Actor):
    accounts.logout(bearer(request) or "")
    resp = JSONResponse({"ok": True})
    resp.delete_cookie(COOKIE)
    return resp


@router.get("/api/me")
def me(actor: Actor):
    return me_json(actor)
