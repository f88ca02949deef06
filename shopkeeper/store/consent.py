"""Who may be contacted: the one rule every call list and checklist section uses.

A customer is "do not contact" on a day when their latest consent event on or before that day
is a contact with the outcome do_not_contact; the owner lifts it by logging the event
contact_allowed (kept as history, so a list rebuilt for an earlier day is still right).
"""
from __future__ import annotations

from ..domain.contacts import CONTACT_ALLOWED


def do_not_contact_ids(day: str = ":d") -> str:
    """The same rule as a set, for lists that filter many customers: the ids whose latest consent
    event on or before `day` is do_not_contact (a do_not_contact not followed by a lift).
    Computed once per query instead of one probe per candidate customer."""
    return f"""SELECT k.customer_id FROM contact k WHERE k.outcome = 'do_not_contact' AND k.contacted_on <= {day}
        AND NOT EXISTS (SELECT 1 FROM contact a WHERE a.customer_id = k.customer_id
              AND a.outcome = '{CONTACT_ALLOWED}' AND a.contacted_on <= {day}
              AND (a.contacted_on > k.contacted_on OR (a.contacted_on = k.contacted_on AND a.id > k.id)))"""


def do_not_contact(customer: str = "c.id", day: str = ":d") -> str:
    """SQL that is 1 when `customer` (a column) may not be contacted as of `day` (a parameter)."""
    return f"""COALESCE((SELECT k.outcome = 'do_not_contact' FROM contact k
        WHERE k.customer_id = {customer} AND k.contacted_on <= {day}
          AND k.outcome IN ('do_not_contact', '{CONTACT_ALLOWED}')
        ORDER BY k.contacted_on DESC, k.id DESC LIMIT 1), false)"""
