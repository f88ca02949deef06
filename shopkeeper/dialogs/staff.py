"""Staff (issue 12): who works in the shop, managed from the settings (add, rename, retire), and
who is at this till, picked from the main screens. Keyboard only; errors beside their field."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..domain.staff import StaffView
from ..keymap import default_bindings
from ..ui_support import shop_of, today_of
from ..ui_work import save
from ..widgets.form import FormField
from ..widgets.plain import Plain
from .base import Dialog

NOBODY = 0  # what the picker returns for "nobody" (None: cancelled)


class StaffPickDialog(Dialog[int]):
    """Who is at this till? The staff list and "nobody"; enter picks."""

    AREA = "staff"

    def __init__(self, staff: list[StaffView], current: int | None) -> None:
        super().__init__()
        self.staff = staff
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain("Who is at this till?", classes="dialog-title")
            options = [Option(f"{s.initials:<5}{s.name}", id=str(s.id)) for s in self.staff]
            yield OptionList(*options, Option("nobody (not said)", id=str(NOBODY)), id="staff-pick")
            yield Plain("↑↓ to choose · enter picks · escape cancels", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one("#staff-pick", OptionList)
        options.focus()
        ids = [s.id for s in self.staff]
        # on who is at the till now; with nobody said yet, on the first person (the reason for
        # pressing `w`), not on "nobody"
        options.highlighted = ids.index(self.current) if self.current in ids else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id))


class StaffDialog(Dialog[bool]):
    """The staff list: type a name (initials optional) to add someone, enter on a person to rename
    them, delete to retire them. Returns True when something changed."""

    AREA = "staff"
    BINDINGS = default_bindings("StaffDialog")  # shopkeeper/keys.toml

    def __init__(self) -> None:
        super().__init__()
        self.people: list[StaffView] = []
        self.editing: StaffView | None = None
        self.saved_any = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain("Staff — who works here", classes="dialog-title")
            yield OptionList(id="staff-list")
            yield Plain("", id="mode", classes="hint")
            with Horizontal(classes="row"):
                yield FormField("Name", "name", max_length=60)
                yield FormField("Initials (1-4 letters; empty: from the name)", "initials", max_length=4)
            yield Plain("enter saves · ↑↓ on the list then enter to rename, delete to retire · ctrl+n new · "
                        "escape closes", classes="hint")

    def on_mount(self) -> None:
        self._load()
        self.action_new()

    def _load(self) -> None:
        self.people = shop_of(self.app).staff()
        options = self.query_one("#staff-list", OptionList)
        options.clear_options()
        for person in self.people:
            options.add_option(Option(f"{person.initials:<5}{person.name}", id=str(person.id)))
        if not self.people:
            options.add_option(Option("Nobody yet: type a name below.", disabled=True))
        else:
            options.highlighted = 0

    def action_new(self) -> None:
        self.editing = None
        self.clear_errors()
        self.query_one("#field-name", FormField).value = ""
        self.query_one("#field-initials", FormField).value = ""
        self.query_one("#mode").update("Add someone:")
        self.query_one("#name", Input).focus()

    def _highlighted(self) -> StaffView | None:
        option = self.query_one("#staff-list", OptionList).highlighted_option
        return next((p for p in self.people if option is not None and str(p.id) == option.id), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        person = self._highlighted()
        if person is None:
            return
        self.editing = person
        self.clear_errors()
        self.query_one("#field-name", FormField).value = person.name
        self.query_one("#field-initials", FormField).value = person.initials
        self.query_one("#mode").update(f"Renaming {person.initials} {person.name} (ctrl+n to add someone instead):")
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # a new person: enter on the name saves (initials come from it); a rename goes on to the
        # initials first, as they may need to change with the name
        self.move_on_or_save(event, ("name",) if self.editing is not None else ())

    def check_field(self, name: str, value: str) -> str | None:
        return None  # an error leaves at the next edit; the save checks again

    def action_save(self) -> None:
        self.clear_errors()
        name = self.query_one("#field-name", FormField).value
        initials = self.query_one("#field-initials", FormField).value
        shop, editing = shop_of(self.app), self.editing

        def write() -> None:
            if editing is None:
                shop.add_staff(name, initials)
            else:
                shop.rename_staff(editing.id, name, initials)

        def saved(_) -> None:
            self.notify(f"Saved: {name.strip()}")
            self.saved_any = True
            self._load()
            self.action_new()

        save(self, write, saved, what="the staff member", invalid=lambda exc: self.show_input_error(exc, "name"))

    def action_retire(self) -> None:
        from .confirm import ConfirmDialog

        person = self._highlighted()
        if person is None or self.focused is not self.query_one("#staff-list", OptionList):
            return

        def retired(_) -> None:
            self.notify(f"{person.name} no longer works here; what they recorded keeps {person.initials}.")
            self.saved_any = True
            if hasattr(self.app, "show_till"):
                self.app.show_till()  # the till they were at is nobody's now
            self._load()

        def confirmed(yes: bool | None) -> None:
            if yes:
                shop, today = shop_of(self.app), today_of(self.app)
                save(self, lambda: shop.retire_staff(person.id, today), retired, what="the change")

        self.app.push_screen(ConfirmDialog(f"{person.name} no longer works here? Their initials stay on what "
                                           "they recorded.", "Retire"), confirmed)

    def action_cancel(self) -> None:
        self.dismiss(self.saved_any)
