"""A customer's right to be forgotten, and to see everything held about them."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, update
from sqlmodel import Session

from .figures import refresh_figures
from .models import (
    Contact, Customer, CustomerPhone, CustomerTag, Enquiry, FamilyDate, Feedback, Household, Promise, Referral, Sale,
    SaleCorrection, SaleLine, SaleVoid,
)


def erase_customer(session: Session, customer_id: int, today: date) -> None:
    """Remove the person's personal data; keep sales (anonymous totals) so the figures stay true."""
    customer = session.get(Customer, customer_id)
    customer.name = f"Erased customer #{customer_id}"
    customer.name_fold = ""
    customer.email = customer.email_fold = None
    customer.notes = customer.likes = customer.dislikes = customer.preferred_channel = ""
    customer.birthday = customer.birthday_md = None
    customer.marketing_consent = False
    customer.household_id = None
    customer.external_id = None
    customer.erased_on = today
    session.add(customer)
    session.execute(delete(CustomerPhone).where(CustomerPhone.customer_id == customer_id))
    session.execute(delete(FamilyDate).where(FamilyDate.customer_id == customer_id))
    session.execute(delete(CustomerTag).where(CustomerTag.customer_id == customer_id))
    session.execute(update(Contact).where(Contact.customer_id == customer_id).values(note=""))
    session.execute(update(Feedback).where(Feedback.customer_id == customer_id).values(text="", testimonial_ok=False))
    session.execute(update(Promise).where(Promise.customer_id == customer_id).values(text="(erased)"))
    session.execute(
        update(Promise)
        .where(Promise.customer_id == customer_id, Promise.status == "open")
        .values(status="cancelled", closed_on=today)
    )
    session.execute(update(Enquiry).where(Enquiry.customer_id == customer_id).values(
        what="(erased)", answer="", name="", phone=""))
    session.execute(update(Sale).where(Sale.customer_id == customer_id).values(note=""))
    session.execute(update(SaleVoid).where(SaleVoid.customer_id == customer_id).values(note=""))
    session.flush()
    refresh_figures(session, [customer_id])  # no testimonial left: the advocate day may go


def customer_data(session: Session, customer_id: int) -> dict | None:
    """Everything held about one customer, as plain JSON-ready data."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        return None

    def rows(model, *where):
        return [_plain(row) for row in session.execute(select(model).where(*where).order_by(model.id)).scalars()]

    data = _plain(customer)
    data["household"] = session.get(Household, customer.household_id).name if customer.household_id else None
    data["phones"] = [p["raw"] for p in rows(CustomerPhone, CustomerPhone.customer_id == customer_id)]
    data["family_dates"] = rows(FamilyDate, FamilyDate.customer_id == customer_id)
    data["tags"] = [t["tag"] for t in rows(CustomerTag, CustomerTag.customer_id == customer_id)]
    sales = rows(Sale, Sale.customer_id == customer_id)
    for sale in sales:
        sale["lines"] = rows(SaleLine, SaleLine.sale_id == sale["id"])
    data["sales"] = sales
    data["voided_sales"] = rows(SaleVoid, SaleVoid.customer_id == customer_id)
    ids = [s["id"] for s in sales] + [v["sale_id"] for v in data["voided_sales"]]
    data["sale_corrections"] = rows(SaleCorrection, SaleCorrection.sale_id.in_(ids)) if ids else []
    data["promises"] = rows(Promise, Promise.customer_id == customer_id)
    data["contacts"] = rows(Contact, Contact.customer_id == customer_id)
    data["feedback"] = rows(Feedback, Feedback.customer_id == customer_id)
    data["enquiries"] = rows(Enquiry, Enquiry.customer_id == customer_id)
    data["referred_by"] = rows(Referral, Referral.referee_id == customer_id)
    data["referred"] = rows(Referral, Referral.referrer_id == customer_id)
    return data


def _plain(row) -> dict:
    out = {}
    for key, value in row.model_dump().items():
        if key in ("name_fold", "email_fold", "reversed_digits", "birthday_md", "md"):
            continue
        out[key] = value.isoformat() if isinstance(value, date) else value
    return out
