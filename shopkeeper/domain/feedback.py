"""Feedback figures for Insights: how many, the average score, and month by month (the trend)."""
from __future__ import annotations


def _average(total: int, count: int) -> str | None:
    """One decimal as text ("3.7"), like money: the JSON never carries a float's noise."""
    if not count:
        return None
    tenths = (total * 10 * 2 + count) // (count * 2)  # rounded half up, in whole numbers
    return f"{tenths // 10}.{tenths % 10}"


def feedback_figures(by_month: list[tuple[str, int, int, int]], months: int = 12) -> dict:
    """From (YYYY-MM, count, sum of scores, would-recommend yes) rows: the totals over all time, the
    last `months` months with feedback, and the trend (the latest month's average against the one
    before: up, down or steady)."""
    count = sum(n for _, n, _, _ in by_month)
    total = sum(s for _, _, s, _ in by_month)
    recent = by_month[-months:]
    trend = None
    if len(recent) >= 2:
        last, before = recent[-1][2] / recent[-1][1], recent[-2][2] / recent[-2][1]
        trend = "up" if last > before + 0.05 else "down" if last < before - 0.05 else "steady"
    return {
        "count": count,
        "average": _average(total, count),
        "would_recommend": sum(y for _, _, _, y in by_month),
        "trend": trend,
        "by_month": [{"month": m, "count": n, "average": _average(s, n), "would_recommend": y} for m, n, s, y in recent],
    }
