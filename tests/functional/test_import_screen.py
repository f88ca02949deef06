"""The import screen (issue 15): a path completed as typed, the export recognised and previewed,
problems by line, then the import with a progress bar: the same code as the command line."""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from textual.widgets import Input, ProgressBar, Static

from shopkeeper.app import make_app
from shopkeeper.screens.import_sales import ImportSalesScreen
from shopkeeper.services import Shop

from .conftest import settle, type_text
from support.db_rows import connect

DATA = Path(__file__).resolve().parent.parent / "data" / "pos"


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_import_a_shopify_export_from_the_app_with_a_progress_bar(tmp_path):
    shop = Shop.open(tmp_path / "shop.sqlite3")
    shop.start_shop("My shop", "EUR", "FR", date(2026, 3, 2))  # past the welcome screen
    shop.save_settings({"time_zone": "Europe/Paris"})
    app = make_app(shop, today=date(2026, 3, 2))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+o")
            await settle(app, pilot)
            assert isinstance(app.screen, ImportSalesScreen)
            path_input = app.screen.query_one("#import-path", Input)
            path_input.value = f"{DATA}/"
            path_input.cursor_position = len(path_input.value)
            await type_text(pilot, "shopify_or")
            await settle(app, pilot)
            await pilot.press("right")  # accepts the completion
            assert path_input.value == str(DATA / "shopify_orders.csv")

            await pilot.press("enter")
            await settle(app, pilot)
            assert shown(app, "#import-format") == "Shopify orders: 8 rows, 5 sales (1 refund); left out: 1 cancelled, 1 unpaid"
            preview = shown(app, "#import-preview").splitlines()
            assert preview[0].split() == ["2025-10-07", "74.80", "EUR", "Sophie", "Gallas", "1", "×", "Masque", "Argile",
                                          "Rose,", "1", "×", "Sérum", "Éclat"]
            assert any(line.startswith("2025-11-01") and "Jürgen Weiß" in line for line in preview)  # Paris' day
            assert shown(app, "#import-problems") == "No problems: ctrl+s imports."
            with connect(shop) as conn:
                assert conn.execute("SELECT COUNT(*) FROM sale").fetchone() == (0,)  # reading wrote nothing

            await pilot.press("ctrl+s")
            await settle(app, pilot)
            bar = app.screen.query_one("#import-progress", ProgressBar)
            assert bar.display and (bar.progress, bar.total) == (5, 5)  # the 5 sales written, as the worker told it
            assert shown(app, "#import-result") == (
                "Shopify orders: 8 rows read, added 5 sales (1 refund), added 3 customers; left out: 1 cancelled, 1 unpaid")
    finally:
        shop.close()
    with sqlite3.connect(tmp_path / "shop.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*), SUM(amount_cents) FROM sale").fetchone() == (5, 7480 + 2440 - 650 + 1200 + 4500)


async def test_problems_are_listed_by_line_and_nothing_is_imported(tmp_path):
    bad = tmp_path / "orders_export.csv"
    bad.write_text((DATA / "shopify_orders.csv").read_text(encoding="utf-8").replace(
        "2025-10-25 14:00:00 +0200", "2025-10-25 25:00:00 +0200"), encoding="utf-8")
    shop = Shop.open(tmp_path / "shop.sqlite3")
    shop.start_shop("My shop", "EUR", "FR", date(2026, 3, 2))  # past the welcome screen
    app = make_app(shop, today=date(2026, 3, 2))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+o")
            await settle(app, pilot)
            app.screen.query_one("#import-path", Input).value = str(bad)
            await pilot.press("enter")
            await settle(app, pilot)
            assert shown(app, "#import-problems").splitlines() == [
                "1 problem(s), nothing will be imported until they are fixed:",
                "line 7: time in '2025-10-25 25:00:00 +0200' does not exist"]
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not app.screen.query_one("#import-progress", ProgressBar).display
    finally:
        shop.close()
    with sqlite3.connect(tmp_path / "shop.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM sale").fetchone() == (0,)
