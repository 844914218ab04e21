"""`digitize bench-search` on a small corpus, on the suite's database: it prints a row per kind of query and the
whole, finds what the counter's agency holds, and the other agency's codes find nothing."""

from __future__ import annotations

import re

from digitize.devtools.search_bench import run_search_bench
from tests.support.postgres import PG_ADMIN


def test_the_search_benchmark_prints_its_table(tmp_path, capsys, _test_database):
    assert run_search_bench(300, 16, _test_database or "", tmp_path) == 0
    out = capsys.readouterr().out
    assert f"{'postgresql' if PG_ADMIN else 'sqlite'}: 300 pages in 30 dossiers written" in out
    rows = {m[1]: (int(m[2]), int(m[3])) for m in re.finditer(r"^\| ([^|]+?) \| (\d+) \| (\d+)/\d+ \|", out, re.M)}
    assert rows["other agency's code"] == (2, 0)
    assert all(found == n for kind, (n, found) in rows.items() if kind not in ("other agency's code", "all"))
    assert rows["all"] == (16, 14)
    assert run_search_bench(300, 16, _test_database or "", tmp_path) == 2  # not into a database that has entries
