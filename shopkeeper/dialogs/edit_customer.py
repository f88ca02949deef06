"""Edit a customer's details; each problem shows next to its field and nothing is saved."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input
from ..widgets.tickbox import TickBox

from ..domain.dates import DateError, parse_iso_date
from ..domain.errors import InputError
from ..domain.records import CustomerCard
from ..store.writes import CustomerFields
from ..ui_support import shop_of
from ..widgets.form import FormField
from .base import Dialog
from ..widgets.plain import Plain


class EditCustomerDialog(Dialog[bool]):
    AREA = "edit customer"
    BINDINGS = [Binding("ctrl+s", "save", "Save", tooltip="Save the changes")]

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
                yield FormField("Birthday", "birthday", c.birthday.isoformat() if c.birthday else "", placeholder="1980-05-17")
                yield FormField("Preferred channel", "preferred_channel", c.preferred_channel, placeholder="phone, sms, email, visit")
                yield FormField("Household / company", "household", c.household)
            yield FormField("Notes", "notes", c.notes.replace("\n", " / "))
            with Horizontal(classes="row"):
                yield FormField("Likes", "likes", c.likes)
                yield FormField("Dislikes", "dislikes", c.dislikes)
            yield TickBox("Agrees to marketing messages", c.marketing_consent, id="consent", compact=True)
            yield Plain("ctrl+s or enter saves · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", FormField).value

    def action_save(self) -> None:
        self.clear_errors()
        birthday = None
        text = self.value("birthday").strip()
        if text:
            try:
                birthday = parse_iso_date(text)
            except DateError as exc:
                self.show_error("birthday", str(exc))
                return
        fields = CustomerFields(
            name=self.value("name"),
            phones=[p for p in self.value("phones").split(",") if p.strip()],
            email=self.value("email"),
            notes=self.value("notes").replace(" / ", "\n"),
            likes=self.value("likes"),
            dislikes=self.value("dislikes"),
            birthday=birthday,
            clear_birthday=birthday is None,
            preferred_channel=self.value("preferred_channel").strip().lower(),
            household=self.value("household"),
            marketing_consent=self.query_one("#consent", Checkbox).value,
        )
        try:
            shop_of(self.app).update_customer(self.card.id, fields)
        except InputError as exc:
            self.show_input_error(exc, "name")
            return
        self.notify("Saved.")
        self.dismiss(True)
