"""The shape of every dialog: a titled box, escape cancels (asking first if something was typed),
errors go next to their field."""
from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, TextArea

from ..domain.errors import InputError
from ..widgets.form import FormField
from ..widgets.plain import Plain

T = TypeVar("T")


def submitted_field(screen, event: Input.Submitted) -> str:
    """The field an enter belongs to. Keys typed in a burst (enter-enter-enter) all reach the input
    that had focus when they were read, before the first enter has moved on; once focus has moved
    to another field, a late enter counts for that field, so each enter moves one field on."""
    focused = screen.focused
    if isinstance(focused, Input) and focused is not event.input:
        return focused.id or ""
    return event.input.id or ""


class Dialog(ModalScreen[T]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    AREA = "dialog"
    FIRST_FIELD = ""  # the id of the Input that has the focus when the dialog opens
    _initial: tuple | None = None

    def on_mount(self) -> None:
        # runs after the dialog's own on_mount (Textual calls each class's handler, subclass first)
        self._initial = self.form_state()
        if self.FIRST_FIELD:
            self.query_one(f"#{self.FIRST_FIELD}", Input).focus()

    def form_state(self) -> tuple:
        """What the owner has typed or ticked: compared with the opening state on escape."""
        state = []
        for widget in self.query("Input, Checkbox, TextArea"):
            if isinstance(widget, Input):
                state.append((widget.id, widget.value))
            elif isinstance(widget, Checkbox):
                state.append((widget.id, widget.value))
            elif isinstance(widget, TextArea):
                state.append((widget.id, widget.text))
        return tuple(state)

    @property
    def changed(self) -> bool:
        return self._initial is not None and self.form_state() != self._initial

    def action_cancel(self) -> None:
        """Escape closes an untouched form at once; a changed one asks first."""
        if not self.changed:
            self.dismiss(None)
            return
        from .confirm import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard your changes?", "Discard"), answered)

    def move_on_or_save(self, event: Input.Submitted, move_on: tuple[str, ...]) -> None:
        """Enter in a form: in one of the `move_on` fields (a picker, the name) it goes to the next
        field, anywhere else it saves."""
        event.stop()
        if submitted_field(self, event) in move_on:
            self.focus_next()
            return
        self.action_save()

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
        from ..ui_support import date_order_of, today_of

        return field_problem(name, value, today_of(self.app), date_order_of(self.app))

    def show_input_error(self, error: InputError, default_field: str) -> None:
        self.show_error(error.field or default_field, error.message)


class CustomerDialog(Dialog[T]):
    """A dialog about one customer: their id for the write, their name for the title."""

    def __init__(self, customer_id: int, name: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = name

    @staticmethod
    def dialog_box(title: str, *rows: Widget) -> Vertical:
        """The dialog's box: its title line, then its rows (for a dialog that is just a list of rows)."""
        return Vertical(Plain(title, classes="dialog-title"), *rows, classes="dialog")
