"""Contacts: what counts as reaching someone, what is only an attempt, and how an attempt reads."""
from __future__ import annotations

from datetime import date

OUTCOMES = ("reached", "no_answer", "left_message", "bought", "declined", "do_not_contact")
ATTEMPTS = frozenset({"no_answer", "left_message"})  # the row stays; it shows the tries
DONE = frozenset({"reached", "bought", "declined", "do_not_contact"})  # the row is done
CONTACT_ALLOWED = "contact_allowed"  # not a call: the owner lifted a do-not-contact
CHANNELS = ("phone", "sms", "email", "visit")
OUTCOME_WORDS = {"reached": "reached", "no_answer": "no answer", "left_message": "left message",
                 "bought": "bought", "declined": "declined", "do_not_contact": "do not contact",
                 CONTACT_ALLOWED: "may be contacted again"}


def list_purpose(kind: str) -> str:
    """The purpose a contact logged from a call list is stored with (a rebuilt list finds it)."""
    return f"call_list:{kind}"


SHORT_WORDS = {"left_message": "left msg"}  # so a row's tries fit an 80-column terminal


def attempt_text(tries: int, last_outcome: str, last_on: date | None, today: date, short: bool = False) -> str:
    """"tried 2× · left message Tue": what a checklist row says about calls that did not reach."""
    if tries <= 0 or last_on is None:
        return ""
    words = (SHORT_WORDS if short else {}).get(last_outcome) or OUTCOME_WORDS.get(last_outcome, last_outcome)
    ago = (today - last_on).days
    when = f"{last_on:%a}" if 0 <= ago < 7 else f"{last_on.day} {last_on:%b}"  # short: fits an 80-column row
    return f"tried {tries}× · {words} {when}"
