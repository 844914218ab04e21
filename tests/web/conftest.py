"""The web pages' tests share one demo server per module and the browser (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.support.net import stop
from tests.support.servers import start_demo_server


@pytest.fixture(scope="module")
def web_server(tmp_path_factory):
    proc, url = start_demo_server(tmp_path_factory.mktemp("web"))
    try:
        yield url
    finally:
        stop(proc, grace=30)
