"""`digitize eval DIR`: document-type, field and page-text accuracy against labelled dossiers, one column per family.

A labelled dossier is a truth JSON in the form of docs/scan-json.md ({"procedure": …, "family": "photo", "documents":
[{"type": …, "pages": [0], "fields": {"key": {"value": …}}}], "pages": [{"index": 0, "text": …}]}) with its scans:
the files its "files" lists (several files make one dossier, their pages in that order), or else the one scan of
the same stem. A field whose true value is "" must come out empty (a tờ khai's blank father block). Scans without a
JSON are read and their predictions listed.

Each column is the truth's "family", with its "variant" where a family has several (generated/clean). `--generate
N` first writes N dossiers of each `--family` into DIR/<family>/: `generated` is the generator the pipeline was
developed on (synth_forms); scan, photo, lowres and holdout come from synth_holdout, which it was not. Without
--family, generated dossiers go into DIR itself as before, and DIR and its subfolders are read.

Every page is also read by plain Tesseract (`ocr.tesseract.plain_read`) from the image as stored in the file (PDF
pages rasterised at the file's own resolution), its words in its own order, so each column shows both character
error rates. Runs of dotted leaders are taken out of the truth and of both readings before the CER: they are form
furniture, not text.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pdf2image import convert_from_bytes
from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError
from PIL import Image, ImageSequence
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from digitize.core.config import Settings
from digitize.devtools import synth, synth_forms, synth_holdout
from digitize.devtools.realset import print_realset, run_realset
from digitize.dossiers.service import DossierService, open_service
from digitize.people.auth import SYSTEM
from digitize.scan import intake
from digitize.scan.pipeline import process_scan
from forms.catalog import default_catalog
from ocr.tesseract import plain_read
from ocr.text import cer

SCAN_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
FAMILIES = ("generated", *synth_holdout.FAMILIES)
_LEADERS = re.compile(r"[.…·_]{3,}")


def degrade(img, rng: random.Random):
    out = synth.skew(img, rng.uniform(-4, 4), expand=False)
    if rng.random() < 0.25:
        out = synth.turn(out, 180)
    out = synth.shadow(out, rng.uniform(0.1, 0.35))
    out = synth.blur(out, rng.uniform(0.5, 1.2))
    return synth.noise(synth.jpeg(out, rng.randint(45, 75)), rng.uniform(3, 7), seed=rng.randint(0, 9999))


def generate(folder: Path, n: int, seed: int = 2026, family: str | None = None) -> None:
    """N dossiers of the development generator, each clean and degraded (the `generated` family)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(n):
        pages = synth_forms.dossier(seed + i, catalog=default_catalog())
        for variant in ("clean", "degraded"):
            imgs = [p.image if variant == "clean" else degrade(p.image, rng) for p in pages]
            stem = folder / f"dossier-{i:03d}-{variant}"
            stem.with_suffix(".pdf").write_bytes(synth.images_to_pdf(imgs, dpi=300, quality=85))
            truth = {
                "procedure": "1.001193",
                **({"family": family} if family else {}),
                "variant": variant,
                "documents": [
                    {"type": p.type, "pages": [k], "fields": {f: {"value": v} for f, v in p.fields.items()}}
                    for k, p in enumerate(pages)
                ],
                "pages": [{"index": k, "text": "\n".join(p.lines)} for k, p in enumerate(pages)],
            }
            stem.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")


def generate_family(folder: Path, family: str, n: int) -> None:
    if family == "generated":
        generate(folder, n, family="generated")
    else:
        synth_holdout.write_family(folder, family, n)


@dataclass
class Labelled:
    files: list[Path]
    truth: dict | None


def _truth(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "documents" in data else None


def discover(folder: Path) -> list[Labelled]:
    """The dossiers of one folder: each truth JSON with the files it lists, then each remaining scan alone."""
    found, claimed = [], set()
    for path in sorted(folder.glob("*.json")):
        truth = _truth(path)
        if truth is not None and isinstance(truth.get("files"), list):
            files = [folder / name for name in truth["files"]]
            found.append(Labelled(files, truth))
            claimed.update(files)
    for scan in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES):
        if scan not in claimed:
            truth = _truth(scan.with_suffix(".json"))
            found.append(Labelled([scan], truth if truth is not None and "files" not in truth else None))
    return sorted(found, key=lambda d: d.files[0].name if d.files else "")


def column_of(truth: dict) -> str:
    return "/".join(str(truth[k]) for k in ("family", "variant") if truth.get(k)) or "all"


def page_cer(reference: str, hypothesis: str) -> float:
    return cer(_LEADERS.sub(" ", reference), _LEADERS.sub(" ", hypothesis))


def pdf_resolutions(data: bytes) -> list[int]:
    """Each PDF page's resolution: its largest image's pixels over the page's size (300 when it holds no image)."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources")
        xobjects = (resources.get_object().get("/XObject") if resources is not None else None) or {}
        sizes = [(int(x.get_object().get("/Width", 0)), int(x.get_object().get("/Height", 0)))
                 for x in xobjects.get_object().values()] if xobjects else []  # fmt: skip
        inches = max(float(page.mediabox.width), float(page.mediabox.height)) / 72
        out.append(round(max(max(s) for s in sizes) / inches) if sizes and inches else 300)
    return out


def page_images(path: Path) -> list[np.ndarray]:
    """The pages of a scan file as stored: images decoded as they are, PDF pages rasterised at their own dpi."""
    data = path.read_bytes()
    if data[:5] == b"%PDF-":
        return [
            np.asarray(convert_from_bytes(data, dpi=dpi, first_page=i + 1, last_page=i + 1)[0].convert("RGB"))
            for i, dpi in enumerate(pdf_resolutions(data))
        ]
    with Image.open(io.BytesIO(data)) as im:
        return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(im)]


def _opened(path: Path) -> list[np.ndarray]:
    try:
        return page_images(path)
    except (OSError, ValueError, PyPdfError, PDFPageCountError, PDFSyntaxError):  # the service refused it too
        return []


def plain_cers(truth: dict, files: list[Path], workers: int) -> dict[int, float]:
    """Plain Tesseract's CER on each labelled page, read from the same image the pipeline was given; a page whose
    file no reader opens reads nothing (100 %), as ours does."""
    images = [img for f in files for img in _opened(f)]
    jobs = [(tp["index"], tp["text"]) for tp in truth.get("pages", []) if tp.get("text")]
    with ThreadPoolExecutor(max(1, workers)) as pool:
        texts = list(pool.map(lambda job: plain_read(images[job[0]]).text if job[0] < len(images) else "", jobs))
    return {index: page_cer(ref, text) for (index, ref), text in zip(jobs, texts, strict=True)}


class Tally:
    def __init__(self) -> None:
        self.right: dict[str, int] = defaultdict(int)
        self.total: dict[str, int] = defaultdict(int)
        self.sums: dict[str, list[float]] = defaultdict(list)  # measured values, e.g. each page's CER

    def add(self, key: str, ok: bool) -> None:
        self.total[key] += 1
        self.right[key] += int(ok)

    def rate(self, key: str) -> str:
        t = self.total.get(key, 0)
        return f"{100 * self.right[key] / t:.1f} % ({self.right[key]}/{t})" if t else "-"

    def mean(self, key: str) -> str:
        values = self.sums.get(key, [])
        return f"{100 * sum(values) / len(values):.2f} %" if values else "-"


def our_cers(truth: dict, got: dict) -> dict[int, float]:
    """Each labelled page's CER; a page not read (its dossier refused or failed) read nothing: 100 %."""
    pages = {p["index"]: p["text"] for p in got["pages"]}
    return {
        tp["index"]: page_cer(tp["text"], pages.get(tp["index"], "")) for tp in truth.get("pages", []) if tp.get("text")
    }


def _matched(truth: dict, got: dict) -> list[tuple[dict, dict | None]]:
    """Each true document with the one read from the same first page (None when none was)."""
    by_first_page = {d["pages"][0]: d for d in got["documents"] if d["pages"]}
    return [(td, by_first_page.get(td["pages"][0])) for td in truth["documents"]]


def score(truth: dict, got: dict, t: Tally, column: str) -> None:
    for td, pd in _matched(truth, got):
        right_type = pd is not None and pd["type"] == td["type"]
        t.add(f"type|{column}", right_type)
        t.add("type|all", right_type)
        for key, want in td["fields"].items():
            fv = pd.get("fields", {}).get(key) if right_type else None
            value = (fv or {}).get("value") or ""
            ok = right_type and (value == want["value"] if want["value"] else not value)
            for name in (f"field|{column}", "field|all", f"bytype|{td['type']}|{column}",
                         f"byfield|{td['type']}.{key}|{column}"):  # fmt: skip
                t.add(name, ok)
            if "id_number" in key:
                t.add(f"id|{column}", ok)
            if td["type"] == "can_cuoc":
                t.add(f"card|{column}", ok)
            if not want["value"]:
                t.add(f"empty|{column}", ok)
            if value and fv.get("confidence", 0) >= 0.9:
                t.add(f"confident|{column}", ok)
    for value in our_cers(truth, got).values():
        t.sums[f"cer|{column}"].append(value)


def mistakes(truth: dict, got: dict) -> list[str]:
    """Each document typed wrong and each field read wrong: what was wanted beside what was read."""
    out = []
    for td, pd in _matched(truth, got):
        if pd is None or pd["type"] != td["type"]:
            out.append(f"type of pages {td['pages']}: wanted {td['type']}, read {pd and pd['type']}")
            continue
        for key, want in td["fields"].items():
            fv = pd.get("fields", {}).get(key) or {}
            if (fv.get("value") or "") != (want["value"] or ""):
                out.append(f"{td['type']}.{key}: wanted {want['value']!r}, read {fv.get('value')!r}")
    return out


NOTHING_READ = {"documents": [], "pages": []}


def read_dossier(svc: DossierService, item: Labelled) -> dict:
    """The service's report on a dossier of the item's files. One it refused, or failed to process, stays in the
    figures with what it read (its fields wrong where nothing was), the reason printed: not dropped from them."""
    d = svc.reception.create_dossier((item.truth or {}).get("procedure"), actor=SYSTEM)
    for f in item.files:
        if not f.is_file():
            print(f"{f.name}: missing", file=sys.stderr)
            return NOTHING_READ
        receipt = svc.reception.add_file(d, f.name, f.read_bytes(), actor=SYSTEM)
        if receipt.error is not None:
            print(f"{f.name}: refused: {receipt.error.reason}", file=sys.stderr)
            return NOTHING_READ
    try:
        svc.reading.process(d)
    except Exception as exc:  # the dossier is marked failed, its reason kept: the run goes on
        print(f"{item.files[0].name}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return svc.queries.report(d, actor=SYSTEM)


def read_real(path: Path) -> tuple[str, int]:
    """Our reading of a real-set image, as the service reads an upload: its text and the turn found."""
    (ref,) = intake.inspect(path.read_bytes(), path.name)[:1]
    out = process_scan(str(path), ref.to_dict())
    if out.error or not out.pages:
        return "", 0
    return "\n".join(p.text for p in out.pages), out.pages[0].rotation


def run_real(folder: Path) -> int:
    """The real set (docs/realset.md) read by us and by plain Tesseract: page CER, labelled lines, upright kept."""
    if not folder.is_dir():
        print(f"no real set at {folder} (see docs/realset.md)", file=sys.stderr)
        return 1
    print_realset(run_realset(folder, read_real))
    return 0


def run_eval(
    folder: Path, families: list[str] | None = None, generate_n: int = 0, show_mistakes: bool = False, workers: int = 0
) -> int:
    """Read the labelled dossiers in `folder` (its `families` subfolders when given, each a column of the tables,
    first generating `generate_n` of each) with ours and plain Tesseract, and print the tables."""
    families = list(dict.fromkeys(families or []))
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        print(f"unknown family {', '.join(unknown)}; one of {', '.join(FAMILIES)}", file=sys.stderr)
        return 2
    if generate_n:
        for fam in families:
            print(f"generating {generate_n} dossiers of family {fam} in {folder / fam}")
            generate_family(folder / fam, fam, generate_n)
        if not families:
            print(f"generating {generate_n} dossiers (clean and degraded) in {folder}")
            generate(folder, generate_n)
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    folders = [folder / f for f in families] if families else [folder, *subfolders]
    dossiers = [d for fo in folders if fo.is_dir() for d in discover(fo)]
    if not dossiers:
        print(f"no scans in {folder}")
        return 1
    workers = workers or Settings().workers
    t, columns, unlabelled = Tally(), [], []
    with tempfile.TemporaryDirectory(prefix="digitize-eval-") as tmp:
        svc = open_service(Settings.scratch(Path(tmp), workers))
        try:
            for item in dossiers:
                got = read_dossier(svc, item)
                if item.truth is None:
                    unlabelled.append((item.files[0].name, got))
                    continue
                column = column_of(item.truth)
                columns += [column] * (column not in columns)
                score(item.truth, got, t, column)
                if show_mistakes and not column.startswith("holdout"):
                    print("\n".join([f"{column}: {item.files[0].name}", *mistakes(item.truth, got)]))
                compare_with_plain(item, got, t, column, workers)
                print(f"{column}: {item.files[0].name} read", file=sys.stderr)
        finally:
            svc.close()
    print_tables(t, columns)
    for name, got in unlabelled:
        docs = ", ".join(f"{d['type']} p{d['pages']} ({d['confidence']:.2f})" for d in got["documents"]) or "-"
        conf = [p["confidence"] for p in got["pages"]]
        print(f"{name}: {len(got['pages'])} pages, OCR confidence {sum(conf) / max(1, len(conf)):.2f}; {docs}")
    return 0


def compare_with_plain(item: Labelled, got: dict, t: Tally, column: str, workers: int) -> None:
    ours = our_cers(item.truth, got)
    for index, plain in plain_cers(item.truth, item.files, workers).items():
        t.sums[f"plain|{column}"].append(plain)
        if index in ours:
            t.add(f"noworse|{column}", ours[index] <= plain)


ROWS = (
    ("document type accuracy", "type"),
    ("field exact match", "field"),
    ("card field exact match", "card"),
    ("ID number exact match", "id"),
    ("empty fields left empty", "empty"),
    ("fields with confidence ≥ 0.9 that are right", "confident"),
)


def print_tables(t: Tally, columns: list[str]) -> None:
    if not columns:
        return
    head = " | ".join(columns)
    print(f"\n| measure | {head} |\n|---|" + "---:|" * len(columns))
    for label, key in ROWS:
        if key in ("type", "field", "id", "confident") or any(t.total.get(f"{key}|{c}") for c in columns):
            print(f"| {label} | " + " | ".join(t.rate(f"{key}|{c}") for c in columns) + " |")
    for label, key in (("character error rate (digitize)", "cer"), ("character error rate (plain tesseract)", "plain")):
        print(f"| {label} | " + " | ".join(t.mean(f"{key}|{c}") for c in columns) + " |")
    print("| pages with CER ≤ plain tesseract's | " + " | ".join(t.rate(f"noworse|{c}") for c in columns) + " |")
    # The holdout is shown in the summary only: a holdout studied field by field and fixed for stops being one.
    detail = [c for c in columns if not c.startswith("holdout")]
    if len(detail) < len(columns):
        print("\n(holdout: summary figures only)")
    if not detail:
        return
    for title, prefix in (("document type", "bytype"), ("field", "byfield")):
        names = sorted({k.split("|")[1] for k in t.total if k.startswith(f"{prefix}|") and k.split("|")[2] in detail})
        print(f"\n| {title} | {' | '.join(detail)} |\n|---|" + "---:|" * len(detail))
        for name in names:
            print(f"| {name} | " + " | ".join(t.rate(f"{prefix}|{name}|{c}") for c in detail) + " |")
