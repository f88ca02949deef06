"""Feedback: a 1-5 score, what they said, and whether we may quote it (a testimonial)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input
from ..widgets.tickbox import TickBox

from ..domain.errors import InputError
from ..ui_support import shop_of, today_of
from ..widgets.form import FormField
from .base import Dialog
from ..widgets.plain import Plain


class FeedbackDialog(Dialog[bool]):
    AREA = "feedback"

    def __init__(self, customer_id: int, name: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(f"Feedback from {self.customer_name}", classes="dialog-title")
            yield FormField("Score 1–5", "score", "5")
            yield FormField("What they said", "text")
            yield TickBox("We may quote it (testimonial)", id="testimonial", compact=True)
            yield Plain("enter saves · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#score", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.clear_errors()
        score_text = self.query_one("#field-score", FormField).value.strip()
        if not score_text.isdigit():
            self.show_error("score", "score must be a number from 1 to 5")
            return
        try:
            shop_of(self.app).add_feedback(self.customer_id, int(score_text), self.query_one("#field-text", FormField).value,
                                           self.query_one("#testimonial", Checkbox).value, today_of(self.app))
        except InputError as exc:
            self.show_input_error(exc, "score")
            return
        self.notify("Feedback saved.")
        self.dismiss(True)
