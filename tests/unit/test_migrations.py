"""Every past schema in tests/data opens in the current version, migrated after a backup."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from shopkeeper.services import Shop
from shopkeeper.store.db import SCHEMA_HEAD
from shopkeeper.store.errors import StoreError
from shopkeeper.store.migrate import head_revision

DATA = Path(__file__).resolve().parent.parent / "data"
PAST = sorted(DATA.glob("schema-*.sqlite3"))


def test_schema_head_constant_is_alembic_head():
    assert SCHEMA_HEAD == head_revision()


def test_there_is_a_file_of_the_first_schema():
    assert [p.name for p in PAST][0] == "schema-0001.sqlite3"


@pytest.mark.parametrize("source", PAST, ids=lambda p: p.stem)
def test_past_schema_is_migrated_with_a_backup_and_keeps_its_data(tmp_path, source):
    path = tmp_path / "shop.sqlite3"
    shutil.copy(source, path)
    with sqlite3.connect(path) as conn:
        old_version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        sales_before = conn.execute("SELECT COUNT(*), SUM(amount_cents) FROM sale").fetchone()
        names_before = [row[0] for row in conn.execute("SELECT name FROM customer ORDER BY id")]
    shop = Shop.open(path)
    try:
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
            assert conn.execute("SELECT COUNT(*), SUM(amount_cents) FROM sale").fetchone() == sales_before
            assert [row[0] for row in conn.execute("SELECT name FROM customer ORDER BY id")] == names_before
        backups = list(tmp_path.glob(f"shop.before-{SCHEMA_HEAD}-from-{old_version}.sqlite3"))
        if old_version != SCHEMA_HEAD:
            assert len(backups) == 1
            with sqlite3.connect(backups[0]) as conn:
                assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == old_version
        assert shop.count_customers() == len(names_before)
    finally:
        shop.close()


def test_a_database_from_a_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "shop.sqlite3"
    shutil.copy(PAST[-1], path)
    Shop.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer shopkeeper"):
        Shop.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("source", PAST, ids=lambda p: p.stem)
def test_visit_and_first_day_aggregates_are_filled_from_the_sales_on_migration(tmp_path, source):
    path = tmp_path / "shop.sqlite3"
    shutil.copy(source, path)
    Shop.open(path).close()
    with sqlite3.connect(path) as conn:
        kept = conn.execute(
            "SELECT id, visit_days, first_visit_on, last_visit_on, visit_cents, first_visit_cents FROM customer ORDER BY id"
        ).fetchall()
        recomputed = []
        for (cid,) in conn.execute("SELECT id FROM customer ORDER BY id").fetchall():
            days = conn.execute(
                "SELECT sold_on, SUM(amount_cents) FROM sale WHERE customer_id = ? AND amount_cents >= 0"
                " GROUP BY sold_on ORDER BY sold_on", (cid,)
            ).fetchall()
            recomputed.append((cid, len(days), days[0][0] if days else None, days[-1][0] if days else None,
                               sum(a for _, a in days), days[0][1] if days else 0))
    assert kept == recomputed
    assert any(row[1] >= 2 for row in kept)  # the files do hold repeat visitors
    with sqlite3.connect(path) as conn:
        first_day = conn.execute(
            """SELECT c.first_day_items, c.first_day_on_sale,
                      COALESCE(SUM(s.item_count), 0), COALESCE(MIN(s.on_sale), 0) FROM customer c
               LEFT JOIN sale s ON s.customer_id = c.id AND s.sold_on = c.first_purchase_on AND s.amount_cents > 0
               GROUP BY c.id"""
        ).fetchall()
    assert all((items, on_sale) == (expected_items, expected_on_sale) for items, on_sale, expected_items, expected_on_sale in first_day)
    assert any(items > 1 for items, *_ in first_day)



KEPT = ("first_purchase_on", "second_purchase_on", "last_purchase_on", "purchase_days", "total_spend_cents",
        "first_day_cents", "advocate_since")


@pytest.mark.parametrize("source", PAST, ids=lambda p: p.stem)
def test_corrections_tables_come_with_no_refund_tied_and_the_figures_unchanged(tmp_path, source):
    """0006: sale.refund_of_id (NULL for every old refund, which keeps counting as before),
    sale_void and sale_correction; a migrated shop can refund, edit and void at once."""
    from datetime import date

    path = tmp_path / "shop.sqlite3"
    shutil.copy(source, path)
    with sqlite3.connect(path) as conn:
        before = conn.execute(f"SELECT id, {', '.join(KEPT)} FROM customer ORDER BY id").fetchall()
    shop = Shop.open(path)
    try:
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM sale WHERE refund_of_id IS NOT NULL").fetchone() == (0,)
            assert conn.execute("SELECT COUNT(*) FROM sale WHERE amount_cents < 0").fetchone()[0] > 0  # untied refunds
            assert conn.execute("SELECT COUNT(*) FROM sale_void").fetchone() == (0,)
            assert conn.execute("SELECT COUNT(*) FROM sale_correction").fetchone() == (0,)
            assert conn.execute(f"SELECT id, {', '.join(KEPT)} FROM customer ORDER BY id").fetchall() == before
            sale_id, amount = conn.execute(
                "SELECT id, amount_cents FROM sale WHERE amount_cents > 1 AND customer_id IS NOT NULL ORDER BY id LIMIT 1"
            ).fetchone()
            other = conn.execute("SELECT MAX(id) FROM sale").fetchone()[0]
        today = date(2030, 1, 1)
        shop.void_sale(other, "migrated", today)
        shop.log_refund(sale_id, 1, today, today)
        shop.edit_sale(sale_id, amount_cents=amount + 100, reason="migrated", day=today)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM sale WHERE refund_of_id = ?", (sale_id,)).fetchone() == (1,)
            assert conn.execute("SELECT COUNT(*) FROM sale_correction").fetchone() == (1,)
            assert conn.execute("SELECT sale_id FROM sale_void").fetchall() == [(other,)]
    finally:
        shop.close()


def test_every_migration_from_0001_runs_on_postgresql_one_by_one(request):
    """An empty PostgreSQL database goes up the same chain, one revision at a time (the data
    migrations' SQL runs too), and ends at the head with the trigram name index."""
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, text

    from shopkeeper.store.backend import engine_url
    from shopkeeper.store.db import SCHEMA_HEAD
    from shopkeeper.store.migrate import alembic_config

    server = request.getfixturevalue("pg_server")
    url = server.new_database()  # empty: not copied from the migrated template
    engine = create_engine(engine_url(url))
    try:
        revisions = [r.revision for r in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]
        assert revisions[0] == "0001" and revisions[-1] == SCHEMA_HEAD
        for revision in revisions:
            with engine.begin() as conn:
                config = alembic_config()
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == revision
        with engine.connect() as conn:
            indexes = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'customer'")).scalars())
        assert {"ix_customer_name_trgm", "ix_customer_email_trgm", "ix_customer_name_rest"} <= indexes
    finally:
        engine.dispose()
        server.drop_database(url)
