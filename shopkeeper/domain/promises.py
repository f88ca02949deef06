"""Promises as of a day: open, kept (on time or late), missed, cancelled."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable

def status_on(status: str, closed_on: date | None, day: date) -> str:
    """The status the promise had on `day`: a promise closed after `day` was still open then."""
    if status != "open" and closed_on is not None and closed_on > day:
        return "open"
    return status


def due_state(due_on: date, day: date) -> str:
    """'overdue' (due before day), 'due' (due on day) or 'later'."""
    if due_on < day:
        return "overdue"
    if due_on == day:
        return "due"
    return "later"


def kept_late(due_on: date, kept_on: date | None) -> bool:
    """Kept after the due day. status_on and this are said again in the checklist's and insights'
    SQL (as index ranges); test_rules_live_once holds the two together day by day."""
    return kept_on is not None and kept_on > due_on


def promise_state(due_on: date, day: date, snoozed_until: date | None = None) -> str:
    """The one rule the checklist and the promises screen share: a promise due by `day` whose
    snooze runs past `day` is 'snoozed' (still late, but not counted overdue or due until the
    snooze ends); otherwise 'overdue', 'due' or 'later'."""
    state = due_state(due_on, day)
    if state != "later" and snoozed_until is not None and snoozed_until > day:
        return "snoozed"
    return state


@dataclass(frozen=True)
class PromiseCounts:
    overdue: int = 0
    due: int = 0
    later: int = 0
    snoozed: int = 0


def count_promises(promises: Iterable[tuple[date, date | None]], day: date) -> PromiseCounts:
    """How many open promises are overdue, due, later and snoozed on `day`, from
    (due day, snoozed until or None) pairs: both screens count with this."""
    counts = Counter(promise_state(due_on, day, until) for due_on, until in promises)
    return PromiseCounts(counts["overdue"], counts["due"], counts["later"], counts["snoozed"])
