"""`digitize scan`: files read as one dossier, printed as a summary or as the JSON of docs/scan-json.md."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from digitize.cli.common import fail, refused, service, settings_with_workers
from digitize.core.errors import DigitizeError
from digitize.people.auth import SYSTEM

if TYPE_CHECKING:
    from digitize.dossiers.service import DossierService


def add(sub: argparse._SubParsersAction) -> None:
    scan = sub.add_parser("scan", help="process files as one dossier")
    scan.add_argument("files", nargs="+", metavar="FILE")
    scan.add_argument("--procedure", help="procedure code, e.g. 1.001193")
    scan.add_argument("--json", action="store_true", help="print the dossier as JSON (docs/scan-json.md)")
    scan.add_argument("--compact", action="store_true", help="JSON on one line")
    scan.add_argument("--workers", type=int, default=0, help="parallel pages (default: one per core)")
    scan.set_defaults(fn=cmd_scan)


def hand_in(svc: DossierService, dossier: str, paths: list[str]) -> int:
    """Each file into the dossier; a file that cannot be read or is refused is said on stderr. Returns how many
    were refused."""
    refused_files = 0
    for path in paths:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            fail(f"{path}: cannot read: {exc.strerror}")
            refused_files += 1
            continue
        receipt = svc.reception.add_file(dossier, p.name, data, SYSTEM)
        if receipt.error is not None:
            refused_files += 1
            kept = f" (original kept as sha256 {receipt.sha256})" if receipt.stored else ""
            fail(f"{path}: {receipt.error.code}: {receipt.error.reason}{kept}")
    return refused_files


def print_summary(report: dict, objects: Path) -> None:
    print(f"dossier {report['dossier']}: {len(report['pages'])} pages")
    for pg in report["pages"]:
        flags = ", ".join(pg["warnings"] + (["blank"] if pg["blank"] else []))
        print(
            f"  [{pg['index']}] {pg['source']} {pg['paper']} {pg['dpi']} dpi rot {pg['rotation']} "
            f"skew {pg['skew_deg']:+.2f} conf {pg['confidence']:.2f} {flags}"
        )
    print(f"searchable PDF and page images stored under {objects}/dossiers/{report['dossier']}/")


def cmd_scan(args: argparse.Namespace) -> int:
    settings = settings_with_workers(args.workers)
    svc = service(settings)
    try:
        try:
            dossier = svc.reception.create_dossier(args.procedure, SYSTEM)
        except DigitizeError as exc:
            return refused(exc)
        refused_files = hand_in(svc, dossier, args.files)
        svc.reading.process(dossier)
        report = svc.queries.report(dossier, SYSTEM)
    finally:
        svc.close()
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=None if args.compact else 1)
        sys.stdout.write("\n")
    else:
        print_summary(report, settings.data_dir / "objects")
    return 1 if refused_files else 0
