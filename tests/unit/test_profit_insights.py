"""Issue 14: profit (sale costs or the shop's margin), the top 20% by profit, revenue and profit by
level, the returning customers' share by month, the owner's ideal shape and the enquiry response
time, on a shop where every answer is known, as of a chosen day."""
from __future__ import annotations

import json
from datetime import date

import pytest

from shopkeeper.domain.errors import InputError
from shopkeeper.insights import compute_insights
from shopkeeper.services import NewCustomer, SaleInput

D = date(2026, 3, 1)  # the day asked about; TODAY (2 March) holds a sale D must not see


def build(shop, today):
    """Ann: 100.00 (cost 60.00) on 10 Jan, 50.00 (cost 20.00) on 10 Feb, 10.00 of the first
    refunded on 12 Feb. Bob: 200.00, no cost, on 20 Feb (and 500.00 on 2 March, after D). Cat:
    40.00 (cost 10.00) on 25 Feb; she referred Dan, 30.00 no cost on 26 Feb. A walk-in: 10.00."""
    sale = lambda cid, on, cents, cost=None: shop.log_sale(SaleInput(cents, on, customer_id=cid, cost_cents=cost), today)
    ann = shop.create_customer(NewCustomer("Ann", ["06 11 11 11 11"]), date(2026, 1, 10))
    first = sale(ann, date(2026, 1, 10), 10000, 6000)
    sale(ann, date(2026, 2, 10), 5000, 2000)
    shop.log_refund(first, 1000, date(2026, 2, 12), today)
    bob = shop.create_customer(NewCustomer("Bob", ["06 22 22 22 22"]), date(2026, 2, 20))
    sale(bob, date(2026, 2, 20), 20000)
    sale(bob, date(2026, 3, 2), 50000)
    cat = shop.create_customer(NewCustomer("Cat"), date(2026, 2, 25))
    sale(cat, date(2026, 2, 25), 4000, 1000)
    dan = shop.create_customer(NewCustomer("Dan", referred_by_id=cat), date(2026, 2, 26))
    sale(dan, date(2026, 2, 26), 3000)
    sale(None, date(2026, 2, 15), 1000)
    return ann, bob, cat, dan


def figures(shop) -> dict:
    return json.loads(json.dumps(compute_insights(shop, D, remember_models=False).to_json()))


def test_without_a_margin_profit_is_not_known_and_says_why(shop, today):
    build(shop, today)
    data = figures(shop)
    assert data["profit"] == {"known": False, "margin_percent": None,
                              "reason": "3 sale(s) have no cost: give them one, or set the shop's margin "
                                        "(settings: margin_percent) and profit will show"}
    assert [row["profit"] for row in data["revenue_by_level"]] == [None, None, None, None]


def test_profit_from_costs_and_margin_with_the_top_20_percent_by_profit(shop, today):
    ann, bob, cat, dan = build(shop, today)
    shop.save_settings({"margin_percent": "25"})
    profit = figures(shop)["profit"]
    # Ann 40 + 30 - 4 (the refund gives back its sale's margin), Bob 50, Cat 30, Dan 7.50, walk-in 2.50
    assert profit["total_profit"] == "156.00"
    assert profit["from_sale_costs"] is True and profit["margin_percent"] == 25
    top = profit["top_20_percent"]
    assert (top["customers"], top["of_customers"], top["top_profit"], top["total_profit"], top["share_of_profit"]) == (
        1, 4, "66.00", "153.50", 43.0)
    assert [(r["customer_id"], r["profit"], r["spend"]) for r in top["top"]] == [(ann, "66.00", "140.00")]
    assert profit["lifetime_profit_per_customer"] == "38.38"  # 153.50 over 4 customers


def test_a_margin_alone_gives_profit_from_the_kept_spend(shop, make, today):
    cid = make.customer("Eve")
    make.sale(cid, date(2026, 2, 1), 10000)
    make.sale(cid, date(2026, 2, 2), 5000)
    make.sale(cid, date(2026, 2, 3), 1002)
    assert figures(shop)["profit"]["reason"] == "no sale has a cost and no margin is set (settings: margin_percent)"
    shop.save_settings({"margin_percent": "40"})
    profit = figures(shop)["profit"]
    assert (profit["total_profit"], profit["from_sale_costs"]) == ("64.01", False)  # 160.02 × 40%, to the cent


def test_revenue_and_profit_by_level_on_the_day(shop, today):
    build(shop, today)
    shop.save_settings({"margin_percent": "25"})
    rows = figures(shop)["revenue_by_level"]
    assert [(r["level"], r["name"], r["customers"], r["revenue"], r["share_of_revenue"], r["profit"]) for r in rows] == [
        (1, "first-time", 2, "230.00", 54.8, "57.50"),
        (2, "repeat", 1, "140.00", 33.3, "66.00"),
        (3, "advocate", 1, "40.00", 9.5, "30.00"),
        (None, "walk-in", 0, "10.00", 2.4, "2.50"),
    ]


def test_share_of_revenue_from_returning_customers_by_month(shop, today):
    build(shop, today)
    repeat = figures(shop)["repeat_revenue"]
    months = {m["month"]: m for m in repeat["by_month"]}
    assert len(repeat["by_month"]) == 12 and repeat["by_month"][-1]["month"] == "2026-03"
    assert (months["2026-01"]["from_returning"], months["2026-01"]["share_from_returning"]) == ("0.00", 0.0)
    feb = months["2026-02"]
    assert (feb["revenue"], feb["from_returning"], feb["from_first_visits"], feb["walk_in"], feb["share_from_returning"]) == (
        "320.00", "40.00", "270.00", "10.00", 12.9)
    assert (months["2026-03"]["revenue"], months["2026-03"]["share_from_returning"]) == ("0.00", None)  # 2 March: after D
    assert repeat["share_from_returning"] == 9.8  # 40 of 410 over the twelve months


def test_the_shop_is_compared_with_the_owners_ideal_shape(shop, today):
    build(shop, today)
    ideal = figures(shop)["ideal_shape"]
    assert (ideal["ideal"], ideal["actual"], ideal["gap_points"], ideal["off_by_percent"]) == (
        {"1": 20, "2": 30, "3": 50}, {"1": 50.0, "2": 25.0, "3": 25.0}, {"1": 30.0, "2": -5.0, "3": -25.0}, 30.0)
    assert ideal["sentence"] == ("Your shop is 50/25/25 (first-time/repeat/advocates) against your ideal 20/30/50: "
                                 "30 points more first-time buyers, 25 points fewer advocates, 5 points fewer repeat "
                                 "customers than you aim for; 30% of customers are not where you want them.")
    shop.save_settings({"ideal_shape": "50 / 25 / 25"})
    assert shop.settings.ideal_shape == "50/25/25"
    assert figures(shop)["ideal_shape"]["sentence"] == (
        "Your shop is 50/25/25 (first-time/repeat/advocates), within 5 points of your ideal 50/25/25 at every level.")


@pytest.mark.parametrize("value,words", [("20/30/40", "adds up to 90"), ("20/30", "three whole percentages"),
                                         ("20/30/50.5", "three whole percentages"), ("a/b/c", "three whole")])
def test_an_ideal_shape_that_is_not_three_whole_numbers_summing_to_100_is_refused(shop, value, words):
    with pytest.raises(InputError) as caught:
        shop.save_settings({"ideal_shape": value, "shop_name": "Changed"})
    assert caught.value.field == "ideal_shape" and words in caught.value.message
    assert (shop.reload_settings().ideal_shape, shop.settings.shop_name) == ("20/30/50", "My shop")


@pytest.mark.parametrize("value", ["101", "-5", "forty", "12.5"])
def test_a_margin_that_is_not_a_whole_percentage_is_refused(shop, value):
    with pytest.raises(InputError) as caught:
        shop.save_settings({"margin_percent": value})
    assert caught.value.field == "margin_percent"
    assert shop.reload_settings().margin is None


def test_median_response_time_of_enquiries_as_of_the_day(shop, today):
    asked = [(date(2026, 2, 20), date(2026, 2, 20)), (date(2026, 2, 21), date(2026, 2, 24)),
             (date(2026, 2, 25), date(2026, 3, 2)), (date(2026, 2, 27), None)]
    for on, answered in asked:
        eid = shop.add_enquiry("Any news?", on, today, name="Someone")
        if answered:
            shop.answer_enquiry(eid, answered)
    assert figures(shop)["enquiries"] == {"answered": 2, "median_days": 1.5, "answered_same_day": 1, "open": 2,
                                         "oldest_open_days": 4}


def test_a_cost_is_kept_on_the_sale_and_a_bad_one_changes_nothing(shop, make, today, run):
    cid = make.customer("Fay")
    sale_id = shop.log_sale(SaleInput(5000, today, customer_id=cid, cost_cents=1500), today)
    assert shop.sale(sale_id).cost_cents == 1500
    with pytest.raises(InputError, match="below zero"):
        shop.log_sale(SaleInput(5000, today, customer_id=cid, cost_cents=-1), today)
    db = str(shop.location)
    code, out, err = run("--db", db, "--date", today, "sale", "edit", sale_id, "--cost", "12.50")
    assert (code, out.strip()) == (0, f"cost of #{sale_id}: 12.50")
    code, out, err = run("--db", db, "--date", today, "sale", "edit", sale_id, "--cost", "abc")
    assert code == 2 and "--cost" in err and len(err.strip().splitlines()) == 1
    assert shop.sale(sale_id).cost_cents == 1250
    code, out, err = run("--db", db, "--date", today, "sale", "list", "--customer", cid, "--format", "json")
    assert [s["cost"] for s in json.loads(out)] == ["12.50"]
    code, out, err = run("--db", db, "--date", today, "sale", "edit", sale_id, "--cost", "none")
    assert shop.sale(sale_id).cost_cents is None


def test_a_sales_file_with_a_cost_column_keeps_each_sales_cost(shop, run, tmp_path, today):
    path = tmp_path / "sales.csv"
    path.write_text("date,amount,customer,cost,invoice\n2026-02-01,30.00,Gil,12.00,A1\n2026-02-01,20.00,Gil,8.00,A1\n"
                    "2026-02-02,15.00,Hal,,\n", encoding="utf-8")
    code, out, err = run("--db", shop.location, "--date", today, "import", "sales", path)
    assert code == 0, err
    from sqlalchemy import select

    from shopkeeper.store.models import Sale

    with shop.reading() as session:
        assert sorted(session.execute(select(Sale.amount_cents, Sale.cost_cents)).all()) == [(1500, None), (5000, 2000)]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,amount,customer,cost,invoice\n2026-02-03,30.00,Ivy,12.00,B1\n2026-02-03,20.00,Ivy,,B1\n"
                   "2026-02-03,10.00,Jo,-1,\n", encoding="utf-8")
    code, out, err = run("--db", shop.location, "--date", today, "import", "sales", bad)
    assert code == 1 and "cost on some lines only" in err and "below zero" in err
    with shop.reading() as session:
        assert len(session.execute(select(Sale.id)).all()) == 2


def test_return_soon_and_at_risk_rows_carry_lifetime_value_by_profit(shop):
    from decimal import Decimal

    from shopkeeper.demo import build_demo

    day = date(2026, 11, 25)
    build_demo(shop, day)  # 45% margin, no sale costs: each row's profit is 45% of its spend
    data = compute_insights(shop, day, remember_models=False).to_json()
    rows = data["likely_to_return"] + data["at_risk"]
    assert len(data["likely_to_return"]) == 20 and data["at_risk"]
    for row in rows:
        spend = Decimal(row["spend"])
        assert Decimal(row["profit"]) == (spend * Decimal("0.45")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        expected = Decimal(row["expected_value_90d"]) * Decimal(row["profit"]) / spend
        assert abs(Decimal(row["expected_profit_90d"]) - expected) <= Decimal("0.01")
