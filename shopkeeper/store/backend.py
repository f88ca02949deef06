"""What differs between the two engines a shop can live on, said once.

SQLite (one file on the shop PC) is the default; PostgreSQL (one server the tills share) is chosen
by giving a `postgresql://` URL wherever a file path goes. Everything else in the store is SQL both
engines run; the few fragments that cannot be (date differences, a name's second word), the raw
driver's parameter style, bulk inserts and new ids are here.
"""
from __future__ import annotations

import re
from pathlib import Path
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

SERVER_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
# One writer per shop at a time on PostgreSQL: every write transaction takes this transaction-level
# advisory lock first (released at commit, rollback, or when a till dies), so kept totals stay exact
# with many tills. The number is arbitrary; advisory locks are per database, i.e. per shop.
WRITE_LOCK_KEY = 0x53484F50  # "SHOP"


def is_server(location: object) -> bool:
    """True for a PostgreSQL URL, False for a file path."""
    return isinstance(location, str) and location.strip().lower().startswith(SERVER_SCHEMES)


def engine_url(url: str) -> str:
    """The SQLAlchemy URL for a shop's server URL: always the psycopg 3 driver."""
    url = url.strip()
    for scheme in SERVER_SCHEMES:
        if url.lower().startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    raise ValueError(f"not a PostgreSQL URL: {url}")


def shown_url(url: str) -> str:
    """The URL as help, settings and messages show it: never the password."""
    from sqlalchemy.engine import make_url

    from urllib.parse import unquote

    parsed = make_url(engine_url(url))
    # "host=/run/postgresql" as typed, not "host=%2Frun%2Fpostgresql"
    return unquote(parsed.set(drivername="postgresql").render_as_string(hide_password=True))


def database_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(engine_url(url)).database or "postgres"


def dialect_of(bind) -> str:  # noqa: ANN001 - a Session, Connection or Engine
    """'sqlite' or 'postgresql' for whatever the SQL will run on."""
    get_bind = getattr(bind, "get_bind", None)
    engine = get_bind() if get_bind else bind
    return engine.dialect.name


def is_pg(bind) -> bool:  # noqa: ANN001
    return dialect_of(bind) == "postgresql"


# --- SQL fragments that differ ---------------------------------------------------------------

def days_between(dialect: str, later: str, earlier: str) -> str:
    """Whole days from `earlier` to `later` (two date expressions)."""
    if dialect == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def month_of(dialect: str, column: str) -> str:
    """'YYYY-MM' of a date expression."""
    if dialect == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def name_rest(dialect: str, column: str = "name_fold") -> str:
    """A name from its second word on ("dupont" of "marie dupont"), as index ix_customer_name_rest
    is written on each engine."""
    if dialect == "postgresql":
        return f"substr({column}, strpos({column}, ' ') + 1)"
    return f"substr({column}, instr({column}, ' ') + 1)"


def join_in_this_order(session) -> str:  # noqa: ANN001
    """A join that reads its left side first: SQLite's CROSS JOIN keeps the order written;
    PostgreSQL's planner chooses well with a plain JOIN (and rejects CROSS JOIN … ON)."""
    return "JOIN" if is_pg(session) else "CROSS JOIN"


# --- the raw driver ---------------------------------------------------------------------------

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _pyformat(sql: str, params: object) -> str:
    """SQL written for sqlite3 (`?` or `:name`) in psycopg's style (`%s`, `%(name)s`)."""
    if params is None:
        return sql
    sql = sql.replace("%", "%%")
    if isinstance(params, dict):
        return _NAMED.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")


class PgRaw:
    """psycopg's connection seen as sqlite3's: execute/executemany with `?` or `:name` SQL, so the
    store's bulk queries are written once."""

    def __init__(self, conn) -> None:  # noqa: ANN001
        self.conn = conn

    def execute(self, sql: str, params: object = None):
        cursor = self.conn.cursor()
        cursor.execute(_pyformat(sql, params), params)
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence]):
        rows = list(rows)
        cursor = self.conn.cursor()
        if rows:
            cursor.executemany(_pyformat(sql, rows[0]), rows)
        return cursor


def raw(session):  # noqa: ANN001
    """The DB-API connection under the session's transaction, with sqlite3's calling style."""
    conn = session.connection().connection.driver_connection
    return PgRaw(conn) if is_pg(session) else conn


def insert_rows(session, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:  # noqa: ANN001
    """Many rows into one table inside the session's transaction: COPY on PostgreSQL (the fastest
    way in), executemany on SQLite."""
    if not rows:
        return
    if is_pg(session):
        conn = session.connection().connection.driver_connection
        with conn.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    raw(session).executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def insert_rows_together(session, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:  # noqa: ANN001
    """`insert_rows` for a table with a full-text trigger (customer): on SQLite, up to 1,000 rows
    per INSERT statement instead of one. SQLite's full-text index writes its pending entries out at
    the end of every statement that fires the trigger, so one row per statement made a segment per
    customer and then merged them: 88,000 new customers took ~10 s, together well under one. The
    rows, and what the index finds, are the same (its internal pages are laid out differently)."""
    if not rows or is_pg(session):
        insert_rows(session, table, columns, rows)
        return
    import sqlite3

    conn = raw(session)
    per = max(1, min(1000, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns)))
    one = "(" + ", ".join("?" * len(columns)) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    for start in range(0, len(rows), per):
        part = rows[start:start + per]
        conn.execute(head + ", ".join([one] * len(part)), [value for row in part for value in row])


@contextmanager
def page_cache_for(session, rows: int) -> Iterator[None]:  # noqa: ANN001
    """A big write's page cache on SQLite: ~256 bytes per row written, up to 256 MB, for the
    transaction, then back to what it was. Inserting 1,000,000 sales puts each one at a random
    place of the import-key index (~60 MB); in SQLite's default 2 MB cache those pages were
    written out and read back all along (the sale inserts took 2-3 times as long). The cache
    only holds pages: what is written is the same. PostgreSQL: nothing to do."""
    kib = min(256 * 1024, rows // 4)
    if is_pg(session) or kib <= 2000:  # SQLite's default is 2,000 KiB
        yield
        return
    conn = raw(session)
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size=-{kib}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size={int(before)}")


def next_ids(session, table: str, count: int) -> list[int]:  # noqa: ANN001
    """`count` new ids for `table`, for rows written in bulk with their ids. PostgreSQL takes them
    from the table's sequence (so the ORM's later inserts never collide with them); SQLite, whose
    writer holds the only write lock, from the largest id."""
    if count <= 0:
        return []
    conn = raw(session)
    if is_pg(session):
        rows = conn.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, ?)", (count,)).fetchall()
        return [int(row[0]) for row in rows]
    start = int(conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]) + 1
    return list(range(start, start + count))


def folder_for_files(location: object, data_folder: Path) -> Path:
    """Where the files that go with a shop live (log, backups): beside its SQLite file, or in the
    user's data folder for a shop on a server."""
    return data_folder if is_server(location) else Path(location).parent
