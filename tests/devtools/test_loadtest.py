"""`digitize load`: its figures and table, and one small real run against its own demo server."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from digitize.cli.devtools import add_load
from digitize.devtools.loadtest import (
    DossierRun,
    Summary,
    check_receipts,
    error_summary,
    first_traceback,
    format_table,
    observe,
    percentile,
    spread,
    summarize,
)
from tests.support.fake_reader import NAME
from tests.support.paths import REPO


def test_percentile_matches_numpy_linear():
    xs = [7.0, 1.0, 3.5, 12.0, 2.0, 9.25]
    for q in (0, 10, 50, 90, 95, 100):
        assert percentile(xs, q) == pytest.approx(float(np.percentile(xs, q)))
    assert percentile([], 50) is None
    assert percentile([4.0], 95) == 4.0


def test_spread_and_error_summary():
    assert spread([]) == "-"
    assert spread([1.0, 2.0, 3.0]) == "2.0 / 2.9 / 3.0"
    assert error_summary([]) == "0"
    got = error_summary(["status answered 500: x", "timeout", "status answered 500: x", "a", "b"], top=2)
    assert got == "5: status answered 500: x ×2; timeout; +2 other"
    assert error_summary(["x" * 200], width=10) == "1: " + "x" * 9 + "…"


def test_first_traceback_of_a_server_log():
    log = """INFO:     127.0.0.1:5 - "GET /api/dossiers/x HTTP/1.1" 500 Internal Server Error
ERROR:    Exception in ASGI application
Traceback (most recent call last):
  File "a.py", line 1, in f
    cursor.execute(statement)
sqlite3.OperationalError: database is locked

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "b.py", line 2, in g
    status()
sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked
INFO:     127.0.0.1:6 - "GET /api/dossiers/x HTTP/1.1" 200 OK
Traceback (most recent call last):
ValueError: a later one
"""
    got = first_traceback(log).splitlines()
    assert got[0] == "Traceback (most recent call last):"
    assert got[-1] == "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked"
    assert len(got) == 11 and first_traceback(log, limit=2).splitlines()[0] == "    status()"
    assert first_traceback("INFO: all fine\n") == ""


def test_table_rows_and_escaping():
    whole = Summary("all", 4, 3, 30, [1.0, 2.0, 3.0], [5.0, 6.0, 7.0], ["upload answered 500: a|b"], clients=2,
                    wall_s=60.0, peak_mb=812.4)  # fmt: skip
    part = Summary("good + corrupt file", 1, 1, 10, [2.0], [6.0], [])
    table = format_table([whole, part]).splitlines()
    assert table[0].startswith("| dossiers | clients | finished / started | pages | wall s | pages/min |")
    assert len(table) == 4 and all(line.count(" | ") == table[0].count(" | ") for line in table[2:])
    assert table[2] == ("| all | 2 | 3 / 4 | 30 | 60 | 30.0 | 2.0 / 2.9 / 3.0 | 6.0 / 6.9 / 7.0 "
                        "| 1: upload answered 500: a\\|b | 812 |")  # fmt: skip
    assert table[3] == "| good + corrupt file | - | 1 / 1 | 10 | - | - | 2.0 / 2.0 / 2.0 | 6.0 / 6.0 / 6.0 | 0 | - |"


def test_observe_follows_a_dossier():
    run = DossierRun(client=0, upload=1, with_bad=False)
    assert not observe(run, {"status": "received", "pages": []}, 0.5, 2)
    assert not observe(run, {"status": "processing", "pages": [{"index": 0}]}, 1.5, 2)
    assert not observe(run, {"status": "processing", "pages": [{"index": 0}, {"index": 1}]}, 2.0, 2)
    done = {"status": "done", "pages": [{"index": 0}, {"index": 1}], "scans": {"pending": 0, "done": 2, "failed": 0}}
    assert observe(run, done, 3.0, 2)
    assert (run.first_page_s, run.done_s, run.pages, run.errors) == (1.5, 3.0, 2, [])

    # Everything seen at once (a slow look): the first page counts from that look.
    run = DossierRun(client=0, upload=2, with_bad=False)
    assert observe(run, {**done, "scans": {"pending": 0, "done": 1, "failed": 1}}, 4.0, 3)
    assert run.first_page_s == run.done_s == 4.0
    assert run.errors == ["1 failed page(s)", "done with 2 pages, 3 uploaded"]

    run = DossierRun(client=0, upload=3, with_bad=False)
    assert observe(run, {"status": "failed", "error": "OSError: disk full", "pages": []}, 9.0, 2)
    assert not run.finished and run.errors == ["dossier failed: OSError: disk full"]


def test_summary_counts_finished_dossiers_only():
    ok = DossierRun(0, 1, False, "a", first_page_s=2.0, done_s=5.0, pages=10)
    slow = DossierRun(1, 2, True, "b", first_page_s=4.0, done_s=9.0, pages=10, bad_refused=True)
    lost = DossierRun(2, 3, False, "c", errors=["timeout: not done 1800 s after upload"])
    s = summarize("all", [ok, slow, lost], ["login answered 401: x"], clients=3, wall_s=30.0, peak_mb=900.0)
    assert (s.started, s.finished, s.pages, s.first_page, s.done) == (3, 2, 20, [2.0, 4.0], [5.0, 9.0])
    assert s.errors == ["login answered 401: x", "timeout: not done 1800 s after upload"]
    assert s.pages_per_min == 40.0
    assert summarize("good file only", [ok, lost]).pages_per_min is None


def test_receipts_expected_and_unexpected():
    good = {"name": "a.pdf", "pages": 2}
    bad = {"name": "hong.pdf", "error": "corrupt_pdf", "reason": "hong.pdf is not a readable PDF"}
    run = DossierRun(client=0, upload=2, with_bad=True)
    check_receipts(run, [bad, good], 2)
    assert run.bad_refused is True and run.errors == []

    run = DossierRun(client=0, upload=2, with_bad=True)
    check_receipts(run, [{"name": "hong.pdf", "pages": 1}, good], 2)
    assert run.bad_refused is False and len(run.errors) == 2  # two accepted files, the corrupt one not refused

    run = DossierRun(client=0, upload=1, with_bad=False)
    check_receipts(run, [{**bad, "name": "a.pdf"}], 2)
    assert run.bad_refused is None and run.errors and run.errors[-1].startswith("good file refused: corrupt_pdf")


def test_load_run_against_own_server(tmp_path, capsys, monkeypatch):
    """3 counters for ~12 s on 2-page dossiers, a corrupt PDF in every second upload, through the command. The
    server reads with the fake engine (tests/support/fake_reader.py): this tests the tool's run and accounting over
    real HTTP and SQL; the figures of real reading under load are `digitize load`'s own, printed by the command."""
    monkeypatch.setenv("DIGITIZE_PAGE_READER", NAME)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    parser = argparse.ArgumentParser(prog="digitize")
    add_load(parser.add_subparsers(dest="cmd", required=True))
    out = tmp_path / "load.json"
    args = parser.parse_args(["load", "--clients", "3", "--pages", "2", "--seconds", "12", "--bad-every", "2",
                              "--workers", "2", "--json", str(out)])  # fmt: skip
    rc = args.fn(args)
    printed = capsys.readouterr().out
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["errors"] == 0, printed
    assert rc == 0
    runs = result["runs"]
    done = [r for r in runs if r["done_s"] is not None]
    assert len(done) == len(runs) >= 3
    assert all(r["pages"] == 2 and r["first_page_s"] <= r["done_s"] for r in done)
    bad = [r for r in runs if r["with_bad"]]
    assert bad and all(r["bad_refused"] is True for r in bad)
    assert [r["with_bad"] for r in runs] == [r["upload"] % 2 == 0 for r in runs]
    assert result["memory_mb"]["peak"] >= result["memory_mb"]["final"] > 0

    assert "| dossiers | clients | finished / started |" in printed
    assert f"| all | 3 | {len(runs)} / {len(runs)} | {2 * len(runs)} |" in printed
    assert "| good file only |" in printed and "| good + corrupt file |" in printed
    assert f"corrupt PDFs sent: {len(bad)}, refused as corrupt_pdf with a reason: {len(bad)}" in printed
