"""Before a new customer is created: someone with that name, phone or email is already on file.
Enter uses the existing customer, n creates another anyway, escape goes back to the form."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from ..domain.records import CustomerRow
from ..ui_support import shop_of
from ..widgets.customer_picker import describe
from ..widgets.plain import Plain
from .base import Dialog

SHOWN = 3


class ExistingCustomerDialog(Dialog[str]):
    """Returns "use" (the first match), "new" (create another) or None (back to the form)."""

    AREA = "new customer"
    BINDINGS = [Binding("n", "answer('new')", "Create another", id="existing.answer_new"), Binding("u", "answer('use')", "Use existing", show=False, id="existing.answer_use")]

    def __init__(self, typed_name: str, matches: list[tuple[CustomerRow, str]]) -> None:
        super().__init__()
        self.typed_name = typed_name
        self.matches = matches

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(f"“{self.typed_name}” may already be a customer", classes="dialog-title")
            text = Text()
            region = shop_of(self.app).settings.phone_region  # phones shown as everywhere else
            for row, reason in self.matches[:SHOWN]:
                text.append_text(describe(row, region))
                text.append(f"  ({reason})\n", style="dim")
            if len(self.matches) > SHOWN:
                text.append(f"and {len(self.matches) - SHOWN} more\n", style="dim")
            yield Plain(text)
            yield Plain(f"Use {self.matches[0][0].name} (enter) or create another (n)?")
            with Horizontal(classes="buttons"):
                yield Button("Use existing (enter)", id="use", variant="primary")
                yield Button("Create another (n)", id="new")

    def on_mount(self) -> None:
        self.query_one("#use", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


def ask_existing(form: Dialog, new, matches: list[tuple[CustomerRow, str]], use, back_to: str = "#customer") -> None:
    """Ask from `form` (a dialog with `create_anyway` and `action_save`): "use" calls `use` with the
    first match, "new" saves again creating another customer, anything else goes back to `back_to`."""

    def answered(answer: str | None) -> None:
        if answer == "use":
            use(matches[0][0])
        elif answer == "new":
            form.create_anyway = new
            form.action_save()
        else:
            form.query_one(back_to, Input).focus()

    form.app.push_screen(ExistingCustomerDialog(new.name.strip(), matches), answered)
