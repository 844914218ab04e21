"""The real set's loader and scoring: a fake real set built from generated pages, read by a stand-in for our
reader and by plain Tesseract; and, when the real folder is present, every one of its label files parses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from digitize.devtools import realset, synth
from digitize.devtools.realset import item_table, lines_found, load_realset, run_realset, table
from ocr.text import cer

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

A5 = (148.0, 210.0)
COMMIT = "0" * 40


def put(folder: Path, kind: str, name: str, rgb, **meta) -> Path:
    (folder / kind).mkdir(parents=True, exist_ok=True)
    path = folder / kind / f"{name}.png"
    path.write_bytes(synth.encode(rgb, "png", dpi=200))
    label = {"kind": kind, "source": {"repo": "test/generated", "commit": COMMIT, "path": name}, "licence": "n/a"}
    (folder / kind / f"{name}.json").write_text(json.dumps({**label, **meta}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fake_set(tmp_path_factory):
    """Two upright generated pages with full text, and one turned 'receipt' labelled with lines only."""
    folder = tmp_path_factory.mktemp("realset")
    pages = [synth.render_page(seed=s, dpi=200, header=False, paragraphs=2, size_mm=A5) for s in (11, 12)]
    for i, page in enumerate(pages):
        capitalised = [ln for ln in page.lines if ln != ln.lower()][:3]  # a lower-cased reading cannot match them
        assert len(capitalised) == 3
        put(folder, "letter", f"page{i}", page.image, upright=True, lines=capitalised, text=page.text)
    receipt = synth.render_page(seed=13, dpi=200, header=False, paragraphs=1, size_mm=A5)
    put(folder, "receipt_photo", "turned", synth.turn(receipt.image, 180), upright=False, rotation=180,
        lines=receipt.lines[:2])  # fmt: skip
    return folder, pages, receipt


def test_lines_found_collapses_space_and_can_fold_case():
    text = "CỘNG HÒA XÃ HỘI\n  CHỦ NGHĨA   VIỆT NAM\nĐộc lập - Tự do"
    lines = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "độc lập - tự do", "Hạnh phúc", "  "]
    assert lines_found(lines, text) == (1, 3)
    assert lines_found(lines, text, fold_case=True) == (2, 3)
    # NFC: a decomposed reading (combining marks) still matches the composed label
    assert lines_found(["Việt"], "Vie\u0323\u0302t") == (1, 1)


def test_scoring_with_a_fake_reader_and_plain_tesseract(fake_set):
    folder, pages, receipt = fake_set
    items = load_realset(folder)
    assert [i.name for i in items] == ["letter/page0.png", "letter/page1.png", "receipt_photo/turned.png"]

    answers = {
        "page0.png": (pages[0].text, 0),  # perfect
        "page1.png": (pages[1].text.lower(), 90),  # right letters, wrong case, turned by mistake
        "turned.png": (receipt.lines[0], 180),  # one of its two lines, orientation found
    }
    res = run_realset(folder, lambda p: answers[p.name])

    letter, receipt_kind, overall = res["kinds"]["letter"], res["kinds"]["receipt_photo"], res["all"]
    lower_cer = cer(pages[1].text, pages[1].text.lower())
    assert letter["n"] == 2 and letter["n_text"] == 2 and lower_cer > 0.01
    assert letter["cer_ours"] == pytest.approx(lower_cer / 2)
    assert (letter["found_ours"], letter["found_ours_ci"], letter["lines"]) == (3, 6, 6)
    assert (letter["upright"], letter["kept_upright"]) == (2, 0.5)
    assert receipt_kind["cer_ours"] is None and receipt_kind["upright"] == 0
    assert (receipt_kind["found_ours"], receipt_kind["lines"], receipt_kind["orientation_right"]) == (1, 2, 1.0)
    assert overall["n"] == 3 and overall["orientation_right"] == pytest.approx(2 / 3)

    # Plain Tesseract really read the clean upright pages, and not the upside-down one.
    assert letter["cer_plain"] < 0.05, res["items"][:2]
    assert letter["lines_found_plain"] >= 0.5
    assert receipt_kind["found_plain"] == 0

    out = table(res)
    assert out.splitlines()[0].startswith("| kind | n | CER ours | CER plain | lines found ours | lines found plain")
    assert re.search(r"\| letter \| 2 \| [\d.]+ \| [\d.]+ \| 50\.0 % \(3/6\) \|", out), out
    assert re.search(r"\| all \| 3 \|.*\| 50\.0 % \(1/2\) \| 66\.7 % \|$", out), out
    rows = item_table(res).splitlines()
    assert rows[2].startswith("| letter/page0.png | 0.000 | ") and rows[2].endswith("| 3/3 | 3/3 |"), rows
    assert rows[4].startswith("| receipt_photo/turned.png | - | - | 1/2 | 0/2 |"), rows


def test_a_malformed_label_file_is_an_error(tmp_path):
    img = synth.render_page(seed=1, dpi=100, header=False, paragraphs=0, size_mm=A5).image
    put(tmp_path, "letter", "nosource", img, upright=True, lines=["x"])
    meta = tmp_path / "letter" / "nosource.json"
    meta.write_text(json.dumps({"kind": "letter", "upright": True, "lines": ["x"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="source"):
        load_realset(tmp_path)
    label = {"kind": "letter", "source": {"repo": "a/b", "commit": COMMIT, "path": "p"}, "upright": True}
    meta.write_text(json.dumps({**label, "rotation": 90, "lines": ["x"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="rotation"):
        load_realset(tmp_path)


def test_the_real_folder_parses():
    folder = realset.default_folder()
    if not folder.is_dir():
        pytest.skip(f"real set not present at {folder} (set DIGITIZE_REALSET or place it in ../shared/realset)")
    labels = sorted(folder.glob("*/*.json"))
    items = load_realset(folder)
    assert labels and len(items) == len(labels)
    for item in items:
        assert item.path.is_file() and item.path.stat().st_size > 0, item.name
        assert item.path.parent.name == item.kind, item.name
        assert re.fullmatch(r"[0-9a-f]{40}", item.source["commit"]) and "/" in item.source["repo"], item.name
        assert item.licence, item.name
        assert item.lines or item.text, item.name
    provenance = (folder / "PROVENANCE.md").read_text(encoding="utf-8")
    for item in items:
        assert f"`{item.kind}/{item.path.name}`" in provenance, f"{item.name} missing from PROVENANCE.md"


def _real_items() -> list:
    folder = realset.default_folder()
    if not folder.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"real set not present at {folder}"))]
    return [pytest.param(item, id=item.name) for item in load_realset(folder)]


@pytest.mark.parametrize("item", _real_items())
def test_no_real_page_reads_worse_than_plain(item):
    """Our reading of each real image against plain Tesseract's on the same pixels: no higher CER where the
    source gives the text, and as many of its labelled lines found (in any case) where it gives lines."""
    from digitize.devtools.evaluate import read_real

    row = realset.score_item(item, read_real(item.path), realset.plain_tesseract(item.path))
    if row["cer_ours"] is not None:
        assert row["cer_ours"] <= row["cer_plain"], row
    assert row["found_ours_ci"] >= row["found_plain_ci"], row
