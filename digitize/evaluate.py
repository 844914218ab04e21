"""`digitize eval DIR`: document-type and field accuracy against labelled dossiers, printed as tables.

A labelled dossier is a scan file (PDF or image) with a JSON beside it (same stem) in the form of design.md §4:
{"procedure": …, "variant": "clean", "documents": [{"type": …, "pages": [0], "fields": {"key": {"value": …}}}],
"pages": [{"index": 0, "text": …}]}. Files without a JSON are read and their predictions listed.
`--generate N` first writes N generated birth-registration dossiers, clean and degraded, into DIR.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections import defaultdict
from pathlib import Path

from forms.catalog import default_catalog
from ocr.text import cer

from . import synth, synth_forms
from .config import Settings
from .service import DossierService

SCAN_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def degrade(img, rng: random.Random):
    out = synth.skew(img, rng.uniform(-4, 4), expand=False)
    if rng.random() < 0.25:
        out = synth.turn(out, 180)
    out = synth.shadow(out, rng.uniform(0.1, 0.35))
    out = synth.blur(out, rng.uniform(0.5, 1.2))
    return synth.noise(synth.jpeg(out, rng.randint(45, 75)), rng.uniform(3, 7), seed=rng.randint(0, 9999))


def generate(folder: Path, n: int, seed: int = 2026) -> None:
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
                "variant": variant,
                "documents": [
                    {"type": p.type, "pages": [k], "fields": {f: {"value": v} for f, v in p.fields.items()}}
                    for k, p in enumerate(pages)
                ],
                "pages": [{"index": k, "text": "\n".join(p.lines)} for k, p in enumerate(pages)],
            }
            stem.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")


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


def score(truth: dict, got: dict, t: Tally, variant: str) -> None:
    by_first_page = {d["pages"][0]: d for d in got["documents"] if d["pages"]}
    for td in truth["documents"]:
        pd = by_first_page.get(td["pages"][0])
        t.add(f"type|{variant}", pd is not None and pd["type"] == td["type"])
        t.add("type|all", pd is not None and pd["type"] == td["type"])
        for key, want in td["fields"].items():
            fv = (pd or {}).get("fields", {}).get(key) if pd and pd["type"] == td["type"] else None
            ok = fv is not None and fv.get("value") == want["value"]
            for scope in ("all", variant, f"type:{td['type']}", f"field:{td['type']}.{key}"):
                t.add(f"field|{scope}", ok)
            if "id_number" in key:
                t.add(f"id|{variant}", ok)
            if fv is not None and fv.get("confidence", 0) >= 0.9:
                t.add(f"confident|{variant}", ok)
    for tp in truth.get("pages", []):
        page = next((p for p in got["pages"] if p["index"] == tp["index"]), None)
        if page is not None and tp.get("text"):
            t.sums[f"cer|{variant}"].append(cer(tp["text"], page["text"]))


def run_eval(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if args.generate:
        print(f"generating {args.generate} dossiers (clean and degraded) in {folder}")
        generate(folder, args.generate)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SCAN_SUFFIXES)
    if not files:
        print(f"no scans in {folder}")
        return 1
    t = Tally()
    variants: list[str] = []
    unlabelled: list[tuple[str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="digitize-eval-") as tmp:
        svc = DossierService(Settings(data_dir=Path(tmp), workers=args.workers or Settings().workers))
        try:
            for f in files:
                truth_path = f.with_suffix(".json")
                truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else None
                d = svc.create_dossier((truth or {}).get("procedure"))
                receipt = svc.add_file(d, f.name, f.read_bytes())
                if receipt.error is not None:
                    print(f"{f.name}: refused: {receipt.error.reason}")
                    continue
                svc.process(d)
                got = svc.report(d)
                if truth is None:
                    unlabelled.append((f.name, got))
                    continue
                variant = truth.get("variant", "all")
                if variant not in variants:
                    variants.append(variant)
                score(truth, got, t, variant)
        finally:
            svc.close()
    print_tables(t, variants)
    for name, got in unlabelled:
        docs = ", ".join(f"{d['type']} p{d['pages']} ({d['confidence']:.2f})" for d in got["documents"]) or "-"
        conf = [p["confidence"] for p in got["pages"]]
        print(f"{name}: {len(got['pages'])} pages, OCR confidence {sum(conf) / max(1, len(conf)):.2f}; {docs}")
    return 0


def print_tables(t: Tally, variants: list[str]) -> None:
    if not variants:
        return
    print("\n| measure | " + " | ".join(variants) + " |")
    print("|---|" + "---:|" * len(variants))
    rows = [
        ("document type accuracy", "type"),
        ("field exact match", "field"),
        ("ID number exact match", "id"),
        ("fields with confidence ≥ 0.9 that are right", "confident"),
    ]
    for label, key in rows:
        print(f"| {label} | " + " | ".join(t.rate(f"{key}|{v}") for v in variants) + " |")
    cers = []
    for v in variants:
        values = t.sums.get(f"cer|{v}", [])
        cers.append(f"{100 * sum(values) / len(values):.2f} %" if values else "-")
    print("| character error rate | " + " | ".join(cers) + " |")
    print("\n| document type | field exact match |\n|---|---:|")
    for key in sorted(k for k in t.total if k.startswith("field|type:")):
        print(f"| {key.split(':', 1)[1]} | {t.rate(key)} |")
    print("\n| field | exact match |\n|---|---:|")
    for key in sorted(k for k in t.total if k.startswith("field|field:")):
        print(f"| {key.split(':', 1)[1]} | {t.rate(key)} |")
