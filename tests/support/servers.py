"""The service started for real: `digitize serve --demo` in its own process, or a seeded service in this one; and
an HTTP client's login and wait for a dossier to be read."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from digitize.core.config import Settings
from digitize.people.demo import DEMO_PASSWORD
from tests.support.net import free_port, wait_port


def start_demo_server(tmp: Path, **env: str) -> tuple[subprocess.Popen, str]:
    """`digitize serve --demo` in its own process on a free port, its log in tmp/server.log."""
    port = free_port()
    full_env = {**os.environ, "DIGITIZE_DATA_DIR": str(tmp / "data"), "DIGITIZE_WORKERS": "2", **env}
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - kept open for the server's lifetime
    proc = subprocess.Popen(
        [sys.executable, "-m", "digitize.cli", "serve", "--demo", "--port", str(port)],
        env=full_env,
        stdout=log,
        stderr=log,
    )
    wait_port(port, timeout=120, proc=proc)  # 30 s were not enough on a machine shared with other suites' runs
    return proc, f"http://127.0.0.1:{port}"


def demo_service(data_dir: Path, workers: int = 1):
    """A service on `data_dir` with the demo agencies, accounts and citizen (close it when done)."""
    from digitize.dossiers.service import open_service
    from digitize.people.demo import seed

    service = open_service(Settings(data_dir=data_dir, workers=workers))
    seed(service)
    return service


def login(client: httpx.Client, username: str = "quay1") -> httpx.Client:
    """Log the client in as a demo account: the session cookie rides on every later request."""
    r = client.post("/api/login", json={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return client


def wait_done(client: httpx.Client, dossier: str, timeout: float = 180) -> dict:
    """The dossier's status once it is read (done or failed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = client.get(f"/api/dossiers/{dossier}").json()
        if st["status"] in ("done", "failed"):
            return st
        time.sleep(0.5)
    raise AssertionError(f"dossier {dossier} not finished after {timeout}s: {st}")


def decide_all(url: str, dossier: str, reviewer: str = "duyet1") -> list[int]:
    """A reviewer sets aside (rejects) every paper of the dossier still awaiting a decision, so its result may be
    recorded (a result waits for the review); returns the documents decided."""
    with httpx.Client(base_url=url, timeout=60) as c:
        login(c, reviewer)
        st = c.get(f"/api/dossiers/{dossier}").json()
        open_ = [x["id"] for x in st["documents"] if x["state"] in ("extracted", "reviewed") and not x["is_result"]]
        for doc in open_:
            r = c.post(f"/api/documents/{doc}/reject", json={"reason": "Không thuộc thành phần hồ sơ"})
            assert r.status_code == 200, r.text
        return open_
