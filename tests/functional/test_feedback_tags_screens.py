"""Issue 14 in the app at 80×24, by keys: the feedback form's "would recommend" and complaint,
feedback to answer on the checklist, tags on the card and the customers filter, and the new call
lists with a tag. Checked on screen and in the database."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from textual.widgets import OptionList, Static

from shopkeeper.app import make_app
from shopkeeper.services import NewCustomer, SaleInput
from shopkeeper.store.db import reading
from shopkeeper.store.models import Feedback
from shopkeeper.store.writes import CustomerFields

from .conftest import settle, type_text

DAY = date(2026, 3, 2)


def buyer(shop, name: str, days_ago: int = 40, phone: str = "06 12 12 12 12") -> int:
    cid = shop.create_customer(NewCustomer(name, [phone]), DAY - timedelta(days=days_ago))
    shop.log_sale(SaleInput(4000, DAY - timedelta(days=days_ago), customer_id=cid))
    return cid


def feedback_rows(shop, cid) -> list[tuple]:
    with reading(shop.engine) as session:
        rows = session.execute(select(Feedback).where(Feedback.customer_id == cid).order_by(Feedback.id)).scalars()
        return [(f.score, f.text, f.would_recommend, f.complaint, f.testimonial_ok) for f in rows]


def rows_of(app, selector: str) -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_feedback_form_saves_recommend_and_complaint_and_refuses_a_bad_answer(empty_shop):
    shop = empty_shop
    cid = buyer(shop, "Fanny Feedback")
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(cid)
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        app.screen.query_one("#score").value = "2"
        app.screen.query_one("#text").value = "rude staff"
        app.screen.query_one("#recommend").value = "maybe"
        app.screen.query_one("#complaint").value = True
        app.screen.query_one("#score").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        field = app.screen.query_one("#field-recommend")
        assert field.has_class("-invalid") and "type y (yes), n (no)" in str(field.query_one(".error", Static).content)
        assert feedback_rows(shop, cid) == []  # nothing saved
        app.screen.query_one("#recommend").value = "y"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "(complaint, would recommend us)" in str(app.screen.query_one("#card-body", Static).content)
        assert "L3" in str(app.screen.query_one("#card-head", Static).content)  # a yes makes an advocate
    assert feedback_rows(shop, cid) == [(2, "rude staff", True, True, False)]


async def test_feedback_to_answer_is_on_the_checklist_until_a_call_reaches_them(empty_shop):
    shop = empty_shop
    cid = buyer(shop, "Rita Rude", days_ago=200)
    shop.add_feedback(cid, 1, "rude staff", False, DAY - timedelta(days=2))
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        rows = rows_of(app, "#checklist")
        assert any("Feedback to answer (1)" in row for row in rows)
        assert any("Rita Rude" in row and "1★: rude staff" in row for row in rows)
        options = app.screen.query_one("#checklist", OptionList)
        options.highlighted = options.get_option_index(f"feedback:{shop.card(cid, DAY).feedback[0].id}")
        await pilot.press("c", "1", "enter")  # reached
        await settle(app, pilot)
        assert not any("Rita Rude" in row for row in rows_of(app, "#checklist"))
    assert shop.checklist(DAY).feedback_to_answer == []


async def test_tags_on_the_card_and_the_customers_filter(empty_shop):
    shop = empty_shop
    tea = buyer(shop, "Tess Teaclub")
    other = buyer(shop, "Otto Other", phone="06 13 13 13 13")
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(tea)
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        await type_text(pilot, "wholesale, tea club")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "tags: tea club · wholesale" in str(app.screen.query_one("#card-head", Static).content)
        await pilot.press("t")
        await settle(app, pilot)
        await type_text(pilot, "-wholesale")
        await pilot.press("enter")
        await settle(app, pilot)
        assert shop.card(tea, DAY).tags == ["tea club"]
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert len(rows_of(app, "#customers")) == 2
        await pilot.press("t")
        await settle(app, pilot)
        await type_text(pilot, "Tea Club")
        await pilot.press("enter")
        await settle(app, pilot)
        rows = rows_of(app, "#customers")
        assert len(rows) == 1 and "Tess Teaclub" in rows[0]
        assert "tagged “Tea Club”" in str(app.screen.query_one("#summary", Static).content)
    assert other not in [r.id for r in shop.customers_page(DAY, tag="tea club")]


async def test_the_referral_ask_list_with_a_tag_shows_each_reason(empty_shop):
    shop = empty_shop
    fan = buyer(shop, "Fay Fan")
    untagged = buyer(shop, "Una Untagged", phone="06 13 13 13 13")
    for cid in (fan, untagged):
        shop.update_customer(cid, CustomerFields(marketing_consent=True))
        shop.add_feedback(cid, 5, "love it", False, DAY - timedelta(days=3))
    shop.change_tags(fan, "tea club")
    app = make_app(shop, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        app.screen.query_one("#tag").value = "tea club"
        app.screen.query_one("#kind", OptionList).highlighted = 4  # referral asks
        await pilot.press("enter")
        await settle(app, pilot)
        rows = rows_of(app, "#call-list")
        assert len(rows) == 1 and "Fay Fan" in rows[0] and "5★ feedback" in rows[0]
        assert "Ask for a referral · tag “tea club”" in str(app.screen.query_one("#summary", Static).content)
