"""Money is integer cents; user text is parsed strictly."""
import pytest

from shopkeeper.domain.money import MoneyError, format_cents, format_money, parse_money


@pytest.mark.parametrize(
    "text, cents",
    [
        ("12.50", 1250),
        ("12,50", 1250),
        ("12.5", 1250),
        ("12", 1200),
        ("0.05", 5),
        ("€12.50", 1250),
        ("12.50 €", 1250),
        ("$3", 300),
        ("-3", -300),
        ("-€5", -500),
        ("€-5", -500),
        ("+7,10", 710),
        ("1 234,50", 123450),
        ("1,234.50", 123450),
        ("1.234,50", 123450),
        ("1\u202f234,50", 123450),
        ("  42.00  ", 4200),
    ],
)
def test_parses_amounts_people_type(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "12.50.1", "1e3", "12.5050", "1,2,3", "--5", "+-5", "12,5O", "€", "12 EUR", "1,23,456.00",
     "100000000000.01"],
)
def test_refuses_what_is_not_clearly_an_amount(text):
    with pytest.raises(MoneyError):
        parse_money(text)


def test_result_is_an_int_never_a_float():
    assert type(parse_money("0.10")) is int
    assert parse_money("0.10") + parse_money("0.20") == 30


@pytest.mark.parametrize("cents, text", [(1250, "12.50"), (-5, "-0.05"), (0, "0.00"), (100, "1.00"), (123456789, "1234567.89")])
def test_format_cents_is_a_plain_decimal(cents, text):
    assert format_cents(cents) == text


def test_format_money_groups_thousands_and_names_the_currency():
    assert format_money(123450, "EUR") == "1,234.50 EUR"
    assert format_money(-99) == "-0.99"


@pytest.mark.parametrize("cents", [1, 99, 1250, 123450, 10**12])
def test_format_then_parse_round_trips(cents):
    assert parse_money(format_cents(cents)) == cents
    assert parse_money(format_cents(-cents)) == -cents
