"""Values between Python and SQL text, said once: dates as SQLite returns them, LIKE patterns."""
from __future__ import annotations

from datetime import date


def as_date(value: str | date | None) -> date | None:
    """A date from a column SQLite returns as ISO text (or already a date, or NULL)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# a customer's first phone (lowest id), for a query over `customer c`: read from the covering index
# on customer_phone(customer_id, id, raw) without the phone row
FIRST_PHONE = "(SELECT p.raw FROM customer_phone p WHERE p.customer_id = c.id ORDER BY p.id LIMIT 1)"


def escape_like(value: str) -> str:
    """`value` matched literally inside a LIKE pattern written with ESCAPE '\\'."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
