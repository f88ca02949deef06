"""Issue 14 in the app: the enquiries screen and dialog, enquiries and big orders on the checklist,
the sale form's cost, the margin and ideal-shape settings, and the Insights Profit tab; driven by
keys at 80×24, checked on screen and in the database."""
from __future__ import annotations

import io
from datetime import timedelta

from rich.console import Console
from sqlalchemy import select
from textual.widgets import Input, OptionList, Static, TabbedContent

from shopkeeper.app import make_app
from shopkeeper.services import NewCustomer, SaleInput, Shop
from shopkeeper.store.models import Enquiry, Sale

from .conftest import DEMO_DAY, settle, type_text


def rows(app, selector: str) -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def field_error(app, name: str) -> str | None:
    field = app.screen.query_one(f"#field-{name}")
    return str(field.query_one(".error", Static).content) if field.has_class("-invalid") else None


def rendered(widget: Static) -> str:
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def enquiries_in_db(shop) -> list[tuple]:
    with shop.reading() as session:
        return [tuple(r) for r in session.execute(select(Enquiry.customer_id, Enquiry.name, Enquiry.phone, Enquiry.what,
                                                         Enquiry.channel, Enquiry.asked_on, Enquiry.answered_on)
                                                  .order_by(Enquiry.id)).all()]


async def test_an_enquiry_logged_on_the_enquiries_screen_is_saved_then_answered_and_undone(empty_shop):
    shop = empty_shop
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EnquiriesScreen"
        await pilot.press("n")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EnquiryDialog"
        await type_text(pilot, "Bob Passer")
        await pilot.press("enter")
        assert app.focused.id == "phone"
        await type_text(pilot, "0622334455")
        await pilot.press("enter")
        await type_text(pilot, "Is the blue teapot back?")
        await pilot.press("enter")
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "fax")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "channel must be one of" in (field_error(app, "channel") or "")
        assert enquiries_in_db(shop) == []  # refused: nothing saved
        app.screen.query_one("#channel", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "sms")
        await pilot.press("enter")  # on to the date: "today"
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EnquiriesScreen"
        shown = rows(app, "#enquiries")
        assert len(shown) == 1 and "Bob Passer" in shown[0] and "sms: Is the blue teapot" in shown[0]
        assert enquiries_in_db(shop) == [(None, "Bob Passer", "0622334455", "Is the blue teapot back?", "sms", DEMO_DAY,
                                          None)]
        await pilot.press("a")
        await settle(app, pilot)
        assert "answered" in rows(app, "#enquiries")[0]
        assert enquiries_in_db(shop)[0][-1] == DEMO_DAY
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert enquiries_in_db(shop)[0][-1] is None


async def test_an_enquiry_on_the_checklist_is_answered_with_x(empty_shop):
    shop = empty_shop
    ann = shop.create_customer(NewCustomer("Ann Asker", ["06 12 12 12 12"]), DEMO_DAY - timedelta(days=30))
    shop.add_enquiry("Do you deliver?", DEMO_DAY - timedelta(days=2), DEMO_DAY, customer_id=ann)
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = rows(app, "#checklist")
        assert any(r.startswith("Enquiries to answer (1)") for r in shown)
        assert any("Ann Asker" in r and "phone: Do you deliver?" in r and "2 d" in r for r in shown)
        assert "1 enquiries" in str(app.screen.query_one("#summary", Static).content)
        await pilot.press("x")
        await settle(app, pilot)
        assert not any("Do you deliver?" in r for r in rows(app, "#checklist"))
    assert enquiries_in_db(shop)[0][-1] == DEMO_DAY


async def test_a_big_order_shows_on_the_next_days_checklist(empty_shop):
    shop = empty_shop
    rita = shop.create_customer(NewCustomer("Rita Regular", ["06 11 22 33 44"]), DEMO_DAY - timedelta(days=90))
    for days, cents in ((60, 1000), (50, 3000), (40, 2000), (1, 6000)):
        shop.log_sale(SaleInput(cents, DEMO_DAY - timedelta(days=days), customer_id=rita), DEMO_DAY)
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = rows(app, "#checklist")
        assert any(r.startswith("Thank for a big order (1)") for r in shown)
        assert any("Rita Regular" in r and "3× usual" in r for r in shown)


async def test_a_cost_typed_on_the_sale_form_is_saved_and_a_bad_one_is_refused_beside_it(empty_shop):
    shop = empty_shop
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        app.screen.query_one("#amount", Input).focus()
        await type_text(pilot, "50")
        app.screen.query_one("#cost", Input).focus()
        await type_text(pilot, "-3")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "below zero" in (field_error(app, "cost") or "")
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "20.50")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ != "SaleDialog"
    with shop.reading() as session:
        assert session.execute(select(Sale.amount_cents, Sale.cost_cents)).all() == [(5000, 2050)]


async def test_an_ideal_shape_not_adding_up_to_100_is_refused_beside_its_field(empty_shop):
    shop = empty_shop
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("comma")
        await settle(app, pilot)
        app.screen.query_one("#ideal_shape", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "30/30/30")
        app.screen.query_one("#margin_percent", Input).focus()
        await type_text(pilot, "40")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "adds up to 90, not 100" in (field_error(app, "ideal_shape") or "")
        assert app.focused.id == "ideal_shape"
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "40/40/20")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert field_error(app, "ideal_shape") is None
    reopened = Shop.open(shop.location)
    try:
        assert (reopened.settings.ideal_shape, reopened.settings.margin) == ("40/40/20", 40)
    finally:
        reopened.close()


async def test_the_insights_profit_tab_shows_profit_revenue_by_level_and_the_returning_share(empty_shop):
    shop = empty_shop
    shop.save_settings({"margin_percent": "50"})
    ann = shop.create_customer(NewCustomer("Ann"), DEMO_DAY - timedelta(days=40))
    shop.log_sale(SaleInput(10000, DEMO_DAY - timedelta(days=40), customer_id=ann, cost_cents=7000), DEMO_DAY)
    shop.log_sale(SaleInput(4000, DEMO_DAY - timedelta(days=3), customer_id=ann), DEMO_DAY)
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        overview = rendered(app.screen.query_one("#insights-overview", Static))
        assert "against your ideal 20/30/50" in overview
        app.screen.query_one(TabbedContent).active = "profit"
        await settle(app, pilot)
        profit = rendered(app.screen.query_one("#insights-profit", Static))
        assert "Profit so far: 50.00 EUR (from sale costs, 50% margin where none)." in profit
        assert "L2 repeat" in profit and "140.00 EUR" in profit
        assert "Revenue from returning customers, by month" in profit
