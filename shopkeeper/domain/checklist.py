"""The day's checklist: what the owner should do on a day, as plain data the CLI and TUI share."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .money import format_cents
from .promises import PromiseCounts, count_promises


@dataclass(frozen=True, kw_only=True)
class CallRow:
    """What every call-list row carries: the calls that did not reach them (no answer, left a
    message). Keyword-only, so the rows' own fields keep their positional order."""

    attempts: int = 0
    last_attempt: str = ""
    last_attempt_on: date | None = None


CALL_ROW_FIELDS = ("attempts", "last_attempt", "last_attempt_on")


@dataclass(frozen=True)
class PromiseItem(CallRow):
    promise_id: int
    customer_id: int
    name: str
    phone: str
    text: str
    due_on: date
    days_late: int
    do_not_contact: bool = False  # still owed (listed), but not a call: keep it when they come in


@dataclass(frozen=True)
class SecondSaleItem(CallRow):
    customer_id: int
    name: str
    phone: str
    email: str
    first_purchase_on: date
    days_since_first: int
    first_purchase_cents: int
    item_count: int
    priority: int
    reasons: list[str]
    reachable: bool


@dataclass(frozen=True)
class ThankItem(CallRow):
    referral_id: int
    customer_id: int  # the referrer, who is to be thanked
    name: str
    phone: str
    referee_id: int
    referee_name: str
    first_purchase_on: date


@dataclass(frozen=True)
class BirthdayItem(CallRow):
    customer_id: int
    name: str
    phone: str
    label: str  # "birthday" or a family date's label
    on: date  # this year's anniversary
    in_days: int
    kind: str = "birthday"  # birthday / family_date: what closing this row refers to
    subject_id: int = 0  # the customer id, or the family date id


@dataclass(frozen=True)
class FeedbackItem(CallRow):
    """Feedback of 2 stars or less, or a complaint, not answered yet: call them back."""

    feedback_id: int
    customer_id: int
    name: str
    phone: str
    email: str
    given_on: date
    score: int
    complaint: bool
    text: str


@dataclass(frozen=True)
class KeepInTouchItem(CallRow):
    """A consented customer not in touch for `days_silent` days (at most M a day, by setting)."""

    customer_id: int
    name: str
    phone: str
    email: str
    last_in_touch_on: date
    days_silent: int
    reason: str


@dataclass(frozen=True)
class BigOrderItem(CallRow):
    """A regular's unusually big visit (issue 14: "always do a bit more"): thank them, the next day."""

    sale_id: int  # the visit's last sale: what closing or snoozing the row refers to
    customer_id: int
    name: str
    phone: str
    sold_on: date
    amount_cents: int  # the visit: that day's sales together
    usual_visit_cents: int  # the median of their earlier visits
    times_usual: float
    visits_before: int


@dataclass(frozen=True)
class EnquiryItem(CallRow):
    """A question someone asked that has no answer yet."""

    enquiry_id: int
    customer_id: int | None  # None: someone not on file (name and phone as given)
    name: str
    phone: str
    what: str
    channel: str
    asked_on: date
    days_waiting: int
    do_not_contact: bool = False  # they asked us: still answered, but not a call for anything else


@dataclass
class Checklist:
    date: date
    promises_overdue: list[PromiseItem] = field(default_factory=list)
    promises_due: list[PromiseItem] = field(default_factory=list)
    second_sale: list[SecondSaleItem] = field(default_factory=list)
    thank_referrer: list[ThankItem] = field(default_factory=list)
    birthdays: list[BirthdayItem] = field(default_factory=list)
    feedback_to_answer: list[FeedbackItem] = field(default_factory=list)
    keep_in_touch: list[KeepInTouchItem] = field(default_factory=list)
    big_orders: list[BigOrderItem] = field(default_factory=list)
    enquiries: list[EnquiryItem] = field(default_factory=list)
    done_today: int = 0
    # (due day, snoozed until) of the promises due by D that a running snooze keeps off the list
    promises_snoozed: list[tuple[date, date]] = field(default_factory=list)

    def promise_counts(self) -> PromiseCounts:
        """Overdue, due and snoozed, counted by the rule the promises screen uses too."""
        listed = [(p.due_on, None) for p in self.promises_overdue + self.promises_due]
        return count_promises(listed + self.promises_snoozed, self.date)

    def total(self) -> int:
        return sum(len(items) for items in self.sections().values())

    def sections(self) -> dict[str, list]:
        return {
            "promises_overdue": self.promises_overdue,
            "promises_due": self.promises_due,
            "second_sale": self.second_sale,
            "thank_referrer": self.thank_referrer,
            "birthdays": self.birthdays,
            "feedback_to_answer": self.feedback_to_answer,
            "keep_in_touch": self.keep_in_touch,
            "big_orders": self.big_orders,
            "enquiries": self.enquiries,
        }

    def to_json(self) -> dict:
        """The CLI contract: dates as ISO text, money as decimal strings."""

        def convert(item) -> dict:
            # a shallow copy of the fields: asdict's deep copy is most of the time on a big list,
            # and items hold only scalars, dates and lists of text, so the JSON is the same
            data = dict(vars(item))
            for key in CALL_ROW_FIELDS:  # CallRow's fields come first in vars(): keep them last, as always
                data[key] = data.pop(key)
            for key, value in data.items():
                if isinstance(value, date):
                    data[key] = value.isoformat()
            if "first_purchase_cents" in data:
                data["first_purchase_amount"] = format_cents(data.pop("first_purchase_cents"))
            if any(key.endswith("_cents") for key in data):  # amount_cents -> "amount": "123.45", in place
                data = {(k[:-6] if k.endswith("_cents") else k): (format_cents(v) if k.endswith("_cents") else v)
                        for k, v in data.items()}
            return data

        out: dict = {"date": self.date.isoformat()}
        for name, items in self.sections().items():
            out[name] = [convert(item) for item in items]
        out["done_today"] = self.done_today
        return out


def row_kind(item) -> tuple[str, int]:
    """(follow-up kind, subject id) of a checklist item: what closing or snoozing it refers to, and
    the (purpose, subject) its calls are logged with."""
    if isinstance(item, PromiseItem):
        return "promise", item.promise_id
    if isinstance(item, SecondSaleItem):
        return "second_sale", item.customer_id
    if isinstance(item, ThankItem):
        return "thank_referrer", item.referral_id
    if isinstance(item, FeedbackItem):
        return "feedback", item.feedback_id
    if isinstance(item, KeepInTouchItem):
        return "keep_in_touch", item.customer_id
    if isinstance(item, BigOrderItem):
        return "big_order", item.sale_id
    if isinstance(item, EnquiryItem):
        return "enquiry", item.enquiry_id
    assert isinstance(item, BirthdayItem)
    return item.kind, item.subject_id
