"""Enquiries: the ones waiting for an answer (oldest first), then the answered ones. n logs a new
one, a marks the highlighted one answered today, enter opens the customer who asked."""
from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from .. import undo
from ..domain.enquiries import EnquiryView
from ..keymap import default_bindings
from ..ui_support import counts_line, phone, remember, shop_of, show_highlighted, styled, today_of
from ..ui_work import loader, save
from ..widgets.rows import KeyedRows, OpensCustomer, columns, row_width
from .list_layout import list_layout

WIDTHS = [9, 18, 15, 0]  # waiting / answered, who, phone, what (the rest)


class EnquiriesScreen(OpensCustomer, KeyedRows, Screen):
    ROWS = "rows"
    AREA = "enquiries"
    BINDINGS = default_bindings("EnquiriesScreen")  # shopkeeper/keys.toml

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, EnquiryView] = {}
        self.loaded: list[EnquiryView] | None = None
        self.select_next: str | None = None

    def compose(self):
        yield from list_layout(OptionList(id="enquiries", classes="rows"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.loaded is not None:
            self.reload()

    def reload(self) -> None:
        self.load()

    @loader("enquiries", "load the enquiries")
    def load(self) -> None:
        rows = shop_of(self.app).enquiries(today_of(self.app))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, rows)

    def show(self, rows: list[EnquiryView]) -> None:
        self.loaded = rows
        today = today_of(self.app)
        options = self.query_one(OptionList)
        keep = self.select_next or self._current_key()
        self.select_next = None
        waiting = sorted((r for r in rows if r.answered_on is None), key=lambda r: (r.asked_on, r.id))
        answered = [r for r in rows if r.answered_on is not None]
        self.rows = {f"e:{r.id}": r for r in waiting + answered}
        width = row_width(options)
        shown = [Option(columns(list(self._cells(r, today)), WIDTHS, width), id=key) for key, r in self.rows.items()]
        if not shown:
            shown.append(Option(styled(self.app, "No enquiries yet. Press n when someone asks something.", "done",
                                       bold=True), id="h:empty", disabled=True))
        options.clear_options()
        options.add_options(shown)
        summary = self.query_one("#summary", Static)
        parts = [(f"{len(waiting)} waiting", "due" if waiting else "muted"), (f"{len(answered)} answered", "muted")]
        summary.update(counts_line(self.app, "Enquiries  ", parts, summary.content_region.width or None))
        self._restore_cursor(keep)

    def on_resize(self) -> None:
        if self.loaded is not None:
            self.show(self.loaded)

    def _cells(self, row: EnquiryView, today: date) -> tuple:
        if row.answered_on is None:
            days = (today - row.asked_on).days
            when = styled(self.app, "today" if days == 0 else f"{days} d", "overdue" if days > 1 else "due")
        else:
            when = styled(self.app, "answered", "muted")
        return when, row.name, phone(self.app, row.phone), f"{row.channel}: {row.what}"

    @on(OptionList.OptionHighlighted)
    def _describe_current(self) -> None:
        show_highlighted(self, self._detail)

    def _detail(self, row: EnquiryView, today: date) -> Text:
        text = Text.assemble(("Asked: ", "bold"), row.what)
        text.append(f"\nBy {row.channel} on {row.asked_on:%a %d %b %Y}", style="dim")
        if row.answered_on is not None:
            days = (row.answered_on - row.asked_on).days
            text.append(f", answered {'the same day' if days == 0 else f'{days} d later'}"
                        + (f": {row.answer}" if row.answer else "") + ".", style="dim")
        else:
            text.append(". a: answered.", style="dim")
        return text

    def selected(self) -> EnquiryView | None:
        return self.rows.get(self._current_key() or "")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "answer":
            row = self.selected()
            return row is not None and row.answered_on is None
        if action == "open":
            row = self.selected()
            return row is not None and row.customer_id is not None
        return True

    def action_answer(self) -> None:
        row = self.selected()
        if row is None or row.answered_on is not None:
            return
        shop, today = shop_of(self.app), today_of(self.app)

        def answered(_) -> None:
            self.notify(remember(self.app, undo.enquiry_answered(row.name, row.what, row.id)))
            self.reload()

        save(self, lambda: shop.answer_enquiry(row.id, today), answered, what="the answer", key=("enquiry", row.id))

    def action_new(self) -> None:
        from ..dialogs.enquiry import EnquiryDialog

        def logged(enquiry_id: int | None) -> None:
            if enquiry_id is not None:
                self.notify("Enquiry logged")
                self.select_next = f"e:{enquiry_id}"
                self.reload()

        self.app.push_screen(EnquiryDialog(), logged)
