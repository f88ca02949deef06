"""The queries behind Insights, as of a day D. Each reads the customers table once or the sales
through the covering index (customer_id, sold_on, amount_cents); nothing dated after D counts."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session


def _d(value) -> date | None:
    return None if value is None else value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def level_counts_at(session: Session, days: list[date]) -> list[dict[int, int]]:
    """Customers at each level on each day, in one pass over the customers table."""
    columns = []
    params = {}
    for i, day in enumerate(days):
        params[f"d{i}"] = day.isoformat()
        level = (f"CASE WHEN advocate_since <= :d{i} THEN 3 WHEN second_purchase_on <= :d{i} THEN 2 "
                 f"WHEN first_purchase_on <= :d{i} THEN 1 WHEN created_on <= :d{i} THEN 0 ELSE -1 END")
        columns += [f"SUM({level} = {n})" for n in range(4)]
    row = session.execute(text(f"SELECT {', '.join(columns)} FROM customer"), params).one()
    return [{n: int(row[i * 4 + n] or 0) for n in range(4)} for i in range(len(days))]


def first_and_second(session: Session, day: date) -> list[tuple[date, date | None]]:
    """(first purchase day, second purchase day or None) of every customer who bought by D."""
    rows = session.execute(
        text("SELECT first_purchase_on, second_purchase_on FROM customer WHERE first_purchase_on <= :d"),
        {"d": day.isoformat()},
    )
    return [(_d(first), _d(second) if second is not None and _d(second) <= day else None) for first, second in rows]


def second_sale_contacts(session: Session, day: date) -> list[tuple[date, date, date | None]]:
    """(first purchase, first "reached" second-sale contact, second purchase) for contacted first-timers."""
    rows = session.execute(
        text(
            """SELECT c.first_purchase_on, MIN(k.contacted_on), c.second_purchase_on FROM contact k
               JOIN customer c ON c.id = k.customer_id
               WHERE k.outcome = 'reached' AND k.contacted_on <= :d AND k.contacted_on > c.first_purchase_on
                 AND (c.second_purchase_on IS NULL OR c.second_purchase_on > k.contacted_on)
               GROUP BY c.id"""
        ),
        {"d": day.isoformat()},
    )
    return [(_d(a), _d(b), _d(c)) for a, b, c in rows]


def never_contacted(session: Session, day: date) -> list[tuple[date, date | None]]:
    rows = session.execute(
        text(
            """SELECT c.first_purchase_on, c.second_purchase_on FROM customer c
               WHERE c.first_purchase_on <= :d
                 AND NOT EXISTS (SELECT 1 FROM contact k WHERE k.customer_id = c.id AND k.contacted_on <= :d)"""
        ),
        {"d": day.isoformat()},
    )
    return [(_d(a), _d(b)) for a, b in rows]


def promise_rows(session: Session, day: date) -> list[tuple[date, str, date | None]]:
    """(due day, status as of D, closed day) of every promise made by D."""
    rows = session.execute(
        text("SELECT due_on, status, closed_on FROM promise WHERE made_on <= :d"), {"d": day.isoformat()}
    )
    out = []
    for due, status, closed in rows:
        closed_day = _d(closed)
        if status != "open" and closed_day is not None and closed_day > day:
            status, closed_day = "open", None
        out.append((_d(due), status, closed_day))
    return out


def spend_by_customer(session: Session, day: date) -> list[tuple[int, str, int]]:
    """(id, name, net spend up to D) of customers who spent anything, biggest first."""
    rows = session.execute(
        text(
            """SELECT s.customer_id, c.name, SUM(s.amount_cents) AS spend FROM sale s
               JOIN customer c ON c.id = s.customer_id
               WHERE s.sold_on <= :d GROUP BY s.customer_id HAVING spend > 0 ORDER BY spend DESC, s.customer_id"""
        ),
        {"d": day.isoformat()},
    )
    return [(cid, name, int(spend)) for cid, name, spend in rows]


def advocates(session: Session, day: date, limit: int = 20) -> list[tuple[int, str, int, int, int]]:
    """(id, name, customers referred, of whom bought, their spend) for referrers, most referrals first."""
    rows = session.execute(
        text(
            """SELECT r.referrer_id, c.name, COUNT(*),
                      SUM(e.first_purchase_on IS NOT NULL AND e.first_purchase_on <= :d),
                      COALESCE(SUM((SELECT SUM(s.amount_cents) FROM sale s WHERE s.customer_id = e.id AND s.sold_on <= :d)), 0)
               FROM referral r JOIN customer c ON c.id = r.referrer_id JOIN customer e ON e.id = r.referee_id
               WHERE r.referred_on <= :d
               GROUP BY r.referrer_id ORDER BY COUNT(*) DESC, 5 DESC, r.referrer_id LIMIT :lim"""
        ),
        {"d": day.isoformat(), "lim": limit},
    )
    return [(a, b, int(c), int(d or 0), int(e or 0)) for a, b, c, d, e in rows]


def households(session: Session, day: date, limit: int = 20) -> list[tuple[str, int, int]]:
    rows = session.execute(
        text(
            """SELECT h.name, COUNT(DISTINCT c.id),
                      COALESCE((SELECT SUM(s.amount_cents) FROM sale s JOIN customer c2 ON c2.id = s.customer_id
                                WHERE c2.household_id = h.id AND s.sold_on <= :d), 0) AS spend
               FROM household h JOIN customer c ON c.household_id = h.id
               GROUP BY h.id ORDER BY spend DESC, h.name LIMIT :lim"""
        ),
        {"d": day.isoformat(), "lim": limit},
    )
    return [(name, int(n), int(spend)) for name, n, spend in rows]


def visit_summary(session: Session, day: date) -> list[tuple[int, int, date, date, int, int]]:
    """Per customer, the visits the lifetime-value models count: days with sales of zero or more
    (refunds are not visits) up to D -> (id, visit days, first, last, total cents, first-day cents).

    One pass over the covering index. The first visit's amount comes from the kept aggregate: if
    that day had a positive sale it is the first purchase day (first_day_cents), else it was 0."""
    rows = session.execute(
        text(
            """SELECT g.c, g.n, g.first, g.last, g.total, c.first_purchase_on, c.first_day_cents FROM (
                 SELECT customer_id AS c, COUNT(DISTINCT sold_on) AS n, MIN(sold_on) AS first, MAX(sold_on) AS last,
                        SUM(amount_cents) AS total
                 FROM sale WHERE customer_id IS NOT NULL AND amount_cents >= 0 AND sold_on <= :d
                 GROUP BY customer_id) AS g
               JOIN customer c ON c.id = g.c ORDER BY g.c"""
        ),
        {"d": day.isoformat()},
    )
    out = []
    for c, n, first, last, total, first_purchase, first_day_cents in rows:
        first_amount = int(first_day_cents) if first_purchase is not None and first_purchase == first else 0
        out.append((c, int(n), _d(first), _d(last), int(total), first_amount))
    return out


def names_of(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (name, first phone) for a short list of customers."""
    if not ids:
        return {}
    id_list = ",".join(str(int(i)) for i in ids)
    rows = session.execute(
        text(
            f"""SELECT c.id, c.name, (SELECT raw FROM customer_phone p WHERE p.customer_id = c.id ORDER BY p.id LIMIT 1)
                FROM customer c WHERE c.id IN ({id_list})"""
        )
    )
    return {cid: (name, phone or "") for cid, name, phone in rows}


def month_ends(day: date, count: int) -> list[date]:
    """The last day of each of the `count` months up to and including D's month (D itself last)."""
    ends = [day]
    first = day.replace(day=1)
    for _ in range(count - 1):
        end = first - timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return list(reversed(ends))


def visit_summary_of(session: Session, customer_id: int, day: date) -> list[tuple[int, int, date, date, int, int]]:
    """`visit_summary` for one customer, through the index."""
    rows = session.execute(
        text(
            """SELECT sold_on, SUM(amount_cents) FROM sale
               WHERE customer_id = :c AND amount_cents >= 0 AND sold_on <= :d GROUP BY sold_on ORDER BY sold_on"""
        ),
        {"c": customer_id, "d": day.isoformat()},
    ).all()
    if not rows:
        return []
    days = [(_d(d), int(a)) for d, a in rows]
    return [(customer_id, len(days), days[0][0], days[-1][0], sum(a for _, a in days), days[0][1])]
