"""Edit a customer's details; each problem shows next to its field and nothing is saved."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input
from ..widgets.tickbox import TickBox

from ..domain.dates import DateError, YearlyDate
from ..domain.records import CustomerCard, CustomerFields
from ..ui_support import date_order_of, shop_of
from ..ui_work import save
from ..widgets.date_field import DateField, date_hint
from ..widgets.form import FormField
from .base import Dialog
from ..widgets.plain import Plain


class EditCustomerDialog(Dialog[bool]):
    AREA = "edit customer"
    BINDINGS = [Binding("ctrl+s", "save", "Save", tooltip="Save the changes", id="edit_customer.save")]
    FIRST_FIELD = "name"

    def __init__(self, card: CustomerCard) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        c = self.card
        with VerticalScroll(classes="dialog wide"):
            yield Plain(f"Edit {c.name}", classes="dialog-title")
            yield FormField("Name", "name", c.name)
            with Horizontal(classes="row"):
                yield FormField("Phones (comma between numbers)", "phones", ", ".join(c.phones))
                yield FormField("Email", "email", c.email)
            with Horizontal(classes="row"):
                born = YearlyDate.of(c.birthday_md, c.birthday)
                yield DateField("Birthday (year optional)" if not born else "Birthday", "birthday",
                                born.show() if born else "", yearly=True,
                                placeholder=date_hint(date_order_of(self.app), "yearly"))
                yield FormField("Preferred channel", "preferred_channel", c.preferred_channel, placeholder="phone, sms, email, visit")
                yield FormField("Household / company", "household", c.household)
            yield FormField("Notes", "notes", c.notes.replace("\n", " / "))
            with Horizontal(classes="row"):
                yield FormField("Likes", "likes", c.likes)
                yield FormField("Dislikes", "dislikes", c.dislikes)
            yield TickBox("Agrees to marketing messages", c.marketing_consent, id="consent", compact=True)
            yield Plain("ctrl+s or enter saves · escape cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", FormField).value

    def action_save(self) -> None:
        self.clear_errors()
        born: YearlyDate | None = None
        if self.value("birthday").strip():
            try:
                born = self.query_one("#field-birthday", DateField).read()
            except DateError as exc:
                self.show_error("birthday", str(exc))
                return
        birthday = born.as_date() if born else None
        fields = CustomerFields(
            name=self.value("name"),
            phones=[p for p in self.value("phones").split(",") if p.strip()],
            email=self.value("email"),
            notes=self.value("notes").replace(" / ", "\n"),
            likes=self.value("likes"),
            dislikes=self.value("dislikes"),
            birthday=birthday,
            clear_birthday=born is None,
            birthday_md=born.md if born and birthday is None else None,  # a birthday without its year
            preferred_channel=self.value("preferred_channel").strip().lower(),
            household=self.value("household"),
            marketing_consent=self.query_one("#consent", Checkbox).value,
        )
        def saved(_) -> None:
            self.notify("Saved.")
            self.dismiss(True)

        shop = shop_of(self.app)
        save(self, lambda: shop.update_customer(self.card.id, fields), saved, what="the customer's details",
             invalid=lambda exc: self.show_input_error(exc, "name"))
