"""PostgreSQL for the suite's second run: with DIGITIZE_TEST_POSTGRES (an URL of a role that may create databases)
every test, and every module-wide fixture, gets a database of its own, given to the code under test as
DIGITIZE_DATABASE_URL. Without it the suite runs on SQLite files in each test's folder."""

from __future__ import annotations

import os
import time
import uuid

# --- PostgreSQL: with DIGITIZE_TEST_POSTGRES (an URL of a role that may create databases) every test, and every
# module-wide fixture, gets a database of its own, given to the code under test as DIGITIZE_DATABASE_URL. Without
# it the suite runs on SQLite files in each test's folder.
PG_ADMIN = os.environ.get("DIGITIZE_TEST_POSTGRES", "")


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
        c.execute(sql)


def fresh_database() -> tuple[str, str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    _pg(f'CREATE DATABASE "{name}"')
    return name, PG_ADMIN.rsplit("/", 1)[0] + "/" + name


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


# --- Tests that only read (images, text, forms) are marked `reading`: they run once, on SQLite, where a database
# they might open is one that cannot open, so the mark cannot hide a test that needs the database. The PostgreSQL
# run leaves them out; it is there for the SQL.
NO_DATABASE = "sqlite:////nonexistent/a-reading-test-opened-the-database.db"
