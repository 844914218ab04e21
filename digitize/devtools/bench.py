"""`digitize bench`: speed and accuracy of the page pipeline on generated 300-dpi A4 pages, beside plain
`tesseract` and `ocrmypdf` run on the same pages in the same run. Prints figures; asserts nothing."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil
from sqlalchemy import select

from digitize.core.config import Settings
from digitize.devtools import synth
from digitize.dossiers.service import open_service
from digitize.people.auth import SYSTEM
from ocr.text import cer
from storage.records import Scan


@dataclass
class Row:
    name: str
    seconds: float
    pages: int
    cer: float | None
    peak_mb: float

    @property
    def ppm(self) -> float:
        return self.pages / self.seconds * 60 if self.seconds else 0.0


class PeakMemory:
    """Peak memory a run adds: this process's growth plus the resident memory of all its children (workers,
    Tesseract, OCRmyPDF), sampled every 50 ms. The generated pages already held here do not count."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = max(0, me.memory_info().rss - self.base)
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self.base = psutil.Process().memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak / 2**20


def make_pages(n: int, seed: int = 7) -> tuple[list[np.ndarray], list[str]]:
    """Counter-like scans: slight skew, noise and JPEG on all; one in eight turned; fonts and sizes vary."""
    rng = random.Random(seed)
    images, truths = [], []
    for i in range(n):
        page = synth.render_page(
            seed=seed * 1000 + i,
            font=rng.choice(["serif", "sans"]),
            pt=rng.choice([12.0, 13.0, 14.0]),
            paragraphs=rng.randint(5, 8),
        )
        img = synth.skew(page.image, rng.uniform(-3, 3))
        if i % 8 == 7:
            img = synth.turn(img, rng.choice([90, 180, 270]))
        img = synth.noise(synth.jpeg(img, rng.randint(60, 85)), 4, seed=i)
        images.append(img)
        truths.append(page.text)
    return images, truths


def mean_cer(truths: list[str], texts: list[str]) -> float:
    return float(np.mean([cer(t, h) for t, h in zip(truths, texts, strict=True)]))


def bench_ours(pdf: bytes, truths: list[str], workers: int, work: Path) -> tuple[Row, dict[str, float]]:
    settings = Settings.scratch(work / f"ours-{workers}", workers)
    svc = open_service(settings)
    try:
        svc.pool.executor.submit(int).result()  # start the pool before the clock
        with PeakMemory() as mem:
            t0 = time.perf_counter()
            d = svc.reception.create_dossier(None, actor=SYSTEM)
            svc.reception.add_file(d, "bench.pdf", pdf, actor=SYSTEM)
            svc.reading.process(d)
            seconds = time.perf_counter() - t0
        report = svc.queries.report(d, actor=SYSTEM)
        with svc.ctx.session() as s:
            timings = [t for t in s.scalars(select(Scan.timings).where(Scan.dossier_id == d)) if t]
    finally:
        svc.close()
    stages: dict[str, float] = {}
    for t in timings:
        for k, v in t.items():
            stages[k] = stages.get(k, 0.0) + v
    stages = {k: v / len(truths) for k, v in stages.items()}
    texts = [p["text"] for p in report["pages"]]
    return Row(f"digitize ({workers} worker{'s' if workers > 1 else ''})", seconds, len(texts),
               mean_cer(truths, texts), mem.mb), stages  # fmt: skip


def bench_tesseract(pngs: list[Path], truths: list[str], workers: int, work: Path) -> Row:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(p: Path) -> str:
        subprocess.run(["tesseract", str(p), str(p.with_suffix("")), "-l", "vie"], env=env, capture_output=True,
                       check=True)  # fmt: skip
        return p.with_suffix(".txt").read_text(encoding="utf-8")

    with PeakMemory() as mem:
        t0 = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            texts = list(pool.map(one, pngs))
        seconds = time.perf_counter() - t0
    return Row(f"tesseract -l vie ({workers} processes)", seconds, len(texts), mean_cer(truths, texts), mem.mb)


def bench_ocrmypdf(pdf_path: Path, truths: list[str], workers: int, work: Path) -> Row | str:
    exe = shutil.which("ocrmypdf")
    if not exe:
        return "ocrmypdf not installed (apt-get install ocrmypdf, or `make bench`)"
    out, sidecar = work / "ocrmypdf.pdf", work / "ocrmypdf.txt"
    cmd = [exe, "-l", "vie", "--deskew", "--rotate-pages", "--jobs", str(workers), "--sidecar", str(sidecar),
           "--output-type", "pdf", str(pdf_path), str(out)]  # fmt: skip
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        return f"ocrmypdf failed ({proc.returncode}): {proc.stderr.strip()[-300:]}"
    texts = sidecar.read_text(encoding="utf-8").split("\f")[: len(truths)]
    return Row(f"ocrmypdf --deskew --rotate-pages (--jobs {workers})", seconds, len(texts), mean_cer(truths, texts),
               mem.mb)  # fmt: skip


def run_bench(n: int = 20, workers: int = 0, out: Path | None = None, ocrmypdf: bool = True) -> int:
    """Read `n` generated pages with ours (one worker and `workers`), plain Tesseract and OCRmyPDF; print the
    stages, speeds, CER and memory. The pages and outputs are kept in `out` when given."""
    cores = os.cpu_count() or 1
    workers = workers or cores
    work = out or Path(tempfile.mkdtemp(prefix="digitize-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"generating {n} A4 pages at 300 dpi (skewed ±3°, JPEG, noise; one in eight turned) in {work}")
    images, truths = make_pages(n)
    pdf = synth.images_to_pdf(images, dpi=300, quality=85)
    pdf_path = work / "bench.pdf"
    pdf_path.write_bytes(pdf)
    pngs = []
    for i, img in enumerate(images):
        p = work / f"page-{i:03d}.png"
        p.write_bytes(synth.encode(img))
        pngs.append(p)
    del images  # the generated pages would otherwise count in every run's peak memory

    rows: list[Row] = []
    notes: list[str] = []
    stages = {}
    for w in sorted({1, workers}):
        row, st = bench_ours(pdf, truths, w, work)
        rows.append(row)
        if w == workers:
            stages = st
    rows.append(bench_tesseract(pngs, truths, workers, work))
    if ocrmypdf:
        got = bench_ocrmypdf(pdf_path, truths, workers, work)
        (rows.append(got) if isinstance(got, Row) else notes.append(got))

    print(f"\nmachine: {cores} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; {n} pages\n")
    print("| stage (digitize, per page) | ms |")
    print("|---|---:|")
    order = ("load", "photo", "size", "cleanup", "osd", "orientation", "prep", "ocr", "cards", "plain", "pdf", "encode")
    for k in sorted(stages, key=lambda k: order.index(k) if k in order else len(order)):
        print(f"| {k} | {stages[k]:.0f} |")
    print(f"| total in worker | {sum(stages.values()):.0f} |")
    print()
    print("| run | wall s | pages/min | mean CER | peak memory added, MB |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        c = f"{r.cer * 100:.2f} %" if r.cer is not None else "-"
        print(f"| {r.name} | {r.seconds:.1f} | {r.ppm:.1f} | {c} | {r.peak_mb:.0f} |")
    ours = next((r for r in rows if r.name.startswith("digitize") and f"({workers} " in r.name), rows[0])
    others = {r.name.split()[0]: r for r in rows if not r.name.startswith("digitize")}
    print()
    if "ocrmypdf" in others:
        o = others["ocrmypdf"]
        print(f"digitize vs ocrmypdf: {ours.ppm / o.ppm:.1f}x pages/min, CER {ours.cer:.4f} vs {o.cer:.4f}")
    if "tesseract" in others:
        t = others["tesseract"]
        print(f"digitize vs plain tesseract: {ours.ppm / t.ppm:.2f}x pages/min, CER {ours.cer:.4f} vs {t.cer:.4f}")
    for note in notes:
        print("note:", note)
    if out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0
