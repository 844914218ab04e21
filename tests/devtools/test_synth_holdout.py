"""The independent generator of `digitize eval --family …`: its truth must be what it printed, normalised."""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import numpy as np
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from digitize.devtools import synth_holdout as sh
from forms import normalize
from forms.catalog import default_catalog
from forms.qr import parse_cccd
from ocr.tesseract import plain_read

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)

TYPES = {"to_khai_khai_sinh", "giay_chung_sinh", "can_cuoc"}


def check_id(number: str, born: str, sex: str | None = None) -> None:
    """docs/scan-json.md (Values): digit 4 is century and sex, digits 5-6 the year of birth."""
    assert len(number) == 12 and number.isdigit(), number
    year = int(born[:4])
    assert number[4:6] == f"{year % 100:02d}", (number, born)
    century, female = divmod(int(number[3]), 2)
    assert century == year // 100 - 19, (number, born)
    if sex is not None:
        assert bool(female) == (sex == "Nữ"), (number, sex)


def check_value(kind: str, key: str, value: str) -> None:
    if kind == "date":
        assert value == dt.date.fromisoformat(value).isoformat()
    elif kind == "year":
        assert len(value) == 4 and value.isdigit() and 1900 < int(value) < 2030
    elif kind == "sex":
        assert value in ("Nam", "Nữ")
    elif kind == "id_number":
        assert len(value) == 12 and value.isdigit()
    elif kind == "grams":
        assert value.isdigit() and 1500 <= int(value) <= 5000
    elif kind == "expiry":
        assert value == "Không thời hạn" or value == dt.date.fromisoformat(value).isoformat()
    else:
        assert normalize.NORMALISERS[kind](value) == value, (key, value)  # NFC, single spaces, old tone places


def file_pages(path) -> int:
    data = path.read_bytes()
    return len(PdfReader(io.BytesIO(data)).pages) if data[:5] == b"%PDF-" else 1


@pytest.mark.parametrize("family", sh.FAMILIES)
def test_each_family_writes_files_and_normalised_truth(tmp_path, family):
    (path,) = sh.write_family(tmp_path, family, 1)
    truth = json.loads(path.read_text(encoding="utf-8"))
    assert truth["family"] == family and truth["procedure"] == "1.001193"
    files = [tmp_path / name for name in truth["files"]]
    assert sum(file_pages(f) for f in files) == len(truth["pages"]) == len(truth["documents"]) == 3
    for f in files:
        if family in ("photo", "lowres") or f.suffix == ".jpg" and family == "holdout":
            assert Image.open(f).info.get("dpi") is None  # no resolution recorded: the pipeline must measure it
    if family == "lowres":
        assert all(Image.open(f).width <= 1241 for f in files)  # 150 dpi or less on A4
    catalog = default_catalog()
    docs = {d["type"]: d for d in truth["documents"]}
    assert set(docs) == TYPES and sorted(d["pages"][0] for d in docs.values()) == [0, 1, 2]
    for doc in truth["documents"]:
        fields = {k: v["value"] for k, v in doc["fields"].items()}
        dtype = catalog.document_types[doc["type"]]
        for key, value in fields.items():
            assert dtype.field(key) is not None, key
            if value == "":
                assert key.startswith("father_"), key  # only the father block may be left blank
                continue
            check_value(dtype.field(key).kind, key, value)
        page_text = truth["pages"][doc["pages"][0]]["text"]
        assert dtype.titles[0] in page_text or doc["type"] == "can_cuoc" and "CĂN CƯỚC" in page_text
    tk, gcs, card = (
        {k: v["value"] for k, v in docs[t]["fields"].items()}
        for t in ("to_khai_khai_sinh", "giay_chung_sinh", "can_cuoc")
    )
    check_id(card["id_number"], card["date_of_birth"], card["sex"])
    assert tk["requester_id_number"] == card["id_number"]  # the card photocopied is the requester's
    check_id(gcs["mother_id_number"], gcs["mother_birth_year"], "Nữ")
    assert normalize.compare_key(gcs["mother_name"]) == normalize.compare_key(tk["mother_name"])
    assert gcs["child_date_of_birth"] == tk["child_date_of_birth"]
    father = [tk[k] for k in tk if k.startswith("father_")]
    assert all(father) or not any(father)  # a father block is filled or empty as a whole


def test_clean_pages_carry_their_titles():
    sheets, _ = sh.dossier(424242, dpi=300)
    for sheet in sheets:
        if sheet.type == "can_cuoc":
            continue
        title = default_catalog().document_types[sheet.type].titles[0]
        assert title in sheet.lines
        read = plain_read(sheet.image).text
        assert normalize.fold(title) in normalize.fold(read), read[:400]


def find_card(state: str, kind: str) -> sh.Card:
    for seed in range(200):
        rng = random.Random(seed)
        card = sh.make_card(sh.household(rng), rng, holdout=False)
        if card.qr == state and card.kind == kind:
            return card
    raise AssertionError(f"no {kind} card with a {state} QR code in 200 seeds")


@pytest.mark.parametrize("kind", ["chip2021", "cancuoc2024"])
def test_card_qr_code_holds_the_truth_unless_damaged(kind):
    readable = find_card("readable", kind)
    side = 0 if kind == "chip2021" else 1
    img, _ = sh.render_side(readable, side, 300, random.Random(1))
    codes = zxingcpp.read_barcodes(np.asarray(img.convert("L")))
    parsed = parse_cccd(codes[0].text) if codes else None
    assert parsed is not None
    truth = readable.fields()
    assert {k: truth[k] for k in parsed} == parsed
    damaged = find_card("damaged", kind)
    img, _ = sh.render_side(damaged, side, 300, random.Random(1))
    assert not zxingcpp.read_barcodes(np.asarray(img.convert("L")))


def test_card_expiry_follows_the_age_milestones():
    born = dt.date(1990, 5, 17)
    assert sh.card_expiry(born, dt.date(2021, 3, 1)) == "2030-05-17"  # 40th birthday
    assert sh.card_expiry(born, dt.date(2029, 1, 1)) == "2050-05-17"  # within two years of 40: to 60
    assert sh.card_expiry(dt.date(1960, 1, 2), dt.date(2021, 3, 1)) == "Không thời hạn"
    assert sh.date_words(dt.date(2024, 4, 25)) == "Ngày hai mươi lăm tháng tư năm hai nghìn không trăm hai mươi tư"
    check_id(sh.id_number("079", dt.date(2003, 1, 1), "Nữ", random.Random(0)), "2003-01-01", "Nữ")


@pytest.mark.parametrize("width", [140.0, 80.0])
def test_digit_boxes_fit_their_column(width):
    """An ID's boxes go after its label where the column has room, under it where it has not: never over the
    next column (a giấy chứng sinh's mother's column once printed them over the child's)."""
    cv = sh.Canvas(150, (150.0, 30.0))
    look = sh.Look(sh.faces(sh.MAIN_FACES)[0], None, 12.0, 7.2, False, digit_style="boxes")
    flow = sh.Flow(cv, look, random.Random(1), 5, 5 + width, 9)
    flow.boxed_field("Số CMND/CCCD/Hộ chiếu:", "056199054911")
    ink = np.flatnonzero((np.asarray(cv.img.convert("L")) < 128).any(axis=0))
    assert ink.max() <= cv.px(5 + width)
    narrow = width < 100
    assert flow.lines == (["Số CMND/CCCD/Hộ chiếu:", "0 5 6 1 9 9 0 5 4 9 1 1"] if narrow
                          else ["Số CMND/CCCD/Hộ chiếu: 0 5 6 1 9 9 0 5 4 9 1 1"])  # fmt: skip


def test_studied_families_draw_the_study_layouts(monkeypatch):
    """With every form in a studied layout, each form says which, its truth is what it printed, and the holdout
    draws none of them."""
    monkeypatch.setattr(sh, "STUDY_SHARE", 1.0)
    sheets, _ = sh.dossier(424242, dpi=200)
    forms = [s for s in sheets if s.type != "can_cuoc"]
    assert {s.notes["layout"] for s in forms} <= set(sh.STUDY_LAYOUTS)
    for s in forms:
        printed = "\n".join(s.lines)
        assert all(v in printed for v in s.fields.values() if v and not v[:4].isdigit())
    held, _ = sh.dossier(424242, holdout=True, dpi=200)
    assert not {s.notes.get("layout") for s in held} & set(sh.STUDY_LAYOUTS)
