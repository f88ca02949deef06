"""The shopkeeper App: bindings, command palette, theme and the first screen. Nothing else."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .services import Shop


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
        Binding("ctrl+o", "import_sales", "Import", show=False, tooltip="Import sales… from Shopify or Square"),
        Binding("f1,question_mark", "help", "Help", tooltip="Keys for this screen"),
        Binding("ctrl+q", "quit", "Quit", show=False, tooltip="Leave shopkeeper"),
    ]

    def __init__(self, shop: Shop, today: date, demo: bool = False, log_file: Path | None = None) -> None:
        super().__init__()
        self.shop = shop
        self.today = today
        self.demo = demo
        self.log_file = log_file  # where faults are written (shown in help and settings)
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

    def action_import_sales(self) -> None:
        from .screens.import_sales import ImportSalesScreen

        self.show_screen(ImportSalesScreen)

    def action_checklist(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

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


def make_app(shop: Shop, today: date, demo: bool = False, log_file: Path | None = None) -> ShopkeeperApp:
    """The one way the CLI and the tests build the app: the shop and "today" are passed in."""
    return ShopkeeperApp(shop, today, demo, log_file)
