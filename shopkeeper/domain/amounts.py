"""When a typed amount is far above the shop's usual sale, the form asks before saving it."""
from __future__ import annotations

from statistics import median_low

from .money import parse_money

AUTO = "auto"
AUTO_FACTOR = 10  # "far above" is ten times the median sale
MIN_HISTORY = 20  # fewer sales than this say too little about what is usual...
FIXED_CENTS = 100_000  # ...so until then anything above 1,000.00 is asked about
RECENT_SALES = 1000  # the median is taken over the shop's most recent sales


def large_sale_cents(setting: str, recent_amounts: list[int]) -> int:
    """The amount above which a sale is asked about: the setting if it is an amount, else
    AUTO_FACTOR x the median of the recent positive sales (a fixed amount with little history)."""
    if setting and setting != AUTO:
        return parse_money(setting)
    positive = [cents for cents in recent_amounts if cents > 0]
    if len(positive) < MIN_HISTORY:
        return FIXED_CENTS
    return AUTO_FACTOR * int(median_low(positive))


def is_large(amount_cents: int, threshold_cents: int) -> bool:
    """Refunds count by their size too: -12,345.67 is as likely a slip as 12,345.67."""
    return abs(amount_cents) > threshold_cents
