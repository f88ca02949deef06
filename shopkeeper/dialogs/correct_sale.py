"""Correcting a sale from the card: pick one of the customer's sales, then void it (with a
reason), edit it (amount, date, items, customer) or refund it. Bad input saves nothing and shows
its message beside the field."""
from __future__ import annotations


from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..domain.dates import DateError
from ..domain.errors import InputError
from ..domain.money import MoneyError, format_cents, parse_money
from ..domain.numbers import parse_whole
from ..domain.records import SaleView
from ..ui_support import money, shop_of, today_of
from ..ui_work import save
from ..widgets.customer_picker import CustomerPicker
from ..widgets.date_field import DateField
from ..widgets.form import FormField
from ..widgets.plain import Plain
from .base import Dialog, T


def sale_label(app, sale: SaleView) -> str:
    """"#12  2026-02-10  123.45 EUR  3 item(s)", with what was refunded or what it refunds."""
    text = f"#{sale.id}  {sale.sold_on.isoformat()}  {money(app, sale.amount_cents)}  {sale.item_count} item(s)"
    if sale.refund_of_id:
        text += f"  refund of #{sale.refund_of_id}"
    elif sale.refunded_cents:
        text += f"  refunded {money(app, -sale.refunded_cents)}"
    return text


class SalePickerDialog(Dialog[int]):
    """Which sale? The customer's sales, newest first; enter picks."""

    AREA = "sale"

    def __init__(self, sales: list[SaleView], title: str) -> None:
        super().__init__()
        self.sales = sales
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(sale_label(self.app, s), id=str(s.id)) for s in self.sales], id="sales")
            yield Plain("↑↓ to choose · enter picks · escape cancels", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one("#sales", OptionList)
        options.focus()
        options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id))


class _SaleDialog(Dialog[T]):
    """A dialog about one sale (void, edit, refund)."""

    AREA = "sale"

    def __init__(self, sale: SaleView) -> None:
        super().__init__()
        self.sale = sale


class VoidReasonDialog(_SaleDialog[str]):
    """Why is this sale voided? The answer stays in its history."""
    FIRST_FIELD = "reason"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain(f"Void {sale_label(self.app, self.sale)}", classes="dialog-title")
            yield FormField("Why (kept in the history)", "reason", placeholder="typed twice, wrong customer…")
            yield Plain("enter goes on · escape cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.clear_errors()
        reason = event.value.strip()
        if not reason:
            self.show_error("reason", "say why, e.g. typed twice")
            return
        self.dismiss(reason)


class EditSaleDialog(_SaleDialog[bool]):
    """The right amount, date, items or customer of a sale; what it was stays in its history."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="edit_sale.save", tooltip="Save the corrected sale")]
    FIRST_FIELD = "amount"

    def compose(self) -> ComposeResult:
        sale = self.sale
        with Vertical(classes="dialog wide", id="edit-sale-form"):
            yield Plain(f"Correct {sale_label(self.app, sale)}", classes="dialog-title")
            with Horizontal(classes="row"):
                yield FormField("Amount", "amount", format_cents(sale.amount_cents))
                yield FormField("Items", "items", str(sale.item_count))
                yield DateField("Date", "date", sale.sold_on.isoformat(), direction="past")
            yield CustomerPicker(f"Customer (empty: stays {sale.customer_name})", "customer")
            yield FormField("Why (kept in the history)", "reason", placeholder="wrong amount, wrong customer…")
            yield Plain("enter or ctrl+s saves · escape cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "customer":
            self.focus_next()
            return
        self.action_save()

    def action_save(self) -> None:
        self.clear_errors()
        picker = self.query_one(CustomerPicker)
        picker.clear_error()
        today = today_of(self.app)
        problems = []
        amount = items = sold_on = None
        try:
            amount = parse_money(self.query_one("#field-amount", FormField).value)
        except MoneyError as exc:
            problems.append(("amount", str(exc)))
        try:
            items = parse_whole(self.query_one("#field-items", FormField).value, 0, 100_000,
                                "items must be a whole number from 0 to 100000", "items")
        except InputError as exc:
            problems.append(("items", exc.message))
        try:
            sold_on = self.query_one("#field-date", DateField).read()
        except DateError as exc:
            problems.append(("date", str(exc)))
        if picker.text.strip() and picker.chosen is None:
            picker.show_error("pick the customer from the matches, or clear the field")
            return
        for name, message in problems:
            self.show_error(name, message)
        if problems:
            return
        shop, sale_id = shop_of(self.app), self.sale.id
        customer_id = picker.chosen.id if picker.chosen else None
        reason = self.query_one("#field-reason", FormField).value

        def refused(exc: InputError) -> None:
            if exc.field == "customer":
                picker.show_error(exc.message)
            else:
                self.show_input_error(exc, "amount")

        def corrected(_) -> None:
            self.notify(f"Sale #{sale_id} corrected; the old values stay in its history.")
            self.dismiss(True)

        save(self, lambda: shop.edit_sale(sale_id, amount_cents=amount, sold_on=sold_on, item_count=items,
                                          customer_id=customer_id, reason=reason, day=today),
             corrected, what="the correction", invalid=refused)


class RefundDialog(_SaleDialog[bool]):
    """Money given back on one sale: at most what is left of it."""
    FIRST_FIELD = "amount"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain(f"Refund on {sale_label(self.app, self.sale)}", classes="dialog-title")
            with Horizontal(classes="row"):
                yield FormField("Amount given back", "amount", format_cents(self.sale.refundable_cents))
                yield DateField("Date", "date", "today", direction="past")
            yield FormField("Note", "note", placeholder="what came back")
            yield Plain("enter saves · escape cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.clear_errors()
        today = today_of(self.app)
        try:
            amount = parse_money(self.query_one("#field-amount", FormField).value)
        except MoneyError as exc:
            self.show_error("amount", str(exc))
            return
        try:
            on = self.query_one("#field-date", DateField).read()
        except DateError as exc:
            self.show_error("date", str(exc))
            return
        shop, sale_id = shop_of(self.app), self.sale.id
        note = self.query_one("#field-note", FormField).value

        def logged(_) -> None:
            self.notify(f"Refund of {money(self.app, abs(amount))} on sale #{sale_id} logged.")
            self.dismiss(True)

        save(self, lambda: shop.log_refund(sale_id, amount, on, today, note), logged, what="the refund",
             invalid=lambda exc: self.show_input_error(exc, "amount"))
