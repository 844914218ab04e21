"""`digitize eval` on a generated labelled dossier, and its scoring on hand-made predictions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from digitize.evaluate import Tally, score


def test_eval_prints_the_tables(tmp_path):
    env = {**os.environ, "DIGITIZE_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "-m", "digitize.cli", "eval", str(tmp_path / "set"), "--generate", "1"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    truth = json.loads((tmp_path / "set" / "dossier-000-clean.json").read_text(encoding="utf-8"))
    types = [d["type"] for d in truth["documents"]]
    assert types[:3] == ["to_khai_khai_sinh", "giay_chung_sinh", "can_cuoc"] and len(types) == 4
    n_docs, n_fields = len(types), sum(len(d["fields"]) for d in truth["documents"])
    assert "| measure | clean | degraded |" in out
    row = re.search(
        rf"\| document type accuracy \| ([\d.]+) % \({n_docs}/{n_docs}\) \| ([\d.]+) % \({n_docs}/{n_docs}\) \|", out
    )
    assert row and row.groups() == ("100.0", "100.0"), out
    fields = re.search(rf"\| field exact match \| ([\d.]+) % \((\d+)/{n_fields}\)", out)
    assert fields and float(fields.group(1)) >= 85.0, out
    assert "| to_khai_khai_sinh.child_name |" in out and f"| {types[3]} |" in out


def test_scoring_counts_wrong_type_missing_and_confident_errors():
    truth = {
        "documents": [
            {"type": "giay_chung_sinh", "pages": [0], "fields": {"mother_name": {"value": "Lê Thị Mai"},
                                                                  "child_sex": {"value": "Nam"}}},
            {"type": "can_cuoc", "pages": [1], "fields": {"id_number": {"value": "079203012345"}}},
        ],
        "pages": [{"index": 0, "text": "abc"}],
    }  # fmt: skip
    got = {
        "documents": [
            {"type": "giay_chung_sinh", "pages": [0], "fields": {
                "mother_name": {"value": "Lê Thị Mai", "confidence": 0.95},
                "child_sex": {"value": "Nữ", "confidence": 0.93}}},
            {"type": "khac", "pages": [1], "fields": {}},
        ],
        "pages": [{"index": 0, "text": "abd"}],
    }  # fmt: skip
    t = Tally()
    score(truth, got, t, "clean")
    assert t.rate("type|clean") == "50.0 % (1/2)"
    assert t.rate("field|clean") == "33.3 % (1/3)"
    assert t.rate("id|clean") == "0.0 % (0/1)"
    assert t.rate("confident|clean") == "50.0 % (1/2)"
    assert abs(t.sums["cer|clean"][0] - 1 / 3) < 1e-9
