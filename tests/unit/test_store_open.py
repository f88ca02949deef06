"""Opening the shop's file: created private and migrated; anything else refused, untouched."""
import os
import sqlite3
import subprocess
import sys

import pytest

from shopkeeper.services import Shop
from shopkeeper.store.db import SCHEMA_HEAD
from shopkeeper.store.errors import StoreError
from shopkeeper.store.migrate import head_revision


def test_schema_head_is_the_alembic_head():
    assert SCHEMA_HEAD == head_revision()


def test_new_file_is_private_wal_and_at_head(tmp_path):
    path = tmp_path / "new" / "shop.sqlite3"
    Shop.open(path).close()
    assert path.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]


def test_reopening_keeps_the_data_and_foreign_keys_are_on(tmp_path, today):
    path = tmp_path / "shop.sqlite3"
    shop = Shop.open(path)
    from shopkeeper.services import NewCustomer

    cid = shop.create_customer(NewCustomer("Zoé", ["0628230455"]), today)
    shop.close()
    again = Shop.open(path)
    assert again.lookup("0455", today)[0].id == cid
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    again.close()


def test_an_sqlite_file_without_tables_is_set_up(tmp_path):
    path = tmp_path / "blank.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("DROP TABLE t")
    shop = Shop.open(path)
    assert shop.count_customers() == 0
    shop.close()


def _other_app(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('hello')")
    conn.close()


def _newer(path):
    Shop.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()


BAD_FILES = {
    "text": (lambda p: p.write_text("name,amount\nZoé,12\n"), "not an SQLite file"),
    "empty": (lambda p: p.write_bytes(b""), "empty file"),
    "folder": (lambda p: p.mkdir(), "folder"),
    "other app": (_other_app, "not a shopkeeper database"),
    "newer": (_newer, "newer shopkeeper"),
}


def snapshot(path):
    if path.is_dir():
        return sorted(os.listdir(path))
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_refused_with_a_reason_and_left_untouched(tmp_path, kind):
    make, message = BAD_FILES[kind]
    path = tmp_path / "shop.sqlite3"
    make(path)
    before = snapshot(path)
    with pytest.raises(StoreError, match=message):
        Shop.open(path)
    assert snapshot(path) == before
    assert not list(tmp_path.glob("*.before-*"))  # no migration backup was taken either


def test_opening_an_up_to_date_file_does_not_import_alembic(tmp_path):
    path = tmp_path / "shop.sqlite3"
    Shop.open(path).close()
    code = (
        "import sys\n"
        "from shopkeeper.services import Shop\n"
        f"Shop.open({str(path)!r}).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.sqlite_only
def test_backup_is_a_consistent_private_copy(shop, make, tmp_path, today):
    cid = make.buyer("Backed up", 20)
    dest = shop.backup(tmp_path / "copies" / "copy.sqlite3")
    assert dest.stat().st_mode & 0o777 == 0o600
    assert not list(dest.parent.glob("*.partial"))
    copy = Shop.open(dest)
    assert copy.card(cid, today).total_spend_cents == 2000
    assert copy.checklist(today).to_json() == shop.checklist(today).to_json()
    copy.close()


def test_two_tills_opening_an_empty_server_shop_at_once_both_open_it(request):
    """The schema is made once: the second till waits for the first one's migration, then finds
    the shop at its head instead of creating the tables again."""
    import threading

    from shopkeeper.services import Shop

    server = request.getfixturevalue("pg_server")
    url = server.new_database()  # empty: no schema yet
    opened, failed = [], []

    def till() -> None:
        try:
            opened.append(Shop.open(url))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            failed.append(exc)

    threads = [threading.Thread(target=till) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert failed == [] and len(opened) == 3
        assert all(shop.count_customers() == 0 for shop in opened)
    finally:
        for shop in opened:
            shop.close()
        server.drop_database(url)
