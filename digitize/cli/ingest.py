"""`digitize watch` (a hot folder the scanner software writes to) and `digitize batch` (an archive folder
digitized file by file, resumable)."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from digitize.cli.common import fail, refused, service, settings_with_workers
from digitize.core.config import get_settings
from digitize.core.errors import DigitizeError
from digitize.ingest.batch import STATE_DIR, batch_pool, run_batch
from digitize.ingest.watch import check_procedure, staff_actor, watch


def add(sub: argparse._SubParsersAction) -> None:
    add_watch(sub)
    add_batch(sub)


def add_watch(sub: argparse._SubParsersAction) -> None:
    wt = sub.add_parser("watch", help="hot folder: open a dossier for each scan the scanner software finishes")
    wt.add_argument("dir", metavar="DIR", help="folder the scanner writes to; DIR/<procedure code>/ sets the procedure")
    wt.add_argument("--user", required=True, help="counter account the dossiers are opened for")
    wt.add_argument("--procedure", help="procedure of files directly in DIR (default: none)")
    wt.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    wt.add_argument("--settle", type=float, default=2.0, help="seconds a file must stay unchanged before it is taken")
    wt.add_argument("--once", action="store_true", help="exit once nothing is pending (1 if a file failed)")
    wt.set_defaults(fn=cmd_watch)


def cmd_watch(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        return fail(f"{folder} is not a folder")
    svc = service(get_settings())
    try:
        try:
            actor = staff_actor(svc, args.user)
            check_procedure(svc, args.procedure)
        except DigitizeError as exc:
            return refused(exc)
        return watch(folder, svc, actor, args.procedure, args.interval, args.settle, args.once)
    finally:
        svc.close()


def add_batch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="digitize an archive folder: one dossier per file, resumable",
        description="Digitize every PDF/TIFF/JPEG/PNG file under DIR as one dossier of the procedure. "
        f"Progress is kept in DIR/{STATE_DIR}/: run again to resume after a stop.",
    )
    p.add_argument("dir", metavar="DIR", help="archive folder, read recursively")
    p.add_argument("--procedure", required=True, metavar="CODE", help="procedure code, e.g. 1.001193")
    p.add_argument("--user", required=True, metavar="USERNAME", help="counter account the dossiers are opened for")
    p.add_argument(
        "--results",
        action="store_true",
        help="the files are results the procedure issued (e.g. birth certificates): recorded as such",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="OCR processes, and files read at once (default: one per core)",
    )
    p.add_argument("--report", metavar="FILE", help=f"CSV of failures (default: DIR/{STATE_DIR}/report-<time>.csv)")
    p.add_argument("--retry-failed", action="store_true", help="do again files an earlier run failed on")
    p.set_defaults(fn=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        return fail(f"{folder} is not a folder")
    if args.workers < 0:
        return fail("--workers must be 1 or more")
    settings = settings_with_workers(args.workers)
    pool = batch_pool(settings)
    svc = service(settings, pool=pool)
    try:
        try:
            actor = staff_actor(svc, args.user).at("batch")
            if not (args.procedure or "").strip():
                raise DigitizeError(
                    "unknown_procedure",
                    "give the procedure code with --procedure",
                    "Cần chọn thủ tục (--procedure).",
                    status=422,
                )
            check_procedure(svc, args.procedure)
            state_dir = folder / STATE_DIR
            state_dir.mkdir(exist_ok=True)
        except DigitizeError as exc:
            return refused(exc)
        except OSError as exc:
            return fail(f"cannot write the state folder in {folder}: {exc.strerror}")
        hint = "run the same command again: " + shlex.join(
            ["digitize", "batch", str(folder), "--procedure", args.procedure, "--user", args.user]
            + (["--results"] if args.results else [])
        )
        try:
            return run_batch(
                folder,
                svc,
                actor,
                args.procedure,
                results=args.results,
                files_at_once=settings.workers,
                report=Path(args.report) if args.report else None,
                retry_failed=args.retry_failed,
                resume_hint=hint,
            )
        except DigitizeError as exc:  # another run holds the folder
            return refused(exc)
    finally:
        svc.close()
        pool.close()
