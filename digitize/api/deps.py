"""What routes depend on, as `Annotated` FastAPI dependencies: who is calling, and the app's service objects.

The objects are built once at start-up (digitize.app's lifespan) and kept on the app's state; a route names the one
it needs in its signature (`service: ServiceDep`) instead of reading `request.app.state` itself.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from digitize.core.config import Settings
from digitize.core.errors import DigitizeError
from digitize.dossiers.jobs import CeleryRunner, JobRunner
from digitize.dossiers.search import STAGES, DossierFilters
from digitize.dossiers.service import DossierService
from digitize.papers.review import Review
from digitize.papers.vault import Vault
from digitize.people import auth
from digitize.people.accounts import Accounts
from digitize.people.auth import Principal
from digitize.signing.links import Links

COOKIE = "digitize_session"


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def public_site(request: Request) -> str:
    """The address citizens reach the service at (DIGITIZE_PUBLIC_URL), else the one this request came to."""
    return get_settings(request).public_url or str(request.base_url)


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE)


def get_service(request: Request) -> DossierService:
    return request.app.state.service


def current(request: Request) -> Principal:
    with get_service(request).ctx.session() as s:
        return auth.principal_for(s, bearer(request), client_ip(request))


def get_settings(request: Request) -> Settings:
    return get_service(request).ctx.settings


def get_vault(request: Request) -> Vault:
    return request.app.state.vault


def get_accounts(request: Request) -> Accounts:
    return request.app.state.accounts


def get_review(request: Request) -> Review:
    return request.app.state.review


def get_links(request: Request) -> Links:
    return request.app.state.links


def get_runner(request: Request) -> JobRunner | CeleryRunner:
    return request.app.state.runner


def no_nul(request: Request) -> None:
    """PostgreSQL refuses a NUL character in a string (a 500): one in the path or the query is refused before any
    route runs; JSON bodies refuse it field by field (api.bodies), file names drop it (intake.file_name)."""
    if "\x00" in request.url.path or any("\x00" in k + v for k, v in request.query_params.multi_items()):
        raise DigitizeError("bad_request", "a NUL character is not allowed in the address",
                            "Yêu cầu không hợp lệ: địa chỉ chứa ký tự NUL.", status=422)  # fmt: skip


def dossier_filters(
    procedure: Annotated[str | None, Query(description="a procedure's code")] = None,
    status: Annotated[str | None, Query(description=f"one of {', '.join(STAGES)}")] = None,
    start: Annotated[date | None, Query(alias="from", description="received on or after (local day)")] = None,
    end: Annotated[date | None, Query(alias="to", description="received on or before (local day)")] = None,
    overdue: Annotated[bool, Query(description="past the promised date with no result")] = False,
    officer: Annotated[str | None, Query(description="received by this account")] = None,
) -> DossierFilters:
    return DossierFilters(procedure or None, status or None, start, end, overdue, officer or None)


Actor = Annotated[Principal, Depends(current)]
Filters = Annotated[DossierFilters, Depends(dossier_filters)]
ServiceDep = Annotated[DossierService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AccountsDep = Annotated[Accounts, Depends(get_accounts)]
VaultDep = Annotated[Vault, Depends(get_vault)]
ReviewDep = Annotated[Review, Depends(get_review)]
LinksDep = Annotated[Links, Depends(get_links)]
RunnerDep = Annotated[JobRunner | CeleryRunner, Depends(get_runner)]
