"""The web pages: one per kind of user, in Vietnamese, plain HTML/CSS/JS served by the app (no CDN: counters may
have no internet). Pages are thin shells; their script calls the JSON API with the session cookie."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from digitize.api.deps import current, get_accounts
from digitize.core.errors import DigitizeError
from digitize.core.text import is_control
from digitize.people.auth import Principal
from storage.records import Role

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

ROLE_VI = {Role.COUNTER: "Cán bộ tiếp nhận", Role.REVIEWER: "Chuyên viên kiểm tra", Role.LEADER: "Lãnh đạo",
           Role.ADMIN: "Quản trị", Role.CITIZEN: "Công dân"}  # fmt: skip
HOME = {Role.COUNTER: "/quay", Role.REVIEWER: "/kiem-tra", Role.LEADER: "/lanh-dao", Role.ADMIN: "/quan-tri",
        Role.CITIZEN: "/cong-dan"}  # fmt: skip
NAV = [("/quay", "Tiếp nhận", {Role.COUNTER}), ("/kiem-tra", "Kiểm tra", {Role.REVIEWER}),
       ("/lanh-dao", "Số liệu", {Role.LEADER, Role.ADMIN}), ("/quan-tri", "Quản trị", {Role.ADMIN}),
       ("/cong-dan", "Giấy tờ của tôi", {Role.CITIZEN})]  # fmt: skip


def local_path(target: str) -> str:
    """`target` if it is a path of this site to go to after login, else "". Browsers read a backslash as a slash
    and drop tabs and newlines, so a path that turns into "//example.org" that way leads to another site: an open
    redirect. A path with any of those characters is refused whole."""
    if any(is_control(ch) or ch == "\\" for ch in target):
        return ""
    parts = urlsplit(target)
    ok = target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc
    return target if ok else ""


def mount_static(app) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


def who(request: Request) -> Principal | None:
    """The logged-in user, or None: a page sends nobody an error, only to the login page."""
    try:
        return current(request)
    except DigitizeError:
        return None


def page(request: Request, name: str, roles: set[str], title: str, **context) -> Response:
    """The page for a logged-in user of one of `roles`; others go to the login page or get a refusal page."""
    p = who(request)
    if p is None:
        return RedirectResponse(f"/dang-nhap?next={request.url.path}", status_code=303)
    if p.role not in roles:
        return templates.TemplateResponse(
            request, "refused.html", {"me": p, "title": "Không có quyền", "nav": nav(p), "role_vi": ROLE_VI,
                                      "home": HOME.get(p.role, "/")}, status_code=403)  # fmt: skip
    agency_name = get_accounts(request).agency_name(p.agency) if p.agency else None
    return templates.TemplateResponse(request, name, {"me": p, "title": title, "nav": nav(p), "role_vi": ROLE_VI,
                                                      "agency_name": agency_name, **context})  # fmt: skip


def nav(p: Principal) -> list[tuple[str, str]]:
    return [(href, label) for href, label, roles in NAV if p.role in roles]


router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    p = who(request)
    return RedirectResponse(HOME.get(p.role, "/dang-nhap") if p else "/dang-nhap", status_code=303)


@router.get("/dang-nhap", response_class=HTMLResponse)
def login(request: Request, next: str = ""):
    return templates.TemplateResponse(request, "login.html", {"title": "Đăng nhập", "next": local_path(next),
                                                              "home": HOME})  # fmt: skip


@router.get("/quay", response_class=HTMLResponse)
def counter(request: Request):
    return page(request, "counter.html", {Role.COUNTER}, "Tiếp nhận hồ sơ")


@router.get("/quay/bien-nhan/{dossier_id}", response_class=HTMLResponse)
def receipt(request: Request, dossier_id: str):
    return page(request, "receipt.html", {Role.COUNTER}, "Giấy biên nhận", dossier_id=dossier_id)


@router.get("/kiem-tra", response_class=HTMLResponse)
def review(request: Request):
    return page(request, "review.html", {Role.REVIEWER}, "Kiểm tra dữ liệu số hóa")


@router.get("/cong-dan", response_class=HTMLResponse)
def citizen(request: Request):
    return page(request, "citizen.html", {Role.CITIZEN}, "Giấy tờ đã số hóa của tôi")


@router.get("/lanh-dao", response_class=HTMLResponse)
def leader(request: Request):
    return page(request, "leader.html", {Role.LEADER, Role.ADMIN}, "Số liệu số hóa")


@router.get("/quan-tri", response_class=HTMLResponse)
def admin(request: Request):
    # The roles an admin may give, in Vietnamese, in the order of the page's list.
    choices = [(r, ROLE_VI[r]) for r in (Role.COUNTER, Role.REVIEWER, Role.LEADER, Role.ADMIN)]
    return page(request, "admin.html", {Role.ADMIN}, "Quản trị đơn vị", role_choices=choices)
