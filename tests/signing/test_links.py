"""Download links on the local store: signed tokens that expire, told the time by a clock of the test's own
(nothing sleeps), and that refuse any change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from digitize.core.config import Settings
from digitize.core.errors import DigitizeError
from digitize.signing.links import Links
from storage.objects import LocalStore


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def links(tmp_path, clock) -> Links:
    settings = Settings(data_dir=tmp_path / "data", link_seconds=300)
    return Links(settings, LocalStore(tmp_path / "objects"), clock)


def test_a_link_opens_until_its_time_is_up(links, clock):
    made = links.make("dossiers/d1/documents/1/ecopy.pdf", "bản sao.pdf", "application/pdf")
    assert made["expires_in"] == 300 and made["url"].startswith("/api/download/")
    token = made["url"].rsplit("/", 1)[1]
    clock.t += timedelta(seconds=300)
    opened = links.open(token)
    assert (opened.key, opened.filename, opened.content_type) == (
        "dossiers/d1/documents/1/ecopy.pdf", "bản sao.pdf", "application/pdf"
    )  # fmt: skip
    clock.t += timedelta(seconds=2)
    with pytest.raises(DigitizeError) as refused:
        links.open(token)
    assert (refused.value.code, refused.value.status) == ("link_expired", 410)


def test_a_changed_token_or_another_key_is_refused(links, tmp_path, clock):
    token = links.make("k", "a.pdf", "application/pdf")["url"].rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    with pytest.raises(DigitizeError) as refused:
        links.open(tampered)
    assert (refused.value.code, refused.value.status) == ("link_invalid", 403)
    other = Links(Settings(data_dir=tmp_path / "other"), LocalStore(tmp_path / "objects"), clock)
    with pytest.raises(DigitizeError) as refused:
        other.open(token)  # signed with another service's secret key
    assert refused.value.code == "link_invalid"
