"""A labelled input with its own error line, so a form shows each problem next to its field."""
from __future__ import annotations

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
