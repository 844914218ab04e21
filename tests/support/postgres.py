"""PostgreSQL for the suite's second run: with DIGITIZE_TEST_POSTGRES (an URL of a role that may create databases)
every test, and every module-wide fixture, gets a database of its own, given to the code under test as
DIGITIZE_DATABASE_URL. Without it the suite runs on SQLite files in each test's folder."""

from __future__ import annotations

import os
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

# --- PostgreSQL: with DIGITIZE_TEST_POSTGRES (an URL of a role that may create databases) every test, and every
# module-wide fixture, gets a database of its own, given to the code under test as DIGITIZE_DATABASE_URL. Without
# it the suite runs on SQLite files in each test's folder.
PG_ADMIN = os.environ.get("DIGITIZE_TEST_POSTGRES", "")


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
        c.execute(sql)


def _url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def fresh_database(template: str = "") -> tuple[str, str]:
    """A new database: empty, or a copy of `template`."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    _pg(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name, _url(name)


def drop_database(name: str) -> None:
    """FORCE ends what the test left connected. An autovacuum worker on the database belongs to no role, and only
    members of pg_signal_backend may end it (scripts/postgres-up grants that): without it, wait for the worker."""
    import psycopg

    for attempt in range(20):
        try:
            _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 19:
                raise
            time.sleep(0.5)


class Databases:
    """The databases of one test process. Each is a copy of a template migrated once, at head: the code under test
    migrates it all the same at start-up and finds nothing to do, where running every migration took half a second
    a test (an empty one is there for the tests of migrations). Creating and dropping a database take some tenths of
    a second each, so the next copy is made, and used ones dropped, in threads while a test runs; and a database
    given back as it was made (nobody connected, no row, no sequence used, no relation added) is the next test's."""

    def __init__(self) -> None:
        self._copier = ThreadPoolExecutor(1, thread_name_prefix="test-database-copies")
        self._dropper = ThreadPoolExecutor(1, thread_name_prefix="test-database-drops")
        self._template = self._copier.submit(self._make_template)
        self._next: Future | None = None
        self._unused: tuple[str, str] | None = None
        self._dropped: list[Future] = []

    @staticmethod
    def _make_template() -> tuple[str, int]:
        from storage.records import make_engine, migrate

        name, url = fresh_database()
        engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            migrate(engine)
        finally:
            engine.dispose()
        relations = _relations(name)
        _pg(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')  # a copy needs its template left alone
        return name, relations

    def _copy(self) -> tuple[str, str]:
        return fresh_database(self._template.result()[0])

    def take(self, empty: bool = False) -> tuple[str, str]:
        """A database of the test's own (`empty`: without the schema); give it back when done."""
        if empty:
            return fresh_database()
        if self._unused is not None:
            taken, self._unused = self._unused, None
            return taken
        if self._next is None:
            self._next = self._copier.submit(self._copy)
        taken = self._next.result()
        self._next = self._copier.submit(self._copy)
        return taken

    def give_back(self, name: str, url: str) -> None:
        if self._unused is None and _untouched(name, self._template.result()[1]):
            self._unused = (name, url)
        else:
            self._dropped.append(self._dropper.submit(drop_database, name))

    def close(self) -> None:
        left = [self._template.result()[0]]
        if self._next is not None:
            left.append(self._next.result()[0])
        if self._unused is not None:
            left.append(self._unused[0])
        self._dropped += [self._dropper.submit(drop_database, name) for name in left]
        self._copier.shutdown(wait=True)
        self._dropper.shutdown(wait=True)
        for dropped in self._dropped:
            dropped.result()  # a database left behind is said, not ignored


def _connect(name: str):
    import psycopg

    return psycopg.connect(_url(name).replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


_RELATIONS = ("SELECT count(*) FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace "
              "WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")  # fmt: skip


def _relations(name: str) -> int:
    """How many tables, indexes, sequences and views the database has beside the system's."""
    with _connect(name) as c:
        return c.execute(_RELATIONS).fetchone()[0]


def _untouched(name: str, relations: int) -> bool:
    """Nobody else connected, no relation added, every table empty but the schema's version, no sequence used."""
    with _connect(name) as c:
        others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        if c.execute(others).fetchone()[0] or c.execute(_RELATIONS).fetchone()[0] != relations:
            return False
        if c.execute("SELECT count(*) FROM pg_sequences WHERE last_value IS NOT NULL").fetchone()[0]:
            return False
        tables = [t for (t,) in c.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        rows = " UNION ALL ".join(f'(SELECT 1 FROM "{t}" LIMIT 1)' for t in tables if t != "alembic_version")
        return not rows or c.execute(f"SELECT count(*) FROM ({rows}) AS r").fetchone()[0] == 0


# --- Tests that only read (images, text, forms) are marked `reading`: they run once, on SQLite, where a database
# they might open is one that cannot open, so the mark cannot hide a test that needs the database. The PostgreSQL
# run leaves them out; it is there for the SQL.
NO_DATABASE = "sqlite:////nonexistent/a-reading-test-opened-the-database.db"
