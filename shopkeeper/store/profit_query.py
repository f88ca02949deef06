"""The queries behind profit, revenue by level and the repeat customers' share (issue 14), as of D.

Engine-neutral SQL (SQLite and PostgreSQL): dates as parameters, every GROUP BY complete. A shop
that never typed a cost is answered from the kept spend (no scan of the sales); only a shop with
costs groups its sales, and the by-month share reads the last twelve months' sales by date.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from .sqlvalues import as_date


def any_cost_by(session: Session, day: date) -> bool:
    """Has any sale up to D a cost? (the partial index ix_sale_cost: instant when none has)"""
    found = session.execute(text("SELECT EXISTS (SELECT 1 FROM sale WHERE cost_cents IS NOT NULL AND sold_on <= :d)"),
                            {"d": day.isoformat()}).scalar()
    return bool(found)


def profit_parts(session: Session, day: date) -> list[tuple[int | None, int, int, int, int]]:
    """Per customer (None: walk-ins), up to D: (id, revenue, profit from sales with a known cost,
    revenue of sales without one, how many sales without one). A refund without a cost of its own
    gives back the margin of the sale it refunds, when that sale has a cost."""
    rows = session.execute(text("""
        SELECT s.customer_id, SUM(s.amount_cents),
          SUM(CASE WHEN s.cost_cents IS NOT NULL THEN s.amount_cents - s.cost_cents
                   WHEN o.cost_cents IS NOT NULL AND o.amount_cents > 0
                     THEN (s.amount_cents * (o.amount_cents - o.cost_cents)) / o.amount_cents
                   ELSE 0 END),
          SUM(CASE WHEN s.cost_cents IS NULL AND o.cost_cents IS NULL THEN s.amount_cents ELSE 0 END),
          SUM(CASE WHEN s.cost_cents IS NULL AND o.cost_cents IS NULL THEN 1 ELSE 0 END)
        FROM sale s LEFT JOIN sale o ON o.id = s.refund_of_id
        WHERE s.sold_on <= :d
        GROUP BY s.customer_id"""), {"d": day.isoformat()}).all()
    return [(cid, int(rev or 0), int(known or 0), int(uncosted or 0), int(n or 0)) for cid, rev, known, uncosted, n in rows]


def walk_in_revenue(session: Session, day: date) -> int:
    return int(session.execute(text(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM sale WHERE customer_id IS NULL AND sold_on <= :d"),
        {"d": day.isoformat()}).scalar() or 0)


def level_dates(session: Session, day: date) -> list[tuple[int, date | None, date | None, date | None]]:
    """(id, first purchase, second purchase, advocate since) of customers who bought or advocated by D."""
    rows = session.execute(text("""
        SELECT id, first_purchase_on, second_purchase_on, advocate_since FROM customer
        WHERE first_purchase_on <= :d OR advocate_since <= :d"""), {"d": day.isoformat()}).all()
    return [(cid, as_date(a), as_date(b), as_date(c)) for cid, a, b, c in rows]


_KIND = """CASE WHEN s.customer_id IS NULL THEN 'walk_in'
                WHEN c.first_purchase_on IS NOT NULL AND s.sold_on > c.first_purchase_on THEN 'returning'
                ELSE 'first' END"""


def revenue_by_day_and_kind(session: Session, start: date, day: date) -> list[tuple[date, str, int]]:
    """(day, who bought: returning / first / walk_in, revenue) for the sales in [start, D]. A sale is
    a returning customer's when it comes after the day of their first purchase."""
    rows = session.execute(text(f"""
        SELECT s.sold_on, {_KIND}, SUM(s.amount_cents)
        FROM sale s LEFT JOIN customer c ON c.id = s.customer_id
        WHERE s.sold_on >= :start AND s.sold_on <= :d
        GROUP BY s.sold_on, {_KIND}"""), {"start": start.isoformat(), "d": day.isoformat()}).all()
    return [(as_date(on), kind, int(cents or 0)) for on, kind, cents in rows]
