"""Dates typed by people: strict ISO for files, friendly shortcuts for forms. "today" is passed in."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class DateError(ValueError):
    """Text that is not a date we can read without guessing."""


def parse_iso_date(text: str) -> date:
    """Read "2025-03-14", "2025-03-14 10:22[:05]", "2025-03-14T10:22" or "20250314"."""
    raw = (text or "").strip()
    if not raw:
        raise DateError("date is empty")
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", raw)
    if not match:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw)
    if not match:
        raise DateError(f"date {raw!r} is not like 2025-03-14")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"date {raw!r} does not exist") from None


def parse_friendly_date(text: str, today: date) -> date:
    """A form's date: ISO, or "today", "tomorrow", "+3d", "+2w", "fri" (next Friday), "next week"."""
    raw = (text or "").strip().lower()
    if not raw or raw == "today":
        return today
    if raw in ("tomorrow", "tmr"):
        return today + timedelta(days=1)
    if raw == "next week":
        return today + timedelta(days=7 - today.weekday())  # next Monday
    if raw == "next month":
        return _add_months(today, 1)
    match = re.fullmatch(r"\+\s*(\d{1,3})\s*([dwm]?)", raw)
    if match:
        amount, unit = int(match.group(1)), match.group(2) or "d"
        if unit == "m":
            return _add_months(today, amount)
        return today + timedelta(days=amount * (7 if unit == "w" else 1))
    for index, name in enumerate(WEEKDAYS):
        if raw.startswith(name) and name.startswith(raw[:3]) and len(raw) >= 3:
            ahead = (index - today.weekday()) % 7 or 7  # "fri" on a Friday means next Friday
            return today + timedelta(days=ahead)
    try:
        return parse_iso_date(raw)
    except DateError as exc:
        if re.fullmatch(r"\d{4}-?\d{2}-?\d{2}", raw):
            raise  # shaped like a date but not one, e.g. 2025-02-30: say so
        raise DateError(f"date {text.strip()!r} is not like 2025-03-14, +3d, fri or next week") from exc


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def month_day(day: date) -> int:
    """The yearly anniversary key: month*100 + day (Feb 29 counts as Feb 28 in most years)."""
    return day.month * 100 + day.day


def next_anniversary(born: date, today: date) -> date:
    """The next day on or after `today` that falls on `born`'s month and day."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, born.month, born.day)
        except ValueError:  # Feb 29 in a common year
            candidate = date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")


def now_date() -> date:
    """Only for the outer edges (CLI, app start-up): the one place the clock is read."""
    return datetime.now().date()


_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
DATE_ORDERS = ("iso", "dmy", "mdy")


def detect_date_order(values: list[str]) -> str:
    """Which way a file writes its dates: "iso", "dmy" (31/12/2025) or "mdy" (12/31/2025).

    Decided from the whole column, never guessed row by row: a day above 12 settles it.
    Raises DateError when the column mixes both or cannot tell them apart.
    """
    first_big = second_big = False
    numeric = 0
    for value in values:
        match = _NUMERIC.fullmatch(value.strip())
        if not match:
            continue
        numeric += 1
        first_big |= int(match.group(1)) > 12
        second_big |= int(match.group(2)) > 12
    if numeric * 2 <= len([v for v in values if v.strip()]):
        return "iso"  # mostly ISO: the odd 14/03/2025 is reported on its own line
    if first_big and second_big:
        raise DateError("the dates mix day/month and month/day orders")
    if first_big:
        return "dmy"
    if second_big:
        return "mdy"
    raise DateError("dates like 01/02/2025 could be day/month or month/day; say which with --date-format dmy or mdy")


def parse_date_in_order(text: str, order: str, today: date) -> date:
    """Read a file's date in the order `detect_date_order` found (ISO is always accepted too).
    A two-digit year is the most recent year up to today's ending in those digits (99 -> 1999)."""
    raw = (text or "").strip()
    match = _NUMERIC.fullmatch(raw) if order != "iso" else None
    if match is None:
        return parse_iso_date(raw)
    a, b, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if len(match.group(3)) == 2:
        year = recent_year(year, today)
    day, month = (a, b) if order == "dmy" else (b, a)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"date {raw!r} does not exist") from None


def recent_year(two_digits: int, today: date) -> int:
    """The most recent year, up to today's, that ends in `two_digits` (in 2026: 26 -> 2026, 27 -> 1927)."""
    year = today.year - today.year % 100 + two_digits
    return year if year <= today.year else year - 100
