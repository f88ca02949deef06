"""A checkbox whose box is empty when unticked: Textual's shows "▐X▌" either way, only the
colour of the X changing, and "On sale" read as ticked when it was not."""
from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "X" if self.value else " "
