"""Enquiries: a question someone asked the shop, and when it was answered.

Kept by day, not by hour: a shop notes "Mrs Roy rang about the blue teapot on Tuesday", and an
hour typed in afterwards would be a guess. So the response time is in days (0: the same day).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CHANNELS = ("phone", "sms", "email", "visit", "web")


@dataclass(frozen=True)
class EnquiryView:
    id: int
    customer_id: int | None
    name: str  # the customer's name, or the name given
    phone: str
    what: str
    channel: str
    asked_on: date
    answered_on: date | None = None
    answer: str = ""

    def open_on(self, day: date) -> bool:
        """Asked by `day` and not answered by then."""
        return self.asked_on <= day and (self.answered_on is None or self.answered_on > day)

    def to_json(self) -> dict:
        return {"id": self.id, "customer_id": self.customer_id, "name": self.name, "phone": self.phone,
                "what": self.what, "channel": self.channel, "asked_on": self.asked_on.isoformat(),
                "answered_on": self.answered_on.isoformat() if self.answered_on else None, "answer": self.answer}


@dataclass(frozen=True)
class ResponseTimes:
    """How fast enquiries answered by D were answered, in days (0: the same day)."""

    answered: int
    median_days: float | None
    same_day: int
    open: int  # asked by D, not answered by D
    oldest_open_days: int | None

    def to_json(self) -> dict:
        return {"answered": self.answered, "median_days": self.median_days, "answered_same_day": self.same_day,
                "open": self.open, "oldest_open_days": self.oldest_open_days}

    def sentence(self) -> str:
        if not self.answered and not self.open:
            return "none logged yet."
        parts = []
        if self.answered:
            median = self.median_days
            when = "the same day" if median == 0 else f"{median:g} day{'s' if median != 1 else ''}"
            parts.append(f"median response time: {when} ({self.same_day} of {self.answered} answered the same day)")
        if self.open:
            parts.append(f"{self.open} waiting for an answer, the oldest {self.oldest_open_days} d")
        return "; ".join(parts) + "."


def response_times(pairs: list[tuple[date, date | None]], day: date) -> ResponseTimes:
    """From (asked on, answered on or None) of enquiries asked by D; an answer after D is not yet."""
    from statistics import median

    waits = [(answered - asked).days for asked, answered in pairs if answered is not None and answered <= day]
    open_ages = [(day - asked).days for asked, answered in pairs if answered is None or answered > day]
    return ResponseTimes(len(waits), float(median(waits)) if waits else None, sum(1 for w in waits if w == 0),
                         len(open_ages), max(open_ages) if open_ages else None)
