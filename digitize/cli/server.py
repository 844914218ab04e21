"""`digitize serve` (the web application), `digitize worker` (a Celery worker reading pages), `digitize user`
(a staff account: how a real deployment gets its first admin) and `digitize reindex` (the search index written
again from the records)."""

from __future__ import annotations

import argparse
import getpass
import sys
import time

from digitize.cli.common import fail, refused, service
from digitize.core.config import get_settings
from digitize.core.errors import DigitizeError
from digitize.people import auth
from digitize.people.demo import seed
from storage.records import STAFF_ROLES, Agency


def add(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="run the HTTP API and web pages")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="create demo agencies and accounts (make run)")
    serve.set_defaults(fn=cmd_serve)

    worker = sub.add_parser("worker", help="read pages for the service from the Redis queue (Celery worker)")
    worker.add_argument("--concurrency", type=int, default=0, help="pages at once (default: one per core)")
    worker.add_argument("--loglevel", default="INFO")
    worker.set_defaults(fn=cmd_worker)

    user = sub.add_parser("user", help="create a staff account (password from the terminal or stdin)")
    user.add_argument("username")
    user.add_argument("--name", required=True, help="full name, as on the signing certificate")
    user.add_argument("--role", required=True, choices=[str(r) for r in STAFF_ROLES])
    user.add_argument("--agency", required=True, help="unit code, e.g. 000.00.31.H29")
    user.add_argument("--agency-name", default="", help="name of the agency when it is new")
    user.set_defaults(fn=cmd_user)

    reindex = sub.add_parser("reindex", help="write the search index again from the dossiers, papers and pages")
    reindex.set_defaults(fn=cmd_reindex)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn  # only the server needs it

    from digitize.app import create_app

    settings = get_settings()
    if args.demo:
        svc = service(settings)
        try:
            print("demo accounts (generated people, do not use in production):")
            print("\n".join(seed(svc)))
        finally:
            svc.close()
    # The app makes its own service and closes it (and its page workers) at shutdown. Live screens hold event
    # streams open: on shutdown they are cut after a few seconds instead of waited for.
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", timeout_graceful_shutdown=5)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from digitize.dossiers.tasks import run_worker  # Celery loads only here

    settings = get_settings()
    if not settings.redis_url:
        return fail("worker needs DIGITIZE_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    run_worker(settings, args.concurrency or settings.workers, args.loglevel)
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    """Create an agency (if new) and a staff account."""
    password = getpass.getpass(f"password for {args.username}: ") if sys.stdin.isatty() else sys.stdin.readline()
    svc = service(get_settings())
    try:
        with svc.ctx.session() as s:
            if s.get(Agency, args.agency) is None:
                if not args.agency_name:
                    return fail(f"agency {args.agency} is new: give --agency-name")
                s.add(Agency(code=args.agency, name=args.agency_name))
                s.flush()
            auth.create_user(s, args.username, args.name, password.strip(), args.role, args.agency)
    except DigitizeError as exc:
        return refused(exc)
    finally:
        svc.close()
    print(f"created {args.role} {args.username} at {args.agency}")
    return 0


def cmd_reindex(_args: argparse.Namespace) -> int:
    from digitize.dossiers.search_index import rebuild

    svc = service(get_settings())
    started = time.monotonic()
    try:
        n = rebuild(svc.ctx)
    finally:
        svc.close()
    print(f"search index written again: {n} entries in {time.monotonic() - started:.1f} s")
    return 0
