"""`digitize load`: many counters at once against one server, over loopback HTTP.

Each client logs in, then until the time is up: opens a dossier, uploads one scanner-style PDF and follows the
dossier until it is done. It records the time from the start of the upload to the first cleaned page and to the
finished dossier, and every error (non-2xx answer, failed dossier or page, timeout). Without --url the command
starts its own `digitize serve --demo` in a temporary data folder and stops it at the end. The server's process
tree (API process, page workers, Tesseract) is sampled for memory once a second.

The pages are generated once before the clock starts, so their cost is not measured; the clients still share the
machine with the server, which is what a one-machine benchmark measures.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil

from digitize.people.demo import DEMO_PASSWORD

if TYPE_CHECKING:
    import httpx

PROCEDURE = "1.001193"
POLL_SECONDS = 0.25
REQUEST_TIMEOUT = 120.0  # an upload waits while the API process is busy storing other uploads
MAX_POLL_FAILURES = 5  # consecutive failed status reads before a dossier is given up
# Starts like a PDF (so it is judged a PDF by content) but has no readable structure: refused as corrupt_pdf.
CORRUPT_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf body\n%%EOF\n"


# --- pure helpers -----------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation between closest ranks (numpy's default); None when
    there are no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * min(max(q, 0.0), 100.0) / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def spread(values: Sequence[float]) -> str:
    """`p50 / p95 / max` in seconds, or `-` when nothing was measured."""
    if not values:
        return "-"
    return " / ".join(f"{percentile(values, q):.1f}" for q in (50, 95, 100))


def error_summary(reasons: Sequence[str], top: int = 3, width: int = 70) -> str:
    """`count` and the most frequent reasons, e.g. `3: status 500 ×2; timeout`, short enough for a table cell."""
    if not reasons:
        return "0"
    common = Counter(reasons).most_common(top)
    parts = [(r if len(r) <= width else r[: width - 1] + "…") + (f" ×{n}" if n > 1 else "") for r, n in common]
    more = len(Counter(reasons)) - len(common)
    return f"{len(reasons)}: " + "; ".join(parts) + (f"; +{more} other" if more > 0 else "")


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@dataclass
class DossierRun:
    """One dossier as a client saw it; times in seconds from the start of its upload."""

    client: int
    upload: int  # number of the upload across all clients, from 1
    with_bad: bool
    dossier: str | None = None
    started: float = 0.0  # seconds from the start of the run
    first_page_s: float | None = None
    done_s: float | None = None
    pages: int = 0
    bad_refused: bool | None = None  # None: no bad file was sent
    errors: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.done_s is not None


def observe(run: DossierRun, state: dict[str, Any], elapsed: float, expected_pages: int) -> bool:
    """Take one look at the dossier's state (GET /api/dossiers/{id} or an event); True once it is over."""
    if state.get("pages") and run.first_page_s is None:
        run.first_page_s = elapsed
    status = state.get("status")
    if status == "failed":
        run.errors.append(f"dossier failed: {state.get('error') or 'no reason'}")
        return True
    if status != "done":
        return False
    run.done_s = elapsed
    run.pages = len(state.get("pages") or [])
    scans = state.get("scans") or {}
    if scans.get("failed"):
        run.errors.append(f"{scans['failed']} failed page(s)")
    if scans.get("pending"):
        run.errors.append(f"done with {scans['pending']} page(s) still pending")
    if run.pages != expected_pages:
        run.errors.append(f"done with {run.pages} pages, {expected_pages} uploaded")
    return True


def check_receipts(run: DossierRun, files: list[dict[str, Any]], expected_pages: int) -> None:
    """The good file accepted with all its pages; the bad one (when sent) refused with a reason."""
    good = [f for f in files if not f.get("error")]
    bad = [f for f in files if f.get("error")]
    if len(good) != 1 or good[0].get("pages") != expected_pages:
        run.errors.append(f"upload receipt: expected one accepted file of {expected_pages} pages, got {files}"[:300])
    if run.with_bad:
        run.bad_refused = len(bad) == 1 and bad[0]["error"] == "corrupt_pdf" and bool(bad[0].get("reason"))
        if not run.bad_refused:
            run.errors.append(f"corrupt PDF not refused as corrupt_pdf: {bad or 'accepted'}"[:300])
    elif bad:
        run.errors.append(f"good file refused: {bad[0].get('error')}: {bad[0].get('reason')}"[:300])


@dataclass
class Summary:
    label: str
    started: int
    finished: int
    pages: int
    first_page: list[float]
    done: list[float]
    errors: list[str]
    clients: int | None = None
    wall_s: float | None = None
    peak_mb: float | None = None

    @property
    def pages_per_min(self) -> float | None:
        return self.pages / self.wall_s * 60 if self.wall_s else None


def summarize(label: str, runs: Sequence[DossierRun], extra_errors: Sequence[str] = (), **whole: Any) -> Summary:
    """Counts and latencies of `runs`; `whole` (clients, wall_s, peak_mb) only for the row of the whole run,
    since throughput and memory are not divisible between subsets of dossiers."""
    done = [r for r in runs if r.finished]
    return Summary(
        label=label,
        started=len(runs),
        finished=len(done),
        pages=sum(r.pages for r in done),
        first_page=[r.first_page_s for r in done if r.first_page_s is not None],
        done=[r.done_s for r in done if r.done_s is not None],
        errors=[*extra_errors, *(e for r in runs for e in r.errors)],
        **whole,
    )


def format_table(rows: Sequence[Summary]) -> str:
    """The Markdown table of the run: one row for the whole run, then one per kind of upload when they differ."""

    def opt(v: float | int | None, fmt: str) -> str:
        return "-" if v is None else format(v, fmt)

    lines = [
        "| dossiers | clients | finished / started | pages | wall s | pages/min | first page s p50 / p95 / max "
        "| finished dossier s p50 / p95 / max | errors | peak memory MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for s in rows:
        lines.append(
            f"| {cell(s.label)} | {opt(s.clients, 'd')} | {s.finished} / {s.started} | {s.pages} "
            f"| {opt(s.wall_s, '.0f')} | {opt(s.pages_per_min, '.1f')} | {spread(s.first_page)} | {spread(s.done)} "
            f"| {cell(error_summary(s.errors))} | {opt(s.peak_mb, '.0f')} |"
        )
    return "\n".join(lines)


def format_requests(times: dict[str, list[float]]) -> str:
    """Answer times of the API calls, in milliseconds: how responsive the API process stayed under load."""
    lines = ["| request | count | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for kind, xs in times.items():
        if xs:
            p50, p95, top = (percentile(xs, q) * 1000 for q in (50, 95, 100))  # type: ignore[operator]
            lines.append(f"| {kind} | {len(xs)} | {p50:.0f} | {p95:.0f} | {top:.0f} |")
    return "\n".join(lines)


# --- the server and its memory ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen | None, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before answering")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url}/healthz did not answer within {timeout:.0f} s")


def tail(path: Path, lines: int = 25) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


@dataclass
class OwnServer:
    url: str
    pid: int
    log: Path
    keep_log: bool = False  # set when the run had errors: the log is kept after the data folder is removed
    kept: Path | None = None


@contextlib.contextmanager
def own_server(workers: int) -> Iterator[OwnServer]:
    """`digitize serve --demo` on a free port with a fresh data folder. The other DIGITIZE_* variables (database,
    object store) are passed on, so a PostgreSQL or S3 setup can be measured."""
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="digitize-load-"))
    env = {**os.environ, "DIGITIZE_DATA_DIR": str(tmp / "data")}
    if workers:
        env["DIGITIZE_WORKERS"] = str(workers)
    server = OwnServer(f"http://127.0.0.1:{port}", 0, tmp / "server.log")
    log = open(server.log, "wb")  # noqa: SIM115 - open for the server's lifetime
    proc = subprocess.Popen(
        [sys.executable, "-m", "digitize.cli", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server.pid = proc.pid
    try:
        try:
            wait_healthy(server.url, proc, timeout=90)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; server log:\n{tail(server.log)}") from None
        yield server
    finally:
        stop_tree(proc)
        log.close()
        if server.keep_log:
            server.kept = Path(tempfile.gettempdir()) / f"{tmp.name}-server.log"
            shutil.copyfile(server.log, server.kept)
        shutil.rmtree(tmp, ignore_errors=True)


def first_traceback(log_text: str, limit: int = 30) -> str:
    """The first traceback in a server log (what a 500 answer hides), chained exceptions included, cut to its
    last `limit` lines; empty when there is none."""
    lines = log_text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Traceback")), None)
    if start is None:
        return ""
    end = len(lines) - 1
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line and not line[0].isspace() and not line.startswith(("Traceback", "During", "The above")):
            end = i
            following = next((x for x in lines[i + 1 : i + 3] if x.strip()), "")
            if not following.startswith(("During", "The above")):
                break
    return "\n".join(lines[start : end + 1][-limit:])


def stop_tree(proc: subprocess.Popen) -> None:
    """Stop the server, then whatever of its process tree outlived it: on SIGTERM `serve --demo` leaves its
    forkserver and page workers running (orphaned, idle, ~200 MB each), and repeated runs would pile them up."""
    try:
        tree = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        tree = []
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    alive = [p for p in tree if p.is_running()]
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, still = psutil.wait_procs(alive, timeout=10)
    for p in still:
        with contextlib.suppress(psutil.Error):
            p.kill()


def listening_pid(url: str) -> int | None:
    """The local process listening on the URL's port, when psutil may see it (not another user's, without root)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    with contextlib.suppress(psutil.Error, OSError):
        for c in psutil.net_connections(kind="tcp"):
            if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.pid:
                return c.pid
    return None


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants. Pages shared between forked workers count once per
    process, so this is an upper bound of what the tree holds."""
    root = psutil.Process(pid)
    total = root.memory_info().rss
    for child in root.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return total


class MemorySampler:
    """The server tree's RSS every `interval` seconds in a thread: first, peak and last sample."""

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="memory")
        self._t0 = time.monotonic()

    def _run(self) -> None:
        while True:
            with contextlib.suppress(psutil.Error):
                self.samples.append((time.monotonic() - self._t0, tree_rss(self.pid)))
            if self._stop.wait(self.interval):
                return

    def start(self) -> MemorySampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        with contextlib.suppress(psutil.Error):  # the final figure: after every dossier was followed to the end
            self.samples.append((time.monotonic() - self._t0, tree_rss(self.pid)))

    def mb(self, which: str) -> float | None:
        if not self.samples:
            return None
        values = [b for _, b in self.samples]
        pick = {"start": values[0], "peak": max(values), "final": values[-1]}[which]
        return pick / 2**20


# --- the clients ------------------------------------------------------------------------------------------------


@dataclass
class LoadConfig:
    url: str | None = None
    clients: int = 20
    pages: int = 10
    seconds: float = 120.0
    bad_every: int = 0
    user: str = "quay1"
    password: str = DEMO_PASSWORD
    workers: int = 0
    follow: str = "poll"  # or "sse": the event stream the counter screen listens to
    timeout: float = 1800.0  # per dossier, from the start of its upload
    citizen_id: str | None = None


@dataclass
class LoadResult:
    config: LoadConfig
    runs: list[DossierRun]
    client_errors: list[str]
    wall_s: float
    memory_mb: dict[str, float | None]
    requests: dict[str, list[float]]
    rows: list[Summary]

    @property
    def errors(self) -> int:
        return len(self.client_errors) + sum(len(r.errors) for r in self.runs)


class RequestFailed(Exception):
    pass


def reason_of(r: httpx.Response) -> str:
    with contextlib.suppress(ValueError, AttributeError):
        body = r.json()
        return f"{body.get('error')}: {body.get('reason')}"[:160]
    return r.text[:160]


class Client:
    """One counter: its own HTTP connection and session token."""

    def __init__(self, index: int, cfg: LoadConfig, base_url: str) -> None:
        import httpx

        self.index, self.cfg = index, cfg
        self.http = httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT)
        self.times: dict[str, list[float]] = {"login": [], "open": [], "upload": [], "status": []}

    def call(self, method: str, path: str, kind: str, **kw: Any) -> httpx.Response:
        import httpx

        t0 = time.perf_counter()
        try:
            r = self.http.request(method, path, **kw)
        except httpx.TimeoutException as exc:
            raise RequestFailed(f"{kind}: timeout ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise RequestFailed(f"{kind}: {type(exc).__name__}: {exc}"[:160]) from None
        self.times.setdefault(kind, []).append(time.perf_counter() - t0)
        if not r.is_success:
            raise RequestFailed(f"{kind} answered {r.status_code}: {reason_of(r)}")
        return r

    def login(self) -> None:
        body = {"username": self.cfg.user, "password": self.cfg.password}
        token = self.call("POST", "/api/login", "login", json=body).json()["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.http.close()

    def dossier(self, run: DossierRun, pdf: bytes) -> None:
        """Open, upload, follow: everything a counter does for one citizen's scan."""
        body: dict[str, str] = {"procedure": PROCEDURE}
        if self.cfg.citizen_id:
            body["citizen_id"] = self.cfg.citizen_id
        try:
            run.dossier = self.call("POST", "/api/dossiers", "open", json=body).json()["dossier"]
            # The corrupt file goes first: the good one after a refusal must still be taken.
            files = [("files", ("hong.pdf", CORRUPT_PDF, "application/pdf"))] if run.with_bad else []
            files.append(("files", (f"ho-so-{run.upload}.pdf", pdf, "application/pdf")))
            t0 = time.monotonic()
            r = self.call("POST", f"/api/dossiers/{run.dossier}/files", "upload", files=files)
            check_receipts(run, r.json().get("files", []), self.cfg.pages)
            (self.follow_sse if self.cfg.follow == "sse" else self.follow_poll)(run, t0)
        except RequestFailed as exc:
            run.errors.append(str(exc))
        except Exception as exc:  # an unexpected answer (not JSON, a missing key) must not end the whole run
            run.errors.append(f"unexpected answer: {type(exc).__name__}: {exc}"[:200])

    def follow_poll(self, run: DossierRun, t0: float) -> None:
        failures = 0
        while True:
            try:
                state = self.call("GET", f"/api/dossiers/{run.dossier}", "status").json()
                failures = 0
                if observe(run, state, time.monotonic() - t0, self.cfg.pages):
                    return
            except RequestFailed as exc:
                run.errors.append(str(exc))
                failures += 1
                if failures >= MAX_POLL_FAILURES:
                    return
            if time.monotonic() - t0 > self.cfg.timeout:
                run.errors.append(f"timeout: not done {self.cfg.timeout:.0f} s after upload")
                return
            time.sleep(POLL_SECONDS)

    def follow_sse(self, run: DossierRun, t0: float) -> None:
        import httpx

        event = ""
        try:
            # The stream sends a comment at least every 15 s, so a read timeout of 60 s means a stuck server.
            with self.http.stream("GET", f"/api/dossiers/{run.dossier}/events",
                                  timeout=httpx.Timeout(REQUEST_TIMEOUT, read=60)) as r:  # fmt: skip
                if not r.is_success:
                    r.read()
                    raise RequestFailed(f"events answered {r.status_code}: {reason_of(r)}")
                for line in r.iter_lines():
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif (
                        line.startswith("data:")
                        and event == "status"
                        and observe(run, json.loads(line[5:]), time.monotonic() - t0, self.cfg.pages)
                    ):
                        return
                    if time.monotonic() - t0 > self.cfg.timeout:
                        run.errors.append(f"timeout: not done {self.cfg.timeout:.0f} s after upload")
                        return
        except httpx.HTTPError as exc:
            raise RequestFailed(f"events: {type(exc).__name__}: {exc}"[:160]) from None
        run.errors.append("event stream ended before the dossier was done")


def make_pdfs(pages: int, variants: int = 6, seed: int = 41) -> list[bytes]:
    """A few distinct scanner-style PDFs of `pages` pages from a pool of generated pages (skew, JPEG, noise, one
    in eight turned, as in `digitize bench`), each variant a different run through the pool."""
    from digitize.devtools import synth
    from digitize.devtools.bench import make_pages

    pool, _ = make_pages(pages + 2, seed=seed)
    variants = max(1, min(variants, len(pool)))
    pdfs = [synth.images_to_pdf([pool[(v + i) % len(pool)] for i in range(pages)], dpi=300, quality=85)
            for v in range(variants)]  # fmt: skip
    return pdfs


def run_clients(cfg: LoadConfig, url: str, pdfs: list[bytes]) -> tuple[list[DossierRun], list[str], dict, float]:
    """All clients until the deadline; each dossier started before it is followed to the end. Returns the runs,
    errors outside dossiers (logins), the answer times by request kind, and the wall time."""
    clients = [Client(i, cfg, url) for i in range(cfg.clients)]
    login_errors: list[str] = []
    ready: list[Client] = []
    for c in clients:  # before the clock: a login is not part of a counter's work on a dossier
        try:
            c.login()
            ready.append(c)
        except RequestFailed as exc:
            login_errors.append(str(exc))
    uploads = 0
    lock = threading.Lock()
    t_start = time.monotonic()
    deadline = t_start + cfg.seconds

    def next_upload() -> int:
        nonlocal uploads
        with lock:
            uploads += 1
            return uploads

    def work(c: Client) -> list[DossierRun]:
        runs = []
        while time.monotonic() < deadline:
            n = next_upload()
            run = DossierRun(client=c.index, upload=n, with_bad=cfg.bad_every > 0 and n % cfg.bad_every == 0,
                             started=time.monotonic() - t_start)  # fmt: skip
            c.dossier(run, pdfs[n % len(pdfs)])
            runs.append(run)
            if run.errors and not run.finished:
                time.sleep(1.0)  # a failing server is not hammered in a tight loop
        return runs

    try:
        with ThreadPoolExecutor(max(1, len(ready)), thread_name_prefix="client") as pool:
            per_client = list(pool.map(work, ready))
        wall = time.monotonic() - t_start
    finally:
        for c in clients:
            c.close()
    times: dict[str, list[float]] = {}
    for c in clients:
        for k, v in c.times.items():
            times.setdefault(k, []).extend(v)
    runs = sorted((r for rs in per_client for r in rs), key=lambda r: r.upload)
    return runs, login_errors, times, wall


def run_load(cfg: LoadConfig, out: Callable[[str], None] = print) -> LoadResult:
    cores = os.cpu_count() or 1
    t = time.perf_counter()
    pdfs = make_pdfs(cfg.pages)
    out(f"generated {len(pdfs)} distinct {cfg.pages}-page PDFs at 300 dpi "
        f"({sum(map(len, pdfs)) / len(pdfs) / 2**20:.1f} MB each) in {time.perf_counter() - t:.0f} s")  # fmt: skip
    load1, load5, _ = psutil.getloadavg()
    out(f"machine: {cores} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"load average before the run {load1:.2f} (1 min) {load5:.2f} (5 min)")  # fmt: skip

    server: OwnServer | None = None
    with contextlib.ExitStack() as stack:
        if cfg.url:
            url, pid = cfg.url.rstrip("/"), listening_pid(cfg.url)
            wait_healthy(url, None, timeout=10)
            out(f"server: {url} (given; pid {pid or 'not visible: memory not sampled'})")
        else:
            server = stack.enter_context(own_server(cfg.workers))
            url, pid = server.url, server.pid
            db = "DIGITIZE_DATABASE_URL from the environment" if os.environ.get("DIGITIZE_DATABASE_URL") else "SQLite"
            out(f"server: own `digitize serve --demo` at {url}, {cfg.workers or cores} page workers, {db}, "
                f"store {os.environ.get('DIGITIZE_STORE', 'local')}")  # fmt: skip
        sampler = MemorySampler(pid).start() if pid else None
        follow = "polling every 0.25 s" if cfg.follow == "poll" else "server-sent events"
        bad = f", a corrupt PDF beside the good one in 1 upload of {cfg.bad_every}" if cfg.bad_every else ""
        out(f"load: {cfg.clients} clients for {cfg.seconds:.0f} s, {cfg.pages}-page dossiers, follow by {follow}{bad}")
        try:
            runs, client_errors, times, wall = run_clients(cfg, url, pdfs)
        finally:
            if sampler is not None:  # the final sample is taken here, before the server stops
                sampler.stop()
        memory = {k: sampler.mb(k) if sampler else None for k in ("start", "peak", "final")}
        if server is not None and (client_errors or any(r.errors for r in runs)):
            server.keep_log = True

    rows = [summarize("all", runs, client_errors, clients=cfg.clients, wall_s=wall, peak_mb=memory["peak"])]
    if cfg.bad_every:
        rows.append(summarize("good file only", [r for r in runs if not r.with_bad]))
        rows.append(summarize("good + corrupt file", [r for r in runs if r.with_bad]))
    result = LoadResult(cfg, runs, client_errors, wall, memory, times, rows)
    out("")
    out(format_table(rows))
    out("")
    out(f"dossiers started: {len(runs)}, each followed until done, failed or timed out; the wall time includes "
        f"finishing those started before {cfg.seconds:.0f} s")  # fmt: skip
    if cfg.bad_every:
        sent = [r for r in runs if r.with_bad]
        out(f"corrupt PDFs sent: {len(sent)}, refused as corrupt_pdf with a reason: "
            f"{sum(1 for r in sent if r.bad_refused)}")  # fmt: skip
    if memory["peak"] is not None:
        out(f"server memory (RSS of the API process and its workers): at start {memory['start']:.0f} MB, "
            f"peak {memory['peak']:.0f} MB, final {memory['final']:.0f} MB")  # fmt: skip
    out("")
    out(format_requests(times))
    errors = result.errors
    if errors:
        out("")
        out(f"{errors} error(s); the first ones:")
        firsts = client_errors + [f"dossier {r.dossier} (upload {r.upload}): {e}" for r in runs for e in r.errors]
        for e in firsts[:10]:
            out(f"  - {e}")
        if server is not None and server.kept:
            out(f"server log kept in {server.kept}")
            if trace := first_traceback(server.kept.read_text(errors="replace")):
                out("first traceback in it:\n" + trace)
    return result


def result_json(result: LoadResult) -> dict[str, Any]:
    return {
        "config": asdict(result.config),
        "wall_s": result.wall_s,
        "memory_mb": result.memory_mb,
        "errors": result.errors,
        "client_errors": result.client_errors,
        "runs": [asdict(r) for r in result.runs],
        "rows": [{**asdict(s), "pages_per_min": s.pages_per_min} for s in result.rows],
    }
