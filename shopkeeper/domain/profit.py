"""Profit, revenue by level, the repeat customers' share, and the owner's ideal shape (issue 14):
pure figures over plain rows; "today" is passed in.

A sale's profit is its amount less its cost when the cost was typed; otherwise the shop-wide
margin setting stands in (amount × margin %). When some sales have neither, profit is unknown
and every profit figure says why instead of guessing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from .levels import LEVEL_NAMES
from .money import format_cents


def with_margin(cents: int, margin: int) -> int:
    """`cents` of sales at `margin` % (rounded half away from zero, to the cent)."""
    value = abs(cents) * margin
    return (1 if cents >= 0 else -1) * ((value + 50) // 100)


@dataclass
class ProfitFigures:
    known: bool
    reason: str | None = None  # why not known
    margin_percent: int | None = None
    costed_sales: bool = False  # some sales have their own cost
    total_cents: int = 0  # all profit up to D, walk-ins included
    by_customer: dict[int, int] = field(default_factory=dict)
    pareto_customers: int = 0
    pareto_of: int = 0
    top_cents: int = 0
    positive_cents: int = 0  # the profit of customers whose profit is above zero
    top: list[tuple[int, str, int, int]] = field(default_factory=list)  # (id, name, profit, spend)
    phones: dict[int, str] = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return round(100 * self.top_cents / self.positive_cents, 1) if self.positive_cents else None

    @property
    def average_per_customer_cents(self) -> int | None:
        """Lifetime profit per buying customer so far (historic lifetime value, by profit)."""
        buyers = [p for p in self.by_customer.values()]
        return round(sum(buyers) / len(buyers)) if buyers else None

    def to_json(self) -> dict:
        if not self.known:
            return {"known": False, "reason": self.reason, "margin_percent": self.margin_percent}
        average = self.average_per_customer_cents
        return {
            "known": True,
            "margin_percent": self.margin_percent,
            "from_sale_costs": self.costed_sales,
            "total_profit": format_cents(self.total_cents),
            "lifetime_profit_per_customer": None if average is None else format_cents(average),
            "top_20_percent": {
                "customers": self.pareto_customers, "of_customers": self.pareto_of, "share_of_profit": self.share,
                "top_profit": format_cents(self.top_cents), "total_profit": format_cents(self.positive_cents),
                "top": [{"customer_id": i, "name": n, "phone": self.phones.get(i, ""), "profit": format_cents(p),
                         "spend": format_cents(s)} for i, n, p, s in self.top],
            },
        }


def profit_by_customer(parts, margin: int | None) -> tuple[dict[int | None, int] | None, int]:
    """From (id, revenue, known profit, uncosted revenue, uncosted sales) rows: each customer's
    profit (walk-ins under None), or None when some sales have no cost and there is no margin;
    with the number of such sales."""
    missing = sum(n for *_, n in parts)
    if missing and margin is None:
        return None, missing
    return {cid: known + (with_margin(uncosted, margin) if margin is not None else 0)
            for cid, _rev, known, uncosted, _n in parts}, missing


def top_by_profit(profit: dict[int, int], fraction: float = 0.2) -> tuple[list[tuple[int, int]], int, int]:
    """The top `fraction` of customers with a profit above zero, biggest first (ties by id):
    (rows, of how many, their total profit)."""
    positive = sorted(((cid, p) for cid, p in profit.items() if p > 0), key=lambda row: (-row[1], row[0]))
    n = math.ceil(len(positive) * fraction) if positive else 0
    return positive[:n], len(positive), sum(p for _, p in positive)


@dataclass
class LevelRevenue:
    level: int
    customers: int
    revenue_cents: int
    profit_cents: int | None

    def to_json(self, total: int) -> dict:
        return {"level": self.level if self.level != WALK_IN else None,
                "name": LEVEL_NAMES[self.level] if self.level != WALK_IN else "walk-in",
                "customers": self.customers, "revenue": format_cents(self.revenue_cents),
                "share_of_revenue": round(100 * self.revenue_cents / total, 1) if total else None,
                "profit": None if self.profit_cents is None else format_cents(self.profit_cents)}


WALK_IN = -1  # the "level" of sales without a customer


def revenue_by_level(levels: dict[int, int], spend: dict[int, int], profit: dict | None,
                     walk_in_cents: int) -> list[LevelRevenue]:
    """Revenue (and profit) up to D of the customers at each level 1-3 on D, then walk-ins."""
    rows = {level: LevelRevenue(level, 0, 0, 0 if profit is not None else None) for level in (1, 2, 3)}
    for cid, level in levels.items():
        row = rows.get(level)
        if row is None:
            continue
        row.customers += 1
        row.revenue_cents += spend.get(cid, 0)
        if profit is not None:
            row.profit_cents += profit.get(cid, 0)
    walk_in = LevelRevenue(WALK_IN, 0, walk_in_cents, None if profit is None else profit.get(None, 0))
    return [rows[1], rows[2], rows[3], walk_in]


def revenue_by_level_columns(levels, spend, profit, walk_in_cents: int, walk_in_profit: int | None) -> list[LevelRevenue]:
    """`revenue_by_level` over numpy columns, one entry per customer: level on D, spend up to D, profit
    (None: unknown). Integer sums, so the same figures without a Python loop over every customer."""
    import numpy as np

    def per_level(values) -> list[int]:
        return np.bincount(levels, weights=None, minlength=4).tolist() if values is None else [
            int(values[levels == level].sum()) for level in range(4)]

    customers = per_level(None)
    revenue = per_level(spend)
    made = per_level(profit) if profit is not None else None
    rows = [LevelRevenue(level, int(customers[level]), revenue[level], made[level] if made is not None else None)
            for level in (1, 2, 3)]
    return [*rows, LevelRevenue(WALK_IN, 0, walk_in_cents, walk_in_profit)]


@dataclass
class RepeatMonth:
    month: str  # "2026-03"
    returning_cents: int = 0  # sales to customers after the day of their first purchase
    first_cents: int = 0  # sales on a customer's first purchase day
    walk_in_cents: int = 0  # no customer: cannot tell

    @property
    def share(self) -> float | None:
        """Share of the named customers' revenue that came from returning customers."""
        named = self.returning_cents + self.first_cents
        return round(100 * self.returning_cents / named, 1) if named > 0 else None

    def to_json(self) -> dict:
        return {"month": self.month, "revenue": format_cents(self.returning_cents + self.first_cents + self.walk_in_cents),
                "from_returning": format_cents(self.returning_cents), "from_first_visits": format_cents(self.first_cents),
                "walk_in": format_cents(self.walk_in_cents), "share_from_returning": self.share}


def repeat_by_month(rows: list[tuple[date, str, int]], months: list[str]) -> list[RepeatMonth]:
    by_month = {m: RepeatMonth(m) for m in months}
    for on, kind, cents in rows:
        month = by_month.get(on.strftime("%Y-%m"))
        if month is None:
            continue
        if kind == "returning":
            month.returning_cents += cents
        elif kind == "first":
            month.first_cents += cents
        else:
            month.walk_in_cents += cents
    return [by_month[m] for m in months]


def repeat_total(months: list[RepeatMonth]) -> RepeatMonth:
    total = RepeatMonth("all")
    for m in months:
        total.returning_cents += m.returning_cents
        total.first_cents += m.first_cents
        total.walk_in_cents += m.walk_in_cents
    return total


@dataclass
class IdealComparison:
    ideal: tuple[int, int, int]
    actual: tuple[float, float, float]
    buyers: int

    @property
    def gaps(self) -> tuple[float, float, float]:
        """Percentage points above (+) or below (−) the ideal, per level 1-3."""
        return tuple(round(a - i, 1) for a, i in zip(self.actual, self.ideal))  # type: ignore[return-value]

    @property
    def off_by(self) -> float:
        """The share of customers who would have to be at another level to match the ideal."""
        return round(sum(abs(g) for g in self.gaps) / 2, 1)

    def sentence(self) -> str:
        ideal = "/".join(str(p) for p in self.ideal)
        actual = "/".join(f"{p:.0f}" for p in self.actual)
        if not self.buyers:
            return f"Your ideal shape is {ideal} (first-time/repeat/advocates); nobody has bought yet."
        words = {1: "first-time buyers", 2: "repeat customers", 3: "advocates"}
        apart = [(abs(g), level, g) for level, g in zip((1, 2, 3), self.gaps) if abs(g) >= 5]
        if not apart:
            return (f"Your shop is {actual} (first-time/repeat/advocates), within 5 points of your ideal {ideal} "
                    "at every level.")
        apart.sort(key=lambda row: (-row[0], row[1]))
        said = [f"{abs(g):.0f} points {'more' if g > 0 else 'fewer'} {words[level]}" for _, level, g in apart]
        return (f"Your shop is {actual} (first-time/repeat/advocates) against your ideal {ideal}: "
                f"{', '.join(said)} than you aim for; {self.off_by:.0f}% of customers are not where you want them.")

    def to_json(self) -> dict:
        return {"ideal": {str(l): p for l, p in zip((1, 2, 3), self.ideal)},
                "actual": {str(l): p for l, p in zip((1, 2, 3), self.actual)},
                "gap_points": {str(l): g for l, g in zip((1, 2, 3), self.gaps)},
                "off_by_percent": self.off_by, "sentence": self.sentence()}
