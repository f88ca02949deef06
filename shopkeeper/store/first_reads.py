"""The reads the first screen needs (settings, is the shop new, who works here), in plain SQL so
that opening the app does not import the ORM models (start-up speed: see shopkeeper/lazy.py)."""
from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from ..domain.staff import StaffView
from .sqlvalues import as_date


def load_settings(session: Session) -> dict[str, str]:
    return {key: value for key, value in session.execute(text("SELECT key, value FROM setting"))}


def count_customers(session: Session) -> int:
    return int(session.execute(text("SELECT COUNT(*) FROM customer")).scalar() or 0)


def has_sales(session: Session) -> bool:
    return session.execute(text("SELECT id FROM sale ORDER BY id LIMIT 1")).first() is not None


def staff_list(session: Session, include_retired: bool = False) -> list[StaffView]:
    """The people who work here by initials; retired ones only when asked."""
    where = "" if include_retired else " WHERE retired_on IS NULL"
    rows = session.execute(text(f"SELECT id, name, initials, retired_on FROM staff{where} ORDER BY initials, id"))
    return [StaffView(sid, name, initials, as_date(retired_on)) for sid, name, initials, retired_on in rows]
