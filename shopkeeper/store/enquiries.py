"""Enquiries in the database: log, answer, list as of a day. Inside the caller's transaction."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from ..domain.enquiries import EnquiryView
from .models import Customer, Enquiry
from .reads import first_phones


def add(session: Session, customer_id: int | None, name: str, phone: str, what: str, channel: str, asked_on: date) -> int:
    row = Enquiry(customer_id=customer_id, name=name, phone=phone, what=what, channel=channel, asked_on=asked_on)
    session.add(row)
    session.flush()
    return row.id


def views(session: Session, day: date, open_only: bool = False, limit: int = 500) -> list[EnquiryView]:
    """Enquiries asked by D, newest first (open only: those not answered by D, oldest first)."""
    query = select(Enquiry, Customer.name).outerjoin(Customer, Customer.id == Enquiry.customer_id).where(
        Enquiry.asked_on <= day)
    if open_only:
        query = query.where(or_(Enquiry.answered_on.is_(None), Enquiry.answered_on > day)).order_by(
            Enquiry.asked_on, Enquiry.id)
    else:
        query = query.order_by(Enquiry.asked_on.desc(), Enquiry.id.desc())
    rows = session.execute(query.limit(limit)).all()
    phones = first_phones(session, [e.customer_id for e, _ in rows if e.customer_id])
    out = []
    for enquiry, customer_name in rows:
        known = phones.get(enquiry.customer_id, []) if enquiry.customer_id else []
        answered = enquiry.answered_on if enquiry.answered_on is not None and enquiry.answered_on <= day else None
        out.append(EnquiryView(enquiry.id, enquiry.customer_id, customer_name or enquiry.name or "?",
                               enquiry.phone or (known[0] if known else ""), enquiry.what, enquiry.channel,
                               enquiry.asked_on, answered, enquiry.answer if answered else ""))
    return out


def asked_and_answered(session: Session, day: date) -> list[tuple[date, date | None]]:
    """(asked on, answered on) of every enquiry asked by D, for the response time."""
    rows = session.execute(select(Enquiry.asked_on, Enquiry.answered_on).where(Enquiry.asked_on <= day)).all()
    return [(asked, answered) for asked, answered in rows]
