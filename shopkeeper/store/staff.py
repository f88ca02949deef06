"""The staff table, and the rows the per-person figures and the checklist's "mine" read.

Plain SQLAlchemy selects over the models: the same SQL on SQLite and PostgreSQL, dates as dates.
Each function runs inside the caller's session (one transaction).
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from sqlalchemy import select
from sqlmodel import Session

from ..domain.contacts import CONTACT_ALLOWED
from ..domain.errors import InputError
from ..domain.staff import ContactFact, PromiseFact, StaffView
from .first_reads import staff_list  # noqa: F401 - read without the models at start-up, said once there
from .models import Contact, Customer, Promise, Staff


def _view(row: Staff) -> StaffView:
    return StaffView(row.id, row.name, row.initials, row.retired_on)


def initials_by_id(session: Session) -> dict[int, str]:
    """Every staff member's initials (a handful of rows), to label what they recorded."""
    return {sid: initials for sid, initials in session.execute(select(Staff.id, Staff.initials))}


def _taken(session: Session, initials: str, other_than: int | None = None) -> None:
    row = session.execute(select(Staff).where(Staff.initials == initials)).scalar()
    if row is not None and row.id != other_than:
        who = f"{row.name} (retired)" if row.retired_on else row.name
        raise InputError(f"{initials} are already {who}'s initials", "initials")


def add_staff(session: Session, name: str, initials: str) -> int:
    _taken(session, initials)
    row = Staff(name=name, initials=initials)
    session.add(row)
    session.flush()
    return row.id


def get_staff(session: Session, staff_id: int) -> Staff:
    row = session.get(Staff, staff_id)
    if row is None:
        raise InputError(f"there is no staff member number {staff_id}", "staff")
    return row


def rename_staff(session: Session, staff_id: int, name: str, initials: str) -> None:
    row = get_staff(session, staff_id)
    _taken(session, initials, other_than=staff_id)
    row.name, row.initials = name, initials
    session.add(row)
    session.flush()


def retire_staff(session: Session, staff_id: int, day: date) -> StaffView:
    row = get_staff(session, staff_id)
    if row.retired_on is not None:
        raise InputError(f"{row.name} was already retired on {row.retired_on.isoformat()}", "staff")
    row.retired_on = day
    session.add(row)
    session.flush()
    return _view(row)


# figures ----------------------------------------------------------------------------------------
def promise_facts(session: Session, day: date) -> list[PromiseFact]:
    """The promises made by D by someone on the staff list."""
    rows = session.execute(
        select(Promise.staff_id, Promise.due_on, Promise.status, Promise.closed_on)
        .where(Promise.staff_id.is_not(None), Promise.made_on <= day).order_by(Promise.id)
    )
    return [PromiseFact(*row) for row in rows]


def contact_facts(session: Session, day: date) -> list[ContactFact]:
    """Every contact by D after a customer's first purchase day while they had bought on one day
    only (anyone's, for who was first), with those two days, in id order."""
    rows = session.execute(
        select(Contact.staff_id, Contact.customer_id, Contact.contacted_on, Customer.first_purchase_on,
               Customer.second_purchase_on)
        .join(Customer, Customer.id == Contact.customer_id)
        .where(Contact.contacted_on <= day, Contact.outcome != CONTACT_ALLOWED,
               Customer.first_purchase_on.is_not(None), Contact.contacted_on > Customer.first_purchase_on,
               (Customer.second_purchase_on.is_(None)) | (Customer.second_purchase_on > Contact.contacted_on))
        .order_by(Contact.id)
    )
    return [ContactFact(*row) for row in rows]


# the checklist's "mine" -------------------------------------------------------------------------
def promises_made_by(session: Session, staff_id: int, promise_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(promise_ids))
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(session.execute(
            select(Promise.id).where(Promise.id.in_(chunk), Promise.staff_id == staff_id)).scalars())
    return found


def last_contact_by(session: Session, purpose: str, subjects: Iterable[int], day: date) -> dict[int, int | None]:
    """subject id -> the staff id of the latest contact about it (purpose, subject) by D."""
    ids = sorted(set(subjects))
    latest: dict[int, tuple[date, int, int | None]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = session.execute(
            select(Contact.subject_id, Contact.contacted_on, Contact.id, Contact.staff_id)
            .where(Contact.purpose == purpose, Contact.subject_id.in_(chunk), Contact.contacted_on <= day)
        )
        for subject, on, contact_id, staff_id in rows:
            if subject not in latest or (on, contact_id) > latest[subject][:2]:
                latest[subject] = (on, contact_id, staff_id)
    return {subject: row[2] for subject, row in latest.items()}


def only_mine(session: Session, checklist, staff_id: int, day: date):
    """The checklist's rows that are this person's: the promises they made, and the calls whose
    latest contact (an attempt: the rows still listed were not done) was theirs."""
    from dataclasses import replace

    from ..domain.checklist import row_kind

    promises = checklist.promises_overdue + checklist.promises_due
    mine = promises_made_by(session, staff_id, [p.promise_id for p in promises])
    keep: dict[str, list] = {}
    for name, items in checklist.sections().items():
        if name.startswith("promises"):
            keep[name] = [p for p in items if p.promise_id in mine]
            continue
        by_purpose: dict[str, list[int]] = {}
        for item in items:
            purpose, subject = row_kind(item)
            by_purpose.setdefault(purpose, []).append(subject)
        last = {purpose: last_contact_by(session, purpose, subjects, day) for purpose, subjects in by_purpose.items()}
        keep[name] = [item for item in items if last[row_kind(item)[0]].get(row_kind(item)[1]) == staff_id]
    return replace(checklist, **keep, promises_snoozed=snoozed_promises_of(session, staff_id, day))


def snoozed_promises_of(session: Session, staff_id: int, day: date) -> list[tuple[date, date]]:
    """(due day, snoozed until) of this person's promises open and due on D that a snooze running
    on D keeps off the list (as the whole checklist counts them, for "mine")."""
    from sqlalchemy import func

    from .models import FollowUp

    rows = session.execute(
        select(Promise.id, Promise.due_on, func.max(FollowUp.until))
        .join(FollowUp, FollowUp.subject_id == Promise.id)
        .where(FollowUp.kind == "promise", FollowUp.action == "snooze", FollowUp.on_day <= day, FollowUp.until > day,
               Promise.staff_id == staff_id, Promise.due_on <= day, Promise.made_on <= day,
               (Promise.status == "open") | (Promise.closed_on > day))
        .group_by(Promise.id, Promise.due_on)
    )
    return [(due, until) for _, due, until in rows]
