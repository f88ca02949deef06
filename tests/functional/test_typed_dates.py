"""Dates as people type them, in every form (issue 10, item 7): the same parser behind the
promise, sale, snooze, call-list, birthday and family-date fields, each showing what it read."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from shopkeeper.app import make_app
from shopkeeper.services import NewCustomer, SaleInput
from shopkeeper.store.db import reading
from shopkeeper.store.models import Customer, FamilyDate, Sale
from shopkeeper.store.writes import CustomerFields
from textual.widgets import Input, Label, OptionList, Static

from .conftest import settle, type_text

DAY = date(2026, 3, 2)  # a Monday


async def retype(app, pilot, input_id: str, text: str) -> None:
    app.screen.query_one(f"#{input_id}", Input).focus()
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, text)
    await pilot.pause()


def label(app, field: str) -> str:
    return str(app.screen.query_one(f"#field-{field} Label", Label).content)


def card_text(app) -> str:
    return "".join(str(app.screen.query_one(s, Static).content) for s in ("#card-head", "#card-body"))


def customer(shop, name="Ann Example") -> int:
    cid = shop.create_customer(NewCustomer(name, ["0611111111"]), date(2025, 1, 1))
    shop.log_sale(SaleInput(2500, date(2025, 6, 1), customer_id=cid))
    return cid


async def test_promise_due_4_dec_and_sale_dated_3d(empty_shop):
    shop = empty_shop
    cid = customer(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(cid)
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await type_text(pilot, "Order the blue teapot")
        await pilot.press("enter")
        await retype(app, pilot, "due_on", "4 dec")
        assert "Fri 04 Dec 2026" in str(app.screen.query_one("#due-resolved", Static).content)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await type_text(pilot, "12,50")
        await retype(app, pilot, "date", "3d")
        assert "→ Fri 27 Feb" in label(app, "date")  # a sale "3d" is three days back
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert [(p.text, p.due_on) for p in shop.open_promises()] == [("Order the blue teapot", date(2026, 12, 4))]
    with reading(shop.engine) as session:
        assert session.execute(select(Sale.sold_on).where(Sale.amount_cents == 1250)).scalar_one() == date(2026, 2, 27)


async def test_snooze_in_3_days_and_call_list_bought_before_minus_3m(demo_shop):
    from .conftest import DEMO_DAY

    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        options = app.screen.query_one("#checklist", OptionList)
        first_row = next(i for i in range(options.option_count) if not options.get_option_at_index(i).disabled)
        options.highlighted = first_row
        await pilot.press("z")
        await settle(app, pilot)
        await retype(app, pilot, "until", "in 3 days")
        assert "→ Sat 28 Nov" in label(app, "until")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChecklistScreen"
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("enter")  # "bought an item": to its fields
        await type_text(pilot, "tea")
        await retype(app, pilot, "before", "-3m")  # the hint offers it: it must be accepted
        assert "→ Tue 25 Aug" in label(app, "before")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CallListScreen"
        assert app.screen.before == date(2026, 8, 25)


async def test_birthday_without_a_year_and_family_dates_added_changed_removed_on_the_card(empty_shop):
    shop = empty_shop
    cid = customer(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(cid)
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await retype(app, pilot, "birthday", "14 mar")
        assert "→ 14 Mar" in label(app, "birthday")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Birthday: 14 Mar\n" in card_text(app)  # no year, so no age
        await pilot.press("d")
        await settle(app, pilot)
        await type_text(pilot, "daughter's birthday")
        await pilot.press("tab")
        await type_text(pilot, "4/12")
        await pilot.press("enter")
        await settle(app, pilot)
        await type_text(pilot, "wedding")
        await pilot.press("tab")
        await type_text(pilot, "20 june 1998")
        await pilot.press("enter")
        await settle(app, pilot)
        rows = app.screen.query_one("#dates", OptionList)
        assert rows.option_count == 2
        rows.focus()
        rows.highlighted = 0  # the wedding (June) comes first
        await pilot.press("enter")  # change it
        await retype(app, pilot, "on", "21/06/1998")
        await pilot.press("enter")
        await settle(app, pilot)
        rows.focus()
        rows.highlighted = 1
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        text = card_text(app)
        assert "Wedding: 21 Jun 1998" in text and "Daughter" not in text
    with reading(shop.engine) as session:
        row = session.execute(select(Customer).where(Customer.id == cid)).scalar_one()
        assert (row.birthday, row.birthday_md) == (None, 314)
        assert [(f.label, f.on, f.md) for f in session.execute(select(FamilyDate)).scalars()] == \
            [("wedding", date(1998, 6, 21), 621)]
    assert [b.label for b in shop.checklist(date(2026, 3, 10)).birthdays] == ["birthday"]  # listed without a year


async def test_month_first_shops_read_04_12_as_april(empty_shop):
    shop = empty_shop
    shop.save_settings({"date_order": "mdy"})
    cid = customer(shop)
    shop.update_customer(cid, CustomerFields(birthday=date(1980, 3, 14)))
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(cid)
        await settle(app, pilot)
        assert "Birthday: 14 Mar 1980 (age 45)" in card_text(app)
        await pilot.press("p")
        await settle(app, pilot)
        await type_text(pilot, "Call")
        await pilot.press("enter")
        await retype(app, pilot, "due_on", "04/12")
        assert "Sun 12 Apr 2026" in str(app.screen.query_one("#due-resolved", Static).content)
