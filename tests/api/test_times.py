"""Every time the API sends carries its offset (issue 13, item 1): stored in UTC, a time sent without one was read
as local time by whoever got it, and SQLite gave every time back without one. Over real HTTP, on a demo server
reading with the fake engine (what is read does not matter here), a counter, a reviewer, an admin and a citizen
go through a dossier; every ISO date-time in every answer must end with its offset."""

from __future__ import annotations

import re

import httpx

from digitize.devtools import synth
from digitize.people.demo import CITIZEN, DEMO_PASSWORD
from tests.support.servers import decide_all, login, wait_done

DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def times_without_offset(answer: object, where: str = "") -> list[str]:
    if isinstance(answer, dict):
        return [t for k, v in answer.items() for t in times_without_offset(v, f"{where}.{k}")]
    if isinstance(answer, list):
        return [t for i, v in enumerate(answer) for t in times_without_offset(v, f"{where}[{i}]")]
    if isinstance(answer, str) and DATE_TIME.match(answer) and not OFFSET.search(answer):
        return [f"{where}: {answer}"]
    return []


def test_every_time_in_the_answers_carries_its_offset(fake_reading_server):
    answers: dict[str, object] = {}
    with httpx.Client(base_url=fake_reading_server, timeout=60) as counter:
        login(counter, "quay1")
        opened = counter.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": CITIZEN[0]}).json()
        d = opened["dossier"]
        page = synth.encode(synth.render_page(seed=9, paragraphs=1).image)
        r = counter.post(f"/api/dossiers/{d}/files", files=[("files", ("a.png", page, "image/png"))])
        assert r.status_code == 202, r.text
        wait_done(counter, d)
        decide_all(fake_reading_server, d)
        r = counter.post(f"/api/dossiers/{d}/results", files=[("files", ("kq.png", page, "image/png"))])
        assert r.status_code == 201, r.text
        answers["result"] = r.json()
        answers["status"] = wait_done(counter, d)
        answers["list"] = counter.get("/api/dossiers").json()
        answers["awaiting"] = counter.get("/api/dossiers", params={"awaiting_result": True}).json()
        answers["code"] = counter.post(f"/api/citizens/{CITIZEN[0]}/code").json()
    with httpx.Client(base_url=fake_reading_server, timeout=60) as reviewer:
        login(reviewer, "duyet1")
        queue = reviewer.get("/api/review/queue").json()
        answers["queue"] = queue
        answers["document"] = [reviewer.get(f"/api/documents/{x['id']}").json() for x in queue]
    with httpx.Client(base_url=fake_reading_server, timeout=60) as admin:
        login(admin, "quantri1")
        answers["audit"] = admin.get("/api/audit").json()
    with httpx.Client(base_url=fake_reading_server, timeout=60) as citizen:
        r = citizen.post("/api/citizen/login", json={"id_number": CITIZEN[0], "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
        answers["my dossiers"] = citizen.get("/api/me/dossiers").json()
        answers["my papers"] = citizen.get("/api/me/papers").json()
    found = times_without_offset(answers)
    assert answers["status"]["created_at"] and answers["audit"] and answers["code"]["expires_at"]
    assert found == [], found
