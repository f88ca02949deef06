"""A labelled input with its own error line, so a form shows each problem next to its field."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static
from .plain import Plain


class FormField(Vertical):
    DEFAULT_CSS = """
    FormField { height: auto; margin: 0 0 0 0; }
    FormField > Label { color: $text-muted; padding: 0 1; }
    FormField > .error { color: $error; height: auto; padding: 0 1; display: none; }
    FormField.-invalid > .error { display: block; }
    FormField > Input { margin: 0 1; background: $panel-lighten-1; }
    FormField > Input:focus { background: $primary 30%; }
    FormField.-invalid > Input { background: $error 25%; }
    """

    def __init__(self, label: str, name: str, value: str = "", placeholder: str = "", **input_args) -> None:
        super().__init__(id=f"field-{name}")
        self.label = label
        self.field_name = name
        self.initial = value
        self.placeholder = placeholder
        self.input_args = input_args

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield Input(self.initial, placeholder=self.placeholder, id=self.field_name, compact=True, **self.input_args)
        yield Plain("", classes="error")

    @property
    def value(self) -> str:
        return self.query_one(Input).value

    @value.setter
    def value(self, text: str) -> None:
        self.query_one(Input).value = text

    def show_error(self, message: str) -> None:
        self.query_one(".error", Static).update(message)
        self.add_class("-invalid")

    def clear_error(self) -> None:
        self.remove_class("-invalid")

    @on(Input.Changed)
    def _recheck(self, event: Input.Changed) -> None:
        """While the field shows an error, check it again on every change: the error leaves as
        soon as the field is right (the screen's `check_field` says; without one, on any edit)."""
        if not self.has_class("-invalid"):
            return
        check = getattr(self.screen, "check_field", None)
        problem = check(self.field_name, self.value) if check else None  # now, not as the event saw it
        if problem:
            self.show_error(problem)
        else:
            self.clear_error()
