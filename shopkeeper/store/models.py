"""The shop's tables (SQLModel). The UI never sees these rows; services convert them to domain types.

Per-customer purchase figures (first/second/last purchase day, purchase days, spend, first-day
spend, items and "on sale", advocate-since, and the visits the lifetime-value models count) are aggregates kept exact inside every write's transaction
(`figures.refresh_figures`), so the checklist and lookup never scan the sales.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE", index: bool = True):
    """A foreign-key column with an explicit ON DELETE rule (SQLModel's Field can't say it)."""
    return Field(
        default=None,
        sa_column=Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index),
    )


def _staff_id():
    """Who did it: a staff member's id, None when nobody was at the till (issue 12). No foreign
    key: staff are retired, never deleted, and the column is added in place by migration 0010."""
    return Field(default=None, nullable=True)


class Staff(SQLModel, table=True):
    """Someone who works in the shop: their initials go on what they record."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    initials: str = Field(unique=True, index=True)  # upper case, 1-4 letters
    retired_on: Optional[date] = None  # no longer picked at a till; their history stays


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


class Household(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)


class Customer(SQLModel, table=True):
    __table_args__ = (Index("ix_customer_first_second", "first_purchase_on", "second_purchase_on"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    name_fold: str = Field(default="", index=True)  # lower-case, accents removed: for lookup
    email: Optional[str] = None
    email_fold: Optional[str] = Field(default=None, index=True)
    notes: str = ""
    likes: str = ""
    dislikes: str = ""
    birthday: Optional[date] = None  # NULL when the year is not known (birthday_md alone)
    birthday_md: Optional[int] = Field(default=None, index=True)  # month*100+day, for "this week"
    preferred_channel: str = ""  # phone / sms / email / visit / ""
    marketing_consent: bool = False
    household_id: Optional[int] = _fk("household.id", nullable=True, ondelete="SET NULL")
    external_id: Optional[str] = Field(default=None, index=True, unique=True)
    created_on: date = Field(index=True)
    erased_on: Optional[date] = None  # personal data erased on request; sales stay as totals
    # kept aggregates (see module docstring)
    first_purchase_on: Optional[date] = Field(default=None)  # indexed with second_purchase_on
    second_purchase_on: Optional[date] = None
    last_purchase_on: Optional[date] = Field(default=None, index=True)
    purchase_days: int = Field(default=0, index=True)
    total_spend_cents: int = Field(default=0, index=True)
    first_day_cents: int = 0
    advocate_since: Optional[date] = None
    # visits (days with sales >= 0, refunds excluded) for the lifetime-value models
    visit_days: int = 0
    first_visit_on: Optional[date] = None
    last_visit_on: Optional[date] = None
    visit_cents: int = 0  # sum of the visits' sales (>= 0)
    first_visit_cents: int = 0
    first_day_items: int = 0  # items bought on the first purchase day (ranks second-sale calls)
    first_day_on_sale: bool = False  # everything bought that day was on sale


class CustomerPhone(SQLModel, table=True):
    __tablename__ = "customer_phone"
    # a customer's first phone (lowest id) straight from the index, without reading the row
    __table_args__ = (Index("ix_customer_phone_customer_first", "customer_id", "id", "raw"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = _fk("customer.id", index=False)
    raw: str  # as typed
    national: str = Field(default="", index=True)  # national digits, e.g. 0628230455
    e164: str = Field(default="", index=True)  # international digits, e.g. 33628230455
    reversed_digits: str = Field(default="", index=True)  # for "last four digits" lookups


class FamilyDate(SQLModel, table=True):
    __tablename__ = "family_date"
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = _fk("customer.id")
    label: str
    on: Optional[date] = None  # the full date when its year is known
    md: int = Field(index=True)  # month*100+day: the yearly key, always set


class Sale(SQLModel, table=True):
    # covering: a customer's purchase days, spend, items and "on sale" without reading sale rows;
    # the refunds tied to a sale from a small partial index (most sales are no refund)
    __table_args__ = (
        Index("ix_sale_customer_day", "customer_id", "sold_on", "amount_cents", "item_count", "on_sale"),
        Index("ix_sale_refund_of", "refund_of_id", sqlite_where=text("refund_of_id IS NOT NULL"),
              postgresql_where=text("refund_of_id IS NOT NULL")),
        # the few sales with a cost: Insights learn at once whether any sale has one
        Index("ix_sale_cost", "cost_cents", sqlite_where=text("cost_cents IS NOT NULL"),
              postgresql_where=text("cost_cents IS NOT NULL")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: Optional[int] = _fk("customer.id", nullable=True, ondelete="SET NULL", index=False)
    sold_on: date = Field(index=True)
    sold_at: Optional[str] = None  # the instant, UTC ISO "2025-10-07T07:50:26Z", when an import knew it
    amount_cents: int
    item_count: int = 1
    on_sale: bool = False
    note: str = ""
    import_key: Optional[str] = Field(default=None, unique=True, index=True)
    # the sale this refund gives money back on (a refund is never a sale of its own); None for
    # sales and for refunds from before refunds were tied (old data, imports)
    refund_of_id: Optional[int] = _fk("sale.id", nullable=True, ondelete="RESTRICT", index=False)
    staff_id: Optional[int] = _staff_id()
    # what the goods cost the shop, when the owner knows it (profit); None: the shop-wide margin
    # setting stands in, or the profit of this sale is unknown
    cost_cents: Optional[int] = None


class BigVisit(SQLModel, table=True):
    """A regular's unusually big visit (store/big_visits.py says the rule), kept exact in each
    write's transaction by `figures.refresh_figures`: the checklist reads the week's few rows
    through the sold_on index instead of every earlier visit of everyone who came that week."""

    __tablename__ = "big_visit"
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"),
                                              primary_key=True))
    sold_on: date = Field(primary_key=True, index=True)
    sale_id: int  # the visit's last sale (highest id): what closing the row refers to
    amount_cents: int  # the day's sales of zero or more together
    usual_x2_cents: int  # twice the median of the earlier visits (a median may end in half a cent)
    visits_before: int


class SaleVoid(SQLModel, table=True):
    """A voided sale, moved out of `sale` so no figure counts it, kept with when and why.

    Its import key stays reserved here: importing the same file again does not bring it back."""

    __tablename__ = "sale_void"
    id: Optional[int] = Field(default=None, primary_key=True)
    sale_id: int = Field(index=True, unique=True)  # the id it had (never given to another sale)
    customer_id: Optional[int] = _fk("customer.id", nullable=True, ondelete="SET NULL")
    sold_on: date
    amount_cents: int
    item_count: int = 1
    on_sale: bool = False
    note: str = ""
    import_key: Optional[str] = Field(default=None, index=True)
    refund_of_id: Optional[int] = None
    lines_json: str = "[]"  # [{"description", "quantity", "unit_price_cents"}]
    voided_on: date
    reason: str = ""
    staff_id: Optional[int] = _staff_id()  # who sold it (the sale's staff_id)
    voided_by_id: Optional[int] = _staff_id()  # who voided it


class SaleCorrection(SQLModel, table=True):
    """One edit of a sale: the values before and after, when and why (the sale row holds the new)."""

    __tablename__ = "sale_correction"
    id: Optional[int] = Field(default=None, primary_key=True)
    sale_id: int = Field(index=True)  # no foreign key: the history outlives a later void
    corrected_on: date
    reason: str = ""
    old_customer_id: Optional[int] = None
    new_customer_id: Optional[int] = None
    old_sold_on: date
    new_sold_on: date
    old_amount_cents: int
    new_amount_cents: int
    old_item_count: int
    new_item_count: int
    staff_id: Optional[int] = _staff_id()


class SaleLine(SQLModel, table=True):
    __tablename__ = "sale_line"
    id: Optional[int] = Field(default=None, primary_key=True)
    sale_id: int = _fk("sale.id")
    description: str = ""
    quantity: int = 1
    unit_price_cents: Optional[int] = None


class Promise(SQLModel, table=True):
    __table_args__ = (Index("ix_promise_status_due", "status", "due_on"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = _fk("customer.id")
    text: str
    made_on: date
    due_on: date = Field(index=True)
    status: str = Field(default="open")  # open / kept / missed / cancelled
    closed_on: Optional[date] = Field(default=None, index=True)  # the day it was kept, missed or cancelled
    staff_id: Optional[int] = _staff_id()


class Referral(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    referrer_id: int = _fk("customer.id")
    referee_id: int = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False, unique=True),
    )
    referred_on: date
    staff_id: Optional[int] = _staff_id()


class Contact(SQLModel, table=True):
    __table_args__ = (
        Index("ix_contact_customer_day", "customer_id", "contacted_on", "outcome", "purpose"),
        Index("ix_contact_subject", "purpose", "subject_id"),
        # who asked not to be contacted (and who lifted it), without reading every contact
        Index("ix_contact_outcome", "outcome", "customer_id", "contacted_on"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = _fk("customer.id", index=False)
    contacted_on: date = Field(index=True)
    channel: str = "phone"
    outcome: str  # reached / no_answer / left_message / bought / declined / do_not_contact / contact_allowed (lifted)
    note: str = ""
    purpose: str = "general"  # general / second_sale / thank_referrer / promise / birthday
    subject_id: Optional[int] = None  # the promise or referral this contact was about
    staff_id: Optional[int] = _staff_id()


class FollowUp(SQLModel, table=True):
    """A checklist row snoozed or closed by hand, without a contact outcome."""

    __tablename__ = "follow_up"
    __table_args__ = (Index("ix_follow_up_subject", "kind", "subject_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = _fk("customer.id")
    kind: str  # second_sale / thank_referrer / promise / birthday
    subject_id: int  # customer id, referral id, promise id
    action: str  # snooze / close
    on_day: date = Field(index=True)
    until: Optional[date] = None


class Feedback(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = _fk("customer.id")
    given_on: date
    score: int
    text: str = ""
    testimonial_ok: bool = False  # the customer allowed us to quote it (shopkeeper export testimonials)
    would_recommend: Optional[bool] = None  # "would you recommend us?": yes / no / not asked (None)
    complaint: bool = False  # a complaint, whatever the score: to be answered (checklist)
    staff_id: Optional[int] = _staff_id()


class CustomerTag(SQLModel, table=True):
    """A free tag on a customer ("wholesale", "tea club"), found by its folded form."""

    __tablename__ = "customer_tag"
    __table_args__ = (
        UniqueConstraint("customer_id", "tag_fold", name="uq_customer_tag"),
        Index("ix_customer_tag_fold", "tag_fold", "customer_id"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = _fk("customer.id", index=False)
    tag: str  # as typed the first time
    tag_fold: str  # lower case, accents removed


class Enquiry(SQLModel, table=True):
    """A question a customer or a passer-by asked (by phone, message, at the counter), and when it
    was answered: the unanswered ones are on the checklist, the response time in Insights."""

    __table_args__ = (Index("ix_enquiry_open", "answered_on", "asked_on"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: Optional[int] = _fk("customer.id", nullable=True, ondelete="SET NULL")
    name: str = ""  # who asked, when not (yet) a customer
    phone: str = ""
    what: str
    channel: str = "phone"  # phone / sms / email / visit / web
    asked_on: date = Field(index=True)
    answered_on: Optional[date] = None
    answer: str = ""
