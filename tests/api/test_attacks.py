"""What an outside attacker tried against `digitize serve --demo`, over real HTTP, on SQLite and on PostgreSQL:
guessing passwords and one-time codes, a page of another origin riding on an officer's session (in a real
browser), and certified copies of papers nobody approved. Each test failed before its fix.

The server's database is opened beside it only to see what the attack left (the failures counted) and to let the
throttling window pass without waiting a quarter of an hour."""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from digitize.core.config import Settings
from digitize.devtools.synth_forms import fake_person
from digitize.people.auth import MAX_FAILURES, MAX_FAILURES_PER_IP, THROTTLE_WINDOW
from digitize.people.demo import DEMO_PASSWORD
from storage.records import Citizen, LoginFailure, make_engine
from tests.support.browser import open_page
from tests.support.cards import card_png
from tests.support.fake_reader import NAME as FAKE_READER
from tests.support.net import free_port
from tests.support.paths import REPO
from tests.support.servers import start_demo_server, wait_done


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Settings]]:
    """Its pages read by the fake engine: the attacks are on the service around the reading, and a card read for
    real cost seconds each (five of them)."""
    tmp = tmp_path_factory.mktemp("attacks")
    proc, url = start_demo_server(tmp, DIGITIZE_PAGE_READER=FAKE_READER, PYTHONPATH=str(REPO))
    try:
        yield url, Settings(data_dir=tmp / "data", database_url=os.environ.get("DIGITIZE_DATABASE_URL", ""))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def db(server) -> Iterator[Session]:
    """The server's database, its failed logins forgotten before each test: every test attacks from 127.0.0.1."""
    engine = make_engine(server[1].sqlalchemy_url)
    with Session(engine) as s:
        s.execute(delete(LoginFailure))
        s.commit()
        yield s
    engine.dispose()


@pytest.fixture
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=60) as c:
        yield c


def staff_login(c: httpx.Client, username: str, password: str) -> httpx.Response:
    return c.post("/api/login", json={"username": username, "password": password})


def let_the_window_pass(db: Session) -> None:
    db.execute(update(LoginFailure).values(at=LoginFailure.at - THROTTLE_WINDOW - timedelta(minutes=1)))
    db.commit()


def test_five_wrong_passwords_hold_the_account_even_for_the_right_one(client, db):
    for n in range(MAX_FAILURES):
        assert staff_login(client, "duyet1", f"doan-bua-{n}").status_code == 401
    r = staff_login(client, "duyet1", DEMO_PASSWORD)
    assert r.status_code == 429, r.text
    body = r.json()
    assert body["error"] == "too_many_attempts" and 0 < body["retry_after"] <= THROTTLE_WINDOW.total_seconds()
    assert r.headers["retry-after"] == str(body["retry_after"]) and "phút" in body["reason_vi"]
    assert len(db.scalars(select(LoginFailure).where(LoginFailure.subject == "duyet1")).all()) == MAX_FAILURES
    # Another account of the same office is not held; its admin sees the attack on the audit log.
    assert staff_login(client, "quantri1", DEMO_PASSWORD).status_code == 200
    events = client.get("/api/audit", params={"user": "duyet1"}).json()
    assert [e["action"] for e in events].count("login.failed") == MAX_FAILURES
    let_the_window_pass(db)
    assert staff_login(client, "duyet1", DEMO_PASSWORD).status_code == 200


def test_one_address_guessing_many_accounts_is_held(client, db):
    for n in range(MAX_FAILURES_PER_IP):  # never twice the same account: only the address counts them
        assert staff_login(client, f"doan{n:03d}", "matkhau123").status_code == 401
    r = staff_login(client, "lanhdao1", DEMO_PASSWORD)
    assert r.status_code == 429 and r.json()["retry_after"] > 0
    let_the_window_pass(db)
    assert staff_login(client, "lanhdao1", DEMO_PASSWORD).status_code == 200


def a_citizen(client: httpx.Client, seed: int) -> str:
    """A citizen with a dossier at quay1's counter and a password of their own."""
    rng = random.Random(seed)
    idn = fake_person(rng, year=(1980, 2000)).id_number(rng.randint(0, 999999))
    assert staff_login(client, "quay1", DEMO_PASSWORD).status_code == 200
    assert client.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": idn}).status_code == 201
    r = client.put(f"/api/citizens/{idn}/password", json={"password": "congdan2026"})
    assert r.status_code == 200, r.text
    return idn


def test_a_one_time_code_dies_after_five_wrong_tries(client, db):
    idn = a_citizen(client, 11)
    code = client.post(f"/api/citizens/{idn}/code").json()["code"]
    wrong = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, MAX_FAILURES + 1)]
    with httpx.Client(base_url=client.base_url, timeout=60) as attacker:
        for guess in wrong:
            assert attacker.post("/api/citizen/login", json={"id_number": idn, "code": guess}).status_code == 401
        held = attacker.post("/api/citizen/login", json={"id_number": idn, "code": code})
        assert held.status_code == 429, held.text
        assert db.get(Citizen, idn).code_hash is None  # the code is gone, not only held for a while
        let_the_window_pass(db)
        assert attacker.post("/api/citizen/login", json={"id_number": idn, "code": code}).status_code == 401
        # The citizen's own password still works, and a new code from the counter does.
        own = attacker.post("/api/citizen/login", json={"id_number": idn, "password": "congdan2026"})
        assert own.status_code == 200
    fresh = client.post(f"/api/citizens/{idn}/code").json()["code"]
    assert client.post("/api/citizen/login", json={"id_number": idn, "code": fresh}).status_code == 200


def test_wrong_citizen_passwords_hold_the_id_number(client, db):
    idn = a_citizen(client, 12)
    for n in range(MAX_FAILURES):
        r = client.post("/api/citizen/login", json={"id_number": idn, "password": f"doan-bua-{n}"})
        assert r.status_code == 401
    r = client.post("/api/citizen/login", json={"id_number": idn, "password": "congdan2026"})
    assert r.status_code == 429 and r.json()["error"] == "too_many_attempts"


def another_origin(page_html: str) -> tuple[ThreadingHTTPServer, str]:
    """A page served from another port of the same host: another origin of the same site, as a second web app of
    the agency would be."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page_html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    port = free_port()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{port}/"


def dossier_count(client: httpx.Client) -> int:
    return len(client.get("/api/dossiers", params={"limit": 1000}).json())


def test_a_page_of_another_origin_cannot_ride_on_the_officers_session(server, browser, client):
    url = server[0]
    assert staff_login(client, "quay1", DEMO_PASSWORD).status_code == 200
    before = dossier_count(client)
    evil, evil_url = another_origin(f"""<!doctype html><title>khuyen mai</title>
<form id="f" method="post" action="{url}/api/dossiers"></form>
<script>
fetch("{url}/api/dossiers", {{method: "POST", credentials: "include", mode: "no-cors"}})
  .catch(() => null).finally(() => document.getElementById("f").submit());
</script>""")
    page = open_page(browser, url, "quay1")  # the officer is logged in at the counter
    try:
        with page.expect_navigation(url=url + "/api/dossiers") as sent:
            page.goto(evil_url)  # and opens a link that someone sent them: the page posts a fetch, then a form
        assert sent.value.status == 403  # the form's answer, shown in the tab
        assert "cross_origin" in page.content() and "trang khác" in page.content()
        assert dossier_count(client) == before  # neither the fetch nor the form opened a dossier
        # The app's own page, in the same browser, still opens one.
        page.goto(url + "/quay")
        own = page.evaluate("fetch('/api/dossiers', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                            " body: '{}'}).then(r => r.status)")  # fmt: skip
        assert own == 201 and dossier_count(client) == before + 1
    finally:
        page.context.close()
        evil.shutdown()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:1"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Origin": "http://127.0.0.1:1"}, 403),  # a browser too old for Sec-Fetch-Site
        ({"Origin": "null"}, 403),  # a sandboxed frame or a file
        ({"Sec-Fetch-Site": "same-origin"}, 201),
        ({}, 201),  # no browser: a script with its own cookie jar
    ],
)
def test_a_cookie_request_is_obeyed_from_its_own_origin_only(client, headers, status):
    assert staff_login(client, "quay1", DEMO_PASSWORD).status_code == 200
    r = client.post("/api/dossiers", json={}, headers=headers)
    assert r.status_code == status, r.text


def test_a_bearer_token_is_not_a_cookie(client):
    token = staff_login(client, "quay1", DEMO_PASSWORD).json()["token"]
    with httpx.Client(base_url=client.base_url, timeout=60) as api:  # a client program: no cookie at all
        r = api.post("/api/dossiers", json={}, headers={"Authorization": f"Bearer {token}", "Origin": "http://x"})
        assert r.status_code == 201, r.text


def received_card(client: httpx.Client, seed: int) -> dict:
    """A card read at the counter and not yet reviewed."""
    png, idn, _ = card_png(seed)
    d = client.post("/api/dossiers", json={"procedure": "1.001193", "citizen_id": idn}).json()
    up = client.post(f"/api/dossiers/{d['dossier']}/files", files=[("files", ("cccd.png", png, "image/png"))])
    assert up.status_code == 202, up.text
    (doc,) = wait_done(client, d["dossier"])["documents"]
    return doc


def test_only_an_approved_paper_has_a_certified_copy(server, client):
    assert staff_login(client, "quay1", DEMO_PASSWORD).status_code == 200
    waiting, refused, approved = (received_card(client, seed) for seed in (21, 22, 23))
    with httpx.Client(base_url=server[0], timeout=60) as reviewer:
        assert staff_login(reviewer, "duyet1", DEMO_PASSWORD).status_code == 200
        r = reviewer.post(f"/api/documents/{refused['id']}/reject", json={"reason": "Ảnh mờ, không đọc được"})
        assert r.status_code == 200, r.text
        assert reviewer.post(f"/api/documents/{approved['id']}/approve", json={"accept_invalid": True}).is_success
        for doc, state in ((waiting, "extracted"), (refused, "rejected")):
            r = reviewer.get(f"/api/documents/{doc['id']}/download")
            assert r.status_code == 409 and r.json()["error"] == "ecopy_not_ready" and r.json()["state"] == state
        link = reviewer.get(f"/api/documents/{approved['id']}/download").json()["url"]
        copy = reviewer.get(link).content
        assert reviewer.get(f"/api/documents/{approved['id']}").json()["signed_by"] == "duyet1"
    with httpx.Client(base_url=server[0], timeout=60) as anyone:
        ok = anyone.post("/api/verify", files={"file": ("ban-sao.pdf", copy, "application/pdf")}).json()
        assert ok["verified"] and ok["state"] == "approved" and ok["signer"] == "Lê Văn Duyệt"


def test_an_officer_with_a_long_name_still_certifies(server, client):
    """A full name past the 64 characters an X.509 name holds broke every copy its officer signed."""
    long_name = "Tôn Nữ Hoàng Phương Thảo Nguyên Công Tằng Tôn Nữ Thị Minh Khai Bảo Châu Ngọc Diệp Anh"
    assert len(long_name) > 64
    assert staff_login(client, "quantri1", DEMO_PASSWORD).status_code == 200
    r = client.post("/api/users", json={"username": "duyetdai", "full_name": long_name, "password": "duyet2026x",
                                         "role": "reviewer"})  # fmt: skip
    assert r.status_code == 201, r.text
    assert staff_login(client, "quay1", DEMO_PASSWORD).status_code == 200
    doc = received_card(client, 24)
    assert staff_login(client, "duyetdai", "duyet2026x").status_code == 200
    r = client.post(f"/api/documents/{doc['id']}/approve", json={"accept_invalid": True})
    assert r.status_code == 200 and r.json()["signed_by"] == "duyetdai", r.text
    copy = client.get(client.get(f"/api/documents/{doc['id']}/download").json()["url"]).content
    ok = client.post("/api/verify", files={"file": ("ban-sao.pdf", copy, "application/pdf")}).json()
    assert ok["verified"] and long_name.startswith(ok["signer"]) and len(ok["signer"].split()) == 10


def test_only_a_counter_that_received_the_citizen_sets_their_password(server, client):
    """A counter of any agency could set any citizen's password or get their code, and the citizen's own
    sessions stayed open: a takeover of the account."""
    idn = a_citizen(client, 13)  # received at quay1's agency
    with httpx.Client(base_url=server[0], timeout=60) as citizen, httpx.Client(base_url=server[0]) as other:
        assert citizen.post("/api/citizen/login", json={"id_number": idn, "password": "congdan2026"}).is_success
        assert staff_login(other, "quay2", DEMO_PASSWORD).status_code == 200  # a counter of another agency
        for r in (other.put(f"/api/citizens/{idn}/password", json={"password": "chiemquyen1"}),
                  other.post(f"/api/citizens/{idn}/code")):  # fmt: skip
            assert r.status_code == 404 and r.json()["error"] == "citizen_not_found", r.text
            assert "code" not in r.json()
        assert citizen.get("/api/me/papers").status_code == 200  # still theirs
        # The agency that received them sets a new one: whoever held the old password is logged out.
        assert client.put(f"/api/citizens/{idn}/password", json={"password": "matkhaumoi2026"}).status_code == 200
        assert citizen.get("/api/me/papers").status_code == 401
        assert citizen.post("/api/citizen/login", json={"id_number": idn, "password": "matkhaumoi2026"}).is_success


def test_after_login_only_a_page_of_this_site(server, browser):
    """`next` led to another site: a backslash is a slash to the browser ("/\\example.org" is "//example.org")."""
    url = server[0]
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        for asked, lands in (("/%5Cexample.org/", "/quay"), ("/%09/example.org/", "/quay"), ("/quay?x=1", "/quay?x=1")):
            page.goto(f"{url}/dang-nhap?next={asked}")
            page.get_by_label("Tên đăng nhập").fill("quay1")
            page.get_by_label("Mật khẩu", exact=True).fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Đăng nhập").locator("visible=true").click()
            page.wait_for_url(lambda u: "/dang-nhap" not in u)
            assert page.url == url + lands
    finally:
        ctx.close()


def test_nul_characters_are_refused_or_dropped_not_a_500(client):
    r = staff_login(client, "quay\x001", DEMO_PASSWORD)
    assert r.status_code == 422 and r.json()["error"] == "bad_request" and "NUL" in r.json()["reason"]
    assert staff_login(client, "quay1", DEMO_PASSWORD).status_code == 200
    d = client.post("/api/dossiers", json={}).json()["dossier"]
    png, _, _ = card_png(25)
    # Built by hand: httpx would write the NUL as "%00".
    part = b'--B\r\nContent-Disposition: form-data; name="files"; filename="the\x00card.png"\r\n'
    body = part + b"Content-Type: image/png\r\n\r\n" + png + b"\r\n--B--\r\n"
    multipart = {"Content-Type": "multipart/form-data; boundary=B"}
    r = client.post(f"/api/dossiers/{d}/files", content=body, headers=multipart)
    assert r.status_code == 202 and r.json()["files"][0]["name"] == "thecard.png", r.text
    assert staff_login(client, "quantri1", DEMO_PASSWORD).status_code == 200
    r = client.get("/api/audit", params={"user": "x\x00"})  # a query reaches SQL too
    assert r.status_code == 422 and r.json()["error"] == "bad_request", r.text


def test_a_password_of_spaces_is_weak(client):
    idn = a_citizen(client, 14)
    r = client.put(f"/api/citizens/{idn}/password", json={"password": " " * 8})
    assert r.status_code == 422 and r.json()["error"] == "weak_password"


def test_figures_of_any_period_answer_with_a_reason(client):
    assert staff_login(client, "lanhdao1", DEMO_PASSWORD).status_code == 200
    for start, end in (("0001-01-01", "9999-12-31"), ("2026-12-01", "2026-11-01"), ("1990-01-01", "1990-02-01")):
        r = client.get("/api/figures", params={"from": start, "to": end})
        assert r.status_code == 422 and r.json()["error"] == "bad_period" and r.json()["reason_vi"], (start, r.text)
    assert client.get("/api/figures", params={"from": "2026-01-01", "to": "2026-12-31"}).status_code == 200


def test_a_figures_table_is_one_csv_file_and_an_unknown_one_is_refused(client):
    assert staff_login(client, "lanhdao1", DEMO_PASSWORD).status_code == 200
    period = {"from": "2026-11-01", "to": "2026-11-30", "format": "csv"}
    r = client.get("/api/figures", params={**period, "table": "officers"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="so-lieu-theo-can-bo_2026-11-01_2026-11-30.csv"' in r.headers["content-disposition"]
    assert r.content.startswith("\ufeffTài khoản,Họ và tên,".encode())
    r = client.get("/api/figures", params={**period, "table": "everything"})
    assert r.status_code == 422 and r.json()["error"] == "bad_table" and "officers" in r.json()["reason_vi"]


def test_pages_cannot_be_framed_or_run_foreign_scripts(client):
    page = client.get("/dang-nhap")
    csp = page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "<script>" not in page.text  # no inline script the policy would block
    api = client.get("/api/procedures")
    assert api.headers["x-content-type-options"] == "nosniff" and api.headers["x-frame-options"] == "DENY"
    assert "content-security-policy" not in client.get("/docs").headers  # Swagger UI's own inline scripts


def test_the_session_cookie_is_secure_over_https(client):
    plain = staff_login(client, "quay1", DEMO_PASSWORD)
    assert "secure" not in plain.headers["set-cookie"].lower()  # a LAN counter on plain HTTP still logs in
    proxied = client.post("/api/login", json={"username": "quay1", "password": DEMO_PASSWORD},
                          headers={"X-Forwarded-Proto": "https"})  # fmt: skip
    assert "secure" in proxied.headers["set-cookie"].lower() and "httponly" in proxied.headers["set-cookie"].lower()


def test_a_try_at_another_agencys_dossier_is_on_its_audit_trail(server, client):
    assert staff_login(client, "quay1", DEMO_PASSWORD).status_code == 200
    d = client.post("/api/dossiers", json={}).json()["dossier"]
    with httpx.Client(base_url=server[0], timeout=60) as other:
        assert staff_login(other, "quay2", DEMO_PASSWORD).status_code == 200
        r = other.get(f"/api/dossiers/{d}")
        assert r.status_code == 404 and r.json()["error"] == "dossier_not_found"
    assert staff_login(client, "quantri1", DEMO_PASSWORD).status_code == 200
    events = client.get("/api/audit", params={"user": "quay2"}).json()
    assert any(e["action"] == "access.refused" and e["object_id"] == d for e in events), events


def test_the_access_log_keeps_no_download_link_or_id_number(server, client):
    idn = a_citizen(client, 15)
    assert client.get(f"/api/citizens/{idn}/papers").status_code == 200
    doc = received_card(client, 26)
    assert staff_login(client, "duyet1", DEMO_PASSWORD).status_code == 200
    assert client.post(f"/api/documents/{doc['id']}/approve", json={"accept_invalid": True}).status_code == 200
    link = client.get(f"/api/documents/{doc['id']}/download").json()["url"]
    assert client.get(link).status_code == 200
    token = link.rsplit("/", 1)[1]
    log = (server[1].data_dir.parent / "server.log").read_text()
    assert "/api/download/…" in log and f"/api/citizens/{idn[:3]}*******{idn[-2:]}/papers" in log
    assert token not in log and idn not in log and doc["owner_id"] not in log
