"""The API's tests share a counter officer and a reviewer logged in to the module's demo server that reads with the
fake engine (`fake_reading_server`): for tests of what happens around the reading."""

from __future__ import annotations

import httpx
import pytest

from tests.support.servers import login


@pytest.fixture
def counter(fake_reading_server):
    with httpx.Client(base_url=fake_reading_server, timeout=60) as c:
        yield login(c, "quay1")


@pytest.fixture
def reviewer(fake_reading_server):
    with httpx.Client(base_url=fake_reading_server, timeout=60) as c:
        yield login(c, "duyet1")
