"""Insights, the use case: gather the figures as of a day, fit the lifetime-value models, and
keep the fitted models so the customer card can say when someone is expected back.

Shared by `shopkeeper insights` and the Insights screen. numpy/scipy load only here, lazily.
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from .domain import insights as figures
from .domain.holdout import MAX_WEEKS as MAX_HOLDOUT_WEEKS
from .domain.holdout import holdout_end
from .domain.holdout import holdout_weeks as weeks_after
from .domain.money import format_cents
from .insights_profit import ProfitSide, gather as gather_profit, read as read_profit
from .services import Shop
from .domain.staff import StaffFigures, staff_figures
from .store import insights_query as q
from .store import staff as staff_store
from .store import writes
from .store.errors import StoreBusy

# numpy and scipy load after this (lazily): one BLAS thread, see shopkeeper/domain/ltv.py
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

WEEK = 7.0
HORIZON_DAYS = 90
MODEL_KEY = "ltv_model"
LIST_SIZE = 20  # "likely to return" and "at risk"


@dataclass
class Insights:
    day: date
    levels: figures.LevelsFigure
    levels_by_month: list[figures.LevelsFigure]
    cohorts: list[figures.Cohort]
    median_days_to_second: float | None
    lapsed_one_timers: int
    calls: figures.CallEffect
    promises: figures.PromiseFigures
    pareto: figures.Pareto
    advocates: list[tuple[int, str, int, int, int]]
    households: list[tuple[str, int, int]]
    models: dict | None
    models_reason: str | None
    likely_to_return: list[dict] = field(default_factory=list)
    at_risk: list[dict] = field(default_factory=list)
    staff: list[StaffFigures] = field(default_factory=list)  # per staff member (issue 12), empty without staff
    revenue_by_month: list[tuple[str, int]] = field(default_factory=list)  # ("2026-03", net cents), D's month last

    @property
    def holdout(self) -> dict | None:
        """models.holdout: the forecast against what happened, when there were sales after D."""
        return (self.models or {}).get("holdout")
    feedback: dict = field(default_factory=dict)  # domain/feedback.py: count, average, by month
    extra: "ProfitSide | None" = None  # profit, revenue by level, repeat share, ideal shape, enquiries

    def to_json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "levels": {**self.levels.to_json(), "by_month": [f.to_json() for f in self.levels_by_month]},
            "revenue": {"by_month": [{"month": m, "revenue": format_cents(c)} for m, c in self.revenue_by_month]},
            "second_sale": {
                "cohorts": [c.to_json() for c in self.cohorts],
                "median_days_to_second": self.median_days_to_second,
                "lapsed_one_timers": self.lapsed_one_timers,
                "calls": self.calls.to_json(),
            },
            "promises": self.promises.to_json(),
            "pareto": {
                "customers": self.pareto.customers,
                "of_customers": self.pareto.of_customers,
                "share_of_revenue": self.pareto.share,
                "top_spend": format_cents(self.pareto.top_spend_cents),
                "total_spend": format_cents(self.pareto.total_spend_cents),
                "top": [{"customer_id": i, "name": n, "phone": self.pareto.phones.get(i, ""), "spend": format_cents(s)}
                        for i, n, s in self.pareto.top],
            },
            "advocates": [
                {"customer_id": i, "name": n, "referred": r, "bought": b, "spend_brought": format_cents(s)}
                for i, n, r, b, s in self.advocates
            ],
            "households": [{"household": h, "customers": n, "spend": format_cents(s)} for h, n, s in self.households],
            "models": self.models,
            **({"reason": self.models_reason} if self.models is None else {}),
            "likely_to_return": self.likely_to_return,
            "at_risk": self.at_risk,
            "staff": [s.to_json() for s in self.staff],
            "feedback": self.feedback,
            **(self.extra.to_json() if self.extra is not None else {}),
        }


def compute_insights(shop: Shop, day: date, *, remember_models: bool = True,
                     holdout_weeks: int = MAX_HOLDOUT_WEEKS) -> Insights:
    """The figures as of `day`; with sales after it, also the forecast against what happened over
    the whole weeks of data after it (at most `holdout_weeks`)."""
    month_days = q.month_ends(day, 12)
    with shop.reading() as session:
        later = q.customers_with_sales_after(session, day)
        weeks = weeks_after(day, q.last_sale_day(session), holdout_weeks) if later else 0
        after = q.visits_after(session, day, holdout_end(day, weeks)) if weeks else []
    # The counted figures are SQLite's own work, during which it lets go of Python's lock, so they
    # run on a second connection beside the per-customer reads and the model fit: on two cores
    # the whole takes about as long as the longer of the two.
    # The top spenders' names and phones (a fifth of the customers, one lookup each) are read on a
    # third connection while the models are fitted.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="insights") as pool:
        counted = pool.submit(_counted_figures, shop, day, month_days, bool(later))
        with shop.reading() as session:
            spent, visits, levels = q.spend_and_visits(session, day, later)
        spend = _Spend(*spent)
        top = spend.top(figures.top_share_size(spend.spenders))
        named = pool.submit(_names_of, shop, [cid for cid, _ in top])
        lifetime = _lifetime_value(shop, visits, day, spend, after, weeks)
        counts = counted.result()
        names = named.result()
    profit_reads = counts.pop("profit_reads")
    pareto = figures.Pareto(len(top), spend.spenders, sum(c for _, c in top), spend.total,
                            [(cid, names.get(cid, ("?", ""))[0], cents) for cid, cents in top],
                            {cid: names[cid][1] for cid, _ in top if cid in names and names[cid][1]})
    result = Insights(day=day, pareto=pareto, **counts, **lifetime)
    result.extra = gather_profit(shop, day, spend, month_days, result.levels.percent, profit_reads, levels)
    _add_profit(result)
    if remember_models and result.models is not None:
        purchases, spend_model = result.models["purchases"], result.models["spend"]
        stored = {"fitted_on": day.isoformat(), **{k: purchases[k] for k in ("r", "alpha", "a", "b")},
                  **{k: spend_model[k] for k in ("p", "q", "v")}}
        try:
            with shop.writing() as session:
                writes.save_settings(session, {MODEL_KEY: json.dumps(stored)})
        except StoreBusy:  # the models are a cache for the card: the next computation keeps them
            pass
    return result


def _names_of(shop: Shop, ids: list[int]) -> dict[int, tuple[str, str]]:
    with shop.reading() as session:
        return q.names_only(session, ids)


def _add_profit(result: Insights) -> None:
    """Lifetime value by profit on the "return soon" and "at risk" rows, when profit is known:
    the profit so far, and the expected 90-day value at the customer's own margin so far."""
    from decimal import Decimal

    profit = result.extra.profit if result.extra is not None else None
    if profit is None or not profit.known:
        return
    for row in result.likely_to_return + result.at_risk:
        made = profit.by_customer.get(row["customer_id"], 0)
        spent = int(Decimal(row["spend"]) * 100)
        row["profit"] = format_cents(made)
        ratio = made / spent if spent > 0 else 0.0
        row["expected_profit_90d"] = f"{float(row['expected_value_90d']) * ratio:.2f}"


def _counted_figures(shop: Shop, day: date, month_days: list[date], later: bool) -> dict:
    """Every figure SQLite can count by itself (levels, second sales, calls, promises, advocates),
    and the profit side's reads."""
    settings = shop.settings
    with shop.reading() as session:
        counts = q.level_counts_at(session, month_days)
        recent = q.first_and_second_since(session, month_days[0].replace(day=1), day)
        gaps = q.days_to_second(session, day)
        lapsed = q.lapsed_one_timers(session, day, settings.second_sale_give_up_days)
        reached = q.reached_calls(session, day)
        never = q.never_contacted_calls(session, day, settings.second_sale_after_days)
        promise_counts = q.promise_counts(session, day)
        daily = q.daily_revenue(session, month_days[0].replace(day=1), day)
        advocates = q.advocates(session, day, later)
        households = q.households(session, day, later)
        staff = _staff_figures(session, day, settings)
        from .domain.feedback import feedback_figures
        from .store.feedback_query import by_month

        feedback = feedback_figures(by_month(session, day))
        profit_reads = read_profit(session, day, month_days, daily)
    return {
        "levels": figures.LevelsFigure(day, counts[-1]),
        "levels_by_month": [figures.LevelsFigure(d, c) for d, c in zip(month_days, counts)],
        "revenue_by_month": figures.revenue_by_month(daily, month_days),
        "cohorts": figures.cohorts(recent, day),
        "median_days_to_second": figures.median_of_counts(gaps),
        "lapsed_one_timers": lapsed,
        "calls": figures.CallEffect(*reached, *never),
        "promises": figures.promise_figures(promise_counts),
        "advocates": advocates,
        "households": households,
        "staff": staff,
        "feedback": feedback,
        "profit_reads": profit_reads,  # the profit side's reads (not an Insights field)
    }


def _staff_figures(session, day: date, settings) -> list[StaffFigures]:
    """Each staff member's promise kept-rate, second-sale calls and speed (domain/staff.py);
    nothing is read when the shop has no staff list."""
    people = staff_store.staff_list(session, include_retired=True)
    if not people:
        return []
    return staff_figures(people, staff_store.promise_facts(session, day), staff_store.contact_facts(session, day), day,
                         settings.second_sale_after_days, settings.second_sale_give_up_days)


class _Spend:
    """Net spend up to D per customer, as numpy arrays: the top 20% and the at-risk ranking."""

    def __init__(self, ids: list[int], cents: list[int]) -> None:
        import numpy as np

        self.ids = np.asarray(ids, dtype=np.int64)
        self.cents = np.asarray(cents, dtype=np.int64)
        order = np.argsort(self.ids)
        self.ids, self.cents = self.ids[order], self.cents[order]
        positive = self.cents > 0
        self.spenders = int(np.count_nonzero(positive))
        self.total = int(self.cents[positive].sum())

    def top(self, n: int) -> list[tuple[int, int]]:
        """The n biggest spenders, biggest first (ties by id)."""
        import numpy as np

        order = np.lexsort((self.ids, -self.cents))[:n]
        return [(i, c) for i, c in zip(self.ids[order].tolist(), self.cents[order].tolist()) if c > 0]

    def of(self, ids):
        """Spend of each id (0 for customers who never spent)."""
        import numpy as np

        if not len(self.ids):
            return np.zeros(len(ids), dtype=np.int64)
        at = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
        return np.where(self.ids[at] == ids, self.cents[at], 0)


def _days(values, day: date):
    """Days from each ISO date (text or date) to D, as a float array."""
    import numpy as np

    stamps = np.array(values, dtype="datetime64[D]")
    return (np.datetime64(day.isoformat(), "D") - stamps).astype(float)


def _summary(visits, day: date):
    """RFM summary (weeks) from visit columns (ids, visit days, first, last, total, first-day cents)."""
    import numpy as np

    from .domain.ltv import RfmSummary

    ids, n, first, last, total, first_cents = visits
    ids = np.asarray(ids, dtype=np.int64)
    order = np.argsort(ids)
    x = np.asarray(n, dtype=float)[order] - 1
    age = _days(first, day)[order]
    since_last = _days(last, day)[order]
    repeat_cents = (np.asarray(total, dtype=float) - np.asarray(first_cents, dtype=float))[order]
    m = np.divide(repeat_cents / 100, x, out=np.zeros_like(x), where=x > 0)
    return RfmSummary(ids=ids[order], x=x, t_x=(age - since_last) / WEEK, T=age / WEEK, m=m,
                      calibration_end=day, time_unit_days=WEEK)


def _lifetime_value(shop: Shop, visits, day: date, spend: "_Spend", after=(), weeks: int = 0) -> dict:
    """The fitted models (or why not), the "likely to return" and "at risk" lists, and the
    forecast against the `after` visits over `weeks` weeks (models.holdout, None without)."""
    import numpy as np

    from .domain.holdout import holdout
    from .domain.ltv import fit_models, predict

    if not visits[0]:
        return {"models": None, "models_reason": "not enough history yet: no purchases"}
    summary = _summary(visits, day)
    # Every customer, no sample: the fits group customers with the same summary (ltv._compress),
    # so 100,000 customers cost little more than their distinct (x, t_x, T) and (x, m) rows.
    fitted = fit_models(summary)
    if not fitted.ok:
        return {"models": None, "models_reason": fitted.reason}
    b, g = fitted.bgnbd, fitted.gamma_gamma
    models = {
        "purchases": {"name": "BG/NBD", "r": b.r, "alpha": b.alpha, "a": b.a, "b": b.b, "time_unit": "week",
                      "customers": fitted.n_customers},
        "spend": {"name": "Gamma-Gamma", "p": g.p, "q": g.q, "v": g.v, "customers": fitted.n_repeaters},
        "horizon_days": HORIZON_DAYS,
    }
    checked = holdout(b, summary, list(after), weeks)
    models["holdout"] = checked.to_json() if checked else None
    prediction = predict(fitted, summary, HORIZON_DAYS / WEEK)
    ids = summary.ids
    likely = np.lexsort((ids, -prediction.expected_purchases))[:LIST_SIZE]
    spent = spend.of(ids)
    risky = np.flatnonzero((summary.x >= 1) & (prediction.prob_alive < 0.5))
    at_risk = risky[np.lexsort((ids[risky], -spent[risky]))][:LIST_SIZE]
    with shop.reading() as session:
        names = q.names_only(session, [int(ids[i]) for i in [*likely, *at_risk]])

    def entry(i: int) -> dict:
        cid = int(ids[i])
        name, phone = names.get(cid, ("?", ""))
        return {"customer_id": cid, "name": name, "phone": phone, "prob_active": round(float(prediction.prob_alive[i]), 3),
                "expected_purchases_90d": round(float(prediction.expected_purchases[i]), 2),
                "expected_value_90d": f"{float(prediction.value[i]):.2f}", "spend": format_cents(int(spent[i]))}

    return {"models": models, "models_reason": None,
            "likely_to_return": [entry(i) for i in likely], "at_risk": [entry(i) for i in at_risk]}


@dataclass(frozen=True)
class NextVisit:
    prob_active: float
    expected_purchases_90d: float
    fitted_on: date
    repeat_visits: int = 0  # BG/NBD calls everyone without a repeat visit "active": say so on the card


def next_visit(shop: Shop, customer_id: int, day: date) -> NextVisit | None:
    """The card's forecast from the last fitted models, or None when none were fitted yet."""
    with shop.reading() as session:
        from .store.reads import load_settings

        stored = load_settings(session).get(MODEL_KEY)
        visits = q.visit_summary_of(session, customer_id, day) if stored else ()
    if not stored or not visits:
        return None
    from .domain.ltv import BgNbdParams, expected_purchases, prob_alive

    model = json.loads(stored)
    params = BgNbdParams(model["r"], model["alpha"], model["a"], model["b"], float("nan"), 0)
    summary = _summary(visits, day)
    alive = float(prob_alive(params, summary.x, summary.t_x, summary.T)[0])
    expected = float(expected_purchases(params, HORIZON_DAYS / WEEK, summary.x, summary.t_x, summary.T)[0])
    return NextVisit(alive, expected, date.fromisoformat(model["fitted_on"]), int(summary.x[0]))


