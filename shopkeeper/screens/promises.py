"""Every open promise, soonest first: keep them, mark them missed, cancel, or make a new one."""
from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import OptionList, Static
from ..keymap import default_bindings
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..domain.promises import count_promises, due_state, promise_state
from ..domain.records import PromiseView
from .. import undo
from ..ui_support import colour, counts_line, remember, shop_of, show_highlighted, styled, today_of
from ..ui_work import loader, save
from ..widgets.rows import KeyedRows, OpensCustomer, columns, drop_row, row_width, rows_after, window_line
from .list_layout import list_layout

WIDTHS = [10, 9, 20, 0]  # due date, how late / how soon, customer, what (the rest)


DUE_COLOURS = {"overdue": "overdue", "due": "due", "later": "muted"}  # domain.promises.due_state → colour


def due_words(due_on: date, today: date) -> str:
    days = (due_on - today).days
    if days < 0:
        return f"{-days} d late"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} d"


class PromisesScreen(OpensCustomer, KeyedRows, Screen):
    ROWS = "promises"
    AREA = "promises"
    BINDINGS = default_bindings("PromisesScreen")  # shopkeeper/keys.toml

    def __init__(self) -> None:
        super().__init__()
        self.promises: dict[str, PromiseView] = {}
        self.loaded: list[PromiseView] | None = None
        self.select_next: str | None = None  # the row to highlight after the next load (a new promise)

    def compose(self) -> ComposeResult:
        yield from list_layout(OptionList(id="promises", classes="rows"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.loaded is not None:
            self.reload()

    def live_reload(self) -> None:
        """Another till changed the shop (see live.py): reload, the cursor staying on its promise."""
        if self.loaded is not None:
            self.reload()

    # loading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        self.load()

    @loader("promises", "load the promises")
    def load(self) -> None:
        promises = shop_of(self.app).open_promises(today_of(self.app))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, promises)

    def show(self, promises: list[PromiseView]) -> None:
        self.loaded = promises
        options = self.query_one(OptionList)
        keep = self._current_key()
        line, after = window_line(options), rows_after(options)
        today = today_of(self.app)
        if self.select_next is not None and any(p.id == int(self.select_next[2:]) for p in promises):
            keep, self.select_next, line = self.select_next, None, None
        width = row_width(options)
        self.promises = {f"p:{p.id}": p for p in sorted(promises, key=lambda p: (p.due_on, p.id))}
        if keep not in self.promises:  # its promise closed (here or at another till): the next one
            keep = next((key for key in after if key in self.promises), keep)
        rows = [Option(columns(list(self._cells(p, today)), WIDTHS, width), id=key) for key, p in self.promises.items()]
        if not rows:
            rows.append(Option(styled(self.app, "No open promises. Press n to make one.", "done", bold=True), id="h:empty", disabled=True))
        options.clear_options()
        options.add_options(rows)
        self._summarise(today)
        self._restore_cursor(keep, line)

    def on_resize(self) -> None:
        if self.loaded is not None:
            self.show(self.loaded)

    def _cells(self, promise: PromiseView, today: date) -> tuple:
        meaning = DUE_COLOURS[due_state(promise.due_on, today)]
        snoozed = promise_state(promise.due_on, today, promise.snoozed_until) == "snoozed"
        return (
            styled(self.app, promise.due_on.strftime("%a %d %b"), "muted" if snoozed else meaning),
            styled(self.app, "snoozed" if snoozed else due_words(promise.due_on, today), "muted" if snoozed else meaning),
            promise.customer_name,
            f"{promise.staff}  {promise.text}" if promise.staff else promise.text,  # who made it (issue 12)
        )

    def _summarise(self, today: date) -> None:
        promises = list(self.promises.values())
        counts = count_promises([(p.due_on, p.snoozed_until) for p in promises], today)  # as the checklist counts
        prefix = f"{len(promises)} open  "
        parts = [
            (f"{counts.overdue} overdue", "overdue" if counts.overdue else "muted"),
            (f"{counts.due} due today", "due" if counts.due else "muted"),
            *([(f"{counts.snoozed} snoozed", "muted")] if counts.snoozed else []),
            (f"{counts.later} later", "muted"),
        ]
        summary = self.query_one("#summary", Static)
        summary.update(counts_line(self.app, prefix, parts, summary.content_region.width or None))

    @on(OptionList.OptionHighlighted)
    def _describe_current(self) -> None:
        show_highlighted(self, self._detail)

    def _detail(self, promise: PromiseView, today: date) -> Text:
        detail = Text.assemble(("Promised to ", "bold"), (promise.customer_name, "bold"), ": ", promise.text)
        detail.append(f"\nMade {promise.made_on:%a %d %b %Y}" + (f" by {promise.staff}" if promise.staff else "") + ", due {promise.due_on:%a %d %b %Y} ", style="dim")
        detail.append(f"({due_words(promise.due_on, today)}).", style=colour(self.app, DUE_COLOURS[due_state(promise.due_on, today)]) or "dim")
        if promise_state(promise.due_on, today, promise.snoozed_until) == "snoozed":
            detail.append(f" Snoozed until {promise.snoozed_until:%a %d %b}: off the checklist till then.", style="dim")
        return detail

    # actions ----------------------------------------------------------------------------------
    def selected(self) -> PromiseView | None:
        return self.promises.get(self._current_key() or "")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("open", "kept", "missed", "cancel_promise"):
            return self.selected() is not None
        return True

    def _done(self, message: str, key: str | None = None) -> None:
        """The row leaves the list once its write has landed; the list then reloads to stay exact."""
        drop_row(self.query_one(OptionList), self.promises, key or self._current_key())
        self.notify(message)
        self.reload()

    def _set_status(self, promise: PromiseView, status: str) -> None:
        shop, today, key = shop_of(self.app), today_of(self.app), f"p:{promise.id}"
        save(self, lambda: shop.set_promise_status(promise.id, status, today),
             lambda _: self._done(remember(self.app, undo.promise_closed(promise.customer_name, promise.text, status,
                                                                         promise.id)), key),
             what="the promise's status", key=("promise", promise.id))

    def action_kept(self) -> None:
        promise = self.selected()
        if promise is not None:
            self._set_status(promise, "kept")

    def action_missed(self) -> None:
        promise = self.selected()
        if promise is not None:
            self._set_status(promise, "missed")

    def action_cancel_promise(self) -> None:
        promise = self.selected()
        if promise is None:
            return
        from ..dialogs.confirm import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._set_status(promise, "cancelled")

        question = f"Cancel the promise to {promise.customer_name}: “{promise.text}”?"
        self.app.push_screen(ConfirmDialog(question, "Cancel promise"), confirmed)

    def action_new(self) -> None:
        from ..dialogs.promise import PromiseDialog

        def made(promise_id: int | None) -> None:
            if promise_id is not None:
                self.notify("Promise made")
                self.select_next = f"p:{promise_id}"
                self.reload()

        self.app.push_screen(PromiseDialog(), made)
