"""Is a form field right yet? Used while the owner corrects a field that showed an error, so the
error leaves as soon as the field is right (the form still checks everything again on save).

Known fields are checked by the same parsers the save uses; for any other field the error leaves
as soon as it is edited. No Textual here."""
from __future__ import annotations

from datetime import date

DATE_FIELDS = ("date", "due_on", "until", "before", "birthday")


def field_problem(name: str, value: str, today: date, order: str = "dmy") -> str | None:
    """What is still wrong with `value` typed in field `name`, or None when nothing is."""
    from .domain.errors import InputError

    try:
        _check(name, value, today, order)
    except (InputError, ValueError) as exc:
        return getattr(exc, "message", None) or str(exc)
    return None


def _check(name: str, value: str, today: date, order: str) -> None:
    if name == "amount":
        from .domain.money import parse_money

        if parse_money(value) == 0:
            raise ValueError("amount is zero")
    elif name in DATE_FIELDS:
        if not value.strip():
            return  # an empty birthday is none; the other date fields read it as today
        from .domain.dates import parse_user_date

        parse_user_date(value, today, order)
    elif name in ("phone", "phones"):
        from .services import validate_phones

        validate_phones(value.split(",") if name == "phones" else [value])
    elif name == "email":
        from .services import validate_email

        validate_email(value)
    elif name in ("days", "score"):
        low, high = (1, 3650) if name == "days" else (1, 5)
        if not value.strip().isdigit() or not low <= int(value) <= high:
            raise ValueError(f"a number from {low} to {high}")
    elif name == "items":
        from .dialogs.sale import parse_items

        parse_items(value)
