"""The second-sale follow-up: who is due, and how to rank them (with reasons, never hidden)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .money import format_money

CLOSING_OUTCOMES = frozenset({"reached", "bought", "declined", "do_not_contact"})
MAX_SPEND_POINTS = 60  # about 1,000 spent on the first visit; with items, full price and referral: 100


@dataclass(frozen=True)
class FirstPurchase:
    """What we know of a one-time buyer's first purchase day, as the ranking needs it."""

    customer_id: int
    name: str
    phone: str
    email: str
    first_purchase_on: date
    amount_cents: int  # all positive sales of that day together
    item_count: int
    all_on_sale: bool
    referred_by: str | None


def window_state(first: date, day: date, after_days: int, give_up_days: int) -> str:
    """'early' before the window, 'due' inside it (both ends included), 'lapsed' after it.
    The checklist's and call lists' SQL say the same as index ranges; test_rules_live_once holds them."""
    since = (day - first).days
    if since < after_days:
        return "early"
    if since <= give_up_days:
        return "due"
    return "lapsed"


def priority(fp: FirstPurchase, currency: str = "") -> tuple[int, list[str]]:
    """Score a due follow-up from 0 to 100; higher first. Each point has a reason the owner can read.

    Customers with no phone or email are listed last by the ranking (`rank_key`), not by a
    penalty: a score of "★-941" meant nothing to anyone."""
    score = 0
    reasons: list[str] = []
    units = max(fp.amount_cents, 0) / 100
    spend_points = min(MAX_SPEND_POINTS, round(20 * math.log10(1 + units)))
    score += spend_points
    reasons.append(f"spent {format_money(fp.amount_cents, currency)} on first visit (+{spend_points})")
    if fp.item_count > 1:
        item_points = min(15, 3 * (fp.item_count - 1))
        score += item_points
        reasons.append(f"{fp.item_count} items (+{item_points})")
    if fp.all_on_sale:
        reasons.append("bought on sale (+0)")
    else:
        score += 10
        reasons.append("bought at full price (+10)")
    if fp.referred_by:
        score += 15
        reasons.append(f"referred by {fp.referred_by} (+15)")
    if not fp.phone and not fp.email:
        reasons.append("no phone or email: listed last")
    return score, reasons


def rank_key(priority: int, reachable: bool, days_since_first: int, customer_id: int) -> tuple:
    """Who to call first: the reachable before the others, then the highest score, the oldest."""
    return (not reachable, -priority, -days_since_first, customer_id)
