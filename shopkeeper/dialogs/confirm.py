"""Yes or no before anything is destroyed, merged or discarded, or an unusual amount saved."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button

from .base import Dialog
from ..widgets.plain import Plain


class ConfirmDialog(Dialog[bool]):
    BINDINGS = [Binding("y", "answer(True)", "Yes", id="confirm.yes"), Binding("n", "answer(False)", "No", id="confirm.no")]

    def __init__(self, question: str, yes_label: str = "Yes", default_yes: bool = False) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes_label
        self.default_yes = default_yes  # enter answers yes (a check before saving, not destroying)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self.question, classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes_label} (y{'/enter' if self.default_yes else ''})", id="yes",
                             variant="primary" if self.default_yes else "error")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
