"""Money is integer cents. Parsing is strict: what is not clearly an amount is refused."""
from __future__ import annotations

import re

MAX_CENTS = 10**13  # one hundred billion units: anything larger is a typing error

_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$", re.ASCII)  # ASCII: "٣" and "１" are not amounts
# Grouped thousands: "1 234", "1 234,50", "1,234.50", "1.234,50". A lone "1.234" or "1,234" is
# refused: it could be a thousand or one unit and a fraction, and guessing would lose money.
_THOUSANDS_DOT_DECIMAL = re.compile(r"^\d{1,3}(?:(?:,\d{3})+\.\d{1,2}|(?:[ '\u00a0\u202f]\d{3})+(?:\.\d{1,2})?)$", re.ASCII)
_THOUSANDS_COMMA_DECIMAL = re.compile(r"^\d{1,3}(?:(?:\.\d{3})+,\d{1,2}|(?:[ '\u00a0\u202f]\d{3})+(?:,\d{1,2})?)$", re.ASCII)
_SYMBOLS = "€$£¥"


class MoneyError(ValueError):
    """Text that is not an amount of money."""


def parse_money(text: str) -> int:
    """Parse "12.50", "12,50", "€12.50", "-3", "1 234,50" into cents; raise MoneyError otherwise."""
    raw = (text or "").strip()
    if not raw:
        raise MoneyError("amount is empty")
    s = raw
    negative = False
    if s[0] in "+-":
        negative = s[0] == "-"
        s = s[1:].strip()
    if s and s[0] in _SYMBOLS:
        s = s[1:].strip()
    elif s and s[-1] in _SYMBOLS:
        s = s[:-1].strip()
    if s and s[0] in "+-" and not raw.lstrip()[0] in "+-":
        negative = s[0] == "-"
        s = s[1:].strip()
    if _PLAIN.match(s):
        whole, _, frac = s.replace(",", ".").partition(".")
    elif _THOUSANDS_DOT_DECIMAL.match(s):
        whole, _, frac = s.partition(".")
        whole = re.sub(r"\D", "", whole)
    elif _THOUSANDS_COMMA_DECIMAL.match(s):
        whole, _, frac = s.partition(",")
        whole = re.sub(r"\D", "", whole)
    else:
        raise MoneyError(f"amount {raw!r} is not a number like 12.50")
    cents = int(whole) * 100 + int((frac + "00")[:2])
    if cents > MAX_CENTS:
        raise MoneyError(f"amount {raw!r} is too large")
    return -cents if negative else cents


def format_cents(cents: int) -> str:
    """Cents as a plain decimal string: 1250 -> "12.50", -5 -> "-0.05"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def format_money(cents: int, currency: str = "") -> str:
    """Cents for people: thousands grouped and the shop's currency, e.g. "1,234.50 EUR"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    text = f"{sign}{whole:,}.{frac:02d}"
    return f"{text} {currency}".strip()


_UNIT_PRICE = re.compile(r"^(\d+)(?:[.,](\d{1,4}))?$", re.ASCII)


def parse_unit_price(text: str) -> int:
    """A unit price in ten-thousandths (catalogues may price to 0.001): "2.55" -> 25500."""
    raw = (text or "").strip()
    s = raw.lstrip("+-").strip().strip(_SYMBOLS).strip()
    match = _UNIT_PRICE.match(s)
    if not match:
        return parse_money(raw) * 100
    value = int(match.group(1)) * 10_000 + int(((match.group(2) or "") + "0000")[:4])
    if value > MAX_CENTS * 100:
        raise MoneyError(f"unit price {raw!r} is too large")
    return -value if raw.startswith("-") else value


def line_total_cents(quantity: int, unit_price_ten_thousandths: int) -> int:
    """quantity x unit price, rounded half away from zero to whole cents."""
    total = quantity * unit_price_ten_thousandths
    cents, rest = divmod(abs(total), 100)
    if rest >= 50:
        cents += 1
    return cents if total >= 0 else -cents
