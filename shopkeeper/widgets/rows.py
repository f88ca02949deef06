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
