"""The first screen of a brand-new shop: start your own (a short form), or practise in the demo.

Asked once: after "Start my own shop" the shop remembers it was started, sale or no sale."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from ..keymap import default_bindings
from ..dialogs.base import Dialog, submitted_field
from ..first_run import locale_defaults, open_demo, where_it_lives
from ..keymap import key_for
from ..ui_support import shop_of, today_of
from ..ui_work import loader, save
from ..widgets.form import FormField
from ..widgets.plain import Plain


class WelcomeScreen(Screen):
    DEFAULT_CSS = "#welcome { padding: 0 1; }  #welcome-status { margin-top: 1; }"
    AREA = "welcome"
    BINDINGS = default_bindings("WelcomeScreen")  # shopkeeper/keys.toml

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="welcome"):
            yield Plain("Welcome to shopkeeper", classes="dialog-title")
            yield Plain(id="welcome-text")
            yield Plain(id="welcome-status", classes="hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        app = self.app
        start, demo = key_for(self, "welcome.start", "enter"), key_for(self, "welcome.demo", "d")
        start = "enter" if start == "⏎" else start
        shop = shop_of(app)
        self.query_one("#welcome-text", Static).update(
            "Who to call today, who is calling, a sale in a few keys: for your own shop,\n"
            + ("shared by every till on the shop's server.\n\n" if shop.on_server else
               "on this computer, in one file.\n\n")
            + f"  {start:<6} Start my own shop\n"
            "         Give it a name, a currency and the country of its phone numbers,\n"
            "         then log a first sale, add customers or import your history.\n\n"
            f"  {demo:<6} Try the demo first\n"
            "         A practice shop full of sample customers, in a file of its own:\n"
            "         nothing done there touches your shop. Leave it any time with\n"
            "         \"Start my own shop\".\n\n"
            + where_it_lives(shop.location, shop.settings.backup_keep_days)
        )

    def action_start(self) -> None:
        def started(done: bool | None) -> None:
            if done:
                self.app.open_shop(shop_of(self.app), demo=False)  # type: ignore[attr-defined]

        self.app.push_screen(StartShopDialog(), started)

    def action_demo(self) -> None:
        if any(worker.group == "demo" and worker.is_running for worker in self.workers):
            return
        self.query_one("#welcome-status", Static).update("Opening the demo… (it is built the first time: a few seconds)")
        self.build_demo()

    @loader("demo", "open the demo")
    def build_demo(self) -> None:
        app = self.app
        try:
            shop = open_demo(app.own_path, today_of(app))  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - said on screen, the welcome stays
            app.call_from_thread(self._failed, exc)
            return
        if get_current_worker().is_cancelled:
            shop.close()
            return
        app.call_from_thread(self._built, shop)

    def _built(self, shop) -> None:
        """Open the demo, unless the owner went on to start their own shop while it was built."""
        if self.app.screen is not self:  # the start form is open over the welcome
            shop.close()
            self.query_one("#welcome-status", Static).update("")
            return
        self.app.open_shop(shop, demo=True)  # type: ignore[attr-defined]

    def _failed(self, exc: Exception) -> None:
        self.query_one("#welcome-status", Static).update("")
        self.notify(f"Could not open the demo: {exc}", severity="error")


class StartShopDialog(Dialog[bool]):
    """Name, currency and phone country, the defaults from this computer's language settings."""

    AREA = "start shop"
    BINDINGS = [Binding("ctrl+s", "save", "Start", tooltip="Start my shop with these settings", id="start_shop.save")]
    FIELDS = ("shop_name", "currency", "phone_region")

    def compose(self) -> ComposeResult:
        currency, country = locale_defaults()
        with Vertical(classes="dialog", id="start-shop"):
            yield Plain("Start my own shop", classes="dialog-title")
            yield FormField("Shop name", "shop_name", placeholder="e.g. The Tea Corner", max_length=80)
            with Horizontal(classes="row"):
                yield FormField("Currency", "currency", currency, placeholder="EUR, USD, GBP…", max_length=5)
                yield FormField("Country for phone numbers", "phone_region", country, placeholder="FR, US…", max_length=2)
            yield Plain("Currency and country come from this computer's language; all three can be changed "
                        "later in settings. enter moves on and starts · escape goes back", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#shop_name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = submitted_field(self, event)
        if name in self.FIELDS[:-1]:
            self.set_focus(self.query_one(f"#{self.FIELDS[self.FIELDS.index(name) + 1]}", Input))
        else:
            self.action_save()

    def action_save(self) -> None:
        self.clear_errors()
        values = {name: self.query_one(f"#{name}", Input).value for name in self.FIELDS}
        if not values["shop_name"].strip():
            self.show_error("shop_name", "Give your shop a name (it shows at the top of every screen)")
            return
        shop, today = shop_of(self.app), today_of(self.app)
        save(self, lambda: shop.start_shop(values["shop_name"], values["currency"], values["phone_region"], today),
             lambda _: self.dismiss(True), what="your shop", invalid=lambda exc: self.show_input_error(exc, "shop_name"))
