"""Call lists built from a filter (seed 002's upgrade offers, seed 003's keep-in-touch, seed
001's referral asks).

Every list leaves out customers who asked not to be contacted (store/consent.py) and erased
ones; the lists are for marketing, so they hold only customers with marketing consent unless
the owner asks for everyone (`consent_only=False`). Given a tag, only customers with that tag.
Each list gives (customer id, what the row's reason is made of), best first.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session

from ..domain.contacts import DONE, list_purpose
from .consent import do_not_contact_ids
from .backend import join_in_this_order
from .figures import TIED_REFUNDS
from .sqlvalues import as_date, escape_like
from .tags import has_tag, tag_param

LIMIT = 500
KINDS = ("items", "lapsed", "birthdays", "quiet")  # lists built from a filter
RETENTION_KINDS = ("referral-ask", "keep-in-touch", "feedback")  # issue 14: from feedback, referrals, contacts
# a contact that reached the customer keeps in touch; an attempt does not, nor a do-not-contact
IN_TOUCH = tuple(sorted(DONE - {"do_not_contact"}))


def may_call(alias: str, consent_only: bool, tag: str | None = None) -> str:
    """The one filter of every call list: not erased, not do-not-contact as of :d, consent if
    asked, the tag in :tag if one is given."""
    consent = f" AND {alias}.marketing_consent = TRUE" if consent_only else ""
    tagged = f" AND {has_tag(alias)}" if tag else ""
    return f"{alias}.erased_on IS NULL AND {alias}.id NOT IN ({do_not_contact_ids(':d')}){consent}{tagged}"


def _ids(session: Session, sql: str, params: dict) -> list[tuple]:
    """(customer id, the reason's value) rows of a list query, at most LIMIT."""
    return [tuple(row) for row in session.execute(text(sql), {**params, "lim": LIMIT})]


def bought_items(session: Session, words: str, before: date, day: date, consent_only: bool = True,
                 tag: str | None = None) -> list[tuple]:
    """Customers who bought an item whose description holds `words`, before a day."""
    like = "%" + escape_like(words) + "%"
    # the buyers first (from the sale lines), then the consent filter on those few customers
    return _ids(session, f"""
        SELECT g.customer_id, g.last FROM (
            SELECT s.customer_id, MAX(s.sold_on) AS last FROM sale_line l JOIN sale s ON s.id = l.sale_id
            WHERE l.description LIKE :like ESCAPE '\\' AND s.sold_on < :before AND s.customer_id IS NOT NULL
            GROUP BY s.customer_id) AS g
        {join_in_this_order(session)} customer c ON c.id = g.customer_id
        WHERE {may_call('c', consent_only, tag)}
        ORDER BY g.last DESC, g.customer_id LIMIT :lim""",
        {"like": like, "before": before.isoformat(), "d": day.isoformat(), **tag_param(tag)})


def lapsed_one_timers(session: Session, day: date, give_up_days: int, consent_only: bool = True,
                      tag: str | None = None) -> list[tuple]:
    """One purchase day only, and the second-sale window closed: worth one more try."""
    return _ids(session, f"""
        SELECT id, first_purchase_on FROM customer c WHERE first_purchase_on < :start
          AND (second_purchase_on IS NULL OR second_purchase_on > :d)
          AND {may_call('c', consent_only, tag)}
        ORDER BY first_day_cents DESC, id LIMIT :lim""",
        {"start": (day - timedelta(days=give_up_days)).isoformat(), "d": day.isoformat(), **tag_param(tag)})


def birthdays_next_month(session: Session, day: date, consent_only: bool = True, tag: str | None = None) -> list[tuple]:
    month = day.month % 12 + 1
    return _ids(session, f"""
        SELECT id, birthday_md FROM customer c WHERE birthday_md BETWEEN :lo AND :hi AND {may_call('c', consent_only, tag)}
        ORDER BY birthday_md, id LIMIT :lim""",
        {"lo": month * 100, "hi": month * 100 + 31, "d": day.isoformat(), **tag_param(tag)})


def top_not_seen(session: Session, day: date, days: int, consent_only: bool = True, tag: str | None = None) -> list[tuple]:
    """The top 20% by spend whose last purchase is more than `days` ago."""
    total = session.execute(text("SELECT COUNT(*) FROM customer WHERE total_spend_cents > 0")).scalar() or 0
    top = max(1, -(-total * 20 // 100)) if total else 0
    return _ids(session, f"""
        SELECT c.id, t.last_purchase_on FROM (SELECT id, last_purchase_on FROM customer WHERE total_spend_cents > 0
                          ORDER BY total_spend_cents DESC, id LIMIT :top) AS t
        JOIN customer c ON c.id = t.id
        WHERE t.last_purchase_on < :since AND {may_call('c', consent_only, tag)}
        ORDER BY t.last_purchase_on, t.id LIMIT :lim""",
        {"top": top, "since": (day - timedelta(days=days)).isoformat(), "d": day.isoformat(), **tag_param(tag)})


# a purchase as the kept figures count it (store/figures.py): a sale not refunded in full
_PURCHASE = f"s.customer_id = c.id AND s.amount_cents > 0 AND s.amount_cents + {TIED_REFUNDS} > 0"
GOOD_SCORE = 4  # feedback of 4 or 5 stars: a satisfied customer
REPEAT_VISITS = 3  # or three purchase days and more


def referral_asks(session: Session, day: date, consent_only: bool = True, tag: str | None = None) -> list[tuple]:
    """Satisfied repeat customers who never referred anyone (as of `day`): their latest feedback
    is GOOD_SCORE or better, or they bought on REPEAT_VISITS days or more (and their latest
    feedback, if any, is no complaint and above 2). Rows: (id, purchase days, latest score, its day);
    most visits first."""
    # the kept purchase_days count every sale; a customer with sales after `day` is recounted
    visits = f"""CASE WHEN c.last_purchase_on IS NULL OR c.last_purchase_on <= :d THEN c.purchase_days
        ELSE (SELECT COUNT(DISTINCT s.sold_on) FROM sale s WHERE {_PURCHASE} AND s.sold_on <= :d) END"""
    latest = """(SELECT f.{col} FROM feedback f WHERE f.customer_id = c.id AND f.given_on <= :d
                 ORDER BY f.given_on DESC, f.id DESC LIMIT 1)"""
    rows = session.execute(text(f"""
        SELECT c.id, {visits}, {latest.format(col='score')}, {latest.format(col='given_on')},
               {latest.format(col='complaint')}
        FROM customer c
        WHERE (c.purchase_days >= :repeat OR EXISTS (SELECT 1 FROM feedback f WHERE f.customer_id = c.id
                                                      AND f.given_on <= :d AND f.score >= :good))
          AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.referrer_id = c.id AND r.referred_on <= :d)
          AND {may_call('c', consent_only, tag)}"""),
        {"d": day.isoformat(), "repeat": REPEAT_VISITS, "good": GOOD_SCORE, **tag_param(tag)})
    found = []
    for cid, days, score, given_on, complaint in rows:
        if score is not None and (complaint or score <= 2):
            continue  # unhappy last time: answer them first (the feedback list), do not ask
        if (score is not None and score >= GOOD_SCORE) or (days or 0) >= REPEAT_VISITS:
            found.append((cid, int(days or 0), score, as_date(given_on)))
    found.sort(key=lambda row: (-row[1], -(row[2] or 0), row[0]))
    return found[:LIMIT]


def keep_in_touch(session: Session, day: date, days: int, consent_only: bool = True, tag: str | None = None,
                  limit: int = LIMIT, skip: frozenset[int] | set[int] = frozenset()) -> list[tuple]:
    """Customers not in touch for more than `days` days on `day`: no contact that reached them, no
    purchase and no keep-in-touch row closed since, and on file for that long (`skip`: ids left
    out, e.g. snoozed). Rows: (id, the last time they were in touch, how: "contact" / "purchase" /
    "added"); longest silence first, at most `limit`.

    The candidates come with their last purchase (or the day they were added) alone: a lower bound
    of their last touch. They are taken in that order, and their contacts read a batch at a time,
    until no later candidate can be quieter than the `limit` found: a long list of lapsed
    customers is not probed whole when the checklist wants ten."""
    cutoff = day - timedelta(days=days)
    # the last purchase on or before `day`: the kept last_purchase_on, unless the customer bought
    # after `day` (then from their own sales); recent buyers are left out by the index range
    last_buy = f"""CASE WHEN c.last_purchase_on IS NULL OR c.last_purchase_on <= :d THEN c.last_purchase_on
        ELSE (SELECT MAX(s.sold_on) FROM sale s WHERE {_PURCHASE} AND s.sold_on <= :d) END"""
    rows = session.execute(text(f"""
        SELECT c.id, {last_buy}, c.created_on FROM customer c
        WHERE (c.created_on <= :since OR c.first_purchase_on <= :since)
          AND (c.last_purchase_on IS NULL OR c.last_purchase_on <= :since OR c.last_purchase_on > :d)
          AND {may_call('c', consent_only, tag)}"""),
        {"d": day.isoformat(), "since": cutoff.isoformat(), **tag_param(tag)})
    candidates = []
    for cid, bought, created in rows:
        bought = as_date(bought)
        if cid in skip or (bought is not None and bought > cutoff):
            continue
        candidates.append((bought or as_date(created), cid, bought))
    candidates.sort()
    found: list[tuple] = []
    for start in range(0, len(candidates), 500):
        if len(found) >= limit:
            found.sort(key=lambda row: (row[1], row[0]))
            del found[limit:]
            if candidates[start][:2] > (found[-1][1], found[-1][0]):
                break  # every later candidate was in touch after the quietest `limit` found
        batch = candidates[start:start + 500]
        touched = _last_reached(session, [cid for _, cid, _ in batch], day)
        for lower, cid, bought in batch:
            events = [(d, "contact") for d in touched.get(cid, ()) if d is not None]
            if bought is not None:
                events.append((bought, "purchase"))
            if any(on > cutoff for on, _ in events):
                continue  # in touch since the cutoff
            last, how = max(events, default=(lower, "added"))
            found.append((cid, last, how))
    found.sort(key=lambda row: (row[1], row[0]))
    return found[:limit]


def _last_reached(session: Session, ids: list[int], day: date) -> dict[int, tuple]:
    """customer id -> (last contact that reached them, last keep-in-touch row closed), up to `day`."""
    if not ids:
        return {}
    listed = ",".join(str(int(i)) for i in ids)
    reached = ",".join(f"'{outcome}'" for outcome in IN_TOUCH)
    params = {"d": day.isoformat()}
    contacts = session.execute(text(f"""
        SELECT customer_id, MAX(contacted_on) FROM contact WHERE customer_id IN ({listed}) AND outcome IN ({reached})
          AND contacted_on <= :d GROUP BY customer_id"""), params)
    closed = session.execute(text(f"""
        SELECT subject_id, MAX(on_day) FROM follow_up WHERE kind = 'keep_in_touch' AND subject_id IN ({listed})
          AND action = 'close' AND on_day <= :d GROUP BY subject_id"""), params)
    out: dict[int, tuple] = {}
    for cid, on in contacts:
        out[cid] = (as_date(on), None)
    for cid, on in closed:
        out[cid] = (out.get(cid, (None, None))[0], as_date(on))
    return out


def called_from_list(session: Session, kind: str, ids: list[int], day: date) -> set[int]:
    """Who on this list was already called from it on `day` (so a rebuilt list shows them done)."""
    if not ids:
        return set()
    found = session.execute(text(f"""
        SELECT DISTINCT customer_id FROM contact WHERE contacted_on = :d AND purpose = :purpose
          AND customer_id IN ({','.join(str(int(i)) for i in ids)})"""), {"d": day.isoformat(), "purpose": list_purpose(kind)})
    return {row[0] for row in found}

