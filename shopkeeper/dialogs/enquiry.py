"""Log an enquiry: who asked (a customer found as you type, or a name and phone), what, by which
channel, and when. Enter moves on, enter in the last field or ctrl+s saves. Returns its id."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from ..domain.dates import DateError
from ..domain.enquiries import CHANNELS
from ..domain.records import CustomerRow
from ..ui_support import shop_of, today_of
from ..ui_work import save
from ..widgets.customer_picker import CustomerPicker
from ..widgets.date_field import DateField
from ..widgets.form import FormField
from ..widgets.plain import Plain
from .base import Dialog


class EnquiryDialog(Dialog[int]):
    """Returns the id of the enquiry it logged, or None when cancelled."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", tooltip="Log the enquiry", id="enquiry.save")]
    ORDER = ("customer", "phone", "what", "channel", "asked_on")

    def __init__(self) -> None:
        super().__init__()
        self.chosen: CustomerRow | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="enquiry-dialog"):
            yield Plain("Log an enquiry", classes="dialog-title")
            yield CustomerPicker("Who asked (a customer, or a name)", "customer", limit=8)
            yield Plain("", id="customer-mode", classes="hint")
            yield FormField("Their phone (optional)", "phone", placeholder="06 12 34 56 78")
            yield FormField("What they asked", "what", placeholder="e.g. is the blue teapot back?", max_length=500)
            with Horizontal(classes="row"):
                yield FormField(f"By ({', '.join(CHANNELS)})", "channel", "phone")
                yield DateField("When", "asked_on", "today", direction="past", placeholder="today, 2d, mon")
            yield Plain("enter in the last field or ctrl+s to save · escape to cancel", classes="hint")

    def on_mount(self) -> None:
        self._describe_mode()
        self.query_one("#customer", Input).focus()

    @on(CustomerPicker.Picked)
    def _picked(self, event: CustomerPicker.Picked) -> None:
        self.chosen = event.row
        self._describe_mode()

    @on(Input.Changed, "#customer")
    def _customer_typed(self) -> None:
        self._describe_mode()

    def _new_name(self) -> str:
        return "" if self.chosen is not None else self.query_one(CustomerPicker).text.strip()

    def _describe_mode(self) -> None:
        name = self._new_name()
        self.query_one("#customer-mode", Static).update(
            f"“{name}” is not a customer: the enquiry keeps the name (and phone) — or pick a match above (↓)."
            if name else "")
        self.query_one("#customer-mode").display = bool(name)
        self.query_one("#field-phone").display = self.chosen is None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.input.id or ""
        order = [n for n in self.ORDER if n != "phone" or self.chosen is None]
        if name in order and order.index(name) < len(order) - 1:
            self.query_one(f"#{order[order.index(name) + 1]}", Input).focus()
        else:
            self.action_save()

    def clear_errors(self) -> None:
        super().clear_errors()
        for picker in self.query(CustomerPicker):
            picker.clear_error()

    def show_error(self, field: str, message: str) -> None:
        if field in ("customer", "who", "name"):
            picker = self.query_one(CustomerPicker)
            picker.show_error(message)
            picker.query_one(Input).focus()
        else:
            super().show_error(field, message)

    def action_save(self) -> None:
        self.clear_errors()
        today = today_of(self.app)
        try:
            asked_on = self.query_one("#field-asked_on", DateField).read()
        except DateError as exc:
            self.show_error("asked_on", str(exc))
            return
        shop = shop_of(self.app)
        what = self.query_one("#what", Input).value
        channel = self.query_one("#channel", Input).value.strip().lower()
        customer_id = self.chosen.id if self.chosen is not None else None
        name = self._new_name()
        phone = "" if customer_id is not None else self.query_one("#phone", Input).value
        fields = {"date": "asked_on"}
        save(self, lambda: shop.add_enquiry(what, asked_on, today, customer_id=customer_id, name=name, phone=phone,
                                            channel=channel),
             self.dismiss, what="the enquiry",
             invalid=lambda exc: self.show_error(fields.get(exc.field, exc.field or "what"), exc.message))
