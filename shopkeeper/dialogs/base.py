"""The shape of every dialog: a titled box, escape cancels, errors go next to their field."""
from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

from ..domain.errors import InputError
from ..widgets.form import FormField

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AREA = "dialog"

    def action_cancel(self) -> None:
        self.dismiss(None)

    def clear_errors(self) -> None:
        for field in self.query(FormField):
            field.clear_error()

    def show_error(self, field: str, message: str) -> None:
        """Show `message` beside `field`, or as a notice when no such field is on the form."""
        matches = self.query(f"#field-{field}")
        if matches:
            matches.first(FormField).show_error(message)
            matches.first(FormField).query_one("Input").focus()
        else:
            self.notify(message, severity="error")

    def check_field(self, name: str, value: str) -> str | None:
        """What is still wrong with a field being corrected (None: right now); see FormField."""
        from ..field_checks import field_problem
        from ..ui_support import today_of

        return field_problem(name, value, today_of(self.app))

    def show_input_error(self, error: InputError, default_field: str) -> None:
        self.show_error(error.field or default_field, error.message)
