"""All customers, one page of 100 at a time, in the order the owner picks (name, level, spend, recency)."""
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

from ..domain.records import CustomerRow
from ..ui_support import level_label, money, phone, shop_of, short_day, show_highlighted, styled, today_of
from ..ui_work import loader
from ..widgets.paged_list import PagedOptionList
from ..widgets.rows import OpensCustomer, columns, highlighted_id, put_on_window_line, row_width, window_line
from ..widgets.plain import Plain
from .list_layout import list_layout

PAGE = 100
SORTS = {"name": "name", "level": "level", "spend": "spend", "last_purchase": "last purchase"}
WIDTHS = [0, 13, 14, 4, 10]  # name (the rest), level, spend, purchase days, last purchase
WIDE_WIDTHS = [26, 13, 14, 4, 10, 0]  # on a wide terminal the rest goes to phone or email
WIDE = 100  # from this many columns of list, show the contact column
HEADINGS = ["Name", "Level", "Spend", "Days", "Last buy", "Phone or email"]


def widths_for(width: int) -> list[int]:
    return WIDE_WIDTHS if width >= WIDE else WIDTHS


class CustomersScreen(OpensCustomer, Screen):
    CUSTOMER_ID = "id"
    AREA = "customers"
    BINDINGS = default_bindings("CustomersScreen")  # shopkeeper/keys.toml

    def __init__(self) -> None:
        super().__init__()
        self.sort = "name"
        self.start = 0
        self.total = 0
        self.rows: dict[str, CustomerRow] = {}
        self.page: list[CustomerRow] | None = None
        self.tag = ""  # only customers with this tag ("" : everyone)

    def compose(self) -> ComposeResult:
        yield from list_layout(Plain(id="headings"), PagedOptionList(id="customers", classes="rows"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload(0)

    def on_screen_resume(self) -> None:
        if self.page is not None:
            self.reload(self.query_one(OptionList).highlighted or 0)

    def live_reload(self) -> None:
        """Another till changed the shop (see live.py): reload the page, the cursor staying on the
        same customer while they are on it (else on the same line)."""
        if self.page is not None:
            self.load(self.sort, self.start, None, self.tag)

    # loading ----------------------------------------------------------------------------------
    def reload(self, cursor: int) -> None:
        """Load the current page; `cursor` is the row to highlight (-1: the last one)."""
        self.load(self.sort, self.start, cursor, self.tag)

    @loader("customers", "load the customer list")
    def load(self, sort: str, offset: int, cursor: int | None, tag: str = "") -> None:
        shop = shop_of(self.app)
        total = shop.count_customers(tag)
        if offset >= total:  # customers went away (a merge): land on the last page there is
            offset = max(total - 1, 0) // PAGE * PAGE
        rows = shop.customers_page(today_of(self.app), sort, offset, PAGE, tag)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, sort, offset, total, rows, cursor)

    def show(self, sort: str, offset: int, total: int, rows: list[CustomerRow], cursor: int | None) -> None:
        """Show a page; `cursor` is the row to highlight, None: the customer highlighted now (a
        live reload), or their line if they left the page, kept on the same line of the window."""
        self.sort, self.start, self.total, self.page = sort, offset, total, rows
        options = self.query_one(OptionList)
        keep, index, line = highlighted_id(options), options.highlighted or 0, window_line(options)
        width = row_width(options)
        self.rows = {f"c:{row.id}": row for row in rows}
        options.clear_options()
        widths = widths_for(width)
        options.add_options(Option(columns(self._cells(row), widths, width), id=key) for key, row in self.rows.items())
        if not rows:
            empty = f"Nobody is tagged “{self.tag}”. Press t to change the tag." if self.tag else \
                "No customers yet. Press s to log a sale."
            options.add_option(Option(styled(self.app, empty, "muted"), id="h:empty", disabled=True))
        elif cursor is None:
            options.highlighted = options.get_option_index(keep) if keep in self.rows else min(index, len(rows) - 1)
            put_on_window_line(options, line)
        else:
            options.highlighted = cursor % len(rows) if cursor < 0 else min(cursor, len(rows) - 1)
        headings = [Text(h, style="bold") for h in HEADINGS]
        self.query_one("#headings", Static).update(columns(self._align(headings), widths, width))
        self._summarise()
        self._describe_current()

    def on_resize(self) -> None:
        if self.page is not None:
            self.show(self.sort, self.start, self.total, self.page, self.query_one(OptionList).highlighted or 0)

    @staticmethod
    def _align(cells: list[Text]) -> list[Text]:
        """Right-align the money and count columns inside their fixed widths."""
        for index in (2, 3):
            cells[index] = Text(" " * max(WIDTHS[index] - len(cells[index]), 0)) + cells[index]
        return cells

    def _cells(self, row: CustomerRow) -> list[Text]:
        cells = [
            Text(row.name),
            styled(self.app, level_label(row.level), "accent" if row.level == 3 else "muted" if row.level == 0 else ""),
            Text(money(self.app, row.total_spend_cents)),
            Text(str(row.purchase_days)),
            Text(row.last_purchase_on.isoformat() if row.last_purchase_on else "—", style="" if row.last_purchase_on else "dim"),
            Text(phone(self.app, row.phone) or row.email, style="dim"),
        ]
        return self._align(cells)

    def _summarise(self) -> None:
        tagged = f" tagged “{self.tag}”" if self.tag else ""
        if self.total:
            first, last = self.start + 1, self.start + len(self.page or [])
            text = Text(f"customers{tagged} {first:,}–{last:,} of {self.total:,} · sorted by {SORTS[self.sort]}")
        else:
            text = Text(f"no customers{tagged} yet" if not tagged else f"no customers{tagged}")
        text.append("   1–4 sort · t tag · enter open", style="dim")
        self.query_one("#summary", Static).update(text)

    @on(OptionList.OptionHighlighted)
    def _describe_current(self) -> None:
        show_highlighted(self, self._detail)

    def _detail(self, row: CustomerRow, today: date) -> Text:
        detail = Text.assemble((row.name, "bold"))
        for part in (phone(self.app, row.phone), row.email):
            if part:
                detail.append(f" · {part}")
        days = "1 purchase day" if row.purchase_days == 1 else f"{row.purchase_days} purchase days"
        detail.append(f"\n{level_label(row.level)} · spent {money(self.app, row.total_spend_cents)} · {days}", style="dim")
        if row.last_purchase_on:
            ago = (today - row.last_purchase_on).days
            detail.append(f" · last {short_day(row.last_purchase_on)} ({ago} d ago)", style="dim")
        if row.tags:
            detail.append(" · tags: " + ", ".join(row.tags), style="dim")
        return detail

    # actions ----------------------------------------------------------------------------------
    def selected(self) -> CustomerRow | None:
        option = self.query_one(OptionList).highlighted_option
        return self.rows.get(option.id or "") if option is not None else None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open":
            return self.selected() is not None
        return True

    def action_new_customer(self) -> None:
        self.app.action_new_customer()  # type: ignore[attr-defined]

    def action_sort(self, sort: str) -> None:
        if sort not in SORTS:
            return
        self.sort, self.start = sort, 0
        self.reload(0)

    def action_tag(self) -> None:
        """Keep to the customers with one tag (empty: everyone again)."""
        from ..dialogs.tag_filter import TagFilterDialog

        def chosen(tag: str | None) -> None:
            if tag is not None:
                self.tag, self.start = tag, 0
                self.reload(0)

        self.app.push_screen(TagFilterDialog(self.tag), chosen)

    def action_page(self, step: int, cursor: int = 0) -> None:
        offset = self.start + step * PAGE
        if offset < 0 or offset >= self.total:
            self.app.bell()
            return
        self.start = offset
        self.reload(cursor)

    @on(PagedOptionList.PageRequested)
    def _page_requested(self, event: PagedOptionList.PageRequested) -> None:
        # moving down past the last row lands on the first of the next page, and back up on the last
        self.action_page(event.step, 0 if event.step > 0 else -1)
