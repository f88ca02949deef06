"""A date field that reads dates as people type them and shows what it read ("→ Fri 4 Dec").

Every form's date goes through domain.dates.parse_user_date (or parse_yearly_date for birthdays
and family dates, whose year may be left out), in the shop's date order, so all forms agree.
"""
from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.widgets import Input, Label

from ..domain.dates import DateError, YearlyDate, date_examples, parse_user_date, parse_yearly_date, show_date
from ..ui_support import colour, date_order_of, today_of
from .form import FormField


def date_hint(order: str, direction: str = "future") -> str:
    """The short list of forms a field accepts, for its label (only what is accepted)."""
    if direction == "past":
        return f"today, yesterday, 3d, fri, 4 dec, {'04/12' if order == 'dmy' else '12/04'}"
    if direction == "yearly":
        return "14 mar or 14/03/1980" if order == "dmy" else "mar 14 or 03/14/1980"
    return date_examples(order).replace(", next week", "")


class DateField(FormField):
    """direction: "future" (due dates), "past" (sale dates) or "any"; yearly=True for a day
    that comes back each year (read() then returns a YearlyDate)."""

    def __init__(self, label: str, name: str, value: str = "", *, direction: str = "any", yearly: bool = False,
                 placeholder: str = "", **input_args) -> None:
        super().__init__(label, name, value, placeholder=placeholder, **input_args)
        self.direction = direction
        self.yearly = yearly

    def on_mount(self) -> None:
        self._preview(self.value)

    def read(self) -> date | YearlyDate:
        """What the field holds; raises DateError with a one-line reason."""
        today, order = today_of(self.app), date_order_of(self.app)
        if self.yearly:
            return parse_yearly_date(self.value, today, order)
        return parse_user_date(self.value, today, order, self.direction)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, text: str) -> None:
        label = Text(self.label)
        if text.strip():
            try:
                value = self.read()
            except DateError:
                label.append("  → ?", style=colour(self.app, "overdue"))
            else:
                shown = value.show() if isinstance(value, YearlyDate) else show_date(value, today_of(self.app))
                label.append(f"  → {shown}", style=f"bold {colour(self.app, 'accent')}")
        self.query_one(Label).update(label)
