"""Feedback: a 1-5 score, what they said, would they recommend us, whether we may quote it (a
testimonial), and whether it is a complaint (then, like 2 stars or less, it is to be answered)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input
from ..widgets.tickbox import TickBox

from ..domain.errors import InputError
from ..domain.numbers import parse_whole
from ..ui_support import shop_of, today_of
from ..ui_work import save
from ..widgets.form import FormField
from .base import CustomerDialog
from ..widgets.plain import Plain


# "would you recommend us?": yes makes the customer an advocate (level 3)
RECOMMEND = {"": None, "?": None, "y": True, "yes": True, "o": True, "oui": True, "n": False, "no": False, "non": False}


class FeedbackDialog(CustomerDialog[bool]):
    AREA = "feedback"
    FIRST_FIELD = "score"

    def compose(self) -> ComposeResult:
        yield self.dialog_box(f"Feedback from {self.customer_name}",
                              FormField("Score 1–5", "score", "5"),
                              FormField("What they said", "text"),
                              FormField("Would recommend us? y / n (empty: not asked)", "recommend"),
                              TickBox("We may quote it (testimonial)", id="testimonial", compact=True),
                              TickBox("A complaint: answer it (also any score of 2 or less)", id="complaint",
                                      compact=True),
                              Plain("enter saves · escape cancels", classes="hint"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.clear_errors()
        try:
            score = parse_whole(self.query_one("#field-score", FormField).value, 1, 5, "score must be a number from 1 to 5", "score")
        except InputError as exc:
            self.show_input_error(exc, "score")
            return
        answer = self.query_one("#field-recommend", FormField).value.strip().lower()
        if answer not in RECOMMEND:
            self.show_error("recommend", "type y (yes), n (no), or leave it empty")
            return
        shop, today = shop_of(self.app), today_of(self.app)
        text, quote = self.query_one("#field-text", FormField).value, self.query_one("#testimonial", Checkbox).value
        complaint = self.query_one("#complaint", Checkbox).value

        def saved(_) -> None:
            self.notify("Feedback saved.")
            self.dismiss(True)

        save(self, lambda: shop.add_feedback(self.customer_id, score, text, quote, today, would_recommend=RECOMMEND[answer],
                                             complaint=complaint), saved, what="the feedback",
             invalid=lambda exc: self.show_input_error(exc, "score"))
