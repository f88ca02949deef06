"""Log a sale at the counter: customer (existing, new inline, or walk-in), amount, items,
on-sale flag, date defaulting to today. Enter saves; each problem shows next to its field."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Static
from ..widgets.tickbox import TickBox

from ..domain.dates import DateError
from ..domain.errors import InputError
from ..domain.money import MoneyError, format_money, parse_money
from ..domain.records import CustomerRow, LineInput
from ..domain.numbers import parse_whole
from ..services import NewCustomer, SaleInput
from .. import undo
from ..domain.amounts import is_large
from ..ui_support import remember, shop_of, today_of
from ..ui_work import save
from ..widgets.customer_picker import CustomerPicker
from ..widgets.date_field import DateField
from ..widgets.form import FormField
from .base import Dialog
from ..widgets.plain import Plain


def parse_items(text: str) -> tuple[int, list[LineInput]]:
    """"3" is three items; "scarf; 2 x gloves" are item lines. Returns (count, lines)."""
    text = text.strip()
    if not text:
        return 1, []
    if any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text):
        return parse_whole(text, 1, 10_000, "items must be between 1 and 10000", "items"), []
    lines = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        quantity = 1
        head, sep, rest = part.partition(" x ")
        if sep and head.strip().isdigit():
            quantity = parse_whole(head, 1, 10_000, f"quantity {head.strip()!r} must be between 1 and 10000", "items")
            part = rest.strip()
        lines.append(LineInput(part[:200], quantity, None))
    return sum(line.quantity for line in lines) or 1, lines


class SaleDialog(Dialog[int]):
    AREA = "sale"
    BINDINGS = [Binding("ctrl+s", "save", "Save", tooltip="Save the sale", id="sale.save")]

    def __init__(self, customer_id: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = ""
        self.amount_confirmed: int | None = None  # the large amount the owner said is right
        self.create_anyway: NewCustomer | None = None  # the new customer the owner said is not a duplicate

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="sale-form"):
            yield Plain("Log a sale", classes="dialog-title")
            if self.customer_id is None:
                yield CustomerPicker("Customer (empty for a walk-in)", "customer")
                yield Plain("", id="customer-mode", classes="hint")
                with Vertical(id="new-customer"):
                    with Horizontal(classes="row"):
                        yield FormField("New customer's phone", "phone", placeholder="06 12 34 56 78")
                        yield FormField("Email", "email", placeholder="name@example.com")
                    yield CustomerPicker("Referred by (optional)", "referred_by")
            else:
                yield Plain("", id="fixed-customer")
            with Horizontal(classes="row"):
                yield FormField("Amount", "amount", placeholder="12.50")
                yield FormField("Items", "items", "1", placeholder="3 or: tea; 2 x cup")
                yield DateField("Date", "date", "today", direction="past", placeholder="today, 3d, fri, 4 dec")
            with Horizontal(classes="row"):
                yield FormField("Cost to you (optional)", "cost", placeholder="for profit, e.g. 7.50")
                yield TickBox("On sale (discounted)", id="on_sale", compact=True)
            yield Plain("enter or ctrl+s saves · escape cancels", classes="hint")

    def on_mount(self) -> None:
        if self.customer_id is not None:
            card = shop_of(self.app).card(self.customer_id, today_of(self.app))
            self.customer_name = card.name if card else ""
            self.query_one("#fixed-customer", Static).update(f"For {card.name if card else '?'}")
            self.query_one("#amount", Input).focus()
        else:
            self.query_one("#new-customer").display = False
            self._describe_mode()
            self.query_one("#customer", Input).focus()

    # customer mode ----------------------------------------------------------------------------
    def _picker(self) -> CustomerPicker:
        return self.query_one("#field-customer", CustomerPicker)

    def _is_new_customer(self) -> bool:
        picker = self._picker()
        return picker.chosen is None and bool(picker.text.strip())

    def _describe_mode(self) -> None:
        if self.customer_id is not None:
            return
        picker = self._picker()
        if picker.chosen is not None:
            mode = ""
        elif picker.text.strip():
            mode = f"New customer “{picker.text.strip()}” will be created — or pick a match above (↓)."
        else:
            mode = "Walk-in sale (no customer). Type a name to attach it to someone."
        self.query_one("#customer-mode", Static).update(mode)
        self.query_one("#new-customer").display = self._is_new_customer()

    @on(Input.Changed, "#customer")
    def _customer_typed(self) -> None:
        self._describe_mode()

    @on(CustomerPicker.Picked)
    def _customer_picked(self) -> None:
        self._describe_mode()

    # saving -----------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.move_on_or_save(event, ("customer", "referred_by"))

    def action_save(self) -> None:
        self.clear_errors()
        for picker in self.query(CustomerPicker):
            picker.clear_error()
        shop = shop_of(self.app)
        today = today_of(self.app)
        problems = 0
        amount = 0
        try:
            amount = parse_money(self.query_one("#field-amount", FormField).value)
        except MoneyError as exc:
            self.show_error("amount", str(exc))
            problems += 1
        if amount < 0:  # a refund is tied to the sale it refunds, picked on the card
            self.show_error("amount", "a refund goes against its sale: open the customer's card and press R")
            problems += 1
        sold_on = today
        try:
            sold_on = self.query_one("#field-date", DateField).read()
            if sold_on > today:
                raise DateError(f"date {sold_on.isoformat()} is in the future")
        except DateError as exc:
            self.show_error("date", str(exc))
            problems += 1
        cost = None
        cost_text = self.query_one("#field-cost", FormField).value.strip()
        if cost_text:
            try:
                cost = parse_money(cost_text)
                if cost < 0:
                    raise MoneyError("cost cannot be below zero")
            except MoneyError as exc:
                self.show_error("cost", str(exc))
                problems += 1
        count, lines = 1, []
        try:
            count, lines = parse_items(self.query_one("#field-items", FormField).value)
        except InputError as exc:
            self.show_input_error(exc, "items")
            problems += 1
        if problems:
            return
        sale = SaleInput(amount_cents=amount, sold_on=sold_on, item_count=count, lines=lines,
                         on_sale=self.query_one("#on_sale", Checkbox).value, cost_cents=cost)
        who = "walk-in"
        if self.customer_id is not None:
            sale.customer_id = self.customer_id
            who = self.customer_name
        elif self._picker().chosen is not None:
            sale.customer_id = self._picker().chosen.id
            who = self._picker().chosen.name
        elif self._is_new_customer():
            referrer = self.query_one("#field-referred_by", CustomerPicker)
            if referrer.text.strip() and referrer.chosen is None:
                referrer.show_error("pick the referrer from the matches, or clear the field")
                return
            phone = self.query_one("#field-phone", FormField).value
            sale.new_customer = NewCustomer(
                name=self._picker().text,
                phones=[phone] if phone.strip() else [],
                email=self.query_one("#field-email", FormField).value,
                referred_by_id=referrer.chosen.id if referrer.chosen else None,
            )
            who = f"new customer {self._picker().text.strip()}"
            if sale.new_customer != self.create_anyway:
                matches = shop.same_customers(sale.new_customer, today)
                if matches:
                    self._ask_existing(sale.new_customer, matches)
                    return
        if is_large(amount, shop.large_sale_cents()) and amount != self.amount_confirmed:
            self._ask_amount(amount)
            return
        def logged(sale_id: int) -> None:
            entry = undo.sale_logged(format_money(amount, shop.settings.currency), who, sale_id,
                                     sale.new_customer is not None)
            self.notify(remember(self.app, entry))
            self.dismiss(sale_id)

        save(self, lambda: shop.log_sale(sale, today), logged, what="the sale", invalid=self._refused)

    def _refused(self, exc: InputError) -> None:
        target = {"name": "customer"}.get(exc.field, exc.field)
        if target == "customer" and self.customer_id is None:
            self._picker().show_error(exc.message)
        else:
            self.show_input_error(exc, "amount")

    def _ask_existing(self, new: NewCustomer, matches) -> None:
        """The typed name, phone or email is already on file: use that customer, or create another."""
        from .existing import ask_existing

        def use(row: CustomerRow) -> None:
            self._picker().pick(row)
            self.action_save()

        ask_existing(self, new, matches, use)

    def _ask_amount(self, amount: int) -> None:
        """Far above the shop's usual sale (setting large_sale): y/enter saves, n/escape goes back."""
        from .confirm import ConfirmDialog

        def answered(right: bool | None) -> None:
            if right:
                self.amount_confirmed = amount
                self.action_save()
            else:
                self.query_one("#amount", Input).focus()

        question = f"{format_money(amount, shop_of(self.app).settings.currency)} — is that right?"
        self.app.push_screen(ConfirmDialog(question, "Yes, save", default_yes=True), answered)
