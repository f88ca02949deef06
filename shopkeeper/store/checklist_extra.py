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
from statistics import median

from sqlalchemy import text
from sqlmodel import Session

from ..domain.checklist import BigOrderItem, EnquiryItem
from ..domain.contacts import DONE
from .consent import do_not_contact_ids
from .sqlvalues import FIRST_PHONE, as_date

BIG_TIMES = 3  # "at least 3× the customer's usual visit"
BIG_MIN_VISITS = 3  # earlier visits needed before a visit can be unusual
BIG_DAYS = 7  # the row stays this many days after the order at most
CHUNK = 500


def big_orders(session: Session, day: date) -> list[BigOrderItem]:
    start, end = day - timedelta(days=BIG_DAYS), day - timedelta(days=1)
    params = {"d": day.isoformat(), "start": start.isoformat(), "end": end.isoformat(), "visits": BIG_MIN_VISITS + 1}
    # the window's visits of customers with enough visits in all (the kept count only narrows the
    # search: the exact count before each visit comes from their sales below)
    # From the customers whose last purchase is in the window or later (index on last_purchase_on),
    # then each one's sales through ix_sale_customer_day (CROSS JOIN keeps that order in SQLite):
    # never a walk through the week's sales of everyone, walk-ins included.
    window = session.execute(text("""
        SELECT s.customer_id, s.sold_on, SUM(s.amount_cents), MAX(s.id) FROM customer c CROSS JOIN sale s
        WHERE c.last_purchase_on >= :start AND c.visit_days >= :visits AND c.erased_on IS NULL
          AND s.customer_id = c.id AND s.sold_on >= :start AND s.sold_on <= :end AND s.amount_cents >= 0
        GROUP BY s.customer_id, s.sold_on"""), params).all()
    if not window:
        return []
    ids = sorted({row[0] for row in window})
    visits: dict[int, list[tuple[date, int]]] = {}
    for at in range(0, len(ids), CHUNK):
        chunk = ",".join(str(int(i)) for i in ids[at:at + CHUNK])
        for cid, on, cents in session.execute(text(f"""
                SELECT customer_id, sold_on, SUM(amount_cents) FROM sale
                WHERE customer_id IN ({chunk}) AND amount_cents >= 0 AND sold_on < :end
                GROUP BY customer_id, sold_on"""), params):
            visits.setdefault(cid, []).append((as_date(on), int(cents)))
    found: dict[int, tuple] = {}  # customer -> their latest big visit in the window
    for cid, on, cents, sale_id in window:
        on, cents = as_date(on), int(cents)
        earlier = [c for d, c in visits.get(cid, []) if d < on]
        if len(earlier) < BIG_MIN_VISITS:
            continue
        usual = median(earlier)
        if cents >= BIG_TIMES * usual and cents > 0 and (cid not in found or found[cid][0] < on):
            found[cid] = (on, cents, usual, len(earlier), int(sale_id))
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
    sql = f"""
        SELECT e.id, e.customer_id, COALESCE(c.name, e.name), e.phone, {FIRST_PHONE}, e.what, e.channel, e.asked_on
        FROM enquiry e LEFT JOIN customer c ON c.id = e.customer_id
        WHERE e.asked_on <= :d AND (e.answered_on IS NULL OR e.answered_on > :d)
        ORDER BY e.asked_on, e.id"""
    params = {"d": day.isoformat()}
    rows = session.execute(text(sql), params).all()
    blocked = {row[0] for row in session.execute(text(do_not_contact_ids(":d")), params)} if rows else set()
    items = []
    for eid, cid, name, given_phone, phone, what, channel, asked in rows:
        if cid in blocked:
            continue
        asked = as_date(asked)
        items.append(EnquiryItem(enquiry_id=eid, customer_id=cid, name=name or "?", phone=given_phone or phone or "",
                                 what=what, channel=channel, asked_on=asked, days_waiting=(day - asked).days,
                                 do_not_contact=cid in blocked))
    return items
