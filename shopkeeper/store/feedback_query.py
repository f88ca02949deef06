"""Feedback as of a day: what is still to be answered, the monthly scores, the testimonials.

Feedback is "to answer" when its score is 2 or less or it is marked a complaint, until a contact
that reached the customer on or after the day it was given (or the row closed with `x`).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from .call_lists import IN_TOUCH
from .consent import do_not_contact
from .sqlvalues import FIRST_PHONE, as_date
from .tags import has_tag, tag_param

LOW_SCORE = 2  # this score or less is to be answered, like a complaint


def to_answer(session: Session, day: date, tag: str | None = None) -> list[tuple]:
    """(feedback id, customer id, name, phone, email, given on, score, complaint, text), oldest first.
    Never a customer who asked not to be contacted (on `day`), nor an erased one."""
    touched = ",".join(f"'{outcome}'" for outcome in IN_TOUCH)
    sql = f"""
        SELECT f.id, c.id, c.name, {FIRST_PHONE}, COALESCE(c.email, ''), f.given_on, f.score, f.complaint, f.text
        FROM feedback f JOIN customer c ON c.id = f.customer_id
        WHERE f.given_on <= :d AND (f.score <= :low OR f.complaint = TRUE) AND c.erased_on IS NULL
          AND NOT {do_not_contact('c.id', ':d')}
          {'AND ' + has_tag('c') if tag else ''}
          AND NOT EXISTS (SELECT 1 FROM contact k WHERE k.customer_id = c.id AND k.outcome IN ({touched})
                AND k.contacted_on >= f.given_on AND k.contacted_on <= :d)
          AND NOT EXISTS (SELECT 1 FROM follow_up u WHERE u.kind = 'feedback' AND u.subject_id = f.id AND u.on_day <= :d
                AND (u.action = 'close' OR u.until > :d))
        ORDER BY f.given_on, f.id
    """
    rows = session.execute(text(sql), {"d": day.isoformat(), "low": LOW_SCORE, **tag_param(tag)}).all()
    return [(fid, cid, name, phone or "", email, as_date(on), score, bool(complaint), body)
            for fid, cid, name, phone, email, on, score, complaint, body in rows]


def by_month(session: Session, day: date) -> list[tuple[str, int, int, int]]:
    """(YYYY-MM, count, sum of scores, would recommend: yes count) of the feedback given up to `day`,
    month by month. Grouped in Python from (day, score) rows: no engine-specific date functions."""
    rows = session.execute(text("""SELECT given_on, score, would_recommend FROM feedback WHERE given_on <= :d
                                   ORDER BY given_on, id"""), {"d": day.isoformat()})
    months: dict[str, list[int]] = {}
    for given_on, score, recommend in rows:
        month = as_date(given_on).isoformat()[:7]
        tally = months.setdefault(month, [0, 0, 0])
        tally[0] += 1
        tally[1] += int(score)
        tally[2] += 1 if recommend else 0
    return [(month, n, total, yes) for month, (n, total, yes) in months.items()]


def testimonials(session: Session, day: date) -> list[tuple]:
    """(feedback id, customer id, name, given on, score, text) the customers allowed us to quote,
    newest first; erased customers' feedback lost its text and permission on erasure."""
    rows = session.execute(text("""
        SELECT f.id, c.id, c.name, f.given_on, f.score, f.text FROM feedback f JOIN customer c ON c.id = f.customer_id
        WHERE f.testimonial_ok = TRUE AND f.given_on <= :d AND c.erased_on IS NULL
        ORDER BY f.given_on DESC, f.id DESC"""), {"d": day.isoformat()}).all()
    return [(fid, cid, name, as_date(on), score, body) for fid, cid, name, on, score, body in rows]
