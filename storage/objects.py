"""Object store: one interface, two implementations.

`LocalStore` keeps objects as files under a folder (the embedded default); `S3Store` talks to MinIO or any S3
server through the minio SDK. Both write whole objects only: the local one writes a temporary file and renames
it, S3 makes an object visible only once its upload completes, so a reader never sees half an object.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

log = logging.getLogger("digitize.store")


class ObjectNotFound(KeyError):
    pass


class StoreUnavailable(RuntimeError):
    """The store cannot be reached or refused the operation; nothing was written."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def original_key(sha256: str) -> str:
    return f"originals/{sha256}"


def check_key(key: str) -> str:
    """Keys are relative POSIX paths without '..': they double as file paths in the local store."""
    p = PurePosixPath(key)
    if not key or p.is_absolute() or ".." in p.parts or key.endswith("/") or "\\" in key:
        raise ValueError(f"bad object key: {key!r}")
    return key


def content_disposition(filename: str, inline: bool = False) -> str:
    """A Content-Disposition header for any file name: an ASCII fallback plus the UTF-8 name (RFC 6266), since
    header values are Latin-1 and names like "hồ sơ.pdf" are the rule here."""
    from urllib.parse import quote

    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


class ObjectStore(ABC):
    @abstractmethod
    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    @abstractmethod
    def get(self, key: str) -> bytes: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[str]: ...

    def size(self, key: str) -> int:
        return len(self.get(key))

    def put_original(self, data: bytes, content_type: str = "application/octet-stream") -> tuple[str, bool]:
        """Store upload bytes under their SHA-256; (sha256, True if they were new). Same bytes, one object."""
        digest = sha256_hex(data)
        key = original_key(digest)
        if self.exists(key):
            return digest, False
        self.put(key, data, content_type)
        return digest, True

    def local_path(self, key: str) -> Path | None:
        """A file holding the object when the store is on this disk, else None (the caller downloads)."""
        return None

    def presigned_url(self, key: str, seconds: int, filename: str, content_type: str) -> str | None:
        """A URL that fetches the object without credentials for `seconds`; None when the store has none (the
        service then hands out its own signed link)."""
        return None


class LocalStore(ObjectStore):
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def list(self, prefix: str = "") -> Iterator[str]:
        for p in sorted(self.root.rglob("*")):
            if p.is_file() and not p.name.startswith(".tmp-"):
                key = p.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield key

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None


class S3Store(ObjectStore):
    """MinIO/S3 through the minio SDK; the bucket is created on first use."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool = False,
        region: str = "us-east-1",
    ):
        from minio import Minio
        from urllib3 import PoolManager, Retry, Timeout

        # Short timeouts and few retries: a dead endpoint must give a clear refusal quickly, not hang an upload.
        http = PoolManager(timeout=Timeout(connect=5, read=60), retries=Retry(total=2, backoff_factor=0.2))
        self.client = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region, http_client=http
        )
        self.bucket = bucket
        self._ready = False

    def _call(self, fn, *args, **kwargs):
        from minio.error import S3Error
        from urllib3.exceptions import HTTPError

        try:
            if not self._ready:
                if not self.client.bucket_exists(self.bucket):
                    self.client.make_bucket(self.bucket)
                    self._keep_versions()
                self._ready = True
            return fn(*args, **kwargs)
        except S3Error:
            raise
        except (HTTPError, OSError) as exc:
            raise StoreUnavailable(f"object store unreachable: {exc}") from exc

    def _keep_versions(self) -> None:
        """Versioning on the new bucket: an object overwritten (a dossier's fields read again, a page re-stored)
        can be recovered with any S3 tool. A server without it (a single-drive MinIO) keeps the bucket as is."""
        from minio.error import S3Error
        from minio.versioningconfig import ENABLED, VersioningConfig

        try:
            self.client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED))
        except S3Error as exc:
            log.warning("bucket %s: versioning refused by the server (%s); overwritten objects are lost", self.bucket,
                        exc.code)  # fmt: skip

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        self._call(
            self.client.put_object, self.bucket, check_key(key), io.BytesIO(data), len(data), content_type=content_type
        )

    def get(self, key: str) -> bytes:
        from minio.error import S3Error

        try:
            resp = self._call(self.client.get_object, self.bucket, check_key(key))
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                raise ObjectNotFound(key) from exc
            raise
        try:
            return resp.read()
        finally:
            resp.close()
            resp.release_conn()

    def exists(self, key: str) -> bool:
        from minio.error import S3Error

        try:
            self._call(self.client.stat_object, self.bucket, check_key(key))
            return True
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return False
            raise

    def size(self, key: str) -> int:
        from minio.error import S3Error

        try:
            return int(self._call(self.client.stat_object, self.bucket, check_key(key)).size)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                raise ObjectNotFound(key) from exc
            raise

    def delete(self, key: str) -> None:
        self._call(self.client.remove_object, self.bucket, check_key(key))

    def presigned_url(self, key: str, seconds: int, filename: str, content_type: str) -> str | None:
        from datetime import timedelta

        headers = {"response-content-type": content_type, "response-content-disposition": content_disposition(filename)}
        return self._call(self.client.presigned_get_object, self.bucket, check_key(key),
                          expires=timedelta(seconds=seconds), response_headers=headers)  # fmt: skip

    def list(self, prefix: str = "") -> Iterator[str]:
        objs = self._call(self.client.list_objects, self.bucket, prefix=prefix, recursive=True)
        for o in objs:
            yield o.object_name
