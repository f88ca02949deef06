"""Opening a shop that lives on a PostgreSQL server (several tills): engine, writer lock, schema.

The SQLite side is in db.py. Here: reads run on one snapshot (REPEATABLE READ); every write first
takes the shop's advisory lock, so two tills selling to the same customer at once both count;
an empty database gets the schema on first open, under the same lock, by whichever till comes first.
"""
from __future__ import annotations

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from .backend import WRITE_LOCK_KEY, engine_url, shown_url
from .errors import StoreError

CONNECT_TIMEOUT_S = 5


def make_server_engine(url: str, write_wait_ms) -> Engine:  # noqa: ANN001 - a callable giving the wait
    """An engine on the shop's server: snapshot reads, one writer at a time."""
    engine = create_engine(
        engine_url(url),
        pool_pre_ping=True,  # a server restarted overnight: reconnect instead of failing the first sale
        pool_size=2,
        max_overflow=4,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "shopkeeper"},
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        if conn.get_execution_options().get("write", False):
            # one round trip: how long to wait for another till's write, then the shop's write lock
            conn.exec_driver_sql(f"SELECT set_config('lock_timeout', '{int(write_wait_ms())}', true), "
                                 f"pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        else:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    from .changes import notify_on_commit

    notify_on_commit(engine)  # the other tills hear of each write when it commits (live.py)
    return engine


def _revision(engine: Engine, url: str) -> str | None:
    """The schema revision in the database; None when it holds no tables at all."""
    with engine.connect() as conn:
        tables = set(conn.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")).scalars())
        if not tables:
            return None
        if "alembic_version" not in tables or "customer" not in tables:
            raise StoreError(f"{shown_url(url)} holds other tables: it is not a shopkeeper database")
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    if row is None:
        raise StoreError(f"{shown_url(url)} is not a shopkeeper database (no schema version)")
    return row[0]


def unreachable(url: str, exc: BaseException) -> StoreError:
    """A one-line reason the server could not be used, without the driver's multi-line text."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    reason = detail[0] if detail else type(exc).__name__
    return StoreError(f"cannot open the shop at {shown_url(url)}: {reason}")


def open_server(url: str, head: str, write_wait_ms) -> Engine:  # noqa: ANN001
    """Open (creating the schema if the database is empty) and migrate the shop on a server."""
    try:
        engine_url(url)
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    engine = make_server_engine(url, write_wait_ms)
    try:
        revision = _revision(engine, url)
        if revision != head:
            from .migrate import known_revisions, upgrade_connection

            if revision is not None and revision not in known_revisions():
                raise StoreError(f"{shown_url(url)} was made by a newer shopkeeper (schema {revision}); "
                                 "install the newer version to open it")
            # as a write: the shop's lock first, then READ COMMITTED, so of two tills opening an
            # empty shop at once the second waits, then sees the first one's schema and does nothing
            with engine.execution_options(write=True).begin() as conn:
                upgrade_connection(conn)
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        raise unreachable(url, exc) from None
    except BaseException:
        engine.dispose()
        raise
    return engine
