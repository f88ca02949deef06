"""The kept table of big visits behind the checklist's "thank for a big order" (issue 14).

A visit is a customer's day of sales of zero or more, together. It is big when the customer had
BIG_MIN_VISITS visits or more before it, it is positive and at least BIG_TIMES the median of those
earlier visits. Whether a visit is big depends only on the customer's visits up to that day, so
the rows are the same whatever day the checklist is computed as of: `refresh_big_visits` recomputes
the customers a write touched (every write that changes sales goes through
`figures.refresh_figures`), and the checklist reads only the week's rows by the sold_on index.
"""
from __future__ import annotations

from bisect import insort
from datetime import date
from typing import Iterable, Iterator

from sqlalchemy import text
from sqlmodel import Session

from .sqlvalues import as_date

BIG_TIMES = 3  # "at least 3× the customer's usual visit"
BIG_MIN_VISITS = 3  # earlier visits needed before a visit can be unusual
CHUNK = 500


def big_visits(visits: Iterable[tuple[date, int, int]]) -> Iterator[tuple[date, int, int, int, int]]:
    """(day, cents, last sale id, twice the earlier visits' median, visits before) of the big
    visits among one customer's (day, cents, last sale id) visits in day order. Integers only:
    cents >= 3 × median is 2 × cents >= 3 × (2 × median)."""
    earlier: list[int] = []  # the earlier visits' cents, sorted
    for day, cents, sale_id in visits:
        n = len(earlier)
        if n >= BIG_MIN_VISITS and cents > 0:
            half = n // 2
            twice_median = 2 * earlier[half] if n % 2 else earlier[half - 1] + earlier[half]
            if 2 * cents >= BIG_TIMES * twice_median:
                yield day, cents, sale_id, twice_median, n
        insort(earlier, cents)


def refresh_big_visits(session: Session, customer_ids: Iterable[int]) -> None:
    """Recompute the big visits of these customers from their sales (ix_sale_customer_day), in the
    caller's transaction. Customers with fewer than BIG_MIN_VISITS + 1 visits (the kept
    visit_days, refreshed just before) can have none: their sales are not read."""
    ids = sorted({int(i) for i in customer_ids})
    for start in range(0, len(ids), CHUNK):
        chunk = ",".join(str(i) for i in ids[start:start + CHUNK])
        session.execute(text(f"DELETE FROM big_visit WHERE customer_id IN ({chunk})"))
        rows = session.execute(text(f"""
            SELECT s.customer_id, s.sold_on, SUM(s.amount_cents), MAX(s.id) FROM customer c CROSS JOIN sale s
            WHERE c.id IN ({chunk}) AND c.visit_days > :fewest AND s.customer_id = c.id AND s.amount_cents >= 0
            GROUP BY s.customer_id, s.sold_on ORDER BY s.customer_id, s.sold_on"""),
            {"fewest": BIG_MIN_VISITS}).all()
        found = []
        at = 0
        while at < len(rows):
            cid, end = rows[at][0], at
            while end < len(rows) and rows[end][0] == cid:
                end += 1
            visits = ((as_date(on), int(cents), int(sale_id)) for _, on, cents, sale_id in rows[at:end])
            found.extend({"c": cid, "d": day.isoformat(), "s": sale_id, "a": cents, "u": usual, "n": before}
                         for day, cents, sale_id, usual, before in big_visits(visits))
            at = end
        if found:
            session.execute(text("""INSERT INTO big_visit (customer_id, sold_on, sale_id, amount_cents, usual_x2_cents,
                                    visits_before) VALUES (:c, :d, :s, :a, :u, :n)"""), found)
