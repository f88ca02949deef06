"""Taking back what a one-key action wrote (ctrl+z): each function runs inside the caller's one
transaction and returns the customer it concerned, or None when there was nothing to take back."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session

from .figures import refresh_figures
from .merge import history_counts
from .models import Contact, Customer, FollowUp, Promise, Referral, Sale, SaleLine


def _delete(session: Session, model: type, row_id: int) -> int | None:
    row = session.get(model, row_id)
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return row.customer_id


def delete_contact(session: Session, contact_id: int) -> int | None:
    return _delete(session, Contact, contact_id)


def delete_follow_up(session: Session, follow_up_id: int) -> int | None:
    return _delete(session, FollowUp, follow_up_id)


def reopen_promise(session: Session, promise_id: int) -> int | None:
    promise = session.get(Promise, promise_id)
    if promise is None:
        return None
    promise.status, promise.closed_on = "open", None
    session.add(promise)
    session.flush()
    return promise.customer_id


def delete_sale(session: Session, sale_id: int, drop_new_customer: bool = False) -> int | None:
    """Delete a sale and its lines and recompute the kept figures. With `drop_new_customer`, the
    customer created with it goes too if nothing else of theirs was recorded since."""
    sale = session.get(Sale, sale_id)
    if sale is None:
        return None
    customer_id = sale.customer_id
    session.execute(delete(SaleLine).where(SaleLine.sale_id == sale_id))
    session.delete(sale)
    session.flush()
    if customer_id is None:
        return None
    referrers = list(session.execute(select(Referral.referrer_id).where(Referral.referee_id == customer_id)).scalars())
    if drop_new_customer and not any(history_counts(session, customer_id).get(k) for k in
                                     ("sales", "promises", "contacts", "feedback", "family dates", "referred")):
        session.execute(delete(Referral).where(Referral.referee_id == customer_id))
        session.execute(delete(FollowUp).where(FollowUp.customer_id == customer_id))
        customer = session.get(Customer, customer_id)
        if customer is not None:
            session.delete(customer)  # phones go with it (ON DELETE CASCADE)
        session.flush()
        refresh_figures(session, referrers)
        return customer_id
    refresh_figures(session, [customer_id, *referrers])
    return customer_id
