"""Plain views of stored things, the only shapes the UI and CLI ever see (never SQLModel rows)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CustomerRow:
    """One line of a list or lookup result."""

    id: int
    name: str
    phone: str
    email: str
    level: int
    total_spend_cents: int
    purchase_days: int
    last_purchase_on: date | None


@dataclass(frozen=True)
class SaleLineView:
    description: str
    quantity: int
    unit_price_cents: int | None


@dataclass(frozen=True)
class SaleView:
    id: int
    customer_id: int | None
    customer_name: str
    sold_on: date
    amount_cents: int
    item_count: int
    on_sale: bool
    note: str
    lines: tuple[SaleLineView, ...] = ()


@dataclass(frozen=True)
class PromiseView:
    id: int
    customer_id: int
    customer_name: str
    text: str
    made_on: date
    due_on: date
    status: str
    closed_on: date | None
    snoozed_until: date | None = None  # a snooze running on the day the list was read for


@dataclass(frozen=True)
class ContactView:
    id: int
    contacted_on: date
    channel: str
    outcome: str
    note: str
    purpose: str


@dataclass(frozen=True)
class FeedbackView:
    id: int
    given_on: date
    score: int
    text: str
    testimonial_ok: bool


@dataclass(frozen=True)
class ReferralView:
    customer_id: int
    name: str
    referred_on: date
    has_bought: bool


@dataclass(frozen=True)
class FamilyDateView:
    label: str
    on: date


@dataclass
class CustomerCard:
    """Everything the card shows about one customer, as of a day."""

    id: int
    name: str
    phones: list[str]
    email: str
    notes: str
    likes: str
    dislikes: str
    birthday: date | None
    preferred_channel: str
    marketing_consent: bool
    household: str
    external_id: str
    level: int
    total_spend_cents: int
    purchase_days: int
    first_purchase_on: date | None
    last_purchase_on: date | None
    average_days_between: float | None
    family_dates: list[FamilyDateView] = field(default_factory=list)
    sales: list[SaleView] = field(default_factory=list)
    open_promises: list[PromiseView] = field(default_factory=list)
    contacts: list[ContactView] = field(default_factory=list)
    feedback: list[FeedbackView] = field(default_factory=list)
    referred_by: ReferralView | None = None
    referrals: list[ReferralView] = field(default_factory=list)


@dataclass(frozen=True)
class DuplicatePair:
    first: CustomerRow
    second: CustomerRow
    reason: str
