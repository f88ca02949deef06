"""The shop's time zone (issue 15: a sale's day is its day there) is set in the settings form."""
from __future__ import annotations

from datetime import date

from textual.widgets import Input

from shopkeeper.app import make_app
from shopkeeper.services import Shop

from .conftest import settle
from .test_promises_customers_settings import field_error, open_settings, replace_text


async def test_time_zone_is_checked_beside_its_field_then_saved(demo_shop):
    app = make_app(demo_shop, today=date(2026, 11, 25))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        assert screen.query_one("#time_zone", Input).value == ""  # the computer's
        screen.query_one("#time_zone", Input).focus()
        await replace_text(pilot, "Paris")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "like Europe/Paris" in (field_error(app, "time_zone") or "")
        await replace_text(pilot, "Europe/Paris")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert field_error(app, "time_zone") is None
    reopened = Shop.open(demo_shop.location)
    try:
        assert reopened.settings.time_zone == "Europe/Paris"
    finally:
        reopened.close()
