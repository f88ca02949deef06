"""Issue 10, items 3 and 4, driven by keys at 80×24: ctrl+z undoes each one-key action in the
database and on screen; a far-too-large amount and escape on a changed form ask first; a name,
phone or email already on file is offered before a second customer is made."""
from __future__ import annotations

import sqlite3

from textual.widgets import Input, OptionList

from shopkeeper.app import make_app
from shopkeeper.dialogs.confirm import ConfirmDialog
from shopkeeper.dialogs.contact import ContactDialog
from shopkeeper.dialogs.edit_customer import EditCustomerDialog
from shopkeeper.dialogs.existing import ExistingCustomerDialog
from shopkeeper.widgets.plain import Plain
from shopkeeper.dialogs.new_customer import NewCustomerDialog
from shopkeeper.dialogs.promise import PromiseDialog
from shopkeeper.dialogs.sale import SaleDialog
from shopkeeper.screens.checklist import ChecklistScreen
from shopkeeper.screens.customer import CustomerScreen
from shopkeeper.screens.customers import CustomersScreen
from shopkeeper.services import NewCustomer, SaleInput

from .conftest import DEMO_DAY, settle, type_text
from support.db_rows import connect

SIZE = (80, 24)
TABLES = ("customer", "customer_phone", "sale", "sale_line", "promise", "contact", "follow_up", "referral",
          "feedback", "family_date", "customer_fts")


def state(shop) -> dict[str, list[tuple]]:
    """Every row of the shop's tables, kept figures and the name index included."""
    with connect(shop) as conn:
        return {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")), key=repr) for t in TABLES if not (conn.postgres and t == "customer_fts")}


def row_ids(app) -> list[str]:
    options = app.screen.query_one("#checklist", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


def capture_notices(app) -> list[str]:
    notices: list[str] = []
    notify = app.notify

    def keep(message, **kwargs):
        notices.append(message)
        notify(message, **kwargs)

    app.notify = keep
    return notices


async def on_row(app, pilot, prefix: str) -> str:
    """Highlight the first checklist row of a kind (promise:, second_sale:…) and return its id."""
    await settle(app, pilot)
    assert isinstance(app.screen, ChecklistScreen)
    key = next(i for i in row_ids(app) if i.startswith(prefix))
    options = app.screen.query_one("#checklist", OptionList)
    options.highlighted = options.get_option_index(key)
    await pilot.pause()
    return key


async def undo_and_check(app, pilot, shop, before, key, notices) -> None:
    """The row left and the database changed; ctrl+z puts both back and says what was undone."""
    await settle(app, pilot)
    assert key not in row_ids(app)
    assert state(shop) != before
    await pilot.press("ctrl+z")
    await settle(app, pilot)
    assert state(shop) == before
    assert key in row_ids(app)
    assert app.screen.query_one("#checklist", OptionList).highlighted_option.id == key  # under the cursor again
    assert notices[-1].startswith("Undone: ")


async def test_ctrl_z_undoes_a_logged_contact(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        notices = capture_notices(app)
        key = await on_row(app, pilot, "second_sale:")
        name = app.screen.selected().name
        before = state(demo_shop)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactDialog)
        await pilot.press("1")
        await type_text(pilot, "will come")
        await pilot.press("enter")
        await settle(app, pilot)
        assert name in notices[-1] and notices[-1].endswith("ctrl+z to undo")
        await undo_and_check(app, pilot, demo_shop, before, key, notices)


async def test_ctrl_z_undoes_a_kept_promise_whose_notice_names_the_customer(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        notices = capture_notices(app)
        key = await on_row(app, pilot, "promise:")
        item = app.screen.selected()
        before = state(demo_shop)
        await pilot.press("k")
        await settle(app, pilot)
        assert notices[-1] == f"Kept: {item.name}'s promise '{item.text}' — ctrl+z to undo"
        await undo_and_check(app, pilot, demo_shop, before, key, notices)
        assert demo_shop.promise(item.promise_id).status == "open"


async def test_ctrl_z_undoes_a_missed_promise(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        notices = capture_notices(app)
        key = await on_row(app, pilot, "promise:")
        item = app.screen.selected()
        before = state(demo_shop)
        await pilot.press("m")
        await settle(app, pilot)
        assert notices[-1].startswith(f"Missed: {item.name}'s promise")
        await undo_and_check(app, pilot, demo_shop, before, key, notices)


async def test_ctrl_z_undoes_a_snooze(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        notices = capture_notices(app)
        key = await on_row(app, pilot, "second_sale:")
        name = app.screen.selected().name
        before = state(demo_shop)
        await pilot.press("z")
        await settle(app, pilot)
        await pilot.press("enter")  # the default day
        await settle(app, pilot)
        assert notices[-1].startswith("Snoozed until") and f"{name}'s second-sale call" in notices[-1]
        await undo_and_check(app, pilot, demo_shop, before, key, notices)


async def test_ctrl_z_undoes_a_closed_call_whose_notice_says_whose(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        notices = capture_notices(app)
        key = await on_row(app, pilot, "second_sale:")
        name = app.screen.selected().name
        before = state(demo_shop)
        await pilot.press("x")
        await settle(app, pilot)
        assert notices[-1] == f"Closed: {name}'s second-sale call — ctrl+z to undo"
        await undo_and_check(app, pilot, demo_shop, before, key, notices)


async def test_ctrl_z_undoes_a_cancelled_promise(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        notices = capture_notices(app)
        key = await on_row(app, pilot, "promise:")
        before = state(demo_shop)
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert notices[-1].startswith("Cancelled: ")
        await undo_and_check(app, pilot, demo_shop, before, key, notices)


async def test_ctrl_z_undoes_the_last_sale_and_the_second_sale_call_comes_back(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        notices = capture_notices(app)
        key = await on_row(app, pilot, "second_sale:")
        name = app.screen.selected().name
        before = state(demo_shop)
        await pilot.press("enter")  # the card
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("s")
        await settle(app, pilot)
        await type_text(pilot, "24.90")
        await pilot.press("enter")
        await settle(app, pilot)
        assert notices[-1] == f"Sale of 24.90 EUR logged for {name} — ctrl+z to undo"
        assert "24.90" in str(app.screen.query_one("#card-body").content)
        await pilot.press("ctrl+z")  # on the card: the sale leaves every figure, voided as "undone"
        await settle(app, pilot)
        assert state(demo_shop) == before
        lines = [line for line in str(app.screen.query_one("#card-body").content).splitlines() if "24.90" in line]
        assert lines and all("voided" in line and "undone (ctrl+z)" in line for line in lines)
        await pilot.press("escape")
        await settle(app, pilot)
        assert key in row_ids(app)  # bought again no more: the call is back


async def test_ctrl_z_undoes_a_sale_to_a_new_customer_and_the_customer_with_it(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        notices = capture_notices(app)
        await settle(app, pilot)
        before = state(demo_shop)
        await pilot.press("s")
        await settle(app, pilot)
        await type_text(pilot, "Quentin Nouveau")
        await settle(app, pilot)
        assert app.screen.query_one("#field-customer OptionList", OptionList).option_count == 0
        app.screen.query_one("#amount", Input).focus()
        await type_text(pilot, "31")
        await pilot.press("enter")
        await settle(app, pilot)
        assert notices[-1] == "Sale of 31.00 EUR logged for new customer Quentin Nouveau — ctrl+z to undo"
        assert state(demo_shop) != before
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert state(demo_shop) == before
        await pilot.press("ctrl+z")
        assert notices[-1] == "Nothing to undo."


async def test_an_amount_far_above_the_usual_asks_first(empty_shop):
    shop = empty_shop
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        for _ in range(6):
            if app.focused.id == "amount":
                break
            await pilot.press("tab")
        await type_text(pilot, "12,345.67")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "12,345.67 EUR — is that right?"
        await pilot.press("n")  # no: back to the amount, nothing saved
        await settle(app, pilot)
        assert isinstance(app.screen, SaleDialog) and app.focused.id == "amount"
        assert shop.count_customers() == 0 and shop.large_sale_cents() == 100_000
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "1,234.50")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("escape")  # escape is no too
        await settle(app, pilot)
        assert isinstance(app.screen, SaleDialog)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # yes
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)
        await pilot.press("s")
        await settle(app, pilot)
        for _ in range(6):
            if app.focused.id == "amount":
                break
            await pilot.press("tab")
        await type_text(pilot, "999")  # below the threshold: saved at once
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)
    with connect(shop) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT amount_cents FROM sale")) == [99_900, 123_450]


async def test_escape_on_a_changed_form_asks_and_on_an_untouched_one_closes(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)

        await on_row(app, pilot, "second_sale:")
        await pilot.press("enter")
        await settle(app, pilot)
        card = app.screen
        old_name = card.card.name
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, EditCustomerDialog)
        await type_text(pilot, "zzz")
        typed = app.screen.query_one("#name", Input).value
        assert typed != old_name
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog) and app.screen.question == "Discard your changes?"
        await pilot.press("n")  # keep editing: what was typed is still there
        await settle(app, pilot)
        assert isinstance(app.screen, EditCustomerDialog)
        assert app.screen.query_one("#name", Input).value == typed
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is card and demo_shop.card(card.customer_id, DEMO_DAY).name == old_name

        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("1")
        await type_text(pilot, "a note")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)


async def test_an_existing_name_typed_in_the_sale_form_offers_that_customer(demo_shop):
    shop = demo_shop
    jerome = shop.create_customer(NewCustomer("Jérôme Faure", ["06 12 12 12 12"]), DEMO_DAY)
    customers = shop.count_customers()
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for typed, answer in (("faure, jerome", "enter"), ("JEROME FAURE", "n")):
            await pilot.press("s")
            await settle(app, pilot)
            await type_text(pilot, typed)
            await settle(app, pilot)
            app.screen.query_one("#amount", Input).focus()
            await type_text(pilot, "20")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ExistingCustomerDialog)
            assert app.screen.matches[0][0].id == jerome
            await pilot.press(answer)
            await settle(app, pilot)
            assert isinstance(app.screen, ChecklistScreen)
    with connect(shop) as conn:
        rows = conn.execute("SELECT c.name, s.amount_cents FROM sale s JOIN customer c ON c.id = s.customer_id "
                            "WHERE c.name_fold = 'jerome faure' ORDER BY s.id").fetchall()
    assert rows == [("Jérôme Faure", 2000), ("JEROME FAURE", 2000)]  # the first went to Jérôme; "n" made another
    assert shop.count_customers() == customers + 1
    assert shop.card(jerome, DEMO_DAY).purchase_days == 1


async def test_n_adds_a_customer_and_a_phone_on_file_offers_its_owner(demo_shop):
    shop = demo_shop
    owner = shop.create_customer(NewCustomer("Lina Owner", ["0655443322"]), DEMO_DAY)
    customers = shop.count_customers()
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomersScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NewCustomerDialog)
        await type_text(pilot, "Someone Else")
        await pilot.press("enter")
        await type_text(pilot, "+33 6 55 44 33 22")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ExistingCustomerDialog)
        assert "same phone" in app.screen.matches[0][1]
        shown = " ".join(str(plain.content) for plain in app.screen.query(Plain))
        assert "06 55 44 33 22" in shown  # in the shop's format, as on every other screen
        await pilot.press("enter")  # use the existing one: her card opens
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == owner
        assert shop.count_customers() == customers

        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await type_text(pilot, "Brand New")
        await pilot.press("enter")
        await type_text(pilot, "07 01 02 03 04")
        await pilot.press("tab")
        await type_text(pilot, "brand@example.com")
        await pilot.press("tab", "tab", "space")  # past the referrer, tick the consent
        await pilot.press("tab")
        await type_text(pilot, "likes green tea")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CustomerScreen)
        card = shop.card(app.screen.customer_id, DEMO_DAY)
    assert (card.name, card.phones, card.email, card.marketing_consent, card.notes) == (
        "Brand New", ["07 01 02 03 04"], "brand@example.com", True, "likes green tea")
    assert shop.count_customers() == customers + 1


async def test_the_palette_offers_a_new_customer(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await type_text(pilot, "new customer")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NewCustomerDialog)


async def test_a_promise_can_be_made_to_a_new_person(demo_shop):
    shop = demo_shop
    customers = shop.count_customers()
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, PromiseDialog)
        await type_text(pilot, "Nina Nouvelle")
        await settle(app, pilot)
        await pilot.press("enter")
        await type_text(pilot, "06 77 66 55 44")
        await pilot.press("enter")
        await type_text(pilot, "Order the blue teapot")
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, PromiseDialog)
    assert shop.count_customers() == customers + 1
    made = [p for p in shop.open_promises() if p.customer_name == "Nina Nouvelle"]
    assert [p.text for p in made] == ["Order the blue teapot"]
    assert shop.card(made[0].customer_id, DEMO_DAY).phones == ["06 77 66 55 44"]
