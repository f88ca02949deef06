"""The rules live once: the checklist's and the insights' SQL give, day by day, what the domain rules
say (`window_state`, `status_on`, `due_state`, `kept_late`), on shops generated from a seed.

The SQL encodes the rules as index ranges so a 100,000-customer shop stays fast; the domain
functions say them in words. Without this test the two could drift apart while both were tested.
Each generated shop has only customers, sales (refunds included) and promises, so nothing else
(contacts, snoozes) takes a row off a list; every day from before the first sale to long after
the last is checked."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from shopkeeper.domain.insights import promise_figures
from shopkeeper.domain.promises import due_state, kept_late, status_on
from shopkeeper.domain.second_sale import window_state
from shopkeeper.store import insights_query
from shopkeeper.store.db import reading

START = date(2025, 6, 2)
SPAN = 150  # sales and promises fall in these days


def generate(shop, make, rng: random.Random) -> dict:
    """A small random shop; returns its raw facts as the test knows them (not as the app stores them)."""
    after = rng.randint(1, 30)
    give_up = rng.randint(after, after + 60)
    shop.save_settings({"second_sale_after_days": str(after), "second_sale_give_up_days": str(give_up)})
    sales: dict[int, list[tuple[date, int]]] = {}
    promises = []
    for n in range(rng.randint(15, 30)):
        cid = make.customer(f"Customer {n}", phones=["06 11 22 33 44"], on=START)
        sales[cid] = []
        for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
            day = START + timedelta(days=rng.randrange(SPAN))
            cents = rng.choice([1500, 4200, 800, -500])  # now and then a refund, which is no purchase
            make.sale(cid, day, cents)
            sales[cid].append((day, cents))
        if rng.random() < 0.5:
            made = START + timedelta(days=rng.randrange(SPAN))
            due = made + timedelta(days=rng.randrange(20))
            pid = shop.add_promise(cid, f"promise {n}", due, made)
            status, closed = "open", None
            if rng.random() < 0.7:
                status = rng.choice(["kept", "kept", "missed", "cancelled"])
                closed = max(made, due + timedelta(days=rng.randint(-5, 8)))  # before, on or after the due day
                shop.set_promise_status(pid, status, closed)
            promises.append({"id": pid, "made_on": made, "due_on": due, "status": status, "closed_on": closed})
    return {"after": after, "give_up": give_up, "sales": sales, "promises": promises}


def purchase_days(facts: dict, cid: int, day: date) -> list[date]:
    """The days up to `day` on which the customer bought something (a refund is no purchase)."""
    return sorted({d for d, cents in facts["sales"][cid] if cents > 0 and d <= day})


def one_timers_in(facts: dict, day: date, state: str) -> set[int]:
    """One purchase day by `day`, and the second-sale window in `state` on that day."""
    out = set()
    for cid in facts["sales"]:
        days = purchase_days(facts, cid, day)
        if len(days) == 1 and window_state(days[0], day, facts["after"], facts["give_up"]) == state:
            out.add(cid)
    return out


def promises_in(facts: dict, day: date, state: str) -> set[int]:
    return {p["id"] for p in facts["promises"] if p["made_on"] <= day
            and status_on(p["status"], p["closed_on"], day) == "open" and due_state(p["due_on"], day) == state}


def promise_tally(facts: dict, day: date) -> Counter:
    tally: Counter = Counter()
    for p in facts["promises"]:
        if p["made_on"] > day:
            continue
        status = status_on(p["status"], p["closed_on"], day)
        if status == "kept":
            tally["kept_late" if kept_late(p["due_on"], p["closed_on"]) else "kept_on_time"] += 1
        elif status in ("missed", "open"):
            tally[status] += 1
    return tally


@pytest.mark.parametrize("seed", range(3))
def test_the_sql_and_the_domain_rules_agree_day_by_day(shop, make, seed):
    facts = generate(shop, make, random.Random(seed))
    give_up = facts["give_up"]
    checked = Counter()
    for offset in range(-5, SPAN + give_up + 10):
        day = START + timedelta(days=offset)
        checklist = shop.checklist(day)
        due_calls = one_timers_in(facts, day, "due")
        assert {item.customer_id for item in checklist.second_sale} == due_calls, day
        lapsed = one_timers_in(facts, day, "lapsed")
        # the lapsed rule itself: the generated customers gave no marketing consent (consent has its own tests)
        assert {row.id for row in shop.call_list("lapsed", day, consent_only=False)} == lapsed, day
        assert {p.promise_id for p in checklist.promises_overdue} == promises_in(facts, day, "overdue"), day
        assert {p.promise_id for p in checklist.promises_due} == promises_in(facts, day, "due"), day
        with reading(shop.engine) as session:
            assert insights_query.lapsed_one_timers(session, day, give_up) == len(lapsed), day
            figures = promise_figures(insights_query.promise_counts(session, day))
        tally = promise_tally(facts, day)
        assert (figures.kept_on_time, figures.kept_late, figures.missed, figures.open) == (
            tally["kept_on_time"], tally["kept_late"], tally["missed"], tally["open"]), day
        checked.update(due=bool(due_calls), lapsed=bool(lapsed), late=bool(tally["kept_late"]))
    # the generated shop really went through every state, so the comparisons above meant something
    assert checked["due"] > 10 and checked["lapsed"] > 10 and checked["late"] > 10
