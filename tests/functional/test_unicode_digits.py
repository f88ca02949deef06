"""Digits other than 0-9 in a number field ("²", "٣", "１") get a message beside the field, never a
crash: "²".isdigit() is true and int("²") raises, which used to exit the app from the settings, sale,
call-list and feedback forms."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from shopkeeper.app import make_app
from shopkeeper.store.db import reading
from shopkeeper.store.models import Customer, Feedback, Sale

from .conftest import settle

DAY = date(2026, 3, 2)
ODD_DIGITS = ["²", "٣", "１"]


def field_error(app, name: str) -> str | None:
    field = app.screen.query_one(f"#field-{name}")
    return str(field.query_one(".error", Static).content) if field.has_class("-invalid") else None


@pytest.mark.parametrize("digit", ODD_DIGITS)
async def test_settings_refuse_odd_digits_beside_the_field(empty_shop, digit):
    app = make_app(empty_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("comma")
        await settle(app, pilot)
        app.screen.query_one("#snooze_days", Input).value = digit
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and type(app.screen).__name__ == "SettingsScreen"
        assert "0-9" in (field_error(app, "snooze_days") or "")
    assert empty_shop.reload_settings().snooze_days == 3


@pytest.mark.parametrize("field,value", [("items", "²"), ("items", "٣"), ("items", "² x tea"), ("amount", "٣"), ("amount", "１2.50")])
async def test_the_sale_dialog_refuses_odd_digits_and_saves_nothing(empty_shop, field, value):
    app = make_app(empty_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        app.screen.query_one("#customer", Input).value = "New Person"
        app.screen.query_one("#amount", Input).value = "12.50"
        app.screen.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and type(app.screen).__name__ == "SaleDialog"
        assert field_error(app, field)
    with reading(empty_shop.engine) as session:
        assert session.execute(select(Sale.id)).all() == [] and session.execute(select(Customer.id)).all() == []


@pytest.mark.parametrize("digit", ODD_DIGITS)
async def test_the_call_list_dialog_refuses_odd_digits(empty_shop, digit):
    from shopkeeper.dialogs.call_list import CallListDialog

    app = make_app(empty_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        results = []
        app.push_screen(CallListDialog(), results.append)
        await settle(app, pilot)
        app.screen.query_one("#kind").highlighted = 3  # top 20% not seen for a while
        app.screen.query_one("#days", Input).value = "9" + digit
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and type(app.screen).__name__ == "CallListDialog" and results == []
        assert "0-9" in (field_error(app, "days") or "")


@pytest.mark.parametrize("digit", ODD_DIGITS)
async def test_the_feedback_dialog_refuses_odd_digits(empty_shop, digit):
    from shopkeeper.dialogs.feedback import FeedbackDialog
    from shopkeeper.services import NewCustomer

    customer = empty_shop.create_customer(NewCustomer("Ann"), DAY)
    app = make_app(empty_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(FeedbackDialog(customer, "Ann"))
        await settle(app, pilot)
        app.screen.query_one("#score", Input).value = digit
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.is_running and type(app.screen).__name__ == "FeedbackDialog"
        assert "0-9" in (field_error(app, "score") or "")
    with reading(empty_shop.engine) as session:
        assert session.execute(select(Feedback.id)).all() == []
