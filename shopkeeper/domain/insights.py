"""The weekly figures: levels and the shop's shape, second-sale conversion, promise kept-rate,
the top 20%, advocates, households. Pure functions over plain rows; "today" is passed in."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from .dates import add_months
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

    `pairs` are (first purchase, second purchase by D or None); older first purchases are ignored.
    A first buyer counts toward a window only once that window has fully passed (first + N <= day),
    so young cohorts are not shown as failures."""
    first_month = add_months(day.replace(day=1), -(months - 1))
    by_month: dict[tuple[int, int], Cohort] = {}
    for m in range(months):
        start = add_months(first_month, m)
        by_month[(start.year, start.month)] = Cohort(start.strftime("%Y-%m"), 0, {w: 0 for w in WINDOWS},
                                                     {w: 0 for w in WINDOWS})
    today = day.toordinal()
    for first, second in pairs:
        cohort = by_month.get((first.year, first.month))
        if cohort is None:
            continue
        cohort.customers += 1
        age = today - first.toordinal()
        gap = None if second is None else second.toordinal() - first.toordinal()
        for window in WINDOWS:
            if age >= window:
                cohort.known[window] += 1
                if gap is not None and gap <= window:
                    cohort.converted[window] += 1
    return list(by_month.values())


def revenue_by_month(daily: list[tuple[date, int]], month_days: list[date]) -> list[tuple[str, int]]:
    """("2026-03", net cents) for each month ending on `month_days` (ascending, D last), from
    (day, cents) rows; a month with no sales is 0."""
    totals = {(d.year, d.month): 0 for d in month_days}
    for day, cents in daily:
        if (day.year, day.month) in totals:
            totals[(day.year, day.month)] += cents
    return [(f"{y:04d}-{m:02d}", cents) for (y, m), cents in totals.items()]


def median_of_counts(counts: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many), as statistics.median would give it."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    lower, upper = (total - 1) // 2, total // 2
    seen, low_value = 0, None
    for value, n in sorted(counts):
        if low_value is None and seen + n > lower:
            low_value = value
        if seen + n > upper:
            return (low_value + value) / 2
        seen += n
    return None


@dataclass
class CallEffect:
    """Do second-sale calls work? Conversion within 30 days of a "reached" call, against
    first-timers never contacted, measured from the day their call would have been due
    (the counting rules are in `store.insights_query.reached_calls` / `never_contacted_calls`)."""

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


def promise_figures(counts: list[tuple[str, str, bool, int, int]]) -> PromiseFigures:
    """From (due month, status as of D, closed by the due day, how many, days closed after due).

    Kept by the due day is on time; kept later is late (and counts its days late); open and
    cancelled promises only make their month appear."""
    figures = PromiseFigures()
    for month_key, status, on_time, n, days_after_due in counts:
        month = figures.by_month.setdefault(month_key, {"on_time": 0, "late": 0, "missed": 0})
        if status == "kept" and on_time:
            figures.kept_on_time += n
            month["on_time"] += n
        elif status == "kept":
            figures.kept_late += n
            figures.days_late_total += days_after_due
            month["late"] += n
        elif status == "missed":
            figures.missed += n
            month["missed"] += n
        elif status == "open":
            figures.open += n
    return figures


@dataclass
class Pareto:
    customers: int  # how many make the top 20%
    of_customers: int
    top_spend_cents: int
    total_spend_cents: int
    top: list[tuple[int, str, int]]  # (id, name, spend)
    phones: dict[int, str] = field(default_factory=dict)  # id -> first phone, for those who have one

    @property
    def share(self) -> float | None:
        return round(100 * self.top_spend_cents / self.total_spend_cents, 1) if self.total_spend_cents else None


def top_share_size(spenders: int, fraction: float = 0.2) -> int:
    """How many customers make the top `fraction` of `spenders` (rounded up)."""
    return math.ceil(spenders * fraction) if spenders else 0


# ---- the figures in words ---------------------------------------------------------------------
FEW = 5  # a rate resting on fewer customers than this is shown greyed, as too few to tell

SHAPE_MEANINGS = {
    "pyramid": "most customers buy once, fewer come back, fewest recommend you (the usual start)",
    "hourglass": "many first-timers and advocates, but few repeat buyers in between",
    "hexagon": "most customers come back, but few recommend you yet",
    "inverted pyramid": "advocates lead, then repeat buyers: the ideal shape",
    "flat": "as many customers at each level",
    "none yet": "nobody has bought yet",
}


def shape_words(shape: str) -> str:
    """"hexagon — most customers come back, but few recommend you yet — aim for more advocates"."""
    meaning = SHAPE_MEANINGS.get(shape)
    return f"{shape} — {meaning}" if meaning and shape != "none yet" else (meaning or shape)


def rate_words(k: int, n: int) -> str:
    """A rate with what it rests on: "100% (1 of 1)"; "—" with nobody to count."""
    return f"{100 * k / n:.0f}% ({k:,} of {n:,})" if n else "—"


def too_few(n: int) -> bool:
    return 0 < n < FEW


def conversion_totals(cohorts: list[Cohort], window: int = 90) -> tuple[int, int]:
    """(came back within `window` days, first buyers that window has passed for) over all cohorts."""
    return sum(c.converted[window] for c in cohorts), sum(c.known[window] for c in cohorts)


def plain_sentences(levels: LevelsFigure, cohorts: list[Cohort], promises: PromiseFigures, pareto: Pareto) -> list[str]:
    """What the figures say, in a shop owner's words, most useful first. Every rate says what it
    rests on, and one resting on fewer than FEW customers says it is too early to tell."""
    if not levels.buyers:
        return ["Nobody has bought yet: log your first sales and this page fills in."]
    out = [_levels_sentence(levels)]
    came_back, first_buyers = conversion_totals(cohorts)
    if first_buyers:
        sentence = f"{rate_words(came_back, first_buyers)} of your first-time buyers came back within 90 days"
        out.append(sentence + (" — too few yet to tell." if too_few(first_buyers) else "."))
    closed = promises.kept_on_time + promises.kept_late + promises.missed
    if closed:
        sentence = f"You kept {rate_words(promises.kept_on_time, closed)} of your promises on time"
        if promises.missed:
            sentence += f"; {promises.missed:,} missed"
        out.append(sentence + (" — too few yet to tell." if too_few(closed) else "."))
    if pareto.share is not None and pareto.of_customers >= FEW:
        out.append(f"Your best {pareto.customers:,} customers (the top 20%) bring {pareto.share:.0f}% of your takings.")
    return out


def _levels_sentence(levels: LevelsFigure) -> str:
    once, again, advocates = levels.percent(1), levels.percent(2), levels.percent(3)
    largest = max((once, 1), (again, 2), (advocates, 3))[1]
    most = "Most of your customers" if max(once, again, advocates) >= 50 else "The largest group of your customers"
    what = {1: "have bought once", 2: "have bought twice or more", 3: "recommend you"}[largest]
    if largest != 3 and advocates < 10:
        advice = "few recommend you yet — aim for more advocates"
    elif largest != 2 and again < min(once, advocates):
        advice = "few come back — bring first-timers back for a second sale"
    elif largest == 1:
        advice = "call first-timers for a second sale"
    else:
        advice = "keep it up"
    return f"{most} {what}; {advice}."
