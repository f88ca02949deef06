"""Promises list and dialog, the paged customer list, and the settings form: driven by keys,
checked on screen and in the database."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from textual.widgets import Input, OptionList, Static

from shopkeeper.app import make_app
from shopkeeper.dialogs.confirm import ConfirmDialog
from shopkeeper.dialogs.promise import PromiseDialog
from shopkeeper.screens.customers import CustomersScreen
from shopkeeper.screens.promises import PromisesScreen
from shopkeeper.screens.settings import SettingsScreen
from shopkeeper.services import NewCustomer, SaleInput, Shop
from shopkeeper.store.db import reading
from shopkeeper.store.models import Customer

from .conftest import settle, type_text

TODAY = date(2026, 11, 25)  # a Wednesday


def texts(app, selector: str) -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def option_ids(app, selector: str) -> list[str | None]:
    options = app.screen.query_one(selector, OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def field_error(app, name: str) -> str | None:
    """The message shown next to a form field, or None when the field is not marked invalid."""
    field = app.screen.query_one(f"#field-{name}")
    return str(field.query_one(".error", Static).content) if field.has_class("-invalid") else None


async def replace_text(pilot, text: str) -> None:
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, text)


async def open_promises(app, pilot) -> PromisesScreen:
    await settle(app, pilot)
    await pilot.press("p")
    await settle(app, pilot)
    assert isinstance(app.screen, PromisesScreen)
    return app.screen


async def start_promise_to(app, pilot, who: str) -> None:
    """From the promises list: n, type part of a name, pick the first match with ↓ enter."""
    await pilot.press("n")
    await settle(app, pilot)
    assert isinstance(app.screen, PromiseDialog)
    await type_text(pilot, who)
    await settle(app, pilot)
    await pilot.press("down", "enter")
    await settle(app, pilot)


# promises ---------------------------------------------------------------------------------------
async def test_promise_made_in_the_dialog_appears_in_the_list_and_the_database(demo_shop):
    shop = demo_shop
    zoe = shop.create_customer(NewCustomer("Zoé Zanzibar", ["06 99 88 77 66"]), TODAY)
    before = len(shop.open_promises())
    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_promises(app, pilot)
        assert shown(app, "#summary").startswith(f"{before} open")

        await pilot.press("n")
        await settle(app, pilot)
        await type_text(pilot, "zanzi")
        await settle(app, pilot)
        matches = texts(app, "#field-customer OptionList")
        assert len(matches) == 1 and "Zoé Zanzibar" in matches[0] and "06 99 88 77 66" in matches[0]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert "✓ Zoé Zanzibar" in shown(app, "#field-customer .chosen")
        assert app.focused.id == "text"

        await type_text(pilot, "Hold the green teapot")
        await pilot.press("enter")
        assert app.focused.id == "due_on"
        assert app.focused.value == "+7d"
        assert "Wed 02 Dec 2026" in shown(app, "#due-resolved")
        await replace_text(pilot, "fri")
        assert "Fri 27 Nov 2026" in shown(app, "#due-resolved")
        await pilot.press("enter")
        await settle(app, pilot)

        assert isinstance(app.screen, PromisesScreen)
        rows = texts(app, "#promises")
        mine = [row for row in rows if "Zoé Zanzibar" in row]
        assert len(mine) == 1 and "Hold the green teapot" in mine[0] and "Fri 27 Nov" in mine[0]
        assert "Zoé Zanzibar" in str(app.screen.query_one(OptionList).highlighted_option.prompt)
        assert shown(app, "#summary").startswith(f"{before + 1} open")

    made = [p for p in shop.open_promises() if p.customer_id == zoe]
    assert [(p.text, p.due_on, p.made_on) for p in made] == [("Hold the green teapot", date(2026, 11, 27), TODAY)]


async def test_impossible_or_past_due_date_is_refused_next_to_the_field_and_nothing_saved(demo_shop):
    shop = demo_shop
    shop.create_customer(NewCustomer("Zoé Zanzibar", ["06 99 88 77 66"]), TODAY)
    before = shop.open_promises()
    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_promises(app, pilot)
        await start_promise_to(app, pilot, "zanzi")
        await type_text(pilot, "Bring the catalogue")
        await pilot.press("enter")
        await replace_text(pilot, "2025-02-30")
        assert "?" in shown(app, "#due-resolved")
        await pilot.press("enter")
        await settle(app, pilot)

        assert isinstance(app.screen, PromiseDialog)  # still open, nothing saved
        error = field_error(app, "due_on")
        assert error is not None and "2025-02-30" in error and "does not exist" in error
        assert field_error(app, "text") is None and field_error(app, "customer") is None
        assert app.focused.id == "due_on"

        await replace_text(pilot, "2026-11-20")  # a real day, but already gone
        assert "(past)" in shown(app, "#due-resolved")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PromiseDialog)
        assert "in the past" in (field_error(app, "due_on") or "")

        await pilot.press("escape")  # the form was changed: it asks before dropping what was typed
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog) and "Discard your changes?" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, PromisesScreen)
        assert not any("Bring the catalogue" in row for row in texts(app, "#promises"))
    assert shop.open_promises() == before


async def test_promise_without_a_customer_or_text_is_refused_next_to_each_field(demo_shop):
    shop = demo_shop
    before = shop.open_promises()
    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_promises(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "to whom" in (field_error(app, "customer") or "")
        assert app.focused.id == "customer"

        await type_text(pilot, "zzzz-nobody")  # someone not on file: a new customer, not an error
        await settle(app, pilot)
        assert texts(app, "#field-customer OptionList") == []
        await pilot.press("enter")
        await settle(app, pilot)
        assert field_error(app, "customer") is None
        assert "New customer “zzzz-nobody” will be created" in shown(app, "#customer-mode")
        assert app.focused.id == "phone"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "say what was promised" in (field_error(app, "text") or "")
    assert shop.open_promises() == before


async def test_a_promise_typed_into_the_new_customers_phone_is_refused_there_and_nothing_saved(demo_shop):
    """A hurried owner types name ⏎ promise ⏎ …: the promise lands in the phone field that appeared
    for the new customer. Both problems show beside their fields, and nobody is created."""
    shop = demo_shop
    before, customers = shop.open_promises(), shop.count_customers()
    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_promises(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await type_text(pilot, "zzzz-nobody")
        await settle(app, pilot)
        await pilot.press("enter")
        await type_text(pilot, "order the red scarf")
        await pilot.press("enter", "enter", "enter")  # on to the text, the due day, then save
        await settle(app, pilot)
        assert isinstance(app.screen, PromiseDialog)
        assert "has no digits" in (field_error(app, "phone") or "")
        assert "say what was promised" in (field_error(app, "text") or "")
    assert shop.open_promises() == before and shop.count_customers() == customers


async def test_kept_missed_and_cancel_close_the_promise_in_the_database_and_the_row_leaves(demo_shop):
    shop = demo_shop
    first, second, third = shop.open_promises()[:3]
    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_promises(app, pilot)
        count = len(texts(app, "#promises"))
        # the list is soonest first, and the earliest (overdue) promise is highlighted
        assert screen.selected().id == first.id
        top = texts(app, "#promises")[0]
        assert first.customer_name in top and "d late" in top

        await pilot.press("k")
        await settle(app, pilot)
        assert f"p:{first.id}" not in option_ids(app, "#promises")
        assert len(texts(app, "#promises")) == count - 1
        assert screen.selected().id == second.id

        await pilot.press("m")
        await settle(app, pilot)
        assert screen.selected().id == third.id

        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # changed my mind: nothing happens
        await settle(app, pilot)
        assert shop.promise(third.id).status == "open"
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert len(texts(app, "#promises")) == count - 3
        assert shown(app, "#summary").startswith(f"{count - 3} open")

        opened: list[int] = []
        app.open_customer = opened.append  # the card screen is another piece; check the call only
        await pilot.press("enter")
        assert opened == [screen.selected().customer_id]

    assert (shop.promise(first.id).status, shop.promise(first.id).closed_on) == ("kept", TODAY)
    assert (shop.promise(second.id).status, shop.promise(second.id).closed_on) == ("missed", TODAY)
    assert shop.promise(third.id).status == "cancelled"
    assert {p.id for p in shop.open_promises()}.isdisjoint({first.id, second.id, third.id})


# customers ----------------------------------------------------------------------------------------
def by_spend(shop: Shop) -> list[tuple[int, str]]:
    """Every customer, top spender first, straight from the table (not through the screen's query)."""
    with reading(shop.engine) as session:
        rows = session.execute(select(Customer.id, Customer.name, Customer.total_spend_cents)).all()
    return [(r.id, r.name) for r in sorted(rows, key=lambda r: (-r.total_spend_cents, r.id))]


async def test_customers_sorted_by_spend_show_the_top_spender_first_and_page_by_100(demo_shop):
    shop = demo_shop
    # make one customer the clear top spender
    whale = shop.create_customer(NewCustomer("Walter Whale"), TODAY)
    shop.log_sale(SaleInput(999_999, TODAY, customer_id=whale))
    ranked = by_spend(shop)
    total = len(ranked)
    assert ranked[0] == (whale, "Walter Whale") and total == 321

    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomersScreen)
        assert shown(app, "#summary").startswith(f"customers 1–100 of {total} · sorted by name")
        assert len(texts(app, "#customers")) == 100

        await pilot.press("3")
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 1–100 of {total} · sorted by spend")
        rows = texts(app, "#customers")
        assert rows[0].startswith("Walter Whale") and "9,999.99 EUR" in rows[0]
        assert [r.split("  ")[0] for r in rows[:5]] == [name for _, name in ranked[:5]]

        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 101–200 of {total} · sorted by spend")
        rows = texts(app, "#customers")
        assert len(rows) == 100 and rows[0].startswith(ranked[100][1]) and rows[-1].startswith(ranked[199][1])

        # ↓ past the last row of a page lands on the first row of the next one
        await pilot.press("end", "down")
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 201–300 of {total}")
        assert app.screen.selected().id == ranked[200][0]
        await pilot.press("pagedown")  # inside a page, pagedown moves a screenful
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 201–300 of {total}")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 301–321 of {total}")
        assert len(texts(app, "#customers")) == 21
        await pilot.press("right_square_bracket")  # no page after the last
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 301–321 of {total}")

        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 201–300 of {total}")
        await pilot.press("home", "up")  # ↑ past the first row goes back a page, onto its last row
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 101–200 of {total}")
        assert app.screen.selected().id == ranked[199][0]

        await pilot.press("1")  # a new order starts again at the top
        await settle(app, pilot)
        assert shown(app, "#summary").startswith(f"customers 1–100 of {total} · sorted by name")

        opened: list[int] = []
        app.open_customer = opened.append
        await pilot.press("enter")
        assert opened == [app.screen.selected().id]


# settings -----------------------------------------------------------------------------------------
async def open_settings(app, pilot) -> SettingsScreen:
    await settle(app, pilot)
    await pilot.press("comma")
    await settle(app, pilot)
    assert isinstance(app.screen, SettingsScreen)
    return app.screen


async def test_settings_window_ending_before_it_starts_is_refused_next_to_the_field(demo_shop):
    shop = demo_shop
    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        app.screen.query_one("#second_sale_after_days", Input).focus()
        await replace_text(pilot, "30")
        await pilot.press("enter")  # moves on to the next field
        assert app.focused.id == "second_sale_give_up_days"
        await replace_text(pilot, "20")
        await pilot.press("ctrl+s")  # saves from any field
        await settle(app, pilot)

        assert isinstance(app.screen, SettingsScreen)
        assert "must not be before" in (field_error(app, "second_sale_give_up_days") or "")
        assert field_error(app, "second_sale_after_days") is None
        assert app.focused.id == "second_sale_give_up_days"

        await pilot.press("escape")  # unsaved changes: ask first
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert not isinstance(app.screen, (SettingsScreen, ConfirmDialog))

    reopened = Shop.open(shop.location)
    try:
        assert (reopened.settings.second_sale_after_days, reopened.settings.second_sale_give_up_days) == (14, 90)
    finally:
        reopened.close()


async def test_settings_saved_persist_and_rename_the_shop(demo_shop):
    shop = demo_shop
    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        assert app.focused.id == "shop_name"
        await replace_text(pilot, "Green Leaf Tea")
        await pilot.press("enter")
        await replace_text(pilot, "usd")
        screen.query_one("#second_sale_after_days", Input).focus()
        await replace_text(pilot, "10")
        await pilot.press("enter")
        await replace_text(pilot, "60")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert not any(field_error(app, name) for name in ("shop_name", "currency", "second_sale_give_up_days"))
        assert app.title == "Green Leaf Tea"
        assert screen.query_one("#currency", Input).value == "USD"  # shown as stored
        await pilot.press("escape")  # saved: leaves without asking
        await settle(app, pilot)
        assert not isinstance(app.screen, (SettingsScreen, ConfirmDialog))

    reopened = Shop.open(shop.location)
    try:
        s = reopened.settings
        assert (s.shop_name, s.currency, s.second_sale_after_days, s.second_sale_give_up_days) == ("Green Leaf Tea", "USD", 10, 60)
    finally:
        reopened.close()


async def test_bad_setting_value_is_shown_next_to_its_own_field(demo_shop):
    shop = demo_shop
    app = make_app(shop, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        screen.query_one("#phone_region", Input).focus()
        await replace_text(pilot, "ZZ")
        screen.query_one("#snooze_days", Input).focus()
        await replace_text(pilot, "0")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "phone region" in (field_error(app, "phone_region") or "")
    reopened = Shop.open(shop.location)
    try:
        assert (reopened.settings.phone_region, reopened.settings.snooze_days) == ("FR", 3)
    finally:
        reopened.close()
