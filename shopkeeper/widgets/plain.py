"""Static text that never reads markup: customers' names and notes may hold "[red]" or "[/]"."""
from __future__ import annotations

from textual.widgets import Static


class Plain(Static):
    def __init__(self, content="", **kwargs) -> None:
        kwargs["markup"] = False
        super().__init__(content, **kwargs)
