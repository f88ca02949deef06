"""Log a call or message: pick the outcome with one key, add a note, enter saves."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from .base import Dialog
from ..widgets.plain import Plain

OUTCOME_LABELS = [
    ("reached", "Reached"),
    ("no_answer", "No answer"),
    ("left_message", "Left a message"),
    ("bought", "Bought again"),
    ("declined", "Declined"),
    ("do_not_contact", "Do not contact again"),
]


class ContactDialog(Dialog[tuple[str, str]]):
    """Returns (outcome, note) or None."""

    BINDINGS = [Binding(str(i), f"pick({i})", show=False, id=f"contact.outcome_{i}") for i in range(1, len(OUTCOME_LABELS) + 1)]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.customer_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(f"Contact with {self.customer_name}", classes="dialog-title")
            yield OptionList(*[Option(f"{i}  {label}", id=key) for i, (key, label) in enumerate(OUTCOME_LABELS, 1)], id="outcome")
            yield Input(placeholder="Note (optional): what was said", id="note", max_length=2000, compact=True)
            yield Plain("1–6 or ↑↓ to choose · enter to save · escape to cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def action_pick(self, number: int) -> None:
        if self.focused is self.query_one("#note"):
            return
        self.query_one(OptionList).highlighted = number - 1
        self.query_one("#note", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted or 0
        outcome = OUTCOME_LABELS[index][0]
        self.dismiss((outcome, event.value.strip()))
