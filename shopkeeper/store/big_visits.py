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
from typing import Iterable, Iterator

from sqlmodel import Session

from .backend import insert_rows, raw

BIG_TIMES = 3  # "at least 3× the customer's usual visit"
BIG_MIN_VISITS = 3  # earlier visits needed before a visit can be unusual
CHUNK = 500
COLUMNS = ("customer_id", "sold_on", "sale_id", "amount_cents", "usual_x2_cents", "visits_before")


def refresh_big_visits(session: Session, customer_ids: Iterable[int]) -> None:
    """Recompute the big visits of these customers from their sales (ix_sale_customer_day), in the
    session's transaction. Customers with fewer than BIG_MIN_VISITS + 1 visits (the kept
    visit_days, refreshed just before) can have none: their sales are not read. A plain loop on
    the driver's rows: an import refreshes every customer it touches (~7 visits each)."""
    ids = sorted({int(i) for i in customer_ids})
    conn = raw(session)
    for start in range(0, len(ids), CHUNK):
        chunk = ",".join(str(i) for i in ids[start:start + CHUNK])
        conn.execute(f"DELETE FROM big_visit WHERE customer_id IN ({chunk})")
        rows = conn.execute(f"""
            SELECT s.customer_id, s.sold_on, SUM(s.amount_cents), MAX(s.id) FROM customer c CROSS JOIN sale s
            WHERE c.id IN ({chunk}) AND c.visit_days > :fewest AND s.customer_id = c.id AND s.amount_cents >= 0
            GROUP BY s.customer_id, s.sold_on ORDER BY s.customer_id, s.sold_on""", {"fewest": BIG_MIN_VISITS}).fetchall()
        insert_rows(session, "big_visit", COLUMNS, list(big_visits(rows)))


def big_visits(visits: Iterable[tuple]) -> Iterator[tuple]:
    """(customer, day, last sale id, cents, twice the earlier visits' median, visits before) of the
    big visits among (customer, day, cents, last sale id) visits ordered by customer and day.
    Integers only: cents >= 3 × median is 2 × cents >= 3 × (2 × median)."""
    customer = None
    earlier: list[int] = []  # the customer's earlier visits' cents, sorted
    for cid, day, cents, sale_id in visits:
        if cid != customer:
            customer, earlier = cid, []
        n = len(earlier)
        if n >= BIG_MIN_VISITS and cents > 0:
            half = n >> 1
            twice_median = 2 * earlier[half] if n & 1 else earlier[half - 1] + earlier[half]
            if 2 * cents >= BIG_TIMES * twice_median:
                yield cid, day, sale_id, cents, twice_median, n
        insort(earlier, cents)
