"""`digitize bench-search`: how fast full-text search answers over many read pages, on SQLite or PostgreSQL.

It writes generated dossiers (two agencies, ten pages each, one paper with its fields) into an empty database: the
dossiers through the models, the pages' entries through the same `fulltext.put` the index uses for every read
page (the OCR itself is `digitize bench`'s business). Each page is boilerplate of the administrative kind plus what
makes it somebody's: names, an ID number, an address, a date, the dossier's code. Then it times queries of the
kinds an officer types, without diacritics, through `Search.find` as the API calls it (scope, filters, ranking,
snippets and the audit record included), and prints the percentiles. Prints figures; asserts nothing.

The tables' statistics are gathered before the queries, as autovacuum does on a running PostgreSQL soon after a
load: without them its planner scans every match of a common word (measured: 282 ms for "hồ sơ" against 5 ms).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from digitize.core.config import Settings
from digitize.core.text import fold
from digitize.devtools import synth
from digitize.dossiers.search import DossierFilters
from digitize.dossiers.search_index import entry
from digitize.dossiers.service import DossierService, open_service
from digitize.people.auth import Principal
from storage import fulltext
from storage.records import Agency, Document, Dossier, SearchEntry

AGENCIES = ("000.00.31.H29", "000.00.32.H29")
PAGES_PER_DOSSIER = 10
PROCEDURES = ("1.001193", "1.000894", "1.000656", "1.004194")
STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Điện Biên Phủ", "Phan Đình Phùng",
           "Hoàng Diệu", "Lý Thường Kiệt", "Bà Triệu", "Quang Trung", "Đống Đa", "Tô Hiến Thành")  # fmt: skip
WARDS = ("Phường Hòa Khánh", "Xã Nghĩa Đồng", "Phường Bến Nghé", "Xã Quỳnh Lưu", "Phường Tân Định",
         "Xã Phú Thượng", "Phường Đống Đa", "Xã Tân Kỳ", "Phường Liên Chiểu", "Xã Hòa Bình")  # fmt: skip
BATCH = 2000


@dataclass
class Person:
    name: str
    id_number: str
    address: str


def person(rng: random.Random) -> Person:
    name = synth.fake_name(rng) + (f" {rng.choice(synth.GIVEN)}" if rng.random() < 0.5 else "")
    address = f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, {rng.choice(WARDS)}"
    return Person(name, f"0{rng.randint(1, 96):02d}{rng.randint(0, 999_999_999):09d}", address)


def page_text(rng: random.Random, code: str, people: list[Person]) -> str:
    lines = rng.sample(synth.SENTENCES, 8)
    for p in rng.sample(people, 2):
        lines.insert(rng.randrange(len(lines)), f"Họ và tên: {p.name}. Số định danh cá nhân: {p.id_number}.")
        lines.insert(rng.randrange(len(lines)), f"Nơi cư trú: {p.address}.")
    day = datetime(2020, 1, 1) + timedelta(days=rng.randrange(2500))
    lines.append(f"Ngày {day:%d} tháng {day:%m} năm {day:%Y}. Mã hồ sơ {code}.")
    return "\n".join(lines)


class Corpus:
    """What was written for the first agency (whose counter searches), and the other agency's codes."""

    def __init__(self):
        self.people: list[tuple[Person, str]] = []  # with their dossier's procedure
        self.codes: list[str] = []
        self.other_codes: list[str] = []


def fill(svc: DossierService, pages: int, seed: int) -> tuple[Corpus, float]:
    """Write `pages` pages' worth of dossiers; the corpus and the seconds the index's writes took."""
    rng, corpus, indexing = random.Random(seed), Corpus(), 0.0
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with svc.ctx.session() as s:
        for code in AGENCIES:
            if s.get(Agency, code) is None:
                s.add(Agency(code=code, name=f"Bộ phận Một cửa {code} (bench)"))
    n_dossiers = max(1, pages // PAGES_PER_DOSSIER)
    for first in range(0, n_dossiers, BATCH // PAGES_PER_DOSSIER):
        dossiers, docs, entries = [], [], []
        for i in range(first, min(n_dossiers, first + BATCH // PAGES_PER_DOSSIER)):
            agency = AGENCIES[i % 2]
            when = start + timedelta(minutes=7 * i)
            code = f"{agency}-{when:%y%m%d}-{i:04d}"
            people = [person(rng) for _ in range(3)]
            d = {"id": f"bench{i:08d}", "code": code, "agency_code": agency, "citizen_id": people[0].id_number,
                 "created_by": f"quay{1 + i % 2}", "procedure": PROCEDURES[i % len(PROCEDURES)], "status": "done",
                 "created_at": when, "updated_at": when, "applicant_name": people[0].name,
                 "applicant_address": people[0].address}  # fmt: skip
            dossiers.append(d)
            if agency == AGENCIES[0]:
                corpus.codes.append(code)
                corpus.people.extend((p, d["procedure"]) for p in people)
            else:
                corpus.other_codes.append(code)
            fields = {"child_name": {"value": people[1].name}, "mother_name": {"value": people[2].name}}
            docs.append({"id": 10_000_000 + i, "dossier_id": d["id"], "type": "giay_chung_sinh", "name": "",
                         "pages": list(range(PAGES_PER_DOSSIER)), "fields": fields,
                         "owner_id": d["citizen_id"]})  # fmt: skip
            did = d["id"]
            entries.append(entry("dossier", did, did, " · ".join([code, d["citizen_id"], people[0].name]),
                                 agency_code=agency))  # fmt: skip
            entries.append(entry("document", 10_000_000 + i, did, f"Giấy chứng sinh · Con: {people[1].name} · "
                                 f"Mẹ: {people[2].name}", agency_code=agency, document_id=10_000_000 + i))  # fmt: skip
            for n in range(PAGES_PER_DOSSIER):
                entries.append(entry("page", f"{i}-{n}", did, page_text(rng, code, people), agency_code=agency,
                                     document_id=10_000_000 + i, page_index=n))  # fmt: skip
        with svc.ctx.session() as s:
            s.execute(insert(Dossier), dossiers)
            s.execute(insert(Document), docs)
            t = time.perf_counter()
            fulltext.put(s.connection(), entries)
            indexing += time.perf_counter() - t
    return corpus, indexing


def queries(corpus: Corpus, rng: random.Random, n: int) -> list[tuple[str, str, DossierFilters | None]]:
    """(kind, typed text, filters): as officers type, without diacritics. Only the other agency's codes must find
    nothing."""

    def somebody() -> Person:
        return rng.choice(corpus.people)[0]

    def with_filters() -> tuple[str, str, DossierFilters]:
        p, procedure = rng.choice(corpus.people)
        return "name + filters", fold(p.name), DossierFilters(procedure=procedure, received_from=date(2026, 1, 1))

    kinds: list[Callable[[], tuple[str, str, DossierFilters | None]]] = [
        lambda: ("full name", fold(somebody().name), None),
        lambda: ("name being typed", fold(somebody().name)[:-2], None),
        lambda: ("ID number", somebody().id_number, None),
        lambda: ("dossier code", rng.choice(corpus.codes), None),
        lambda: ("street", fold(somebody().address.split(", ", 1)[0]), None),
        lambda: ("common words", rng.choice(["ho so", "khai sinh", "cong dan", "uy ban nhan dan"]), None),
        with_filters,
        lambda: ("other agency's code", rng.choice(corpus.other_codes), None),
    ]
    return [kinds[i % len(kinds)]() for i in range(n)]


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


def run_search_bench(pages: int, n_queries: int, database_url: str, keep: Path | None, seed: int = 7) -> int:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="digitize-search-bench-") as folder:
            return run_search_bench(pages, n_queries, database_url, Path(folder), seed)
    svc = open_service(Settings(data_dir=keep / "data", workers=1, database_url=database_url))
    try:
        with svc.ctx.session() as s:
            existing = s.scalar(select(func.count()).select_from(SearchEntry))
        dialect = svc.ctx.sessions.kw["bind"].dialect.name
        if existing:
            print(f"bench-search: the database already holds {existing} entries; give an empty one")
            return 2
        t = time.perf_counter()
        corpus, indexing = fill(svc, pages, seed)
        fulltext.analyze(svc.ctx.sessions.kw["bind"])  # as autovacuum soon does on a running database
        wrote = time.perf_counter() - t
        print(f"{dialect}: {pages} pages in {pages // PAGES_PER_DOSSIER} dossiers written in {wrote:.0f} s "
              f"(the index's writes {indexing:.1f} s: {pages / indexing:.0f} pages/s)")  # fmt: skip
        return _measure(svc, corpus, n_queries, seed, dialect, pages)
    finally:
        svc.close()


def _measure(svc: DossierService, corpus: Corpus, n_queries: int, seed: int, dialect: str, pages: int) -> int:
    actor = Principal("staff", "quay1", "counter", AGENCIES[0])
    rng = random.Random(seed + 1)
    for _, text, filters in queries(corpus, rng, 20):  # warm the caches as a running service has them
        svc.search.find(actor, text, filters)
    times: dict[str, list[float]] = defaultdict(list)
    found: dict[str, int] = defaultdict(int)
    for kind, text, filters in queries(corpus, rng, n_queries):
        t = time.perf_counter()
        out = svc.search.find(actor, text, filters)
        times[kind].append((time.perf_counter() - t) * 1000)
        found[kind] += bool(out["hits"])
    every = [x for xs in times.values() for x in xs]
    print(f"\nquery time (ms), {dialect}, {pages} pages, {len(every)} queries, agency {AGENCIES[0]}:")
    print("| kind | n | found | p50 | p95 | max |\n|---|---:|---:|---:|---:|---:|")
    for kind, xs in times.items():
        print(f"| {kind} | {len(xs)} | {found[kind]}/{len(xs)} | {statistics.median(xs):.1f} | "
              f"{percentile(xs, 95):.1f} | {max(xs):.1f} |")  # fmt: skip
    print(f"| all | {len(every)} | {sum(found.values())}/{len(every)} | {statistics.median(every):.1f} | "
          f"{percentile(every, 95):.1f} | {max(every):.1f} |")  # fmt: skip
    return 0
