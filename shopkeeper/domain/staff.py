"""Staff: who works in the shop, their initials, and the service figures Insights gives per person.

Initials are 1-4 letters, upper case, unique in the shop; by default the first letters of the
first and last words of the name ("Anna Berg" -> "AB"). The figures are computed as of a day D
from plain rows (store/staff.py reads them), so the rules are here, testable without a database.
"""
from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from .errors import InputError
from .text import clean_line

MAX_INITIALS = 4
MAX_STAFF_NAME = 60
CONVERSION_DAYS = 30  # a call "worked" when the customer bought again within this many days


@dataclass(frozen=True)
class StaffView:
    id: int
    name: str
    initials: str
    retired_on: date | None = None

    @property
    def active(self) -> bool:
        return self.retired_on is None


def _letters(text: str) -> str:
    """Letters only, accents removed, upper case ("Zoë" -> "ZOE")."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if ch.isalpha() and ch.isascii()).upper()


def default_initials(name: str) -> str:
    """First letters of the first and last words ("Anna Maria Berg" -> "AB"; "Cher" -> "C")."""
    words = [w for w in (_letters(word) for word in name.split()) if w]
    if not words:
        return ""
    return words[0][0] + (words[-1][0] if len(words) > 1 else "")


def check_staff_name(name: str) -> str:
    name = clean_line(name, limit=MAX_STAFF_NAME + 1)
    if not name:
        raise InputError("type the person's name", "name")
    if len(name) > MAX_STAFF_NAME:
        raise InputError(f"the name is longer than {MAX_STAFF_NAME} characters", "name")
    return name


def check_initials(initials: str, name: str) -> str:
    """The initials as stored: typed ones checked (letters only, 1-4), else derived from the name."""
    typed = initials.strip()
    if not typed:
        derived = default_initials(name)
        if not derived:
            raise InputError("the name has no letters to make initials from: type initials", "initials")
        return derived
    if not all(ch.isalpha() for ch in typed):
        raise InputError("initials are letters only, e.g. AB", "initials")
    letters = _letters(typed)
    if len(letters) != len(typed):
        raise InputError("initials are plain letters A-Z, e.g. AB", "initials")
    if len(letters) > MAX_INITIALS:
        raise InputError(f"initials are at most {MAX_INITIALS} letters", "initials")
    return letters


# figures ----------------------------------------------------------------------------------------
@dataclass
class StaffFigures:
    """One person's service standards as of a day (None where there is nothing to measure)."""

    initials: str
    name: str
    promises_due: int = 0
    promises_kept: int = 0
    calls: int = 0
    bought_within_30_days: int = 0
    days_to_first_contact: list[int] = field(default_factory=list)

    @property
    def promise_kept_rate(self) -> float | None:
        """Percent of the promises due that were kept by their due day."""
        return round(100 * self.promises_kept / self.promises_due, 1) if self.promises_due else None

    @property
    def median_days_to_first_contact(self) -> float | None:
        if not self.days_to_first_contact:
            return None
        return float(statistics.median(self.days_to_first_contact))

    def to_json(self) -> dict:
        return {
            "initials": self.initials,
            "name": self.name,
            "promises_due": self.promises_due,
            "promises_kept": self.promises_kept,
            "promise_kept_rate": self.promise_kept_rate,
            "calls": self.calls,
            "bought_within_30_days": self.bought_within_30_days if self.calls else None,
            "median_days_to_first_contact": self.median_days_to_first_contact,
        }


@dataclass(frozen=True)
class PromiseFact:
    staff_id: int
    due_on: date
    status: str
    closed_on: date | None


@dataclass(frozen=True)
class ContactFact:
    """A contact (never a "contact allowed" lift) with its customer's first and second purchase days."""

    staff_id: int | None
    customer_id: int
    contacted_on: date
    first_purchase_on: date | None
    second_purchase_on: date | None


def staff_figures(staff: list[StaffView], promises: list[PromiseFact], contacts: list[ContactFact], day: date,
                  after_days: int, give_up_days: int) -> list[StaffFigures]:
    """Per staff member, as of D (the facts are those made or dated by D):

    - promises due: those they made, due by D and not cancelled by D; kept: of those, kept on or
      before the due day;
    - calls: their contacts to first-time buyers in the second-sale window (the contact's day is
      `after_days` to `give_up_days` days after the first purchase, with no second purchase by
      then); bought within 30 days: the customers of those calls whose second purchase came within
      30 days after one of them (and by D);
    - days to first contact: for each first-time buyer whose first contact after the first
      purchase day (while still a first-time buyer) was theirs, the days from the second-sale due
      day (first purchase + `after_days`, by D) to that contact (negative: called early)."""
    out = {s.id: StaffFigures(s.initials, s.name) for s in staff}
    for p in promises:
        figures = out.get(p.staff_id)
        if figures is None or p.due_on > day:
            continue
        closed = p.closed_on is not None and p.closed_on <= day
        if closed and p.status == "cancelled":
            continue
        figures.promises_due += 1
        if closed and p.status == "kept" and p.closed_on <= p.due_on:
            figures.promises_kept += 1
    converted: dict[int, set[int]] = {}
    first_contact: dict[int, ContactFact] = {}
    for c in sorted(contacts, key=lambda c: c.contacted_on):  # stable: the caller gives them in id order
        first, second = c.first_purchase_on, c.second_purchase_on
        if c.contacted_on > day or first is None or c.contacted_on <= first:
            continue
        if second is not None and second <= c.contacted_on:
            continue  # no longer a first-time buyer
        first_contact.setdefault(c.customer_id, c)
        figures = out.get(c.staff_id)
        if figures is None or not after_days <= (c.contacted_on - first).days <= give_up_days:
            continue
        figures.calls += 1
        if second is not None and second <= day and (second - c.contacted_on).days <= CONVERSION_DAYS:
            converted.setdefault(c.staff_id, set()).add(c.customer_id)
    for staff_id, customers in converted.items():
        out[staff_id].bought_within_30_days = len(customers)
    for c in first_contact.values():
        figures = out.get(c.staff_id)
        due = c.first_purchase_on + timedelta(days=after_days)
        if figures is not None and due <= day:
            figures.days_to_first_contact.append((c.contacted_on - due).days)
    return list(out.values())
