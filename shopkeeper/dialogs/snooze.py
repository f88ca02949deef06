"""Snooze a checklist row until a day (default a few days ahead; "+1w", "fri" work too)."""
from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from ..domain.dates import DateError, parse_friendly_date
from ..services import default_snooze
from ..ui_support import shop_of, today_of
from ..widgets.form import FormField
from .base import Dialog
from ..widgets.plain import Plain


class SnoozeDialog(Dialog[date]):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.customer_name = name

    def compose(self) -> ComposeResult:
        default = default_snooze(today_of(self.app), shop_of(self.app).settings)
        with Vertical(classes="dialog"):
            yield Plain(f"Snooze {self.customer_name} until", classes="dialog-title")
            yield FormField("Day (2026-12-01, +3d, fri, next week)", "until", default.isoformat())
            yield Plain("enter to snooze · escape to cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#until", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.clear_errors()
        today = today_of(self.app)
        try:
            until = parse_friendly_date(event.value, today)
        except DateError as exc:
            self.show_error("until", str(exc))
            return
        if until <= today:
            self.show_error("until", "pick a day after today")
            return
        self.dismiss(until)
