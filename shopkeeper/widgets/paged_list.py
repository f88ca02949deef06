"""An OptionList showing one page of a long list: moving past either end asks for the next page,
so ↓, ↑, pagedown and pageup walk through 100,000 rows while only one page is ever loaded."""
from __future__ import annotations

from textual.message import Message
from textual.widgets import OptionList


class PagedOptionList(OptionList):
    class PageRequested(Message):
        """The cursor tried to leave the page: step is +1 (next page) or -1 (previous page)."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def _at_end(self, step: int) -> bool:
        if not self.option_count or self.highlighted is None:
            return False
        return self.highlighted == (self.option_count - 1 if step > 0 else 0)

    def _move_or_page(self, step: int, move) -> None:
        """Ask for the next (or previous) page at the list's end; move the cursor otherwise."""
        if self._at_end(step):
            self.post_message(self.PageRequested(step))
        else:
            move()

    def action_cursor_down(self) -> None:
        self._move_or_page(1, super().action_cursor_down)

    def action_cursor_up(self) -> None:
        self._move_or_page(-1, super().action_cursor_up)

    def action_page_down(self) -> None:
        self._move_or_page(1, super().action_page_down)

    def action_page_up(self) -> None:
        self._move_or_page(-1, super().action_page_up)
