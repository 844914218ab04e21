"""The web application: the JSON API (digitize.api) and the pages (digitize.web), assembled over one service.

Uploads are stored (original bytes under their SHA-256) before they are checked; processing runs in the
background and is polled with GET /api/dossiers/{id}. OpenAPI at /docs, served from the package (no CDN:
counters may have no internet).
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi_offline import FastAPIOffline

from digitize.api import errors
from digitize.api.access_log import mask_access_log
from digitize.api.deps import no_nul
from digitize.api.routes import ROUTERS
from digitize.api.same_origin import SameOriginMiddleware
from digitize.api.security_headers import SecurityHeadersMiddleware
from digitize.core.config import Settings, get_settings
from digitize.dossiers.jobs import make_runner
from digitize.dossiers.service import DossierService, open_service
from digitize.outbox.sender import Sender
from digitize.papers.review import Review
from digitize.papers.vault import Vault
from digitize.people import auth
from digitize.people.accounts import Accounts
from digitize.signing.links import Links
from digitize.web import pages as web_pages


def mark_binary_uploads(schema: dict) -> dict:
    """Give file fields `format: binary` beside OpenAPI 3.1's `contentMediaType`: Swagger UI only draws a file
    picker for the former, and without one nobody can upload a scan from /docs."""

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("contentMediaType") == "application/octet-stream":
                node["format"] = "binary"
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return schema


def create_app(settings: Settings | None = None, service: DossierService | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        mask_access_log()
        auth.dummy_hash()  # now, so that the first login with a wrong username takes no longer than the next
        svc = service or open_service(settings)
        app.state.service = svc
        app.state.accounts = Accounts(svc.ctx.session)
        app.state.vault = Vault(svc.ctx, svc.queries)
        app.state.review = Review(svc.ctx, svc.certifier)
        app.state.links = Links(settings, svc.ctx.store, svc.ctx.clock)
        app.state.runner = make_runner(svc)
        for dossier_id in svc.reading.unfinished():  # dossiers a stop left half-read
            app.state.runner.enqueue(dossier_id)
        app.state.sender = Sender(svc.ctx)  # the outbox's messages, off the requests' path
        app.state.sender.start()
        yield
        app.state.sender.stop()
        app.state.runner.stop()
        if service is None:
            svc.close()

    app = FastAPIOffline(
        title="digitize",
        description="Số hóa hồ sơ tại Bộ phận Một cửa: làm sạch bản quét, nhận dạng tiếng Việt, PDF tìm kiếm được.",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(no_nul)],
    )
    app.add_middleware(SameOriginMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(web_pages.router)
    web_pages.mount_static(app)

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = mark_binary_uploads(
                get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
