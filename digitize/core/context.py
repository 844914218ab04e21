"""What every part of the service works with, built once from the settings: the database's sessions, the object
store, the procedure catalog, the local time zone, locks across processes, and the clock.

Review, the citizen's vault, certification and the dossier service each take this context instead of one another:
nothing needs the whole service to open a transaction or read the catalog. Tests give it a clock of their own.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from digitize.core.config import Settings
from forms.catalog import Catalog, default_catalog, load_catalog
from storage.objects import LocalStore, ObjectStore, S3Store
from storage.records import make_engine, migrate, now


def local_zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=7))  # Vietnam has kept UTC+7 without daylight saving since 1975


def open_store(settings: Settings) -> ObjectStore:
    if settings.store == "s3":
        return S3Store(
            settings.s3_endpoint,
            settings.s3_access_key,
            settings.s3_secret_key,
            settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
    if settings.store == "local":
        return LocalStore(settings.data_dir / "objects")
    raise ValueError(f"DIGITIZE_STORE must be 'local' or 's3', not {settings.store!r}")


@dataclass(frozen=True)
class Context:
    settings: Settings
    sessions: sessionmaker
    store: ObjectStore
    catalog: Catalog
    zone: tzinfo
    clock: Callable[[], datetime] = field(default=now)  # the time now, aware, in UTC

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.sessions() as s, s.begin():
            yield s

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today's date at the counter (Asia/Ho_Chi_Minh), not in UTC: after 17:00 local they differ."""
        return self.clock().astimezone(self.zone).date()

    def migrate(self) -> None:
        """Bring the database's schema to the newest revision: a start-up step of the app, the CLI and workers."""
        migrate(self.sessions.kw["bind"])

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """One holder of `name` at a time, across threads, processes and (on PostgreSQL) machines.

        PostgreSQL: a session advisory lock on a connection of its own, so the work inside uses ordinary
        transactions. SQLite (one machine): an flock on a file beside the database; each holder opens its own
        file description, so threads of one process exclude each other too.
        """
        engine = self.sessions.kw["bind"]
        if engine.dialect.name == "postgresql":
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()
            return
        folder = self.settings.data_dir / "locks"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{name}.lock", "a+b") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


def open_context(settings: Settings, store: ObjectStore | None = None, clock: Callable[[], datetime] = now) -> Context:
    """The context of these settings. The schema is not touched here: call `migrate()` once at start-up."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with suppress(PermissionError):  # the database and the objects in it are nobody else's to read
        settings.data_dir.chmod(0o700)
    catalog = load_catalog(settings.catalog_dir) if settings.catalog_dir else default_catalog()
    return Context(
        settings=settings,
        sessions=sessionmaker(make_engine(settings.sqlalchemy_url), expire_on_commit=False),
        store=store or open_store(settings),
        catalog=catalog,
        zone=local_zone(settings.timezone),
        clock=clock,
    )
