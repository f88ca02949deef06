"""One strict parser for whole numbers typed by people: ASCII digits only, a message otherwise."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopkeeper.domain.errors import InputError
from shopkeeper.domain.money import MoneyError, parse_money
from shopkeeper.domain.numbers import parse_whole
from shopkeeper.domain.settings import SettingError, coerce

# every character Python calls a digit or numeric that is not 0-9 ("²", "٣", "１", "½", "Ⅻ", ...)
ODD_DIGITS = st.characters(categories=("Nd", "Nl", "No"), min_codepoint=0x80)
ASCII_DIGITS = st.text("0123456789", max_size=3)


@given(ASCII_DIGITS, ODD_DIGITS, ASCII_DIGITS)
def test_any_non_ascii_digit_is_a_clear_message_never_a_crash(before, odd, after):
    text = before + odd + after
    with pytest.raises(InputError, match="0-9"):
        parse_whole(text, 0, 10**12, "a number", "n")
    with pytest.raises(SettingError, match="whole number"):
        coerce("snooze_days", text)
    with pytest.raises(MoneyError):
        parse_money(text)


@pytest.mark.parametrize("text,value", [("7", 7), (" 42 ", 42), ("0009", 9)])
def test_ascii_digits_in_range_are_read(text, value):
    assert parse_whole(text, 1, 100, "a number") == value


@pytest.mark.parametrize("text", ["", "0", "101", "-3", "1.5", "3 days", "9" * 40])
def test_out_of_range_or_not_a_number_gets_the_message(text):
    with pytest.raises(InputError, match="^a number from 1 to 100$") as caught:
        parse_whole(text, 1, 100, "a number from 1 to 100", "days")
    assert caught.value.field == "days"
