"""Faults: the object store down during an upload, the database restarting, a process killed while writing.
Each ends in a clear refusal or a retry that works, never in a record that points to a missing object."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from digitize.core.config import Settings
from digitize.devtools import synth
from digitize.dossiers.service import DossierService, open_service
from digitize.people.auth import SYSTEM
from digitize.people.demo import DEMO_PASSWORD
from storage.objects import LocalStore, S3Store, original_key
from storage.records import DossierFile, Job
from tests.support.net import free_port, stop
from tests.support.postgres import PG_ADMIN
from tests.support.s3 import S3_TEST_KEYS, start_seaweed, stop_seaweed
from tests.support.servers import start_demo_server


@pytest.mark.s3
def test_s3_down_mid_work_refused_clearly_then_back(tmp_path):
    """The S3 server stops between two uploads: the second is refused at once with 503 and a reason and nothing is
    recorded; the server comes back on its data and the same upload goes through; every recorded file's original
    is in the store, the one stored before the stop too."""
    folder = tmp_path / "seaweedfs"
    s3, endpoint = start_seaweed(folder)
    bucket = f"down-{uuid.uuid4().hex[:10]}"
    env = {"DIGITIZE_STORE": "s3", "DIGITIZE_S3_ENDPOINT": endpoint, "DIGITIZE_S3_BUCKET": bucket,
           "DIGITIZE_S3_ACCESS_KEY": S3_TEST_KEYS[0], "DIGITIZE_S3_SECRET_KEY": S3_TEST_KEYS[1],
           "DIGITIZE_WORKERS": "1", "DIGITIZE_SECRET_KEY": "test-secret"}  # fmt: skip
    proc, url = start_demo_server(tmp_path, **env)
    pages = [synth.encode(synth.render_page(seed=n, paragraphs=1).image) for n in (4, 5)]
    try:
        with httpx.Client(base_url=url, timeout=60) as c:
            c.post("/api/login", json={"username": "quay1", "password": DEMO_PASSWORD}).raise_for_status()
            d = c.post("/api/dossiers", json={"procedure": "1.001193"}).json()["dossier"]

            def upload(n: int) -> httpx.Response:
                return c.post(f"/api/dossiers/{d}/files", files=[("files", (f"{n}.png", pages[n], "image/png"))])

            def finished() -> dict:
                deadline = time.monotonic() + 120
                while (st := c.get(f"/api/dossiers/{d}").json())["status"] != "done":
                    assert time.monotonic() < deadline, st
                    time.sleep(0.5)
                return st

            assert upload(0).status_code == 202
            assert len(finished()["pages"]) == 1
            stop_seaweed(s3)  # the store goes down
            t = time.monotonic()
            r = upload(1)
            assert r.status_code == 503 and r.json()["error"] == "store_unavailable", r.text
            assert r.json()["reason_vi"] and time.monotonic() - t < 30  # refused quickly, not hung
            assert len(c.get(f"/api/dossiers/{d}").json()["files"]) == 1
            s3, _ = start_seaweed(folder, int(endpoint.rsplit(":", 1)[1]))  # back, on its data
            assert upload(1).status_code == 202
            assert len(finished()["pages"]) == 2
        store = S3Store(endpoint, *S3_TEST_KEYS, bucket)
        svc = open_service(Settings(data_dir=tmp_path / "data"), store=store)
        with svc.ctx.session() as s:
            shas = s.scalars(select(DossierFile.sha256)).all()
        svc.close()
        assert len(shas) == 2 and all(store.exists(original_key(sha)) for sha in shas)
    finally:
        stop(proc)
        stop_seaweed(s3)


def pg_tool(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL's {name} not found: make test installs postgresql")
    return str(found[-1])


def as_postgres(args: list[str], check: bool = True) -> None:
    cmd = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(args)] if os.getuid() == 0 else args
    subprocess.run(cmd, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


@pytest.fixture
def private_postgres():
    """A PostgreSQL server of this test's own, so stopping it disturbs no other test."""
    if not PG_ADMIN:
        pytest.skip("the database restart is tested in the suite's PostgreSQL run")
    base = Path(f"/tmp/digitize-pg-{uuid.uuid4().hex[:8]}")
    base.mkdir()
    if os.getuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    port = free_port()
    as_postgres([pg_tool("initdb"), "-D", str(base / "db"), "-A", "trust", "-U", "postgres"])
    ctl = [pg_tool("pg_ctl"), "-D", str(base / "db"), "-l", str(base / "log"), "-w",
           "-o", f"'-p {port} -k {base} -c listen_addresses=127.0.0.1'"]  # fmt: skip
    as_postgres([*ctl, "start"])
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", ctl
    finally:
        as_postgres([*ctl, "-m", "immediate", "stop"], check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_database_restart(private_postgres, tmp_path):
    url, ctl = private_postgres
    svc = open_service(Settings(data_dir=tmp_path / "data", database_url=url, workers=1))
    try:
        before = svc.reception.create_dossier("1.001193", actor=SYSTEM)
        as_postgres([*ctl, "-m", "fast", "stop"])
        with pytest.raises(OperationalError):  # down: refused (the API answers 503 database_unavailable)
            svc.reception.create_dossier("1.001193", actor=SYSTEM)
        as_postgres([*ctl, "start"])
        after = svc.reception.create_dossier(
            "1.001193", actor=SYSTEM
        )  # the pool's dead connections are replaced, no restart needed
        codes = [svc.queries.status(x, actor=SYSTEM)["code"] for x in (before, after)]
        assert codes[0].endswith("-0001") and codes[1].endswith("-0002")
    finally:
        svc.close()


WRITER = """
import sys
from storage.objects import LocalStore
store = LocalStore(sys.argv[1])
print("writing", flush=True)
store.put("dossiers/d1/searchable.pdf", b"%PDF" + b"x" * (400 * 1024 * 1024))
"""


def test_process_killed_while_writing_leaves_no_half_object(tmp_path):
    """A writer killed mid-object: the key keeps the whole previous version, never a torn file."""
    store = LocalStore(tmp_path / "objects")
    store.put("dossiers/d1/searchable.pdf", b"%PDF old and whole")
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "objects")], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"writing"
    folder = tmp_path / "objects" / "dossiers" / "d1"
    deadline = time.monotonic() + 20
    while not any(p.name.startswith(".tmp-") and p.stat().st_size > 0 for p in folder.iterdir()):
        assert time.monotonic() < deadline, "the writer never started writing"
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)  # in the middle of writing 400 MB
    proc.wait(timeout=10)
    torn = [p for p in folder.iterdir() if p.name.startswith(".tmp-")]
    assert torn and torn[0].stat().st_size < 400 * 1024 * 1024  # it really was killed half-way
    assert store.get("dossiers/d1/searchable.pdf") == b"%PDF old and whole"
    assert list(store.list()) == ["dossiers/d1/searchable.pdf"]  # the torn temporary file is never listed


OWNER = """
import tempfile, time
from digitize.core.config import Settings
from digitize.dossiers.service import DossierService, open_service
svc = open_service(Settings(data_dir=tempfile.mkdtemp(), workers=2))
list(svc.pool.executor.map(abs, [1, 2, 3]))  # the pool's workers are up
print("ready", flush=True)
time.sleep(120)
"""


def test_killed_server_leaves_no_page_workers_behind():
    """kill -9 of the process that owns the page pool: its workers and their fork server leave by themselves."""
    import psutil

    proc = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ready"
    tree = psutil.Process(proc.pid).children(recursive=True)
    assert len(tree) >= 3  # fork server (+ its resource tracker) and two workers
    proc.kill()
    proc.wait(timeout=10)
    gone, alive = psutil.wait_procs(tree, timeout=15)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], alive


# --- the embedded default's page pool when a worker dies ---------------------------------------------------------


def _workers_of(pid: int) -> list:
    """The page workers of a process: the children of its fork server (not of its other helpers)."""
    import psutil

    servers = [c for c in psutil.Process(pid).children() if "forkserver" in " ".join(c.cmdline())]
    return [w for c in servers for w in c.children()]


def assert_next_dossier_read(svc: DossierService, images: list) -> None:
    """The service goes on working: a new dossier is read whole."""
    d = svc.reception.create_dossier(None, actor=SYSTEM)
    assert svc.reception.add_file(d, "sau.pdf", synth.images_to_pdf(images), actor=SYSTEM).error is None
    svc.reading.process(d)
    assert svc.queries.status(d, actor=SYSTEM)["scans"] == {"pending": 0, "done": len(images), "failed": 0}


def test_page_worker_killed_the_pool_recovers_and_loses_no_page(tmp_path):
    """kill -9 of a page worker mid-dossier (as the out-of-memory killer would): the pages in flight are read again,
    none is lost or marked failed, and the next dossier is read by a new pool (Python's pool refuses all work once
    a worker died: before, every later dossier failed until a restart)."""
    import threading

    pages = [synth.render_page(seed=40 + i, paragraphs=3).image for i in range(4)]  # two in flight, two after
    svc = open_service(Settings(data_dir=tmp_path, workers=2))
    try:
        d = svc.reception.create_dossier(None, actor=SYSTEM)
        assert svc.reception.add_file(d, "a.pdf", synth.images_to_pdf(pages), actor=SYSTEM).error is None
        killed: list[int] = []
        busy = threading.Event()
        others = {w.pid for w in _workers_of(os.getpid())}  # of pools this test does not own

        def kill_one_worker() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not killed:
                workers = [w for w in _workers_of(os.getpid()) if w.pid not in others]
                if len(workers) == 2 and busy.is_set():
                    time.sleep(1.0)  # both are reading a page by now
                    workers[0].send_signal(signal.SIGKILL)
                    killed.append(workers[0].pid)
                time.sleep(0.05)

        killer = threading.Thread(target=kill_one_worker)
        killer.start()
        busy.set()
        svc.reading.process(d)
        killer.join()
        assert killed, "no worker was killed"
        st = svc.queries.status(d, actor=SYSTEM)
        assert st["status"] == "done" and st["scans"] == {"pending": 0, "done": 4, "failed": 0}
        assert [p["index"] for p in st["pages"]] == list(range(4)) and not any(
            "page_unreadable" in p["warnings"] for p in st["pages"]
        )
        assert killed[0] not in [w.pid for w in _workers_of(os.getpid())]
        assert_next_dossier_read(svc, pages[:1])
    finally:
        svc.close()


def _crash_on(marker: str) -> None:
    """A page worker whose reader crashes on one file: the process ends at once whenever the file is touched
    (opened, or handed to a converter), as a segfault in poppler or Tesseract would end it."""
    from digitize.scan.pipeline import worker_init

    worker_init()

    def hook(event: str, args: tuple) -> None:
        if event in ("open", "subprocess.Popen") and marker in repr(args):
            os._exit(70)

    sys.addaudithook(hook)


def test_page_that_kills_its_worker_is_the_one_marked_failed(tmp_path):
    """A file whose reading kills the worker every time: its page is marked failed (page_crashed) after being read
    alone twice; the other pages of the dossier, in flight with it, are read; the service goes on working."""
    import functools
    import hashlib

    from digitize.scan.pagepool import CRASHED, PagePool

    good = [synth.render_page(seed=50 + i, paragraphs=2).image for i in range(3)]
    poison = synth.encode(synth.render_page(seed=59, paragraphs=2).image, "png")
    pool = PagePool(2, initializer=functools.partial(_crash_on, hashlib.sha256(poison).hexdigest()))
    svc = open_service(Settings(data_dir=tmp_path, workers=2), pool=pool)
    try:
        d = svc.reception.create_dossier(None, actor=SYSTEM)
        assert svc.reception.add_file(d, "a.pdf", synth.images_to_pdf(good[:2]), actor=SYSTEM).error is None
        assert svc.reception.add_file(d, "poison.png", poison, actor=SYSTEM).error is None
        assert svc.reception.add_file(d, "b.pdf", synth.images_to_pdf(good[2:]), actor=SYSTEM).error is None
        svc.reading.process(d)
        st = svc.queries.status(d, actor=SYSTEM)
        assert st["status"] == "done" and st["scans"] == {"pending": 0, "done": 3, "failed": 1}
        unreadable = ["page_unreadable" in p["warnings"] for p in st["pages"]]
        assert unreadable == [False, False, True, False]  # in upload order, where the file was
        with svc.ctx.session() as s:
            from storage.records import Scan

            (bad,) = s.scalars(select(Scan).where(Scan.dossier_id == d, Scan.state == "failed")).all()
            assert bad.error.startswith(CRASHED)
        assert_next_dossier_read(svc, good[:1])
    finally:
        svc.close()
        pool.close()


def test_a_crash_while_finishing_a_dossier_is_finished_at_the_next_start(tmp_path):
    """The service killed in a dossier's last step (its pages read, the searchable PDF and the papers not yet
    made): the next start finishes it, the interrupted run is closed, and a second start changes nothing."""
    from tests.support.cards import card_png

    png, idn, _ = card_png(41)
    (tmp_path / "cccd.png").write_bytes(png)
    crash = (
        "import os, sys\n"
        "from sqlalchemy import update\n"
        "from digitize.people.auth import Principal\nfrom digitize.core.config import Settings\n"
        "from digitize.people.demo import seed\n"
        "from digitize.dossiers.jobs import new_job\nfrom digitize.dossiers.service import open_service\n"
        "from storage.records import Job, WorkState\n"
        f"svc = open_service(Settings(data_dir={str(tmp_path / 'data')!r}, workers=1))\n"
        "seed(svc)\n"
        "p = Principal('staff', 'quay1', 'counter', '000.00.31.H29')\n"
        f"d = svc.reception.create_dossier('1.001193', p, {idn!r})\n"
        f"data = open({str(tmp_path / 'cccd.png')!r}, 'rb').read()\n"
        "assert svc.reception.add_file(d, 'cccd.png', data, p).error is None\n"
        "job = new_job(svc, d)\n"
        "with svc.ctx.session() as s:\n"
        "    s.execute(update(Job).where(Job.id == job).values(state=WorkState.RUNNING))\n"
        "def killed(dossier_id):\n"
        "    os._exit(9)\n"
        "svc.reading._finish = killed\n"
        "print(d, flush=True)\n"
        "svc.reading.process(d)\n"
    )
    run = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True, timeout=300)
    assert run.returncode == 9, run.stderr
    dossier = run.stdout.split()[0]

    def started() -> tuple[subprocess.Popen, httpx.Client]:
        proc, url = start_demo_server(tmp_path)
        c = httpx.Client(base_url=url, timeout=60)
        assert c.post("/api/login", json={"username": "quay1", "password": DEMO_PASSWORD}).status_code == 200
        return proc, c

    proc, c = started()
    try:
        deadline = time.monotonic() + 120
        while (st := c.get(f"/api/dossiers/{dossier}").json())["status"] == "processing":
            assert time.monotonic() < deadline, st
            time.sleep(0.5)
        assert st["status"] == "done" and st["searchable_pdf"], st
        assert [x["type"] for x in st["documents"]] == ["can_cuoc"]
        assert c.get(f"/api/dossiers/{dossier}/searchable.pdf").content.startswith(b"%PDF")
        assert c.post("/api/login", json={"username": "duyet1", "password": DEMO_PASSWORD}).status_code == 200
        assert st["documents"][0]["id"] in [q["id"] for q in c.get("/api/review/queue").json()]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    settings = Settings(data_dir=tmp_path / "data", workers=1)
    svc = open_service(settings)
    try:
        with svc.ctx.session() as s:
            jobs = {j.id: (j.state, j.error) for j in s.scalars(select(Job).where(Job.dossier_id == dossier))}
        assert sorted(state for state, _ in jobs.values()) == ["done", "failed"]
        assert any(error and error.startswith("interrupted") for _, error in jobs.values())
    finally:
        svc.close()

    proc, c = started()  # again: nothing left to do, nothing done twice
    try:
        again = c.get(f"/api/dossiers/{dossier}").json()
        assert again["status"] == "done" and [x["id"] for x in again["documents"]] == [st["documents"][0]["id"]]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    svc = open_service(settings)
    try:
        with svc.ctx.session() as s:
            assert {j.id: (j.state, j.error) for j in s.scalars(select(Job).where(Job.dossier_id == dossier))} == jobs
    finally:
        svc.close()
