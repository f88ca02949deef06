"""The layout the list screens (customers, promises) share: header, a summary line, the screen's
own rows, a detail line for the highlighted row, the footer."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Header

from ..widgets.footer import ShopFooter
from ..widgets.plain import Plain


def list_layout(*rows: Widget) -> ComposeResult:
    yield Header()
    yield Plain(id="summary")
    yield from rows
    yield Plain(id="detail")
    yield ShopFooter()
