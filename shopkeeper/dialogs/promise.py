"""Make a promise: to whom (found as you type, or someone new), what, and by when. Returns the
new promise id."""
from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from ..domain.dates import DateError, parse_user_date
from ..domain.errors import InputError
from ..domain.phones import validate_phone
from ..domain.records import CustomerRow
from ..services import NewCustomer, Shop
from ..ui_support import date_order_of, shop_of, styled, today_of
from ..ui_work import save
from ..widgets.customer_picker import CustomerPicker
from ..widgets.date_field import date_hint
from ..widgets.form import FormField
from .base import Dialog, submitted_field
from ..widgets.plain import Plain

DEFAULT_DUE = "+7d"
WHO_LABEL = "To whom (name, phone or email)"


class PromiseDialog(Dialog[int]):
    """Returns the id of the promise it made, or None when cancelled."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", tooltip="Make the promise", id="promise.save")]

    def __init__(self, customer_id: int | None = None, customer_name: str = "") -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.chosen: CustomerRow | None = None
        self.create_anyway: NewCustomer | None = None  # the new person the owner said is not a duplicate

    def compose(self) -> ComposeResult:
        title = f"New promise to {self.customer_name}" if self.customer_id is not None else "New promise"
        with Vertical(classes="dialog", id="promise-dialog"):
            yield Plain(title, classes="dialog-title")
            if self.customer_id is None:
                yield CustomerPicker(WHO_LABEL, "customer", limit=8)
                yield Plain("", id="customer-mode", classes="hint")
                yield FormField("New customer's phone (optional)", "phone", placeholder="06 12 34 56 78")
            yield FormField("What was promised", "text", placeholder="e.g. call when the blue teapot is back", max_length=500)
            with Horizontal(classes="row"):
                yield FormField(f"Due ({date_hint(date_order_of(self.app))})", "due_on", DEFAULT_DUE)
                yield Plain(id="due-resolved")
            yield Plain("enter in the last field or ctrl+s to save · escape to cancel", classes="hint")

    def on_mount(self) -> None:
        if self.customer_id is None:
            self._describe_mode()
            self.query_one("#customer", Input).focus()
        else:
            self.query_one("#text", Input).focus()
        self._resolve_due(self.query_one("#due_on", Input).value)

    # the due date, resolved as it is typed -----------------------------------------------------
    @on(Input.Changed, "#due_on")
    def _due_changed(self, event: Input.Changed) -> None:
        self._resolve_due(event.value)

    def _resolve_due(self, text: str) -> None:
        today = today_of(self.app)
        try:
            due = parse_user_date(text, today, date_order_of(self.app), "future")
        except DateError:
            shown = styled(self.app, "→ ?", "overdue")
        else:
            shown = Text("→ ")
            if due < today:
                shown.append_text(styled(self.app, f"{due:%a %d %b %Y} (past)", "overdue"))
            else:
                shown.append_text(styled(self.app, f"{due:%a %d %b %Y}", "due" if due == today else "accent"))
        self.query_one("#due-resolved", Static).update(shown)

    # to whom: the shared picker shows matches as you type; ↓/enter picks ---------------------------
    @on(CustomerPicker.Picked)
    def _picked(self, event: CustomerPicker.Picked) -> None:
        self.chosen = event.row
        if event.row is not None:
            event.picker.clear_error()
        self._describe_mode()

    @on(Input.Changed, "#customer")
    def _customer_typed(self) -> None:
        self._describe_mode()

    def _new_name(self) -> str:
        """The name typed for someone not yet on file ("" when a customer is picked or none typed)."""
        if self.customer_id is not None or self.chosen is not None:
            return ""
        return self.query_one(CustomerPicker).text.strip()

    def _describe_mode(self) -> None:
        if self.customer_id is not None:
            return
        name = self._new_name()
        mode = f"New customer “{name}” will be created — or pick a match above (↓)." if name else ""
        self.query_one("#customer-mode", Static).update(mode)
        self.query_one("#customer-mode").display = bool(name)
        self.query_one("#field-phone").display = bool(name)
        if name:
            self.query_one(CustomerPicker).clear_error()  # "to whom" is answered

    # enter moves on; enter in the last field saves -----------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = submitted_field(self, event)  # enters typed in a burst move one field each
        if field == "customer":  # the picker took the enter when there was a match
            if self.chosen is None and not self._new_name():
                self.show_error("customer", "no customer picked: type a name, phone or email, then ↓ and enter")
            elif self.chosen is None:
                self.set_focus(self.query_one("#phone", Input))
            else:
                self.set_focus(self.query_one("#text", Input))
        elif field == "phone":
            self.set_focus(self.query_one("#text", Input))
        elif field == "text":
            self.set_focus(self.query_one("#due_on", Input))
        else:
            self.action_save()

    def clear_errors(self) -> None:
        super().clear_errors()
        for picker in self.query(CustomerPicker):
            picker.clear_error()

    def show_error(self, field: str, message: str) -> None:
        if field == "customer" and self.query(CustomerPicker):
            picker = self.query_one(CustomerPicker)
            picker.show_error(message)
            picker.query_one(Input).focus()
        else:
            super().show_error(field, message)

    def action_save(self) -> None:
        self.clear_errors()
        today = today_of(self.app)
        problems: list[tuple[str, str]] = []
        customer_id = self.customer_id if self.customer_id is not None else (self.chosen.id if self.chosen else None)
        new_name = self._new_name()
        if customer_id is None and not new_name:
            problems.append(("customer", "say to whom: type a name, phone or email, then ↓ and enter"))
        phone = self.query_one("#field-phone", FormField).value if customer_id is None and new_name else ""
        if phone.strip() and (problem := validate_phone(phone)):
            problems.append(("phone", problem))  # e.g. the promise typed one field too early
        try:
            Shop.promise_text(self.query_one("#text", Input).value, today, today)  # the store's rule; due is below
        except InputError as exc:
            problems.append((exc.field or "text", exc.message))
        due: date | None = None
        try:
            due = parse_user_date(self.query_one("#due_on", Input).value, today, date_order_of(self.app), "future")
        except DateError as exc:
            problems.append(("due_on", str(exc)))
        if problems:
            for field, message in reversed(problems):  # the first problem ends up focused
                self.show_error(field, message)
            return
        assert due is not None
        shop, text = shop_of(self.app), self.query_one("#text", Input).value
        if customer_id is not None:
            save(self, lambda: shop.add_promise(customer_id, text, due, today), self.dismiss, what="the promise",
                 invalid=lambda exc: self.show_input_error(exc, "text"))
            return
        new = NewCustomer(new_name, [phone] if phone.strip() else [])
        refused = lambda exc: self.show_error({"name": "customer"}.get(exc.field, exc.field or "text"), exc.message)
        if new != self.create_anyway:
            try:
                matches = shop.same_customers(new, today)
            except InputError as exc:
                refused(exc)
                return
            if matches:
                self._ask_existing(new, matches)
                return
        save(self, lambda: shop.add_promise_to_new(new, text, due, today)[1], self.dismiss, what="the promise",
             invalid=refused)

    def _ask_existing(self, new: NewCustomer, matches) -> None:
        """Someone with that name or phone is already on file: promise to them, or to a new person."""
        from .existing import ask_existing

        def use(row: CustomerRow) -> None:
            self.query_one(CustomerPicker).pick(row)
            self.chosen = row
            self.action_save()

        ask_existing(self, new, matches, use)
