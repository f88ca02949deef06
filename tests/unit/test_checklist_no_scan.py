"""The checklist and lookup never read every sale: their work must not grow with the sales table.

Two shops hold the same customers and the same due first-timers; one also has ~20,000 old sales.
We count SQLite virtual-machine steps (a progress handler called on every instruction) while the
checklist and lookups run: a scan of the sales table would multiply the count, an index does not.
"""
from datetime import timedelta

import pytest
from sqlalchemy import event, insert

from shopkeeper.services import NewCustomer, SaleInput, Shop
from shopkeeper.store.db import writing
from shopkeeper.store.figures import refresh_figures
from shopkeeper.store.models import Sale

OLD_CUSTOMERS = 100


def build(path, today, sales_per_old_customer, walk_ins):
    shop = Shop.open(path)
    for n in range(6):  # due first-timers, identical in both shops
        first = today - timedelta(days=15 + 10 * n)
        cid = shop.create_customer(NewCustomer(f"Due Martin {n}", [f"06 28 23 04 {n:02d}"]), first)
        shop.log_sale(SaleInput(1000 + 500 * n, first, customer_id=cid, item_count=n + 1))
    old_ids = [shop.create_customer(NewCustomer(f"Old Client {n}", [f"07 00 00 {n:04d}"]), today - timedelta(days=800))
               for n in range(OLD_CUSTOMERS)]
    rows = []
    for cid in old_ids:
        for k in range(sales_per_old_customer):
            rows.append({"customer_id": cid, "sold_on": today - timedelta(days=700 - (k * 3) % 580),
                         "amount_cents": 500 + k, "item_count": 1, "on_sale": False, "note": ""})
    for k in range(walk_ins):
        rows.append({"customer_id": None, "sold_on": today - timedelta(days=k % 700),
                     "amount_cents": 700, "item_count": 1, "on_sale": False, "note": ""})
    with writing(shop.engine) as session:
        session.execute(insert(Sale), rows)
        refresh_figures(session, old_ids)
    return shop


def count_steps(shop, action):
    """SQLite VM instructions executed by `action` (after one warm-up run)."""
    counter = {"on": False, "steps": 0}

    def tick():
        if counter["on"]:
            counter["steps"] += 1
        return 0

    def on_connect(dbapi_conn, _record):
        dbapi_conn.set_progress_handler(tick, 1)

    shop.engine.dispose()
    event.listen(shop.engine, "connect", on_connect)
    try:
        action()
        counter["on"] = True
        result = action()
        counter["on"] = False
    finally:
        event.remove(shop.engine, "connect", on_connect)
        shop.engine.dispose()
    return counter["steps"], result


@pytest.fixture(scope="module")
def shops(tmp_path_factory):
    from datetime import date

    today = date(2026, 3, 2)
    folder = tmp_path_factory.mktemp("noscan")
    small = build(folder / "small.sqlite3", today, sales_per_old_customer=2, walk_ins=10)
    big = build(folder / "big.sqlite3", today, sales_per_old_customer=150, walk_ins=5000)
    yield today, small, big
    small.close()
    big.close()


def test_the_big_shop_really_has_many_more_sales(shops):
    _today, small, big = shops
    from sqlalchemy import text

    with small.engine.connect() as a, big.engine.connect() as b:
        assert a.execute(text("SELECT COUNT(*) FROM sale")).scalar() < 300
        assert b.execute(text("SELECT COUNT(*) FROM sale")).scalar() >= 20_000


def test_checklist_work_does_not_grow_with_the_sales(shops):
    today, small, big = shops
    small_steps, small_list = count_steps(small, lambda: small.checklist(today))
    big_steps, big_list = count_steps(big, lambda: big.checklist(today))
    assert small_list.to_json() == big_list.to_json()
    assert len(big_list.second_sale) == 6
    assert big_steps <= 1.5 * small_steps, (small_steps, big_steps)


def test_checklist_for_a_past_day_does_not_scan_either(shops):
    today, small, big = shops
    day = today - timedelta(days=30)
    small_steps, _ = count_steps(small, lambda: small.checklist(day))
    big_steps, _ = count_steps(big, lambda: big.checklist(day))
    assert big_steps <= 1.5 * small_steps, (small_steps, big_steps)


@pytest.mark.parametrize("query", ["0403", "06 28 23", "+33 6 28 23 04 03", "martin", "old client 4"])
def test_lookup_work_does_not_grow_with_the_sales(shops, query):
    today, small, big = shops
    small_steps, small_rows = count_steps(small, lambda: small.lookup(query, today))
    big_steps, big_rows = count_steps(big, lambda: big.lookup(query, today))
    assert [r.name for r in small_rows] == [r.name for r in big_rows] and big_rows
    assert big_steps <= 1.5 * small_steps, (small_steps, big_steps)
