"""The checklist's big-order thanks and unanswered enquiries, as of a day D (issue 14).

Big orders: a visit (a day's sales of zero or more) at least BIG_TIMES the median of the
customer's earlier visits, for customers with BIG_MIN_VISITS visits or more before it, is a
"thank for the big order" row from the next day. A contact that reached them on or after the day
of the order closes it (a thank-you at the counter counts, logged that day), as do x (close)
and z (snooze). Otherwise it ages out BIG_DAYS days after the order: a thank-you later than a week
reads as an afterthought, and a row that never leaves buries the day's list. Do-not-contact
customers are left out, as on every call list.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session

from ..domain.checklist import BigOrderItem, EnquiryItem
from ..domain.contacts import DONE
from .big_visits import BIG_MIN_VISITS, BIG_TIMES  # noqa: F401  (the rule's numbers, said there)
from .consent import do_not_contact_ids
from .sqlvalues import FIRST_PHONE, as_date

BIG_DAYS = 7  # the row stays this many days after the order at most


def big_orders(session: Session, day: date) -> list[BigOrderItem]:
    """From the kept big visits of the week before D (store/big_visits.py), by the sold_on index:
    the database returns only those few rows, never a customer's earlier sales."""
    start, end = day - timedelta(days=BIG_DAYS), day - timedelta(days=1)
    params = {"start": start.isoformat(), "end": end.isoformat(), "visits": BIG_MIN_VISITS + 1}
    rows = session.execute(text("""
        SELECT b.customer_id, b.sold_on, b.amount_cents, b.usual_x2_cents, b.visits_before, b.sale_id
        FROM big_visit b JOIN customer c ON c.id = b.customer_id
        WHERE b.sold_on >= :start AND b.sold_on <= :end
          AND c.last_purchase_on >= :start AND c.visit_days >= :visits AND c.erased_on IS NULL"""), params).all()
    found: dict[int, tuple] = {}  # customer -> their latest big visit in the window
    for cid, on, cents, usual_x2, before, sale_id in rows:
        on = as_date(on)
        if cid not in found or found[cid][0] < on:
            found[cid] = (on, int(cents), usual_x2 / 2, int(before), int(sale_id))
    if not found:
        return []
    return _still_open(session, day, found)


def _still_open(session: Session, day: date, found: dict[int, tuple]) -> list[BigOrderItem]:
    params = {"d": day.isoformat()}
    chunk = ",".join(str(int(i)) for i in sorted(found))
    sales = ",".join(str(v[4]) for v in found.values())
    reached = ",".join(f"'{o}'" for o in sorted(DONE - {"do_not_contact"}))
    last_reached = dict(session.execute(text(f"""
        SELECT customer_id, MAX(contacted_on) FROM contact
        WHERE customer_id IN ({chunk}) AND contacted_on <= :d AND outcome IN ({reached})
        GROUP BY customer_id"""), params).all())
    hidden = {row[0] for row in session.execute(text(f"""
        SELECT subject_id FROM follow_up WHERE kind = 'big_order' AND subject_id IN ({sales}) AND on_day <= :d
          AND (action = 'close' OR (action = 'snooze' AND until > :d))"""), params)}
    blocked = {row[0] for row in session.execute(text(do_not_contact_ids(":d")), params)}
    people = {cid: (name, phone or "") for cid, name, phone in session.execute(text(
        f"SELECT c.id, c.name, {FIRST_PHONE} FROM customer c WHERE c.id IN ({chunk})"))}
    items = []
    for cid, (on, cents, usual, before, sale_id) in found.items():
        contacted = as_date(last_reached.get(cid))
        if cid in blocked or sale_id in hidden or (contacted is not None and contacted >= on) or cid not in people:
            continue
        name, phone = people[cid]
        items.append(BigOrderItem(sale_id=sale_id, customer_id=cid, name=name, phone=phone, sold_on=on,
                                  amount_cents=cents, usual_visit_cents=round(usual), times_usual=round(cents / usual, 1)
                                  if usual else 0.0, visits_before=before))
    items.sort(key=lambda item: (item.sold_on, -item.amount_cents, item.customer_id))
    return items


def open_enquiries(session: Session, day: date) -> list[EnquiryItem]:
    """Enquiries asked by D and not answered by D, oldest first. A customer who asked not to be
    contacted is on no checklist list, this one included (issue 14); their question stays on the
    Enquiries screen, where the owner decides."""
    # two ranges of ix_enquiry_open (answered_on, asked_on), as two queries: the unanswered asked by
    # D, and those answered after D (few; one asked after D is dropped below). An OR of the two read
    # every enquiry ever asked; as one UNION with its ORDER BY, SQLite read the second branch by the
    # asked_on index, all of it.
    sql = f"""
        SELECT e.id, e.customer_id, COALESCE(c.name, e.name), e.phone, {FIRST_PHONE}, e.what, e.channel, e.asked_on
        FROM enquiry e LEFT JOIN customer c ON c.id = e.customer_id WHERE {{which}}"""
    params = {"d": day.isoformat()}
    rows = session.execute(text(sql.format(which="e.answered_on IS NULL AND e.asked_on <= :d")
                                + " ORDER BY e.asked_on, e.id"), params).all()
    later = session.execute(text(sql.format(which="e.answered_on > :d")), params).all()
    if later:
        rows = sorted([*rows, *later], key=lambda row: (str(row[7]), row[0]))
    blocked = {row[0] for row in session.execute(text(do_not_contact_ids(":d")), params)} if rows else set()
    items = []
    for eid, cid, name, given_phone, phone, what, channel, asked in rows:
        if cid in blocked:
            continue
        asked = as_date(asked)
        if asked > day:
            continue
        items.append(EnquiryItem(enquiry_id=eid, customer_id=cid, name=name or "?", phone=given_phone or phone or "",
                                 what=what, channel=channel, asked_on=asked, days_waiting=(day - asked).days,
                                 do_not_contact=cid in blocked))
    return items
