"""Per-customer aggregates kept exact inside each write's transaction (set-based SQL, indexed).

Called with the ids a write touched; reads only those customers' own sales through
`ix_sale_customer_day`, never the whole table.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import text
from sqlmodel import Session

from .backend import is_pg
from .big_visits import refresh_big_visits

CHUNK = 500

# A purchase is a sale of a positive amount not refunded in full by the refunds tied to it (a
# visit refunded in full is not a purchase day); refunds not tied to a sale (old data, imports)
# reduce spend only. The tied refunds come from the small partial index ix_sale_refund_of.
TIED_REFUNDS = _TIED = "COALESCE((SELECT SUM(r.amount_cents) FROM sale r WHERE r.refund_of_id = s.id), 0)"
_PURCHASE = f"s.customer_id = customer.id AND s.amount_cents > 0 AND s.amount_cents + {_TIED} > 0"
_PURCHASES = text(
    f"""
    UPDATE customer SET
      first_purchase_on = (SELECT MIN(s.sold_on) FROM sale s WHERE {_PURCHASE}),
      last_purchase_on = (SELECT MAX(s.sold_on) FROM sale s WHERE {_PURCHASE}),
      purchase_days = (SELECT COUNT(DISTINCT s.sold_on) FROM sale s WHERE {_PURCHASE}),
      total_spend_cents = COALESCE((SELECT SUM(amount_cents) FROM sale WHERE customer_id = customer.id), 0),
      visit_days = (SELECT COUNT(DISTINCT sold_on) FROM sale WHERE customer_id = customer.id AND amount_cents >= 0),
      first_visit_on = (SELECT MIN(sold_on) FROM sale WHERE customer_id = customer.id AND amount_cents >= 0),
      last_visit_on = (SELECT MAX(sold_on) FROM sale WHERE customer_id = customer.id AND amount_cents >= 0),
      visit_cents = COALESCE((SELECT SUM(amount_cents) FROM sale WHERE customer_id = customer.id AND amount_cents >= 0), 0)
    WHERE id IN ({{ids}})
    """
)
# The first day's spend is net of the refunds tied to its sales, whenever they were given.
_FIRST_DAY = text(
    f"""
    UPDATE customer SET
      second_purchase_on = (SELECT MIN(s.sold_on) FROM sale s WHERE {_PURCHASE}
                            AND s.sold_on > customer.first_purchase_on),
      first_day_cents = COALESCE((SELECT SUM(s.amount_cents + {_TIED}) FROM sale s WHERE {_PURCHASE}
                            AND s.sold_on = customer.first_purchase_on), 0),
      first_visit_cents = COALESCE((SELECT SUM(amount_cents) FROM sale WHERE customer_id = customer.id
                            AND amount_cents >= 0 AND sold_on = customer.first_visit_on), 0),
      first_day_items = COALESCE((SELECT SUM(s.item_count) FROM sale s WHERE {_PURCHASE}
                            AND s.sold_on = customer.first_purchase_on), 0),
      first_day_on_sale = COALESCE((SELECT {{all_on_sale}} FROM sale s WHERE {_PURCHASE}
                            AND s.sold_on = customer.first_purchase_on), false)
    WHERE id IN ({{ids}})
    """
)
# Advocate since (level 3, domain/levels.py): the earliest day a referred customer had bought (and
# the referral was known), the earliest testimonial, or the earliest "yes, I would recommend you".
# {later} is the later of two days: SQLite's two-argument MAX or PostgreSQL's GREATEST.
_ADVOCATE = text(
    """
    UPDATE customer SET advocate_since = (
      SELECT MIN(d) FROM (
        SELECT {later}(r.referred_on, c2.first_purchase_on) AS d FROM referral r
          JOIN customer c2 ON c2.id = r.referee_id
          WHERE r.referrer_id = customer.id AND c2.first_purchase_on IS NOT NULL
        UNION ALL
        SELECT given_on FROM feedback WHERE customer_id = customer.id
          AND (testimonial_ok = TRUE OR would_recommend = TRUE)
      ) AS days
    )
    WHERE id IN ({ids})
    """
)


def _chunks(ids: list[int]) -> Iterable[str]:
    for start in range(0, len(ids), CHUNK):
        yield ",".join(str(int(i)) for i in ids[start : start + CHUNK])


def refresh_figures(session: Session, customer_ids: Iterable[int | None]) -> None:
    """Recompute the kept aggregates of these customers and of whoever referred them."""
    ids = sorted({int(i) for i in customer_ids if i is not None})
    if not ids:
        return
    postgres = is_pg(session)
    # "every sale of the first day was on sale": MIN over 0/1 on SQLite, bool_and on PostgreSQL
    all_on_sale = "bool_and(s.on_sale)" if postgres else "MIN(s.on_sale)"
    later = "GREATEST" if postgres else "MAX"
    for chunk in _chunks(ids):
        session.execute(text(_PURCHASES.text.format(ids=chunk)))
        session.execute(text(_FIRST_DAY.text.format(ids=chunk, all_on_sale=all_on_sale)))
    refresh_big_visits(session, ids)  # after visit_days: it skips customers with too few visits
    referrers: set[int] = set(ids)
    for chunk in _chunks(ids):
        rows = session.execute(text(f"SELECT referrer_id FROM referral WHERE referee_id IN ({chunk})"))
        referrers.update(row[0] for row in rows)
    for chunk in _chunks(sorted(referrers)):
        session.execute(text(_ADVOCATE.text.format(ids=chunk, later=later)))
