"""The queries behind profit, revenue by level and the repeat customers' share (issue 14), as of D.

Engine-neutral SQL (SQLite and PostgreSQL): dates as parameters, every GROUP BY complete. A shop
that never typed a cost is answered from the kept spend (no scan of the sales); only a shop with
costs groups its sales, and the by-month share reads the last twelve months' sales by date.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from .backend import dialect_of
from .sqlvalues import as_date


def any_cost_by(session: Session, day: date) -> bool:
    """Has any sale up to D a cost? (the partial index ix_sale_cost: instant when none has; SQLite
    is told to use it, else it walks every sale up to D by date)"""
    indexed = " INDEXED BY ix_sale_cost" if dialect_of(session) == "sqlite" else ""
    found = session.execute(text(f"SELECT EXISTS (SELECT 1 FROM sale{indexed} WHERE cost_cents IS NOT NULL AND sold_on <= :d)"),
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


def revenue_by_day_and_kind(session: Session, start: date, day: date,
                            daily: list[tuple[date, int]]) -> list[tuple[date, str, int]]:
    """(day, who bought: returning / first / walk_in, revenue) for the sales in [start, D]. A sale is
    a returning customer's when it comes after the day of their first purchase. `daily`: every
    sale's total by day over [start, D] (insights_query.daily_revenue).

    Not one join of every sale with its customer (a year of sales, one customer lookup each): the
    walk-ins by day, and the first-visit sales from the few customers whose first purchase is in
    [start, D] (or who have none); the returning customers' share is the rest of the day's total."""
    params = {"start": start.isoformat(), "d": day.isoformat()}
    walk_in = session.execute(text("""
        SELECT sold_on, SUM(amount_cents) FROM sale
        WHERE customer_id IS NULL AND sold_on >= :start AND sold_on <= :d GROUP BY sold_on"""), params).all()
    # CROSS JOIN: customers first (SQLite would otherwise walk the year's sales by date)
    first = session.execute(text("""
        SELECT s.sold_on, SUM(s.amount_cents) FROM customer c CROSS JOIN sale s
        WHERE s.customer_id = c.id AND c.first_purchase_on >= :start
          AND s.sold_on >= :start AND s.sold_on <= :d AND s.sold_on <= c.first_purchase_on
        GROUP BY s.sold_on
        UNION ALL
        SELECT s.sold_on, SUM(s.amount_cents) FROM customer c CROSS JOIN sale s
        WHERE s.customer_id = c.id AND c.first_purchase_on IS NULL AND s.sold_on >= :start AND s.sold_on <= :d
        GROUP BY s.sold_on"""), params).all()
    rest = {as_date(on): int(cents) for on, cents in daily}
    out: list[tuple[date, str, int]] = []
    for kind, rows in (("walk_in", walk_in), ("first", first)):
        for on, cents in rows:
            on, cents = as_date(on), int(cents or 0)
            rest[on] = rest.get(on, 0) - cents
            out.append((on, kind, cents))
    out += [(on, "returning", cents) for on, cents in rest.items()]
    return out
