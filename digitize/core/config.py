"""Settings from environment variables (prefix DIGITIZE_). With none set, everything runs on one machine:
SQLite and a local-disk object store under DIGITIZE_DATA_DIR."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from digitize.core.workdays import parse_holidays


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIGITIZE_", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str = ""  # default: sqlite file in data_dir

    # Object store: "local" (files under data_dir/objects) or "s3" (MinIO or any S3 server through the minio SDK).
    store: str = "local"
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: str = ""  # no default: a store left on MinIO's well-known minioadmin would be anyone's
    s3_secret_key: str = ""
    s3_bucket: str = "digitize"
    s3_secure: bool = False
    s3_region: str = "us-east-1"

    # Intake limits.
    max_pages: int = 200
    max_page_pixels: int = 120_000_000  # an A3 page at 600 dpi is 70 Mpx; past this is a decompression bomb
    max_upload_bytes: int = 512 * 1024 * 1024
    default_dpi: int = 300  # rendering resolution of PDF pages that carry no scanned image

    # Procedure catalog: a folder of document_types*.yaml and procedures*.yaml; empty for the one shipped.
    catalog_dir: Path | None = None

    # Receiving unit of dossiers opened without an account (the CLI), and the time zone of dossier dates.
    unit_code: str = "LOCAL"
    timezone: str = "Asia/Ho_Chi_Minh"

    # Signs download links (local store) and session cookies. Empty: a random key kept in data_dir/secret.key;
    # set it when several machines serve the same data.
    secret_key: str = ""
    link_seconds: int = 300  # lifetime of a download link
    cookie_secure: bool = False  # the session cookie only over HTTPS; on by itself for a request over HTTPS
    # Where citizens reach the service (https://motcua.example.gov.vn), printed on the receipt as where to look a
    # dossier up; empty: the address the receipt was printed from (right unless the counter uses an inner one).
    public_url: str = ""

    # Scale-out: with a Redis URL the API only stores and enqueues, and `digitize worker` processes read the
    # pages (Celery); empty: an in-process pool on this machine.
    redis_url: str = ""
    task_visibility_seconds: int = 600  # a task taken by a worker that vanished is handed out again after this

    # Processing.
    workers: int = max(1, os.cpu_count() or 1)
    ocr_lang: str = "vie"
    # "module:function" reading a page in place of the pipeline (scan/readers.py): a test's fake engine; empty
    # in production, and forced empty where accuracy or speed is measured (scratch below).
    page_reader: str = ""

    # Public holidays beyond the fixed solar ones (Tết, Hùng Kings' day, days in lieu), for the dates the receipt
    # promises: ISO dates separated by commas, as the government announces them each year.
    holidays: str = ""

    @classmethod
    def scratch(cls, data_dir: Path, workers: int) -> Settings:
        """One machine in a throwaway folder, whatever database, store or queue the environment configures: the
        benchmark and the evaluation run on a server's machine must not write into its data or hand its workers
        their pages."""
        return cls(data_dir=data_dir, workers=workers, database_url="", store="local", redis_url="", page_reader="")

    @field_validator("holidays")
    @classmethod
    def _holidays_are_dates(cls, v: str) -> str:
        parse_holidays(v)  # a typo is refused at start, not found on a citizen's receipt
        return v

    @model_validator(mode="after")
    def _s3_has_credentials(self) -> Settings:
        if self.store == "s3" and not (self.s3_access_key and self.s3_secret_key):
            raise ValueError("DIGITIZE_STORE=s3 needs DIGITIZE_S3_ACCESS_KEY and DIGITIZE_S3_SECRET_KEY (no default)")
        return self

    @property
    def holiday_dates(self) -> frozenset[date]:
        return parse_holidays(self.holidays)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            # The PostgreSQL driver is psycopg 3; a plain postgresql:// URL (as ops tools write it) means it too.
            for plain in ("postgresql://", "postgres://"):
                if self.database_url.startswith(plain):
                    return "postgresql+psycopg://" + self.database_url[len(plain) :]
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'digitize.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
