"""The shopkeeper App: bindings, command palette, theme and the first screen. Nothing else."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from .services import Shop
from .undo import UndoStack


class ShopkeeperApp(App):
    """A retention desk: the checklist first, lookup from anywhere, a sale in a few keys."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "shopkeeper"
    BINDINGS = [
        Binding("slash", "lookup", "Find", tooltip="Find a customer by name, phone or email"),
        Binding("s", "log_sale", "Sale", tooltip="Log a sale"),
        Binding("p", "promises", "Promises", tooltip="Open promises, and make a new one"),
        Binding("u", "customers", "Customers", tooltip="All customers, sortable"),
        Binding("i", "insights", "Insights", show=False, tooltip="Levels, conversion, top 20%, lifetime value, call lists"),
        Binding("h", "checklist", "Checklist", show=False, tooltip="Back to the day's checklist"),
        Binding("comma", "settings", "Settings", show=False, tooltip="Shop settings"),
        Binding("f1,question_mark", "help", "Help", tooltip="Keys for this screen"),
        Binding("ctrl+q", "quit", "Quit", show=False, tooltip="Leave shopkeeper"),
        Binding("ctrl+z", "undo", "Undo", show=False,
                tooltip="Undo the last one-key action (contact, kept, missed, snooze, close, sale)"),
        Binding("n", "new_customer", "New customer", show=False, tooltip="Add a new customer"),
    ]

    def __init__(self, shop: Shop, today: date, demo: bool = False) -> None:
        super().__init__()
        self.shop = shop
        self.today = today
        self.demo = demo
        self.undo_stack = UndoStack()  # this session's one-key actions, for ctrl+z
        self.theme = "nord"

    def on_mount(self) -> None:
        from .screens.checklist import ChecklistScreen

        name = self.shop.settings.shop_name
        self.title = f"{name} — demo shop" if self.demo else name
        self.sub_title = self.today.strftime("%A %d %B %Y")
        self.push_screen(ChecklistScreen())

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

    def action_promises(self) -> None:
        from .screens.promises import PromisesScreen

        self.show_screen(PromisesScreen)

    def action_customers(self) -> None:
        from .screens.customers import CustomersScreen

        self.show_screen(CustomersScreen)

    def action_insights(self) -> None:
        from .screens.insights import InsightsScreen

        self.show_screen(InsightsScreen)

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        self.show_screen(SettingsScreen)

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

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("undo", "new_customer"):
            # not from inside a form; the palette is a modal screen too, and it may ask for them
            return not isinstance(self.screen, ModalScreen) or isinstance(self.screen, CommandPalette)
        return True

    def action_undo(self) -> None:
        """Reverse the session's last one-key action in the database, then refresh the screen."""
        from .domain.errors import InputError

        entry = self.undo_stack.pop()
        if entry is None:
            self.notify("Nothing to undo.")
            return
        try:
            self.shop.undo(entry.steps, self.today)
        except InputError as exc:
            self.notify(exc.message, severity="warning")
            return
        self.notify(f"Undone: {entry.undone}.")
        if entry.row and hasattr(self.screen, "focus_key"):
            self.screen.focus_key = entry.row  # the row comes back under the cursor
        resume = getattr(self.screen, "on_screen_resume", None)
        if resume is not None:
            resume()

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


def make_app(shop: Shop, today: date, demo: bool = False) -> ShopkeeperApp:
    """The one way the CLI and the tests build the app: the shop and "today" are passed in."""
    return ShopkeeperApp(shop, today, demo)
