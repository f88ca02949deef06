"""Tags on a customer ("wholesale", "tea club"): type tags to add them, -tag to take one off."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from ..ui_support import shop_of
from ..ui_work import save
from ..widgets.form import FormField
from ..widgets.plain import Plain
from .base import CustomerDialog


class TagsDialog(CustomerDialog[bool]):
    AREA = "tags"
    FIRST_FIELD = "tags"

    def __init__(self, customer_id: int, customer_name: str, tags: list[str] | None = None) -> None:
        super().__init__(customer_id, customer_name)
        self.tags = list(tags or [])

    def compose(self) -> ComposeResult:
        now = ", ".join(self.tags) if self.tags else "none yet"
        yield self.dialog_box(f"Tags of {self.customer_name}",
                              Plain(f"Now: {now}", id="tags-now"),
                              FormField("Add tags (commas between), or -tag to take one off", "tags",
                                        placeholder="wholesale, tea club"),
                              Plain("enter saves · escape cancels · lists and call lists filter by tag",
                                    classes="hint"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.clear_errors()
        typed = self.query_one("#field-tags", FormField).value
        shop = shop_of(self.app)

        def saved(tags: list[str]) -> None:
            self.notify("Tags: " + (", ".join(tags) if tags else "none"))
            self.dismiss(True)

        save(self, lambda: shop.change_tags(self.customer_id, typed), saved, what="the tags",
             invalid=lambda exc: self.show_input_error(exc, "tags"))
