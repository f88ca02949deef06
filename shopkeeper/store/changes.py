"""Did another till change the shop? A check cheap enough to make twice a second.

Several tills (processes, app windows, the CLI, a script) share one shop. Each open app asks
`ChangeWatcher.changed()` on a timer and reloads its screen when another connection has committed
since the last call. The app's own writes do not count: it refreshes itself after each of them.

- SQLite: `PRAGMA data_version` on one dedicated connection that never writes; its value changes
  when any other connection commits. The app's own commits are other connections too, so each of
  them is marked as seen right after it lands (a foreign commit already waiting is noted first,
  while the own write still holds the write lock).
- PostgreSQL: every write transaction sends `NOTIFY shopkeeper_changes, '<engine token>'`
  (`notify_on_commit`, delivered on commit, dropped on rollback); the watcher holds its own
  connection doing `LISTEN shopkeeper_changes`, polled without waiting, and ignores its own
  engine's token.

A busy or locked database, or a lost server, never raises here: that tick answers False and a later
one catches up (after a lost PostgreSQL connection, the reconnect answers True: notices may have
been missed).
"""
from __future__ import annotations

import threading
import time
import uuid
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine

CHANNEL = "shopkeeper_changes"
RECONNECT_EVERY_S = 5.0  # a lost PostgreSQL listener is tried again at most this often
_COMMITTED = "shopkeeper.committed_write"  # connection-record flag: a write committed on it
_tokens: "WeakKeyDictionary[Engine, str]" = WeakKeyDictionary()


def _is_write(conn) -> bool:  # noqa: ANN001 - a SQLAlchemy Connection
    """Writes run with the `write` execution option (store.db.writing)."""
    return bool(conn.get_execution_options().get("write", False))


def notify_on_commit(engine: Engine) -> None:
    """Make every write transaction on `engine` tell the other tills when it commits. Call it once
    from make_engine for every engine (calling it again does nothing). PostgreSQL: each write
    transaction starts with `NOTIFY shopkeeper_changes, '<token>'`, sent by the server on commit
    only; the token names this engine so its own watcher can skip its own writes. SQLite: nothing
    to install (the watcher reads data_version)."""
    if engine.dialect.name != "postgresql" or engine in _tokens:
        return
    token = _tokens[engine] = uuid.uuid4().hex

    @event.listens_for(engine, "begin")
    def _notify(conn) -> None:  # noqa: ANN001
        if _is_write(conn):
            conn.exec_driver_sql(f"NOTIFY {CHANNEL}, '{token}'")


def _detached_dbapi(engine: Engine):
    """A DB-API connection of the engine's own kind (its connect-time settings applied), taken
    out of the pool for good: the watcher keeps it for its lifetime."""
    fairy = engine.raw_connection()
    conn = fairy.driver_connection
    fairy.detach()
    return conn


class _SqliteVersion:
    """data_version on a connection that never writes; own commits marked as seen."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lock = threading.Lock()
        self.conn = _detached_dbapi(engine)
        self.conn.execute("PRAGMA busy_timeout=0")  # a locked file skips the tick, never waits
        self.seen = self._version()
        self.foreign = False  # another connection committed before one of ours: still to report
        event.listen(engine, "commit", self._before_own_commit)
        event.listen(engine, "checkin", self._after_own_commit)

    def _version(self) -> int | None:
        try:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]
        except Exception:  # noqa: BLE001 - busy, locked, closed: unknown this time
            return None

    def _before_own_commit(self, conn) -> None:  # noqa: ANN001
        # The write lock is held (BEGIN IMMEDIATE): no other connection can commit until ours has.
        if not _is_write(conn):
            return
        with self.lock:
            version = self._version()
            if version is None or version != self.seen:
                self.foreign = True
            conn.info[_COMMITTED] = True

    def _after_own_commit(self, _dbapi_conn, record) -> None:  # noqa: ANN001
        if record is None or not record.info.pop(_COMMITTED, False):
            return
        with self.lock:
            version = self._version()
            if version is not None:
                self.seen = version

    def changed(self) -> bool:
        with self.lock:
            version = self._version()
            if version is None:
                return False  # busy or locked: the next tick will see it
            changed = self.foreign or version != self.seen
            self.seen, self.foreign = version, False
            return changed

    def close(self) -> None:
        for name, listener in (("commit", self._before_own_commit), ("checkin", self._after_own_commit)):
            if event.contains(self.engine, name, listener):
                event.remove(self.engine, name, listener)
        with self.lock:
            self.conn.close()


class _PostgresNotices:
    """LISTEN on a connection of its own, polled without waiting; own engine's notices skipped."""

    def __init__(self, engine: Engine) -> None:
        notify_on_commit(engine)  # in case make_engine did not: the token is needed here
        self.engine = engine
        self.token = _tokens[engine]
        self.lock = threading.Lock()
        self.conn = None
        self.tried_at = 0.0
        self._listen()

    def _listen(self) -> bool:
        self.tried_at = time.monotonic()
        try:
            conn = _detached_dbapi(self.engine)
            conn.rollback()
            conn.autocommit = True  # LISTEN takes effect at once and no transaction stays open
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception:  # noqa: BLE001 - server gone: tried again later
            self.conn = None
            return False
        self.conn = conn
        return True

    def changed(self) -> bool:
        with self.lock:
            if self.conn is None or self.conn.closed:
                if time.monotonic() - self.tried_at < RECONNECT_EVERY_S:
                    return False
                return self._listen()  # back: changes made meanwhile went unheard, so reload
            try:
                notices = list(self.conn.notifies(timeout=0))
            except Exception:  # noqa: BLE001 - connection lost: listen again on a later tick
                self._drop()
                return False
            return any(notice.payload != self.token for notice in notices)

    def _drop(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001
            pass
        self.conn = None

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                self._drop()


class ChangeWatcher:
    """`changed()`: has another connection committed to the shop since the last call? The first
    state is taken when the watcher is made. Safe to call from any thread; cheap when nothing
    changed (one PRAGMA, or one poll of a socket)."""

    def __init__(self, engine: Engine) -> None:
        self._impl = _PostgresNotices(engine) if engine.dialect.name == "postgresql" else _SqliteVersion(engine)
        self._closed = False

    def changed(self) -> bool:
        return not self._closed and self._impl.changed()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._impl.close()
