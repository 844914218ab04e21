"""The command line: `digitize scan | serve | worker | user | reindex | watch | batch | bench | eval | load`. Each
module of this package adds its commands' arguments and turns them into calls of the service's typed functions."""

from __future__ import annotations

import argparse
import sys

from digitize.cli import devtools, ingest, scan, server


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="digitize", description="Digitize dossiers: clean, read and store scans.")
    sub = p.add_subparsers(dest="cmd", required=True)
    for commands in (scan, server, ingest, devtools):
        commands.add(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
