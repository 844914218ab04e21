"""`digitize batch DIR`: digitize an archive of old papers in bulk, one dossier per file, resumable.

Every PDF/TIFF/JPEG/PNG file under DIR (by name, recursively, in path order; hidden files and folders, the state
folder among them, are left alone) becomes a dossier of the procedure, opened for the counter account given, with
the citizen from a 12-digit ID number in the file name as in the hot folder, and is read by the service.

--results: the files are papers the procedure issued (an archive of birth certificates). Each is added with
purpose "result", so its documents are the citizen's results (not submitted papers: the checklist ignores them)
and reach the citizen's repository once a reviewer approves them; the issued result is recorded
(`issue_result`, document type from the catalog) only after the file was read without a failure, so a corrupt
scan or a failed run never counts as a result issued but not digitized, and a retry records exactly one.
Without --results the files are submitted papers (an archive of old dossiers).

A file the intake refuses (empty, corrupt, not a scan) opens no dossier: an empty dossier would count as one
received and not digitized in the agency's figures. Its bytes are stored under their SHA-256 all the same (as
`add_file` does before any check), recorded as an original and in the audit log; the report gives the sha256.

Resuming: DIR/.digitize-batch/state.jsonl gets a "start" line when a file's dossier is opened and a "done" line
when the file is finished (digitized, refused, failed, duplicate), each flushed and fsynced before going on. A
later run skips a file with a done line for the same path, size and mtime, or for the same bytes (SHA-256, so a
renamed or copied file is not digitized twice); --retry-failed does the failed ones again. A start line without
a done line is a file interrupted mid-way: it is done again from the start, and its half-made dossier is left as
it is and listed in the report. A torn last line (killed mid-write) is cut off when the state is read.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from digitize.core.config import Settings
from digitize.core.errors import DigitizeError
from digitize.dossiers.service import DossierService
from digitize.ingest.watch import citizen_from_name, ignored, plain_log
from digitize.people import audit
from digitize.people.auth import Principal
from digitize.scan.intake import empty_file, file_too_large, inspect
from digitize.scan.pagepool import PagePool
from digitize.scan.pipeline import worker_init
from digitize.scan.readers import page_reader

STATE_DIR = ".digitize-batch"
STATE_FILE = "state.jsonl"
EXTENSIONS = (".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png")
# Outcomes of a done line. A line with an error code (any refused or failed file, or a duplicate of one) is a
# failure: a row of the report.
DIGITIZED, REFUSED, FAILED, DUPLICATE = "digitized", "refused", "failed", "duplicate"
OUTCOMES = (DIGITIZED, REFUSED, FAILED, DUPLICATE)
REPORT_FIELDS = ["file", "error", "reason_vi", "reason", "sha256", "outcome", "dossier_code", "dossier_id", "at"]

Log = Callable[[str], None]


class StopRun(Exception):
    """Nothing more can be done in this run (the unit's dossier numbers for today are used up)."""


@dataclass
class Item:
    path: Path
    rel: str  # path under DIR, with "/": the state's key, valid wherever the archive is mounted
    size: int
    mtime_ns: int


# --- the archive ----------------------------------------------------------------------------------------------


def archive_files(folder: Path, log: Log) -> tuple[list[Item], int, list[str]]:
    """(files to digitize in path order, how many other files were left alone, folders that could not be read)."""
    found: list[Item] = []
    unreadable: list[str] = []
    other = 0

    def cannot_read(exc: OSError) -> None:  # os.walk skips such folders silently: their files would be missed
        unreadable.append(str(exc))
        log(f"cannot read {exc.filename}: {exc.strerror}")

    for root, dirs, names in os.walk(folder, onerror=cannot_read):
        dirs[:] = [d for d in dirs if not ignored(d)]  # hidden folders, the state folder among them
        for name in names:
            path = Path(root, name)
            if ignored(name) or not name.lower().endswith(EXTENSIONS):
                if not ignored(name):
                    other += 1
                continue
            try:
                st = path.lstat()
            except OSError:
                continue
            if path.is_symlink() or not path.is_file():  # a link may point outside DIR or at a file already listed
                continue
            found.append(Item(path, path.relative_to(folder).as_posix(), st.st_size, st.st_mtime_ns))
    found.sort(key=lambda it: Path(it.rel).parts)  # by folder then name: "a/b.pdf" before "a-b.pdf"
    return found, other, unreadable


# --- the state file -------------------------------------------------------------------------------------------


class BatchState:
    """The JSON lines of earlier runs, and a durable append for this one. Only one run per folder at a time."""

    def __init__(self, folder: Path, log: Log):
        self.dir = folder / STATE_DIR
        self.dir.mkdir(exist_ok=True)
        self._lock_fh = open(self.dir / "lock", "a+b")  # noqa: SIM115 (held for the whole run)
        try:
            fcntl.flock(self._lock_fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_fh.close()
            raise DigitizeError(
                "batch_running",
                f"another digitize batch is running on {folder}",
                f"Một lượt số hóa khác đang chạy trên thư mục {folder}.",
                status=409,
            ) from None
        self.path = self.dir / STATE_FILE
        self.records = self._load(log)
        self._fh = open(self.path, "ab")  # noqa: SIM115 (appended to until close())
        _fsync_dir(self.dir)  # the state file's name is durable too, not only its lines
        self._guard = threading.Lock()

    def _load(self, log: Log) -> list[dict]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        body, _, torn = raw.rpartition(b"\n")
        if torn:
            # Killed mid-write: the line never finished, so its file counts as not done. Cut it off, or the next
            # line appended would be glued to it and lost too.
            os.truncate(self.path, len(raw) - len(torn))
            log(f"state: cut off an unfinished last line ({len(torn)} bytes) left by an interrupted run")
        records, bad = [], 0
        for line in body.split(b"\n") if body else []:
            try:
                rec = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if _well_formed(rec):
                records.append(rec)
            else:
                bad += 1
        if bad:
            log(f"state: ignored {bad} unreadable line(s) in {self.path}")
        return records

    def append(self, rec: dict) -> None:
        """One line, on disk before this returns: a crash right after still finds it."""
        line = json.dumps(rec, ensure_ascii=False).encode() + b"\n"
        with self._guard:
            self._fh.write(line)
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self.records.append(rec)

    def finished(self) -> list[dict]:
        return [r for r in self.records if r.get("event") == "done"]

    def interrupted(self) -> list[dict]:
        """Start lines whose dossier never got a done line: half-made dossiers of interrupted runs."""
        done = {r.get("dossier_id") for r in self.finished()}
        return [r for r in self.records if r.get("event") == "start" and r.get("dossier_id") not in done]

    def close(self) -> None:
        self._fh.close()
        self._lock_fh.close()  # releases the run's lock


def _well_formed(rec: object) -> bool:
    """A line this module wrote: anything else (a hand edit gone wrong) is left out rather than trusted."""
    if not isinstance(rec, dict) or not isinstance(rec.get("path"), str):
        return False
    if rec.get("event") == "start":
        return isinstance(rec.get("dossier_id"), str)
    return rec.get("event") == "done" and rec.get("outcome") in OUTCOMES and {"size", "mtime_ns"} <= set(rec)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _settled(rec: dict, retry_failed: bool) -> bool:
    """Whether a done line means the file needs nothing more."""
    return rec.get("error") is None or not retry_failed


# --- progress -------------------------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Progress:
    """Files done/total, pages, failures, elapsed and ETA on stderr: redrawn in place on a terminal; elsewhere (a
    log file, a pipe) one line per file, which carriage returns would turn into one unreadable line."""

    def __init__(self, total: int, done: int, stream: TextIO, log: Log, clock: Callable[[], float] = time.monotonic):
        self.total, self.done, self.pages, self.failed = total, done, 0, 0
        self.processed = 0  # files read in this run: the ETA's pace
        self.stream, self.log, self.clock = stream, log, clock
        self.tty = stream.isatty()
        self.started = clock()
        self._shown = False
        self._guard = threading.RLock()

    def status(self) -> str:
        elapsed = self.clock() - self.started
        left = self.total - self.done
        # At the pace of the files read in this run: skipped ones cost nothing.
        eta = "?" if left and not self.processed else _clock(elapsed / max(1, self.processed) * left)
        return (
            f"{self.done}/{self.total} files, {self.pages} pages, {self.failed} failed, "
            f"{_clock(elapsed)} elapsed, ETA {eta}"
        )

    def _draw(self) -> None:
        width = shutil.get_terminal_size((100, 24)).columns
        filled = 20 * self.done // max(1, self.total)
        line = f"[{'#' * filled}{'.' * (20 - filled)}] {self.status()}"
        self.stream.write("\r" + line[: width - 1] + "\x1b[K")  # one row: a wrapped line could not be redrawn
        self.stream.flush()
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def say(self, line: str) -> None:
        """A log line (stdout), with the bar taken away and put back so they do not share a row."""
        with self._guard:
            if self.tty:
                self._clear()
            self.log(line)
            if self.tty:
                self._draw()

    def tick(self) -> None:
        if self.tty:
            with self._guard:
                self._draw()

    def file(self, rec: dict, read: bool) -> None:
        with self._guard:
            self.done += 1
            self.processed += read
            self.pages += rec.get("pages") or 0
            self.failed += rec.get("error") is not None
            if self.tty:
                self._draw()
                return
            what = rec["outcome"]
            if rec.get("dossier_code"):
                what += f" -> {rec['dossier_code']}"
            if rec.get("error"):
                what += f" ({rec['error']})"
            elif rec.get("pages") is not None:
                what += f" ({rec['pages']} page{'' if rec['pages'] == 1 else 's'})"
            self.stream.write(f"[{self.done}/{self.total}] {rec['path']}: {what} | {self.status()}\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty:
            with self._guard:
                self._draw()
                self.stream.write("\n")
                self.stream.flush()
                self._shown = False


# --- one run: each file, then the report ----------------------------------------------------------------------


def _why(exc: BaseException) -> dict:
    if isinstance(exc, DigitizeError):
        return {"error": exc.code, "reason": exc.reason, "reason_vi": exc.reason_vi}
    return {
        "error": "processing_error",
        "reason": f"{type(exc).__name__}: {exc}",
        "reason_vi": f"Lỗi khi xử lý tệp ({type(exc).__name__}); tệp gốc được giữ lại, đề nghị báo quản trị "
        "hoặc chạy lại với --retry-failed.",
    }


class _Signals:
    """First Ctrl-C (or SIGTERM): finish the files in hand, then stop. Second: stop at once, as a kill would."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self._previous: dict[int, object] = {}

    def _handler(self, signum: int, frame: object) -> None:
        if self.stop.is_set():
            # os.write, not print: the main thread may be inside a print, and print is not reentrant.
            os.write(2, b"\nstopped at once; files in progress are done again at the next run\n")
            os._exit(130)
        self.stop.set()

    def __enter__(self) -> _Signals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


class Batch:
    """One run over an archive folder."""

    def __init__(
        self,
        folder: Path,
        service: DossierService,
        actor: Principal,
        procedure: str,
        state: BatchState,
        log: Log,
        results: bool = False,
        retry_failed: bool = False,
    ):
        self.folder, self.service, self.actor, self.procedure = folder, service, actor, procedure
        self.state, self.log, self.results, self.retry_failed = state, log, results, retry_failed
        self.say: Log = log  # the progress display's, once there is one: it keeps the bar off the log's rows
        proc = service.ctx.catalog.procedure(procedure)
        self.result_type = proc.result if results and proc is not None else None

    def _now(self) -> str:
        return datetime.now(self.service.ctx.zone).isoformat(timespec="seconds")

    def base(self, item: Item, sha: str | None) -> dict:
        return {
            "path": item.rel,
            "size": item.size,
            "mtime_ns": item.mtime_ns,
            "sha256": sha,
            "procedure": self.procedure,
            "results": self.results,
            "by": self.actor.subject,
        }

    def finish(self, rec: dict) -> dict:
        rec = {"event": "done", **rec, "at": self._now()}
        self.state.append(rec)
        return rec

    def duplicate(self, item: Item, sha: str, first: dict) -> dict:
        """Same bytes as a file already done: its dossier and outcome stand for this one too."""
        rec = self.base(item, sha) | {"outcome": DUPLICATE, "same_as": first["path"]}
        for k in ("dossier_id", "dossier_code", "error", "reason", "reason_vi"):
            rec[k] = first.get(k)
        return self.finish(rec)

    def _refusal(self, item: Item, data: bytes) -> dict | None:
        """The intake's verdict before a dossier is opened: a refused file keeps its bytes, gets no dossier."""
        limit = self.service.ctx.settings.max_upload_bytes
        name = item.path.name
        try:
            if not data:
                raise empty_file(name)
            if len(data) > limit:
                raise file_too_large(name, limit)
            inspect(data, name, self.service.reception.limits)
            return None
        except DigitizeError as exc:
            refusal = {"outcome": REFUSED, "sha256": None, **_why(exc)}
        if len(data) <= limit:  # as add_file: an empty file is kept too; a huge one has no room
            sha, _ = self.service.reception.keep_original(data)
            with self.service.ctx.session() as s:
                audit.record(
                    s,
                    self.actor,
                    "batch.refuse",
                    "original",
                    sha,
                    file=item.rel,
                    error=refusal["error"],
                    procedure=self.procedure,
                )
            refusal["sha256"] = sha
        return refusal

    def digitize(self, item: Item, data: bytes, sha: str) -> dict:
        """Runs in a worker thread. Returns the done line, already written to the state."""
        svc, actor = self.service, self.actor
        rec = self.base(item, sha) | {"dossier_id": None, "dossier_code": None}
        citizen, note = citizen_from_name(item.path.name)
        if note:
            rec["note"] = note["reason"]
            self.say(f"{item.rel}: {note['reason']}; dossier opened without a citizen")
        try:
            refusal = self._refusal(item, data)
            if refusal is not None:
                return self.finish(rec | refusal)
            try:
                dossier_id = svc.reception.create_dossier(self.procedure, actor, citizen, archive=True)
            except DigitizeError as exc:
                if exc.code == "daily_limit":
                    raise StopRun(exc.reason) from exc
                raise
            rec.update(dossier_id=dossier_id, dossier_code=svc.queries.dossier_code(dossier_id, actor))
            self.state.append({"event": "start", **rec, "at": self._now()})
            receipt = svc.reception.add_file(
                dossier_id, item.path.name, data, actor, "result" if self.results else "submission"
            )
            rec["sha256"] = receipt.sha256 or sha
            if receipt.error is not None:
                return self.finish(rec | {"outcome": REFUSED, **_why(receipt.error)})
            svc.reading.process(dossier_id)
            st = svc.queries.status(dossier_id, actor)
            rec.update(pages=len(st["pages"]), documents=[d["type"] for d in st["documents"]])
            bad = st["scans"]["failed"]
            if bad:
                # A page missing from the e-copy is not an archive paper digitized: it needs scanning again.
                return self.finish(
                    rec
                    | {
                        "outcome": FAILED,
                        "error": "page_failed",
                        "reason": f"{bad} page(s) of the file could not be read",
                        "reason_vi": f"Không đọc được {bad} trang của tệp; đề nghị quét lại.",
                    }
                )
            if st["status"] != "done":
                return self.finish(
                    rec
                    | {
                        "outcome": FAILED,
                        "error": "processing_failed",
                        "reason": f"the dossier ended {st['status']}: {st['error'] or ''}",
                        "reason_vi": "Xử lý hồ sơ không hoàn tất; đề nghị báo quản trị.",
                    }
                )
            if self.results:
                svc.reception.issue_result(dossier_id, actor, None, receipt)
            return self.finish(rec | {"outcome": DIGITIZED, "error": None})
        except StopRun:
            raise
        except BrokenExecutor as exc:
            # The page workers cannot be started again (a worker dying under a page is recovered from by the
            # pool): every file after would fail the same way. Not recorded as done, so the next run does it again.
            raise StopRun(f"the page workers stopped ({type(exc).__name__}: {exc})") from exc
        except Exception as exc:  # any one file's trouble is its own: recorded, and the run goes on
            return self.finish(rec | {"outcome": FAILED, **_why(exc)})

    def run(self, at_once: int, report: Path | None, stream: TextIO, signals: _Signals, resume_hint: str) -> int:
        items, other, unreadable = archive_files(self.folder, self.log)
        todo, before, by_sha = self._plan(items, other, at_once)
        if todo and at_once > 1:
            # The unit's CA and the officer's certificate are made on first use: made once here, not by two threads.
            self.service.certifier.credentials(self.actor.subject)
        progress = Progress(len(items), before, stream, self.log)
        self.say = progress.say
        halted = self._digitize_all(todo, by_sha, at_once, progress, signals)
        progress.close()
        requested = signals.stop.is_set() and halted is None
        code = self.conclude(items, unreadable, report, "stopped on request" if requested else halted, resume_hint)
        return 130 if requested else code

    def _plan(self, items: list[Item], other: int, at_once: int) -> tuple[list[Item], int, dict[str, dict]]:
        """The files still to do (not settled by an earlier run), how many were done before, and the outcomes of
        contents already read by SHA-256 (a file with the same bytes is their duplicate); said in the log."""
        log, by_path, by_sha = self.log, {}, {}
        for rec in self.state.finished():
            by_path[rec["path"]] = rec  # the latest line of a path is its outcome
            if rec.get("sha256") and rec["outcome"] != DUPLICATE and _settled(rec, self.retry_failed):
                by_sha.setdefault(rec["sha256"], rec)

        def settled(it: Item) -> bool:
            r = by_path.get(it.rel)
            return bool(r and r["size"] == it.size and r["mtime_ns"] == it.mtime_ns and _settled(r, self.retry_failed))

        todo = [it for it in items if not settled(it)]
        before = len(items) - len(todo)
        elsewhere = sum(1 for it in items if settled(it) and by_path[it.rel].get("procedure") != self.procedure)
        log(
            f"batch {self.folder}: {len(items)} files for procedure {self.procedure}"
            f"{' as results' if self.results else ''}, opened for {self.actor.subject} at {self.actor.agency}; "
            f"{before} done by an earlier run, {len(todo)} to do, {at_once} at a time"
            + (f"; {other} other files left alone" if other else "")
        )
        if elsewhere:
            log(f"note: {elsewhere} of the files done earlier were done for another procedure; they are not done again")
        if self.results and self.result_type is None:
            log(f"note: the catalog names no result for procedure {self.procedure}; results recorded without a type")
        for rec in self.state.interrupted():
            log(
                f"note: {rec['path']} was interrupted in an earlier run; its dossier {rec.get('dossier_code')} is left "
                "as it is, and the file is done again"
            )
        return todo, before, by_sha

    def _digitize_all(
        self, todo: list[Item], by_sha: dict[str, dict], at_once: int, progress: Progress, signals: _Signals
    ) -> str | None:
        """The files, `at_once` at a time, until done or stopped; why the run could not go on, if it could not."""
        in_flight: dict[Future, tuple[Item, str]] = {}
        halted: str | None = None  # why the run could not go on, when it was not asked to stop

        def reap(timeout: float | None) -> None:
            nonlocal halted
            done, _ = wait(list(in_flight), timeout=timeout, return_when=FIRST_COMPLETED)
            for fut in done:
                item, sha = in_flight.pop(fut)
                try:
                    rec = fut.result()
                except StopRun as exc:
                    halted = halted or f"{exc}; {item.rel} and the files after it are for the next run"
                    signals.stop.set()
                    continue
                except Exception as exc:  # the state could not be written: going on would lose track of the work
                    halted = halted or f"{item.rel}: {type(exc).__name__}: {exc}"
                    signals.stop.set()
                    continue
                if rec["outcome"] in (DIGITIZED, REFUSED):
                    by_sha.setdefault(sha, rec)
                if rec.get("error"):
                    kept = f" (original kept as sha256 {rec['sha256']})" if rec.get("sha256") else ""
                    progress.say(f"failed {item.rel}: {rec['error']}: {rec['reason_vi']} / {rec['reason']}{kept}")
                progress.file(rec, read=True)
            progress.tick()

        with ThreadPoolExecutor(at_once, thread_name_prefix="batch") as pool:
            for item in todo:
                while len(in_flight) >= at_once and not signals.stop.is_set():
                    reap(0.5)  # short waits: a Ctrl-C is answered at once, and the elapsed time keeps moving
                if signals.stop.is_set():
                    break
                data = self._read(item, progress)
                if data is None:
                    continue
                sha = hashlib.sha256(data).hexdigest()
                while any(s == sha for _, s in in_flight.values()):
                    reap(0.5)  # the same bytes are being read right now: wait, then this file is their duplicate
                first = by_sha.get(sha)
                if first is not None:
                    rec = self.duplicate(item, sha, first)
                    progress.say(f"{item.rel}: same content as {first['path']}; not digitized again")
                    progress.file(rec, read=False)
                    continue
                in_flight[pool.submit(self.digitize, item, data, sha)] = (item, sha)
                del data
            if in_flight and signals.stop.is_set() and halted is None:
                progress.say(f"stopping after the {len(in_flight)} file(s) in hand (Ctrl-C again to stop at once)")
            while in_flight:
                reap(0.5)
        return halted

    def _read(self, item: Item, progress: Progress) -> bytes | None:
        """The file's bytes, or None once its failure to be read is recorded."""
        try:
            return item.path.read_bytes()
        except OSError as exc:
            failed = {"outcome": FAILED, "error": "unreadable_file", "reason": f"cannot read the file: {exc.strerror}",
                      "reason_vi": f"Không đọc được tệp: {exc.strerror}."}  # fmt: skip
            progress.file(self.finish(self.base(item, None) | failed), read=False)
            return None

    def conclude(
        self,
        items: list[Item],
        unreadable: list[str],
        report: Path | None,
        stopped_by: str | None,
        resume_hint: str,
    ) -> int:
        """The report covers the whole archive as it stands, earlier runs included: the list of what still needs a
        person, whichever run found it."""
        log, state = self.log, self.state
        latest: dict[str, dict] = {}
        for rec in state.finished():
            latest[rec["path"]] = rec
        listed = [latest[it.rel] for it in items if it.rel in latest]
        half = state.interrupted()
        failures = [r for r in listed if r.get("error")]
        rows = [{k: r.get(k) for k in REPORT_FIELDS} | {"file": r["path"]} for r in failures]
        rows += [
            {
                "file": r["path"],
                "error": "interrupted",
                "outcome": "interrupted",
                "sha256": r.get("sha256"),
                "dossier_code": r.get("dossier_code"),
                "dossier_id": r.get("dossier_id"),
                "at": r.get("at"),
                "reason": "processing was interrupted (the run was stopped or killed); the file is done again "
                "from the start and this half-made dossier is left as it is",
                "reason_vi": "Việc xử lý bị ngắt giữa chừng; tệp được số hóa lại từ đầu, hồ sơ dở dang này được "
                "để nguyên.",
            }
            for r in half
        ]
        rows += [
            {
                "file": u,
                "error": "unreadable_folder",
                "outcome": FAILED,
                "reason": u,
                "reason_vi": "Không đọc được thư mục; các tệp trong đó chưa được số hóa.",
            }
            for u in unreadable
        ]
        if report is None:
            report = state.dir / f"report-{datetime.now(self.service.ctx.zone):%Y%m%d-%H%M%S}.csv"
        try:
            _write_csv(Path(report), rows)
        except OSError as exc:
            log(f"cannot write the report {report}: {exc}")
            report = None

        digitized = [r for r in listed if r["outcome"] == DIGITIZED]
        dups = sum(1 for r in listed if r["outcome"] == DUPLICATE)
        pending = len(items) - len(listed)
        log(
            f"{len(items)} files: {len(digitized)} digitized, {dups} duplicates, {len(failures)} failed, "
            f"{pending} not done"
            + (f"; {len(half)} half-made dossiers left as they were" if half else "")
            + (f"; report {report}" if report else "")
        )
        for r in failures:
            kept = f", original sha256 {r['sha256']}" if r.get("sha256") else ""
            log(f"  {r['path']}: {r['error']}: {r['reason_vi']} / {r['reason']}{kept}")
        unrecognised = [r for r in digitized if self.result_type and self.result_type not in r.get("documents", [])]
        if unrecognised:
            # Digitized all the same (pages, text and e-copy are kept): a reviewer sets the type when approving.
            log(
                f"note: no {self.result_type} was recognised in {len(unrecognised)} of the digitized files, e.g. "
                f"{unrecognised[0]['path']} (dossier {unrecognised[0].get('dossier_code')})"
            )
        if failures and not self.retry_failed:
            log("a later run does not do failed files again unless given --retry-failed (a changed file is done again)")
        if stopped_by is not None:
            log(f"{stopped_by}: {pending} files not done yet; to resume, {resume_hint}")
            return 1
        return 1 if failures or unreadable or pending else 0


# --- entry points ---------------------------------------------------------------------------------------------


def run_batch(
    folder: Path,
    service: DossierService,
    actor: Principal,
    procedure: str,
    *,
    results: bool = False,
    files_at_once: int = 1,
    report: Path | None = None,
    retry_failed: bool = False,
    log: Log | None = None,
    progress_stream: TextIO | None = None,
    resume_hint: str = "run the same command again",
) -> int:
    """Digitize the archive; 0 when every file is digitized, 1 when some failed or are still to do (today's dossier
    numbers ran out), 130 when stopped by Ctrl-C or SIGTERM before the end."""
    folder, log = Path(folder), log or plain_log(service.ctx.zone)
    state = BatchState(folder, log)
    try:
        batch = Batch(folder, service, actor, procedure, state, log, results, retry_failed)
        with _Signals() as signals:
            return batch.run(max(1, files_at_once), report, progress_stream or sys.stderr, signals, resume_hint)
    finally:
        state.close()


def _write_csv(path: Path, rows: list[dict]) -> None:
    """UTF-8 with a byte-order mark, so that Excel at the counter shows the Vietnamese reasons; written whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, REPORT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


# --- the run's page workers -------------------------------------------------------------------------------------


def batch_pool(settings: Settings) -> PagePool:
    """The page workers of a batch run: the service's own pool would let Ctrl-C kill the page in hand."""
    return PagePool(settings.workers, initializer=_worker_init, reader=page_reader(settings.page_reader))


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group: the page workers must not die of it, since the run finishes the
    # files in hand before it stops. Tesseract, started by a worker, inherits the ignored signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker_init()  # which also makes the worker leave when the run is killed
