"""Fixed-width text rows for OptionList-based lists: columns that never overflow their cell."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList


def fit(cell: str | Text, width: int) -> Text:
    text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


MIN_FLEXIBLE = 8  # narrower than this, the flexible column is left out rather than cut to nothing


def columns(cells: list[str | Text], widths: list[int], total: int, whole: tuple[int, ...] = ()) -> Text:
    """Lay cells out in `widths`; a width of 0 takes what is left of `total`. The line never
    exceeds `total` (a longer one wraps onto a second line): when the room is short the flexible
    column is left out, then the widest columns give up a character at a time — except the
    columns in `whole` (amounts), which are never cut: give them a width from `fitted_width`."""
    widths = list(widths)
    keep = [True] * len(widths)
    fixed = sum(w for w in widths if w) + len(widths) - 1
    rest = total - fixed
    if rest < MIN_FLEXIBLE and 0 in widths:
        keep[widths.index(0)] = False
        fixed -= 1
        rest = 0
    over = fixed - total
    while over > 0:
        widest = max(range(len(widths)), key=lambda i: widths[i] if keep[i] and i not in whole else -1)
        if widths[widest] <= 1:
            break
        widths[widest] -= 1
        over -= 1
    shown = [fit(cell, width or rest) for cell, width, kept in zip(cells, widths, keep) if kept]
    return Text(" ").join(shown)


def fitted_width(texts, minimum: int) -> int:
    """A column wide enough for the longest of `texts` (e.g. every amount of a page), at least `minimum`."""
    return max([minimum, *(Text(t).cell_len if isinstance(t, str) else t.cell_len for t in texts)])


def highlighted_id(options) -> str | None:
    """The id of the highlighted row of an OptionList, or None."""
    option = options.highlighted_option
    return option.id if option is not None else None


def highlight(options, key: str | None, keys) -> None:
    """Put the highlight back on `key` after a reload, or on the first of `keys` if it left."""
    if key in keys:
        options.highlighted = options.get_option_index(key)
    elif keys:
        options.highlighted = options.get_option_index(next(iter(keys)))


def window_line(options) -> int | None:
    """Which line of the list's window the highlighted row is on (rows are one line each), so a
    reload can put it back there instead of scrolling it to an edge."""
    if options.highlighted is None:
        return None
    return options.highlighted - round(options.scroll_y)


def rows_after(options) -> list[str]:
    """The ids of the rows below the highlighted one, nearest first: where the cursor goes if its
    own row is gone after a reload (another till closed it), as when a row is dropped here."""
    if options.highlighted is None:
        return []
    return [option.id for option in options.options[options.highlighted + 1:] if option.id and not option.disabled]


def put_on_window_line(options, line: int | None) -> None:
    """Scroll so the highlighted row is on `line` of the window again, as far as the list allows."""
    if line is not None and options.highlighted is not None:
        line = min(line, max(options.scrollable_content_region.height - 1, 0))  # a smaller window now
        options.scroll_to(y=max(options.highlighted - line, 0), animate=False, immediate=True)


def row_width(options) -> int:
    """Room for one row's text in a list: its width less border, padding and a scrollbar, so a
    long list (which grows a scrollbar) never wraps its rows onto a second line."""
    styles = options.styles
    return max(options.size.width - styles.gutter.width - styles.scrollbar_size_vertical - 1, 40)


def drop_row(options, rows: dict, key: str | None) -> None:
    """Take row `key` out of an OptionList and of its `rows` at once, the cursor staying in place
    (on the row that followed, or the new last one)."""
    if key in rows:
        index = options.get_option_index(key)
        del rows[key]
        options.remove_option(key)
        if options.option_count:
            options.highlighted = min(index, options.option_count - 1)


class OpensCustomer:
    """For a list screen with `selected()`: enter, a click or the open key shows the selected row's
    customer card (`CUSTOMER_ID` names the row's attribute holding the customer's id)."""

    CUSTOMER_ID = "customer_id"

    def on_option_list_option_selected(self, event) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.selected()
        if row is not None and getattr(row, self.CUSTOMER_ID) is not None:  # an enquiry may have no customer
            self.app.open_customer(getattr(row, self.CUSTOMER_ID))


class KeyedRows:
    """For a list screen with one OptionList whose rows are keyed like the dict named by ROWS: the
    highlighted row's key, and the cursor put back on a key after a reload."""

    ROWS = "items"

    def _current_key(self) -> str | None:
        return highlighted_id(self.query_one(OptionList))

    def _restore_cursor(self, key: str | None, line: int | None = None) -> None:
        """Highlight `key` again; if it is still there and was on `line` of the window (see
        window_line), keep it on that line: a reload (another till's sale) does not move it."""
        options = self.query_one(OptionList)
        highlight(options, key, getattr(self, self.ROWS))
        if key is not None and highlighted_id(options) == key:
            put_on_window_line(options, line)
        self._describe_current()
