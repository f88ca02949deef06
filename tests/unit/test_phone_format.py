"""Phone numbers are shown one way however they were typed: national for the shop's country,
international for the others, as typed when they cannot be read as a number."""
from __future__ import annotations

import pytest

from shopkeeper.domain.phones import format_phone


@pytest.mark.parametrize("typed", ["0726452523", "07.26.45.25.23", "+33726452523", "+33 7 26 45 25 23", "07-26-45-25-23"])
def test_home_numbers_in_the_national_format(typed):
    assert format_phone(typed, "FR") == "07 26 45 25 23"


@pytest.mark.parametrize("typed", ["+44 20 7946 0958", "+442079460958", "0044 20 7946 0958"])
def test_foreign_numbers_in_the_international_format(typed):
    assert format_phone(typed, "FR") == "+44 20 7946 0958"


def test_the_shop_country_decides_which_is_home():
    assert format_phone("+44 20 7946 0958", "GB") == "020 7946 0958"
    assert format_phone("0726452523", "GB") != "07 26 45 25 23"  # not a French shop: read as British


@pytest.mark.parametrize("typed", ["", "12", "abc"])
def test_what_is_not_a_number_is_shown_as_typed(typed):
    assert format_phone(typed, "FR") == typed
