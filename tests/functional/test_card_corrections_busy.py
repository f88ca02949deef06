"""The card's corrections and personal-data writes (void, correct, refund, lift do-not-contact,
family dates) go through ui_work.save like every other write: with the shop file's write lock held
by a second connection the app stays open, says the file is busy, and the write lands once when
the lock goes. Their date fields read dates as every other form does (parse_user_date). A contact
logged from a birthday row, which also closes the row, is one write: retried, it is logged once."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pytest
from textual.widgets import OptionList

from shopkeeper import ui_work
from shopkeeper.app import make_app
from shopkeeper.services import NewCustomer, SaleInput, StoreBusy
from shopkeeper.store import writes
from shopkeeper.store.writes import CustomerFields

from .conftest import settle, type_text
from .test_faults import quick_retries, record_notices, until  # noqa: F401 - fixture
from support.db_rows import connect
from support.db_rows import hold_write_lock

DAY = date(2026, 3, 2)


def count(shop, sql: str, *args) -> int:
    with connect(shop) as conn:
        return conn.execute(sql, args).fetchone()[0]


def ann(shop) -> dict:
    """Ann: a good sale, a typo, a do-not-contact and a family date."""
    cid = shop.create_customer(NewCustomer("Ann Example", ["0611111111"]), date(2026, 1, 5))
    good = shop.log_sale(SaleInput(2500, date(2026, 2, 1), customer_id=cid), DAY)
    typo = shop.log_sale(SaleInput(1234567, date(2026, 2, 20), customer_id=cid), DAY)
    shop.log_contact(cid, "do_not_contact", date(2026, 2, 25))
    shop.add_family_date(cid, "wedding", date(1998, 6, 20))
    return {"id": cid, "good": good, "typo": typo}


async def retype(app, pilot, field: str, text: str) -> None:
    app.screen.query_one(f"#{field}").focus()
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, text)


async def void(app, pilot, shop, who):
    await pilot.press("v")
    await settle(app, pilot)
    await pilot.press("enter")  # the newest sale: the typo
    await settle(app, pilot)
    await type_text(pilot, "typed twice")
    await pilot.press("enter")
    await settle(app, pilot)
    await pilot.press("y")
    return lambda: count(shop, "SELECT count(*) FROM sale_void WHERE sale_id = ?", who["typo"])


async def correct(app, pilot, shop, who):
    await pilot.press("a")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    await retype(app, pilot, "amount", "123.45")
    await pilot.press("ctrl+s")
    return lambda: count(shop, "SELECT count(*) FROM sale WHERE id = ? AND amount_cents = 12345", who["typo"])


async def refund(app, pilot, shop, who):
    await pilot.press("R")
    await settle(app, pilot)
    await pilot.press("down", "enter")  # the older sale, 25.00
    await settle(app, pilot)
    await retype(app, pilot, "amount", "5")
    await pilot.press("enter")
    return lambda: count(shop, "SELECT count(*) FROM sale WHERE refund_of_id = ? AND amount_cents = -500", who["good"])


async def lift(app, pilot, shop, who):
    await pilot.press("L")
    await settle(app, pilot)
    await pilot.press("y")
    return lambda: count(shop, "SELECT count(*) FROM contact WHERE customer_id = ? AND outcome = 'contact_allowed'",
                         who["id"])


async def add_family_date(app, pilot, shop, who):
    await pilot.press("d")
    await settle(app, pilot)
    await type_text(pilot, "daughter")
    await pilot.press("tab")
    await type_text(pilot, "4 dec")
    await pilot.press("enter")
    return lambda: count(shop, "SELECT count(*) FROM family_date WHERE label = 'daughter' AND md = 1204")


async def remove_family_date(app, pilot, shop, who):
    await pilot.press("d")
    await settle(app, pilot)
    rows = app.screen.query_one("#dates", OptionList)
    rows.focus()
    rows.highlighted = 0
    await pilot.press("delete")
    await settle(app, pilot)
    await pilot.press("y")
    return lambda: 1 - count(shop, "SELECT count(*) FROM family_date WHERE label = 'wedding'")


@pytest.mark.parametrize("write", [void, correct, refund, lift, add_family_date, remove_family_date],
                         ids=lambda w: w.__name__)
async def test_a_card_write_waits_out_a_lock_held_elsewhere_then_lands_once(empty_shop, quick_retries, write):
    shop = empty_shop
    who = ann(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        notices = record_notices(app)
        await settle(app, pilot)
        app.open_customer(who["id"])
        await settle(app, pilot)
        holder = hold_write_lock(shop)  # an import holds the write lock
        try:
            landed = await write(app, pilot, shop, who)
            await until(pilot, lambda: app.sub_title == ui_work.BUSY_SUBTITLE, "the header says the file is busy")
            assert app.is_running and landed() == 0
        finally:
            holder.release()
        await until(pilot, lambda: landed() == 1, "the write landed")
        await settle(app, pilot)
        assert app.is_running
        assert not [n for n in notices if "not saved" in n or n.startswith("Could not")]
    assert landed() == 1  # once, not twice


async def test_correct_and_refund_read_dates_as_every_form_does(empty_shop):
    """'4 feb' and 'yesterday' are read as the sale form reads them (the shop's order, in the past)."""
    shop = empty_shop
    who = ann(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(who["id"])
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("enter")  # the typo, dated 20 Feb
        await settle(app, pilot)
        await retype(app, pilot, "date", "4 feb")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CustomerScreen"
        await pilot.press("R")
        await settle(app, pilot)
        await pilot.press("down", "enter")  # the sale of 1 Feb
        await settle(app, pilot)
        await retype(app, pilot, "amount", "5")
        await retype(app, pilot, "date", "yesterday")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CustomerScreen"
    assert count(shop, "SELECT count(*) FROM sale WHERE id = ? AND sold_on = '2026-02-04'", who["typo"]) == 1
    assert count(shop, "SELECT count(*) FROM sale WHERE refund_of_id = ? AND sold_on = '2026-03-01'", who["good"]) == 1


async def test_a_contact_that_closes_its_birthday_row_is_logged_once_when_retried(empty_shop, quick_retries,
                                                                                   monkeypatch):
    """The file gets busy between the contact and the row's closing: the whole write is tried again,
    and the contact must not be logged twice."""
    shop = empty_shop
    cid = shop.create_customer(NewCustomer("Bea Birthday", ["0622222222"]), date(2026, 1, 5))
    shop.update_customer(cid, CustomerFields(birthday=date(1980, 3, 4)))
    real, calls = writes.add_follow_up, []

    def busy_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise StoreBusy("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(writes, "add_follow_up", busy_once)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        options = app.screen.query_one("#checklist", OptionList)
        options.highlighted = next(i for i in range(options.option_count)
                                   if (options.get_option_at_index(i).id or "").startswith("birthday:"))
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("1", "enter")  # reached
        await until(pilot, lambda: count(shop, "SELECT count(*) FROM follow_up WHERE action = 'close'") == 1,
                    "the row is closed")
        await settle(app, pilot)
    assert len(calls) == 2  # the busy file was met, and the write tried again
    assert count(shop, "SELECT count(*) FROM contact WHERE customer_id = ? AND outcome = 'reached'", cid) == 1
