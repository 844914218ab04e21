"""The scale-out on one machine: Celery workers on a real Redis, the API only storing and enqueueing, S3 for the
objects (SeaweedFS or MinIO), and the suite's database (SQLite, or PostgreSQL in its second run). A worker
killed in the middle of a page: the page is read again by a live worker process, none is lost or doubled."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, select

from digitize.core.config import Settings
from digitize.devtools import synth
from digitize.dossiers.service import DossierService, open_service
from digitize.people.auth import SYSTEM
from digitize.people.demo import DEMO_PASSWORD
from storage.records import DossierFile, Job, Page, Scan, WorkState
from tests.support.net import free_port, wait_port
from tests.support.s3 import s3_settings
from tests.support.servers import start_demo_server


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    exe = shutil.which("redis-server")
    if not exe:
        pytest.fail("redis-server not found: make test installs Debian's redis-server")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path_factory.mktemp("redis"))], stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def start_workers(n: int, env: dict, log_dir) -> list[subprocess.Popen]:
    procs = []
    for i in range(n):
        log = open(log_dir / f"worker{i}.log", "wb")  # noqa: SIM115 - kept open for the worker's lifetime
        procs.append(subprocess.Popen([sys.executable, "-m", "digitize.cli", "worker", "--concurrency", "1"],
                                      env={**os.environ, **env}, stdout=log, stderr=log))  # fmt: skip
    return procs


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def pages_pdf(n: int) -> bytes:
    return synth.images_to_pdf([synth.render_page(seed=300 + i, paragraphs=2).image for i in range(n)])


def wait_status(svc: DossierService, dossier_id: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = svc.queries.status(dossier_id, actor=SYSTEM)
        if st["status"] in ("done", "failed") and st["scans"]["pending"] == 0:
            return st
        time.sleep(0.3)
    raise AssertionError(f"dossier not finished: {svc.queries.status(dossier_id, actor=SYSTEM)['scans']}")


def wait_succeeded(task_ids: list[str], log_dir, timeout: float = 120) -> None:
    """Until the workers' logs say each task succeeded (Celery logs "Task name[id] succeeded in ..." at INFO)."""
    deadline = time.monotonic() + timeout
    while True:
        logs = "".join(p.read_text(errors="replace") for p in log_dir.glob("worker*.log"))
        left = [t for t in task_ids if not re.search(rf"\[{t}\] succeeded in", logs)]
        if not left:
            return
        assert time.monotonic() < deadline, f"tasks not done after {timeout} s: {left}"
        time.sleep(0.2)


@contextlib.contextmanager
def celery_service(redis_url: str, tmp_path, **env: str):
    """A service that only enqueues, two Celery workers on the same data, the task module configured for both."""
    from digitize.dossiers import tasks

    settings = Settings(data_dir=tmp_path / "data", redis_url=redis_url)
    svc = open_service(settings)
    workers = start_workers(2, {"DIGITIZE_DATA_DIR": str(tmp_path / "data"), "DIGITIZE_REDIS_URL": redis_url, **env},
                            tmp_path)  # fmt: skip
    try:
        tasks.configure(settings)
        yield svc
    finally:
        stop(workers)
        svc.close()


def test_worker_killed_mid_page_loses_and_doubles_nothing(redis_url, tmp_path):
    from digitize.dossiers import tasks

    with celery_service(redis_url, tmp_path, DIGITIZE_TASK_VISIBILITY_SECONDS="15") as svc:
        d = svc.reception.create_dossier(None, actor=SYSTEM)
        n = 4  # one killed mid-page, three read by the live worker
        assert svc.reception.add_file(d, "ho-so.pdf", pages_pdf(n), actor=SYSTEM).error is None
        tasks.dispatch(svc, d)
        # The first scan a worker takes: kill the process reading it, mid-page.
        deadline, victim = time.monotonic() + 60, None
        while victim is None and time.monotonic() < deadline:
            with svc.ctx.session() as s:
                running = s.scalars(select(Scan).where(Scan.dossier_id == d, Scan.state == WorkState.RUNNING)).first()
                if running is not None:
                    victim = (running.id, int(running.worker.rsplit(":", 1)[1]))
            time.sleep(0.05)
        assert victim is not None, "no worker took a scan"
        os.kill(victim[1], signal.SIGKILL)
        st = wait_status(svc, d)
        assert st["status"] == "done", st["error"]
        with svc.ctx.session() as s:
            scans = s.scalars(select(Scan).where(Scan.dossier_id == d)).all()
            pages = s.scalars(select(Page).where(Page.dossier_id == d).order_by(Page.index)).all()
        assert [p.index for p in pages] == list(range(n))  # every page once, numbered in order
        assert sorted(p.source for p in pages) == sorted(f"ho-so.pdf#{i + 1}" for i in range(n))
        assert all(sc.state == WorkState.DONE for sc in scans)
        killed = next(sc for sc in scans if sc.id == victim[0])
        assert killed.attempts >= 2 and int(killed.worker.rsplit(":", 1)[1]) != victim[1]
        # Nothing is recorded as read by the dead process. (Which live process reads which page is the broker's
        # choice: the killed worker's fresh child may still be starting while the other one reads them all.)
        assert str(victim[1]) not in {sc.worker.rsplit(":", 1)[1] for sc in scans}
        assert len(PdfReader(io.BytesIO(svc.queries.searchable_pdf(d, actor=SYSTEM))).pages) == n

        # The same tasks delivered again (at-least-once): nothing changes.
        sent = [tasks.read_scan.delay(sc.id).id for sc in scans] + [tasks.finish_dossier.delay(d).id]
        wait_succeeded(sent, tmp_path)
        assert wait_status(svc, d)["status"] == "done"
        with svc.ctx.session() as s:
            again = s.scalars(select(Page.index).where(Page.dossier_id == d).order_by(Page.index)).all()
        assert again == list(range(n))


def test_scan_that_kills_every_worker_is_marked_failed(redis_url, tmp_path):
    """A page whose reader dies each time (killed here whenever a worker takes it): after three deliveries it is
    marked failed instead of taking worker after worker down forever; the dossier's other pages are read."""
    from digitize.dossiers import tasks
    from digitize.scan.pagepool import CRASHED

    with celery_service(redis_url, tmp_path) as svc:
        d = svc.reception.create_dossier(None, actor=SYSTEM)
        assert svc.reception.add_file(d, "tot.pdf", pages_pdf(2), actor=SYSTEM).error is None
        poison = svc.reception.add_file(
            d, "doc-hai.png", synth.encode(synth.render_page(seed=77, paragraphs=2).image, "png"), actor=SYSTEM
        )
        assert poison.error is None
        with svc.ctx.session() as s:
            target = s.scalar(select(Scan.id).where(Scan.dossier_id == d, Scan.number == 1, Scan.file_id.in_(
                select(DossierFile.id).where(DossierFile.dossier_id == d, DossierFile.seq == poison.seq))))  # fmt: skip
        tasks.dispatch(svc, d)
        killed: set[int] = set()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with svc.ctx.session() as s:
                scan = s.get(Scan, target)
                state, worker, attempts = scan.state, scan.worker, scan.attempts
            if state in (WorkState.FAILED, WorkState.DONE, WorkState.READ):
                break
            # Each delivery that reads the page dies; the one past the cap does not read it, so it is let be.
            reading = state == WorkState.RUNNING and attempts <= tasks.MAX_ATTEMPTS
            if reading and worker and int(worker.rsplit(":", 1)[1]) not in killed:
                pid = int(worker.rsplit(":", 1)[1])
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            time.sleep(0.05)
        st = wait_status(svc, d)
        assert len(killed) == tasks.MAX_ATTEMPTS
        assert st["status"] == "done" and st["scans"] == {"pending": 0, "done": 2, "failed": 1}
        with svc.ctx.session() as s:
            scan = s.get(Scan, target)
            assert scan.state == WorkState.FAILED and scan.error.startswith(CRASHED)
            assert scan.attempts == tasks.MAX_ATTEMPTS + 1


def test_scale_out_api_only_stores_and_enqueues(redis_url, s3_endpoint, tmp_path):
    """The README's scale-out example on one machine: API + two workers + S3 + the suite's database."""
    s3 = s3_settings(s3_endpoint)
    env = {"DIGITIZE_REDIS_URL": redis_url, "DIGITIZE_STORE": "s3", "DIGITIZE_S3_ENDPOINT": s3["endpoint"],
           "DIGITIZE_S3_ACCESS_KEY": s3["access_key"], "DIGITIZE_S3_SECRET_KEY": s3["secret_key"],
           "DIGITIZE_S3_SECURE": "1" if s3["secure"] else "0", "DIGITIZE_S3_BUCKET": f"so-{uuid.uuid4().hex[:10]}",
           "DIGITIZE_WORKERS": "1", "DIGITIZE_SECRET_KEY": "test-secret"}  # fmt: skip
    proc, url = start_demo_server(tmp_path, **env)
    workers = start_workers(2, {**env, "DIGITIZE_DATA_DIR": str(tmp_path / "data")}, tmp_path)
    try:
        with httpx.Client(base_url=url, timeout=60) as c:
            c.post("/api/login", json={"username": "quay1", "password": DEMO_PASSWORD}).raise_for_status()
            r = c.post("/api/scan", files=[("files", ("a.pdf", pages_pdf(4), "application/pdf"))],
                       data={"procedure": "1.001193"})  # fmt: skip
            assert r.status_code == 202, r.text
            d = r.json()["dossier"]
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                st = c.get(f"/api/dossiers/{d}").json()
                if st["status"] in ("done", "failed"):
                    break
                time.sleep(0.5)
            assert st["status"] == "done", st
            assert [p["index"] for p in st["pages"]] == [0, 1, 2, 3]
            assert all(p["text"] for p in st["pages"])
            pdf = c.get(f"/api/dossiers/{d}/searchable.pdf")
            assert pdf.status_code == 200 and len(PdfReader(io.BytesIO(pdf.content)).pages) == 4
        # The API process read no page itself: every scan names a worker process; the request's job is done.
        engine = create_engine(Settings(data_dir=tmp_path / "data").sqlalchemy_url)
        with engine.connect() as conn:
            workers_seen = {w for (w,) in conn.execute(select(Scan.worker).where(Scan.dossier_id == d))}
            job_states = {st for (st,) in conn.execute(select(Job.state).where(Job.dossier_id == d))}
        engine.dispose()
        assert None not in workers_seen and len(workers_seen) >= 1
        assert job_states == {"done"}
    finally:
        stop(workers)
        proc.terminate()
        proc.wait(timeout=30)
