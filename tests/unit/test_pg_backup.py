"""Backups of a shop on PostgreSQL (issue 12): pg_dump out, pg_restore into a fresh database; refusals;
the daily copy taken once per day by the first till that opens the shop."""
from __future__ import annotations

import os
import stat
from datetime import date, timedelta

import psycopg
import pytest

from shopkeeper.services import NewCustomer, SaleInput, Shop
from shopkeeper.store import pg_backup
from shopkeeper.store.backend import database_name
from shopkeeper.store.errors import StoreError
from shopkeeper.store.writes import LineInput

FIND_TOOL = pg_backup.find_tool


@pytest.fixture(autouse=True)
def _postgresql_only(engine_name):
    if engine_name != "postgresql":
        pytest.skip("pg_dump backups are for a shop on a PostgreSQL server")


def rows_of_every_table(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two databases holding the same shop give the same dict."""
    from shopkeeper.store.pg_backup import _connection

    conninfo, _env = _connection(url)
    with psycopg.connect(conninfo) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]
        return {table: sorted((tuple(map(repr, row)) for row in conn.execute(f'SELECT * FROM "{table}"')))
                for table in tables}


def fill(shop: Shop, today: date) -> None:
    ann = shop.create_customer(NewCustomer("Ann Dupont", ["06 11 22 33 44"], "ann@example.com"), today)
    bob = shop.create_customer(NewCustomer("Bob Martin", referred_by_id=ann), today)
    shop.log_sale(SaleInput(4200, today - timedelta(days=40), customer_id=ann,
                            lines=[LineInput("tea", 2, 2100)], item_count=2))
    shop.log_sale(SaleInput(1500, today, customer_id=bob, note="gift"))
    shop.log_sale(SaleInput(990, today, new_customer=NewCustomer("Chloé Léger")))
    shop.save_settings({"currency": "EUR"})


def test_a_dump_restores_to_the_same_rows_in_a_new_database(shop, today, tmp_path, pg_server, run):
    fill(shop, today)
    dump = tmp_path / "b" / "shop.dump"
    written = shop.backup(dump)
    assert written == dump and dump.read_bytes()[:5] == b"PGDMP"
    assert stat.S_IMODE(os.stat(dump).st_mode) == 0o600
    assert not dump.with_name("shop.dump.partial").exists()
    target = pg_server.url("restored_" + database_name(shop.url))  # does not exist yet: created
    try:
        code, out, err = run("restore", dump, "--db", target)
        assert code == 0, err
        assert "3 customers" in out
        assert rows_of_every_table(target) == rows_of_every_table(shop.url)
        restored = Shop.open(target)  # and it is a working shop: ids continue from the sequences
        assert restored.log_sale(SaleInput(100, today, customer_id=1)) > 3
        restored.close()
    finally:
        pg_server.drop_database(target)


def test_cli_backup_writes_a_dated_dump_in_the_tills_backups_folder(shop, today, tmp_path, run, monkeypatch):
    fill(shop, today)
    monkeypatch.setattr("shopkeeper.paths.default_db_path", lambda: tmp_path / "data" / "shop.sqlite3")
    code, out, err = run("backup", "--db", shop.url)
    assert code == 0, err
    made = list((tmp_path / "data" / "backups").iterdir())
    assert len(made) == 1 and made[0].name.startswith(database_name(shop.url) + "-backup-")
    assert made[0].suffix == ".dump" and str(made[0]) in out
    pg_backup.check_dump(made[0])


@pytest.mark.parametrize("content", [b"", b"hello, not a dump\n", b"SQLite format 3\x00" + b"\x00" * 100])
def test_restore_refuses_a_file_that_is_not_a_dump(shop, tmp_path, pg_server, run, content):
    bad = tmp_path / "bad.dump"
    bad.write_bytes(content)
    target = pg_server.url("never_made")
    code, out, err = run("restore", bad, "--db", target)
    assert code != 0 and err.count("\n") == 1 and "not a PostgreSQL backup" in err
    with psycopg.connect(pg_server.url("postgres")) as conn:
        assert conn.execute("SELECT 1 FROM pg_database WHERE datname = 'never_made'").fetchone() is None


def test_restore_refuses_a_dump_of_another_database(pg_server, tmp_path, run):
    other = pg_server.new_database()
    try:
        with psycopg.connect(other) as conn:
            conn.execute("CREATE TABLE notes (id int primary key, body text)")
            conn.execute("INSERT INTO notes VALUES (1, 'hello')")
        dump = pg_backup.dump_database(other, tmp_path / "notes.dump")
        code, out, err = run("restore", dump, "--db", pg_server.url("never_made_either"))
        assert code != 0 and err.count("\n") == 1 and "another database" in err
    finally:
        pg_server.drop_database(other)


def test_restore_refuses_a_target_that_holds_anything(shop, today, tmp_path, new_location, run):
    fill(shop, today)
    dump = shop.backup(tmp_path / "shop.dump")
    busy = new_location("busy")  # a shop already (the template's schema)
    before = rows_of_every_table(busy)
    code, out, err = run("restore", dump, "--db", busy)
    assert code != 0 and err.count("\n") == 1 and "not empty" in err
    assert rows_of_every_table(busy) == before


def test_an_sqlite_restore_refuses_a_pg_dump_with_a_hint(shop, today, tmp_path, run):
    fill(shop, today)
    dump = shop.backup(tmp_path / "shop.dump")
    code, out, err = run("restore", dump, "--yes", "--db", tmp_path / "shop.sqlite3")
    assert code != 0 and err.count("\n") == 1 and "--db postgresql://" in err


def test_two_tills_opening_the_same_day_take_one_daily_copy(shop, today, tmp_path):
    fill(shop, today)
    other_till = Shop.open(shop.url)
    try:
        folders = [tmp_path / "till1", tmp_path / "till2"]
        old = folders[0] / f"{database_name(shop.url)}-{(today - timedelta(days=30)).isoformat()}.dump"
        old.parent.mkdir()
        old.write_bytes(b"PGDMP")
        made = [pg_backup.daily_dump(till.engine, till.url, folder, today, keep_days=14)
                for till, folder in zip((shop, other_till, shop), folders + folders[:1])]
        assert made[0] is not None and made[1] is None and made[2] is None
        assert [p.name for p in folders[0].iterdir()] == [made[0].name]  # the 30-day-old copy went
        assert not folders[1].exists()
        pg_backup.check_dump(made[0])
        # the next day, the other till comes first
        assert pg_backup.daily_dump(other_till.engine, other_till.url, folders[1], today + timedelta(days=1), 14)
    finally:
        other_till.close()


def test_two_tills_racing_claim_the_day_once(shop, today):
    from concurrent.futures import ThreadPoolExecutor

    tills = [Shop.open(shop.url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(4) as pool:
            claims = list(pool.map(lambda till: pg_backup.claim_day(till.engine, today), tills))
    finally:
        for till in tills:
            till.close()
    assert sorted(claims, key=lambda c: c is None) == ["", None, None, None]


def test_a_failed_daily_copy_gives_the_day_back_and_the_shop_still_opens(shop, today, tmp_path, monkeypatch, caplog):
    fill(shop, today)
    monkeypatch.setattr("shopkeeper.paths.default_db_path", lambda: tmp_path / "data" / "shop.sqlite3")
    monkeypatch.setattr(pg_backup, "find_tool", lambda name: (_ for _ in ()).throw(StoreError(f"{name} not found")))
    assert shop.daily_backup(today) is None
    assert "pg_dump not found" in caplog.text
    monkeypatch.setattr(pg_backup, "find_tool", FIND_TOOL)
    made = shop.daily_backup(today)  # the next open tries again, and succeeds
    assert made is not None and made.exists()
    assert not list(made.parent.glob("*.partial"))


def test_pg_dump_missing_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(pg_backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(pg_backup, "TOOL_DIRS", str(tmp_path / "none" / "*"))
    with pytest.raises(StoreError, match="pg_dump not found"):
        pg_backup.find_tool("pg_dump")
