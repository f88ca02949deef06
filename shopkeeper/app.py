"""The shopkeeper App: bindings, command palette, theme and the first screen. Nothing else."""
from __future__ import annotations

from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from .keymap import default_bindings
from .live import LiveTills
from .services import Shop
from .undo import UndoStack


class ShopkeeperApp(LiveTills, App):
    """A retention desk: the checklist first, lookup from anywhere, a sale in a few keys."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "shopkeeper"
    BINDINGS = default_bindings("ShopkeeperApp")  # shopkeeper/keys.toml
    # On the welcome screen only these app keys work: it asks one question first.
    WELCOME_ACTIONS = {"help", "quit", "command_palette"}

    def __init__(self, shop: Shop, today: date, demo: bool = False, own_path: Path | str | None = None,
                 keymap_file: Path | None = None, log_file: Path | None = None, till_file: Path | None = None) -> None:
        super().__init__()
        self.shop = shop
        self.today = today
        self.demo = demo
        self.own_path = own_path if own_path is not None else shop.location  # where "Start my own shop" goes
        self.keymap_file = keymap_file
        self.log_file = log_file  # where faults are written (shown in help and settings)
        self.till_file = till_file  # who is at this till, per shop (till.py); None: not remembered
        self.at_till = None  # the StaffView at this till, None: nobody said (or no staff list)
        self.undo_stack = UndoStack()  # this session's one-key actions, for ctrl+z
        self.theme = "nord"
        self._warmed = False  # warm_up() done

    def on_mount(self) -> None:
        from .widgets.demo_band import add_band

        self.sub_title = self.today.strftime("%A %d %B %Y")  # then show_till() adds who is at the till
        self.screen_change_signal.subscribe(self, lambda screen: add_band(self, screen))
        self._apply_keymap()
        self._first_screen()
        self.start_live_updates()  # another till's sales and contacts show here (live.py)

    def _first_screen(self) -> None:
        from .screens.checklist import ChecklistScreen

        self._restore_till()
        self.show_title()
        if not self.demo and self.shop.needs_welcome():
            from .screens.welcome import WelcomeScreen  # with its form: only for a brand-new shop

            self.push_screen(WelcomeScreen())
            self.call_after_refresh(self.warm_up)
        else:
            self.push_screen(ChecklistScreen())  # it calls warm_up() once its rows are painted

    def warm_up(self) -> None:
        """After the first paint, once: import the ORM models and the stores built on them off the
        UI thread (start-up does without them; services.load_store)."""
        if self._warmed:
            return
        self._warmed = True
        from .services import load_store

        self.set_timer(0.2, lambda: self.run_worker(load_store, thread=True, group="warm-up", exit_on_error=False))

    def show_title(self) -> None:
        name = self.shop.settings.shop_name if not self.shop.needs_welcome() else self.TITLE
        self.title = f"{name} — demo shop" if self.demo else name

    # who is at this till (issue 12) -----------------------------------------------------------------
    def _restore_till(self) -> None:
        """The person last chosen at this till for this shop, if they still work here."""
        from .till import load_initials, shop_key

        initials = load_initials(self.till_file, shop_key(self.shop.where))
        person = self.shop.staff_by_initials(initials) if initials else None
        self.shop.staff_id = person.id if person else None
        self.show_till()

    def show_till(self) -> None:
        """The header's second line: the day, and who is at the till when someone said so."""
        self.at_till = self.shop.staff_at_till() if self.shop.staff_id is not None else None
        day = self.today.strftime("%A %d %B %Y")
        self.sub_title = f"{day} · {self.at_till.initials} at the till" if self.at_till else day

    def action_who(self) -> None:
        """Pick who is at this till from the staff list (or nobody); remembered on this computer."""
        from .dialogs.staff import NOBODY, StaffPickDialog
        from .till import save_initials, shop_key

        staff = self.shop.staff()
        if not staff:
            self.notify("No staff list yet: add people in the settings (, then ctrl+t).")
            return

        def picked(staff_id: int | None) -> None:
            if staff_id is None:
                return
            try:
                person = self.shop.set_staff_at_till(None if staff_id == NOBODY else staff_id)
            except ValueError as exc:  # InputError: retired meanwhile
                self.notify(str(exc), severity="error")
                return
            save_initials(self.till_file, shop_key(self.shop.where), person.initials if person else None)
            self.show_till()
            self.notify(f"{person.initials} {person.name} is at the till." if person else "Nobody said at the till.")
            resume = getattr(self.screen, "on_screen_resume", None)
            if resume is not None:  # a "mine" checklist is someone else's now
                resume()

        self.push_screen(StaffPickDialog(staff, self.shop.staff_id), picked)

    def _apply_keymap(self) -> None:
        """The owner's keymap.toml over the default keys; a bad file is named, and the defaults kept."""
        if self.keymap_file is None:
            return
        from .keymap import load_keymap

        keymap, problem = load_keymap(self.keymap_file)
        if problem:
            self.notify(f"{problem} — using the default keys", title="Keymap not used", severity="error", timeout=20)
        elif keymap:
            self.set_keymap(keymap)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "own_shop":
            return self.demo
        # the welcome screen by its AREA: not imported for it (its form) on every start
        if action not in self.WELCOME_ACTIONS and any(getattr(s, "AREA", "") == "welcome" for s in self.screen_stack):
            return False
        if action in ("undo", "new_customer", "who"):
            # not from inside a form; the palette is a modal screen too, and it may ask for them
            return not isinstance(self.screen, ModalScreen) or isinstance(self.screen, CommandPalette)
        return True

    # the owner's shop and the practice shop ------------------------------------------------------
    def open_shop(self, shop: Shop, demo: bool) -> None:
        """Put another shop's file in front, from its first screen, without restarting."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        old, self.shop, self.demo = self.shop, shop, demo
        if old is not shop:
            old.close()
        self._first_screen()

    def action_own_shop(self) -> None:
        """Leave the demo for the owner's own file (the welcome if it is still empty)."""
        if not self.demo:
            return
        own, here = self.own_path, self.shop.location
        same = str(own) == str(here) or (isinstance(own, Path) and isinstance(here, Path) and own.resolve() == here.resolve())
        if own is None or same:
            self.notify("Your own shop's file is not known here: start shopkeeper without --db", severity="error")
            return
        try:
            own = Shop.open(self.own_path)
        except Exception as exc:  # noqa: BLE001 - a damaged or foreign file: said, and the demo stays
            self.notify(f"Could not open your shop's file {self.own_path}: {exc}", severity="error")
            return
        self.open_shop(own, demo=False)
        self.notify("You left the demo: this is your own shop")

    # navigation -------------------------------------------------------------------------------
    def action_lookup(self, text: str = "") -> None:
        from .screens.lookup import LookupScreen

        if isinstance(self.screen, LookupScreen):
            self.screen.type_text(text)  # a fast typist's next digits, still on their way
            return
        self.push_screen(LookupScreen(text))

    def action_log_sale(self, customer_id: int | None = None) -> None:
        from .dialogs.sale import SaleDialog

        self.push_screen(SaleDialog(customer_id))

    def show_screen(self, screen_type: type[Screen]) -> None:
        """Bring up a main screen: go back to it if it is already open, never stack a second copy."""
        if isinstance(self.screen, screen_type):
            return
        if any(isinstance(screen, screen_type) for screen in self.screen_stack):
            while not isinstance(self.screen, screen_type):
                self.pop_screen()
            return
        self.push_screen(screen_type())

    def show_screen_at(self, path: str) -> None:
        """show_screen for "module.Screen" of screens/, imported on first use (a faster start)."""
        module, _, screen = path.rpartition(".")
        self.show_screen(getattr(import_module(f".screens.{module}", __package__), screen))

    def action_promises(self) -> None:
        self.show_screen_at("promises.PromisesScreen")

    def action_enquiries(self) -> None:
        self.show_screen_at("enquiries.EnquiriesScreen")

    def action_customers(self) -> None:
        self.show_screen_at("customers.CustomersScreen")

    def action_insights(self) -> None:
        self.show_screen_at("insights.InsightsScreen")

    def action_settings(self) -> None:
        self.show_screen_at("settings.SettingsScreen")

    def action_import_sales(self) -> None:
        self.show_screen_at("import_sales.ImportSalesScreen")

    def action_checklist(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_new_customer(self) -> None:
        from .dialogs.new_customer import NewCustomerDialog

        def made(customer_id: int | None) -> None:
            if customer_id is not None:
                self.open_customer(customer_id)

        self.push_screen(NewCustomerDialog(), made)

    def action_undo(self) -> None:
        """Reverse the session's last one-key action in the database, then refresh the screen."""
        entry = self.undo_stack.pop()
        if entry is None:
            self.notify("Nothing to undo.")
            return
        from .ui_work import save

        screen = self.screen

        def undone(_) -> None:
            self.notify(f"Undone: {entry.undone}.")
            if entry.row and hasattr(screen, "focus_key"):
                screen.focus_key = entry.row  # the row comes back under the cursor
            resume = getattr(screen, "on_screen_resume", None)
            if resume is not None:
                resume()

        shop, today = self.shop, self.today
        save(screen, lambda: shop.undo(entry.steps, today), undone, what="the undo", key=("undo",),
             invalid=lambda exc: self.notify(exc.message, severity="warning"))

    def open_customer(self, customer_id: int) -> None:
        from .screens.customer import CustomerScreen

        self.push_screen(CustomerScreen(customer_id))

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None, markup: bool = False) -> None:
        """Notices often hold customers' names: never read them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action, named "area: Verb", built from the bindings of the app and the screen."""
        from .commands import binding_commands

        yield from binding_commands(self, screen)
        yield from super().get_system_commands(screen)


def make_app(shop: Shop, today: date, demo: bool = False, own_path: Path | str | None = None,
             keymap_file: Path | None = None, log_file: Path | None = None,
             till_file: Path | None = None) -> ShopkeeperApp:
    """The one way the CLI and the tests build the app: the shop and "today" are passed in;
    `own_path` is the owner's file when the demo is open, `keymap_file` the owner's keys,
    `log_file` where faults are written, `till_file` who is at this till (till.py)."""
    return ShopkeeperApp(shop, today, demo, own_path, keymap_file, log_file, till_file)
