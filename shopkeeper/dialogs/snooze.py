"""Snooze a checklist row until a day (default a few days ahead; "+1w", "fri" work too)."""
from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from ..domain.dates import DateError
from ..services import default_snooze
from ..ui_support import date_order_of, shop_of, today_of
from ..widgets.date_field import DateField, date_hint
from .base import Dialog
from ..widgets.plain import Plain


class SnoozeDialog(Dialog[date]):
    FIRST_FIELD = "until"

    def __init__(self, name: str) -> None:
        super().__init__()
        self.customer_name = name

    def compose(self) -> ComposeResult:
        today = today_of(self.app)
        default = default_snooze(today, shop_of(self.app).settings)
        with Vertical(classes="dialog"):
            yield Plain(f"Snooze {self.customer_name} until", classes="dialog-title")
            yield DateField(f"Day ({date_hint(date_order_of(self.app))})", "until", f"{default.day} {default:%b}",
                            direction="future")
            yield Plain("enter to snooze · escape to cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.clear_errors()
        today = today_of(self.app)
        try:
            until = self.query_one("#field-until", DateField).read()
        except DateError as exc:
            self.show_error("until", str(exc))
            return
        if until <= today:
            self.show_error("until", "pick a day after today")
            return
        self.dismiss(until)
