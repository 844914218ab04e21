"""Scanner hot folder: `digitize watch DIR` opens a dossier for every file the scanner software finishes writing.

Scans land directly in DIR (no procedure, or the one given with --procedure) or in DIR/<procedure code>/. A file is
taken only once it is complete: its size, mtime and inode unchanged across polls for `settle` seconds. Taking it is
an atomic rename into DIR/work/ (so a second watcher cannot take it too); it then ends in DIR/done/ with
`<name>.json` or in DIR/failed/ with `<name>.reason.txt`. Nothing is ever deleted: a crash leaves the file in work/,
and the next start processes it again.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from digitize.core.errors import DigitizeError
from digitize.dossiers.service import DossierService
from digitize.people import auth
from digitize.people.auth import Principal
from storage.records import Role, User

WORK, DONE, FAILED = "work", "done", "failed"
# Names scanner software, browsers and editors give files they are still writing.
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", "~")
# Scanner software often creates the file before the first page is scanned: an empty file waits longer.
EMPTY_SETTLE = 30.0
STAMP = re.compile(r"^\d{8}-\d{6}-\d{6}_")  # the prefix claim() gives a file in work/
ID_RUN = re.compile(r"(?<!\d)\d{12}(?!\d)")

Log = Callable[[str], None]


@dataclass
class Seen:
    signature: tuple[int, int, int]  # size, mtime_ns, inode
    since: float  # clock reading when this signature was first seen


@dataclass
class WatchState:
    """What one watcher remembers between passes."""

    seen: dict[Path, Seen] = field(default_factory=dict)
    started: bool = False  # files left in work/ are resumed on the first pass only
    reported: set[Path] = field(default_factory=set)  # folders already logged as not a procedure code


@dataclass
class Outcome:
    name: str  # the file's name as the scanner wrote it
    path: Path  # where the file is now: done/, failed/, or work/ if it could not be moved
    ok: bool
    dossier_id: str | None = None
    code: str | None = None
    sha256: str | None = None
    error: str | None = None


@dataclass
class PassResult:
    done: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    pending: list[Path] = field(default_factory=list)  # seen, not yet stable long enough


def plain_log(zone: tzinfo) -> Log:
    """Lines on stdout stamped in the service's time zone, the one of dossier codes, receipts and work names."""

    def log(line: str) -> None:
        print(f"{datetime.now(zone):%Y-%m-%d %H:%M:%S} {line}", flush=True)  # flushed: read live under systemd

    return log


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def staff_actor(service: DossierService, username: str) -> Principal:
    """The counter account files are opened for; refused unless it exists, is active and has the counter role."""
    username = (username or "").strip().lower()
    with service.ctx.session() as s:
        u = s.scalar(select(User).where(User.username == username))
        if u is None:
            raise DigitizeError("unknown_user", f"there is no staff account {username!r}",
                                f"Không có tài khoản cán bộ {username!r}.", status=404)  # fmt: skip
        if not u.active:
            raise DigitizeError("account_disabled", f"the account {username} is disabled",
                                f"Tài khoản {username} đã bị khóa.", status=403)  # fmt: skip
        if u.role != Role.COUNTER:
            raise DigitizeError("role_not_allowed", f"{username} has the role {u.role}; the hot folder needs a "
                                "counter account", f"Tài khoản {username} không phải cán bộ một cửa (quầy).",
                                status=403)  # fmt: skip
        return Principal("staff", u.username, u.role, u.agency_code, u.full_name, ip="hot-folder")


def check_procedure(service: DossierService, code: str | None) -> None:
    if code and service.ctx.catalog.procedure(code) is None:
        raise DigitizeError("unknown_procedure", f"procedure {code} is not in the catalog",
                            f"Thủ tục {code} không có trong danh mục thủ tục.", status=422)  # fmt: skip


def ignored(name: str) -> bool:
    return name.startswith(".") or name.lower().endswith(PARTIAL_SUFFIXES)


def citizen_from_name(name: str) -> tuple[str | None, dict | None]:
    """The first valid 12-digit run in the name; else no citizen, and a note when a run was there but invalid."""
    note = None
    for run in ID_RUN.findall(name):
        try:
            return auth.check_id_number(run), None
        except DigitizeError as exc:
            note = note or exc.to_json()
    return None, note


def original_name(work_name: str) -> str:
    return STAMP.sub("", work_name, count=1) or work_name


def _free(directory: Path, name: str) -> Path:
    """A path in `directory` no file has yet; rename would silently replace one."""
    path, n = directory / name, 1
    while path.exists():
        path, n = directory / f"{Path(name).stem}-{n}{Path(name).suffix}", n + 1
    return path


def claim(folder: Path, path: Path, procedure: str | None, zone: tzinfo | None = None) -> Path | None:
    """Rename the file into work/ (work/<procedure>/ when it has one, so a resume knows it); None when another
    watcher renamed it first. The rename is the claim: it is atomic, so only one watcher wins."""
    target_dir = folder / WORK / procedure if procedure else folder / WORK
    target_dir.mkdir(parents=True, exist_ok=True)
    target = _free(target_dir, f"{datetime.now(zone):%Y%m%d-%H%M%S-%f}_{path.name}")
    try:
        os.rename(path, target)
    except FileNotFoundError:
        return None
    return target


def _lock(path: Path) -> BinaryIO | None:
    """The file open and exclusively locked, or None when another watcher holds it or has moved it on.

    Protects a resume at start from taking a file another running watcher is processing. The lock dies with
    its process, so a crashed watcher's files are free again."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        st, now_there = os.fstat(fh.fileno()), path.stat()
        # Locked after the holder moved it to done/: the path is gone or is another file.
        if (st.st_dev, st.st_ino) == (now_there.st_dev, now_there.st_ino):
            return fh
    except OSError:  # BlockingIOError: locked by another watcher; FileNotFoundError: moved on meanwhile
        pass
    fh.close()
    return None


def _write(path: Path, text: str) -> None:
    """Written whole or not at all: a half-written receipt would mislead whoever reads it."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _finish(folder: Path, work: Path, sub: str, sidecar: str, text: str, log: Log) -> Path:
    """Move the file from work/ to done/ or failed/, its receipt written first: a file still in work/ means
    "not finished", so a crash in between redoes the file rather than leaving a file without receipt."""
    target_dir = folder / sub
    target_dir.mkdir(exist_ok=True)
    target = _free(target_dir, work.name)
    try:
        _write(target.with_name(target.name + sidecar), text)
        os.rename(work, target)
    except OSError as exc:
        log(f"could not move {work.name} to {sub}/ ({exc}); it stays in {WORK}/ and is retried at the next start")
        return work
    return target


def _reason_text(exc: BaseException, facts: dict) -> str:
    if isinstance(exc, DigitizeError):
        vi, en, code = exc.reason_vi, exc.reason, exc.code
    else:
        vi = f"Lỗi khi xử lý tệp ({type(exc).__name__}); tệp gốc được giữ lại, đề nghị báo quản trị hoặc thử lại."
        en, code = f"{type(exc).__name__}: {exc}", "processing_error"
    lines = [vi, f"{en} ({code})", ""]
    lines += [f"{k}: {'' if v is None else v}" for k, v in facts.items() if k != "note"]
    if facts.get("note"):
        lines.append(f"note: {facts['note']['reason_vi']} / {facts['note']['reason']}")
    return "\n".join(lines) + "\n"


def process_file(
    folder: Path, work: Path, procedure: str | None, service: DossierService, actor: Principal, log: Log
) -> Outcome | None:
    """One claimed file through the service; None when another watcher holds it."""
    fh = _lock(work)
    if fh is None:
        log(f"skipped {work.relative_to(folder)}: another watcher has it")
        return None
    name = original_name(work.name)
    citizen, note = citizen_from_name(name)
    facts: dict = {"file": name, "procedure": procedure, "citizen_id": citizen, "dossier_id": None,
                   "dossier_code": None, "sha256": None, "by": actor.subject}  # fmt: skip
    if note:
        facts["note"] = note
        log(f"{name}: {note['reason']}; dossier opened without a citizen")
    with fh:
        try:
            data = fh.read()
            facts["size"] = len(data)
            facts["dossier_id"] = dossier_id = service.reception.create_dossier(procedure, actor, citizen)
            facts["dossier_code"] = service.queries.dossier_code(dossier_id, actor)
            receipt = service.reception.add_file(dossier_id, name, data, actor)  # stores the original before any check
            facts["sha256"] = receipt.sha256
            if receipt.error is not None:
                raise receipt.error
            service.reading.process(dossier_id)
            st = service.queries.status(dossier_id, actor)
        except Exception as exc:  # anything: the file goes to failed/ with the reason, and the loop goes on
            facts["at"] = datetime.now(service.ctx.zone).isoformat(timespec="seconds")
            path = _finish(folder, work, FAILED, ".reason.txt", _reason_text(exc, facts), log)
            error = exc.code if isinstance(exc, DigitizeError) else type(exc).__name__
            kept = f", original kept as sha256 {facts['sha256']}" if facts["sha256"] else ""
            log(f"failed {name}: {exc}{kept} -> {path.relative_to(folder)}")
            return Outcome(name, path, False, facts["dossier_id"], facts["dossier_code"], facts["sha256"], error)
        facts.update(
            pages=len(st["pages"]),
            warnings=len(st["warnings"]),
            page_warnings=sum(len(p["warnings"]) for p in st["pages"]),
            status=st["status"],
            at=datetime.now(service.ctx.zone).isoformat(timespec="seconds"),
        )
        text = json.dumps(facts, ensure_ascii=False, indent=1) + "\n"
        path = _finish(folder, work, DONE, ".json", text, log)
    log(f"done {name}: dossier {facts['dossier_code']}, {_plural(facts['pages'], 'page')}, "
        f"{_plural(facts['warnings'], 'warning')} -> {path.relative_to(folder)}")  # fmt: skip
    return Outcome(name, path, path.parent.name == DONE, dossier_id, facts["dossier_code"], facts["sha256"])


def _files(directory: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    # Symbolic links and other non-regular files are left alone: renaming a link would not move the scan.
    return [Path(e.path) for e in entries if not ignored(e.name) and e.is_file(follow_symlinks=False)]


def _subfolders(directory: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    return [Path(e.path) for e in entries if not ignored(e.name) and e.is_dir(follow_symlinks=False)]


def left_in_work(folder: Path) -> list[tuple[Path, str | None]]:
    """Files an earlier run claimed and did not finish, with their procedure (the work/ subfolder's name)."""
    work = folder / WORK
    return [(p, None) for p in _files(work)] + [(p, d.name) for d in _subfolders(work) for p in _files(d)]


def candidates(
    folder: Path, service: DossierService, procedure: str | None, state: WatchState, log: Log
) -> list[tuple[Path, str | None]]:
    """Files in DIR (with the default procedure) and in DIR/<procedure code>/ (with that code)."""
    found = [(p, procedure) for p in _files(folder)]
    for d in _subfolders(folder):
        if d.name in (WORK, DONE, FAILED):
            continue
        if service.ctx.catalog.procedure(d.name) is None:
            if d not in state.reported:
                state.reported.add(d)
                log(f"ignoring folder {d.name}/: not a procedure code in the catalog")
            continue
        found += [(p, d.name) for p in _files(d)]
    return found


def scan_once(
    folder: Path,
    service: DossierService,
    actor: Principal,
    state: WatchState,
    settle: float,
    now: float,
    procedure: str | None = None,
    log: Log | None = None,
) -> PassResult:
    """One poll: resume work/ (first pass only), then take every file whose signature has held for `settle`
    seconds of the caller's clock (`now`). A file is never taken on the pass that first sees it."""
    folder, log = Path(folder), log or plain_log(service.ctx.zone)
    result = PassResult()

    def record(outcome: Outcome | None) -> None:
        if outcome is not None:
            (result.done if outcome.ok else result.failed).append(outcome)

    if not state.started:
        state.started = True
        for work, proc in left_in_work(folder):
            log(f"resuming {work.relative_to(folder)}, left in {WORK}/ by an earlier run")
            record(process_file(folder, work, proc, service, actor, log))
    found = candidates(folder, service, procedure, state, log)
    present = {p for p, _ in found}
    state.seen = {p: seen for p, seen in state.seen.items() if p in present}  # forget files gone meanwhile
    for path, proc in found:
        try:
            st = path.stat()
        except FileNotFoundError:
            state.seen.pop(path, None)
            continue
        signature = (st.st_size, st.st_mtime_ns, st.st_ino)
        seen = state.seen.get(path)
        if seen is None or seen.signature != signature:
            state.seen[path] = Seen(signature, now)  # new, or still being written: the settle time starts over
            result.pending.append(path)
            continue
        if now - seen.since < (settle if st.st_size else max(settle, EMPTY_SETTLE)):
            result.pending.append(path)
            continue
        del state.seen[path]
        try:
            work = claim(folder, path, proc, service.ctx.zone)
        except OSError as exc:
            log(f"cannot take {path.relative_to(folder)}: {exc}; trying again later")
            continue
        if work is None:
            log(f"skipped {path.relative_to(folder)}: another watcher took it")
            continue
        log(f"took {path.relative_to(folder)} ({st.st_size} bytes)")
        record(process_file(folder, work, proc, service, actor, log))
    return result


def watch(
    folder: Path,
    service: DossierService,
    actor: Principal,
    procedure: str | None = None,
    interval: float = 1.0,
    settle: float = 2.0,
    once: bool = False,
    log: Log | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Poll until interrupted; with `once`, until nothing is pending (0 when every file went to done/, else 1)."""
    folder, log = Path(folder), log or plain_log(service.ctx.zone)
    for sub in (WORK, DONE, FAILED):
        (folder / sub).mkdir(exist_ok=True)
    state, failed = WatchState(), 0
    log(f"watching {folder} for {actor.subject} at {actor.agency}"
        f"{f', procedure {procedure}' if procedure else ''}; settle {settle:g} s, every {interval:g} s")  # fmt: skip
    # systemd stops services with SIGTERM: stop like Ctrl-C, so the caller closes the service and its worker
    # processes instead of leaving them orphaned. A file being processed stays in work/ for the next start.
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    try:
        while True:
            try:
                result = scan_once(folder, service, actor, state, settle, clock(), procedure, log)
            except Exception as exc:  # e.g. a network share gone for a while: say so and keep polling
                log(f"pass failed: {type(exc).__name__}: {exc}")
                if once:
                    return 1
            else:
                failed += len(result.failed)
                if once and not result.pending:
                    return 1 if failed else 0
            sleep(interval)
    except KeyboardInterrupt:
        log("stopped; files in work/ are resumed at the next start")
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
