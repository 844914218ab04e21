"""`digitize scan --json` as other tools call it: a subprocess, JSON on stdout, errors on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from digitize.devtools import synth

PAGE_KEYS = {"index", "source", "paper", "dpi", "rotation", "skew_deg", "blank", "warnings", "text", "confidence"}
PAGE_KEYS |= {"reading", "scale"}  # how the page was read (README, "How a page is read")


def run_scan(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIGITIZE_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run(
        [sys.executable, "-m", "digitize.cli", "scan", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_scan_json_contract(tmp_path, pages3):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(synth.images_to_pdf([pages3[0].image, synth.blank_back(pages3[0])]))
    tif = tmp_path / "b.tif"
    tif.write_bytes(synth.images_to_tiff([synth.turn(pages3[1].image, 270)]))
    proc = run_scan(tmp_path, str(pdf), str(tif), "--procedure", "1.001193", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"dossier", "procedure", "pages", "documents"} <= set(out)
    assert out["procedure"] == "1.001193" and isinstance(out["documents"], list)
    pages = out["pages"]
    assert [set(p) for p in pages] == [PAGE_KEYS] * 3
    assert [p["source"] for p in pages] == ["a.pdf#1", "a.pdf#2", "b.tif#1"]
    assert [p["blank"] for p in pages] == [False, True, False]
    assert pages[2]["rotation"] == 270
    assert isinstance(pages[0]["skew_deg"], float) and 0 < pages[0]["confidence"] <= 1
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[2]["text"]


def test_scan_reports_refused_file_and_goes_on(tmp_path, pages3):
    good = tmp_path / "good.png"
    good.write_bytes(synth.encode(pages3[2].image))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 cut")
    proc = run_scan(tmp_path, str(bad), str(good), "--json")
    assert proc.returncode == 1
    assert "truncated_pdf" in proc.stderr and "original kept as sha256" in proc.stderr
    out = json.loads(proc.stdout)
    assert [p["source"] for p in out["pages"]] == ["good.png#1"]


def test_user_command_creates_first_admin(tmp_path):
    """A real deployment's first account, from the command line; it can then log in to the API."""
    from digitize.core.config import Settings
    from digitize.dossiers.service import open_service
    from digitize.people import auth

    env = {**os.environ, "DIGITIZE_DATA_DIR": str(tmp_path / "data")}
    args = [sys.executable, "-m", "digitize.cli", "user", "quantri", "--name", "Nguyễn Văn Quản", "--role", "admin",
            "--agency", "000.00.01.H01"]  # fmt: skip
    proc = subprocess.run(args, input="matkhau123\n", capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2 and "--agency-name" in proc.stderr  # a new agency needs its name
    proc = subprocess.run([*args, "--agency-name", "UBND phường Một"], input="matkhau123\n", capture_output=True,
                          text=True, env=env, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(args, input="matkhau123\n", capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2 and "username_taken" in proc.stderr
    svc = open_service(Settings(data_dir=tmp_path / "data"))
    with svc.ctx.session() as s:
        _, p = auth.login_staff(s, "quantri", "matkhau123", None)
    assert (p.role, p.agency, p.name) == ("admin", "000.00.01.H01", "Nguyễn Văn Quản")


def test_scan_with_workers_leaves_the_shared_settings_alone(tmp_path, monkeypatch, pages3, capsys):
    """`--workers` changed the cached settings object every part of the process reads (issue 12)."""
    from digitize.cli import main as cli
    from digitize.core.config import get_settings

    monkeypatch.setenv("DIGITIZE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DIGITIZE_DATABASE_URL", "")
    get_settings.cache_clear()
    try:
        before = get_settings().workers
        page = tmp_path / "a.png"
        page.write_bytes(synth.encode(pages3[2].image))
        assert cli.main(["scan", str(page), "--workers", str(before + 1)]) == 0
        assert get_settings().workers == before and "a.png" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
