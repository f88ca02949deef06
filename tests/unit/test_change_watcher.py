"""The change watcher behind live updates across tills: another connection's commit is noticed,
this engine's own writes, rollbacks and reads are not — on SQLite (data_version) and on
PostgreSQL (LISTEN/NOTIFY, skipped with its reason where PostgreSQL is not installed)."""
from __future__ import annotations

import sqlite3
import time
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from shopkeeper.services import NewCustomer, Shop
from shopkeeper.store import changes
from shopkeeper.store.changes import ChangeWatcher, notify_on_commit
from shopkeeper.store.db import make_engine, reading, writing
from support.pg_server import pg_missing, pg_server


@pytest.fixture(scope="module")
def pg_url():
    reason = pg_missing()
    if reason:
        pytest.skip(reason)
    with pg_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def tills(request, tmp_path):
    """Two engines on one database, as two tills hold them: (ours, theirs)."""
    if request.param == "sqlite":
        engines = [make_engine(tmp_path / "shop.sqlite3") for _ in range(2)]
    else:
        url = request.getfixturevalue("pg_url")
        engines = [create_engine(url) for _ in range(2)]
        for engine in engines:
            notify_on_commit(engine)  # what make_engine does for a PostgreSQL shop
    with writing(engines[0]) as session:
        session.execute(text("DROP TABLE IF EXISTS till_note"))
        session.execute(text("CREATE TABLE till_note (n INTEGER)"))
    yield engines
    for engine in engines:
        engine.dispose()


def write(engine, n: int = 1) -> None:
    with writing(engine) as session:
        session.execute(text("INSERT INTO till_note (n) VALUES (:n)"), {"n": n})


@pytest.fixture
def watcher(tills):
    made = ChangeWatcher(tills[0])
    yield made
    made.close()


def settled(watcher: ChangeWatcher, wait_s: float = 2.0) -> bool:
    """changed(), asked until it says True or `wait_s` passed (a notice crosses a socket)."""
    deadline = time.monotonic() + wait_s
    while True:
        if watcher.changed():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)


def test_nothing_changed_is_false(watcher):
    assert not watcher.changed()
    assert not watcher.changed()


def test_another_connections_commit_fires_once(tills, watcher):
    write(tills[1])
    assert settled(watcher)
    assert not settled(watcher, 0.2)


def test_own_writes_do_not_fire(tills, watcher):
    write(tills[0])
    write(tills[0], 2)
    assert not settled(watcher, 0.3)


def test_a_rollback_does_not_fire(tills, watcher):
    with pytest.raises(RuntimeError), writing(tills[1]) as session:
        session.execute(text("INSERT INTO till_note (n) VALUES (3)"))
        raise RuntimeError("the sale form was cancelled")
    assert not settled(watcher, 0.3)
    with reading(tills[0]) as session:
        assert session.execute(text("SELECT COUNT(*) FROM till_note")).scalar() == 0


def test_another_connections_reads_do_not_fire(tills, watcher):
    with reading(tills[1]) as session:
        session.execute(text("SELECT COUNT(*) FROM till_note")).scalar()
    assert not settled(watcher, 0.3)


def test_their_commit_is_not_hidden_by_our_next_write(tills, watcher):
    write(tills[1])  # the other till sells…
    write(tills[0])  # …and we write before the next tick
    assert settled(watcher)
    assert not settled(watcher, 0.2)


def test_a_closed_watcher_says_nothing(tills):
    watcher = ChangeWatcher(tills[0])
    watcher.close()
    write(tills[1])
    assert not watcher.changed()
    write(tills[0])  # its hooks are gone: writes go on


def test_a_locked_sqlite_file_skips_the_tick_without_waiting(tmp_path):
    engine = make_engine(tmp_path / "shop.sqlite3")
    write_engine = make_engine(tmp_path / "shop.sqlite3")
    with writing(engine) as session:
        session.execute(text("CREATE TABLE till_note (n INTEGER)"))
    watcher = ChangeWatcher(engine)
    holder = sqlite3.connect(tmp_path / "shop.sqlite3", isolation_level=None)
    try:
        holder.execute("PRAGMA journal_mode=DELETE")  # a program that takes the file for itself
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO till_note (n) VALUES (1)")
        started = time.monotonic()
        assert not watcher.changed()  # busy: this tick is skipped
        assert time.monotonic() - started < 0.5
    finally:
        holder.execute("COMMIT")
        holder.execute("PRAGMA journal_mode=WAL")
        holder.close()
    assert watcher.changed()  # the next tick sees what was written meanwhile
    watcher.close()
    engine.dispose()
    write_engine.dispose()


def test_a_lost_postgresql_listener_listens_again_and_reports_a_change(pg_url, monkeypatch):
    ours, theirs = create_engine(pg_url), create_engine(pg_url)
    notify_on_commit(theirs)
    watcher = ChangeWatcher(ours)
    try:
        monkeypatch.setattr(changes, "RECONNECT_EVERY_S", 0.0)
        with theirs.connect() as conn:  # the server drops the listening connection
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"))
            conn.commit()
        # no exception; once the loss is seen it listens again and, as what happened meanwhile
        # is unknown, answers True (the screen reloads)
        assert settled(watcher)
        assert not settled(watcher, 0.2)
        with writing(theirs) as session:
            session.execute(text("SELECT 1"))
        assert settled(watcher)
    finally:
        watcher.close()
        ours.dispose()
        theirs.dispose()


def test_a_shop_hears_another_tills_sale_and_rereads_its_settings(tmp_path, today):
    ours, theirs = Shop.open(tmp_path / "shop.sqlite3"), Shop.open(tmp_path / "shop.sqlite3")
    try:
        ours.watch_changes()
        assert ours.settings.shop_name != "Corner Shop"
        ours.create_customer(NewCustomer("Ann"), today)
        assert not ours.changed_elsewhere()
        theirs.save_settings({"shop_name": "Corner Shop"})
        theirs.create_customer(NewCustomer("Bea"), date(2026, 3, 1))
        assert ours.changed_elsewhere()
        assert ours.settings.shop_name == "Corner Shop"
        assert not ours.changed_elsewhere()
    finally:
        ours.close()
        theirs.close()
