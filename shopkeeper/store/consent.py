"""Who may be contacted: the one rule every call list and checklist section uses.

A customer is "do not contact" on a day when their latest consent event on or before that day
is a contact with the outcome do_not_contact; the owner lifts it by logging the event
contact_allowed (kept as history, so a list rebuilt for an earlier day is still right).
"""
from __future__ import annotations

from ..domain.contacts import CONTACT_ALLOWED


def do_not_contact(customer: str = "c.id", day: str = ":d") -> str:
    """SQL that is 1 when `customer` (a column) may not be contacted as of `day` (a parameter)."""
    return f"""COALESCE((SELECT k.outcome = 'do_not_contact' FROM contact k
        WHERE k.customer_id = {customer} AND k.contacted_on <= {day}
          AND k.outcome IN ('do_not_contact', '{CONTACT_ALLOWED}')
        ORDER BY k.contacted_on DESC, k.id DESC LIMIT 1), 0)"""
