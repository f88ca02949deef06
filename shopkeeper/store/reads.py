"""Reads that turn stored rows into the domain's plain views."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Iterable, Iterator

from sqlalchemy import func, select, text
from sqlmodel import Session

from ..domain.levels import level_on
from ..domain.records import (
    ContactView, CustomerCard, CustomerRow, FamilyDateView, FeedbackView, PromiseView, ReferralView,
    SaleEditView, SaleLineView, SaleView, VoidedSaleView,
)
from ..domain.tags import tag_key
from . import corrections
from .consent import do_not_contact
from .first_reads import load_settings  # noqa: F401 - read without the models at start-up, said once there
from .staff import initials_by_id
from .tags import tags_of
from .models import (
    Contact, Customer, CustomerPhone, CustomerTag, FamilyDate, Feedback, FollowUp, Household, Promise, Referral, Sale,
    SaleLine,
)

SORTS = {
    "name": (Customer.name_fold, Customer.id),
    "level": (Customer.advocate_since.is_(None), Customer.purchase_days.desc(), Customer.id),
    "spend": (Customer.total_spend_cents.desc(), Customer.id),
    "last_purchase": (Customer.last_purchase_on.is_(None), Customer.last_purchase_on.desc(), Customer.id),
}


def customer_level(customer: Customer, day: date) -> int:
    return level_on(day, customer.first_purchase_on, customer.second_purchase_on, customer.advocate_since)


def first_phones(session: Session, ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(ids)
    phones: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return phones
    rows = session.execute(
        select(CustomerPhone.customer_id, CustomerPhone.raw)
        .where(CustomerPhone.customer_id.in_(ids))
        .order_by(CustomerPhone.id)
    )
    for cid, raw in rows:
        phones[cid].append(raw)
    return phones


def customer_rows(session: Session, ids: list[int], day: date) -> list[CustomerRow]:
    """Rows for these ids, in the order given."""
    if not ids:
        return []
    customers = {c.id: c for c in session.execute(select(Customer).where(Customer.id.in_(ids))).scalars()}
    phones = first_phones(session, ids)
    tags = tags_of(session, ids)
    return [_row(customers[i], phones.get(i, []), day, tags.get(i, ())) for i in ids if i in customers]


def _row(customer: Customer, phones: list[str], day: date, tags=()) -> CustomerRow:
    return CustomerRow(
        id=customer.id,
        name=customer.name,
        phone=phones[0] if phones else "",
        email=customer.email or "",
        level=customer_level(customer, day),
        total_spend_cents=customer.total_spend_cents,
        purchase_days=customer.purchase_days,
        last_purchase_on=customer.last_purchase_on,
        marketing_consent=bool(customer.marketing_consent),
        tags=tuple(tags),
    )


def count_customers(session: Session, tag: str | None = None) -> int:
    if tag:
        return int(session.execute(select(func.count()).select_from(CustomerTag)
                                   .where(CustomerTag.tag_fold == tag_key(tag))).scalar() or 0)
    return int(session.execute(select(func.count()).select_from(Customer)).scalar() or 0)


def customer_page(session: Session, day: date, sort: str, offset: int, limit: int,
                  tag: str | None = None) -> list[CustomerRow]:
    """One page of all customers in the chosen order (an index serves each order); given a tag,
    only the customers with it."""
    stmt = select(Customer)
    if tag:
        stmt = stmt.where(Customer.id.in_(select(CustomerTag.customer_id).where(CustomerTag.tag_fold == tag_key(tag))))
    customers = list(session.execute(stmt.order_by(*SORTS[sort]).offset(offset).limit(limit)).scalars())
    ids = [c.id for c in customers]
    phones, tags = first_phones(session, ids), tags_of(session, ids)
    return [_row(c, phones.get(c.id, []), day, tags.get(c.id, ())) for c in customers]


def _sale_views(session: Session, sales: list[Sale], names: dict[int, str]) -> list[SaleView]:
    lines: dict[int, list[SaleLineView]] = defaultdict(list)
    if sales:
        rows = session.execute(
            select(SaleLine).where(SaleLine.sale_id.in_([s.id for s in sales])).order_by(SaleLine.id)
        ).scalars()
        for line in rows:
            lines[line.sale_id].append(SaleLineView(line.description, line.quantity, line.unit_price_cents))
    ids = [s.id for s in sales]
    refunded = corrections.refunded_cents(session, ids)
    edits = corrections.corrections_of(session, ids)
    who = initials_by_id(session) if sales else {}
    return [
        SaleView(
            id=s.id,
            customer_id=s.customer_id,
            customer_name=names.get(s.customer_id, "") if s.customer_id else "walk-in",
            sold_on=s.sold_on,
            amount_cents=s.amount_cents,
            item_count=s.item_count,
            on_sale=s.on_sale,
            note=s.note,
            lines=tuple(lines.get(s.id, ())),
            refund_of_id=s.refund_of_id,
            refunded_cents=refunded.get(s.id, 0),
            edits=tuple(_edit_view(e, who) for e in edits.get(s.id, ())),
            staff=who.get(s.staff_id, ""),
            cost_cents=s.cost_cents,
        )
        for s in sales
    ]


def _edit_view(e, who: dict[int, str] | None = None) -> SaleEditView:
    return SaleEditView(e.corrected_on, e.reason, e.old_amount_cents, e.new_amount_cents, e.old_sold_on, e.new_sold_on,
                        e.old_item_count, e.new_item_count, e.old_customer_id, e.new_customer_id,
                        (who or {}).get(e.staff_id, ""))


def voided_view(v, who: dict[int, str] | None = None) -> VoidedSaleView:
    who = who or {}
    return VoidedSaleView(v.sale_id, v.customer_id, v.sold_on, v.amount_cents, v.item_count, v.voided_on, v.reason,
                          v.refund_of_id, v.on_sale, v.note, who.get(v.staff_id, ""), who.get(v.voided_by_id, ""))


def customer_sales(session: Session, customer_id: int, limit: int = 200) -> list[SaleView]:
    """A customer's sales and refunds, newest first (the pickers of the card's corrections)."""
    sales = list(
        session.execute(
            select(Sale).where(Sale.customer_id == customer_id).order_by(Sale.sold_on.desc(), Sale.id.desc()).limit(limit)
        ).scalars()
    )
    customer = session.get(Customer, customer_id)
    return _sale_views(session, sales, {customer_id: customer.name if customer else ""})


def sale_view(session: Session, sale_id: int) -> SaleView | None:
    row = session.execute(
        select(Sale, Customer.name).outerjoin(Customer, Customer.id == Sale.customer_id).where(Sale.id == sale_id)
    ).first()
    if row is None:
        return None
    sale, name = row
    return _sale_views(session, [sale], {sale.customer_id: name} if sale.customer_id else {})[0]


def _promise_view(p: Promise, name: str, who: dict[int, str] | None = None) -> PromiseView:
    return PromiseView(p.id, p.customer_id, name, p.text, p.made_on, p.due_on, p.status, p.closed_on,
                       staff=(who or {}).get(p.staff_id, ""))


def do_not_contact_since(session: Session, customer_id: int, day: date) -> date | None:
    """The day the customer asked not to be contacted, if that still holds on `day` (store/consent.py)."""
    row = session.execute(text(f"""
        SELECT (SELECT MAX(k2.contacted_on) FROM contact k2 WHERE k2.customer_id = :cid
                  AND k2.outcome = 'do_not_contact' AND k2.contacted_on <= :d)
        WHERE {do_not_contact(':cid', ':d')}"""), {"cid": customer_id, "d": day.isoformat()}).first()
    return date.fromisoformat(str(row[0])[:10]) if row and row[0] else None


def customer_card(session: Session, customer_id: int, day: date, recent: int = 10) -> CustomerCard | None:
    customer = session.get(Customer, customer_id)
    if customer is None:
        return None
    phones = first_phones(session, [customer_id]).get(customer_id, [])
    household = session.get(Household, customer.household_id).name if customer.household_id else ""
    sales = list(
        session.execute(
            select(Sale).where(Sale.customer_id == customer_id).order_by(Sale.sold_on.desc(), Sale.id.desc()).limit(recent)
        ).scalars()
    )
    promises = session.execute(
        select(Promise).where(Promise.customer_id == customer_id, Promise.status == "open").order_by(Promise.due_on)
    ).scalars()
    contacts = session.execute(
        select(Contact).where(Contact.customer_id == customer_id).order_by(Contact.contacted_on.desc(), Contact.id.desc()).limit(20)
    ).scalars()
    feedback = session.execute(
        select(Feedback).where(Feedback.customer_id == customer_id).order_by(Feedback.given_on.desc())
    ).scalars()
    family = session.execute(
        select(FamilyDate).where(FamilyDate.customer_id == customer_id).order_by(FamilyDate.md, FamilyDate.id)
    ).scalars()
    referred_by = None
    ref = session.execute(select(Referral).where(Referral.referee_id == customer_id)).scalar()
    if ref is not None:
        referrer = session.get(Customer, ref.referrer_id)
        referred_by = ReferralView(referrer.id, referrer.name, ref.referred_on, referrer.first_purchase_on is not None)
    referrals = [
        ReferralView(c.id, c.name, r.referred_on, c.first_purchase_on is not None)
        for r, c in session.execute(
            select(Referral, Customer).join(Customer, Customer.id == Referral.referee_id).where(Referral.referrer_id == customer_id)
        )
    ]
    who = initials_by_id(session)
    average = None
    if customer.purchase_days >= 2 and customer.first_purchase_on and customer.last_purchase_on:
        average = (customer.last_purchase_on - customer.first_purchase_on).days / (customer.purchase_days - 1)
    return CustomerCard(
        id=customer.id,
        name=customer.name,
        phones=phones,
        email=customer.email or "",
        notes=customer.notes,
        likes=customer.likes,
        dislikes=customer.dislikes,
        birthday=customer.birthday,
        preferred_channel=customer.preferred_channel,
        marketing_consent=customer.marketing_consent,
        household=household,
        external_id=customer.external_id or "",
        level=customer_level(customer, day),
        total_spend_cents=customer.total_spend_cents,
        purchase_days=customer.purchase_days,
        first_purchase_on=customer.first_purchase_on,
        last_purchase_on=customer.last_purchase_on,
        average_days_between=average,
        family_dates=[FamilyDateView(f.label, f.on, f.id, f.md) for f in family],
        birthday_md=customer.birthday_md,
        do_not_contact_since=do_not_contact_since(session, customer_id, day),
        sales=_sale_views(session, sales, {customer.id: customer.name}),
        voided_sales=[voided_view(v, who) for v in corrections.voided_of_customer(session, customer_id)],
        open_promises=[_promise_view(p, customer.name, who) for p in promises],
        contacts=[ContactView(c.id, c.contacted_on, c.channel, c.outcome, c.note, c.purpose, who.get(c.staff_id, ""))
                  for c in contacts],
        feedback=[FeedbackView(f.id, f.given_on, f.score, f.text, f.testimonial_ok, f.would_recommend, bool(f.complaint), who.get(f.staff_id, ""))
                  for f in feedback],
        referred_by=referred_by,
        referrals=referrals,
        tags=tags_of(session, [customer_id]).get(customer_id, []),
    )


def open_promises(session: Session, limit: int = 500, day: date | None = None) -> list[PromiseView]:
    """Open promises by due day; given `day`, each says until when a snooze running then hides it."""
    rows = session.execute(
        select(Promise, Customer.name)
        .join(Customer, Customer.id == Promise.customer_id)
        .where(Promise.status == "open")
        .order_by(Promise.due_on, Promise.id)
        .limit(limit)
    ).all()
    snoozes = snoozed_promises(session, [p.id for p, _ in rows], day) if day else {}
    who = initials_by_id(session) if rows else {}
    return [replace(_promise_view(p, name, who), snoozed_until=snoozes.get(p.id)) for p, name in rows]


def snoozed_promises(session: Session, ids: list[int], day: date) -> dict[int, date]:
    """promise id -> the day its snooze ends, for the promises whose snooze runs on `day`."""
    if not ids:
        return {}
    rows = session.execute(
        select(FollowUp.subject_id, func.max(FollowUp.until))
        .where(FollowUp.kind == "promise", FollowUp.action == "snooze", FollowUp.subject_id.in_(ids),
               FollowUp.on_day <= day, FollowUp.until > day)
        .group_by(FollowUp.subject_id)
    )
    return {pid: until if isinstance(until, date) else date.fromisoformat(str(until)[:10]) for pid, until in rows}


def promise_view(session: Session, promise_id: int) -> PromiseView | None:
    row = session.execute(
        select(Promise, Customer.name).join(Customer, Customer.id == Promise.customer_id).where(Promise.id == promise_id)
    ).first()
    return _promise_view(*row, initials_by_id(session)) if row else None


def iter_customers_export(session: Session, day: date) -> Iterator[dict]:
    """Every customer with phones, email and level, for export; streamed in id order."""
    last_id = 0
    while True:
        batch = list(
            session.execute(select(Customer).where(Customer.id > last_id).order_by(Customer.id).limit(1000)).scalars()
        )
        if not batch:
            return
        ids = [c.id for c in batch]
        phones = defaultdict(list)
        for cid, raw in session.execute(
            select(CustomerPhone.customer_id, CustomerPhone.raw).where(CustomerPhone.customer_id.in_(ids)).order_by(CustomerPhone.id)
        ):
            phones[cid].append(raw)
        referrers = dict(
            session.execute(select(Referral.referee_id, Referral.referrer_id).where(Referral.referee_id.in_(ids))).all()
        )
        tags = tags_of(session, ids)
        for c in batch:
            yield {
                "id": c.id,
                "external_id": c.external_id or "",
                "name": c.name,
                "phones": phones.get(c.id, []),
                "email": c.email or "",
                "level": customer_level(c, day),
                "total_spend_cents": c.total_spend_cents,
                "purchase_days": c.purchase_days,
                "first_purchase_on": c.first_purchase_on.isoformat() if c.first_purchase_on else "",
                "last_purchase_on": c.last_purchase_on.isoformat() if c.last_purchase_on else "",
                "birthday": c.birthday.isoformat() if c.birthday else (
                    f"--{c.birthday_md // 100:02}-{c.birthday_md % 100:02}" if c.birthday_md else ""),  # ISO 8601 without a year
                "preferred_channel": c.preferred_channel,
                "marketing_consent": c.marketing_consent,
                "referred_by": referrers.get(c.id),
                "notes": c.notes,
                "likes": c.likes,
                "dislikes": c.dislikes,
                "tags": tags.get(c.id, []),
            }
        last_id = ids[-1]


def iter_voided_export(session: Session) -> Iterator[tuple[VoidedSaleView, str, tuple[SaleLineView, ...]]]:
    """Every voided sale with its customer's name and its lines, in the order of their old ids."""
    import json

    from .models import SaleVoid

    rows = session.execute(
        select(SaleVoid, Customer.name).outerjoin(Customer, Customer.id == SaleVoid.customer_id).order_by(SaleVoid.sale_id)
    )
    for v, name in rows:
        lines = tuple(SaleLineView(l["description"], l["quantity"], l["unit_price_cents"]) for l in json.loads(v.lines_json))
        yield voided_view(v), (name or "") if v.customer_id else "walk-in", lines


def iter_sales_export(session: Session) -> Iterator[SaleView]:
    last_id = 0
    while True:
        rows = list(
            session.execute(
                select(Sale, Customer.name)
                .outerjoin(Customer, Customer.id == Sale.customer_id)
                .where(Sale.id > last_id)
                .order_by(Sale.id)
                .limit(2000)
            )
        )
        if not rows:
            return
        sales = [sale for sale, _ in rows]
        names = {sale.customer_id: name for sale, name in rows if sale.customer_id}
        yield from _sale_views(session, sales, names)
        last_id = sales[-1].id


def recent_sale_amounts(session: Session, count: int) -> list[int]:
    """The amounts of the shop's last `count` sales above zero (newest first, by rowid: no scan)."""
    rows = session.execute(select(Sale.amount_cents).where(Sale.amount_cents > 0).order_by(Sale.id.desc()).limit(count))
    return [row[0] for row in rows]
