"""Short-lived download links. On S3/MinIO they are presigned URLs of the object store itself; on the local store
they are tokens signed with the service's secret key, served by GET /api/download/{token}."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from digitize.core.config import Settings
from digitize.core.errors import DigitizeError
from storage.objects import ObjectStore
from storage.records import now


@dataclass
class Download:
    key: str
    filename: str
    content_type: str


def secret_key(settings: Settings) -> str:
    """The configured key, else one made once and kept in the data folder (so restarts keep links valid)."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # fails if another process made the key first: then that one is used
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def _signer_on(clock: Callable[[], datetime]) -> type[TimestampSigner]:
    """itsdangerous's timestamp signer, telling the time by `clock` (a test's clock makes a link expire at once)."""

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())

    return ClockSigner


class Links:
    def __init__(self, settings: Settings, store: ObjectStore, clock: Callable[[], datetime] = now):
        self.seconds = settings.link_seconds
        self.store = store
        self.signer = URLSafeTimedSerializer(secret_key(settings), salt="digitize-download", signer=_signer_on(clock))

    def make(self, key: str, filename: str, content_type: str) -> dict:
        url = self.store.presigned_url(key, self.seconds, filename, content_type)
        if url is None:
            url = "/api/download/" + self.signer.dumps({"k": key, "n": filename, "t": content_type})
        return {"url": url, "expires_in": self.seconds, "filename": filename}

    def open(self, token: str) -> Download:
        try:
            data = self.signer.loads(token, max_age=self.seconds)
        except SignatureExpired as exc:
            raise DigitizeError(
                "link_expired",
                "the download link has expired; ask for a new one",
                "Đường dẫn tải đã hết hạn; vui lòng lấy đường dẫn mới.",
                status=410,
            ) from exc
        except BadSignature as exc:
            raise DigitizeError("link_invalid", "the download link is not valid",
                                "Đường dẫn tải không hợp lệ.", status=403) from exc  # fmt: skip
        return Download(data["k"], data["n"], data["t"])
