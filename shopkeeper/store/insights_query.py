"""The queries behind Insights, as of a day D: nothing dated after D counts.

They read the kept per-customer aggregates (purchase and visit days, spend) through indexes and
return small results (histograms, counts) wherever a figure allows, so a 1,000,000-sale shop is
never grouped sale by sale. The kept aggregates cover every sale; the few customers with sales
dated after D (`customers_with_sales_after`) are recomputed from their own sales.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from itertools import accumulate

from sqlalchemy import text
from sqlmodel import Session

from .backend import days_between, dialect_of, month_of
from .db import driver
from .sqlvalues import FIRST_PHONE, as_date


def _histogram(session: Session, sql: str, day: date) -> list[tuple[date, int]]:
    return [(as_date(on), int(n)) for on, n in session.execute(text(sql), {"d": day.isoformat()})]


def level_counts_at(session: Session, days: list[date]) -> list[dict[int, int]]:
    """Customers at each level on each day (days ascending).

    A customer is at level >= 3 on day d when advocate_since <= d; >= 2 when, besides, the second
    purchase is <= d; >= 1 with the first purchase; >= 0 once known (created, or bought before
    being entered). So each "level >= k" count is a cumulative histogram of one kept date, read
    through its index, plus the advocates (few) whose advocate day comes first."""
    last = days[-1]
    first = _cumulative(_histogram(session, "SELECT first_purchase_on, COUNT(*) FROM customer WHERE first_purchase_on <= :d GROUP BY 1", last))
    second = _cumulative(_histogram(session, "SELECT second_purchase_on, COUNT(*) FROM customer WHERE second_purchase_on <= :d GROUP BY 1", last))
    created = _cumulative(_histogram(session, "SELECT created_on, COUNT(*) FROM customer WHERE created_on <= :d GROUP BY 1", last))
    # the few customers that need more than one date: advocates, and customers entered after their
    # first purchase (imported history), who are known from that purchase
    rows = [tuple(as_date(v) for v in row) for row in session.execute(
        text("""SELECT advocate_since, second_purchase_on, first_purchase_on, created_on FROM customer
                WHERE advocate_since <= :d OR first_purchase_on < created_on"""),
        {"d": last.isoformat()},
    )]
    late = [(f, c) for _, _, f, c in rows if f is not None and f < c]  # advocates may have no purchase
    entered_late = _cumulative([(f, 1) for f, _ in late]), _cumulative([(c, 1) for _, c in late])
    advocates = [(adv, second_on, first_on, min(created_on, first_on or created_on))
                 for adv, second_on, first_on, created_on in rows if adv is not None]
    advocate = _cumulative([(row[0], 1) for row in advocates])
    # advocates whose date i (second, first, known) is reached too: counted by the histogram already
    both = [_cumulative([(max(row[0], row[i]), 1) for row in advocates if row[i] is not None]) for i in (1, 2, 3)]
    out = []
    for day in days:
        known = created(day) + entered_late[0](day) - entered_late[1](day)
        at_least = [known + advocate(day) - both[2](day), first(day) + advocate(day) - both[1](day),
                    second(day) + advocate(day) - both[0](day), advocate(day)]
        out.append({k: at_least[k] - (at_least[k + 1] if k < 3 else 0) for k in range(4)})
    return out


def _cumulative(histogram: list[tuple[date, int]]):
    """day -> how many of the histogram's dates are <= day."""
    histogram = sorted(histogram)
    days = [on for on, _ in histogram]
    totals = list(accumulate(n for _, n in histogram))
    return lambda day: totals[i - 1] if (i := bisect_right(days, day)) else 0


def first_and_second_since(session: Session, since: date, day: date) -> list[tuple[date, date | None]]:
    """(first purchase, second purchase by D or None) of customers whose first purchase is in [since, D]."""
    rows = session.execute(
        text("SELECT first_purchase_on, second_purchase_on FROM customer WHERE first_purchase_on BETWEEN :s AND :d"),
        {"s": since.isoformat(), "d": day.isoformat()},
    )
    out = []
    for first, second in rows:
        second_day = as_date(second)
        out.append((as_date(first), second_day if second_day is not None and second_day <= day else None))
    return out


def days_to_second(session: Session, day: date) -> list[tuple[int, int]]:
    """(days from first to second purchase, customers) for everyone whose second purchase is by D."""
    gap = days_between(dialect_of(session), "second_purchase_on", "first_purchase_on")
    rows = session.execute(
        text(f"SELECT {gap} AS gap, COUNT(*) FROM customer WHERE second_purchase_on <= :d GROUP BY {gap}"),
        {"d": day.isoformat()},
    )
    return [(int(gap), int(n)) for gap, n in rows]


def lapsed_one_timers(session: Session, day: date, give_up_days: int) -> int:
    """First-time buyers more than `give_up_days` past their first purchase with no second by D."""
    cut = day - timedelta(days=give_up_days)
    return int(session.execute(
        text("""SELECT COUNT(*) FROM customer WHERE first_purchase_on < :cut
                AND (second_purchase_on IS NULL OR second_purchase_on > :d)"""),
        {"cut": cut.isoformat(), "d": day.isoformat()},
    ).scalar_one())


def reached_calls(session: Session, day: date, window: int = 30) -> tuple[int, int]:
    """(first-timers reached by a call at least `window` days before D, of whom bought again within
    `window` days of that call). The call is their first "reached" contact between the first and
    the second purchase."""
    dialect = dialect_of(session)
    # SQLite's planner otherwise walks the contacts by outcome (0007's index); PostgreSQL plans it itself
    indexed = " INDEXED BY ix_contact_customer_day" if dialect == "sqlite" else ""
    row = session.execute(
        text(
            f"""SELECT COUNT(*), COALESCE(SUM(CASE WHEN second IS NOT NULL AND {days_between(dialect, "second", "called")} <= :w
                                          THEN 1 ELSE 0 END), 0)
               FROM (SELECT c.second_purchase_on AS second, MIN(k.contacted_on) AS called
                     FROM contact k{indexed} JOIN customer c ON c.id = k.customer_id
                     WHERE k.outcome = 'reached' AND k.contacted_on <= :d AND k.contacted_on > c.first_purchase_on
                       AND (c.second_purchase_on IS NULL OR c.second_purchase_on > k.contacted_on)
                     GROUP BY k.customer_id, c.second_purchase_on) AS reached
               WHERE called <= :cut"""
        ),
        {"d": day.isoformat(), "cut": (day - timedelta(days=window)).isoformat(), "w": window},
    ).one()
    return int(row[0]), int(row[1])


def never_contacted_calls(session: Session, day: date, after_days: int, window: int = 30) -> tuple[int, int]:
    """(first-timers never contacted by D whose call fell due `after_days` after the first purchase
    at least `window` days before D and who had not bought again by then, of whom bought again
    within `window` days of that due day)."""
    gap = days_between(dialect_of(session), "second_purchase_on", "first_purchase_on")
    row = session.execute(
        text(
            f"""SELECT COUNT(*), COALESCE(SUM(CASE WHEN gap <= :conv THEN 1 ELSE 0 END), 0)
               FROM (SELECT {gap} AS gap FROM customer c
                     WHERE first_purchase_on <= :cut
                       AND NOT EXISTS (SELECT 1 FROM contact k WHERE k.customer_id = c.id AND k.contacted_on <= :d)) AS never
               WHERE gap IS NULL OR gap > :after"""
        ),
        {"d": day.isoformat(), "cut": (day - timedelta(days=after_days + window)).isoformat(),
         "after": after_days, "conv": after_days + window},
    ).one()
    return int(row[0]), int(row[1])


def promise_counts(session: Session, day: date) -> list[tuple[str, str, bool, int, int]]:
    """Promises made by D as (due month "YYYY-MM", status as of D, closed by the due day, how many,
    total days closed after the due day). A promise closed after D was still open on D."""
    dialect = dialect_of(session)
    rows = session.execute(
        text(
            f"""SELECT {month_of(dialect, "due_on")}, CASE WHEN status != 'open' AND closed_on > :d THEN 'open' ELSE status END AS st,
                      CASE WHEN closed_on <= due_on THEN 1 ELSE 0 END AS on_time, COUNT(*),
                      COALESCE(SUM({days_between(dialect, "closed_on", "due_on")}), 0)
               FROM promise WHERE made_on <= :d GROUP BY 1, 2, 3"""
        ),
        {"d": day.isoformat()},
    )
    return [(month, status, bool(on_time), int(n), int(late)) for month, status, on_time, n, late in rows]


def customers_with_sales_after(session: Session, day: date) -> list[int]:
    """Customers with sales dated after D, whose kept aggregates include sales D must not see."""
    indexed = " INDEXED BY ix_sale_sold_on" if dialect_of(session) == "sqlite" else ""
    rows = session.execute(
        text(f"SELECT DISTINCT customer_id FROM sale{indexed} WHERE sold_on > :d AND customer_id IS NOT NULL"),
        {"d": day.isoformat()},
    )
    return sorted(row[0] for row in rows)


def _spend_upto(alias: str, later: bool) -> str:
    """SQL for a customer's net spend up to :d from the kept total (less any sales after D)."""
    if not later:
        return f"{alias}.total_spend_cents"
    return (f"({alias}.total_spend_cents - (SELECT COALESCE(SUM(s.amount_cents), 0) FROM sale s"
            f" WHERE s.customer_id = {alias}.id AND s.sold_on > :d))")


def _spend_upto_d(session: Session, day: date, later: list[int], spend: dict[int, int]) -> tuple[list[int], list[int]]:
    """The kept spend less the `later` customers' sales after D."""
    conn = driver(session)
    for start in range(0, len(later), 500):
        chunk = later[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for cid, after in conn.execute(
            f"SELECT customer_id, SUM(amount_cents) FROM sale WHERE customer_id IN ({marks}) AND sold_on > ? GROUP BY customer_id",
            (*chunk, day.isoformat()),
        ):
            spend[cid] = spend.get(cid, 0) - after
    return list(spend), list(spend.values())


def spend_and_visits(session: Session, day: date, later: list[int]):
    """From one pass over the customers (each alone read every customer row):

    - spend: (ids, net spend up to D) of every customer who ever spent or has sales after D;
    - visits: per customer, the visits the lifetime-value models count up to D (days with sales
      of zero or more; refunds are not visits) as columns (ids, visit days, first visit, last
      visit, total cents, first visit's cents), dates as the driver gives them;
    - levels: (ids, level on D) of the customers who bought or advocated by D (domain.levels).

    From the kept aggregates, except for the `later` customers (`customers_with_sales_after`),
    whose spend and visits are recomputed from their own sales up to D."""
    from itertools import compress

    d = day.isoformat()
    rows = driver(session).execute(
        "SELECT id, total_spend_cents, visit_days, first_visit_on, last_visit_on, visit_cents, first_visit_cents,"
        " CASE WHEN first_visit_on <= ? THEN 1 ELSE 0 END,"
        " CASE WHEN advocate_since <= ? THEN 3 WHEN second_purchase_on <= ? THEN 2 WHEN first_purchase_on <= ? THEN 1"
        " ELSE 0 END FROM customer"
        " WHERE total_spend_cents != 0 OR first_visit_on <= ? OR first_purchase_on <= ? OR advocate_since <= ?",
        (d, d, d, d, d, d, d),
    ).fetchall()
    if not rows:
        return _spend_upto_d(session, day, later, {}), _visits_upto_d(session, day, later, []), ([], [])
    ids, cents, *visit, seen, level = zip(*rows)
    spent = [c != 0 for c in cents]
    spend = dict(zip(compress(ids, spent), compress(cents, spent)))
    ranked = [lv > 0 for lv in level]
    levels = list(compress(ids, ranked)), list(compress(level, ranked))
    columns = tuple(list(compress(column, seen)) for column in (ids, *visit))
    if later or not columns[0]:  # rows again, for the regrouping
        return (_spend_upto_d(session, day, later, spend),
                _visits_upto_d(session, day, later, list(zip(*columns))), levels)
    return _spend_upto_d(session, day, later, spend), columns, levels


def advocates(session: Session, day: date, later: bool, limit: int = 20) -> list[tuple[int, str, int, int, int]]:
    """(id, name, customers referred, of whom bought, their spend) for referrers, most referrals first."""
    rows = session.execute(
        text(
            f"""SELECT g.referrer_id, c.name, g.n, g.bought, g.spend FROM (
                  SELECT r.referrer_id, COUNT(*) AS n,
                         SUM(CASE WHEN e.first_purchase_on IS NOT NULL AND e.first_purchase_on <= :d THEN 1 ELSE 0 END) AS bought,
                         SUM({_spend_upto("e", later)}) AS spend
                  FROM referral r JOIN customer e ON e.id = r.referee_id
                  WHERE r.referred_on <= :d
                  GROUP BY r.referrer_id ORDER BY n DESC, spend DESC, r.referrer_id LIMIT :lim) AS g
                JOIN customer c ON c.id = g.referrer_id ORDER BY g.n DESC, g.spend DESC, g.referrer_id"""
        ),
        {"d": day.isoformat(), "lim": limit},
    )
    return [(a, b, int(c), int(d or 0), int(e or 0)) for a, b, c, d, e in rows]


def households(session: Session, day: date, later: bool, limit: int = 20) -> list[tuple[str, int, int]]:
    rows = session.execute(
        text(
            f"""SELECT h.name, COUNT(*), COALESCE(SUM({_spend_upto("c", later)}), 0) AS spend
               FROM household h JOIN customer c ON c.household_id = h.id
               GROUP BY h.id ORDER BY spend DESC, h.name LIMIT :lim"""
        ),
        {"d": day.isoformat(), "lim": limit},
    )
    return [(name, int(n), int(spend)) for name, n, spend in rows]


_VISITS_FROM_SALES = """
    SELECT g.c, g.n, g.first, g.last, g.total,
           (SELECT SUM(amount_cents) FROM sale WHERE customer_id = g.c AND amount_cents >= 0 AND sold_on = g.first)
    FROM (SELECT customer_id AS c, COUNT(DISTINCT sold_on) AS n, MIN(sold_on) AS first, MAX(sold_on) AS last,
                 SUM(amount_cents) AS total
          FROM sale WHERE customer_id IN ({ids}) AND amount_cents >= 0 AND sold_on <= ? GROUP BY customer_id) AS g"""


def _visits_upto_d(session: Session, day: date, later: list[int], rows: list) -> tuple[list, ...]:
    """The kept visit rows, with the `later` customers' regrouped from their sales up to D."""
    conn = driver(session)
    if later:
        skip = set(later)
        rows = [row for row in rows if row[0] not in skip]
        for start in range(0, len(later), 500):
            chunk = later[start:start + 500]
            rows += conn.execute(_VISITS_FROM_SALES.format(ids=",".join("?" * len(chunk))),
                                 (*chunk, day.isoformat())).fetchall()
    if not rows:
        return [], [], [], [], [], []
    return tuple(zip(*rows))


def names_only(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (name, first phone) for customers (the top 20%, the likely and at-risk lists)."""
    conn = driver(session)
    out: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        rows = conn.execute(
            f"SELECT c.id, c.name, {FIRST_PHONE} FROM customer c WHERE c.id IN ({','.join('?' * len(chunk))})", chunk)
        out.update((cid, (name, phone or "")) for cid, name, phone in rows)
    return out


def month_ends(day: date, count: int) -> list[date]:
    """The last day of each of the `count` months up to and including D's month (D itself last)."""
    ends = [day]
    first = day.replace(day=1)
    for _ in range(count - 1):
        end = first - timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return list(reversed(ends))


def visit_summary_of(session: Session, customer_id: int, day: date) -> tuple[tuple, ...]:
    """The visits of one customer, as the columns `spend_and_visits` gives (empty: no visit by D)."""
    rows = session.execute(
        text(
            """SELECT sold_on, SUM(amount_cents) FROM sale
               WHERE customer_id = :c AND amount_cents >= 0 AND sold_on <= :d GROUP BY sold_on ORDER BY sold_on"""
        ),
        {"c": customer_id, "d": day.isoformat()},
    ).all()
    if not rows:
        return ()
    return ((customer_id,), (len(rows),), (rows[0][0],), (rows[-1][0],), (sum(a for _, a in rows),), (rows[0][1],))


def last_sale_day(session: Session) -> date | None:
    """The last day with any sale: where the data ends, for the forecast-against-what-happened."""
    return as_date(session.execute(text("SELECT MAX(sold_on) FROM sale")).scalar())


def visits_after(session: Session, day: date, end: date) -> list[tuple[int, date]]:
    """Distinct (customer, day) visits (sales of zero or more, as the models count) in (D, end]."""
    rows = session.execute(
        text("""SELECT DISTINCT customer_id, sold_on FROM sale
                WHERE sold_on > :d AND sold_on <= :e AND amount_cents >= 0 AND customer_id IS NOT NULL"""),
        {"d": day.isoformat(), "e": end.isoformat()},
    )
    return [(int(cid), as_date(on)) for cid, on in rows]


def daily_revenue(session: Session, since: date, day: date) -> list[tuple[date, int]]:
    """(day, net takings in cents) for every day with sales in [since, D]: at most a year of rows,
    grouped into months in Python (month functions differ between SQLite and PostgreSQL)."""
    rows = session.execute(
        text("SELECT sold_on, SUM(amount_cents) FROM sale WHERE sold_on >= :s AND sold_on <= :d"
             " GROUP BY sold_on ORDER BY sold_on"),
        {"s": since.isoformat(), "d": day.isoformat()},
    )
    return [(as_date(on), int(cents)) for on, cents in rows]
