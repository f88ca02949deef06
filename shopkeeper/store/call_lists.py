"""Call lists built from a filter (seed 002's upgrade offers, seed 003's keep-in-touch)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session

LIMIT = 500


def _ids(session: Session, sql: str, params: dict) -> list[int]:
    return [row[0] for row in session.execute(text(sql), {**params, "lim": LIMIT})]


def bought_items(session: Session, words: str, before: date) -> list[int]:
    """Customers who bought an item whose description holds `words`, before a day."""
    like = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return _ids(session, """
        SELECT s.customer_id FROM sale_line l JOIN sale s ON s.id = l.sale_id
        WHERE l.description LIKE :like ESCAPE '\\' AND s.sold_on < :before AND s.customer_id IS NOT NULL
        GROUP BY s.customer_id ORDER BY MAX(s.sold_on) DESC LIMIT :lim""", {"like": like, "before": before.isoformat()})


def lapsed_one_timers(session: Session, day: date, give_up_days: int) -> list[int]:
    """One purchase day only, and the second-sale window closed: worth one more try."""
    return _ids(session, """
        SELECT id FROM customer WHERE first_purchase_on < :start AND (second_purchase_on IS NULL OR second_purchase_on > :d)
          AND erased_on IS NULL
        ORDER BY first_day_cents DESC, id LIMIT :lim""",
        {"start": (day - timedelta(days=give_up_days)).isoformat(), "d": day.isoformat()})


def birthdays_next_month(session: Session, day: date) -> list[int]:
    month = day.month % 12 + 1
    return _ids(session, """
        SELECT id FROM customer WHERE birthday_md BETWEEN :lo AND :hi AND erased_on IS NULL
        ORDER BY birthday_md, id LIMIT :lim""", {"lo": month * 100, "hi": month * 100 + 31})


def top_not_seen(session: Session, day: date, days: int) -> list[int]:
    """The top 20% by spend whose last purchase is more than `days` ago."""
    total = session.execute(text("SELECT COUNT(*) FROM customer WHERE total_spend_cents > 0")).scalar() or 0
    top = max(1, -(-total * 20 // 100)) if total else 0
    return _ids(session, """
        SELECT id FROM (SELECT id, last_purchase_on FROM customer WHERE total_spend_cents > 0
                        ORDER BY total_spend_cents DESC, id LIMIT :top)
        WHERE last_purchase_on < :since ORDER BY last_purchase_on, id LIMIT :lim""",
        {"top": top, "since": (day - timedelta(days=days)).isoformat()})
