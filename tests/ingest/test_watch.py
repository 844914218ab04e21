"""`digitize watch DIR`: the scanner hot folder. Passes are driven with a fake clock (`now`), so nothing sleeps
through a settle time; only the CLI test polls for real, with a short settle."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from digitize.devtools import synth
from digitize.ingest.watch import EMPTY_SETTLE, WatchState, claim, scan_once, staff_actor
from digitize.people.demo import CITIZEN
from storage.objects import original_key
from tests.support.servers import demo_service

ID = CITIZEN[0]  # a valid generated ID number


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    svc = demo_service(tmp_path_factory.mktemp("watch") / "data")
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def counter(service):
    return staff_actor(service, "quay1")


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return synth.images_to_pdf([synth.render_page(seed=3, paragraphs=1).image])


@pytest.fixture(scope="module")
def png_bytes() -> bytes:
    return synth.encode(synth.render_page(seed=4, paragraphs=1).image)


def sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_complete_pdf_in_procedure_folder_goes_to_done(service, counter, tmp_path, pdf_bytes):
    scan = tmp_path / "1.001193" / f"{ID}_ho-so.pdf"
    scan.parent.mkdir()
    scan.write_bytes(pdf_bytes)
    state, lines = WatchState(), []
    first = scan_once(tmp_path, service, counter, state, settle=2.0, now=0.0, log=lines.append)
    assert first.pending == [scan] and not first.done and scan.exists()  # never taken on first sight
    second = scan_once(tmp_path, service, counter, state, settle=2.0, now=2.5, log=lines.append)
    [out] = second.done
    assert not second.failed and not scan.exists()
    assert out.path.parent == tmp_path / "done" and out.path.name.endswith(f"_{ID}_ho-so.pdf")
    assert out.path.read_bytes() == pdf_bytes
    receipt = json.loads(sidecar(out.path, ".json").read_text(encoding="utf-8"))
    assert receipt["dossier_code"].startswith("000.00.31.H29-") and receipt["file"] == f"{ID}_ho-so.pdf"
    assert receipt["sha256"] == hashlib.sha256(pdf_bytes).hexdigest()
    assert service.ctx.store.get(original_key(receipt["sha256"])) == pdf_bytes
    st = service.queries.status(receipt["dossier_id"], counter)
    assert st["code"] == receipt["dossier_code"] and st["status"] == "done"
    assert st["procedure"] == "1.001193" and st["citizen_id"] == ID
    assert len(st["pages"]) == receipt["pages"] == 1 and st["pages"][0]["text"]
    assert files_under(tmp_path / "work") == []
    assert any(line.startswith("done ") for line in lines)


def test_growing_file_waits_until_stable(service, counter, tmp_path, png_bytes):
    """A scanner writing slowly: every change starts the settle time over."""
    scan = tmp_path / "trang.png"
    state = WatchState()

    def at(now: float):
        return scan_once(tmp_path, service, counter, state, settle=2.0, now=now, log=lambda _: None)

    third = len(png_bytes) // 3
    scan.write_bytes(png_bytes[:third])
    assert at(0.0).pending == [scan]
    with scan.open("ab") as f:
        f.write(png_bytes[third : 2 * third])
    assert at(3.0).pending == [scan]  # grew since the last pass
    assert at(4.5).pending == [scan]  # unchanged, but only for 1.5 s
    with scan.open("ab") as f:
        f.write(png_bytes[2 * third :])
    assert at(5.5).pending == [scan] and at(7.0).pending == [scan] and scan.exists()
    result = at(7.6)
    [out] = result.done
    assert not result.pending and not scan.exists() and out.path.read_bytes() == png_bytes
    receipt = json.loads(sidecar(out.path, ".json").read_text(encoding="utf-8"))
    # Directly in DIR without --procedure, no ID number in the name: neither procedure nor citizen.
    assert receipt["procedure"] is None and receipt["citizen_id"] is None and receipt["pages"] == 1


def test_refused_files_go_to_failed_with_reason_and_original_kept(service, counter, tmp_path):
    bad_pdf, text = b"%PDF-1.4 cut", "không phải bản quét".encode()
    (tmp_path / "hong.pdf").write_bytes(bad_pdf)
    (tmp_path / "123456789012_ghi-chu.txt").write_bytes(text)  # an invalid ID number in the name
    state = WatchState()
    scan_once(tmp_path, service, counter, state, settle=2.0, now=0.0, log=lambda _: None)
    result = scan_once(tmp_path, service, counter, state, settle=2.0, now=2.0, log=lambda _: None)
    assert not result.done and {o.error for o in result.failed} == {"truncated_pdf", "unsupported_type"}
    for out, data in zip(sorted(result.failed, key=lambda o: o.name), [text, bad_pdf], strict=True):
        assert out.path.parent == tmp_path / "failed" and out.path.read_bytes() == data
        reason = sidecar(out.path, ".reason.txt").read_text(encoding="utf-8").splitlines()
        assert reason[0].startswith("Tệp") and out.error in reason[1]  # Vietnamese first, then English and code
        assert f"sha256: {hashlib.sha256(data).hexdigest()}" in reason
        assert service.ctx.store.get(original_key(out.sha256)) == data  # stored before the check refused it
        st = service.queries.status(out.dossier_id, counter)
        assert st["code"] == out.code and st["files"][0]["error"] == out.error
    txt = next(o for o in result.failed if o.name.endswith(".txt"))
    reason = sidecar(txt.path, ".reason.txt").read_text(encoding="utf-8")
    assert "citizen_id: \n" in reason and "Số định danh cá nhân không hợp lệ" in reason
    assert {p.parent.name for p in files_under(tmp_path)} == {"failed"}  # two files, two reasons, nothing else


def test_work_left_by_a_crash_is_resumed_unless_another_watcher_holds_it(service, counter, tmp_path, png_bytes):
    scan = tmp_path / "1.001193" / f"{ID}_mat-truoc.png"
    scan.parent.mkdir()
    scan.write_bytes(png_bytes)
    crashed = claim(tmp_path, scan, "1.001193")  # a watcher claimed it, then died
    held = tmp_path / "work" / "20260101-080000-000000_dang-xu-ly.txt"
    held.write_bytes(b"being processed")
    assert claim(tmp_path, scan, "1.001193") is None  # already gone: another watcher won the rename
    with held.open("rb") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # a live watcher processing it
        lines: list[str] = []
        result = scan_once(tmp_path, service, counter, WatchState(), settle=2.0, now=0.0, log=lines.append)
    [out] = result.done
    assert not crashed.exists() and out.name == f"{ID}_mat-truoc.png" and out.path.read_bytes() == png_bytes
    receipt = json.loads(sidecar(out.path, ".json").read_text(encoding="utf-8"))
    assert receipt["procedure"] == "1.001193" and receipt["citizen_id"] == ID  # from work/1.001193/ and the name
    assert held.exists() and any("another watcher has it" in line for line in lines)
    # Once that watcher is gone, the next start takes the file too.
    result = scan_once(tmp_path, service, counter, WatchState(), settle=2.0, now=0.0, log=lambda _: None)
    assert not held.exists() and [o.error for o in result.failed] == ["unsupported_type"]


def test_partial_hidden_and_foreign_names_are_left_alone(service, counter, tmp_path):
    names = [".an.pdf", "a.pdf.part", "b.TMP", "c.crdownload", "d.pdf~", "khac/e.pdf", "done/f.pdf", "failed/g.pdf"]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF-1.4 cut")
    (tmp_path / "rong.pdf").write_bytes(b"")  # scanner software made the file and has not written yet
    state, lines = WatchState(), []
    for now in (0.0, 5.0, EMPTY_SETTLE - 1):
        result = scan_once(tmp_path, service, counter, state, settle=2.0, now=now, log=lines.append)
        assert result.pending == [tmp_path / "rong.pdf"] and not result.done and not result.failed
    assert all((tmp_path / name).exists() for name in names)
    assert lines == ["ignoring folder khac/: not a procedure code in the catalog"]  # said once, not every pass


def run_cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIGITIZE_DATA_DIR": str(data), "DIGITIZE_WORKERS": "1"}
    return subprocess.run([sys.executable, "-m", "digitize.cli", "watch", *args], capture_output=True, text=True,
                          env=env, timeout=120)  # fmt: skip


def test_cli_refuses_non_counter_accounts_and_once_drains_the_folder(tmp_path, png_bytes):
    data, hot = tmp_path / "data", tmp_path / "scanner"
    hot.mkdir()
    demo_service(data).close()
    for user, code in [("duyet1", "role_not_allowed"), ("khongco", "unknown_user")]:
        proc = run_cli(data, str(hot), "--user", user, "--once")
        assert proc.returncode == 2 and code in proc.stderr, proc.stderr
    assert run_cli(data, str(hot), "--user", "quay1", "--procedure", "9.999", "--once").returncode == 2
    (hot / f"{ID}_giay-to.png").write_bytes(png_bytes)
    proc = run_cli(data, str(hot), "--user", "quay1", "--once", "--settle", "0.2", "--interval", "0.1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    done = sorted(p.name for p in (hot / "done").iterdir())
    assert len(done) == 2 and done[0].endswith(f"_{ID}_giay-to.png") and done[1] == done[0] + ".json"
    assert not (hot / f"{ID}_giay-to.png").exists() and "done " in proc.stdout
