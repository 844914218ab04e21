"""The full-text index of `search_entries`, one per database behind the same four calls: `put` and `remove` entries,
`clear` them all, and `matching` (a query narrowed to the entries holding every word, with a rank).

The words arrive already folded (no case, no diacritics) and split, by the service (digitize.core.text.words), so
both databases index exactly the same words and no extension is needed:

- SQLite: an FTS5 table `search_fts(words)` whose rowid is the entry's id (prefix indexes of 2 and 3 letters for
  the word being typed; remove_diacritics 2 as a second guard, though it leaves "đ" as is, hence the folding);
  ranked by bm25.
- PostgreSQL: a `words` tsvector column of the 'simple' configuration (no stemming, no stop words: names and
  numbers are words too) with a GIN index; ranked by ts_rank_cd.

A query's last word matches as a prefix ("nguyen van kh" finds "Khoa") since people search while typing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Connection, Select, bindparam, column, func, literal_column, select, table, text

from storage.records import SearchEntry

SQLITE_TABLE = "search_fts"


def create_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(words, "
                "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"]  # fmt: skip
    # STORAGE MAIN keeps a page's words (1.5 kB on average) compressed in its row rather than out of line: walking
    # the newest entries, each row's words are then read with it (at 100,000 pages, 275 ms to 115 ms for a
    # three-word name).
    return ["ALTER TABLE search_entries ADD COLUMN words tsvector NOT NULL DEFAULT ''::tsvector",
            "ALTER TABLE search_entries ALTER COLUMN words SET STORAGE MAIN",
            "CREATE INDEX ix_search_entries_words ON search_entries USING gin (words)"]  # fmt: skip


def drop_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TABLE {SQLITE_TABLE}"]
    return ["DROP INDEX ix_search_entries_words", "ALTER TABLE search_entries DROP COLUMN words"]


COLUMNS = ("key", "kind", "dossier_id", "agency_code", "document_id", "page_index", "body")
_UPSERT = (f"INSERT INTO search_entries ({', '.join(COLUMNS)}{{words_column}}) "
           f"VALUES ({', '.join(':' + c for c in COLUMNS)}{{words_value}}) ON CONFLICT (key) DO UPDATE SET "
           + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:]) + "{words_update}")  # fmt: skip
PG_UPSERT = _UPSERT.format(words_column=", words", words_value=", to_tsvector('simple', :words)",
                           words_update=", words = excluded.words")  # fmt: skip
SQLITE_UPSERT = _UPSERT.format(words_column="", words_value="", words_update="")


def put(conn: Connection, entries: Sequence[dict]) -> None:
    """Insert or replace entries by `key`; each is a dict of SearchEntry's columns (but `id`) plus `words`, the
    folded words as one string."""
    if not entries:
        return
    by_key = {e["key"]: {c: e.get(c) for c in (*COLUMNS, "words")} for e in entries}  # the last of a key wins
    rows = list(by_key.values())
    if conn.dialect.name == "postgresql":
        conn.execute(text(PG_UPSERT), rows)
        return
    conn.execute(text(SQLITE_UPSERT), rows)
    ids = dict(
        conn.execute(select(SearchEntry.key, SearchEntry.id).where(SearchEntry.key.in_([r["key"] for r in rows]))).all()
    )
    pairs = [{"id": ids[r["key"]], "w": r["words"]} for r in rows]
    conn.execute(text(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = :id"), pairs)
    conn.execute(text(f"INSERT INTO {SQLITE_TABLE} (rowid, words) VALUES (:id, :w)"), pairs)


def remove(conn: Connection, keys: Iterable[str]) -> None:
    keys = list(keys)
    if not keys:
        return
    if conn.dialect.name == "sqlite":
        stmt = text(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN (SELECT id FROM search_entries WHERE key IN :keys)")
        conn.execute(stmt.bindparams(bindparam("keys", expanding=True)), {"keys": keys})
    conn.execute(SearchEntry.__table__.delete().where(SearchEntry.key.in_(keys)))


def analyze(engine) -> None:
    """Fresh statistics after many entries were written at once (a rebuild, a benchmark's load): PostgreSQL's
    planner then walks the newest entries for a common word instead of scanning all its matches."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE search_entries"))
            conn.execute(text("ANALYZE dossiers"))


def clear(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text(f"DELETE FROM {SQLITE_TABLE}"))
    conn.execute(SearchEntry.__table__.delete())


def match_expression(dialect: str, words: Sequence[str]) -> str:
    """The engine's query for entries holding every word, the last as a prefix. Words are letters and digits only
    (they come from `words()`), so nothing in them needs quoting beyond FTS5's double quotes."""
    if dialect == "sqlite":
        return " ".join(f'"{w}"' for w in words[:-1]) + (" " if len(words) > 1 else "") + f'"{words[-1]}"*'
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def matching(query: Select, dialect: str, words: Sequence[str]) -> tuple[Select, ColumnElement, ColumnElement]:
    """`query` (over SearchEntry) narrowed to the entries holding every word, their rank (lower is better) and
    their recency (the entry's id, higher is newer) as the engine orders it cheapest: on SQLite, FTS5's own rowid,
    which it walks backwards and stops at a LIMIT, where sorting by the entries' id sorted every match first (at
    100,000 pages, 450 ms against 55 ms for a word on every page)."""
    expression = match_expression(dialect, words)
    if dialect == "sqlite":
        fts, whole = table(SQLITE_TABLE, column("rowid")), literal_column(SQLITE_TABLE)  # MATCH and bm25 take the table
        query = query.join(fts, fts.c.rowid == SearchEntry.id)
        query = query.where(whole.op("MATCH")(bindparam("fts_query", expression)))
        return query, func.bm25(whole), fts.c.rowid
    tsquery = func.to_tsquery("simple", bindparam("fts_query", expression))
    words_column = literal_column("search_entries.words")
    return query.where(words_column.op("@@")(tsquery)), -func.ts_rank_cd(words_column, tsquery), SearchEntry.id
