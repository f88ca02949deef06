"""Insights read kept aggregates and small histograms for speed; here every figure is recomputed
the slow, obvious way from the raw sales, contacts, promises and referrals, for days before, inside
and after the history (so sales dated after D must be ignored), and the two must agree."""
from __future__ import annotations

import math
import sqlite3
import statistics
from collections import defaultdict
from datetime import date, timedelta

import pytest

from shopkeeper.demo import build_demo
from shopkeeper.domain import insights as figures
from shopkeeper.domain import ltv
from shopkeeper.insights import HORIZON_DAYS, WEEK, compute_insights
from shopkeeper.services import NewCustomer, SaleInput, Shop
from shopkeeper.store.bulk import insert_sales
from shopkeeper.store.db import writing
from shopkeeper.store.figures import refresh_figures
from support.db_rows import connect

TODAY = date(2026, 11, 25)  # the demo day of the screenshots: the models settle on it


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The demo shop plus what it lacks: zero-amount sales, refunds on a visit day, a customer entered
    after their first purchase, an advocate (by testimonial) who never bought, and households."""
    shop = Shop.open(tmp_path_factory.mktemp("asof") / "shop.sqlite3")
    build_demo(shop, TODAY)
    some = [row.id for row in shop.customers_page(TODAY, limit=40)]
    with writing(shop.engine) as session:  # zero-amount sales come only from imports: visits, not purchases
        insert_sales(session, [(cid, TODAY - timedelta(days=30 + 20 * i), 0, 1, False, "", f"zero-{cid}")
                               for i, cid in enumerate(some[:12])])
        refresh_figures(session, some[:12])
    for i, cid in enumerate(some[12:18]):
        day = TODAY - timedelta(days=100 + 9 * i)
        shop.log_sale(SaleInput(2500, day, customer_id=cid))
        shop.log_sale(SaleInput(-900, day, customer_id=cid))  # a refund on the same day
    late = shop.create_customer(NewCustomer("Imported Ida"), TODAY - timedelta(days=10))
    shop.log_sale(SaleInput(4000, TODAY - timedelta(days=400), customer_id=late))
    shop.log_sale(SaleInput(1500, TODAY - timedelta(days=200), customer_id=late))
    from shopkeeper.store.writes import CustomerFields

    for cid in some[20:26]:
        shop.update_customer(cid, CustomerFields(household="The Ng family" if cid % 2 else "Bakery Co"))
    fan = shop.create_customer(NewCustomer("Fan Without Purchase"), TODAY - timedelta(days=90))
    shop.add_feedback(fan, 5, "Lovely shop", True, TODAY - timedelta(days=60))  # an advocate who never bought
    yield shop
    shop.close()


def raw(shop: Shop, sql: str, *params):
    conn = connect(shop)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def d(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def reference(shop: Shop, day: date) -> dict:
    """Each figure from the raw rows, as its definition says."""
    settings = shop.settings
    sales = [(c, d(on), a) for c, on, a in raw(shop, "SELECT customer_id, sold_on, amount_cents FROM sale WHERE customer_id IS NOT NULL")
             if d(on) <= day]
    purchase_days: dict[int, set[date]] = defaultdict(set)
    spend: dict[int, int] = defaultdict(int)
    for c, on, a in sales:
        spend[c] += a
        if a > 0:
            purchase_days[c].add(on)
    first = {c: min(days) for c, days in purchase_days.items()}
    second = {c: sorted(days)[1] for c, days in purchase_days.items() if len(days) > 1}
    pairs = [(first[c], second.get(c)) for c in first]
    customers = {cid: (name, d(created), d(adv), household) for cid, name, created, adv, household in raw(
        shop, "SELECT c.id, c.name, c.created_on, c.advocate_since, h.name FROM customer c LEFT JOIN household h ON h.id = c.household_id")}

    def level(cid: int, on: date) -> int | None:
        _, created, adv, _ = customers[cid]
        if adv is not None and adv <= on:
            return 3
        if second.get(cid) is not None and second[cid] <= on:
            return 2
        if first.get(cid) is not None and first[cid] <= on:
            return 1
        return 0 if created <= on else None

    levels = []
    for month_end in month_ends(day):
        counts = {k: 0 for k in range(4)}
        for cid in customers:
            if (lv := level(cid, month_end)) is not None:
                counts[lv] += 1
        levels.append(counts)

    gaps = [(s - f).days for f, s in pairs if s is not None]
    lapsed = sum(1 for f, s in pairs if s is None and (day - f).days > settings.second_sale_give_up_days)

    contacts = [(c, d(on), outcome) for c, on, outcome in raw(shop, "SELECT customer_id, contacted_on, outcome FROM contact") if d(on) <= day]
    reached_on: dict[int, date] = {}
    for c, on, outcome in contacts:
        if outcome == "reached" and c in first and on > first[c] and (second.get(c) is None or second[c] > on):
            reached_on[c] = min(on, reached_on.get(c, on))
    reached = [(on, second.get(c)) for c, on in reached_on.items() if (day - on).days >= 30]
    contacted = {c for c, _, _ in contacts}
    never = []
    for c, f in first.items():
        due = f + timedelta(days=settings.second_sale_after_days)
        s = second.get(c)
        if c not in contacted and (day - due).days >= 30 and (s is None or s > due):
            never.append((due, s))
    calls = (len(reached), sum(1 for on, s in reached if s is not None and (s - on).days <= 30),
             len(never), sum(1 for due, s in never if s is not None and (s - due).days <= 30))

    promises = {"on_time": 0, "late": 0, "missed": 0, "open": 0, "days_late": 0}
    for due, status, closed, made in raw(shop, "SELECT due_on, status, closed_on, made_on FROM promise"):
        if d(made) > day:
            continue
        if status != "open" and d(closed) > day:
            status = "open"
        if status == "kept" and d(closed) <= d(due):
            promises["on_time"] += 1
        elif status == "kept":
            promises["late"] += 1
            promises["days_late"] += (d(closed) - d(due)).days
        elif status in ("missed", "open"):
            promises[status] += 1

    ranked = sorted(((c, s) for c, s in spend.items() if s > 0), key=lambda cs: (-cs[1], cs[0]))
    top = ranked[:math.ceil(len(ranked) * 0.2)]

    referred: dict[int, list[int]] = defaultdict(list)
    for referrer, referee, on in raw(shop, "SELECT referrer_id, referee_id, referred_on FROM referral"):
        if d(on) <= day:
            referred[referrer].append(referee)
    advocates = sorted(((r, customers[r][0], len(es), sum(1 for e in es if e in first), sum(spend.get(e, 0) for e in es))
                        for r, es in referred.items()), key=lambda row: (-row[2], -row[4], row[0]))[:20]
    homes: dict[str, list[int]] = defaultdict(list)
    for cid, (_, _, _, household) in customers.items():
        if household:
            homes[household].append(cid)
    households = sorted(((h, len(cs), sum(spend.get(c, 0) for c in cs)) for h, cs in homes.items()),
                        key=lambda row: (-row[2], row[0]))[:20]

    visits = ltv.summarise(((c, on, a) for c, on, a in sales if a >= 0), day, WEEK)
    return {"levels": levels, "pairs": pairs, "median": statistics.median(gaps) if gaps else None, "lapsed": lapsed,
            "calls": calls, "promises": promises, "top": top, "spenders": len(ranked),
            "total": sum(s for _, s in ranked), "advocates": advocates, "households": households, "visits": visits,
            "spend": spend}


def month_ends(day: date) -> list[date]:
    ends, first = [day], day.replace(day=1)
    for _ in range(11):
        ends.append(first - timedelta(days=1))
        first = ends[-1].replace(day=1)
    return ends[::-1]


DAYS = [TODAY, TODAY - timedelta(days=45), TODAY - timedelta(days=300), TODAY + timedelta(days=200)]


@pytest.mark.parametrize("day", DAYS, ids=lambda day: day.isoformat())
def test_every_figure_equals_its_definition_over_the_raw_rows(shop, day):
    expected = reference(shop, day)
    got = compute_insights(shop, day, remember_models=False)
    assert [f.counts for f in got.levels_by_month] == expected["levels"]
    assert [c.to_json() for c in got.cohorts] == [c.to_json() for c in figures.cohorts(expected["pairs"], day)]
    assert got.median_days_to_second == expected["median"]
    assert got.lapsed_one_timers == expected["lapsed"]
    calls = got.calls
    assert (calls.reached, calls.reached_converted, calls.never, calls.never_converted) == expected["calls"]
    p = expected["promises"]
    assert (got.promises.kept_on_time, got.promises.kept_late, got.promises.missed, got.promises.open,
            got.promises.days_late_total) == (p["on_time"], p["late"], p["missed"], p["open"], p["days_late"])
    assert [(cid, cents) for cid, _, cents in got.pareto.top] == expected["top"]
    assert (got.pareto.of_customers, got.pareto.total_spend_cents) == (expected["spenders"], expected["total"])
    assert got.advocates == expected["advocates"]
    assert got.households == expected["households"]
    assert got.households and got.advocates and expected["calls"][0] and got.lapsed_one_timers


@pytest.mark.parametrize("day", DAYS, ids=lambda day: day.isoformat())
def test_lifetime_value_sees_the_same_visits_as_the_raw_sales(shop, day):
    expected = reference(shop, day)
    summary = expected["visits"]
    fitted = ltv.fit_models(summary)
    got = compute_insights(shop, day, remember_models=False)
    assert fitted.ok or day != TODAY, fitted.reason
    if not fitted.ok:  # too little history as of that day: the same reason, said the same way
        assert (got.models, got.models_reason) == (None, fitted.reason)
        return
    purchases, spend = got.models["purchases"], got.models["spend"]
    assert (purchases["customers"], spend["customers"]) == (fitted.n_customers, fitted.n_repeaters)
    for ours, theirs in ((purchases["r"], fitted.bgnbd.r), (purchases["b"], fitted.bgnbd.b), (spend["p"], fitted.gamma_gamma.p),
                         (spend["v"], fitted.gamma_gamma.v)):
        assert ours == pytest.approx(theirs, rel=1e-6)
    prediction = ltv.predict(fitted, summary, HORIZON_DAYS / WEEK)
    ids = [int(i) for i in summary.ids]
    likely = sorted(range(len(ids)), key=lambda i: (-prediction.expected_purchases[i], ids[i]))[:20]
    assert [row["customer_id"] for row in got.likely_to_return] == [ids[i] for i in likely]
    risky = [i for i in range(len(ids)) if summary.x[i] >= 1 and prediction.prob_alive[i] < 0.5]
    risky.sort(key=lambda i: (-expected["spend"].get(ids[i], 0), ids[i]))
    assert [row["customer_id"] for row in got.at_risk] == [ids[i] for i in risky[:20]]


@pytest.mark.parametrize("day", DAYS, ids=lambda day: day.isoformat())
def test_takings_by_month_are_the_sales_of_each_month_up_to_the_day(shop, day):
    takings: dict[str, int] = defaultdict(int)
    for on, cents in raw(shop, "SELECT sold_on, amount_cents FROM sale"):
        if d(on) <= day:
            takings[on[:7]] += cents
    months = [end.isoformat()[:7] for end in month_ends(day)]
    got = compute_insights(shop, day, remember_models=False)
    assert got.revenue_by_month == [(m, takings.get(m, 0)) for m in months]
    assert got.to_json()["revenue"]["by_month"][-1] == {"month": months[-1],
                                                        "revenue": f"{takings.get(months[-1], 0) / 100:.2f}"}
