"""Insights, the use case: gather the figures as of a day, fit the lifetime-value models, and
keep the fitted models so the customer card can say when someone is expected back.

Shared by `shopkeeper insights` and the Insights screen. numpy/scipy load only here, lazily.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from .domain import insights as figures
from .domain.money import format_cents
from .services import Shop
from .store import insights_query as q
from .store import writes
from .store.db import reading, writing

WEEK = 7.0
HORIZON_DAYS = 90
# Four parameters per model are pinned down well by a few thousand customers (the papers used
# CDNOW's 2,357); a fixed random sample keeps a 100,000-customer fit to a fraction of a second
# (and the same every time).
FIT_SAMPLE = 2_500
MODEL_KEY = "ltv_model"


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

    def to_json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "levels": {**self.levels.to_json(), "by_month": [f.to_json() for f in self.levels_by_month]},
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
                "top": [{"customer_id": i, "name": n, "spend": format_cents(s)} for i, n, s in self.pareto.top],
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
        }


def compute_insights(shop: Shop, day: date, *, remember_models: bool = True) -> Insights:
    settings = shop.settings
    with reading(shop.engine) as session:
        month_days = q.month_ends(day, 12)
        counts = q.level_counts_at(session, month_days)
        pairs = q.first_and_second(session, day)
        contacted = q.second_sale_contacts(session, day)
        never = q.never_contacted(session, day)
        promise_rows = q.promise_rows(session, day)
        spend = q.spend_by_customer(session, day)
        advocates = q.advocates(session, day)
        households = q.households(session, day)
        visits = q.visit_summary(session, day)
    result = Insights(
        day=day,
        levels=figures.LevelsFigure(day, counts[-1]),
        levels_by_month=[figures.LevelsFigure(d, c) for d, c in zip(month_days, counts)],
        cohorts=figures.cohorts(pairs, day),
        median_days_to_second=figures.median_days_to_second(pairs),
        lapsed_one_timers=figures.lapsed_one_timers(pairs, day, settings.second_sale_give_up_days),
        calls=figures.call_effect(contacted, never, day, settings.second_sale_after_days),
        promises=figures.promise_figures(promise_rows),
        pareto=figures.pareto(spend),
        advocates=advocates,
        households=households,
        models=None,
        models_reason=None,
    )
    _lifetime_value(shop, result, visits, day, {cid: s for cid, _, s in spend}, remember_models)
    return result


def _summary(visits, day: date):
    import numpy as np

    from .domain.ltv import RfmSummary

    ids = np.array([v[0] for v in visits], dtype=np.int64)
    n = np.array([v[1] for v in visits], dtype=float)
    first = np.array([(day - v[2]).days for v in visits], dtype=float)
    last = np.array([(day - v[3]).days for v in visits], dtype=float)
    repeat_cents = np.array([v[4] - v[5] for v in visits], dtype=float)
    x = n - 1
    m = np.divide(repeat_cents / 100, x, out=np.zeros_like(x), where=x > 0)
    return RfmSummary(ids=ids, x=x, t_x=(first - last) / WEEK, T=first / WEEK, m=m,
                      calibration_end=day, time_unit_days=WEEK)


def _sample(summary, size: int):
    """The summary itself, or a fixed random sample of `size` customers from it."""
    import numpy as np

    from .domain.ltv import RfmSummary

    if len(summary) <= size:
        return summary
    keep = np.sort(np.random.default_rng(0).choice(len(summary), size=size, replace=False))
    return RfmSummary(ids=summary.ids[keep], x=summary.x[keep], t_x=summary.t_x[keep], T=summary.T[keep],
                      m=summary.m[keep], calibration_end=summary.calibration_end, time_unit_days=summary.time_unit_days)


def _lifetime_value(shop: Shop, result: Insights, visits, day: date, spend: dict[int, int], remember: bool) -> None:
    from .domain.ltv import fit_models, predict

    if not visits:
        result.models_reason = "not enough history yet: no purchases"
        return
    summary = _summary(visits, day)
    fitted = fit_models(_sample(summary, FIT_SAMPLE))
    if not fitted.ok:
        result.models_reason = fitted.reason
        return
    b, g = fitted.bgnbd, fitted.gamma_gamma
    result.models = {
        "purchases": {"name": "BG/NBD", "r": b.r, "alpha": b.alpha, "a": b.a, "b": b.b, "time_unit": "week",
                      "customers": fitted.n_customers},
        "spend": {"name": "Gamma-Gamma", "p": g.p, "q": g.q, "v": g.v, "customers": fitted.n_repeaters},
        "horizon_days": HORIZON_DAYS,
        "sampled_from": len(summary),
    }
    prediction = predict(fitted, summary, HORIZON_DAYS / WEEK)
    rows = [
        (int(cid), float(alive), float(purchases), float(value), int(x))
        for cid, alive, purchases, value, x in zip(prediction.ids, prediction.prob_alive,
                                                   prediction.expected_purchases, prediction.value, summary.x)
    ]
    likely = sorted(rows, key=lambda r: (-r[2], r[0]))[:20]
    at_risk = sorted((r for r in rows if r[4] >= 1 and r[1] < 0.5), key=lambda r: (-spend.get(r[0], 0), r[0]))[:20]
    with reading(shop.engine) as session:
        names = q.names_of(session, [r[0] for r in likely + at_risk])

    def entry(r) -> dict:
        name, phone = names.get(r[0], ("?", ""))
        return {"customer_id": r[0], "name": name, "phone": phone, "prob_active": round(r[1], 3),
                "expected_purchases_90d": round(r[2], 2), "expected_value_90d": f"{r[3]:.2f}",
                "spend": format_cents(spend.get(r[0], 0))}

    result.likely_to_return = [entry(r) for r in likely]
    result.at_risk = [entry(r) for r in at_risk]
    if remember:
        stored = {"fitted_on": day.isoformat(), "r": b.r, "alpha": b.alpha, "a": b.a, "b": b.b, "p": g.p, "q": g.q, "v": g.v}
        with writing(shop.engine) as session:
            writes.save_settings(session, {MODEL_KEY: json.dumps(stored)})


@dataclass(frozen=True)
class NextVisit:
    prob_active: float
    expected_purchases_90d: float
    fitted_on: date


def next_visit(shop: Shop, customer_id: int, day: date) -> NextVisit | None:
    """The card's forecast from the last fitted models, or None when none were fitted yet."""
    with reading(shop.engine) as session:
        from .store.reads import load_settings

        stored = load_settings(session).get(MODEL_KEY)
        visits = [v for v in q.visit_summary_of(session, customer_id, day)] if stored else []
    if not stored or not visits:
        return None
    from .domain.ltv import BgNbdParams, expected_purchases, prob_alive

    model = json.loads(stored)
    params = BgNbdParams(model["r"], model["alpha"], model["a"], model["b"], float("nan"), 0)
    summary = _summary(visits, day)
    alive = float(prob_alive(params, summary.x, summary.t_x, summary.T)[0])
    expected = float(expected_purchases(params, HORIZON_DAYS / WEEK, summary.x, summary.t_x, summary.T)[0])
    return NextVisit(alive, expected, date.fromisoformat(model["fitted_on"]))


