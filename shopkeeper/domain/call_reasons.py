"""Why a customer is on a call list, in words: every row of `shopkeeper calls` and the lists says it."""
from __future__ import annotations

from datetime import date

from .dates import next_month_day

HOW = {"contact": "last reached", "purchase": "last bought", "added": "added"}


def _day(on: date | None) -> str:
    return on.isoformat() if on else "?"


def keep_in_touch_reason(last: date, how: str, day: date) -> str:
    """"not in touch for 143 days (last bought 2026-07-11)"."""
    return f"not in touch for {(day - last).days} days ({HOW.get(how, how)} {_day(last)})"


def referral_ask_reason(visits: int, score: int | None, given_on: date | None) -> str:
    """"5★ feedback on 2026-02-03 · 4 visits": what makes them a satisfied repeat customer."""
    parts = []
    if score is not None and score >= 4:
        parts.append(f"{score}★ feedback on {_day(given_on)}")
    if visits:
        parts.append(f"{visits} visit{'s' if visits != 1 else ''}")
    return " · ".join(parts) + " · never referred anyone"


def feedback_reason(score: int, complaint: bool, given_on: date, text: str) -> str:
    """"2★ complaint on 2026-02-03: rude staff"."""
    what = f"{score}★ {'complaint' if complaint else 'feedback'} on {_day(given_on)}"
    return f"{what}: {text}" if text else what


def list_reason(kind: str, value, day: date, words: str = "") -> str:
    """The reason of a row of the older lists, from the value their query gives with each id."""
    if kind == "items":
        return f"bought “{words}” on {_day(value)}"
    if kind == "lapsed":
        return f"one purchase, on {_day(value)}, none since"
    if kind == "birthdays":
        return f"birthday on {next_month_day(int(value), day).isoformat()}" if value else "birthday next month"
    if kind == "quiet":
        return f"top 20% by spend, last bought {_day(value)}"
    return ""
