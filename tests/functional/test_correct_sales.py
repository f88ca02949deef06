"""Correcting sales from the card, by keys: void (reason, confirm), correct (a bad value saves
nothing and says why beside the field), refund (picked from the customer's sales)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import text
from textual.widgets import Static

from shopkeeper.app import make_app
from shopkeeper.services import NewCustomer, SaleInput

from .conftest import settle, type_text

DAY = date(2026, 3, 2)


def rows(shop, sql):
    with shop.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).all()]


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def card_text(app) -> str:
    return str(app.screen.query_one("#card-body", Static).content)


def ann_with_a_typo(shop):
    ann = shop.create_customer(NewCustomer("Ann Example", ["0611111111"]), date(2026, 1, 5))
    good = shop.log_sale(SaleInput(2500, date(2026, 2, 1), customer_id=ann), DAY)
    typo = shop.log_sale(SaleInput(1234567, date(2026, 2, 20), customer_id=ann), DAY)
    return ann, good, typo


async def test_void_a_typo_from_the_card_with_a_reason(empty_shop):
    shop = empty_shop
    ann, good, typo = ann_with_a_typo(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(ann)
        await settle(app, pilot)
        assert f"#{typo}" in card_text(app) and f"#{good}" in card_text(app)
        await pilot.press("v")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SalePickerDialog"
        await pilot.press("enter")  # the newest sale, the typo
        await settle(app, pilot)
        await pilot.press("enter")  # no reason yet: asked again
        await settle(app, pilot)
        assert app.screen.query_one("#field-reason").has_class("-invalid")
        await type_text(pilot, "typed twice")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("y")
        await settle(app, pilot)
        assert f"Sale #{typo} voided: typed twice. It stays in the history." in notices(app)
        assert "voided 02 Mar: typed twice" in card_text(app)
        assert "Spent 25.00 EUR · 1 purchase day" in str(app.screen.query_one("#card-head", Static).content)
    assert rows(shop, "SELECT id FROM sale") == [(good,)]
    assert rows(shop, "SELECT sale_id, reason FROM sale_void") == [(typo, "typed twice")]


async def test_correct_a_sale_bad_input_saves_nothing_then_the_right_amount_is_kept(empty_shop):
    shop = empty_shop
    ann, good, typo = ann_with_a_typo(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(ann)
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("enter")  # the typo
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EditSaleDialog"
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "12,34,5")
        await pilot.press("enter")
        await settle(app, pilot)
        field = app.screen.query_one("#field-amount")
        assert field.has_class("-invalid") and type(app.screen).__name__ == "EditSaleDialog"
        assert rows(shop, "SELECT COUNT(*) FROM sale_correction") == [(0,)]
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "123.45")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CustomerScreen"
        assert "edited 02 Mar (was 12,345.67 EUR)" in card_text(app)
    assert rows(shop, f"SELECT amount_cents FROM sale WHERE id = {typo}") == [(12345,)]


async def test_refund_picked_from_the_sales_says_refund_of(empty_shop):
    shop = empty_shop
    ann, good, typo = ann_with_a_typo(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(ann)
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        await pilot.press("down", "enter")  # the older sale, 25.00
        await settle(app, pilot)
        assert app.screen.query_one("#field-amount").value == "25.00"  # what is left of it
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "30")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "bigger than what is left" in str(app.screen.query_one("#field-amount .error", Static).content)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"Refund of 5.00 EUR on sale #{good} logged." in notices(app)
        assert "refunded 5.00 EUR" in card_text(app)
    assert rows(shop, "SELECT amount_cents, refund_of_id FROM sale WHERE amount_cents < 0") == [(-500, good)]


async def test_a_negative_amount_in_the_sale_form_points_to_the_refund_key(empty_shop):
    shop = empty_shop
    ann, _good, _typo = ann_with_a_typo(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(ann)
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await type_text(pilot, "-5")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "press R" in str(app.screen.query_one("#field-amount .error", Static).content)
    assert rows(shop, "SELECT COUNT(*) FROM sale WHERE amount_cents < 0") == [(0,)]
