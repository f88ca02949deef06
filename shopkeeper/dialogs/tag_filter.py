"""Ask which tag a list should keep to ("" shows everyone again)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from ..ui_support import shop_of
from ..widgets.form import FormField
from ..widgets.plain import Plain
from .base import Dialog


class TagFilterDialog(Dialog[str]):
    """Returns the tag typed ("" for no filter); escape leaves the filter as it was (None)."""

    AREA = "tag filter"
    FIRST_FIELD = "tag"

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        in_use = shop_of(self.app).all_tags()
        from textual.containers import Vertical

        yield Vertical(Plain("Only customers with the tag", classes="dialog-title"),
                       FormField("Tag (empty: everyone)", "tag", self.current, placeholder="wholesale"),
                       Plain("In use: " + (", ".join(in_use[:20]) if in_use else "no tags yet (t on a card adds one)"),
                             classes="hint"),
                       Plain("enter filters · escape cancels", classes="hint"), classes="dialog")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self.query_one("#field-tag", FormField).value.strip())
