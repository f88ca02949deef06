"""Hostile text in the forms: markup shows literally, bad amounts are refused, nothing half-saved."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from textual.widgets import Static

from shopkeeper.app import make_app
from shopkeeper.store.db import reading
from shopkeeper.store.models import Customer, Sale

from .conftest import settle, type_text

DAY = date(2026, 3, 2)


async def test_markup_in_a_name_is_shown_literally(empty_shop):
    app = make_app(empty_shop, today=DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await type_text(pilot, "[red]Boss[/] مرحبا")
        await settle(app, pilot)
        app.screen.query_one("#amount").focus()
        await type_text(pilot, "9.99")
        await pilot.press("enter")
        await settle(app, pilot)
        with reading(empty_shop.engine) as session:
            customer = session.execute(select(Customer)).scalar_one()
        assert customer.name == "[red]Boss[/] مرحبا"
        app.open_customer(customer.id)
        await settle(app, pilot)
        assert str(app.screen.query_one("#card-head", Static).content).startswith("[red]Boss[/] مرحبا")


@pytest.mark.parametrize("amount", ["1e309", "NaN", "-0", "12.345", "€", "1" * 40])
async def test_bad_amounts_are_refused_and_nothing_saved(empty_shop, amount):
    app = make_app(empty_shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await type_text(pilot, "New Person")
        app.screen.query_one("#amount").focus()
        await type_text(pilot, amount)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SaleDialog"
        assert app.screen.query_one("#field-amount").has_class("-invalid")
    with reading(empty_shop.engine) as session:
        assert session.execute(select(Sale.id)).all() == [] and session.execute(select(Customer.id)).all() == []
