"""Each insight figure on a small hand-made history whose right answer is known."""
from datetime import date, timedelta


from shopkeeper.insights import compute_insights
from shopkeeper.services import NewCustomer, SaleInput
from shopkeeper.store.writes import CustomerFields

D = date(2026, 6, 30)


def buyer(shop, name, *days_and_cents, referred_by=None, household=None):
    cid = shop.create_customer(NewCustomer(name, referred_by_id=referred_by), days_and_cents[0][0])
    for day, cents in days_and_cents:
        shop.log_sale(SaleInput(cents, day, customer_id=cid))
    if household:
        shop.update_customer(cid, CustomerFields(household=household))
    return cid


def test_levels_shape_and_month_history(shop):
    a = buyer(shop, "Ann", (date(2026, 1, 10), 1000))
    buyer(shop, "Bob", (date(2026, 2, 10), 1000))
    buyer(shop, "Cid", (date(2026, 3, 10), 1000), (date(2026, 4, 10), 500))
    buyer(shop, "Dee", (date(2026, 5, 10), 2000), referred_by=a)  # makes Ann an advocate in May
    shop.create_customer(NewCustomer("Eve, just browsing"), date(2026, 6, 1))
    result = compute_insights(shop, D, remember_models=False)
    assert result.levels.counts == {0: 1, 1: 2, 2: 1, 3: 1}
    assert result.levels.percent(1) == 50.0 and result.levels.percent(3) == 25.0
    assert result.levels.shape == "pyramid"
    by_month = {f.day: f.counts for f in result.levels_by_month}
    assert by_month[date(2026, 3, 31)] == {0: 0, 1: 3, 2: 0, 3: 0}
    assert by_month[date(2026, 4, 30)] == {0: 0, 1: 2, 2: 1, 3: 0}
    assert len(result.levels_by_month) == 12 and result.levels_by_month[-1].day == D


def test_second_sale_cohorts_median_and_lapsed(shop):
    jan = date(2026, 1, 5)
    buyer(shop, "A", (jan, 1000), (jan + timedelta(days=20), 1000))
    buyer(shop, "B", (jan, 1000), (jan + timedelta(days=50), 1000))
    buyer(shop, "C", (jan, 1000), (jan + timedelta(days=100), 1000))
    buyer(shop, "D", (jan, 1000))
    buyer(shop, "E", (D - timedelta(days=10), 1000))  # too young to count for any window
    result = compute_insights(shop, D, remember_models=False)
    january = next(c for c in result.cohorts if c.month == "2026-01")
    assert january.customers == 4
    assert (january.rate(30), january.rate(60), january.rate(90)) == (25.0, 50.0, 50.0)
    june = next(c for c in result.cohorts if c.month == "2026-06")
    assert june.customers == 1 and june.rate(30) is None
    assert result.median_days_to_second == 50.0
    assert result.lapsed_one_timers == 1  # D only: E is still inside the window


def test_calls_compared_with_never_contacted(shop):
    first = date(2026, 3, 1)
    called = [buyer(shop, f"Called {i}", (first, 1000)) for i in range(4)]
    for i, cid in enumerate(called):
        shop.log_contact(cid, "reached", first + timedelta(days=15), purpose="second_sale")
        if i < 3:
            shop.log_sale(SaleInput(900, first + timedelta(days=25), customer_id=cid))
    quiet = [buyer(shop, f"Quiet {i}", (first, 1000)) for i in range(4)]
    shop.log_sale(SaleInput(900, first + timedelta(days=30), customer_id=quiet[0]))
    calls = compute_insights(shop, D, remember_models=False).calls
    assert (calls.reached, calls.reached_converted) == (4, 3)
    assert (calls.never, calls.never_converted) == (4, 1)


def test_promises_kept_on_time_late_missed(shop):
    c = shop.create_customer(NewCustomer("Ann"), date(2026, 1, 1))
    due = date(2026, 2, 10)
    ids = [shop.add_promise(c, f"promise {i}", due, date(2026, 2, 1)) for i in range(5)]
    shop.set_promise_status(ids[0], "kept", due)
    shop.set_promise_status(ids[1], "kept", due - timedelta(days=2))
    shop.set_promise_status(ids[2], "kept", due + timedelta(days=4))
    shop.set_promise_status(ids[3], "missed", due + timedelta(days=7))
    figures = compute_insights(shop, D, remember_models=False).promises
    assert (figures.kept_on_time, figures.kept_late, figures.missed, figures.open) == (2, 1, 1, 1)
    assert figures.kept_rate == 50.0  # 2 on time / (3 kept + 1 missed)
    assert figures.average_days_late == 4.0
    # as of the due day, the late one was still open
    early = compute_insights(shop, due, remember_models=False).promises
    assert (early.kept_on_time, early.kept_late, early.open) == (2, 0, 3)


def test_pareto_advocates_and_households(shop):
    first = date(2026, 1, 1)
    ids = [buyer(shop, f"C{n}", (first, n * 1000), household="The Big family" if n >= 9 else None) for n in range(1, 11)]
    buyer(shop, "Referred", (date(2026, 2, 1), 5000), referred_by=ids[0])
    result = compute_insights(shop, D, remember_models=False)
    assert result.pareto.customers == 3  # 20% of 11, rounded up
    assert [name for _, name, _ in result.pareto.top] == ["C10", "C9", "C8"]
    assert result.pareto.share == 45.0  # 27,000 of 60,000
    assert result.advocates == [(ids[0], "C1", 1, 1, 5000)]
    assert result.households == [("The Big family", 2, 19000)]


def test_lifetime_value_says_not_enough_history_on_a_small_shop(shop):
    buyer(shop, "Ann", (date(2026, 1, 10), 1000), (date(2026, 2, 10), 1000))
    result = compute_insights(shop, D, remember_models=False)
    assert result.models is None and result.models_reason.startswith("not enough history")
    assert result.to_json()["models"] is None and "reason" in result.to_json()
