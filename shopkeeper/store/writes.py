"""Writes to the shop's tables. Each function runs inside the caller's one transaction."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlmodel import Session

from ..domain.dates import month_day
from ..domain.phones import distinct_numbers
from ..domain.records import CustomerFields, LineInput  # noqa: F401 - defined with the other plain shapes
from ..domain.text import fold
from .corrections import next_sale_id
from .figures import refresh_figures
from .models import (
    Contact, Customer, CustomerPhone, FamilyDate, Feedback, FollowUp, Household, Promise, Referral, Sale,
    SaleLine, Setting,
)


def save_settings(session: Session, values: dict[str, str]) -> None:
    for key, value in values.items():
        session.merge(Setting(key=key, value=value))


def _household_id(session: Session, name: str) -> int | None:
    name = name.strip()
    if not name:
        return None
    found = session.execute(select(Household.id).where(Household.name == name)).scalar()
    if found is not None:
        return found
    household = Household(name=name)
    session.add(household)
    session.flush()
    return household.id


def apply_customer_fields(session: Session, customer: Customer, data: CustomerFields, region: str) -> None:
    if data.name is not None:
        customer.name = data.name
        customer.name_fold = fold(data.name)
    if data.email is not None:
        customer.email = data.email or None
        customer.email_fold = fold(data.email) or None
    for attr in ("notes", "likes", "dislikes", "preferred_channel", "marketing_consent"):
        value = getattr(data, attr)
        if value is not None:
            setattr(customer, attr, value)
    if data.external_id is not None:
        customer.external_id = data.external_id or None
    if data.birthday is not None or data.clear_birthday or data.birthday_md is not None:
        customer.birthday = data.birthday
        customer.birthday_md = month_day(data.birthday) if data.birthday else data.birthday_md
    if data.household is not None:
        customer.household_id = _household_id(session, data.household)
    session.add(customer)
    session.flush()
    if data.phones is not None:
        set_phones(session, customer.id, data.phones, region)
    if data.tags:
        from .tags import add_tags

        add_tags(session, customer.id, data.tags)


def set_phones(session: Session, customer_id: int, phones: list[str], region: str) -> None:
    """Replace the customer's phone numbers, keeping each as typed plus its normalised forms."""
    session.execute(delete(CustomerPhone).where(CustomerPhone.customer_id == customer_id))
    for raw, keys in distinct_numbers(phones, region):
        session.add(
            CustomerPhone(
                customer_id=customer_id,
                raw=raw,
                national=keys.national,
                e164=keys.e164,
                reversed_digits=keys.reversed_digits,
            )
        )


def create_customer(session: Session, data: CustomerFields, region: str, today: date) -> int:
    customer = Customer(name="", created_on=today)
    apply_customer_fields(session, customer, data, region)
    return customer.id


def add_family_date(session: Session, customer_id: int, label: str, on: date | None, md: int | None = None) -> int:
    """A family or other personal date; `on` is None when its year is not known (then `md` is given)."""
    row = FamilyDate(customer_id=customer_id, label=label, on=on, md=month_day(on) if on else md)
    session.add(row)
    session.flush()
    return row.id


def insert_sale(
    session: Session,
    customer_id: int | None,
    sold_on: date,
    amount_cents: int,
    *,
    item_count: int = 1,
    on_sale: bool = False,
    note: str = "",
    lines: list[LineInput] | None = None,
    import_key: str | None = None,
    refund_of_id: int | None = None,
    refresh: bool = True,
    staff_id: int | None = None,
    cost_cents: int | None = None,
) -> int:
    sale = Sale(id=next_sale_id(session), customer_id=customer_id, sold_on=sold_on, amount_cents=amount_cents,
                item_count=item_count, on_sale=on_sale, note=note, import_key=import_key, refund_of_id=refund_of_id,
                staff_id=staff_id, cost_cents=cost_cents)
    session.add(sale)
    session.flush()
    for line in lines or []:
        session.add(SaleLine(sale_id=sale.id, description=line.description, quantity=line.quantity,
                             unit_price_cents=line.unit_price_cents))
    if refresh:
        refresh_figures(session, [customer_id])
    return sale.id


def set_referral(session: Session, referee_id: int, referrer_id: int, on: date, staff_id: int | None = None) -> None:
    """Record who referred this customer (at most one referrer), keeping levels exact."""
    existing = session.execute(select(Referral).where(Referral.referee_id == referee_id)).scalar()
    old_referrer = existing.referrer_id if existing else None
    if existing:
        existing.referrer_id = referrer_id
        existing.referred_on = on
        existing.staff_id = staff_id
        session.add(existing)
    else:
        session.add(Referral(referrer_id=referrer_id, referee_id=referee_id, referred_on=on, staff_id=staff_id))
    session.flush()
    refresh_figures(session, [referrer_id, old_referrer])


def add_promise(session: Session, customer_id: int, text: str, made_on: date, due_on: date,
                staff_id: int | None = None) -> int:
    promise = Promise(customer_id=customer_id, text=text, made_on=made_on, due_on=due_on, staff_id=staff_id)
    session.add(promise)
    session.flush()
    return promise.id


def add_contact(session: Session, customer_id: int, on: date, outcome: str, note: str = "", *, channel: str = "phone",
                purpose: str = "general", subject_id: int | None = None, staff_id: int | None = None) -> int:
    contact = Contact(customer_id=customer_id, contacted_on=on, outcome=outcome, note=note, channel=channel,
                      purpose=purpose, subject_id=subject_id, staff_id=staff_id)
    session.add(contact)
    session.flush()
    return contact.id


def add_follow_up(
    session: Session, customer_id: int, kind: str, subject_id: int, action: str, on: date, until: date | None = None
) -> int:
    follow_up = FollowUp(customer_id=customer_id, kind=kind, subject_id=subject_id, action=action, on_day=on, until=until)
    session.add(follow_up)
    session.flush()
    return follow_up.id


def add_feedback(session: Session, customer_id: int, on: date, score: int, text: str, testimonial_ok: bool,
                 would_recommend: bool | None = None, complaint: bool = False, staff_id: int | None = None) -> None:
    session.add(Feedback(customer_id=customer_id, given_on=on, score=score, text=text, testimonial_ok=testimonial_ok,
                         would_recommend=would_recommend, complaint=complaint, staff_id=staff_id))
    session.flush()
    refresh_figures(session, [customer_id])
