"""Fixed-width text rows for OptionList-based lists: columns that never overflow their cell."""
from __future__ import annotations

from rich.text import Text


def fit(cell: str | Text, width: int) -> Text:
    text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def columns(cells: list[str | Text], widths: list[int], total: int) -> Text:
    """Lay cells out in `widths`; a width of 0 takes what is left of `total`."""
    fixed = sum(w for w in widths if w) + len(widths) - 1
    rest = max(total - fixed, 8)
    line = Text()
    for index, (cell, width) in enumerate(zip(cells, widths)):
        if index:
            line.append(" ")
        line.append_text(fit(cell, width or rest))
    return line


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


def row_width(options) -> int:
    """Room for one row's text in a list: its width less border, padding and a scrollbar, so a
    long list (which grows a scrollbar) never wraps its rows onto a second line."""
    styles = options.styles
    return max(options.size.width - styles.gutter.width - styles.scrollbar_size_vertical - 1, 40)
