"""Daily automatic backups, kept for N days; restore refuses bad files and saves the current one."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from shopkeeper.services import NewCustomer, SaleInput, Shop
from shopkeeper.store.backup import daily_backup, restore_file
from shopkeeper.store.errors import StoreError

# the SQLite file's own copies; a shop on a server is backed up with pg_dump (test_pg_backup.py)
pytestmark = pytest.mark.sqlite_only


@pytest.mark.sqlite_only
def test_first_open_of_the_day_backs_up_once_and_old_copies_go(shop, today):
    shop.create_customer(NewCustomer("Ann"), today)
    folder = shop.path.parent / "backups"
    for age in (20, 15, 3):
        old = folder / f"{shop.path.stem}-{(today - timedelta(days=age)).isoformat()}.sqlite3"
        folder.mkdir(exist_ok=True)
        old.write_bytes(b"")
    made = daily_backup(shop.path, today, keep_days=14)
    assert made is not None and made.exists()
    assert daily_backup(shop.path, today, keep_days=14) is None  # second open the same day: no copy
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{shop.path.stem}-{(today - timedelta(days=3)).isoformat()}.sqlite3", made.name]
    with sqlite3.connect(made) as conn:
        assert conn.execute("SELECT name FROM customer").fetchall() == [("Ann",)]


@pytest.mark.sqlite_only
def test_restore_replaces_the_database_and_keeps_the_current_one(shop, today, tmp_path):
    ann = shop.create_customer(NewCustomer("Ann"), today)
    shop.log_sale(SaleInput(1000, today, customer_id=ann))
    copy = shop.backup(tmp_path / "copy.sqlite3")
    shop.log_sale(SaleInput(2000, today, customer_id=ann))
    shop.close()
    saved = restore_file(copy, shop.path, "20260302-120000")
    assert saved is not None and saved.exists()
    reopened = Shop.open(shop.location)
    assert reopened.card(ann, today).total_spend_cents == 1000
    with sqlite3.connect(saved) as conn:
        assert conn.execute("SELECT SUM(amount_cents) FROM sale").fetchone() == (3000,)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("content", [b"", b"hello, not a database\n", b"SQLite format 3\x00" + b"\x00" * 200])
def test_restore_refuses_what_is_not_a_good_shopkeeper_database(shop, tmp_path, content):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    before = shop.path.read_bytes()
    with pytest.raises(StoreError):
        restore_file(bad, shop.path, "x")
    assert shop.path.read_bytes() == before


@pytest.mark.sqlite_only
def test_restore_refuses_another_apps_sqlite_file(shop, tmp_path):
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    with pytest.raises(StoreError, match="not a shopkeeper database"):
        restore_file(other, shop.path, "x")
