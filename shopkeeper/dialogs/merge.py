"""Merge a duplicate into this customer: pick it, see what moves, confirm."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..domain.records import CustomerRow
from ..ui_support import shop_of, today_of
from ..ui_work import save
from ..widgets.customer_picker import CustomerPicker, describe
from .base import CustomerDialog
from ..widgets.plain import Plain


class MergeDialog(CustomerDialog[bool]):
    AREA = "merge"
    BINDINGS = [Binding("y", "confirm", "Merge", show=False, tooltip="Confirm the merge", id="merge.confirm")]

    def __init__(self, customer_id: int, name: str) -> None:
        super().__init__(customer_id, name)
        self.other: CustomerRow | None = None
        self.likely: dict[str, CustomerRow] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain(f"Merge a duplicate into {self.customer_name}", classes="dialog-title")
            yield Plain("Likely duplicates:", classes="hint")
            yield OptionList(id="likely")
            yield CustomerPicker("Or find the other record", "other")
            yield Plain("", id="preview")
            yield Plain("pick the duplicate, then y to merge · escape cancels", classes="hint")

    def on_mount(self) -> None:
        shop = shop_of(self.app)
        pairs = shop.duplicates_of(self.customer_id, today_of(self.app))
        options = self.query_one("#likely", OptionList)
        for pair in pairs:
            other = pair.second if pair.first.id == self.customer_id else pair.first
            self.likely[str(other.id)] = other
            options.add_option(Option(Text.assemble(describe(other, shop_of(self.app).settings.phone_region), (f"  ({pair.reason})", "dim")), id=str(other.id)))
        if pairs:
            options.focus()
            options.highlighted = 0
        else:
            options.add_option(Option(Text("none found", style="dim"), disabled=True))
            self.query_one("#other", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "likely":
            self.pick(self.likely.get(event.option.id or ""))

    def on_customer_picker_picked(self, event: CustomerPicker.Picked) -> None:
        self.pick(event.row)

    def pick(self, row: CustomerRow | None) -> None:
        if row is None or row.id == self.customer_id:
            self.other = None
            self.query_one("#preview", Static).update("")
            return
        self.other = row
        counts = shop_of(self.app).history_counts(row.id)
        moved = ", ".join(f"{n} {label}" for label, n in counts.items() if n) or "no history"
        self.query_one("#preview", Static).update(Text.assemble(
            ("Merge ", "bold"), describe(row, shop_of(self.app).settings.phone_region), ("\ninto ", "bold"), self.customer_name,
            f"\nMoves: {moved}. Empty fields are filled from the duplicate; the duplicate is removed.",
            ("\nPress y to merge, escape to cancel.", "bold"),
        ))
        self.set_focus(None)  # so "y" confirms instead of typing into a field

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    def action_confirm(self) -> None:
        if self.other is None:
            self.notify("Pick the duplicate first.", severity="warning")
            return
        other, shop = self.other, shop_of(self.app)

        def merged(_) -> None:
            self.notify(f"Merged {other.name} into {self.customer_name}.")
            self.dismiss(True)

        save(self, lambda: shop.merge(self.customer_id, other.id), merged, what="the merge")
