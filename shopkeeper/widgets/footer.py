"""The footer every main screen shows: the screen's own keys first, "f1 Help" always.

Textual's footer cuts whatever does not fit at the right edge, and the app's keys (Help among
them) come last, so at 80 columns a screen with many keys lost "f1 Help". Here the keys that do
not fit are left out from the end of the line instead — the app's navigation keys before the
screen's own verbs — and Help is never left out.
"""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS = ("help",)  # actions kept whatever the width


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes: "f1 Help" and the one-cell margin after it."""
    label = f"{key.key_display} {key.description}" if key.description else key.key_display
    return Text(label).cell_len + 1


def fitting(keys: list, room: int) -> list:
    """The keys to show in `room` cells: all if they fit, else drop from the end (never ALWAYS)."""
    shown = list(keys)
    width = sum(key_width(k) for k in shown if isinstance(k, FooterKey))
    for key in reversed(keys):
        if width <= room:
            break
        if isinstance(key, FooterKey) and key.action not in ALWAYS:
            shown.remove(key)
            width -= key_width(key)
    return shown


class ShopFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._laid_out_for = 0

    def compose(self):
        keys = list(super().compose())
        room = self.size.width or self.app.size.width
        self._laid_out_for = room
        yield from fitting(keys, room)

    def on_resize(self) -> None:
        if self.size.width and self.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)
