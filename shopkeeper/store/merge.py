"""Likely duplicate customers, and merging two of them with their whole history in one transaction."""
from __future__ import annotations

from difflib import SequenceMatcher

from sqlalchemy import delete, select, text, update
from sqlmodel import Session

from .figures import refresh_figures
from .models import (
    Contact, Customer, CustomerPhone, Enquiry, FamilyDate, Feedback, FollowUp, Promise, Referral, Sale, SaleVoid,
)

NAME_SIMILARITY = 0.88


def merge_customers(session: Session, keep_id: int, drop_id: int) -> None:
    """Move everything of `drop_id` onto `keep_id`, fill keep's empty fields, delete drop."""
    keep = session.get(Customer, keep_id)
    drop = session.get(Customer, drop_id)
    if keep is None or drop is None or keep_id == drop_id:
        raise ValueError("merge needs two different existing customers")
    # whoever referred either record before the merge: a referral of theirs may go below, and
    # their advocate day rests on it
    referrers_before = set(
        session.execute(select(Referral.referrer_id).where(Referral.referee_id.in_((keep_id, drop_id)))).scalars()
    )
    for model in (Sale, SaleVoid, Promise, Contact, Feedback, FamilyDate, Enquiry):
        session.execute(update(model).where(model.customer_id == drop_id).values(customer_id=keep_id))
    session.execute(update(FollowUp).where(FollowUp.customer_id == drop_id).values(customer_id=keep_id))
    session.execute(
        update(FollowUp)
        .where(FollowUp.kind.in_(("second_sale", "birthday", "keep_in_touch")), FollowUp.subject_id == drop_id)
        .values(subject_id=keep_id)
    )
    from .tags import move_tags

    move_tags(session, keep_id, drop_id)
    kept_numbers = set(session.execute(select(CustomerPhone.e164).where(CustomerPhone.customer_id == keep_id)).scalars())
    for phone in session.execute(select(CustomerPhone).where(CustomerPhone.customer_id == drop_id)).scalars():
        if phone.e164 in kept_numbers:
            session.delete(phone)
        else:
            phone.customer_id = keep_id
            kept_numbers.add(phone.e164)
    # Referrals between the two vanish; drop's referrals (both directions) become keep's.
    session.execute(
        delete(Referral).where(
            ((Referral.referrer_id == keep_id) & (Referral.referee_id == drop_id))
            | ((Referral.referrer_id == drop_id) & (Referral.referee_id == keep_id))
        )
    )
    session.execute(update(Referral).where(Referral.referrer_id == drop_id).values(referrer_id=keep_id))
    keep_has_referrer = session.execute(select(Referral.id).where(Referral.referee_id == keep_id)).first() is not None
    if keep_has_referrer:
        session.execute(delete(Referral).where(Referral.referee_id == drop_id))
    else:
        session.execute(update(Referral).where(Referral.referee_id == drop_id).values(referee_id=keep_id))
    # Two records of one person may close a circle (keep referred X, and X referred drop): a
    # referral cannot go both ways, so the one that made keep a referee goes.
    session.execute(
        delete(Referral).where(
            Referral.referee_id == keep_id,
            Referral.referrer_id.in_(select(Referral.referee_id).where(Referral.referrer_id == keep_id)),
        )
    )
    for attr in ("email", "email_fold", "birthday", "birthday_md", "household_id", "preferred_channel"):
        if not getattr(keep, attr) and getattr(drop, attr):
            setattr(keep, attr, getattr(drop, attr))
    for attr in ("notes", "likes", "dislikes"):
        mine, theirs = getattr(keep, attr), getattr(drop, attr)
        if theirs and theirs not in mine:
            setattr(keep, attr, f"{mine}\n{theirs}".strip() if attr == "notes" else f"{mine}, {theirs}".strip(", "))
    external = drop.external_id
    keep.marketing_consent = keep.marketing_consent or drop.marketing_consent
    keep.created_on = min(keep.created_on, drop.created_on)
    session.flush()
    session.delete(drop)
    session.flush()
    if not keep.external_id and external:
        keep.external_id = external
    session.add(keep)
    session.flush()
    referrers = session.execute(select(Referral.referrer_id).where(Referral.referee_id == keep_id)).scalars()
    refresh_figures(session, [keep_id, *referrers, *(r for r in referrers_before if r != drop_id)])


def history_counts(session: Session, customer_id: int) -> dict[str, int]:
    """How much history a customer holds: what a merge would move."""
    counts = {}
    for label, model in (("sales", Sale), ("promises", Promise), ("contacts", Contact), ("feedback", Feedback),
                         ("phones", CustomerPhone), ("family dates", FamilyDate)):
        counts[label] = len(session.execute(select(model.id).where(model.customer_id == customer_id)).all())
    counts["referred"] = len(session.execute(select(Referral.id).where(Referral.referrer_id == customer_id)).all())
    return counts


def duplicates_of(session: Session, customer_id: int, region: str, limit: int = 20) -> list[tuple[int, str]]:
    """(other id, reason) for records likely to be the same person as this one, found through the
    indexes (phones, email, the name search) so it stays instant on a 100,000-customer shop."""
    from .lookup import lookup_ids

    me = session.get(Customer, customer_id)
    if me is None:
        return []
    found: dict[int, str] = {}
    for other, raw in session.execute(
        text(
            """SELECT p2.customer_id, p1.raw FROM customer_phone p1
               JOIN customer_phone p2 ON p2.e164 = p1.e164 AND p2.customer_id != p1.customer_id
               WHERE p1.customer_id = :me"""
        ),
        {"me": customer_id},
    ):
        found.setdefault(other, f"same phone {raw}")
    if me.email_fold:
        for (other,) in session.execute(
            select(Customer.id).where(Customer.email_fold == me.email_fold, Customer.id != customer_id)
        ):
            found.setdefault(other, f"same email {me.email}")
    key = " ".join(sorted(me.name_fold.split()))
    words = [w for w in me.name_fold.split() if len(w) >= 3]
    candidates: set[int] = set()
    for word in words or [me.name_fold]:
        candidates.update(lookup_ids(session, word, region, limit=50))
    candidates.discard(customer_id)
    if candidates:
        names = session.execute(select(Customer.id, Customer.name_fold).where(Customer.id.in_(candidates)))
        for other, folded in names:
            other_key = " ".join(sorted(folded.split()))
            if other_key == key:
                found.setdefault(other, f"same name {me.name}")
            elif SequenceMatcher(None, key, other_key).ratio() >= NAME_SIMILARITY:
                found.setdefault(other, "similar names")
    return list(found.items())[:limit]
