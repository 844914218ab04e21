"""The web pages: one per kind of user, in Vietnamese, plain HTML/CSS/JS served by the app (no CDN: counters may
have no internet). Pages are thin shells; their script calls the JSON API with the session cookie."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from digitize.api.deps import current, get_accounts, get_service, public_site
from digitize.core.errors import DigitizeError
from digitize.core.text import is_control
from digitize.people.auth import Principal
from storage.records import Role

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def dmy(iso: str | None) -> str:
    """An ISO date of the API as every page shows it, dd/mm/yyyy; nothing for none."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


templates.env.filters["dmy"] = dmy

ROLE_VI = {Role.COUNTER: "Cán bộ tiếp nhận", Role.REVIEWER: "Chuyên viên kiểm tra", Role.LEADER: "Lãnh đạo",
           Role.ADMIN: "Quản trị", Role.CITIZEN: "Công dân"}  # fmt: skip
HOME = {Role.COUNTER: "/quay", Role.REVIEWER: "/kiem-tra", Role.LEADER: "/lanh-dao", Role.ADMIN: "/quan-tri",
        Role.CITIZEN: "/cong-dan"}  # fmt: skip
NAV = [("/quay", "Tiếp nhận", {Role.COUNTER}),
       ("/quay/so-theo-doi", "Sổ theo dõi", {Role.COUNTER, Role.LEADER, Role.ADMIN}),
       ("/kiem-tra", "Kiểm tra", {Role.REVIEWER}), ("/quay/ho-so", "Danh sách hồ sơ", {Role.COUNTER, Role.REVIEWER}),
       ("/lanh-dao", "Số liệu", {Role.LEADER, Role.ADMIN}), ("/quan-tri", "Quản trị", {Role.ADMIN}),
       ("/cong-dan", "Giấy tờ của tôi", {Role.CITIZEN})]  # fmt: skip


# The header's search box (search.js) on the pages that have one: what its placeholder says it finds.
FIND_DOSSIERS = "Tìm hồ sơ: mã, họ tên, số định danh, chữ trong trang…"
FIND_PAPERS = "Tìm giấy tờ: mã hồ sơ, họ tên, chữ trong trang…"
FIND_MINE = "Tìm trong hồ sơ, giấy tờ của tôi…"


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


def page(request: Request, name: str, roles: set[str], title: str, status_code: int = 200, **context) -> Response:
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
                                                      "agency_name": agency_name, "home": HOME.get(p.role, "/"),
                                                      **context}, status_code=status_code)  # fmt: skip


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


# Public pages, no login (issue 14): whoever holds a receipt or a certified copy; their script calls the public API.
@router.get("/tra-cuu", response_class=HTMLResponse)
def public_status(request: Request):
    return templates.TemplateResponse(request, "lookup.html", {"title": "Tra cứu hồ sơ"})


@router.get("/xac-minh", response_class=HTMLResponse)
def verify_copy(request: Request):
    return templates.TemplateResponse(request, "verify.html", {"title": "Xác minh bản sao điện tử"})


@router.get("/quay", response_class=HTMLResponse)
def counter(request: Request):
    return page(request, "counter.html", {Role.COUNTER}, "Tiếp nhận hồ sơ", search=FIND_DOSSIERS)


@router.get("/quay/ho-so", response_class=HTMLResponse)
def dossier_list(request: Request):
    """The agency's dossiers, filtered and searched; the filters are the address's query (dossiers.js)."""
    return page(request, "dossiers.html", {Role.COUNTER, Role.REVIEWER}, "Danh sách hồ sơ", search=FIND_DOSSIERS)


@router.get("/danh-gia", response_class=HTMLResponse)
def kiosk(request: Request):
    """The rating screen of the officer's counter, turned towards the citizen: a tab on a second monitor, or a
    tablet logged in as the officer (the citizen logs in to nothing)."""
    return page(request, "kiosk.html", {Role.COUNTER}, "Đánh giá mức độ hài lòng")


# The one-stop forms of Circular 01/2018/TT-VPCP (docs/forms.md): the page's address names the form in Vietnamese.
SLIPS = {"tiep-nhan": ("receipt", "receipt.html"), "bo-sung": ("supplement", "supplement.html"),
         "tu-choi": ("refusal", "refusal.html"), "xin-loi": ("apology", "apology.html"),
         "kiem-soat": ("control", "control.html")}  # fmt: skip
SLIP_ROLES = {Role.COUNTER, Role.REVIEWER, Role.LEADER}


@router.get("/quay/bien-nhan/{dossier_id}", response_class=HTMLResponse)
def receipt(request: Request, dossier_id: str):
    return slip(request, "tiep-nhan", dossier_id)


@router.get("/quay/phieu/{slug}/{dossier_id}", response_class=HTMLResponse)
def slip(request: Request, slug: str, dossier_id: str):
    """A form of the dossier drawn by the server from its records; a form that does not apply (a receipt for a
    refused dossier) is a page saying so in Vietnamese."""
    p = who(request)
    kind, template = SLIPS.get(slug, (slug, "receipt.html"))
    if p is None or p.role not in SLIP_ROLES:
        return page(request, template, SLIP_ROLES, "Biểu mẫu")
    try:
        f = get_service(request).slips.slip(dossier_id, kind, p, public_site(request))
    except DigitizeError as e:
        return page(request, "refused.html", SLIP_ROLES, "Không in được biểu mẫu", problem=e.reason_vi,
                    status_code=e.status)  # fmt: skip
    return page(request, template, SLIP_ROLES, f["title"].capitalize(), f=f)


@router.get("/quay/so-theo-doi", response_class=HTMLResponse)
def book(request: Request, tu: str = "", den: str = ""):
    """Form 06 between two days typed dd/mm/yyyy (the last 30 days by default)."""
    p = who(request)
    if p is None or p.role not in BOOK_ROLES:
        return page(request, "book.html", BOOK_ROLES, "Sổ theo dõi hồ sơ")
    service = get_service(request)
    try:
        end = parse_dmy(den) if den else service.ctx.today()
        start = parse_dmy(tu) if tu else end - timedelta(days=30)
        rows, error = service.handling.book(p, start, end), None
    except DigitizeError as e:
        start = end = service.ctx.today()
        rows, error = [], e.reason_vi
    return page(request, "book.html", BOOK_ROLES, "Sổ theo dõi hồ sơ", rows=rows, error=error,
                start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}", start_iso=start.isoformat(),
                end_iso=end.isoformat())  # fmt: skip


BOOK_ROLES = {Role.COUNTER, Role.LEADER, Role.ADMIN}


def parse_dmy(text: str) -> date:
    """A day typed dd/mm/yyyy, as every page shows dates."""
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise DigitizeError("bad_date", f"not a dd/mm/yyyy date: {text!r}",
                            f"Ngày «{text}» không đúng dạng dd/mm/yyyy.", status=422) from None  # fmt: skip


@router.get("/kiem-tra", response_class=HTMLResponse)
def review(request: Request):
    return page(request, "review.html", {Role.REVIEWER}, "Kiểm tra dữ liệu số hóa", search=FIND_PAPERS)


@router.get("/cong-dan", response_class=HTMLResponse)
def citizen(request: Request):
    return page(request, "citizen.html", {Role.CITIZEN}, "Giấy tờ đã số hóa của tôi", search=FIND_MINE)


@router.get("/lanh-dao", response_class=HTMLResponse)
def leader(request: Request):
    p = who(request)  # an admin may see the figures; searching dossiers is the agency's staff's (403 for admins)
    search = FIND_DOSSIERS if p and p.role == Role.LEADER else None
    return page(request, "leader.html", {Role.LEADER, Role.ADMIN}, "Số liệu số hóa", search=search)


@router.get("/quan-tri", response_class=HTMLResponse)
def admin(request: Request):
    # The roles an admin may give, in Vietnamese, in the order of the page's list.
    choices = [(r, ROLE_VI[r]) for r in (Role.COUNTER, Role.REVIEWER, Role.LEADER, Role.ADMIN)]
    return page(request, "admin.html", {Role.ADMIN}, "Quản trị đơn vị", role_choices=choices)
