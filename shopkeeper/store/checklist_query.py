"""The indexed queries behind the day's checklist, computed as of a day D.

Nothing dated after D counts. Every query starts from an index range (promise.due_on,
customer.first_purchase_on, customer.birthday_md, family_date.md) and never reads the sales
table except one customer's own first day through `ix_sale_customer_day`.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session

from ..domain.call_reasons import keep_in_touch_reason
from ..domain.checklist import (
    BirthdayItem, Checklist, FeedbackItem, KeepInTouchItem, PromiseItem, SecondSaleItem, ThankItem, row_kind,
)
from ..domain.contacts import ATTEMPTS, DONE
from ..domain.dates import month_day, next_month_day
from ..domain.second_sale import CLOSING_OUTCOMES, FirstPurchase, priority, rank_key
from ..domain.settings import ShopSettings
from .checklist_extra import big_orders, open_enquiries
from .consent import do_not_contact_ids
from .db import driver
from .sqlvalues import FIRST_PHONE, as_date

# an attempt (no answer, left a message) leaves the row listed; do-not-contact hides it by the consent rule
THANK_CLOSING = tuple(sorted(DONE - {"do_not_contact"}))
_SNOOZED = """EXISTS (SELECT 1 FROM follow_up f WHERE f.kind = :kind AND f.subject_id = {subject}
                  AND f.action = 'snooze' AND f.on_day <= :d AND f.until > :d)"""
_CLOSED = """EXISTS (SELECT 1 FROM follow_up f WHERE f.kind = :kind AND f.subject_id = {subject}
                  AND f.action = 'close' AND f.on_day <= :d {since})"""
# the consent rule as one set per query (~100 ids) instead of one probe per listed customer
_DO_NOT_CONTACT = f"(c.id IN ({do_not_contact_ids(':d')}))"


def _rows(session: Session, sql: str, params: dict) -> list[tuple]:
    """All rows of a query as plain tuples from the driver, inside the session's snapshot
    (thousands of checklist rows without SQLAlchemy's per-row work)."""
    return driver(session).execute(sql, params).fetchall()


def build_checklist(session: Session, day: date, settings: ShopSettings) -> Checklist:
    checklist = Checklist(date=day)
    overdue, due = _promises(session, day)
    checklist.promises_overdue, checklist.promises_due = overdue, due
    checklist.promises_snoozed = _snoozed_promises(session, day)
    checklist.second_sale = _second_sale(session, day, settings)
    checklist.thank_referrer = _thanks(session, day, settings)
    checklist.birthdays = _birthdays(session, day, settings)
    checklist.feedback_to_answer = _feedback(session, day)
    checklist.keep_in_touch = _keep_in_touch(session, day, settings)
    checklist.big_orders = big_orders(session, day)
    checklist.enquiries = open_enquiries(session, day)
    checklist.done_today = _done_on(session, day)
    _add_attempts(session, day, settings, checklist)
    return checklist


def _promises(session: Session, day: date) -> tuple[list[PromiseItem], list[PromiseItem]]:
    # Open on D = open now (index status+due_on), or closed after D (index closed_on: few). Two
    # queries, never a walk through every promise ever due: as one UNION, SQLite took the second
    # branch through the due_on index (~20,000 promises for none) and PostgreSQL may flatten it so.
    # A promise closed after D and due after D is dropped below, not by SQL, for the same reason.
    sql = f"""
        SELECT pr.id, pr.customer_id, c.name, {FIRST_PHONE}, pr.text, pr.due_on, {_DO_NOT_CONTACT}
        FROM promise pr JOIN customer c ON c.id = pr.customer_id
        WHERE {{which}} AND pr.made_on <= :d AND NOT {_SNOOZED.format(subject='pr.id')}
        ORDER BY pr.due_on, pr.id
    """
    params = {"d": day.isoformat(), "kind": "promise"}
    rows = _rows(session, sql.format(which="pr.status = 'open' AND pr.due_on <= :d"), params)
    closed_later = _rows(session, sql.format(which="pr.closed_on > :d AND pr.status <> 'open'"), params)
    if closed_later:
        rows = sorted(rows + closed_later, key=lambda row: (str(row[5]), row[0]))
    overdue: list[PromiseItem] = []
    due: list[PromiseItem] = []
    for pid, cid, name, phone, body, due_on, dnc in rows:
        due_day = as_date(due_on)
        if due_day > day:
            continue
        item = PromiseItem(pid, cid, name, phone or "", body, due_day, (day - due_day).days, do_not_contact=bool(dnc))
        (overdue if due_day < day else due).append(item)
    return overdue, due


def _snoozed_promises(session: Session, day: date) -> list[tuple[date, date]]:
    """(due day, snoozed until) of the promises open and due on D that a snooze keeps off the list:
    from the snoozes running on D (few), never a walk through every promise."""
    sql = """
        SELECT pr.due_on, MAX(f.until) FROM follow_up f JOIN promise pr ON pr.id = f.subject_id
        WHERE f.kind = 'promise' AND f.action = 'snooze' AND f.on_day <= :d AND f.until > :d
          AND pr.due_on <= :d AND pr.made_on <= :d AND (pr.status = 'open' OR pr.closed_on > :d)
        GROUP BY pr.id, pr.due_on
    """
    rows = session.execute(text(sql), {"d": day.isoformat()}).all()
    return [(as_date(due_on), as_date(until)) for due_on, until in rows]


def _second_sale(session: Session, day: date, settings: ShopSettings) -> list[SecondSaleItem]:
    start = day - timedelta(days=settings.second_sale_give_up_days)
    end = day - timedelta(days=settings.second_sale_after_days)
    # do-not-contact hides the row through the consent rule, so lifting it brings the call back
    closing = ",".join(f"'{outcome}'" for outcome in sorted(CLOSING_OUTCOMES - {"do_not_contact"}))
    # Starts from the customer(first_purchase_on, second_purchase_on) range; the first day's items
    # and "on sale" are kept aggregates; one probe each for closing contacts and follow-ups.
    sql = f"""
        SELECT c.id, c.name, {FIRST_PHONE}, COALESCE(c.email, ''), c.first_purchase_on, c.first_day_cents,
          c.first_day_items, c.first_day_on_sale,
          (SELECT rc.name FROM referral r JOIN customer rc ON rc.id = r.referrer_id
             WHERE r.referee_id = c.id AND r.referred_on <= :d)
        FROM customer c
        WHERE c.first_purchase_on BETWEEN :start AND :end AND c.erased_on IS NULL
          AND (c.second_purchase_on IS NULL OR c.second_purchase_on > :d)
          AND NOT {_DO_NOT_CONTACT}
          AND NOT EXISTS (SELECT 1 FROM contact k WHERE k.customer_id = c.id AND k.contacted_on <= :d
                AND k.outcome IN ({closing}) AND (k.purpose = 'second_sale' OR k.contacted_on > c.first_purchase_on))
          AND NOT EXISTS (SELECT 1 FROM follow_up f WHERE f.kind = :kind AND f.subject_id = c.id AND f.on_day <= :d
                AND ((f.action = 'close' AND f.on_day >= c.first_purchase_on) OR (f.action = 'snooze' AND f.until > :d)))
    """
    params = {"d": day.isoformat(), "start": start.isoformat(), "end": end.isoformat(), "kind": "second_sale"}
    items: list[SecondSaleItem] = []
    currency = settings.currency
    for cid, name, phone, email, first, cents, n_items, on_sale, referrer in _rows(session, sql, params):
        first_day = as_date(first)
        phone = phone or ""
        fp = FirstPurchase(cid, name, phone, email, first_day, cents, n_items, bool(on_sale), referrer)
        score, reasons = priority(fp, currency)
        items.append(
            SecondSaleItem(
                customer_id=cid,
                name=name,
                phone=phone,
                email=email,
                first_purchase_on=first_day,
                days_since_first=(day - first_day).days,
                first_purchase_cents=cents,
                item_count=n_items,
                priority=score,
                reasons=reasons,
                reachable=bool(phone or email),
            )
        )
    items.sort(key=lambda item: rank_key(item.priority, item.reachable, item.days_since_first, item.customer_id))
    return items


def _thanks(session: Session, day: date, settings: ShopSettings) -> list[ThankItem]:
    start = day - timedelta(days=settings.thank_referrer_days)
    closing = ",".join(f"'{outcome}'" for outcome in THANK_CLOSING)
    sql = f"""
        SELECT r.id, r.referrer_id, c.name, {FIRST_PHONE}, e.id, e.name, e.first_purchase_on
        FROM customer e
        JOIN referral r ON r.referee_id = e.id
        JOIN customer c ON c.id = r.referrer_id
        WHERE e.first_purchase_on BETWEEN :start AND :d AND r.referred_on <= :d AND c.erased_on IS NULL
          AND NOT {_DO_NOT_CONTACT}
          AND NOT EXISTS (SELECT 1 FROM contact k WHERE k.purpose = 'thank_referrer' AND k.subject_id = r.id
                AND k.contacted_on <= :d AND k.outcome IN ({closing}))
          AND NOT {_CLOSED.format(subject='r.id', since='')}
          AND NOT {_SNOOZED.format(subject='r.id')}
        ORDER BY e.first_purchase_on, r.id
    """
    params = {"d": day.isoformat(), "start": start.isoformat(), "kind": "thank_referrer"}
    return [
        ThankItem(rid, cid, name, phone or "", eid, ename, as_date(first))
        for rid, cid, name, phone, eid, ename, first in session.execute(text(sql), params).all()
    ]


def _birthdays(session: Session, day: date, settings: ShopSettings) -> list[BirthdayItem]:
    days = [day + timedelta(days=offset) for offset in range(settings.birthday_days)]
    keys = sorted({month_day(d) for d in days} | ({229} if any(d.month == 2 and d.day == 28 for d in days) else set()))
    key_list = ",".join(str(k) for k in keys)
    since = (day - timedelta(days=settings.birthday_days)).isoformat()
    own = f"""
        SELECT c.id, c.name, {FIRST_PHONE}, 'birthday', c.birthday_md, c.id FROM customer c
        WHERE c.birthday_md IN ({key_list}) AND c.created_on <= :d AND NOT {_DO_NOT_CONTACT}
          AND NOT {_CLOSED.format(subject='c.id', since='AND f.on_day > :since').replace(':kind', "'birthday'")}
    """
    family = f"""
        SELECT c.id, c.name, {FIRST_PHONE}, fd.label, fd.md, fd.id FROM family_date fd
        JOIN customer c ON c.id = fd.customer_id
        WHERE fd.md IN ({key_list}) AND c.created_on <= :d AND NOT {_DO_NOT_CONTACT}
          AND NOT {_CLOSED.format(subject='fd.id', since='AND f.on_day > :since').replace(':kind', "'family_date'")}
    """
    items: list[BirthdayItem] = []
    for kind, sql in (("birthday", own), ("family_date", family)):
        for cid, name, phone, label, md, subject in session.execute(text(sql), {"d": day.isoformat(), "since": since}).all():
            anniversary = next_month_day(md, day)  # birthdays and family dates may have no year
            in_days = (anniversary - day).days
            if in_days < settings.birthday_days:
                items.append(BirthdayItem(cid, name, phone or "", label, anniversary, in_days, kind, subject))
    items.sort(key=lambda item: (item.in_days, item.name, item.label))
    return items


def _feedback(session: Session, day: date) -> list[FeedbackItem]:
    """Low scores and complaints not answered yet (store/feedback_query.py says the rule)."""
    from .feedback_query import to_answer

    return [FeedbackItem(*row) for row in to_answer(session, day)]


def _keep_in_touch(session: Session, day: date, settings: ShopSettings) -> list[KeepInTouchItem]:
    """At most `keep_in_touch_per_day` consented customers not in touch for `keep_in_touch_days`
    (the longest silent first); none when the setting is 0. A snoozed one waits, the next comes up."""
    per_day = settings.keep_in_touch_per_day
    if per_day <= 0:
        return []
    from .call_lists import keep_in_touch
    from .reads import customer_rows

    snoozed = {row[0] for row in session.execute(text(
        """SELECT subject_id FROM follow_up WHERE kind = 'keep_in_touch' AND action = 'snooze'
           AND on_day <= :d AND until > :d"""), {"d": day.isoformat()})}
    found = keep_in_touch(session, day, settings.keep_in_touch_days, limit=per_day, skip=snoozed)
    rows = {r.id: r for r in customer_rows(session, [cid for cid, _, _ in found], day)}
    return [KeepInTouchItem(cid, rows[cid].name, rows[cid].phone, rows[cid].email, last, (day - last).days,
                            keep_in_touch_reason(last, how, day))
            for cid, last, how in found if cid in rows]


def _done_on(session: Session, day: date) -> int:
    """What was done on D: people reached (an attempt is not done), rows closed, promises settled."""
    done = ",".join(f"'{outcome}'" for outcome in sorted(DONE))
    sql = f"""
        SELECT (SELECT COUNT(*) FROM contact WHERE contacted_on = :d AND outcome IN ({done}))
             + (SELECT COUNT(*) FROM follow_up WHERE on_day = :d AND action = 'close')
             + (SELECT COUNT(*) FROM promise WHERE closed_on = :d)
    """
    return int(session.execute(text(sql), {"d": day.isoformat()}).scalar() or 0)




def _add_attempts(session: Session, day: date, settings: ShopSettings, checklist: Checklist) -> None:
    """Put each row's unanswered tries on it ("tried 2× · left message Tue"): the row stays listed
    until the person is reached or the row is closed. One index probe (purpose, subject) per row."""
    attempts = ",".join(f"'{outcome}'" for outcome in sorted(ATTEMPTS))
    birthday_since = (day - timedelta(days=settings.birthday_days)).isoformat()
    by_purpose: dict[str, list] = {}
    for items in checklist.sections().values():
        for index, item in enumerate(items):
            purpose, subject = row_kind(item)  # which contacts count as tries of this row
            by_purpose.setdefault(purpose, []).append((subject, items, index))
    for purpose, rows in by_purpose.items():
        since = birthday_since if purpose in ("birthday", "family_date") else "0001-01-01"
        subjects = ",".join(str(int(subject)) for subject, _, _ in rows)
        # how many tries, then the latest try's outcome and day (the row holding MAX(id))
        sql = f"""
            SELECT t.subject_id, t.tries, k.outcome, k.contacted_on FROM (
                SELECT subject_id, COUNT(*) AS tries, MAX(id) AS last_id FROM contact
                WHERE purpose = :purpose AND subject_id IN ({subjects}) AND outcome IN ({attempts})
                  AND contacted_on <= :d AND contacted_on > :since
                GROUP BY subject_id
            ) AS t JOIN contact k ON k.id = t.last_id
        """
        found = {row[0]: row[1:4] for row in _rows(session, sql, {"purpose": purpose, "d": day.isoformat(), "since": since})}
        if not found:
            continue
        for subject, items, index in rows:
            if subject in found:
                tries, outcome, on = found[subject]
                items[index] = replace(items[index], attempts=tries, last_attempt=outcome, last_attempt_on=as_date(on))
