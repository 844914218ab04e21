"""Cross-origin requests refused where they would ride on the session cookie (CSRF).

The session cookie is SameSite=Lax: another site cannot send it, but another origin of the same site can (another
port or subdomain of the agency's host), and a page there made an officer's browser approve a document and open a
dossier. A state-changing request that may ride on the cookie (it carries no Bearer token, which a page cannot
add to another origin's request without the server's consent) is refused unless the browser says it comes from
this origin: `Sec-Fetch-Site`, which every current browser sends, or else `Origin` against `Host`. A request with
neither comes from no browser (a script with its own cookie jar) and is not a forgery.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from digitize.core.errors import DigitizeError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OWN_SITES = frozenset({"same-origin", "none"})  # "none": typed in the address bar or a bookmark


def cross_origin(method: str, headers: Headers) -> bool:
    """Whether a browser sent this state-changing request from another origin, with whatever cookie it holds."""
    if method.upper() in SAFE_METHODS or headers.get("authorization", "").lower().startswith("bearer "):
        return False
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site.lower() not in OWN_SITES
    origin = headers.get("origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


def refusal() -> DigitizeError:
    return DigitizeError(
        "cross_origin",
        "a state-changing request from another origin is refused; use the app's own pages or a Bearer token",
        "Yêu cầu gửi từ trang khác bị từ chối. Vui lòng thao tác trên trang của hệ thống.",
        status=403,
    )


class SameOriginMiddleware:
    """Refuses `cross_origin` requests before any route runs (pure ASGI: uploads and streams pass untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and cross_origin(scope["method"], Headers(scope=scope)):
            err = refusal()
            await JSONResponse(err.to_json(), status_code=err.status)(scope, receive, send)
            return
        await self.app(scope, receive, send)
