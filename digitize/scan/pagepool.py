"""The embedded default's page workers: a process pool that outlives the death of one of its workers.

A worker can die under a page: the kernel's out-of-memory killer, a crash inside a reader (poppler, Tesseract,
OpenCV) on a malformed file, an operator's kill. Python's process pool then refuses all further work, which would
fail every later dossier of the service until a restart. Here a broken pool is replaced; the pages that were in
flight with it (most of them innocent) are read again one at a time, so the page that kills its worker is the one
marked failed, and only it.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor

from digitize.scan.pipeline import ScanOutput, process_scan, worker_init
from digitize.scan.readers import PageReader

Job = tuple[int, str, dict]  # scan id, path of the original, page reference

CRASHED = "page_crashed"
CRASHED_REASON = "the page stopped the worker reading it, again and again (out of memory, or a reader crashed on it)"


class PagePool:
    def __init__(self, workers: int, initializer: Callable[[], None] = worker_init, reader: PageReader = process_scan):
        self.workers = max(1, workers)
        self._initializer = initializer
        self._reader = reader  # a top-level function: the workers receive it by name
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()  # dossiers processed in parallel threads share the pool

    @property
    def executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # Processes keep OpenCV's and numpy's work off the GIL. Workers start from a fork server, never from
                # this process: forking a process that has threads (uvicorn, OpenCV's pool) can deadlock the child.
                context = multiprocessing.get_context("forkserver")
                # The fork server imports the pipeline once for all the workers forked from it: by default it
                # preloads only a __main__ with a path (none under `python -m` or pytest), and every new worker
                # imported the pipeline itself, 0.4 s of CPU each.
                context.set_forkserver_preload(["digitize.scan.pipeline"])
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=context, initializer=self._initializer
                )
            return self._pool

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        """Drop a broken pool, once, however many threads saw it break; the next use starts a new one."""
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def _submit(self, job: Job, lang: str) -> tuple[Future, ProcessPoolExecutor]:
        for _ in range(2):
            pool = self.executor
            try:
                return pool.submit(self._reader, job[1], job[2], lang), pool
            except BrokenExecutor:  # broken by a page of another dossier in the meantime
                self._discard(pool)
        raise BrokenExecutor("the page pool cannot start workers")

    def _alone(self, job: Job, lang: str) -> ScanOutput:
        """Read one page with nothing else in flight from this run: if the pool breaks twice, the page did it."""
        for _ in range(2):
            fut, pool = self._submit(job, lang)
            try:
                return fut.result()
            except BrokenExecutor:
                self._discard(pool)
        return ScanOutput(error=CRASHED, reason=CRASHED_REASON)

    def run_in_order(self, jobs: list[Job], lang: str) -> Iterator[tuple[int, ScanOutput]]:
        """Yield (scan id, output) in job order while all workers stay busy.

        At most two pages per worker are in flight, so a 200-page dossier holds a handful of page images in
        memory, not all of them.
        """
        window = 2 * self.workers
        pending = deque(jobs)
        in_flight: deque[tuple[Job, Future, ProcessPoolExecutor]] = deque()

        def fill() -> None:
            while pending and len(in_flight) < window:
                job = pending.popleft()
                in_flight.append((job, *self._submit(job, lang)))

        fill()
        while in_flight:
            job, fut, pool = in_flight.popleft()
            try:
                out = fut.result()
            except BrokenExecutor:
                self._discard(pool)
                others = [(j, f) for j, f, _ in in_flight]
                in_flight.clear()
                yield job[0], self._alone(job, lang)
                for other, f in others:  # a page that finished before the break keeps its result
                    finished = f.done() and not f.cancelled() and f.exception() is None
                    yield other[0], f.result() if finished else self._alone(other, lang)
                fill()
                continue
            except Exception as exc:  # the output could not come back (too large to send, not picklable…)
                out = ScanOutput(error="page_failed", reason=f"{type(exc).__name__}: {exc}")
            fill()
            yield job[0], out

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
