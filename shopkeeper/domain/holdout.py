"""Forecast against what happened: insights as of a past day D, when sales after D exist, set the
BG/NBD forecast for the customers known on D beside what those customers then bought, week by week
(cumulative, as in Fader, Hardie & Lee 2005, figure 4). Pure numpy; D and the data's end passed in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and the models load only when insights run (see shopkeeper/insights.py)
    from .ltv import BgNbdParams, RfmSummary

MAX_WEEKS = 52


@dataclass(frozen=True)
class Holdout:
    """Cumulative repeat purchases (visit days) in weeks 1..N after D: expected and actual."""

    expected_cumulative: list[float]
    actual_cumulative: list[int]

    @property
    def weeks(self) -> int:
        return len(self.actual_cumulative)

    def to_json(self) -> dict:
        return {
            "weeks": self.weeks,
            "expected": self.expected_cumulative[-1],
            "actual": self.actual_cumulative[-1],
            "by_week": [{"week": k + 1, "expected_cumulative": e, "actual_cumulative": a}
                        for k, (e, a) in enumerate(zip(self.expected_cumulative, self.actual_cumulative))],
        }


def holdout_weeks(day: date, last_day: date | None, most: int = MAX_WEEKS) -> int:
    """Whole weeks of data after D (a part week would set a week's forecast against days), <= most."""
    if last_day is None or last_day <= day:
        return 0
    return min(most, (last_day - day).days // 7)


def holdout_end(day: date, weeks: int) -> date:
    return day + timedelta(days=7 * weeks)


def holdout(params: "BgNbdParams", summary: "RfmSummary", visits_after: list[tuple[int, date]],
            weeks: int) -> Holdout | None:
    """Expected (sum over the summary's customers of E[X(k weeks) | x, t_x, T], eq. 10) against
    actual (their visit days in (D, D + 7k]) for k = 1..weeks; None when weeks is 0.

    `visits_after` are distinct (customer, day) visits after D; customers not in the summary
    (first seen after D) are not counted: the forecast is for the customers known on D."""
    import numpy as np

    from .ltv import _compress, _dot, expected_purchases

    if weeks <= 0 or not len(summary):
        return None
    (x, t_x, T), counts = _compress(summary.x, summary.t_x, summary.T)
    unit = summary.time_unit_days
    expected = [_dot(counts, expected_purchases(params, 7 * k / unit, x, t_x, T))
                for k in range(1, weeks + 1)]
    known = np.asarray(summary.ids)
    ids = np.fromiter((cid for cid, _ in visits_after), dtype=np.int64, count=len(visits_after))
    offsets = np.fromiter(((on - summary.calibration_end).days for _, on in visits_after), dtype=np.int64,
                          count=len(visits_after))
    at = np.clip(np.searchsorted(known, ids), 0, max(len(known) - 1, 0))
    mine = (known[at] == ids) & (offsets > 0) & (offsets <= 7 * weeks)
    per_week = np.bincount((offsets[mine] - 1) // 7, minlength=weeks)[:weeks]
    return Holdout(expected, [int(v) for v in np.cumsum(per_week)])
