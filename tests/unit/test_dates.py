"""Dates: strict ISO for files, friendly shortcuts for forms, yearly anniversaries."""
from datetime import date

import pytest

from shopkeeper.domain.dates import DateError, month_day, next_anniversary, parse_user_date, parse_iso_date

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    "text", ["2026-03-02", "2026-03-02 10:22", "2026-03-02 10:22:05", "2026-03-02T10:22", "20260302", " 2026-03-02 "]
)
def test_iso_dates_and_timestamps(text):
    assert parse_iso_date(text) == MONDAY


@pytest.mark.parametrize("text", ["", "02/03/2026", "2026-3-2", "2026-02-30", "2025-02-29", "yesterday", "2026-03-02x"])
def test_iso_refuses_guesses_and_impossible_days(text):
    with pytest.raises(DateError):
        parse_iso_date(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", MONDAY),
        ("tomorrow", date(2026, 3, 3)),
        ("+3d", date(2026, 3, 5)),
        ("+3", date(2026, 3, 5)),
        ("+2w", date(2026, 3, 16)),
        ("+1m", date(2026, 4, 2)),
        ("fri", date(2026, 3, 6)),
        ("mon", date(2026, 3, 9)),  # "mon" on a Monday means next Monday
        ("next week", date(2026, 3, 9)),
        ("2026-12-24", date(2026, 12, 24)),
    ],
)
def test_form_dates_from_a_fixed_today(text, expected):
    assert parse_user_date(text, MONDAY) == expected


def test_adding_a_month_to_the_31st_lands_on_the_last_day():
    assert parse_user_date("+1m", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_user_date("+1m", date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse_user_date("+1m", date(2026, 12, 15)) == date(2027, 1, 15)


def test_form_dates_refuse_nonsense():
    with pytest.raises(DateError):
        parse_user_date("someday", MONDAY)


def test_next_anniversary_wraps_the_year_and_handles_feb_29():
    assert next_anniversary(date(1980, 1, 2), date(2026, 12, 30)) == date(2027, 1, 2)
    assert next_anniversary(date(1980, 3, 2), MONDAY) == MONDAY
    assert next_anniversary(date(1980, 3, 1), MONDAY) == date(2027, 3, 1)
    assert next_anniversary(date(2000, 2, 29), date(2026, 2, 20)) == date(2026, 2, 28)
    assert next_anniversary(date(2000, 2, 29), date(2028, 2, 20)) == date(2028, 2, 29)
    assert month_day(date(1990, 12, 31)) == 1231
