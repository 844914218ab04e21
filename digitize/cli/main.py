"""Command line: `digitize scan`, `digitize serve`, `digitize bench`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from digitize.core.config import Settings, get_settings
from digitize.core.errors import DigitizeError


def _service(settings: Settings):
    from digitize.dossiers.service import DossierService

    return DossierService(settings)


def cmd_scan(args: argparse.Namespace) -> int:
    settings = get_settings()
    if args.workers:  # a copy: the cached settings are everyone's in this process
        settings = settings.model_copy(update={"workers": args.workers})
    svc = _service(settings)
    refused = 0
    try:
        try:
            dossier = svc.create_dossier(args.procedure)
        except DigitizeError as exc:
            print(f"digitize: {exc.code}: {exc.reason}", file=sys.stderr)
            return 2
        for path in args.files:
            p = Path(path)
            try:
                data = p.read_bytes()
            except OSError as exc:
                print(f"digitize: {path}: cannot read: {exc.strerror}", file=sys.stderr)
                refused += 1
                continue
            receipt = svc.add_file(dossier, p.name, data)
            if receipt.error is not None:
                refused += 1
                kept = f" (original kept as sha256 {receipt.sha256})" if receipt.stored else ""
                print(f"digitize: {path}: {receipt.error.code}: {receipt.error.reason}{kept}", file=sys.stderr)
        svc.process(dossier)
        report = svc.report(dossier)
    finally:
        svc.close()
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=None if args.compact else 1)
        sys.stdout.write("\n")
    else:
        print(f"dossier {report['dossier']}: {len(report['pages'])} pages")
        for pg in report["pages"]:
            flags = ", ".join(pg["warnings"] + (["blank"] if pg["blank"] else []))
            print(
                f"  [{pg['index']}] {pg['source']} {pg['paper']} {pg['dpi']} dpi rot {pg['rotation']} "
                f"skew {pg['skew_deg']:+.2f} conf {pg['confidence']:.2f} {flags}"
            )
        print(f"searchable PDF and page images stored under {settings.data_dir}/objects/dossiers/{dossier}/")
    return 1 if refused else 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from digitize.app import create_app

    settings = get_settings()
    if args.demo:
        from digitize.people.demo import seed

        service = _service(settings)
        try:
            print("demo accounts (generated people, do not use in production):")
            print("\n".join(seed(service)))
        finally:
            service.close()
    # The app makes its own service and closes it (and its page workers) at shutdown. Live screens hold event
    # streams open: on shutdown they are cut after a few seconds instead of waited for.
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", timeout_graceful_shutdown=5)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from digitize.dossiers.tasks import run_worker

    settings = get_settings()
    if not settings.redis_url:
        print("digitize: worker needs DIGITIZE_REDIS_URL (e.g. redis://127.0.0.1:6379/0)", file=sys.stderr)
        return 2
    run_worker(settings, args.concurrency or settings.workers, args.loglevel)
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    """Create an agency (if new) and a staff account: how a real deployment gets its first admin."""
    import getpass

    from digitize.people import auth
    from storage.records import Agency

    password = getpass.getpass(f"password for {args.username}: ") if sys.stdin.isatty() else sys.stdin.readline()
    svc = _service(get_settings())
    try:
        with svc.session() as s:
            if s.get(Agency, args.agency) is None:
                if not args.agency_name:
                    print(f"digitize: agency {args.agency} is new: give --agency-name", file=sys.stderr)
                    return 2
                s.add(Agency(code=args.agency, name=args.agency_name))
                s.flush()
            auth.create_user(s, args.username, args.name, password.strip(), args.role, args.agency)
    except DigitizeError as exc:
        print(f"digitize: {exc.code}: {exc.reason}", file=sys.stderr)
        return 2
    finally:
        svc.close()
    print(f"created {args.role} {args.username} at {args.agency}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from digitize.devtools.bench import run_bench

    return run_bench(args)


def cmd_eval(args: argparse.Namespace) -> int:
    from digitize.devtools.evaluate import run_eval

    return run_eval(args)


def cmd_watch(args: argparse.Namespace) -> int:
    from digitize.ingest.watch import check_procedure, staff_actor, watch

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"digitize: {folder} is not a folder", file=sys.stderr)
        return 2
    svc = _service(get_settings())
    try:
        try:
            actor = staff_actor(svc, args.user)
            check_procedure(svc, args.procedure)
        except DigitizeError as exc:
            print(f"digitize: {exc.code}: {exc.reason}", file=sys.stderr)
            return 2
        return watch(folder, svc, actor, args.procedure, args.interval, args.settle, args.once)
    finally:
        svc.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="digitize", description="Digitize dossiers: clean, read and store scans.")
    sub = parser.add_subparsers(dest="cmd", required=True)

    scan = sub.add_parser("scan", help="process files as one dossier")
    scan.add_argument("files", nargs="+", metavar="FILE")
    scan.add_argument("--procedure", help="procedure code, e.g. 1.001193")
    scan.add_argument("--json", action="store_true", help="print the dossier as JSON (docs/scan-json.md)")
    scan.add_argument("--compact", action="store_true", help="JSON on one line")
    scan.add_argument("--workers", type=int, default=0, help="parallel pages (default: one per core)")
    scan.set_defaults(fn=cmd_scan)

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
    user.add_argument("--role", required=True, choices=["counter", "reviewer", "leader", "admin"])
    user.add_argument("--agency", required=True, help="unit code, e.g. 000.00.31.H29")
    user.add_argument("--agency-name", default="", help="name of the agency when it is new")
    user.set_defaults(fn=cmd_user)

    bench = sub.add_parser("bench", help="measure speed and accuracy on generated pages")
    bench.add_argument("--pages", type=int, default=20)
    bench.add_argument("--workers", type=int, default=0)
    bench.add_argument("--no-ocrmypdf", action="store_true", help="skip the OCRmyPDF comparison")
    bench.add_argument("--out", default="", help="keep the generated pages and outputs in this folder")
    bench.set_defaults(fn=cmd_bench)

    ev = sub.add_parser("eval", help="accuracy of document types, fields and page text against labelled dossiers")
    ev.add_argument("dir", metavar="DIR", nargs="?", default="",
                    help="scans with truth JSON beside them (same name, or listed in it)")  # fmt: skip
    ev.add_argument("--real", metavar="DIR", nargs="?", const="",
                    help="read the real set instead (tests/realset.md; default $DIGITIZE_REALSET or ../shared/realset)"
                    " and print it beside plain Tesseract")  # fmt: skip
    ev.add_argument("--generate", type=int, default=0, metavar="N", help="first write N generated dossiers to DIR")
    ev.add_argument(
        "--family",
        action="append",
        metavar="NAME",
        help="generated, scan, photo, lowres or holdout (repeatable): read DIR/NAME/, where --generate writes N "
        "dossiers of that family; each family is a column of the tables",
    )
    ev.add_argument(
        "--mistakes", action="store_true", help="print each wrong type and field, wanted beside read (not for holdout)"
    )
    ev.add_argument("--workers", type=int, default=0)
    ev.set_defaults(fn=cmd_eval)

    wt = sub.add_parser("watch", help="hot folder: open a dossier for each scan the scanner software finishes")
    wt.add_argument("dir", metavar="DIR", help="folder the scanner writes to; DIR/<procedure code>/ sets the procedure")
    wt.add_argument("--user", required=True, help="counter account the dossiers are opened for")
    wt.add_argument("--procedure", help="procedure of files directly in DIR (default: none)")
    wt.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    wt.add_argument("--settle", type=float, default=2.0, help="seconds a file must stay unchanged before it is taken")
    wt.add_argument("--once", action="store_true", help="exit once nothing is pending (1 if a file failed)")
    wt.set_defaults(fn=cmd_watch)

    # Imported here: these pull in the service, and `digitize --help` should stay quick.
    from digitize.ingest.batch import add_command as add_batch

    add_batch(sub)
    from digitize.devtools.loadtest import add_command as add_load

    add_load(sub)
    args = parser.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
