"""The shop's settings as a form: ctrl+s saves all or nothing, escape leaves (asking if changed)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from ..keymap import default_bindings
from ..widgets.footer import ShopFooter

from ..domain.errors import InputError
from ..ui_support import shop_of
from ..ui_work import save
from ..widgets.form import FormField
from ..widgets.plain import Plain

# (setting, label), two to a row so the whole form fits an 80×24 terminal
FIELDS = [
    [("shop_name", "Shop name"), ("currency", "Currency (EUR, USD, GBP…)")],
    [("phone_region", "Phone region (FR, US…)"), ("snooze_days", "Snooze for (days)")],
    [("second_sale_after_days", "Second-sale call after (days)"), ("second_sale_give_up_days", "Give up second-sale call after (days)")],
    [("thank_referrer_days", "Thank a referrer within (days)"), ("backup_keep_days", "Keep daily backups for (days)")],
    [("date_order", "Dates typed as (dmy: 04/12 is 4 Dec; mdy; auto)"), ("time_zone", "Time zone (Europe/Paris…; empty: this computer's)")],
    [("large_sale", "Ask before saving sales above (amount, or auto: 10× the usual sale)")],
    [("keep_in_touch_days", "Keep in touch after (days without contact)"),
     ("keep_in_touch_per_day", "Keep-in-touch calls a day on the checklist (0: off)")],
    [("margin_percent", "Margin on sales without a cost (%; empty: not known)"),
     ("ideal_shape", "Ideal shape (% first-time/repeat/advocates)")],
]
NAMES = [name for row in FIELDS for name, _ in row]
LABELS = {name: label.split(" (")[0] for row in FIELDS for name, label in row}


def in_words(message: str) -> str:
    """The service names settings as stored (second_sale_after_days); say them as the form does."""
    for name in sorted(LABELS, key=len, reverse=True):
        message = message.replace(name, f"“{LABELS[name]}”")
    return message


class SettingsScreen(Screen):
    AREA = "settings"
    BINDINGS = default_bindings("SettingsScreen")  # shopkeeper/keys.toml

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        values = shop_of(self.app).settings.to_strings()
        self.saved = {name: values[name] for name in NAMES}
        yield Header()
        yield Plain("Settings — enter moves to the next field, ctrl+s saves, escape leaves", id="summary")
        with VerticalScroll(id="settings-form"):
            for row in FIELDS:
                with Horizontal(classes="row"):
                    for name, label in row:
                        yield FormField(label, name, values[name], max_length=80)
            yield Plain(id="settings-note", classes="hint")
            yield Plain(self.files_note(), id="settings-files", classes="hint")
            log_file = getattr(self.app, "log_file", None)
            if log_file:
                yield Plain(f"Problems are written to {log_file}", id="settings-log", classes="hint")
        yield ShopFooter()

    def files_note(self) -> str:
        from ..first_run import where_it_lives

        shop = shop_of(self.app)
        return where_it_lives(shop.location, shop.settings.backup_keep_days, getattr(self.app, "demo", False))

    def on_mount(self) -> None:
        self.query_one("#shop_name", Input).focus()
        self._explain()

    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#{name}", Input).value for name in NAMES}

    @property
    def changed(self) -> bool:
        return self.values() != self.saved

    def on_input_changed(self, event: Input.Changed) -> None:
        self._explain()

    def _explain(self) -> None:
        """What the second-sale window means, in words, with the numbers as typed."""
        values = self.values()
        after, give_up = values["second_sale_after_days"].strip(), values["second_sale_give_up_days"].strip()
        note = (
            f"First-time buyers come up for a second-sale call {after or '?'} days after their first purchase, "
            f"and drop off the list after {give_up or '?'} days."
        )
        if self.changed:
            note += "  Unsaved changes."
        self.query_one("#settings-note", Static).update(note)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.input.id or ""
        if name in NAMES and NAMES.index(name) < len(NAMES) - 1:
            self.query_one(f"#{NAMES[NAMES.index(name) + 1]}", Input).focus()
        else:
            self.action_save()

    def check_field(self, name: str, value: str) -> str | None:
        """A setting being corrected: its error leaves as soon as it reads right (see FormField)."""
        from ..domain.settings import SettingError, coerce

        try:
            coerce(name, value)
        except SettingError as exc:
            return in_words(str(exc))
        return None

    def clear_errors(self) -> None:
        for field in self.query(FormField):
            field.clear_error()

    def action_save(self) -> None:
        self.clear_errors()
        shop, values = shop_of(self.app), self.values()
        save(self, lambda: shop.save_settings(values), self._saved, what="the settings", invalid=self._refused)

    def _refused(self, exc: InputError) -> None:
        matches = self.query(f"#field-{exc.field}")
        if matches:
            field = matches.first(FormField)
            field.show_error(in_words(exc.message))
            field.query_one(Input).focus()
        else:
            self.notify(in_words(exc.message), severity="error")

    def _saved(self, settings) -> None:
        self.saved = {name: value for name, value in settings.to_strings().items() if name in NAMES}
        for name in NAMES:  # show the values as stored (e.g. "eur" becomes "EUR")
            self.query_one(f"#{name}", Input).value = self.saved[name]
        self.app.title = f"{settings.shop_name} — demo shop" if getattr(self.app, "demo", False) else settings.shop_name
        self._explain()
        self.notify("Settings saved")

    def action_staff(self) -> None:
        """The staff list (issue 12): its own dialog, saved person by person."""
        from ..dialogs.staff import StaffDialog

        self.app.push_screen(StaffDialog())

    def action_leave(self) -> None:
        if not self.changed:
            self.app.pop_screen()
            return
        from ..dialogs.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(ConfirmDialog("Leave without saving your changes to the settings?", "Leave"), answered)
