"""Values between Python and SQL text, said once: dates as SQLite returns them, LIKE patterns."""
from __future__ import annotations

from datetime import date


def as_date(value: str | date | None) -> date | None:
    """A date from a column SQLite returns as ISO text (or already a date, or NULL)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def escape_like(value: str) -> str:
    """`value` matched literally inside a LIKE pattern written with ESCAPE '\\'."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
