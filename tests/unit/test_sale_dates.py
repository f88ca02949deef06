"""A sale cannot be dated after today, however it is logged (the dialog checked; Shop.log_sale did not)."""
from datetime import date, timedelta

import pytest

from shopkeeper.domain.dates import parse_date_in_order, recent_year
from shopkeeper.domain.errors import InputError
from shopkeeper.services import SaleInput


def test_log_sale_refuses_a_date_after_today(shop, make, today):
    ann = make.customer("Ann")
    with pytest.raises(InputError) as refused:
        shop.log_sale(SaleInput(1000, today + timedelta(days=1), customer_id=ann), today=today)
    assert (refused.value.field, refused.value.message) == ("date", "date 2026-03-03 is in the future")
    with pytest.raises(InputError):  # without the app's day, the real one
        shop.log_sale(SaleInput(1000, date.today() + timedelta(days=1), customer_id=ann))
    assert shop.card(ann, today).total_spend_cents == 0
    shop.log_sale(SaleInput(1000, today, customer_id=ann), today=today)
    assert shop.card(ann, today).total_spend_cents == 1000


@pytest.mark.parametrize("two, year", [(26, 2026), (27, 1927), (99, 1999), (0, 2000), (5, 2005)])
def test_two_digit_years(two, year):
    assert recent_year(two, date(2026, 3, 2)) == year


def test_file_dates_with_two_digit_years():
    assert parse_date_in_order("31/12/99", "dmy", date(2026, 3, 2)) == date(1999, 12, 31)
    assert parse_date_in_order("12/31/99", "mdy", date(2026, 3, 2)) == date(1999, 12, 31)
    assert parse_date_in_order("31/12/1999", "dmy", date(2026, 3, 2)) == date(1999, 12, 31)
