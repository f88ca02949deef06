"""Opening the shop's database: an SQLite file (engine settings, file checks, migrations on open),
or a PostgreSQL URL, which store/server.py opens. Sessions for reading and writing on either.

What else differs between the engines is in store/backend.py.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from .changes import notify_on_commit
from .errors import StoreBusy, StoreError, is_busy

# The newest schema revision this version of shopkeeper knows. Checked against Alembic's head by a
# test; kept here so opening an up-to-date database never imports Alembic (start-up speed).
SCHEMA_HEAD = "0013"
BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another writer (the till and a script)
OPEN_TIMEOUT_S = 5.0  # opening gives up sooner on a file another program keeps locked
# 64 MB: the hot pages of a 100,000-customer shop. Every mapped page read counts in the app's
# resident memory; at 128 MB the start-up's checklist (big orders, promises, referrals) filled it
# all and the peak went from 136 to 267 MB (with the phone cache, domain/phones.py); the
# checklist took no longer measurably with 64.
MMAP_BYTES = 1 << 26
SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a write in this thread waits for the write lock; None: BUSY_TIMEOUT_MS. The app waits
# briefly and retries off the UI thread, saying the file is busy, instead of freezing for 30 s.
_WRITE_WAIT_MS: ContextVar[int | None] = ContextVar("write_wait_ms", default=None)
BUSY_MESSAGE = "the shop file is busy: another program (an import, a backup?) is writing to it"


def make_engine(path: Path | str) -> Engine:
    """An engine on the file at `path`: WAL, foreign keys on, busy timeout, explicit transactions."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we send BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged sale survives a power cut
        # Read pages straight from the OS file cache instead of copying them into SQLite's small
        # per-connection cache: on a 100,000-customer shop the checklist reads thousands of
        # scattered customer rows, and this halves its time (benchmarks/). Pages are shared by
        # every connection and belong to the OS, which can drop them under memory pressure.
        cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # A writer takes the write lock up front, so a busy database waits instead of failing.
        write = conn.get_execution_options().get("write", False)
        if write:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={_WRITE_WAIT_MS.get() or BUSY_TIMEOUT_MS}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    notify_on_commit(engine)  # other tills hear of each write (PostgreSQL; a no-op on SQLite)
    return engine


@contextmanager
def waiting_at_most(ms: int) -> Iterator[None]:
    """Writes started in this thread inside the block wait at most `ms` for the write lock, then
    raise StoreBusy (instead of the engine's BUSY_TIMEOUT_MS)."""
    token = _WRITE_WAIT_MS.set(ms)
    try:
        yield
    finally:
        _WRITE_WAIT_MS.reset(token)


@contextmanager
def _busy_is_typed() -> Iterator[None]:
    """SQLite's "database is locked" becomes StoreBusy, so callers can tell it from other faults."""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as exc:
        if is_busy(exc):
            raise StoreBusy(BUSY_MESSAGE) from exc
        raise


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only session on one consistent snapshot."""
    with _busy_is_typed(), Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


def driver(session: Session):
    """The DB-API connection under the session's transaction: bulk reads and writes without
    SQLAlchemy's per-row and per-statement work (imports, insights, the checklist). Written in
    sqlite3's style (`?`, `:name`) on both engines (backend.raw)."""
    from .backend import raw

    return raw(session)


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One write transaction: everything inside commits together or not at all."""
    with _busy_is_typed(), Session(engine.execution_options(write=True), expire_on_commit=False) as session:
        with session.begin():
            yield session


def _writable(path: Path) -> bool:
    """Writable, and not marked read-only by its owner (which even root should respect)."""
    return os.access(path, os.W_OK) and bool(os.stat(path).st_mode & 0o200)


def check_file(path: Path) -> bool:
    """Refuse what is not a usable SQLite file; True when the file does not exist yet."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a shopkeeper database")
    if not path.exists():
        parent = path.parent
        if parent.exists() and not _writable(parent):
            raise StoreError(f"cannot create {path}: the folder is not writable")
        return True
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read {path}: permission denied")
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if not head:
        raise StoreError(f"{path} is an empty file, not a shopkeeper database")
    if head != SQLITE_MAGIC:
        raise StoreError(f"{path} is not a shopkeeper database (not an SQLite file)")
    return False


def _create_private_file(path: Path) -> None:
    """Create the database file readable by the owner only, before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def stored_revision(path: Path) -> str | None:
    """The schema revision recorded in the file, None for a file with no tables at all."""
    try:
        # closing(): sqlite3's own `with` only commits; an open reader would keep -wal/-shm files behind
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=OPEN_TIMEOUT_S)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return None
            if "alembic_version" not in tables or "customer" not in tables:
                raise StoreError(f"{path} is an SQLite file but not a shopkeeper database")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise StoreError(f"{path} is locked by another program; close it and try again") from None
        raise StoreError(f"{path} is not a usable shopkeeper database ({exc})") from None
    if row is None:
        raise StoreError(f"{path} is an SQLite file but not a shopkeeper database")
    return row[0]


def _use_wal(path: Path) -> None:
    """Switch the file to write-ahead logging (persistent), refusing a file we cannot write."""
    if not _writable(path):
        raise StoreError(f"cannot write to {path}: the file is read-only")
    try:
        conn = sqlite3.connect(path, timeout=OPEN_TIMEOUT_S, isolation_level=None)
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(f"{path} is locked by another program; close it and try again") from None
        raise StoreError(f"cannot open {path}: {exc}") from None
    if str(mode).lower() != "wal":
        raise StoreError(f"cannot open {path} for writing (journal mode {mode})")


def _write_wait_ms() -> int:
    return _WRITE_WAIT_MS.get() or BUSY_TIMEOUT_MS


def open_database(path: Path | str) -> Engine:
    """Open (creating if needed) and migrate the shop's database, a file or a PostgreSQL URL;
    raise StoreError with a reason."""
    from .backend import is_server

    if is_server(path):
        from .server import open_server

        return open_server(str(path), SCHEMA_HEAD, _write_wait_ms)
    path = Path(path)
    is_new = check_file(path)
    if is_new:
        _create_private_file(path)
        revision = None
    else:
        revision = stored_revision(path)
    _use_wal(path)
    if revision != SCHEMA_HEAD:
        from .migrate import upgrade

        upgrade(path, revision)
    return make_engine(path)
