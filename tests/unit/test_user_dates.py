"""One parser for every date typed into a form (issue 10, item 7): the table of what people
type, the year a day-month lands in, and round trips over every day of several years."""
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from shopkeeper.domain.dates import (
    DateError,
    YearlyDate,
    order_for_locale,
    parse_user_date,
    parse_yearly_date,
    show_date,
)

TUESDAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "text, direction, expected",
    [
        ("2026-12-04", "any", date(2026, 12, 4)),
        ("4 dec", "future", date(2026, 12, 4)),
        ("4 December", "future", date(2026, 12, 4)),
        ("dec 4", "future", date(2026, 12, 4)),
        ("Dec 4, 2027", "any", date(2027, 12, 4)),
        ("04/12", "future", date(2026, 12, 4)),
        ("04/12/2026", "any", date(2026, 12, 4)),
        ("4.12.", "future", date(2026, 12, 4)),
        ("4.12.2026", "any", date(2026, 12, 4)),
        ("4 déc", "future", date(2026, 12, 4)),
        ("in 3 days", "future", date(2026, 12, 4)),
        ("3d", "future", date(2026, 12, 4)),
        ("+3d", "any", date(2026, 12, 4)),
        ("2w", "future", date(2026, 12, 15)),
        ("-3m", "past", date(2026, 9, 1)),
        ("-3m", "any", date(2026, 9, 1)),
        ("3 days ago", "any", date(2026, 11, 28)),
        ("3d", "past", date(2026, 11, 28)),  # a sale "3d" back
        ("today", "any", TUESDAY),
        ("Tomorrow", "future", date(2026, 12, 2)),
        ("yesterday", "past", date(2026, 11, 30)),
        ("next week", "future", date(2026, 12, 7)),
        ("fri", "future", date(2026, 12, 4)),
        ("friday", "future", date(2026, 12, 4)),
        ("ven", "future", date(2026, 12, 4)),
        ("vendredi", "future", date(2026, 12, 4)),
        ("fri", "past", date(2026, 11, 27)),
        ("tue", "future", date(2026, 12, 8)),  # today is Tuesday: the next one
        ("demain", "future", date(2026, 12, 2)),
        # a day and month without a year: the year that suits the field
        ("30 nov", "future", date(2027, 11, 30)),
        ("30 nov", "past", date(2026, 11, 30)),
        ("4 dec", "past", date(2025, 12, 4)),
        ("29/02", "future", date(2028, 2, 29)),
    ],
)
def test_what_people_type(text, direction, expected):
    assert parse_user_date(text, TUESDAY, "dmy", direction) == expected


def test_month_first_order_reads_04_12_as_april():
    assert parse_user_date("04/12", TUESDAY, "mdy", "future") == date(2027, 4, 12)
    assert parse_user_date("12/04/2026", TUESDAY, "mdy") == date(2026, 12, 4)


@pytest.mark.parametrize("text", ["", "soon", "31/02", "2026-02-30", "13/13", "4 decembre 20267", "dec"])
def test_refused_with_a_reason(text):
    with pytest.raises(DateError) as info:
        parse_user_date(text, TUESDAY, "dmy", "future")
    assert str(info.value)


def test_the_locale_decides_the_default_order():
    assert order_for_locale("en_US.UTF-8") == "mdy"
    assert order_for_locale("fr_FR.UTF-8") == "dmy"
    assert order_for_locale("en_GB") == "dmy"
    assert order_for_locale("C") == "dmy"


def test_shown_as_the_owner_reads_it():
    assert show_date(date(2026, 12, 4), TUESDAY) == "Fri 4 Dec"
    assert show_date(date(2027, 1, 4), TUESDAY) == "Mon 4 Jan 2027"


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
today_st = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))


@given(days, today_st, st.sampled_from(["dmy", "mdy"]))
def test_round_trip_of_full_dates(day, today, order):
    first, second = (day.day, day.month) if order == "dmy" else (day.month, day.day)
    for text in (day.isoformat(), f"{first:02}/{second:02}/{day.year}", f"{day.day} {day:%B} {day.year}",
                 f"{day:%b} {day.day}, {day.year}", f"{first}.{second}.{day.year}"):
        assert parse_user_date(text, today, order) == day


@given(days, today_st)
def test_day_month_lands_in_the_fields_direction(day, today):
    text = f"{day.day} {day:%b}"
    future = parse_user_date(text, today, "dmy", "future")
    past = parse_user_date(text, today, "dmy", "past")
    assert (future.month, future.day) == (past.month, past.day) == (day.month, day.day)
    assert today <= future and past <= today
    assert future - today < timedelta(days=366 * 4 + 1) and today - past < timedelta(days=366 * 4 + 1)


@given(st.integers(0, 999), today_st, st.sampled_from(["d", "w", "m"]))
def test_relative_amounts_agree_with_their_signed_forms(amount, today, unit):
    assert parse_user_date(f"in {amount}{unit}", today) == parse_user_date(f"+{amount}{unit}", today)
    assert parse_user_date(f"{amount}{unit} ago", today) == parse_user_date(f"-{amount}{unit}", today)
    assert parse_user_date(f"-{amount}{unit}", today) <= today <= parse_user_date(f"{amount}{unit}", today, "dmy", "future")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14 mar", YearlyDate(3, 14)),
        ("14/03", YearlyDate(3, 14)),
        ("14 March 1980", YearlyDate(3, 14, 1980)),
        ("14/03/1980", YearlyDate(3, 14, 1980)),
        ("1980-03-14", YearlyDate(3, 14, 1980)),
        ("--03-14", YearlyDate(3, 14)),
        ("29 feb", YearlyDate(2, 29)),
        ("14/03/80", YearlyDate(3, 14, 1980)),
    ],
)
def test_birthdays_with_or_without_a_year(text, expected):
    assert parse_yearly_date(text, TUESDAY) == expected


@pytest.mark.parametrize("text", ["31/02", "14/03/2030", "tomorrow", "29/02/2025"])
def test_birthdays_refused(text):
    with pytest.raises(DateError):
        parse_yearly_date(text, TUESDAY)


@given(st.dates(min_value=date(1900, 1, 1), max_value=TUESDAY), st.booleans())
def test_yearly_round_trip(day, with_year):
    typed = YearlyDate(day.month, day.day, day.year if with_year else None)
    assert parse_yearly_date(typed.show(), TUESDAY) == typed
    assert YearlyDate.of(typed.md, typed.as_date()) == typed
