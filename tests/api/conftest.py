"""The API's tests share a demo server that reads with the fake engine, for those about what happens around the
reading (times, results): it answers in no time, and real reading is tested elsewhere."""

from __future__ import annotations

import pytest

from tests.support.fake_reader import NAME
from tests.support.net import stop
from tests.support.paths import REPO
from tests.support.servers import start_demo_server


@pytest.fixture(scope="module")
def fake_reading_server(tmp_path_factory):
    """`digitize serve --demo` on a fresh folder, its pages read by tests.support.fake_reader."""
    proc, url = start_demo_server(tmp_path_factory.mktemp("api"), DIGITIZE_PAGE_READER=NAME, PYTHONPATH=str(REPO))
    try:
        yield url
    finally:
        stop(proc, grace=30)
