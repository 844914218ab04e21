"""The API over real HTTP: `digitize serve` in its own process on a free port, upload to finished dossier."""

from __future__ import annotations

import hashlib
import io
import uuid

import httpx
import pytest
from pypdf import PdfReader

from digitize.devtools import synth
from tests.support.s3 import s3_settings
from tests.support.servers import login, start_demo_server, wait_done


@pytest.fixture(scope="module", params=["local", "s3"])
def server(request, tmp_path_factory):
    """One server per store for the module's tests, each on dossiers of its own: a server's start is seconds."""
    tmp_path = tmp_path_factory.mktemp("api")
    env = {}
    if request.param == "s3":
        s3 = s3_settings(request.getfixturevalue("s3_endpoint"))
        env = {
            "DIGITIZE_STORE": "s3",
            "DIGITIZE_S3_ENDPOINT": s3["endpoint"],
            "DIGITIZE_S3_ACCESS_KEY": s3["access_key"],
            "DIGITIZE_S3_SECRET_KEY": s3["secret_key"],
            "DIGITIZE_S3_SECURE": "1" if s3["secure"] else "0",
            "DIGITIZE_S3_BUCKET": f"api-{uuid.uuid4().hex[:10]}",
        }
    proc, url = start_demo_server(tmp_path, **env)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_upload_to_finished_dossier(server, pages3):
    p0, p1, p2 = pages3
    pdf = synth.images_to_pdf([p0.image, synth.turn(p1.image, 90), p2.image])
    with httpx.Client(base_url=server, timeout=60) as c:
        login(c)
        r = c.post(
            "/api/scan", files=[("files", ("hồ sơ.pdf", pdf, "application/pdf"))], data={"procedure": "1.001193"}
        )
        assert r.status_code == 202, r.text
        body = r.json()
        assert body["files"][0]["sha256"] == hashlib.sha256(pdf).hexdigest() and body["files"][0]["pages"] == 3
        st = wait_done(c, body["dossier"])
        assert st["status"] == "done", st
        d = body["dossier"]
        assert [p["rotation"] for p in st["pages"]] == [0, 90, 0]
        assert st["procedure"] == "1.001193"

        result = c.get(f"/api/dossiers/{d}/result").json()
        assert {"dossier", "procedure", "pages", "documents"} <= set(result)
        assert result["pages"] == st["pages"]

        r = c.get(f"/api/dossiers/{d}/searchable.pdf")
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(r.content))
        assert len(reader.pages) == 3
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in reader.pages[1].extract_text()

        png = c.get(f"/api/dossiers/{d}/pages/1/clean.jpg")
        assert png.status_code == 200 and png.content.startswith(b"\xff\xd8")
        assert c.get(f"/api/dossiers/{d}/pages/1/thumb.jpg").content.startswith(b"\xff\xd8")
        text = c.get(f"/api/dossiers/{d}/pages/2/text").text
        assert text == st["pages"][2]["text"] and "ỦY BAN NHÂN DÂN" in text
        words = c.get(f"/api/dossiers/{d}/pages/0/ocr.json").json()["words"]
        assert words and all(len(w["box"]) == 4 for w in words)

        orig = c.get(f"/api/dossiers/{d}/files/1/original")
        assert orig.headers["content-disposition"].endswith("filename*=UTF-8''h%E1%BB%93%20s%C6%A1.pdf")
        assert orig.content == pdf and orig.headers["x-sha256"] == hashlib.sha256(pdf).hexdigest()


def test_bad_inputs_answer_json_and_keep_originals(server):
    with httpx.Client(base_url=server, timeout=60) as c:
        login(c)
        d = c.post("/api/dossiers", json={"procedure": "1.001193"}).json()["dossier"]
        bad = b"%PDF-1.4\ngarbage\n%%EOF\n"
        r = c.post(f"/api/dossiers/{d}/files", files=[("files", ("hong.pdf", bad, "application/pdf"))])
        assert r.status_code == 422
        body = r.json()
        assert body["error"] == "corrupt_pdf" and body["reason"] and body["reason_vi"]
        assert body["files"][0]["stored"] is True
        assert c.get(f"/api/dossiers/{d}/files/1/original").content == bad

        r = c.post(f"/api/dossiers/{d}/files", files=[("files", ("note.txt", b"plain text", "text/plain"))])
        assert r.status_code == 415 and r.json()["error"] == "unsupported_type"

        r = c.post(f"/api/dossiers/{d}/files", files=[("files", ("empty.pdf", b"", "application/pdf"))])
        assert r.status_code == 422 and r.json()["error"] == "empty_file" and r.json()["files"][0]["stored"] is True

        # A good file beside a bad one: accepted, with the bad one's reason in its receipt.
        good = synth.encode(synth.render_page(seed=3, paragraphs=1).image)
        r = c.post(
            f"/api/dossiers/{d}/files",
            files=[("files", ("a.png", good, "image/png")), ("files", ("b.pdf", bad, "application/pdf"))],
        )
        assert r.status_code == 202
        assert [f.get("error") for f in r.json()["files"]] == [None, "corrupt_pdf"]
        st = wait_done(c, d)
        assert len(st["pages"]) == 1
        assert [f.get("error") for f in st["files"]] == ["corrupt_pdf", "unsupported_type", "empty_file", None,
                                                         "corrupt_pdf"]  # fmt: skip

        r = c.get("/api/dossiers/khong-co")
        assert r.status_code == 404 and r.json()["error"] == "dossier_not_found"
        r = c.get(f"/api/dossiers/{d}/pages/99")
        assert r.status_code == 404 and r.json()["error"] == "page_not_found"
        r = c.post(f"/api/dossiers/{d}/files")
        assert r.status_code == 422 and r.json()["error"] == "bad_request"
        assert c.get("/khong-co").json()["error"] == "not_found"


def test_docs_and_openapi(server):
    with httpx.Client(base_url=server, timeout=30) as c:
        docs = c.get("/docs")
        assert docs.status_code == 200 and "cdn" not in docs.text.lower()
        # Swagger UI's script and style come from this server: the counters may have no internet.
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
            assert f"/static-offline-docs/{asset}" in docs.text
            assert c.get(f"/static-offline-docs/{asset}").status_code == 200
        spec = c.get("/openapi.json").json()
        assert "/api/scan" in spec["paths"] and "/api/dossiers/{dossier_id}/searchable.pdf" in spec["paths"]
        # Swagger UI draws a file picker only for `format: binary`: without it no one can upload from /docs.
        body = spec["paths"]["/api/scan"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
        files = spec["components"]["schemas"][body["$ref"].split("/")[-1]]["properties"]["files"]
        assert files["items"]["format"] == "binary"
        assert "Đăng nhập" in c.get("/", follow_redirects=True).text
