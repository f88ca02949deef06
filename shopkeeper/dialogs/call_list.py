"""Choose a call list: items bought before a day, lapsed one-timers, birthdays next month, top
customers not seen lately, referral asks, keep in touch, feedback to answer; and a tag to keep to.
Returns (kind, words, before, days, consent_only, tag)."""
from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, OptionList
from textual.widgets.option_list import Option

from ..domain.dates import DateError
from ..domain.errors import InputError
from ..domain.numbers import parse_whole
from ..ui_support import date_order_of, today_of
from ..widgets.date_field import DateField
from ..widgets.form import FormField
from .base import Dialog
from ..widgets.plain import Plain

KINDS = [
    ("items", "Bought an item (e.g. teapot) before a day — offer the upgrade"),
    ("lapsed", "Lapsed one-timers — one more try"),
    ("birthdays", "Birthdays next month — keep in touch"),
    ("quiet", "Top 20% not seen for a while"),
    ("referral-ask", "Happy regulars who never referred anyone — ask for a referral"),
    ("keep-in-touch", "Not in touch for a while (setting: keep-in-touch days)"),
    ("feedback", "Feedback to answer — low scores and complaints"),
]
NO_FIELDS = ("lapsed", "birthdays", "referral-ask", "keep-in-touch", "feedback")  # enter builds at once


class CallListDialog(Dialog[tuple[str, str, date | None, int, bool, str]]):
    """Returns (kind, words, before, days, consent_only, tag)."""

    AREA = "call list"
    BINDINGS = [Binding("ctrl+s", "build", "Build", tooltip="Build the list", id="call_list.build")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain("Build a call list", classes="dialog-title")
            yield OptionList(*[Option(label, id=kind) for kind, label in KINDS], id="kind")
            with Horizontal(classes="row"):
                yield FormField("Item words", "words", placeholder="teapot")
                example = "01/06/2026" if date_order_of(self.app) == "dmy" else "06/01/2026"
                yield DateField("Bought before", "before", "", direction="past", placeholder=f"-3m, 1 jun, {example}")
                yield FormField("Not seen for (days)", "days", "90")
                yield FormField("Only tag", "tag", placeholder="any")
            yield Checkbox("Only customers who agreed to marketing messages", True, id="consent_only", compact=True)
            yield Plain("↑↓ pick a list · tab to its fields · enter builds · escape cancels · "
                        "never anyone who asked not to be contacted", classes="hint")

    def on_mount(self) -> None:
        kinds = self.query_one("#kind", OptionList)
        kinds.highlighted = 0
        kinds.focus()

    @on(OptionList.OptionSelected, "#kind")
    def _kind_chosen(self) -> None:
        kind = self._kind()
        if kind in NO_FIELDS:
            self.action_build()
        else:
            self.query_one("#words" if kind == "items" else "#days", Input).focus()

    def _kind(self) -> str:
        kinds = self.query_one("#kind", OptionList)
        return KINDS[kinds.highlighted or 0][0]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_build()

    def action_build(self) -> None:
        self.clear_errors()
        kind = self._kind()
        today = today_of(self.app)
        words = self.query_one("#field-words", FormField).value.strip()
        before = None
        if kind == "items":
            if len(words) < 2:
                self.show_error("words", "type at least two letters of the item")
                return
            field = self.query_one("#field-before", DateField)
            try:
                before = field.read() if field.value.strip() else today
            except DateError as exc:
                self.show_error("before", str(exc))
                return
        days = 90
        if kind == "quiet":
            try:
                days = parse_whole(self.query_one("#field-days", FormField).value, 1, 3650, "a number of days from 1 to 3650", "days")
            except InputError as exc:
                self.show_input_error(exc, "days")
                return
        tag = self.query_one("#field-tag", FormField).value.strip()
        self.dismiss((kind, words, before, days, self.query_one("#consent_only", Checkbox).value, tag))
