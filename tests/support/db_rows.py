"""Reading a shop's tables in a test, the same way on SQLite and on PostgreSQL.

Tests check what the database holds with plain SQL; `connect(shop)` stands where
`sqlite3.connect(shop.path)` stood, on either engine, and gives values as SQLite gives them
(dates as ISO text, booleans as 0/1), so the assertions are written once.
"""
from __future__ import annotations

from datetime import date, datetime

from shopkeeper.store.backend import PgRaw


def _plain(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Rows:
    def __init__(self, rows) -> None:
        self.rows = [tuple(_plain(v) for v in row) for row in rows]

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def __iter__(self):
        return iter(self.rows)


class ShopConn:
    """A DB-API connection to the shop's database with sqlite3's calling style (`?` parameters);
    a `with` block commits on success like sqlite3's."""

    def __init__(self, location) -> None:  # noqa: ANN001 - a Shop, a file path or a URL
        engine = getattr(location, "engine", None)
        if engine is None:
            from shopkeeper.services import Shop

            self._own = Shop.open(location)
            engine = self._own.engine
        else:
            self._own = None
        self.postgres = engine.dialect.name == "postgresql"
        self.conn = engine.raw_connection()

    def execute(self, sql: str, params=()) -> _Rows:  # noqa: ANN001
        if self.postgres:
            cursor = PgRaw(self.conn.driver_connection).execute(sql, tuple(params) if not isinstance(params, dict) else params)
        else:
            cursor = self.conn.cursor()
            cursor.execute(sql, params)
        return _Rows(cursor.fetchall() if cursor.description else [])

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()
        if self._own is not None:
            self._own.close()

    def __enter__(self) -> "ShopConn":
        return self

    def __exit__(self, kind, *_exc) -> None:  # noqa: ANN001
        if kind is None:
            self.conn.commit()
        else:
            self.conn.rollback()
        self.close()


def connect(location) -> ShopConn:  # noqa: ANN001
    return ShopConn(location)


def rows(shop, sql: str, *params) -> list[tuple]:  # noqa: ANN001
    with connect(shop) as conn:
        return conn.execute(sql, params).fetchall()


class WriteLockHolder:
    """Another program holding the shop's write lock (an import, a backup, another till):
    SQLite's BEGIN IMMEDIATE on the file, or the shop's advisory lock on PostgreSQL."""

    def __init__(self, shop) -> None:  # noqa: ANN001
        if shop.path is not None:
            import sqlite3

            self.conn = sqlite3.connect(shop.path, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            from shopkeeper.store.backend import WRITE_LOCK_KEY, engine_url
            from sqlalchemy.engine import make_url

            url = make_url(engine_url(shop.url))
            self.conn = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
            self.conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    def release(self) -> None:
        try:
            self.conn.rollback()
        finally:
            self.conn.close()


def hold_write_lock(shop) -> WriteLockHolder:  # noqa: ANN001
    return WriteLockHolder(shop)
