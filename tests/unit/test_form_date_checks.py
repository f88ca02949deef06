"""The live check of a form's date field reads dates as the forms do (parse_user_date, the shop's
date order): it used the older parser, which called "4 dec" or "04/12" wrong while the form took them."""
from datetime import date

from shopkeeper.field_checks import field_problem

TODAY = date(2026, 3, 2)


def test_a_date_the_forms_accept_is_not_called_wrong():
    assert field_problem("date", "4 dec", TODAY) is None
    assert field_problem("date", "12/31", TODAY, "mdy") is None


def test_a_wrong_date_still_has_a_message():
    assert field_problem("date", "someday", TODAY)
    assert field_problem("date", "31/12", TODAY, "mdy")
