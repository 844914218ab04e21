"""The schema comes from Alembic: migrations match the models, and a database of the earlier schema keeps its
rows through the upgrade (including one made by create_all before migrations existed)."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from storage.records import Base, alembic_config, make_engine, migrate, outside_models


def schema_diff(conn) -> list:
    """What the models and the migrated schema disagree on (the full-text index's own tables left out)."""
    return compare_metadata(MigrationContext.configure(conn, opts={"include_object": outside_models}), Base.metadata)


def test_migrations_match_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    migrate(engine)
    with engine.connect() as conn:
        diff = schema_diff(conn)
    assert diff == []


def test_upgrade_keeps_rows_of_the_earlier_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0001")
    old = create_engine(url)
    with old.begin() as c:
        c.execute(text("INSERT INTO dossiers (id, procedure, status, created_at, updated_at) "
                       "VALUES ('d1', '1.001193', 'done', '2026-01-01', '2026-01-01')"))  # fmt: skip
        c.execute(text("INSERT INTO documents (dossier_id, type, pages, confidence, fields) "
                       "VALUES ('d1', 'can_cuoc', '[0]', 0.9, '{}')"))  # fmt: skip
    old.dispose()
    engine = make_engine(url)
    migrate(engine)
    with engine.connect() as c:
        row = c.execute(text("SELECT type, state, is_result, invalid_fields, name FROM documents")).one()
        assert tuple(row) == ("can_cuoc", "extracted", 0, 0, "")
        assert c.execute(text("SELECT code, agency_code FROM dossiers")).one() == (None, None)
        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head


def test_database_from_before_migrations_is_stamped_and_upgraded(tmp_path):
    url = f"sqlite:///{tmp_path / 'pre.db'}"
    command.upgrade(alembic_config(url), "0001")  # the same tables create_all made
    pre = create_engine(url)
    with pre.begin() as c:
        c.execute(text("DROP TABLE alembic_version"))
    pre.dispose()
    engine = make_engine(url)
    migrate(engine)
    assert {"users", "audit_events", "reuses"} <= set(inspect(engine).get_table_names())


def test_suite_database_is_the_one_asked_for(tmp_path):
    """With DIGITIZE_TEST_POSTGRES the suite must really run on PostgreSQL, not silently on SQLite."""
    from digitize.core.config import Settings
    from digitize.dossiers.service import open_service
    from tests.support.postgres import PG_ADMIN

    svc = open_service(Settings(data_dir=tmp_path / "data", workers=1))
    dialect = svc.ctx.sessions.kw["bind"].dialect.name
    svc.close()
    assert dialect == ("postgresql" if PG_ADMIN else "sqlite")


@pytest.mark.empty_database  # every migration run on PostgreSQL here, not on the suite's migrated template
def test_migrations_match_models_on_the_suite_database(tmp_path):
    """The same check on whatever database the suite runs on (PostgreSQL in its second run)."""
    from digitize.core.config import Settings

    (tmp_path / "data").mkdir()
    engine = make_engine(Settings(data_dir=tmp_path / "data").sqlalchemy_url)
    migrate(engine)
    migrate(engine)  # a second start finds the schema at head
    with engine.connect() as conn:
        diff = schema_diff(conn)
    engine.dispose()
    assert diff == []
