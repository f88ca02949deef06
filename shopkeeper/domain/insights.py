"""The weekly figures: levels and the shop's shape, second-sale conversion, promise kept-rate,
the top 20%, advocates, households. Pure functions over plain rows; "today" is passed in."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from .levels import profile_shape

WINDOWS = (30, 60, 90)


@dataclass
class LevelsFigure:
    day: date
    counts: dict[int, int]

    @property
    def buyers(self) -> int:
        return self.counts[1] + self.counts[2] + self.counts[3]

    def percent(self, level: int) -> float:
        """Share of buying customers (levels 1-3) at a level; level 0 as a share of everyone."""
        total = sum(self.counts.values()) if level == 0 else self.buyers
        return round(100 * self.counts[level] / total, 1) if total else 0.0

    @property
    def shape(self) -> str:
        if not self.buyers:
            return "none yet"
        return profile_shape(self.percent(1), self.percent(2), self.percent(3))

    def to_json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "counts": {str(k): v for k, v in self.counts.items()},
            "percent": {str(k): self.percent(k) for k in range(4)},
            "shape": self.shape,
        }


@dataclass
class Cohort:
    month: str  # "2026-03"
    customers: int
    converted: dict[int, int]  # window days -> how many made a second purchase within it
    known: dict[int, int]  # window days -> how many first buyers that window has fully passed for

    def rate(self, window: int) -> float | None:
        return round(100 * self.converted[window] / self.known[window], 1) if self.known[window] else None

    def to_json(self) -> dict:
        return {"month": self.month, "customers": self.customers,
                **{f"within_{w}": self.rate(w) for w in WINDOWS}, "known": {str(w): self.known[w] for w in WINDOWS}}


def cohorts(pairs: list[tuple[date, date | None]], day: date, months: int = 12) -> list[Cohort]:
    """Second purchase within 30/60/90 days, by month of first purchase, for the last `months` months.

    A first buyer counts toward a window only once that window has fully passed (first + N <= day),
    so young cohorts are not shown as failures."""
    first_month = _add_months(day.replace(day=1), -(months - 1))
    by_month: dict[str, Cohort] = {}
    for m in range(months):
        key = _add_months(first_month, m).strftime("%Y-%m")
        by_month[key] = Cohort(key, 0, {w: 0 for w in WINDOWS}, {w: 0 for w in WINDOWS})
    for first, second in pairs:
        cohort = by_month.get(first.strftime("%Y-%m"))
        if cohort is None:
            continue
        cohort.customers += 1
        for window in WINDOWS:
            if (day - first).days >= window:
                cohort.known[window] += 1
                if second is not None and (second - first).days <= window:
                    cohort.converted[window] += 1
    return list(by_month.values())


def median_days_to_second(pairs: list[tuple[date, date | None]]) -> float | None:
    gaps = [(second - first).days for first, second in pairs if second is not None]
    return float(median(gaps)) if gaps else None


def lapsed_one_timers(pairs: list[tuple[date, date | None]], day: date, give_up_days: int) -> int:
    return sum(1 for first, second in pairs if second is None and (day - first).days > give_up_days)


@dataclass
class CallEffect:
    """Do second-sale calls work? Conversion within 30 days of a "reached" call, against
    first-timers never contacted, measured from the day their call would have been due."""

    reached: int
    reached_converted: int
    never: int
    never_converted: int

    @staticmethod
    def rate(n: int, k: int) -> float | None:
        return round(100 * k / n, 1) if n else None

    def to_json(self) -> dict:
        return {
            "reached": {"customers": self.reached, "converted_30": self.reached_converted,
                        "rate": self.rate(self.reached, self.reached_converted)},
            "never_contacted": {"customers": self.never, "converted_30": self.never_converted,
                                "rate": self.rate(self.never, self.never_converted)},
        }


def call_effect(contacted: list[tuple[date, date, date | None]], never: list[tuple[date, date | None]],
                day: date, after_days: int) -> CallEffect:
    reached = converted = 0
    for _first, called, second in contacted:
        if (day - called).days >= 30:
            reached += 1
            converted += second is not None and (second - called).days <= 30
    n_never = n_never_converted = 0
    for first, second in never:
        due = first + timedelta(days=after_days)
        if (day - due).days >= 30 and (second is None or second > due):
            n_never += 1
            n_never_converted += second is not None and (second - due).days <= 30
    return CallEffect(reached, converted, n_never, n_never_converted)


@dataclass
class PromiseFigures:
    kept_on_time: int = 0
    kept_late: int = 0
    missed: int = 0
    open: int = 0
    days_late_total: int = 0
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def kept_rate(self) -> float | None:
        """PRODUCT.md: kept on time / (kept + missed)."""
        kept = self.kept_on_time + self.kept_late
        return round(100 * self.kept_on_time / (kept + self.missed), 1) if kept + self.missed else None

    @property
    def average_days_late(self) -> float | None:
        return round(self.days_late_total / self.kept_late, 1) if self.kept_late else None

    def to_json(self) -> dict:
        months = []
        for month, row in sorted(self.by_month.items()):
            kept = row["on_time"] + row["late"]
            rate = round(100 * row["on_time"] / (kept + row["missed"]), 1) if kept + row["missed"] else None
            months.append({"month": month, **row, "kept_rate": rate})
        return {"kept_on_time": self.kept_on_time, "kept_late": self.kept_late, "missed": self.missed,
                "open": self.open, "kept_rate": self.kept_rate, "average_days_late": self.average_days_late,
                "by_month": months}


def promise_figures(rows: list[tuple[date, str, date | None]]) -> PromiseFigures:
    figures = PromiseFigures()
    for due, status, closed in rows:
        month = figures.by_month.setdefault(due.strftime("%Y-%m"), {"on_time": 0, "late": 0, "missed": 0})
        if status == "kept" and closed is not None and closed <= due:
            figures.kept_on_time += 1
            month["on_time"] += 1
        elif status == "kept":
            figures.kept_late += 1
            figures.days_late_total += (closed - due).days if closed else 0
            month["late"] += 1
        elif status == "missed":
            figures.missed += 1
            month["missed"] += 1
        elif status == "open":
            figures.open += 1
    return figures


@dataclass
class Pareto:
    customers: int  # how many make the top 20%
    of_customers: int
    top_spend_cents: int
    total_spend_cents: int
    top: list[tuple[int, str, int]]  # (id, name, spend)

    @property
    def share(self) -> float | None:
        return round(100 * self.top_spend_cents / self.total_spend_cents, 1) if self.total_spend_cents else None


def pareto(spend: list[tuple[int, str, int]], fraction: float = 0.2) -> Pareto:
    """The top `fraction` of spending customers (rounded up) and their share of all revenue."""
    n = math.ceil(len(spend) * fraction) if spend else 0
    top = spend[:n]
    return Pareto(n, len(spend), sum(s for _, _, s in top), sum(s for _, _, s in spend), top)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
