"""Headers every answer carries so a browser limits what a page of ours can be made to do.

No page of ours may be framed by another site (clickjacking an approval); no answer is sniffed into another type
(an uploaded scan served as HTML); our pages run only the scripts and styles served from this origin, so text
read off a scan can never run as a script even if it slipped past escaping. The API's own documentation pages
(/docs, /redoc) carry inline scripts of their own and get the frame and sniffing rules only.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALWAYS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # download links and ID numbers in our URLs go to no other site
}
# Styles may be inline: the receipt writes its paper size as an @page rule; scripts may not.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_policy = not scope["path"].startswith(DOCS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                if with_policy:
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)
