"""A customer's family and other personal dates (a child's birthday, a wedding anniversary):
add, change and remove them from the card; the year may be left out."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..keymap import default_bindings
from ..domain.dates import DateError, YearlyDate
from ..domain.records import FamilyDateView
from ..ui_support import date_order_of, shop_of, today_of
from ..ui_work import save
from ..widgets.date_field import DateField, date_hint
from ..widgets.form import FormField
from ..widgets.plain import Plain
from .base import CustomerDialog


class FamilyDatesDialog(CustomerDialog[bool]):
    """Returns True when something changed."""

    AREA = "family dates"
    BINDINGS = default_bindings("FamilyDatesDialog")  # shopkeeper/keys.toml

    def __init__(self, customer_id: int, name: str) -> None:
        super().__init__(customer_id, name)
        self.dates: list[FamilyDateView] = []
        self.editing: FamilyDateView | None = None
        self.saved_any = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain(f"Family dates of {self.customer_name}", classes="dialog-title")
            yield OptionList(id="dates")
            yield Plain("", id="mode", classes="hint")
            with Horizontal(classes="row"):
                yield FormField("What (e.g. daughter's birthday)", "label", max_length=60)
                yield DateField("Day (year optional)", "on", yearly=True,
                                placeholder=date_hint(date_order_of(self.app), "yearly"))
            yield Plain("enter saves · ↑↓ on the list then enter to change, delete to remove · ctrl+n new · "
                        "escape closes", classes="hint")

    def on_mount(self) -> None:
        self._load()
        self.action_new()

    def _load(self) -> None:
        card = shop_of(self.app).card(self.customer_id, today_of(self.app))
        self.dates = card.family_dates if card else []
        options = self.query_one("#dates", OptionList)
        options.clear_options()
        for view in self.dates:
            options.add_option(Option(f"{YearlyDate.of(view.md, view.on).show():<12} {view.label}", id=str(view.id)))
        if not self.dates:
            options.add_option(Option("No family dates yet: type one below.", disabled=True))

    def action_new(self) -> None:
        self.editing = None
        self.query_one("#field-label", FormField).value = ""
        self.query_one("#field-on", DateField).value = ""
        self.query_one("#mode").update("New date:")
        self.query_one("#label", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view = self._highlighted()
        if view is None:
            return
        self.editing = view
        self.query_one("#field-label", FormField).value = view.label
        self.query_one("#field-on", DateField).value = YearlyDate.of(view.md, view.on).show()
        self.query_one("#mode").update(f"Changing “{view.label}” (ctrl+n for a new one instead):")
        self.query_one("#label", Input).focus()

    def _highlighted(self) -> FamilyDateView | None:
        option = self.query_one("#dates", OptionList).highlighted_option
        return next((v for v in self.dates if option is not None and str(v.id) == option.id), None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "label" and not self.query_one("#field-on", DateField).value.strip():
            self.query_one("#on", Input).focus()
            return
        self.action_save()

    def action_save(self) -> None:
        self.clear_errors()
        try:
            when = self.query_one("#field-on", DateField).read()
        except DateError as exc:
            self.show_error("on", str(exc))
            return
        label = self.query_one("#field-label", FormField).value
        shop, customer_id, editing = shop_of(self.app), self.customer_id, self.editing

        def write() -> None:
            if editing is None:
                shop.add_family_date(customer_id, label, when)
            else:
                shop.update_family_date(editing.id, label, when)

        def saved(_) -> None:
            self.notify(f"Saved: {label.strip()} {when.show()}")
            self.saved_any = True
            self._load()
            self.action_new()

        save(self, write, saved, what="the date", invalid=lambda exc: self.show_input_error(exc, "label"))

    def action_remove(self) -> None:
        from .confirm import ConfirmDialog

        view = self._highlighted()
        if view is None or self.focused is not self.query_one("#dates", OptionList):
            return

        def removed(_) -> None:
            self.notify(f"Removed: {view.label}")
            self.saved_any = True
            self._load()

        def confirmed(yes: bool | None) -> None:
            if yes:
                shop = shop_of(self.app)
                save(self, lambda: shop.remove_family_date(view.id), removed, what="the removal")

        self.app.push_screen(ConfirmDialog(f"Remove “{view.label}” from {self.customer_name}'s dates?", "Remove"), confirmed)

    def action_cancel(self) -> None:
        self.dismiss(self.saved_any)
