"""Fixtures every folder of the suite may use: a database per test (SQLite, or PostgreSQL in the second run), a real
S3 server, object stores, settings in a temporary folder, generated pages, the real samples, the browser.

Tests are marked by what they need beyond Python, so a run can pick them (`pytest -m "not browser"`): `browser`
(Debian's Chromium), `s3` (an S3 server), `postgres` (a PostgreSQL server of their own), `redis`; and `reading`
for those that only read images or text and never the database (run once, on SQLite).
"""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from digitize.core.config import Settings
from digitize.devtools import synth
from storage.objects import LocalStore, S3Store
from tests.support.browser import CHROMIUM
from tests.support.fake_reader import NAME as FAKE_READER
from tests.support.net import stop
from tests.support.paths import ARTIFACTS, REPO, SAMPLES
from tests.support.postgres import NO_DATABASE, PG_ADMIN, Databases
from tests.support.s3 import s3_settings, start_seaweed, stop_seaweed
from tests.support.servers import start_demo_server

MARKERS = {
    "reading": "reads images or text only, never the database (run once)",
    "browser": "drives Debian's Chromium through Playwright",
    "s3": "talks to a real S3 server (SeaweedFS started here, or DIGITIZE_TEST_S3_ENDPOINT)",
    "postgres": "starts, stops or needs a PostgreSQL server of its own",
    "redis": "needs a Redis server (Celery workers)",
    "empty_database": "gets its PostgreSQL database without the schema (the others' start migrated)",
}
# A test using one of these fixtures needs what the mark says: marked from its fixtures, not by hand.
MARKED_BY_FIXTURE = {"browser": "browser", "web_server": "browser", "s3_endpoint": "s3", "redis_url": "redis",
                     "private_postgres": "postgres"}  # fmt: skip


def pytest_configure(config):
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, mark in MARKED_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "s3" in callspec.params.values():  # a store or server parametrized to S3
            item.add_marker("s3")
    left_out = [item for item in items if not belongs_to_run(item, RUN)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if belongs_to_run(item, RUN)]


# `make test` runs the suite twice, each run once what the two deployments share: DIGITIZE_TEST_RUN=embedded (the
# default: SQLite and local disk, no server to start) leaves the configured deployment's S3 and Celery-on-Redis to
# the second run, DIGITIZE_TEST_RUN=configured (PostgreSQL, with DIGITIZE_TEST_POSTGRES), which in turn leaves out
# the tests that only read (no SQL in them) and the local-disk variants of tests run on both stores. Without the
# variable (a developer's `pytest`) every test runs.
RUN = os.environ.get("DIGITIZE_TEST_RUN", "all")


def belongs_to_run(item: pytest.Item, run: str) -> bool:
    if PG_ADMIN and item.get_closest_marker("reading"):
        return False  # the PostgreSQL run is there for the SQL, whatever the variable says
    if run == "embedded":
        return not (item.get_closest_marker("s3") or item.get_closest_marker("redis"))
    if run == "configured":
        callspec = getattr(item, "callspec", None)
        return not (callspec is not None and "local" in callspec.params.values())
    return True


@pytest.fixture(scope="session")
def _databases():
    if not PG_ADMIN:
        yield None
        return
    databases = Databases()
    try:
        yield databases
    finally:
        databases.close()


@pytest.fixture(scope="module", autouse=True)
def _module_database(_databases):
    if _databases is None:
        yield None
        return
    name, url = _databases.take()
    old = os.environ.get("DIGITIZE_DATABASE_URL")
    os.environ["DIGITIZE_DATABASE_URL"] = url
    try:
        yield url
    finally:
        if old is None:
            os.environ.pop("DIGITIZE_DATABASE_URL", None)
        else:
            os.environ["DIGITIZE_DATABASE_URL"] = old
        _databases.give_back(name, url)


@pytest.fixture(autouse=True)
def _test_database(monkeypatch, request, _databases):
    if request.node.get_closest_marker("reading"):
        monkeypatch.setenv("DIGITIZE_DATABASE_URL", NO_DATABASE)
        yield None
        return
    if _databases is None:
        yield None
        return
    name, url = _databases.take(empty=bool(request.node.get_closest_marker("empty_database")))
    monkeypatch.setenv("DIGITIZE_DATABASE_URL", url)
    yield url
    _databases.give_back(name, url)


@pytest.fixture(scope="session", autouse=True)
def _seaweed(request, tmp_path_factory):
    """The SeaweedFS of s3_endpoint, started as the session starts when it has S3 tests: it takes seconds to answer,
    mostly waiting, which the tests before the first S3 one cover."""
    wanted = any(item.get_closest_marker("s3") for item in request.session.items)
    if os.environ.get("DIGITIZE_TEST_S3_ENDPOINT") or not wanted:
        yield None
        return
    with ThreadPoolExecutor(1) as starting:
        started = starting.submit(start_seaweed, tmp_path_factory.mktemp("seaweedfs"))
        try:
            yield started
        finally:
            if started.exception() is None:
                stop_seaweed(started.result()[0])


@pytest.fixture(scope="session")
def s3_endpoint(_seaweed):
    """host:port of an S3 server: the one named by DIGITIZE_TEST_S3_ENDPOINT, or a SeaweedFS we start."""
    return os.environ.get("DIGITIZE_TEST_S3_ENDPOINT") or _seaweed.result()[1]


@pytest.fixture
def s3_store(s3_endpoint):
    # A fresh bucket per test keeps tests independent on a shared real server too.
    return S3Store(bucket=f"test-{uuid.uuid4().hex[:12]}", **s3_settings(s3_endpoint))


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStore(tmp_path / "objects")
    return request.getfixturevalue("s3_store")


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


@pytest.fixture(scope="module")
def fake_reading_server(tmp_path_factory):
    """`digitize serve --demo` on a fresh folder, its pages read by tests.support.fake_reader: for the API's and the
    pages' tests of what happens around the reading (times, results, forms, tools), which answer in no time; real
    reading is tested elsewhere."""
    proc, url = start_demo_server(tmp_path_factory.mktemp("fake"), DIGITIZE_PAGE_READER=FAKE_READER,
                                  PYTHONPATH=str(REPO))  # fmt: skip
    try:
        yield url
    finally:
        stop(proc, grace=30)
