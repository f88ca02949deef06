"""The customer picker in a hurry: Tab never lands in the matches, ↓/↑ pick without leaving the input."""
from __future__ import annotations

from sqlalchemy import select

from shopkeeper.app import make_app
from shopkeeper.store.db import reading
from shopkeeper.store.models import Customer, CustomerPhone, Sale

from .conftest import DEMO_DAY, settle, type_text


def _first_name_with_several_matches(shop) -> str:
    with reading(shop.engine) as session:
        names = [row[0] for row in session.execute(select(Customer.name).order_by(Customer.id)).all()]
    first_names = [name.split()[0] for name in names]
    return next(first for first in first_names if first_names.count(first) >= 2)


async def _sale_form_typed(app, pilot, typed: str) -> None:
    """The sale form opened from the checklist with `typed` in its customer field, matches loaded."""
    await settle(app, pilot)
    await pilot.press("s")
    await settle(app, pilot)
    await type_text(pilot, typed)
    await settle(app, pilot)


async def test_tab_from_a_new_name_with_matches_goes_to_the_phone(demo_shop):
    first = _first_name_with_several_matches(demo_shop)
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _sale_form_typed(app, pilot, f"{first} Newcomer")
        await pilot.press("tab")
        await settle(app, pilot)
        assert app.focused is not None and app.focused.id == "phone"
        await type_text(pilot, "0612345678")
        await pilot.press("tab", "tab", "tab")  # email, referred by, amount
        await settle(app, pilot)
        assert app.focused is not None and app.focused.id == "amount"
        await type_text(pilot, "12")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ != "SaleDialog"
    with reading(demo_shop.engine) as session:
        customer = session.execute(select(Customer).where(Customer.name == f"{first} Newcomer")).scalar_one()
        amounts = session.execute(select(Sale.amount_cents).where(Sale.customer_id == customer.id)).scalars().all()
        phones = session.execute(select(CustomerPhone.national).where(CustomerPhone.customer_id == customer.id)).scalars().all()
    assert phones == ["0612345678"]
    assert amounts == [1200]


async def test_tab_with_matches_open_skips_the_list(demo_shop):
    first = _first_name_with_several_matches(demo_shop)
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _sale_form_typed(app, pilot, first)
        picker = app.screen.query_one("#field-customer")
        assert picker.has_class("-open")
        await pilot.press("tab")
        await settle(app, pilot)
        assert app.focused is not None and app.focused.id == "phone"


async def test_down_down_enter_picks_the_second_match_and_typing_stays_in_the_input(demo_shop):
    first = _first_name_with_several_matches(demo_shop)
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _sale_form_typed(app, pilot, first)
        picker = app.screen.query_one("#field-customer")
        second = list(picker.rows.values())[1]
        await pilot.press("down", "down", "up", "down")
        assert app.focused is not None and app.focused.id == "customer"
        await pilot.press("enter")
        await settle(app, pilot)
        assert picker.chosen is not None and picker.chosen.id == second.id
        assert app.focused is not None and app.focused.id == "amount"
