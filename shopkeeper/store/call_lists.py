"""Call lists built from a filter (seed 002's upgrade offers, seed 003's keep-in-touch).

Every list leaves out customers who asked not to be contacted (store/consent.py) and erased
ones; the lists are for marketing, so they hold only customers with marketing consent unless
the owner asks for everyone (`consent_only=False`).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session

from ..domain.contacts import list_purpose
from .consent import do_not_contact_ids
from .backend import join_in_this_order
from .sqlvalues import escape_like

LIMIT = 500
KINDS = ("items", "lapsed", "birthdays", "quiet")


def may_call(alias: str, consent_only: bool) -> str:
    """The one filter of every call list: not erased, not do-not-contact as of :d, consent if asked."""
    consent = f" AND {alias}.marketing_consent = true" if consent_only else ""
    return f"{alias}.erased_on IS NULL AND {alias}.id NOT IN ({do_not_contact_ids(':d')}){consent}"


def _ids(session: Session, sql: str, params: dict) -> list[int]:
    return [row[0] for row in session.execute(text(sql), {**params, "lim": LIMIT})]


def bought_items(session: Session, words: str, before: date, day: date, consent_only: bool = True) -> list[int]:
    """Customers who bought an item whose description holds `words`, before a day."""
    like = "%" + escape_like(words) + "%"
    # the buyers first (from the sale lines), then the consent filter on those few customers
    return _ids(session, f"""
        SELECT g.customer_id FROM (
            SELECT s.customer_id, MAX(s.sold_on) AS last FROM sale_line l JOIN sale s ON s.id = l.sale_id
            WHERE l.description LIKE :like ESCAPE '\\' AND s.sold_on < :before AND s.customer_id IS NOT NULL
            GROUP BY s.customer_id) AS g
        {join_in_this_order(session)} customer c ON c.id = g.customer_id
        WHERE {may_call('c', consent_only)}
        ORDER BY g.last DESC, g.customer_id LIMIT :lim""",
        {"like": like, "before": before.isoformat(), "d": day.isoformat()})


def lapsed_one_timers(session: Session, day: date, give_up_days: int, consent_only: bool = True) -> list[int]:
    """One purchase day only, and the second-sale window closed: worth one more try."""
    return _ids(session, f"""
        SELECT id FROM customer c WHERE first_purchase_on < :start AND (second_purchase_on IS NULL OR second_purchase_on > :d)
          AND {may_call('c', consent_only)}
        ORDER BY first_day_cents DESC, id LIMIT :lim""",
        {"start": (day - timedelta(days=give_up_days)).isoformat(), "d": day.isoformat()})


def birthdays_next_month(session: Session, day: date, consent_only: bool = True) -> list[int]:
    month = day.month % 12 + 1
    return _ids(session, f"""
        SELECT id FROM customer c WHERE birthday_md BETWEEN :lo AND :hi AND {may_call('c', consent_only)}
        ORDER BY birthday_md, id LIMIT :lim""", {"lo": month * 100, "hi": month * 100 + 31, "d": day.isoformat()})


def top_not_seen(session: Session, day: date, days: int, consent_only: bool = True) -> list[int]:
    """The top 20% by spend whose last purchase is more than `days` ago."""
    total = session.execute(text("SELECT COUNT(*) FROM customer WHERE total_spend_cents > 0")).scalar() or 0
    top = max(1, -(-total * 20 // 100)) if total else 0
    return _ids(session, f"""
        SELECT c.id FROM (SELECT id, last_purchase_on FROM customer WHERE total_spend_cents > 0
                          ORDER BY total_spend_cents DESC, id LIMIT :top) AS t
        JOIN customer c ON c.id = t.id
        WHERE t.last_purchase_on < :since AND {may_call('c', consent_only)}
        ORDER BY t.last_purchase_on, t.id LIMIT :lim""",
        {"top": top, "since": (day - timedelta(days=days)).isoformat(), "d": day.isoformat()})


def called_from_list(session: Session, kind: str, ids: list[int], day: date) -> set[int]:
    """Who on this list was already called from it on `day` (so a rebuilt list shows them done)."""
    if not ids:
        return set()
    found = session.execute(text(f"""
        SELECT DISTINCT customer_id FROM contact WHERE contacted_on = :d AND purpose = :purpose
          AND customer_id IN ({','.join(str(int(i)) for i in ids)})"""), {"d": day.isoformat(), "purpose": list_purpose(kind)})
    return {row[0] for row in found}

