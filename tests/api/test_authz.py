"""Who may do what, over real HTTP against `digitize serve --demo`: every route, every role, two agencies and two
citizens. A refusal has the right status (401 no session, 403 role, 404 out of scope or not one's own) and its
body carries nothing of the data asked for."""

from __future__ import annotations

import httpx
import pytest

from digitize.people.demo import DEMO_PASSWORD
from tests.support.cards import card_png
from tests.support.servers import start_demo_server, wait_done

ANON, CITIZEN = "anonymous", "citizen"
STAFF = {"quay1": "counter", "duyet1": "reviewer", "lanhdao1": "leader", "quantri1": "admin", "quay2": "counter",
         "duyet2": "reviewer"}  # fmt: skip
AGENCY = {"quay1": "A", "duyet1": "A", "lanhdao1": "A", "quantri1": "A", "quay2": "B", "duyet2": "B"}
CITIZEN_PASSWORD = "congdan2026"
EVERYONE = {ANON, CITIZEN, *STAFF.values()}  # the public routes: the same answer with a session or without


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("authz")
    proc, url = start_demo_server(tmp)
    clients: dict[str, httpx.Client] = {}
    try:
        for who in [ANON, *STAFF]:
            clients[who] = c = httpx.Client(base_url=url, timeout=60)
            if who != ANON:
                assert c.post("/api/login", json={"username": who, "password": DEMO_PASSWORD}).status_code == 200
        w: dict = {"url": url, "c": clients}
        for side, counter, reviewer, seed in (("A", "quay1", "duyet1", 1), ("B", "quay2", "duyet2", 2)):
            png, idn, name = card_png(seed)
            c = clients[counter]
            d = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": idn}).json()
            up = c.post(f"/api/dossiers/{d['dossier']}/files", files=[("files", ("cccd.png", png, "image/png"))])
            assert up.status_code == 202, up.text
            st = wait_done(c, d["dossier"])
            doc = st["documents"][0]
            r = clients[reviewer].post(f"/api/documents/{doc['id']}/approve", json={"accept_invalid": True})
            assert r.status_code == 200, r.text
            assert c.put(f"/api/citizens/{idn}/password", json={"password": CITIZEN_PASSWORD}).status_code == 200
            w[side] = {"dossier": d["dossier"], "code": d["code"], "doc": doc["id"], "id": idn, "name": name}
        # A complaint of agency A, given on another dossier (the matrix rates A's own).
        other = clients["quay1"].post("/api/dossiers", json={"procedure": "1.001193"}).json()["dossier"]
        r = clients["quay1"].post(f"/api/dossiers/{other}/rating", json={"score": 1, "comment": "Tôi phản ánh"})
        assert r.status_code == 201 and r.json()["complaint"], r.text
        w["A"]["complaint"] = r.json()["id"]
        for side in "AB":
            clients[f"citizen{side}"] = c = httpx.Client(base_url=url, timeout=60)
            r = c.post("/api/citizen/login", json={"id_number": w[side]["id"], "password": CITIZEN_PASSWORD})
            assert r.status_code == 200, r.text
        yield w
    finally:
        for c in clients.values():
            c.close()
        proc.terminate()
        proc.wait(timeout=30)


def principal(who: str) -> tuple[str, str | None]:
    """(role, agency or citizen side) of a client name."""
    if who == ANON:
        return ANON, None
    if who.startswith(CITIZEN):
        return CITIZEN, who[-1]
    return STAFF[who], AGENCY[who]


# Each route: method, path, request extras, the roles allowed, whether it concerns agency A's (or citizen A's)
# data, and the status when allowed and in scope.
# fmt: off
ROUTES = [
    ("GET", "/api/dossiers/{dA}", {}, {"counter", "reviewer"}, True, 200),
    ("GET", "/api/dossiers/{dA}/result", {}, {"counter", "reviewer"}, True, 200),
    ("GET", "/api/dossiers/{dA}/searchable.pdf", {}, {"counter", "reviewer"}, True, 200),
    ("GET", "/api/dossiers/{dA}/files/1/original", {}, {"counter", "reviewer"}, True, 200),
    ("GET", "/api/dossiers/{dA}/pages/0", {}, {"counter", "reviewer"}, True, 200),
    ("GET", "/api/dossiers/{dA}/pages/0/text", {}, {"counter", "reviewer"}, True, 200),
    ("GET", "/api/dossiers/{dA}/pages/0/clean.jpg", {}, {"counter", "reviewer"}, True, 200),
    ("GET", "/api/dossiers/{dA}/pages/0/ocr.json", {}, {"counter", "reviewer"}, True, 200),
    ("POST", "/api/dossiers/{dA}/files", {"files": [("files", ("x.pdf", b"%PDF-1.4\nbroken", "application/pdf"))]},
     {"counter"}, True, 422),  # fmt: skip
    ("GET", "/api/dossiers/{dA}/reuse", {}, {"counter", "reviewer"}, True, 200),
    ("POST", "/api/dossiers/{dA}/reuse", {"json": {"document_ids": ["{docB}"]}}, {"counter"}, True, 404),
    ("POST", "/api/dossiers/{dA}/results", {"data": {"document_type": "giay_khai_sinh"}}, {"counter"}, True, 201),
    ("PUT", "/api/dossiers/{dA}/details", {"json": {"applicant": {"phone": "0912 345 678"}}}, {"counter"}, True, 200),
    ("POST", "/api/dossiers/{dA}/outcome", {"json": {"outcome": "nothing"}}, {"counter"}, True, 422),
    ("POST", "/api/dossiers/{dA}/delay", {"json": {"new_due_date": "2000-01-01", "reason": "x"}}, {"counter"}, True,
     409),  # fmt: skip  (its result is handed over: nothing awaits a new date)
    ("GET", "/api/dossiers/{dA}/forms/control", {}, {"counter", "reviewer", "leader"}, True, 200),
    ("GET", "/api/tracking-book", {}, {"counter", "leader", "admin"}, False, 200),
    ("PUT", "/api/kiosk", {"json": {"dossier_id": "{dA}"}}, {"counter"}, True, 200),
    ("GET", "/api/kiosk", {}, {"counter"}, False, 200),
    ("POST", "/api/dossiers/{dA}/rating", {"json": {"score": 5}}, {"counter"}, True, 201),
    ("GET", "/api/complaints", {}, {"leader", "admin"}, False, 200),
    ("PUT", "/api/complaints/{cA}", {"json": {"answer": "Đã tiếp thu."}}, {"leader"}, True, 200),
    ("GET", "/api/documents/{docA}", {}, {"counter", "reviewer", CITIZEN}, True, 200),
    ("PUT", "/api/documents/{docA}/fields/full_name", {"json": {"value": "TÊN MỚI"}}, {"reviewer"}, True, 409),
    ("POST", "/api/documents/{docA}/approve", {"json": {}}, {"reviewer"}, True, 409),
    ("POST", "/api/documents/{docA}/reject", {"json": {"reason": "mờ"}}, {"reviewer"}, True, 409),
    ("GET", "/api/documents/{docA}/download", {}, {"counter", "reviewer", CITIZEN}, True, 200),
    # The approved card holds page 0: its pages are neither regrouped nor turned (409) until its approval is undone.
    ("POST", "/api/dossiers/{dA}/documents", {"json": {"pages": [0], "type": "khac"}}, {"counter", "reviewer"}, True,
     409),  # fmt: skip
    ("PUT", "/api/documents/{docA}/type", {"json": {"type": "khac"}}, {"counter", "reviewer"}, True, 409),
    ("POST", "/api/dossiers/{dA}/pages/0/rotation", {"json": {"degrees": 90}}, {"counter", "reviewer"}, True, 409),
    ("GET", "/api/review/reject-reasons", {}, {"counter", "reviewer"}, False, 200),
    ("GET", "/api/review/decided", {}, {"reviewer"}, False, 200),
    ("GET", "/api/citizens/{idA}/papers", {}, {"counter", "reviewer"}, False, 200),
    ("POST", "/api/citizens/{idA}/code", {}, {"counter"}, True, 200),
    ("GET", "/api/me/papers", {}, {CITIZEN}, False, 200),
    ("GET", "/api/me/dossiers", {}, {CITIZEN}, False, 200),
    ("GET", "/api/review/queue", {}, {"reviewer"}, False, 200),
    ("GET", "/api/dossiers", {}, {"counter", "reviewer"}, False, 200),
    ("GET", "/api/search?q=khai%20sinh", {}, {"counter", "reviewer", "leader", CITIZEN}, False, 200),
    ("POST", "/api/dossiers", {"json": {"procedure": "1.001193"}}, {"counter"}, False, 201),
    ("POST", "/api/scan", {"files": [("files", ("x.pdf", b"%PDF-1.4\nbroken", "application/pdf"))]},
     {"counter"}, False, 422),  # fmt: skip
    ("GET", "/api/figures", {}, {"leader", "admin"}, False, 200),
    ("GET", "/api/figures?format=csv", {}, {"leader", "admin"}, False, 200),
    ("GET", "/api/audit", {}, {"admin"}, False, 200),
    ("GET", "/api/outbox", {}, {"admin"}, False, 200),
    ("POST", "/api/outbox/999999/retry", {}, {"admin"}, False, 404),
    ("POST", "/api/users", {"json": {"username": "moi-{n}", "full_name": "Người Mới", "password": "matkhau123",
                                     "role": "counter"}}, {"admin"}, False, 201),  # fmt: skip
    ("GET", "/api/users", {}, {"admin"}, False, 200),
    ("PATCH", "/api/users/lanhdao1", {"json": {"active": True}}, {"admin"}, False, 200),  # already active: no change
    # Agency B's account: the admin of A is answered as if there were none.
    ("PUT", "/api/users/quay2/password", {"json": {"password": "matkhau999"}}, {"admin"}, False, 404),
    ("GET", "/api/me", {}, {"counter", "reviewer", "leader", "admin", CITIZEN}, False, 200),
    # Public (issue 14): citizen A's dossier by its code and four digits, a broken QR text, a file that is no copy.
    ("POST", "/api/public/status", {"json": {"code": "{codeA}", "id_last4": "{idA4}"}}, EVERYONE, False, 200),
    ("POST", "/api/verify/qr", {"json": {"text": "v=1|dossier={codeA}"}}, EVERYONE, False, 422),
    ("POST", "/api/verify", {"files": [("file", ("x.pdf", b"%PDF-1.4\nbroken", "application/pdf"))]}, EVERYONE,
     False, 422),  # fmt: skip
    # Last: a new password ends citizen A's sessions.
    ("PUT", "/api/citizens/{idA}/password", {"json": {"password": CITIZEN_PASSWORD}}, {"counter"}, True, 200),
]
# fmt: on


def fill(value, w: dict, n: int):
    if isinstance(value, str):
        s = value.format(dA=w["A"]["dossier"], docA=w["A"]["doc"], docB=w["B"]["doc"], idA=w["A"]["id"], n=n,
                         codeA=w["A"]["code"], idA4=w["A"]["id"][-4:], cA=w["A"]["complaint"])  # fmt: skip
        return int(s) if s.isdigit() and value.startswith("{doc") else s
    if isinstance(value, dict):
        return {k: fill(v, w, n) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, w, n) for v in value]
    return value


def expected(route, who: str) -> int:
    _, _, _, roles, scoped, ok = route
    role, side = principal(who)
    if role not in roles:
        return 401 if role == ANON else 403
    if scoped and side != "A":
        return 404
    return ok


def test_authorization_matrix(world):
    w = world
    secrets = [w["A"]["id"], w["A"]["name"], w["A"]["code"], w["B"]["id"], w["B"]["name"], w["B"]["code"]]
    who_all = [ANON, "citizenA", "citizenB", *STAFF]  # citizens first: a counter setting a password logs them out
    wrong = []
    n = 0
    for route in ROUTES:
        method, path, extras, *_ = route
        for who in who_all:
            n += 1
            r = w["c"][who].request(method, fill(path, w, n), **fill(extras, w, n))
            want = expected(route, who)
            if r.status_code != want:
                wrong.append(f"{method} {path} as {who}: {r.status_code} (want {want}) {r.text[:200]}")
                continue
            if want in (401, 403, 404) or (want == 409 and who != "duyet1"):
                body = r.json()
                assert set(body) <= {"error", "reason", "reason_vi", "state"}, (path, who, body)
                assert not any(s in r.text for s in secrets), (path, who, r.text)
    assert not wrong, "\n".join(wrong)
    # The password route ended citizen A's sessions: in again, for the tests after this one.
    r = w["c"]["citizenA"].post("/api/citizen/login", json={"id_number": w["A"]["id"], "password": CITIZEN_PASSWORD})
    assert r.status_code == 200, r.text


def test_citizen_cannot_reach_another_citizens_paper(world):
    c = world["c"]["citizenB"]
    for path in (f"/api/documents/{world['A']['doc']}", f"/api/documents/{world['A']['doc']}/download"):
        r = c.get(path)
        assert r.status_code == 404 and r.json()["error"] == "document_not_found"
        assert world["A"]["id"] not in r.text and world["A"]["name"] not in r.text
    assert [d["code"] for d in c.get("/api/me/dossiers").json()] == [world["B"]["code"]]
    mine = c.get("/api/me/papers").json()
    assert [p["id"] for p in mine] == [world["B"]["doc"]] and all(p["owner_id"] == world["B"]["id"] for p in mine)


def test_download_links_are_short_lived_and_resist_tampering(world):
    c = world["c"]["citizenA"]
    link = c.get(f"/api/documents/{world['A']['doc']}/download").json()
    assert link["url"].startswith("/api/download/") and link["expires_in"] == 300
    anon = world["c"][ANON]
    pdf = anon.get(link["url"])  # the link itself is the permission: no session needed, for a short while
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    token = link["url"].rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    r = anon.get(f"/api/download/{tampered}")
    assert r.status_code == 403 and r.json()["error"] == "link_invalid" and not r.content.startswith(b"%PDF")
    # Its expiry is told by the service's clock: tests/signing/test_links.py moves a clock instead of sleeping.

    # The certified copy verifies as ours; one changed byte and it does not.
    assert anon.post("/api/verify", files={"file": ("a.pdf", pdf.content, "application/pdf")}).json()["verified"]
    bad = bytearray(pdf.content)
    bad[len(bad) // 3] ^= 0x01
    r = anon.post("/api/verify", files={"file": ("a.pdf", bytes(bad), "application/pdf")})
    assert r.status_code == 422 and r.json()["error"] == "not_verified"
    assert world["A"]["id"] not in r.text


def test_audit_log_records_reads_with_who_and_where(world):
    assert world["c"]["citizenA"].get(f"/api/documents/{world['A']['doc']}").status_code == 200
    events = world["c"]["quantri1"].get("/api/audit", params={"citizen": world["A"]["id"]}).json()
    actions = {(e["actor"], e["action"]) for e in events}
    assert ("quay1", "dossier.create") in actions and ("duyet1", "document.approve") in actions
    assert (f"citizen:{world['A']['id']}", "document.read") in actions
    assert all(e["ip"] == "127.0.0.1" and e["at"] for e in events)
    # Agency B's admin-free view: B's events are not in A's log.
    assert all(e["agency"] in ("000.00.31.H29", None) for e in events)


def test_counter_reuses_a_paper_over_http(world):
    """Done-when of the repository: a new dossier for a citizen whose card was digitized and approved before is
    offered that card, attaches it without a scan, and the citizen sees the reuse in the paper's history."""
    c = world["c"]["quay1"]
    d = c.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": world["A"]["id"]})
    assert d.status_code == 201
    offers = d.json()["offers"]
    assert [(o["component"], [p["id"] for p in o["papers"]]) for o in offers] == [
        ("giay_to_tuy_than", [world["A"]["doc"]])
    ]
    r = c.post(f"/api/dossiers/{d.json()['dossier']}/reuse", json={"document_ids": [world["A"]["doc"]]})
    assert r.status_code == 200, r.text
    row = next(x for x in r.json()["checklist"] if x["component"] == "giay_to_tuy_than")
    assert row["satisfied"] and row["reused"] == [world["A"]["doc"]]
    assert not [w for w in r.json()["warnings"] if w.get("component") == "giay_to_tuy_than"]
    papers = world["c"]["citizenA"].get("/api/me/papers").json()
    history = next(p for p in papers if p["id"] == world["A"]["doc"])["history"]
    assert history[-1]["event"] == "reused" and history[-1]["dossier_code"] == d.json()["code"]
    # Malformed requests are refused with the field named, in JSON.
    r = c.post(f"/api/dossiers/{d.json()['dossier']}/reuse", json={"document_ids": "tất cả"})
    assert r.status_code == 422 and r.json()["error"] == "bad_request" and "document_ids" in r.json()["reason"]
