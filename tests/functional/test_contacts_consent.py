"""Contacts that keep what was typed, and consent on the card and in call lists (issue 10,
items 5 and 6), driven by keys at 80×24 and checked on screen and in the database."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from shopkeeper.app import make_app
from shopkeeper.services import NewCustomer, SaleInput
from shopkeeper.store.db import reading
from shopkeeper.store.models import Contact
from shopkeeper.store.writes import CustomerFields
from textual.widgets import OptionList, Static

from .conftest import settle, type_text

DAY = date(2026, 3, 2)


def contacts(shop, cid) -> list[tuple]:
    with reading(shop.engine) as session:
        rows = session.execute(select(Contact).where(Contact.customer_id == cid).order_by(Contact.id)).scalars()
        return [(c.outcome, c.channel, c.note, c.purpose) for c in rows]


def row_text(app, key: str) -> str:
    options = app.screen.query_one("#checklist", OptionList)
    return str(options.get_option_at_index(options.get_option_index(key)).prompt)


def due_buyer(shop, name="Nina Rappel", channel="sms") -> int:
    cid = shop.create_customer(NewCustomer(name, ["06 12 12 12 12"]), DAY - timedelta(days=20))
    shop.log_sale(SaleInput(4000, DAY - timedelta(days=20), customer_id=cid))
    shop.update_customer(cid, CustomerFields(preferred_channel=channel))
    return cid


async def open_contact_on(app, pilot, cid) -> None:
    await settle(app, pilot)
    options = app.screen.query_one("#checklist", OptionList)
    options.highlighted = options.get_option_index(f"second_sale:{cid}")
    await pilot.press("c")
    await settle(app, pilot)


async def test_c_3_tab_note_enter_saves_the_note_and_the_row_stays_with_its_try(empty_shop):
    shop = empty_shop
    cid = due_buyer(shop)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact_on(app, pilot, cid)
        done_before = shop.checklist(DAY).done_today
        await pilot.press("3", "tab")  # "left a message", then to the note
        await type_text(pilot, "call back at 5, room 12")  # digits go into the note
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChecklistScreen"
        assert contacts(shop, cid) == [("left_message", "sms", "call back at 5, room 12", "second_sale")]
        assert f"tried 1× · left msg {DAY:%a}" in row_text(app, f"second_sale:{cid}")  # still listed, fits 80 columns
        detail = str(app.screen.query_one("#detail", Static).content)
        assert f"Tried 1× · left message {DAY:%a}." in detail
        assert f"{done_before} done" in str(app.screen.query_one("#summary", Static).content)


async def test_text_typed_before_the_outcome_is_kept_and_channel_and_outcome_change_by_keys(empty_shop):
    shop = empty_shop
    cid = due_buyer(shop, channel="")
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact_on(app, pilot, cid)
        await pilot.press("right", "right")  # phone → SMS → email
        await type_text(pilot, "Wants 2 cups")  # starts the note from the outcome list
        await pilot.press("down", "down", "down")  # outcome from inside the note: 4 bought again
        await pilot.press("enter")
        await settle(app, pilot)
        assert contacts(shop, cid) == [("bought", "email", "Wants 2 cups", "second_sale")]
        options = app.screen.query_one("#checklist", OptionList)
        assert all(options.get_option_at_index(i).id != f"second_sale:{cid}" for i in range(options.option_count))


async def test_enter_saves_from_the_channel_row_too(empty_shop):
    shop = empty_shop
    cid = due_buyer(shop, channel="visit")
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contact_on(app, pilot, cid)
        await pilot.press("1", "tab", "tab")  # reached; note; channel row
        await pilot.press("p", "enter")
        await settle(app, pilot)
    assert contacts(shop, cid) == [("reached", "phone", "", "second_sale")]


async def test_the_card_shows_do_not_contact_and_l_lifts_it_after_asking(empty_shop):
    shop = empty_shop
    cid = due_buyer(shop, "Dora Discrete")
    shop.log_contact(cid, "do_not_contact", DAY - timedelta(days=1))
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert not any(f"second_sale:{cid}" == app.screen.query_one("#checklist", OptionList).get_option_at_index(i).id
                       for i in range(app.screen.query_one("#checklist", OptionList).option_count))
        app.open_customer(cid)
        await settle(app, pilot)
        assert "DO NOT CONTACT since" in str(app.screen.query_one("#card-head", Static).content)
        await pilot.press("L")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("y")
        await settle(app, pilot)
        assert "DO NOT CONTACT" not in str(app.screen.query_one("#card-head", Static).content)
    assert shop.card(cid, DAY).do_not_contact_since is None
    assert cid in [item.customer_id for item in shop.checklist(DAY).second_sale]


async def test_call_list_shows_consent_asks_for_everyone_and_remembers_who_was_called(demo_shop):
    from .conftest import DEMO_DAY

    consenting = {row.id for row in demo_shop.call_list("lapsed", DEMO_DAY)}
    everyone = {row.id for row in demo_shop.call_list("lapsed", DEMO_DAY, consent_only=False)}
    assert consenting < everyone
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        app.screen.query_one("#consent_only").value = False  # "only customers who agreed": off
        await pilot.press("down", "enter")
        await settle(app, pilot)
        options = app.screen.query_one("#call-list", OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(rows) == len(everyone)
        assert any("no consent" in row for row in rows) and any("✓ consent" in row for row in rows)
        first = int(options.get_option_at_index(0).id)
        await pilot.press("c", "2", "enter")  # no answer: called from this list today
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        app.screen.query_one("#consent_only").value = False
        await pilot.press("down", "enter")  # the same list, rebuilt
        await settle(app, pilot)
        options = app.screen.query_one("#call-list", OptionList)
        ids = {int(options.get_option_at_index(i).id) for i in range(options.option_count)}
        assert first not in ids and len(ids) == len(everyone) - 1
        assert "· 1 done" in str(app.screen.query_one("#summary", Static).content)
