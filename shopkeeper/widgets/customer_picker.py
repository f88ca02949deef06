"""Type a name, phone or email and pick an existing customer from the matches under the input."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..domain.records import CustomerRow
from ..domain.phones import format_phone
from ..ui_support import level_label, shop_of, today_of
from ..ui_work import loader
from .plain import Plain


def describe(row: CustomerRow, region: str = "") -> Text:
    """A match as "Name  07 26 45 25 23  L2 repeat"; `region` is the shop's, for the phone's format."""
    reach = format_phone(row.phone, region) or row.email or "—"
    return Text.assemble((row.name, "bold"), f"  {reach}  ", (level_label(row.level), "dim"))


class MatchList(OptionList):
    """The matches under the input. Never focused: Tab goes from the input straight to the next
    field (a hurried owner's phone number used to land in this list), ↓/↑ in the input move the
    highlight, enter or a click takes a match."""

    can_focus = False


class CustomerPicker(Vertical):
    """Posts `Picked` when a customer is chosen; `chosen` holds the row (None while typing)."""

    DEFAULT_CSS = """
    CustomerPicker { height: auto; }
    CustomerPicker > Label { color: $text-muted; padding: 0 1; }
    CustomerPicker > Input { margin: 0 1; background: $panel-lighten-1; }
    CustomerPicker > Input:focus { background: $primary 30%; }
    CustomerPicker.-invalid > Input { background: $error 25%; }
    CustomerPicker > OptionList { height: auto; max-height: 6; border: none; display: none; }
    CustomerPicker.-open > OptionList { display: block; }
    CustomerPicker > .chosen { color: $success; padding: 0 1; height: auto; display: none; }
    CustomerPicker.-chosen > .chosen { display: block; }
    CustomerPicker > .error { color: $error; padding: 0 1; display: none; }
    CustomerPicker.-invalid > .error { display: block; }
    """

    BINDINGS = [
        Binding("down", "next_match", "Matches", show=False, id="picker.matches"),
        Binding("up", "previous_match", "Matches", show=False, id="picker.matches_up"),
    ]

    class Picked(Message):
        def __init__(self, picker: "CustomerPicker", row: CustomerRow | None) -> None:
            super().__init__()
            self.picker = picker
            self.row = row

    def __init__(self, label: str, name: str, placeholder: str = "name, phone or email", limit: int = 6) -> None:
        super().__init__(id=f"field-{name}")
        self.label = label
        self.field_name = name
        self.placeholder = placeholder
        self.limit = limit
        self.chosen: CustomerRow | None = None
        self.rows: dict[str, CustomerRow] = {}

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield Input(placeholder=self.placeholder, id=self.field_name, compact=True)
        yield MatchList()
        yield Plain("", classes="chosen")
        yield Plain("", classes="error")

    @property
    def _region(self) -> str:
        return shop_of(self.app).settings.phone_region

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    def show_error(self, message: str) -> None:
        self.query_one(".error", Static).update(message)
        self.add_class("-invalid")

    def clear_error(self) -> None:
        self.remove_class("-invalid")

    def choose(self, row: CustomerRow | None) -> None:
        self.chosen = row
        self.query_one(".chosen", Static).update(Text.assemble("✓ ", describe(row, self._region)) if row else "")
        self.set_class(row is not None, "-chosen")
        self.remove_class("-open")
        self.post_message(self.Picked(self, row))

    def pick(self, row: CustomerRow) -> None:
        """Choose `row` as if it had been picked from the matches (its name goes in the input)."""
        input_ = self.query_one(Input)
        with input_.prevent(Input.Changed):
            input_.value = row.name
        self.choose(row)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self.chosen is not None and event.value != self.chosen.name:
            self.choose(None)
        self.search(event.value)

    @loader("picker", "look up customers")
    def search(self, text: str) -> None:
        rows = shop_of(self.app).lookup(text, today_of(self.app), limit=self.limit) if text.strip() else []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[CustomerRow]) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        self.rows = {str(row.id): row for row in rows}
        options.add_options([Option(describe(row, self._region), id=str(row.id)) for row in rows])
        self.set_class(bool(rows) and self.chosen is None, "-open")

    def _open_matches(self) -> OptionList | None:
        options = self.query_one(OptionList)
        return options if self.has_class("-open") and options.option_count else None

    def action_next_match(self) -> None:
        """↓ highlights the next match (the typing stays in the input); with no matches, next field."""
        options = self._open_matches()
        if options is None:
            self.screen.focus_next()
        elif options.highlighted is None:
            options.highlighted = 0
        else:
            options.highlighted = min(options.highlighted + 1, options.option_count - 1)

    def action_previous_match(self) -> None:
        """↑ highlights the previous match; above the first, none is highlighted."""
        options = self._open_matches()
        if options is None:
            self.screen.focus_previous()
        elif options.highlighted:
            options.highlighted -= 1
        else:
            options.highlighted = None

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter in the input takes the highlighted match, or the first when none is highlighted."""
        options = self._open_matches()
        if options is not None:
            event.stop()
            index = options.highlighted if options.highlighted is not None else 0
            self._take(options.get_option_at_index(index).id)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(event.option.id)

    def _take(self, option_id: str | None) -> None:
        row = self.rows.get(option_id or "")
        if row is not None:
            self.pick(row)
            self.query_one(Input).focus()
            self.call_after_refresh(self.screen.focus_next)  # on to the next field
