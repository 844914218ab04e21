"""One contract, two object stores: local disk and S3 over real HTTP (SeaweedFS, or MinIO when configured)."""

from __future__ import annotations

import hashlib

import pytest

from storage.objects import LocalStore, ObjectNotFound, S3Store, StoreUnavailable, check_key, original_key


def test_put_get_roundtrip(store):
    data = "Giấy khai sinh – bản chính".encode() * 1000
    store.put("dossiers/d1/pages/0/clean.png", data, "image/png")
    assert store.get("dossiers/d1/pages/0/clean.png") == data
    assert store.exists("dossiers/d1/pages/0/clean.png")
    assert store.size("dossiers/d1/pages/0/clean.png") == len(data)


def test_overwrite_replaces_whole_object(store):
    store.put("k/a", b"first version, longer")
    store.put("k/a", b"second")
    assert store.get("k/a") == b"second"


def test_missing_object(store):
    assert not store.exists("nope/x")
    with pytest.raises(ObjectNotFound):
        store.get("nope/x")


def test_list_by_prefix_and_delete(store):
    for k in ("dossiers/a/1", "dossiers/a/2", "dossiers/b/1", "originals/x"):
        store.put(k, k.encode())
    assert sorted(store.list("dossiers/a/")) == ["dossiers/a/1", "dossiers/a/2"]
    store.delete("dossiers/a/1")
    assert sorted(store.list("dossiers/")) == ["dossiers/a/2", "dossiers/b/1"]
    store.delete("dossiers/a/1")  # deleting twice is fine


def test_original_stored_once_under_sha256(store):
    data = b"%PDF-1.4 the same scan uploaded twice"
    sha, new = store.put_original(data, "application/pdf")
    assert sha == hashlib.sha256(data).hexdigest() and new
    sha2, new2 = store.put_original(data, "application/pdf")
    assert sha2 == sha and not new2
    assert list(store.list("originals/")) == [original_key(sha)]
    assert store.get(original_key(sha)) == data


def test_empty_object(store):
    store.put("empty", b"")
    assert store.get("empty") == b"" and store.exists("empty")


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "dir/", "a\\b"])
def test_bad_keys_refused(key):
    with pytest.raises(ValueError):
        check_key(key)


def test_local_store_leaves_no_temp_files(tmp_path):
    s = LocalStore(tmp_path)
    s.put("a/b", b"x" * 100_000)
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b"]


def test_local_path_only_for_local_store(tmp_path, s3_store):
    s = LocalStore(tmp_path)
    s.put("a", b"1")
    assert s.local_path("a").read_bytes() == b"1"
    s3_store.put("a", b"1")
    assert s3_store.local_path("a") is None


def test_s3_endpoint_down_is_a_clear_refusal():
    from tests.support.net import free_port

    dead = S3Store(f"127.0.0.1:{free_port()}", "k", "s", "bucket")
    with pytest.raises(StoreUnavailable):
        dead.put("a", b"1")


def test_presigned_download_expires_and_resists_tampering(s3_store):
    """A presigned URL fetches the object without credentials, under the name asked for, until it expires; a
    changed signature is refused. The S3 server enforces both (SeaweedFS here; moto checked neither)."""
    import time

    import httpx

    s3_store.put("dossiers/d1/documents/1/ecopy.pdf", b"%PDF-1.7 ban sao", "application/pdf")
    url = s3_store.presigned_url("dossiers/d1/documents/1/ecopy.pdf", 2, "bản sao.pdf", "application/pdf")
    r = httpx.get(url)
    assert r.status_code == 200 and r.content == b"%PDF-1.7 ban sao"
    assert r.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''b%E1%BA%A3n%20sao.pdf" in r.headers["content-disposition"]
    assert "X-Amz-Expires=2" in url and "X-Amz-Signature=" in url
    assert httpx.get(url.replace("X-Amz-Signature=", "X-Amz-Signature=0")).status_code == 403
    deadline = time.monotonic() + 3  # as long as a sleep waited here, but over as soon as the link is refused
    while time.monotonic() < deadline and httpx.get(url).status_code == 200:
        time.sleep(0.2)
    assert httpx.get(url).status_code == 403


def test_a_wrong_secret_is_refused(s3_store, s3_endpoint):
    from minio.error import S3Error

    from tests.support.s3 import s3_settings

    s3_store.put("a", b"1")
    settings = {**s3_settings(s3_endpoint), "secret_key": "not-the-secret"}
    with pytest.raises(S3Error) as refused:
        S3Store(bucket=s3_store.bucket, **settings).get("a")
    assert refused.value.code in ("SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied")


def test_an_overwritten_object_can_be_recovered(s3_store):
    """The store's bucket keeps versions: a dossier's fields read again overwrite the object, the earlier stays."""
    s3_store.put("dossiers/d1/fields.json", b'{"v": 1}', "application/json")
    s3_store.put("dossiers/d1/fields.json", b'{"v": 2}', "application/json")
    assert s3_store.get("dossiers/d1/fields.json") == b'{"v": 2}'
    client, bucket = s3_store.client, s3_store.bucket
    assert client.get_bucket_versioning(bucket).status == "Enabled"
    older = [o.version_id for o in client.list_objects(bucket, prefix="dossiers/d1/fields.json", include_version=True)
             if not o.is_latest or o.is_latest == "false"]  # fmt: skip
    assert len(older) == 1
    assert client.get_object(bucket, "dossiers/d1/fields.json", version_id=older[0]).read() == b'{"v": 1}'


def test_local_store_has_no_presigned_urls(tmp_path):
    assert LocalStore(tmp_path).presigned_url("a/b", 60, "b.pdf", "application/pdf") is None


def test_an_s3_store_has_no_default_credentials():
    """The service used MinIO's well-known minioadmin when none were set: a store anyone could open."""
    from pydantic import ValidationError

    from digitize.core.config import Settings

    with pytest.raises(ValidationError, match="DIGITIZE_S3_ACCESS_KEY and DIGITIZE_S3_SECRET_KEY"):
        Settings(store="s3", s3_access_key="", s3_secret_key="")
    assert Settings(store="s3", s3_access_key="k", s3_secret_key="s").s3_access_key == "k"
