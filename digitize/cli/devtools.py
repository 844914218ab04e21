"""The developers' commands: `digitize bench` (speed and accuracy on generated pages), `digitize eval` (accuracy
on labelled dossiers and on the real set, beside plain Tesseract), `digitize load` (many counters at once) and
`digitize bench-search` (full-text search over many pages)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from digitize.cli.common import fail
from digitize.people.demo import DEMO_PASSWORD


def add(sub: argparse._SubParsersAction) -> None:
    add_bench(sub)
    add_eval(sub)
    add_load(sub)
    add_search_bench(sub)


def add_bench(sub: argparse._SubParsersAction) -> None:
    bench = sub.add_parser("bench", help="measure speed and accuracy on generated pages")
    bench.add_argument("--pages", type=int, default=20)
    bench.add_argument("--workers", type=int, default=0)
    bench.add_argument("--no-ocrmypdf", action="store_true", help="skip the OCRmyPDF comparison")
    bench.add_argument("--out", default="", help="keep the generated pages and outputs in this folder")
    bench.set_defaults(fn=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from digitize.devtools.bench import run_bench  # generated pages and OCR: loaded only for this command

    return run_bench(args.pages, args.workers, Path(args.out) if args.out else None, not args.no_ocrmypdf)


def add_search_bench(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench-search", help="time full-text search over many generated read pages")
    p.add_argument("--pages", type=int, default=100_000)
    p.add_argument("--queries", type=int, default=400)
    p.add_argument("--database", default="", help="an empty database's URL (default: SQLite in a temporary folder)")
    p.add_argument("--keep", default="", help="write the data here and keep it (default: a temporary folder)")
    p.set_defaults(fn=cmd_search_bench)


def cmd_search_bench(args: argparse.Namespace) -> int:
    from digitize.devtools.search_bench import run_search_bench

    return run_search_bench(args.pages, args.queries, args.database, Path(args.keep) if args.keep else None)


def add_eval(sub: argparse._SubParsersAction) -> None:
    ev = sub.add_parser("eval", help="accuracy of document types, fields and page text against labelled dossiers")
    ev.add_argument("dir", metavar="DIR", nargs="?", default="",
                    help="scans with truth JSON beside them (same name, or listed in it)")  # fmt: skip
    ev.add_argument("--real", metavar="DIR", nargs="?", const="",
                    help="read the real set instead (docs/realset.md; default $DIGITIZE_REALSET or ../shared/realset)"
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


def cmd_eval(args: argparse.Namespace) -> int:
    from digitize.devtools.evaluate import run_eval, run_real
    from digitize.devtools.realset import default_folder

    if args.real is not None:
        return run_real(Path(args.real) if args.real else default_folder())
    if not args.dir:
        return fail("eval: a folder DIR is needed (or --real)")
    return run_eval(Path(args.dir), args.family, args.generate, args.mistakes, args.workers)


def add_load(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="load benchmark: many counters opening, uploading and following dossiers")
    p.add_argument("--url", help="server to load (default: start `digitize serve --demo` in a temporary folder)")
    p.add_argument("--clients", type=int, default=20, help="concurrent counters")
    p.add_argument("--pages", type=int, default=10, help="pages of each uploaded PDF")
    p.add_argument("--seconds", type=float, default=120, help="start dossiers for this long, then finish them")
    p.add_argument("--bad-every", type=int, default=0, metavar="K",
                   help="a corrupt PDF beside the good one in every K-th upload (0: never)")  # fmt: skip
    p.add_argument("--user", default="quay1", help="counter account every client logs in as")
    p.add_argument("--password", default=DEMO_PASSWORD)
    p.add_argument("--workers", type=int, default=0, help="page workers of the server started here (default: cores)")
    p.add_argument("--follow", choices=["poll", "sse"], default="poll",
                   help="poll GET /api/dossiers/{id} every 0.25 s, or listen to its event stream")  # fmt: skip
    p.add_argument("--timeout", type=float, default=1800, help="seconds a dossier may take after its upload")
    p.add_argument("--citizen", default="", help="citizen ID number the dossiers are opened for (default: none)")
    p.add_argument("--json", default="", metavar="FILE", help="also write every dossier's figures to FILE")
    p.set_defaults(fn=cmd_load)


def cmd_load(args: argparse.Namespace) -> int:
    from digitize.devtools.loadtest import LoadConfig, result_json, run_load

    cfg = LoadConfig(url=args.url, clients=args.clients, pages=args.pages, seconds=args.seconds,
                     bad_every=args.bad_every, user=args.user, password=args.password, workers=args.workers,
                     follow=args.follow, timeout=args.timeout, citizen_id=args.citizen or None)  # fmt: skip
    try:
        result = run_load(cfg)
    except RuntimeError as exc:
        return fail(f"load: {exc}")
    if args.json:
        Path(args.json).write_text(json.dumps(result_json(result), ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if result.errors else 0
