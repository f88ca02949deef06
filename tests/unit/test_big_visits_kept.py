"""The checklist's big orders come from a kept table (store/big_visits.py): after every kind of
write that changes sales, the section must be exactly what the rule computed from the sales gives
(the way the checklist found them before the table: every earlier visit read and its median taken)."""
from __future__ import annotations

import random
from datetime import date, timedelta
from statistics import median

from sqlalchemy import text

from shopkeeper.store.db import reading
from shopkeeper.store.sqlvalues import as_date


def expected(shop, day: date) -> list[tuple]:
    """The big-order rows as of `day` straight from the sales: each customer's latest visit in the
    week before `day` of at least 3× the median of 3 or more earlier visits."""
    start, end = day - timedelta(days=7), day - timedelta(days=1)
    with reading(shop.engine) as session:
        people = {cid for (cid,) in session.execute(text(
            "SELECT id FROM customer WHERE last_purchase_on >= :s AND visit_days >= 4 AND erased_on IS NULL"),
            {"s": start.isoformat()})}
        visits: dict[int, list] = {}
        for cid, on, cents, last in session.execute(text(
                """SELECT customer_id, sold_on, SUM(amount_cents), MAX(id) FROM sale
                   WHERE customer_id IS NOT NULL AND amount_cents >= 0 GROUP BY customer_id, sold_on""")):
            visits.setdefault(cid, []).append((as_date(on), int(cents), int(last)))
    found = {}
    for cid in people:
        for on, cents, last in sorted(visits.get(cid, [])):
            earlier = [c for d, c, _ in visits[cid] if d < on]
            if not start <= on <= end or len(earlier) < 3:
                continue
            usual = median(earlier)
            if cents > 0 and cents >= 3 * usual:
                found[cid] = (cid, on, cents, round(usual), round(cents / usual, 1) if usual else 0.0, len(earlier), last)
    return sorted(found.values(), key=lambda row: (row[1], -row[2], row[0]))


def listed(shop, day: date) -> list[tuple]:
    return [(g.customer_id, g.sold_on, g.amount_cents, g.usual_visit_cents, g.times_usual, g.visits_before, g.sale_id)
            for g in shop.checklist(day).big_orders]


def check(shop, today: date) -> None:
    for back in (0, 1, 3, 6, 9, 20, 35, 50, 65):
        day = today - timedelta(days=back)
        assert listed(shop, day) == expected(shop, day), day


def test_big_orders_match_the_sales_after_every_kind_of_write(shop, make, today):
    rng = random.Random(13)
    people = [make.customer(f"Reg {i}", phones=(f"06 00 00 00 {i:02d}",), on=make.ago(90)) for i in range(8)]
    sales: dict[int, list[int]] = {cid: [] for cid in people}
    for cid in people:  # a few regular visits, then some bigger ones in the last weeks
        for back in sorted(rng.sample(range(25, 80), rng.randint(3, 7)), reverse=True):
            sales[cid].append(make.sale(cid, make.ago(back), rng.choice([1000, 1500, 2000, 2500, 3000])))
        for back in rng.sample(range(1, 24), 3):
            sales[cid].append(make.sale(cid, make.ago(back), rng.choice([100, 2000, 5999, 6000, 7500, 9000, 12000])))
    few = make.customer("Fay Few", on=make.ago(90))  # two visits before a big one: too few to compare
    for back, cents in ((30, 1000), (20, 1000), (3, 9000), (1, 1000)):
        make.sale(few, make.ago(back), cents)
    assert expected(shop, today), "the scenario must hold big orders to compare"
    check(shop, today)
    a, b, c, d = people[:4]
    make.sale(a, make.ago(50), 50)  # a small visit long ago: the median moves down for every later visit
    check(shop, today)
    shop.edit_sale(sales[b][-1], amount_cents=40000, reason="typo", day=today)  # a recent visit becomes big
    shop.edit_sale(sales[b][0], sold_on=make.ago(2), reason="wrong day", day=today)  # a visit moves into the week
    check(shop, today)
    shop.edit_sale(sales[c][-1], customer_id=d, reason="wrong customer", day=today)  # moves between customers
    check(shop, today)
    shop.void_sale(sales[c][0], "typed twice", today)  # an earlier visit goes
    shop.log_refund(sales[a][-1], 100, today, today)  # a refund is no visit: nothing changes
    check(shop, today)
    shop.undo_sale(sales[d][-1], day=today)
    check(shop, today)
    shop.merge(people[4], people[5])  # two histories become one
    check(shop, today)
