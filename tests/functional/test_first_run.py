"""The first run: the welcome screen, the owner's own shop in the default file, the demo kept apart
behind its band, and the owner's keymap. Driven by keys through Pilot."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select

from shopkeeper import cli, demo as demo_module
from shopkeeper.app import ShopkeeperApp, make_app
from shopkeeper.paths import default_db_path, demo_db_path
from shopkeeper.screens.help import bindings_table
from shopkeeper.services import Shop
from shopkeeper.store.db import reading
from shopkeeper.store.models import Sale
from textual.widgets import Input, Static

from .conftest import DEMO_DAY, settle, type_text

DAY = date(2026, 3, 2)
ROOT = Path(__file__).resolve().parents[2]
BAND = "DEMO — practice data, not your shop"


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """The owner's data folder in a temporary place, as on a fresh computer."""
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("SHOPKEEPER_DB", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MONETARY", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)
    return home


def screen_name(app) -> str:
    return type(app.screen).__name__


def band_text(app) -> str | None:
    bands = app.screen.query("#demo-band")
    return str(bands.first(Static).content) if bands else None


def help_text(app) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(bindings_table(app.screen.about))
    return console.export_text()


async def test_empty_shop_welcome_start_own_shop_log_a_sale_then_the_cli_lists_it(data_home, monkeypatch):
    captured: list[ShopkeeperApp] = []
    monkeypatch.setattr(ShopkeeperApp, "run", lambda self, *a, **k: captured.append(self))
    assert cli.main(["--date", DAY.isoformat()]) == 0  # `shopkeeper` with no --db builds the app
    app = captured[0]
    assert app.shop.path == default_db_path() == data_home / "shopkeeper" / "shop.sqlite3"
    assert app.demo is False

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert screen_name(app) == "WelcomeScreen"
        welcome = str(app.screen.query_one("#welcome-text", Static).content)
        assert "Start my own shop" in welcome and "Try the demo" in welcome
        assert str(default_db_path()) in welcome
        await pilot.press("s")  # the welcome asks first: no sale goes anywhere yet
        await settle(app, pilot)
        assert screen_name(app) == "WelcomeScreen"

        await pilot.press("enter")
        await settle(app, pilot)
        assert screen_name(app) == "StartShopDialog"
        assert app.screen.query_one("#currency", Input).value == "EUR"  # from LANG=fr_FR
        assert app.screen.query_one("#phone_region", Input).value == "FR"
        await type_text(pilot, "Chez Anna")
        await pilot.press("enter", "enter", "enter")
        await settle(app, pilot)
        assert screen_name(app) == "ChecklistScreen"
        assert app.title == "Chez Anna" and band_text(app) is None
        hint = str(app.screen.query_one("#checklist").get_option("h:hint").prompt)
        assert "s  log a sale" in hint and "shopkeeper import sales" in hint

        await pilot.press("s")
        await settle(app, pilot)
        assert screen_name(app) == "SaleDialog"
        await type_text(pilot, "Jeanne Martin")
        app.screen.query_one("#amount").focus()
        await type_text(pilot, "25,50")
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen_name(app) == "ChecklistScreen"
        await pilot.press("ctrl+q")
    app.shop.close()

    env = {k: v for k, v in os.environ.items() if k != "SHOPKEEPER_DB"}
    env.update(XDG_DATA_HOME=str(data_home), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "shopkeeper", "export", "sales"], capture_output=True, text=True,
                          env=env, cwd=data_home.parent)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.strip().splitlines()
    assert len(rows) == 2 and "Jeanne Martin" in rows[1] and "25.50" in rows[1]
    assert not demo_db_path(default_db_path()).exists()  # the demo was never made, nor used


async def test_a_started_shop_does_not_welcome_again_even_without_a_sale(new_shop):
    app = make_app(new_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await type_text(pilot, "Le Comptoir")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert screen_name(app) == "ChecklistScreen"
    app = make_app(new_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert screen_name(app) == "ChecklistScreen" and app.title == "Le Comptoir"


@pytest.mark.parametrize("field, typed, message", [
    ("shop_name", "", "Give your shop a name"),
    ("currency", "euros!", "currency must be a short code"),
    ("phone_region", "ZZ", "not a two-letter country code"),
])
async def test_a_bad_start_form_says_what_beside_the_field_and_starts_nothing(new_shop, field, typed, message):
    app = make_app(new_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        if field != "shop_name":
            form.query_one("#shop_name", Input).value = "Chez Anna"
        form.query_one(f"#{field}", Input).value = typed
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert screen_name(app) == "StartShopDialog"
        error = form.query_one(f"#field-{field}")
        assert error.has_class("-invalid") and message in str(error.query_one(".error", Static).content)
    assert new_shop.needs_welcome()


async def test_d_on_the_welcome_opens_the_demo_in_its_own_file(new_shop, monkeypatch):
    real = demo_module.build_demo
    monkeypatch.setattr(demo_module, "build_demo", lambda shop, today: real(shop, today, customers=40))
    app = make_app(new_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert screen_name(app) == "ChecklistScreen"
        assert app.demo and app.shop.path == demo_db_path(new_shop.location) != new_shop.location
        assert band_text(app).startswith(BAND)
    assert new_shop.count_customers() == 0 and new_shop.needs_welcome()
    app.shop.close()


MAIN_SCREENS = [
    ("ChecklistScreen", []),
    ("LookupScreen", ["slash"]),
    ("CustomersScreen", ["u"]),
    ("CustomerScreen", ["u", "enter"]),
    ("PromisesScreen", ["p"]),
    ("InsightsScreen", ["i"]),
    ("SettingsScreen", ["comma"]),
    ("HelpScreen", ["f1"]),
]


@pytest.mark.parametrize("name, keys", MAIN_SCREENS, ids=[n for n, _ in MAIN_SCREENS])
async def test_every_main_screen_shows_the_demo_band_in_the_demo_and_not_in_the_own_shop(
        demo_shop, empty_shop, tmp_path, name, keys):
    for shop, demo in ((demo_shop, True), (empty_shop, False)):
        if not demo and name == "CustomerScreen":
            continue  # the own shop has no customer to open
        app = make_app(shop, today=DEMO_DAY, demo=demo, own_path=tmp_path / "own" / "shop.sqlite3")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            for key in keys:
                await pilot.press(key)
                await settle(app, pilot)
            assert screen_name(app) == name
            if demo:
                assert band_text(app) == f"{BAND} · f2 Start my own shop"
                assert app.screen.query_one("#demo-band").region.height == 1
            else:
                assert band_text(app) is None
            leave = [a for a in app.screen.active_bindings.values() if a.binding.id == "app.own_shop"]
            assert bool(leave) == demo  # f2 and its palette entry only while the demo is open


async def test_start_my_own_shop_leaves_the_demo_for_the_owners_empty_shop(demo_shop, tmp_path):
    own = tmp_path / "own" / "shop.sqlite3"
    own.parent.mkdir()
    app = make_app(demo_shop, today=DEMO_DAY, demo=True, own_path=own)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "app: Start my own shop (leave the demo)" in titles
        await pilot.press("u")  # from anywhere, however deep
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert screen_name(app) == "WelcomeScreen" and len(app.screen_stack) == 2
        assert app.demo is False and app.shop.path == own and band_text(app) is None
        assert "Start my own shop (leave the demo)" not in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("f2")  # nothing to leave any more
        await settle(app, pilot)
        assert app.shop.path == own
    app.shop.close()
    assert demo_shop.count_customers() == 320  # the demo is left as it was


async def test_help_and_settings_say_which_server_holds_a_shared_shop(empty_shop):
    """A shop on PostgreSQL: help and settings name the server and database, never the password."""
    if not empty_shop.on_server:
        pytest.skip("about a shop on a PostgreSQL server")
    from shopkeeper.store.backend import shown_url

    app = make_app(empty_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        text = str(app.screen.query_one("#help-files", Static).content)
        assert "on a PostgreSQL server" in text and shown_url(empty_shop.url) in text
        await pilot.press("escape", "comma")
        await settle(app, pilot)
        text = str(app.screen.query_one("#settings-files", Static).content)
        assert "on a PostgreSQL server" in text and shown_url(empty_shop.url) in text


@pytest.mark.sqlite_only
async def test_help_and_settings_say_where_the_file_and_its_backups_are(empty_shop, tmp_path, monkeypatch):
    app = make_app(empty_shop, today=DAY)
    folder = empty_shop.path.parent
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))  # not under home: the whole path
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        text = str(app.screen.query_one("#help-files", Static).content)
        assert f"Your shop's file: {empty_shop.path}" in text and f"Backups: {folder / 'backups'}{os.sep}" in text
        await pilot.press("escape", "comma")
        await settle(app, pilot)
        text = str(app.screen.query_one("#settings-files", Static).content)
        assert f"Your shop's file: {empty_shop.path}" in text and f"Backups: {folder / 'backups'}{os.sep}" in text
        monkeypatch.setenv("HOME", str(tmp_path))  # under home: shown from ~
        await pilot.press("escape", "f1")
        await settle(app, pilot)
        text = str(app.screen.query_one("#help-files", Static).content)
        assert f"Your shop's file: ~{os.sep}shop.sqlite3" in text and f"Backups: ~{os.sep}backups{os.sep}" in text


# keymap ---------------------------------------------------------------------------------------

async def test_a_keymap_moves_the_sale_to_another_key_and_help_and_palette_follow(empty_shop, tmp_path):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('# my keys\napp.sale = "b"\n', encoding="utf-8")
    app = make_app(empty_shop, today=DAY, keymap_file=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert screen_name(app) == "ChecklistScreen"  # s is free now
        await pilot.press("b")
        await settle(app, pilot)
        assert screen_name(app) == "SaleDialog"
        await pilot.press("escape")
        await settle(app, pilot)
        sale = [c for c in app.get_system_commands(app.screen) if c.title == "app: Log a sale"]
        assert sale and sale[0].help == "key b"
        await pilot.press("f1")
        await settle(app, pilot)
        lines = help_text(app).splitlines()
        assert any(line.split()[:4] == ["b", "Log", "a", "sale"] and "app.sale" in line for line in lines)
        assert not any(line.split()[:1] == ["s"] for line in lines)


@pytest.mark.parametrize("content, reason", [
    ('app.sael = "b"\n', "no key is called 'app.sael'"),
    ('app.sale = "p"\n', "'p' would be both app.promises and app.sale"),
    ('app.sale = "not a key"\n', "'not a key' is not a key"),
    ('app.sale = 5\n', "app.sale must be a key in quotes"),
    ('app.sale = "b\n', "keymap.toml is not valid TOML"),
])
async def test_a_bad_keymap_is_named_and_the_default_keys_kept(empty_shop, tmp_path, content, reason):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text(content, encoding="utf-8")
    app = make_app(empty_shop, today=DAY, keymap_file=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert screen_name(app) == "ChecklistScreen"
        notices = [n.message for n in app._notifications]
        assert any(reason in n and "using the default keys" in n for n in notices), notices
        await pilot.press("s")
        await settle(app, pilot)
        assert screen_name(app) == "SaleDialog"


async def test_starting_my_own_shop_while_the_demo_is_built_keeps_my_shop(new_shop, monkeypatch):
    import threading

    release = threading.Event()
    real = demo_module.build_demo

    def slow_build(shop, today):
        release.wait(10)
        real(shop, today, customers=40)

    monkeypatch.setattr(demo_module, "build_demo", slow_build)
    app = make_app(new_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert "Opening the demo" in str(app.screen.query_one("#welcome-status", Static).content)
        await pilot.press("enter")  # changed my mind: my own shop
        await pilot.pause()
        assert screen_name(app) == "StartShopDialog"
        release.set()
        await settle(app, pilot)
        assert screen_name(app) == "StartShopDialog" and app.demo is False and app.shop is new_shop
        assert not [n for n in app._notifications if "Could not" in n.message]


async def test_leaving_the_demo_for_a_file_that_is_not_a_shop_says_so_and_stays(demo_shop, tmp_path):
    own = tmp_path / "notes.txt"
    own.write_text("not a shop\n")
    app = make_app(demo_shop, today=DEMO_DAY, demo=True, own_path=own)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.demo and app.shop is demo_shop and band_text(app).startswith(BAND)
        assert any("Could not open your shop's file" in n.message for n in app._notifications)
    assert own.read_text() == "not a shop\n"


async def test_enter_enter_enter_in_a_burst_starts_the_shop(new_shop):
    """Keys that arrive together (a hurried owner, a paste) all reach the field focused when they
    were read; each enter must still move one field on, and the last one start the shop."""
    from textual import events

    app = make_app(new_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen_name(app) == "StartShopDialog"
        await type_text(pilot, "Chez Lulu")
        for _ in range(3):  # posted at once, as a terminal delivers a burst
            app.post_message(events.Key("enter", "\r"))
        await settle(app, pilot)
        assert screen_name(app) == "ChecklistScreen"
        assert app.title == "Chez Lulu"
