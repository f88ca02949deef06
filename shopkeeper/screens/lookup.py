"""Lookup from anywhere: results on every keystroke by name, phone digits (any format, last four)
or email; enter opens the card. Limited and paged so a 100,000-customer shop stays instant."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from ..keymap import default_bindings
from ..widgets.footer import ShopFooter
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..domain.records import CustomerRow
from ..ui_support import level_label, money, phone, shop_of, today_of
from ..ui_work import loader
from ..widgets.rows import columns, fitted_width, row_width
from ..widgets.plain import Plain

PAGE = 20
WIDTHS = [24, 17, 0, 13, 12]  # name, phone, email, level, spend


class LookupScreen(Screen):
    AREA = "lookup"
    BINDINGS = default_bindings("LookupScreen")  # shopkeeper/keys.toml

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.initial = text
        self.page_start = 0
        self.rows: dict[str, CustomerRow] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.initial, placeholder="Name, phone (any format, or last 4 digits) or email", id="lookup-input")
        yield Plain("", id="lookup-status")
        yield OptionList(id="lookup-results")
        yield ShopFooter()

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)
        if self.initial:
            self.search(self.initial, 0)

    @on(Input.Changed, "#lookup-input")
    def _typed(self, event: Input.Changed) -> None:
        self.page_start = 0
        self.search(event.value, 0)

    @on(Input.Submitted, "#lookup-input")
    def _open_first(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            self._open(results.get_option_at_index(results.highlighted or 0).id)

    @loader("lookup", "look up customers")
    def search(self, text: str, offset: int) -> None:
        rows = shop_of(self.app).lookup(text, today_of(self.app), limit=PAGE + 1, offset=offset) if text.strip() else []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, text, rows, offset)

    def show(self, text: str, rows: list[CustomerRow], offset: int) -> None:
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        results = self.query_one(OptionList)
        width = row_width(results)
        self.rows = {str(row.id): row for row in rows}
        results.clear_options()
        spends = {row.id: money(self.app, row.total_spend_cents) for row in rows}
        phones = {row.id: phone(self.app, row.phone) or "—" for row in rows}
        # phone and spend as wide as this page needs, so the email (the rest) is whole at 120 columns
        widths = [WIDTHS[0], min(fitted_width(phones.values(), 14), WIDTHS[1]), WIDTHS[2], WIDTHS[3],
                  fitted_width(spends.values(), 10)]
        results.add_options(
            Option(columns([row.name, phones[row.id], row.email, level_label(row.level), spends[row.id]],
                           widths, width, whole=(4,)), id=str(row.id))
            for row in rows
        )
        if rows:
            results.highlighted = 0
        status = self.query_one("#lookup-status", Static)
        if not text.strip():
            status.update("Type to search. Enter opens the first match; ↓ moves into the list.")
        elif not rows:
            status.update(f"No customer matches “{text}”.")
        else:
            last = offset + len(rows)
            status.update(f"Matches {offset + 1}–{last}{' · pagedown for more' if more else ''} · enter opens")
        self.page_start = offset

    def on_key(self, event) -> None:
        """Typing always goes to the search field: keys that arrive before it has focus (a fast
        typist right after the screen opens) or while the results have focus are not lost."""
        field = self.query_one(Input)
        if event.is_printable and event.character and not field.has_focus:
            event.stop()
            event.prevent_default()
            self._append(field, event.character)

    def type_text(self, text: str) -> None:
        """Add typed text to the search, even before the screen has finished opening."""
        if not self.is_mounted:
            self.initial += text
        elif text:
            self._append(self.query_one(Input), text)

    @staticmethod
    def _append(field: Input, character: str) -> None:
        field.value += character
        field.cursor_position = len(field.value)
        field.focus()

    def action_to_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()

    def action_page(self, step: int) -> None:
        offset = max(self.page_start + step * PAGE, 0)
        if step > 0 and len(self.rows) < PAGE:
            return
        self.search(self.query_one(Input).value, offset)

    @on(OptionList.OptionSelected, "#lookup-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def _open(self, option_id: str | None) -> None:
        row = self.rows.get(option_id or "")
        if row is not None:
            self.app.pop_screen()
            self.app.open_customer(row.id)
