"""Add a customer without a sale (n): name, phones, email, who referred them, marketing consent,
notes. Someone already on file with that name, phone or email is offered first. Returns the id of
the customer to open (the new one, or the existing one the owner chose)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input

from ..domain.errors import InputError
from ..domain.records import CustomerRow
from ..services import NewCustomer
from ..ui_support import shop_of, today_of
from ..ui_work import save
from ..widgets.customer_picker import CustomerPicker
from ..widgets.form import FormField
from ..widgets.plain import Plain
from .base import Dialog


class NewCustomerDialog(Dialog[int]):
    AREA = "new customer"
    BINDINGS = [Binding("ctrl+s", "save", "Save", tooltip="Add the customer", id="new_customer.save")]
    FIRST_FIELD = "name"

    def __init__(self) -> None:
        super().__init__()
        self.create_anyway: NewCustomer | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="new-customer-form"):
            yield Plain("New customer", classes="dialog-title")
            yield FormField("Name", "name", max_length=200)
            with Horizontal(classes="row"):
                yield FormField("Phones (comma between numbers)", "phones", placeholder="06 12 34 56 78")
                yield FormField("Email", "email", placeholder="name@example.com")
            yield CustomerPicker("Referred by (optional)", "referred_by")
            yield Checkbox("Agrees to marketing messages", False, id="consent", compact=True)
            yield FormField("Notes", "notes")
            yield Plain("enter or ctrl+s saves · escape cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.move_on_or_save(event, ("name", "referred_by"))

    def value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", FormField).value

    def action_save(self) -> None:
        self.clear_errors()
        referrer = self.query_one(CustomerPicker)
        referrer.clear_error()
        if referrer.text.strip() and referrer.chosen is None:
            referrer.show_error("pick the referrer from the matches, or clear the field")
            return
        new = NewCustomer(
            name=self.value("name"),
            phones=[p for p in self.value("phones").split(",") if p.strip()],
            email=self.value("email"),
            referred_by_id=referrer.chosen.id if referrer.chosen else None,
            notes=self.value("notes").replace(" / ", "\n"),
            marketing_consent=self.query_one("#consent", Checkbox).value,
        )
        shop, today = shop_of(self.app), today_of(self.app)
        if not new.name.strip():
            self.show_error("name", "name is empty")
            return
        if new != self.create_anyway:
            matches = shop.same_customers(new, today)
            if matches:
                self._ask_existing(new, matches)
                return
        def refused(exc: InputError) -> None:
            if exc.field == "referred_by":
                referrer.show_error(exc.message)
            else:
                self.show_error({"phone": "phones"}.get(exc.field, exc.field or "name"), exc.message)

        def added(customer_id: int) -> None:
            self.notify(f"Added {new.name.strip()}.")
            self.dismiss(customer_id)

        save(self, lambda: shop.create_customer(new, today), added, what="the new customer", invalid=refused)

    def _ask_existing(self, new: NewCustomer, matches) -> None:
        from .existing import ask_existing

        def use(row: CustomerRow) -> None:
            self.notify(f"{row.name} is already a customer: here is their card.")
            self.dismiss(row.id)

        ask_existing(self, new, matches, use, back_to="#name")
