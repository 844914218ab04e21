"""`digitize eval` on a generated labelled dossier, and its scoring on hand-made predictions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from digitize.devtools import synth
from digitize.devtools.evaluate import Tally, column_of, discover, mistakes, page_images, pdf_resolutions, score

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)


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
    for who in ("digitize", "plain tesseract"):  # both readings of every page, side by side
        assert re.search(rf"\| character error rate \({who}\) \| [\d.]+ % \| [\d.]+ % \|", out), out


def test_eval_reports_a_family_in_its_own_column(tmp_path):
    env = {**os.environ, "DIGITIZE_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "-m", "digitize.cli", "eval", str(tmp_path / "set"), "--family", "lowres", "--generate", "1"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    truth = json.loads((tmp_path / "set" / "lowres" / "dossier-000.json").read_text(encoding="utf-8"))
    assert truth["family"] == "lowres" and len(truth["files"]) == 3
    n_fields = sum(len(d["fields"]) for d in truth["documents"])
    out = proc.stdout
    assert "| measure | lowres |" in out
    assert re.search(rf"\| field exact match \| [\d.]+ % \(\d+/{n_fields}\) \|", out), out
    assert re.search(r"\| document type accuracy \| [\d.]+ % \(\d/3\) \|", out), out
    assert re.search(r"\| card field exact match \| [\d.]+ % \(\d/8\) \|", out), out
    assert re.search(r"\| character error rate \(plain tesseract\) \| [\d.]+ % \|", out), out
    assert re.search(r"\| pages with CER ≤ plain tesseract's \| [\d.]+ % \(\d/3\) \|", out), out


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
    assert mistakes(truth, got) == [
        "giay_chung_sinh.child_sex: wanted 'Nam', read 'Nữ'",
        "type of pages [1]: wanted can_cuoc, read khac",
    ]


def test_empty_fields_must_stay_empty_and_cards_are_counted_apart():
    truth = {
        "documents": [
            {"type": "to_khai_khai_sinh", "pages": [0], "fields": {"father_name": {"value": ""},
                                                                    "mother_name": {"value": "Lê Thị Mai"}}},
            {"type": "can_cuoc", "pages": [1], "fields": {"sex": {"value": "Nữ"}}},
        ],
    }  # fmt: skip
    got = {
        "documents": [
            {"type": "to_khai_khai_sinh", "pages": [0], "fields": {
                "father_name": {"value": "Lê Thị Mai", "confidence": 0.95},
                "mother_name": {"value": "Lê Thị Mai", "confidence": 0.95}}},
            {"type": "can_cuoc", "pages": [1], "fields": {"sex": {"value": "Nữ", "confidence": 0.5}}},
        ],
        "pages": [],
    }  # fmt: skip
    t = Tally()
    score(truth, got, t, "photo")
    assert t.rate("empty|photo") == "0.0 % (0/1)"  # a value where the paper has none is an error
    assert t.rate("field|photo") == "66.7 % (2/3)"
    assert t.rate("card|photo") == "100.0 % (1/1)"
    assert t.rate("byfield|to_khai_khai_sinh.father_name|photo") == "0.0 % (0/1)"
    got["documents"][0]["fields"].pop("father_name")
    t = Tally()
    score(truth, got, t, "photo")
    assert t.rate("empty|photo") == "100.0 % (1/1)"


def test_discover_groups_the_files_a_truth_lists(tmp_path):
    for name in ("d-1.jpg", "d-2.jpg", "single.pdf", "loose.png"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "d.json").write_text(json.dumps({"family": "photo", "files": ["d-1.jpg", "d-2.jpg"], "documents": []}))
    (tmp_path / "single.json").write_text(json.dumps({"variant": "clean", "documents": []}))
    found = {tuple(f.name for f in d.files): d.truth for d in discover(tmp_path)}
    assert set(found) == {("d-1.jpg", "d-2.jpg"), ("single.pdf",), ("loose.png",)}
    assert column_of(found[("d-1.jpg", "d-2.jpg")]) == "photo" and column_of(found[("single.pdf",)]) == "clean"
    assert found[("loose.png",)] is None
    assert column_of({"family": "generated", "variant": "degraded"}) == "generated/degraded"


def test_pdf_pages_are_rasterised_at_their_own_resolution(tmp_path):
    page = synth.render_page(seed=1, dpi=150, paragraphs=1).image
    for dpi in (150, 240):
        pdf = synth.images_to_pdf([page, page], dpi=dpi)
        assert pdf_resolutions(pdf) == [dpi, dpi]
        (tmp_path / "p.pdf").write_bytes(pdf)
        shapes = [img.shape for img in page_images(tmp_path / "p.pdf")]
        assert len(shapes) == 2 and all(abs(a - b) <= 1 for s in shapes for a, b in zip(s, page.shape, strict=True))


@pytest.mark.parametrize(
    "args, rc, says",
    [
        ([], 2, "a folder DIR is needed"),
        (["{tmp}", "--family", "fotos"], 2, "unknown family fotos"),
        (["--real", "{tmp}/nowhere"], 1, "no real set at"),
    ],
)
def test_eval_refuses_what_it_cannot_read_with_a_reason(tmp_path, args, rc, says):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    proc = subprocess.run([sys.executable, "-m", "digitize.cli", "eval", *args], capture_output=True, text=True,
                          env={**os.environ, "DIGITIZE_DATA_DIR": str(tmp_path / "data")}, timeout=120)  # fmt: skip
    assert proc.returncode == rc and says in proc.stderr, (proc.returncode, proc.stderr)


def test_a_dossier_the_service_refuses_stays_in_the_figures_read_wrong(tmp_path):
    """A labelled dossier whose file the service refuses (or whose processing fails) is not dropped from the
    figures: its fields count as wrong, its page as read with nothing, the reason on stderr."""
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "bad-1.jpg").write_bytes(b"not an image at all")
    fields = {"full_name": {"value": "NGUYỄN VĂN AN"}, "sex": {"value": "Nam"}}
    truth = {"family": "photo", "files": ["bad-1.jpg"], "documents": [{"type": "can_cuoc", "pages": [0],
             "fields": fields}], "pages": [{"index": 0, "text": "CĂN CƯỚC CÔNG DÂN"}]}  # fmt: skip
    (folder / "bad.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "digitize.cli", "eval", str(folder)], capture_output=True, text=True,
                          env={**os.environ, "DIGITIZE_DATA_DIR": str(tmp_path / "data")}, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "bad-1.jpg: refused" in proc.stderr
    assert "| field exact match | 0.0 % (0/2) |" in proc.stdout, proc.stdout
    assert "| character error rate (digitize) | 100.00 % |" in proc.stdout, proc.stdout
