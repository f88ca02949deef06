"""Promises as of a day: open, kept (on time or late), missed, cancelled."""
from __future__ import annotations

from datetime import date

STATUSES = ("open", "kept", "missed", "cancelled")


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
