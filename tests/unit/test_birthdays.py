"""Birthdays and family dates within the next 7 days (today included), across the new year."""
from datetime import date

import pytest

from shopkeeper.store.writes import CustomerFields


def with_birthday(shop, make, name, born):
    cid = make.customer(name)
    shop.update_customer(cid, CustomerFields(birthday=born))
    return cid


def birthdays(shop, day):
    return [(b.customer_id, b.on, b.in_days) for b in shop.checklist(day).birthdays]


@pytest.mark.parametrize("offset, listed", [(0, True), (1, True), (6, True), (7, False), (-1, False)])
def test_window_is_today_and_the_next_six_days(shop, make, offset, listed):
    on = make.ago(-offset)
    cid = with_birthday(shop, make, "Bea", on.replace(year=1980))
    assert (birthdays(shop, make.today) == [(cid, on, offset)]) is listed
    if not listed:
        assert birthdays(shop, make.today) == []


def test_year_wrap_december_to_january(shop, make):
    day = date(2026, 12, 29)
    jan = with_birthday(shop, make, "January", date(1975, 1, 2))
    dec = with_birthday(shop, make, "December", date(1990, 12, 31))
    too_far = with_birthday(shop, make, "Too far", date(1990, 1, 5))
    assert birthdays(shop, day) == [(dec, date(2026, 12, 31), 2), (jan, date(2027, 1, 2), 4)]
    assert too_far not in [b[0] for b in birthdays(shop, day)]


def test_feb_29_birthday_in_a_common_year(shop, make):
    cid = with_birthday(shop, make, "Leap", date(2000, 2, 29))
    assert birthdays(shop, date(2026, 2, 25)) == [(cid, date(2026, 2, 28), 3)]


def test_family_dates_are_listed_with_their_label(shop, make):
    cid = make.customer("Parent")
    shop.add_family_date(cid, "daughter's birthday", date(2015, 3, 4))
    (item,) = shop.checklist(make.today).birthdays
    assert (item.customer_id, item.label, item.on, item.kind) == (cid, "daughter's birthday", date(2026, 3, 4), "family_date")


def test_do_not_contact_hides_birthdays(shop, make):
    cid = with_birthday(shop, make, "Private", make.today.replace(year=1980))
    shop.log_contact(cid, "do_not_contact", make.ago(1))
    assert birthdays(shop, make.today) == []


def test_closed_birthday_leaves_the_list(shop, make):
    cid = with_birthday(shop, make, "Wished", make.ago(-2).replace(year=1980))
    shop.close_follow_up("birthday", cid, cid, make.today)
    assert birthdays(shop, make.today) == []
    assert len(birthdays(shop, make.ago(1))) == 1


def test_a_birthday_or_family_date_without_a_year(shop, make, tmp_path, run):
    """Stored as the month and day only (birthday_md; family_date.on NULL): listed each year,
    no age, exported as ISO 8601 "--MM-DD"."""
    import json

    from shopkeeper.domain.dates import YearlyDate

    cid = make.customer("No Year")
    shop.update_customer(cid, CustomerFields(birthday_md=make.today.month * 100 + make.today.day + 1))
    shop.add_family_date(cid, "son's birthday", YearlyDate(make.today.month, make.today.day + 2))
    listed = [(b.label, b.on, b.in_days) for b in shop.checklist(make.today).birthdays]
    assert listed == [("birthday", make.today.replace(day=make.today.day + 1), 1),
                      ("son's birthday", make.today.replace(day=make.today.day + 2), 2)]
    card = shop.card(cid, make.today)
    assert (card.birthday, card.birthday_md) == (None, make.today.month * 100 + make.today.day + 1)
    assert card.family_dates[0].on is None
    code, out, _ = run("export", "customers", "--format", "json", "--db", shop.location, "--date", make.today.isoformat())
    assert code == 0
    exported = json.loads(out)
    rows = exported if isinstance(exported, list) else exported["customers"]
    assert [r["birthday"] for r in rows if r["name"] == "No Year"] == [f"--{make.today.month:02}-{make.today.day + 1:02}"]
