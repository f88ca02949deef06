"""The user journeys of the app, driven by keys through Pilot, checked on screen and in the database."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from shopkeeper.app import make_app
from shopkeeper.services import NewCustomer, SaleInput
from shopkeeper.store.db import reading
from shopkeeper.store.models import Contact, Customer, Promise, Referral, Sale
from textual import events
from textual.widgets import Input, OptionList, Static

from .conftest import settle, type_text

DAY = date(2026, 3, 2)


def option_texts(app, selector: str = "OptionList") -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def count(shop, model) -> int:
    with reading(shop.engine) as session:
        return len(session.execute(select(model.id)).all())


async def focus_field(app, pilot, field_id: str) -> None:
    """Tab through the form like a person until the field has focus."""
    for _ in range(15):
        if app.focused is not None and app.focused.id == field_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"never reached {field_id}, focus on {app.focused}")


async def test_new_referred_customer_is_called_14_days_later_and_bought_closes_it(empty_shop):
    shop = empty_shop
    marie = shop.create_customer(NewCustomer("Marie Curie", ["06 11 22 33 44"]), DAY - timedelta(days=200))
    shop.log_sale(SaleInput(3000, DAY - timedelta(days=200), customer_id=marie))

    app = make_app(shop, today=DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await type_text(pilot, "Paul Neuf")
        await settle(app, pilot)
        assert "New customer “Paul Neuf” will be created" in str(app.screen.query_one("#customer-mode", Static).content)
        await focus_field(app, pilot, "phone")
        await type_text(pilot, "07 55 44 33 22")
        await focus_field(app, pilot, "referred_by")
        await type_text(pilot, "Marie")
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        await focus_field(app, pilot, "amount")
        await type_text(pilot, "45,50")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChecklistScreen"

    with reading(shop.engine) as session:
        paul = session.execute(select(Customer).where(Customer.name == "Paul Neuf")).scalar_one()
        assert session.execute(select(Sale.amount_cents).where(Sale.customer_id == paul.id)).scalars().all() == [4550]
        referral = session.execute(select(Referral).where(Referral.referee_id == paul.id)).scalar_one()
        assert referral.referrer_id == marie
    paul_id = paul.id

    later = DAY + timedelta(days=14)
    app = make_app(shop, today=later)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        texts = option_texts(app, "#checklist")
        assert any("Paul Neuf" in t and "45.50" in t for t in texts)
        assert any("Marie Curie" in t and "referred Paul Neuf" in t for t in texts)
        options = app.screen.query_one("#checklist", OptionList)
        options.highlighted = options.get_option_index(f"second_sale:{paul_id}")
        await settle(app, pilot)
        assert "referred by Marie Curie" in str(app.screen.query_one("#detail", Static).content)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("4")  # "bought again"
        await type_text(pilot, "came back for the teapot")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not any("Paul Neuf" in t and "45.50" in t for t in option_texts(app, "#checklist"))

    with reading(shop.engine) as session:
        contact = session.execute(select(Contact).where(Contact.customer_id == paul_id)).scalar_one()
        assert (contact.outcome, contact.purpose, contact.note) == ("bought", "second_sale", "came back for the teapot")
    assert all(item.customer_id != paul_id for item in shop.checklist(later).second_sale)


async def _lookup_opens(app, pilot, typed: str) -> str:
    await pilot.press("slash")
    await settle(app, pilot)
    await type_text(pilot, typed)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert type(app.screen).__name__ == "CustomerScreen"
    head = str(app.screen.query_one("#card-head", Static).content)
    await pilot.press("escape")
    await settle(app, pilot)
    return head


async def test_phone_lookup_by_last_four_and_other_format_opens_the_right_card(empty_shop):
    shop = empty_shop
    shop.create_customer(NewCustomer("Zoé Lambert", ["06 28 23 04 55"]), DAY)
    shop.create_customer(NewCustomer("Hugo Lambert", ["06 28 23 99 99"]), DAY)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert (await _lookup_opens(app, pilot, "0455")).startswith("Zoé Lambert")
        assert (await _lookup_opens(app, pilot, "+33 6 28 23 04 55")).startswith("Zoé Lambert")
        assert (await _lookup_opens(app, pilot, "0628239999")).startswith("Hugo Lambert")
        # typing digits straight on the checklist starts a lookup too
        await type_text(pilot, "9999")
        await settle(app, pilot)
        assert app.screen.query_one("#lookup-input", Input).value == "9999"
        assert any("Hugo Lambert" in t for t in option_texts(app, "#lookup-results"))


async def test_invalid_amount_and_date_are_refused_next_to_the_field_and_nothing_saved(empty_shop):
    shop = empty_shop
    ann = shop.create_customer(NewCustomer("Ann Example", ["0611111111"]), DAY)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(ann)
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await type_text(pilot, "12.345")
        await focus_field(app, pilot, "date")
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "2025-02-30")
        await pilot.press("enter")
        await settle(app, pilot)
        amount_field = app.screen.query_one("#field-amount")
        date_field = app.screen.query_one("#field-date")
        assert amount_field.has_class("-invalid") and "12.345" in str(amount_field.query_one(".error", Static).content)
        assert date_field.has_class("-invalid") and "does not exist" in str(date_field.query_one(".error", Static).content)
        assert type(app.screen).__name__ == "SaleDialog"
    assert count(shop, Sale) == 0


async def test_promise_made_then_overdue_then_kept_late(empty_shop):
    shop = empty_shop
    ann = shop.create_customer(NewCustomer("Ann Example", ["0611111111"]), DAY)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(ann)
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await type_text(pilot, "Call when the blue teapot arrives")
        await pilot.press("tab")
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "+3d")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Call when the blue teapot arrives" in str(app.screen.query_one("#card-body", Static).content)
    with reading(shop.engine) as session:
        promise = session.execute(select(Promise)).scalar_one()
        assert (promise.due_on, promise.status) == (DAY + timedelta(days=3), "open")

    late = DAY + timedelta(days=5)
    app = make_app(shop, today=late)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        texts = option_texts(app, "#checklist")
        assert any(t.startswith("Promises overdue (1)") for t in texts)
        assert any("2 d late" in t and "Ann Example" in t for t in texts)
        await pilot.press("k")
        await settle(app, pilot)
        assert not any("Ann Example" in t for t in option_texts(app, "#checklist"))
    with reading(shop.engine) as session:
        promise = session.execute(select(Promise)).scalar_one()
        assert (promise.status, promise.closed_on) == ("kept", late)
    # looking back, the promise was still open and overdue two days after it was due
    assert [p.promise_id for p in shop.checklist(DAY + timedelta(days=4)).promises_overdue] == [promise.id]


async def test_merge_two_duplicates_keeps_all_history(empty_shop):
    shop = empty_shop
    a = shop.create_customer(NewCustomer("Jean Dupont", ["06 12 34 56 78"], "jean@example.com"), DAY - timedelta(days=100))
    b = shop.create_customer(NewCustomer("Jean Dupond", ["+33 6 12 34 56 78"]), DAY - timedelta(days=50))
    friend = shop.create_customer(NewCustomer("Friend Of Jean", ["0700000000"], referred_by_id=b), DAY - timedelta(days=40))
    shop.log_sale(SaleInput(2000, DAY - timedelta(days=100), customer_id=a))
    shop.log_sale(SaleInput(3500, DAY - timedelta(days=50), customer_id=b))
    shop.log_sale(SaleInput(1000, DAY - timedelta(days=30), customer_id=friend))
    shop.add_promise(b, "Keep the red mug", DAY + timedelta(days=2), DAY - timedelta(days=1))
    shop.log_contact(b, "reached", DAY - timedelta(days=20), "likes mugs")

    app = make_app(shop, today=DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        app.open_customer(a)
        await settle(app, pilot)
        await pilot.press("M")
        await settle(app, pilot)
        assert any("Jean Dupond" in t and "same phone" in t for t in option_texts(app, "#likely"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Moves: 1 sales, 1 promises, 1 contacts" in str(app.screen.query_one("#preview", Static).content)
        await pilot.press("y")
        await settle(app, pilot)
        body = str(app.screen.query_one("#card-body", Static).content)
        assert "Keep the red mug" in body and "Referred Friend Of Jean" in body and "likes mugs" in body

    card = shop.card(a, DAY)
    assert card.purchase_days == 2 and card.total_spend_cents == 5500 and card.level == 3
    assert shop.card(b, DAY) is None
    assert count(shop, Customer) == 2 and count(shop, Sale) == 3


async def test_erase_from_the_card_asks_first_then_keeps_only_totals(empty_shop):
    shop = empty_shop
    ann = shop.create_customer(NewCustomer("Ann Secret", ["0611111111"], "ann@example.com"), DAY)
    shop.log_sale(SaleInput(4200, DAY, customer_id=ann))
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(ann)
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        await pilot.press("n")  # changed my mind: nothing happens
        await settle(app, pilot)
        assert shop.card(ann, DAY).name == "Ann Secret"
        await pilot.press("E")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert str(app.screen.query_one("#card-head", Static).content).startswith(f"Erased customer #{ann}")
    card = shop.card(ann, DAY)
    assert card.phones == [] and card.email == "" and card.total_spend_cents == 4200


async def test_fast_typing_right_after_the_lookup_opens_loses_no_digit(empty_shop):
    shop = empty_shop
    shop.create_customer(NewCustomer("Emma Leroy", ["06 73 72 89 02"]), DAY)
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for digit in "8902":  # all queued at once, as a fast typist's keys arrive
            app.post_message(events.Key(digit, digit))
        await settle(app, pilot)
        assert app.screen.query_one("#lookup-input", Input).value == "8902"
        assert any("Emma Leroy" in t for t in option_texts(app, "#lookup-results"))
