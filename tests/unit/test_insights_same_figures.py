"""Insights' faster reads give the figures their definitions give (issue 13, item 4): the returning
customers' share by month (now: the day's total less walk-ins less first-visit sales), revenue and
profit by level (levels counted by the database, summed with numpy), the owner's ideal shape and
the top spenders. The expected values are worked out here from the sales as logged, on a shop with
walk-ins, refunds (one of a whole first sale), referrals and sales after the day asked about."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from shopkeeper.domain import profit as pf
from shopkeeper.domain.levels import level_on
from shopkeeper.insights import compute_insights
from shopkeeper.services import NewCustomer, SaleInput
from shopkeeper.store.models import Customer
from sqlmodel import select

D = date(2026, 2, 20)


def _shop(shop, today):
    """40 customers over 14 months, seeded; returns every sale as (customer, day, cents, refunds)."""
    rng = random.Random(13)
    sales: list[list] = []  # [customer or None, day, cents, refunded cents]
    ids = []
    for n in range(40):
        referrer = rng.choice(ids) if ids and n % 7 == 0 else None
        ids.append(shop.create_customer(NewCustomer(f"Customer {n}", referred_by_id=referrer), date(2025, 1, 2)))
    for _ in range(160):
        cid = rng.choice(ids + [None] * 4)
        on = date(2025, 1, 2) + timedelta(days=rng.randrange(425))  # some after D (up to 2 March)
        cents = rng.randrange(100, 20000)
        sale_id = shop.log_sale(SaleInput(cents, on, customer_id=cid), today)
        sales.append([cid, on, cents, 0])
        if cid is not None and rng.random() < 0.12:  # a refund, sometimes of the whole sale
            back = cents if rng.random() < 0.5 else rng.randrange(1, cents)
            shop.log_refund(sale_id, back, on, today)
            sales.append([cid, on, -back, 0])
            sales[-2][3] = back
    return ids, sales


def _first_purchase(sales, cid):
    """The first day with a sale above zero not refunded in full (figures.py's rule)."""
    days = [on for c, on, cents, back in sales if c == cid and cents > 0 and cents - back > 0]
    return min(days) if days else None


def test_returning_share_by_month_and_revenue_by_level_are_their_definitions(shop, today):
    ids, sales = _shop(shop, today)
    shop.save_settings({"margin_percent": "30"})
    result = compute_insights(shop, D, remember_models=False)
    months = [m.month for m in result.extra.repeat_months]
    start = date.fromisoformat(months[0] + "-01")

    expected = {m: [0, 0, 0] for m in months}  # returning, first, walk-in
    for cid, on, cents, _ in sales:
        if not start <= on <= D:
            continue
        first = _first_purchase(sales, cid) if cid is not None else None
        kind = 2 if cid is None else 0 if first is not None and on > first else 1
        expected[on.strftime("%Y-%m")][kind] += cents
    got = {m.month: [m.returning_cents, m.first_cents, m.walk_in_cents] for m in result.extra.repeat_months}
    assert got == expected
    assert sum(v[2] for v in expected.values()) > 0 and sum(v[0] for v in expected.values()) > 0

    # revenue and profit by level: the plain per-customer rule over the kept dates
    with shop.reading() as session:
        kept = {c.id: c for c in session.exec(select(Customer)).all()}
    spend = {cid: sum(cents for c, on, cents, _ in sales if c == cid and on <= D) for cid in ids}
    spend = {cid: cents for cid, cents in spend.items() if cents != 0 or any(c == cid for c, *_ in sales)}
    levels = {cid: level_on(D, c.first_purchase_on, c.second_purchase_on, c.advocate_since) for cid, c in kept.items()}
    levels = {cid: level for cid, level in levels.items() if level >= 1}
    walk_in = sum(cents for c, on, cents, _ in sales if c is None and on <= D)
    profit = {cid: pf.with_margin(cents, 30) for cid, cents in spend.items()}
    profit[None] = pf.with_margin(walk_in, 30)
    assert result.extra.by_level == pf.revenue_by_level(levels, spend, profit, walk_in)
    assert result.extra.ideal.buyers == len(levels)
    assert result.extra.profit.total_cents == sum(profit.values())

    top = sorted(((cid, cents) for cid, cents in spend.items() if cents > 0), key=lambda r: (-r[1], r[0]))
    assert [(cid, cents) for cid, _, cents in result.pareto.top] == top[:len(result.pareto.top)]
    assert [name for _, name, _ in result.pareto.top] == [kept[cid].name for cid, _, _ in result.pareto.top]
