"""`digitize batch DIR`: an archive digitized in bulk, one dossier per file, resumable after Ctrl-C or kill -9.
One-page files keep the OCR to about 2 s a file; the interruptions run the command in a subprocess."""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from digitize.cli.ingest import add_batch
from digitize.core.config import get_settings
from digitize.devtools import synth
from digitize.devtools.synth_forms import fake_person, from_catalog
from digitize.dossiers import figures
from digitize.ingest.batch import STATE_DIR, STATE_FILE, Progress, run_batch
from digitize.ingest.watch import staff_actor
from storage.objects import original_key
from storage.records import Dossier, Result
from tests.support.servers import demo_service

PROCEDURE = "1.001193"
ID = fake_person(random.Random(1)).id_number(1234)  # a valid generated ID number
CORRUPT = b"%PDF-1.4 cut"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    svc = demo_service(tmp_path_factory.mktemp("batch") / "data")
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def counter(service):
    return staff_actor(service, "quay1").at("batch")


def png(n: int) -> bytes:
    return synth.encode(synth.render_page(seed=n, paragraphs=1).image)


def pdf(n: int) -> bytes:
    return synth.images_to_pdf([synth.render_page(seed=n, paragraphs=1).image])


def dossiers(service) -> int:
    with service.ctx.session() as s:
        return s.scalar(select(func.count()).select_from(Dossier))


def state_lines(folder: Path) -> list[dict]:
    """The state's complete lines (a line being written has no newline yet)."""
    try:
        raw = (folder / STATE_DIR / STATE_FILE).read_bytes()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in raw.split(b"\n")[:-1]]


def done(folder: Path) -> list[dict]:
    return [r for r in state_lines(folder) if r["event"] == "done"]


def run(folder: Path, service, counter, **kw) -> tuple[int, list[str], str]:
    lines: list[str] = []
    err = io.StringIO()
    code = run_batch(folder, service, counter, PROCEDURE, log=lines.append, progress_stream=err, **kw)
    return code, lines, err.getvalue()


def report_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def cli_process(service, folder: Path, **kw) -> subprocess.Popen:
    env = {**os.environ, "DIGITIZE_DATA_DIR": str(service.ctx.settings.data_dir)}
    env.pop("DIGITIZE_DATABASE_URL", None)
    if service.ctx.settings.database_url:  # the PostgreSQL run of the suite: the module's database
        env["DIGITIZE_DATABASE_URL"] = service.ctx.settings.database_url
    args = ["batch", str(folder), "--procedure", PROCEDURE, "--user", "quay1", "--workers", "1"]
    # A session of its own: the test signals the whole group, as a terminal does, and cleans it up.
    return subprocess.Popen([sys.executable, "-m", "digitize.cli", *args], env=env, start_new_session=True, **kw)


def wait_for(what: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (zombies waiting for their reaper do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def end_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # gone already, as it should be
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_archive_one_dossier_per_file_report_of_failures_and_nothing_twice(service, counter, tmp_path):
    arch = tmp_path / "arch"
    (arch / "2019").mkdir(parents=True)
    (arch / "2019" / f"khai-sinh_{ID}.png").write_bytes(png(3))
    (arch / "2019" / "khai-sinh_b.pdf").write_bytes(pdf(4))
    (arch / "khai-sinh_c.png").write_bytes(png(5))
    (arch / "hong.pdf").write_bytes(CORRUPT)
    (arch / "zz-ban-sao.png").write_bytes((arch / "khai-sinh_c.png").read_bytes())  # the same scan twice
    (arch / "ghi-chu.txt").write_text("not a scan")
    (arch / ".an.png").write_bytes(b"hidden")
    report = tmp_path / "report.csv"
    before = dossiers(service)

    code, lines, progress = run(arch, service, counter, report=report)

    assert code == 1
    assert dossiers(service) == before + 3  # the refused file opens none, the copy none either
    recs = done(arch)
    assert [(r["path"], r["outcome"]) for r in recs] == [  # in path order, folders first
        (f"2019/khai-sinh_{ID}.png", "digitized"),
        ("2019/khai-sinh_b.pdf", "digitized"),
        ("hong.pdf", "refused"),
        ("khai-sinh_c.png", "digitized"),
        ("zz-ban-sao.png", "duplicate"),
    ]
    assert recs[4]["dossier_code"] == recs[3]["dossier_code"] and recs[4]["same_as"] == "khai-sinh_c.png"
    st = service.queries.status(recs[0]["dossier_id"], counter)
    assert st["citizen_id"] == ID and st["code"] == recs[0]["dossier_code"] and st["procedure"] == PROCEDURE
    assert st["status"] == "done" and len(st["pages"]) == 1 and st["pages"][0]["text"]
    assert service.queries.status(recs[1]["dossier_id"], counter)["citizen_id"] is None
    [row] = report_rows(report)
    sha = hashlib.sha256(CORRUPT).hexdigest()
    assert row["file"] == "hong.pdf" and row["outcome"] == "refused" and row["error"] and row["sha256"] == sha
    assert row["reason_vi"] != row["reason"] and any(ord(c) > 127 for c in row["reason_vi"])  # Vietnamese
    assert service.ctx.store.get(original_key(sha)) == CORRUPT  # kept, though refused
    assert "[5/5]" in progress and "ETA" in progress  # one line per file when not on a terminal
    assert any(line.startswith("failed hong.pdf") for line in lines)

    lines_before = state_lines(arch)
    code, lines, _ = run(arch, service, counter, report=report)
    assert code == 1  # the archive still holds a failed file
    assert dossiers(service) == before + 3 and state_lines(arch) == lines_before
    assert report_rows(report)[0]["sha256"] == sha


def test_results_are_recorded_as_the_procedure_s_issued_papers(service, counter, tmp_path):
    arch = tmp_path / "ket-qua"
    arch.mkdir()
    certificate = from_catalog(service.ctx.catalog.document_types["giay_khai_sinh"], random.Random(9))
    (arch / f"giay-khai-sinh_{ID}.png").write_bytes(synth.encode(certificate.image))

    def figures_today() -> dict:
        today = datetime.now(service.ctx.zone).date()
        with service.ctx.session() as s:
            return figures.compute(s, today, today, service.ctx.zone)["total"]

    before = figures_today()
    code, _, _ = run(arch, service, counter, results=True)

    assert code == 0
    [rec] = done(arch)
    st = service.queries.status(rec["dossier_id"], counter)
    assert st["files"][0]["name"] == f"giay-khai-sinh_{ID}.png"
    assert [(d["type"], d["is_result"], d["owner_id"]) for d in st["documents"]] == [("giay_khai_sinh", True, ID)]
    assert st["archive"] and st["due_date"] is None  # nobody handed it in or waits for it
    with service.ctx.session() as s:
        [result] = s.scalars(select(Result).where(Result.dossier_id == rec["dossier_id"])).all()
        assert result.document_type == "giay_khai_sinh" and result.file_seq == 1
    # The figures count it as an archive digitized, not as a dossier received or a result issued today.
    after = figures_today()
    grew = {k: after[k] - before[k] for k in ("received", "results_issued", "archive_dossiers", "archive_results")}
    assert grew == {"received": 0, "results_issued": 0, "archive_dossiers": 1, "archive_results": 1}
    # Its own code series: archives do not use up the numbers the counter gives citizens that day.
    assert re.fullmatch(r".+-LT-\d{6}-\d{5}", rec["dossier_code"])
    with service.ctx.session() as s:
        at_counter = s.scalar(select(func.count()).select_from(Dossier).where(Dossier.archive.is_(False)))
    assert service.queries.status(service.reception.create_dossier("1.001193", counter), counter)["code"].endswith(
        f"-{at_counter + 1:04d}"
    )


def test_kill_9_mid_file_then_resume_redoes_only_that_file(service, counter, tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    names = ["a.png", "b.png", "c.png"]
    for name, n in zip(names, (7, 8, 9), strict=True):
        (arch / name).write_bytes(png(n))
    before = dossiers(service)

    proc = cli_process(service, arch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Killed once a.png is recorded and b.png is being read: b.png's dossier is half made.
        wait_for(lambda: any(r["event"] == "start" and r["path"] == "b.png" for r in state_lines(arch)))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert [r["path"] for r in done(arch)] == ["a.png"]
        wait_for(lambda: not group_alive(proc.pid), 20)  # the page workers do not outlive the run
    finally:
        end_group(proc)

    report = tmp_path / "report.csv"
    code, lines, _ = run(arch, service, counter, report=report)

    assert code == 0
    recs = state_lines(arch)
    finished = [r for r in recs if r["event"] == "done"]
    assert [(r["path"], r["outcome"]) for r in finished] == [(n, "digitized") for n in names]
    assert Counter(r["path"] for r in recs if r["event"] == "start") == {"a.png": 1, "b.png": 2, "c.png": 1}
    assert dossiers(service) == before + 4  # one each, and the half-made one left as it is
    half = next(r for r in recs if r["event"] == "start" and r["path"] == "b.png")
    assert half["dossier_id"] not in {r["dossier_id"] for r in finished}
    [row] = report_rows(report)
    assert (row["file"], row["outcome"], row["dossier_code"]) == ("b.png", "interrupted", half["dossier_code"])
    assert any("interrupted" in line for line in lines)


def test_torn_last_state_line_is_cut_off_and_its_file_done_again(service, counter, tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "hong.pdf").write_bytes(CORRUPT)
    (arch / "rong.png").write_bytes(b"")  # empty: refused, kept as what was handed in
    assert run(arch, service, counter)[0] == 1
    state = arch / STATE_DIR / STATE_FILE
    state.write_bytes(state.read_bytes()[:-25])  # rong.png's line loses its end, as in a kill mid-write

    code, lines, _ = run(arch, service, counter)

    assert code == 1
    recs = [json.loads(line) for line in state.read_bytes().splitlines()]  # every line whole again
    assert [(r["path"], r["outcome"]) for r in recs] == [("hong.pdf", "refused"), ("rong.png", "refused")]
    assert recs[1]["error"] == "empty_file" and recs[1]["sha256"] == hashlib.sha256(b"").hexdigest()
    assert any("cut off" in line for line in lines)


def test_ctrl_c_finishes_the_file_in_hand_then_says_how_to_resume(service, tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "a.png").write_bytes(png(10))
    (arch / "b.png").write_bytes(png(11))
    proc = cli_process(service, arch, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: any(r["event"] == "start" and r["path"] == "a.png" for r in state_lines(arch)))
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the page workers get it too
        out, err = proc.communicate(timeout=120)
    finally:
        end_group(proc)

    assert proc.returncode == 130, err
    assert [(r["path"], r["outcome"]) for r in done(arch)] == [("a.png", "digitized")]
    assert not any(r["path"] == "b.png" for r in state_lines(arch))
    assert "to resume, run the same command again: digitize batch" in out
    assert "[1/2] a.png: digitized" in err


def test_bad_arguments_exit_2(service, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGITIZE_DATA_DIR", str(service.ctx.settings.data_dir))
    monkeypatch.delenv("DIGITIZE_DATABASE_URL", raising=False)
    if service.ctx.settings.database_url:
        monkeypatch.setenv("DIGITIZE_DATABASE_URL", service.ctx.settings.database_url)
    parser = argparse.ArgumentParser(prog="digitize")
    add_batch(parser.add_subparsers(dest="cmd", required=True))

    def cli(folder: Path, *args: str) -> int:
        a = parser.parse_args(["batch", str(folder), *args])
        return a.fn(a)

    get_settings.cache_clear()
    try:
        assert cli(tmp_path / "missing", "--procedure", PROCEDURE, "--user", "quay1") == 2
        assert "is not a folder" in capsys.readouterr().err
        assert cli(tmp_path, "--procedure", PROCEDURE, "--user", "nobody") == 2
        assert "unknown_user" in capsys.readouterr().err
        assert cli(tmp_path, "--procedure", PROCEDURE, "--user", "duyet1") == 2  # a reviewer, not a counter
        assert "role_not_allowed" in capsys.readouterr().err
        assert cli(tmp_path, "--procedure", "9.999999", "--user", "quay1") == 2
        assert "unknown_procedure" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
    assert not (tmp_path / STATE_DIR / STATE_FILE).exists()  # nothing started


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redrawn_in_place_on_a_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the row is cut to the terminal's width; make it wide enough here
    clock = iter([0.0, 10.0, 10.0, 20.0, 20.0]).__next__
    stream, lines = Tty(), []
    p = Progress(4, 0, stream, lines.append, clock=clock)
    p.file({"path": "a.pdf", "outcome": "digitized", "pages": 2, "error": None}, read=True)
    p.say("a line")
    p.close()
    out = stream.getvalue()
    assert "\n" not in out.rstrip("\n") and out.count("\r") >= 2  # one row, rewritten
    assert "1/4 files, 2 pages, 0 failed, 0:00:10 elapsed, ETA 0:00:30" in out and lines == ["a line"]
