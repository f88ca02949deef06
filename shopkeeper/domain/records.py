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
    marketing_consent: bool = False
    reason: str = ""  # on a call list: why they are on it
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SaleLineView:
    description: str
    quantity: int
    unit_price_cents: int | None


@dataclass(frozen=True)
class SaleEditView:
    """One correction of a sale: what it was and what it became, when and why."""

    corrected_on: date
    reason: str
    old_amount_cents: int
    new_amount_cents: int
    old_sold_on: date
    new_sold_on: date
    old_item_count: int
    new_item_count: int
    old_customer_id: int | None
    new_customer_id: int | None
    staff: str = ""  # initials of who corrected it ("" when nobody said)


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
    refund_of_id: int | None = None  # for a refund: the sale it gives money back on
    refunded_cents: int = 0  # for a sale: the refunds tied to it (zero or negative)
    edits: tuple[SaleEditView, ...] = ()
    staff: str = ""  # initials of who logged it ("" when nobody said who was at the till)
    cost_cents: int | None = None  # what the goods cost the shop, when known

    @property
    def is_refund(self) -> bool:
        return self.amount_cents < 0

    @property
    def refundable_cents(self) -> int:
        """What is left to give back on this sale (0 for a refund)."""
        return max(self.amount_cents + self.refunded_cents, 0)


@dataclass(frozen=True)
class VoidedSaleView:
    """A sale voided with a reason: it counts nowhere, and stays in the history."""

    sale_id: int
    customer_id: int | None
    sold_on: date
    amount_cents: int
    item_count: int
    voided_on: date
    reason: str
    refund_of_id: int | None = None
    on_sale: bool = False
    note: str = ""
    staff: str = ""  # who sold it
    voided_by: str = ""  # who voided it


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
    staff: str = ""  # initials of who made it


@dataclass(frozen=True)
class ContactView:
    id: int
    contacted_on: date
    channel: str
    outcome: str
    note: str
    purpose: str
    staff: str = ""  # initials of who made the contact


@dataclass(frozen=True)
class FeedbackView:
    id: int
    given_on: date
    score: int
    text: str
    testimonial_ok: bool
    would_recommend: bool | None = None
    complaint: bool = False
    staff: str = ""  # initials of who took it down


@dataclass(frozen=True)
class ReferralView:
    customer_id: int
    name: str
    referred_on: date
    has_bought: bool


@dataclass(frozen=True)
class FamilyDateView:
    label: str
    on: date | None  # None when the year is not known
    id: int = 0
    md: int = 0  # month*100+day


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
    birthday_md: int | None = None  # set also when the birthday's year is not known
    do_not_contact_since: date | None = None  # asked not to be contacted (None: may be)
    sales: list[SaleView] = field(default_factory=list)
    voided_sales: list[VoidedSaleView] = field(default_factory=list)
    open_promises: list[PromiseView] = field(default_factory=list)
    contacts: list[ContactView] = field(default_factory=list)
    feedback: list[FeedbackView] = field(default_factory=list)
    referred_by: ReferralView | None = None
    referrals: list[ReferralView] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DuplicatePair:
    first: CustomerRow
    second: CustomerRow
    reason: str


@dataclass
class CustomerFields:
    """What a form or an import may set on a customer; None leaves a field as it is."""

    name: str | None = None
    phones: list[str] | None = None
    email: str | None = None
    notes: str | None = None
    likes: str | None = None
    dislikes: str | None = None
    birthday: date | None = None
    clear_birthday: bool = False
    birthday_md: int | None = None  # a birthday without its year (month*100+day); birthday stays None
    preferred_channel: str | None = None
    marketing_consent: bool | None = None
    household: str | None = None
    external_id: str | None = None
    tags: list[str] | None = None  # tags to add (those already there stay)


@dataclass(frozen=True)
class LineInput:
    """One line of a sale as typed or imported: "2 x gloves"."""

    description: str
    quantity: int
    unit_price_cents: int | None
