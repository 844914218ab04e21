"""Search over real HTTP, on a demo server that reads with real Tesseract: a word of a read page, typed without its
diacritics, finds the dossier; the other agency's counter does not; the citizen finds their own dossier; bad input
is a JSON refusal; the dossier list takes the same filters."""

from __future__ import annotations

import httpx
import pytest

from digitize.core.text import fold, words
from digitize.devtools import synth
from digitize.people.demo import CITIZEN, DEMO_PASSWORD
from tests.support.net import stop
from tests.support.servers import login, start_demo_server, wait_done


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc, url = start_demo_server(tmp_path_factory.mktemp("search"))
    try:
        yield url
    finally:
        stop(proc, grace=30)


@pytest.fixture(scope="module")
def read_dossier(server):
    """A citizen's dossier of one generated Vietnamese page, read for real; its id, code and the page's text."""
    with httpx.Client(base_url=server, timeout=60) as c:
        login(c, "quay1")
        opened = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()
        page = synth.render_page(seed=31, paragraphs=2)
        files = [("files", ("trang.png", synth.encode(page.image), "image/png"))]
        assert c.post(f"/api/dossiers/{opened['dossier']}/files", files=files).status_code == 202
        status = wait_done(c, opened["dossier"])
    return opened["dossier"], status["code"], status["pages"][0]["text"], page.text


def accented_words(read: str, truth: str) -> list[str]:
    """Words with diacritics both on the page as drawn and in what Tesseract read, longest first."""
    drawn = set(truth.split())
    return sorted({w for w in read.split() if w in drawn and w.isalpha() and fold(w) != w.lower()}, key=len)[::-1]


def test_a_word_of_a_read_page_typed_without_diacritics_finds_its_dossier(server, read_dossier):
    dossier, code, read, truth = read_dossier
    chosen = accented_words(read, truth)[:3]
    assert chosen, read
    with httpx.Client(base_url=server, timeout=60) as c:
        login(c, "quay1")
        for word in chosen:
            typed = fold(word)  # as a hurried officer types it: no diacritics, no capitals
            r = c.get("/api/search", params={"q": typed})
            assert r.status_code == 200, r.text
            hits = [h for h in r.json()["hits"] if h["dossier_id"] == dossier and h["kind"] == "page"]
            assert hits, (word, r.json())
            marked = [seg["text"] for seg in hits[0]["snippet"] if seg["hit"]]
            assert any(words(m) == [typed] for m in marked), marked  # the original word, with its diacritics
        by_code = c.get("/api/search", params={"q": code}).json()
        assert by_code["hits"][0]["dossier_code"] == code
        with httpx.Client(base_url=server, timeout=60) as other:
            login(other, "quay2")  # the other demo agency
            r = other.get("/api/search", params={"q": fold(chosen[0])})
            assert r.status_code == 200 and dossier not in {h["dossier_id"] for h in r.json()["hits"]}
            assert other.get("/api/search", params={"q": code}).json()["total"] == 0


def test_the_citizen_finds_their_dossier_and_nobody_unlogged_does(server, read_dossier):
    dossier, code, _, _ = read_dossier
    with httpx.Client(base_url=server, timeout=60) as c:
        assert c.get("/api/search", params={"q": code}).status_code == 401
        r = c.post("/api/citizen/login", json={"id_number": CITIZEN[0], "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
        hits = c.get("/api/search", params={"q": code}).json()["hits"]
        assert [(h["dossier_id"], h["kind"]) for h in hits] == [(dossier, "dossier")]


def test_bad_searches_and_filters_are_refused_with_a_reason(server, read_dossier):
    dossier, _, _, _ = read_dossier
    with httpx.Client(base_url=server, timeout=60) as c:
        login(c, "quay1")
        for params in ({"q": "  ...  "}, {}, {"q": "x", "status": "lost"}, {"q": "x", "from": "2026-12-31",
                                                                           "to": "2026-12-01"}):  # fmt: skip
            r = c.get("/api/search", params=params)
            assert r.status_code == 422 and r.json()["error"], (params, r.text)
        assert "reason_vi" in c.get("/api/search", params={"q": "..."}).json()
        listed = c.get("/api/dossiers", params={"procedure": "1.001193", "officer": "quay1"}).json()
        assert dossier in [x["id"] for x in listed]
        assert c.get("/api/dossiers", params={"officer": "nobody"}).json() == []
        assert c.get("/api/dossiers", params={"status": "returned"}).json() == []
        with httpx.Client(base_url=server, timeout=60) as leader:
            login(leader, "lanhdao1")
            assert leader.get("/api/search", params={"q": "khai sinh"}).status_code == 200
            login(leader, "quantri1")
            assert leader.get("/api/search", params={"q": "khai sinh"}).status_code == 403
