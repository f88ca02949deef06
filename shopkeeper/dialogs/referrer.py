"""Record who referred this customer (at most one referrer)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from ..ui_support import shop_of, today_of
from ..ui_work import save
from ..widgets.customer_picker import CustomerPicker
from .base import CustomerDialog
from ..widgets.plain import Plain


class ReferrerDialog(CustomerDialog[bool]):
    AREA = "referral"
    FIRST_FIELD = "referred_by"

    def compose(self) -> ComposeResult:
        yield self.dialog_box(f"Who referred {self.customer_name}?", CustomerPicker("Referred by", "referred_by"),
                              Plain("type, ↓ to pick, enter to save · escape cancels", classes="hint"))

    def on_customer_picker_picked(self, event: CustomerPicker.Picked) -> None:
        if event.row is not None:
            self.save(event.row.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        picker = self.query_one(CustomerPicker)
        if picker.chosen is None:
            picker.show_error("pick someone from the matches (↓ then enter)")

    def save(self, referrer_id: int) -> None:
        def saved(_) -> None:
            self.notify("Referral saved.")
            self.dismiss(True)

        shop, today = shop_of(self.app), today_of(self.app)
        save(self, lambda: shop.set_referrer(self.customer_id, referrer_id, today), saved, what="the referral",
             invalid=lambda exc: self.query_one(CustomerPicker).show_error(exc.message))
