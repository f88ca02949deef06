"""Staff on screen (issue 12): the staff list in the settings, who is at the till (w, remembered
per computer), "mine" on the checklist (o), and the initials on the customer card."""
from __future__ import annotations

from datetime import timedelta

from textual.widgets import OptionList

from shopkeeper.app import make_app
from shopkeeper.dialogs.confirm import ConfirmDialog
from shopkeeper.dialogs.staff import StaffDialog, StaffPickDialog
from shopkeeper.screens.checklist import ChecklistScreen
from shopkeeper.screens.settings import SettingsScreen
from shopkeeper.services import NewCustomer, SaleInput, Shop

from .conftest import DEMO_DAY, settle, type_text
from .test_promises_customers_settings import field_error, replace_text


async def _open_staff(app, pilot) -> StaffDialog:
    await settle(app, pilot)
    await pilot.press("comma")
    await settle(app, pilot)
    assert isinstance(app.screen, SettingsScreen)
    await pilot.press("ctrl+t")
    await settle(app, pilot)
    assert isinstance(app.screen, StaffDialog)
    return app.screen


def _listed(app, selector: str) -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_staff_are_added_renamed_and_retired_in_the_settings_and_bad_input_saves_nothing(empty_shop):
    shop = empty_shop
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_staff(app, pilot)
        assert app.focused.id == "name"
        await type_text(pilot, "Anna Berg")
        await pilot.press("tab")  # on to the initials
        assert app.focused.id == "initials"
        await type_text(pilot, "A1")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "letters only" in (field_error(app, "initials") or "")
        assert field_error(app, "name") is None
        assert shop.staff(include_retired=True) == []  # nothing saved
        await replace_text(pilot, "")  # empty initials: made from the name
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [(s.initials, s.name) for s in shop.staff()] == [("AB", "Anna Berg")]
        assert _listed(app, "#staff-list") == ["AB   Anna Berg"]

        app.screen.query_one("#staff-list", OptionList).focus()
        await pilot.press("enter")  # rename the highlighted person
        assert app.focused.id == "name"
        await replace_text(pilot, "Anna Lind")
        await pilot.press("enter")
        await replace_text(pilot, "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [(s.initials, s.name) for s in shop.staff()] == [("AL", "Anna Lind")]

        assert app.focused.id == "name"  # ready for the next person: one enter adds them
        await type_text(pilot, "Cora Dahl")
        await pilot.press("enter")
        await settle(app, pilot)
        assert [(s.initials, s.name) for s in shop.staff()] == [("AL", "Anna Lind"), ("CD", "Cora Dahl")]
        assert app.focused.id == "name"

        app.screen.query_one("#staff-list", OptionList).focus()
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert [s.initials for s in shop.staff()] == ["CD"]  # the first on the list, Anna, retired
        assert [s.initials for s in shop.staff(include_retired=True)] == ["AL", "CD"]


async def test_who_is_at_the_till_is_shown_and_remembered_on_this_computer(empty_shop, tmp_path):
    shop = empty_shop
    till = tmp_path / "config" / "till.json"
    app = make_app(shop, today=DEMO_DAY, till_file=till)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")  # no staff list: nothing to pick, nothing changes
        await settle(app, pilot)
        assert not isinstance(app.screen, StaffPickDialog) and "at the till" not in app.sub_title
    shop.add_staff("Anna Berg")
    cd = shop.add_staff("Carl Dahl")

    app = make_app(shop, today=DEMO_DAY, till_file=till)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffPickDialog)
        assert _listed(app, "#staff-pick") == ["AB   Anna Berg", "CD   Carl Dahl", "nobody (not said)"]
        # with nobody at the till yet the picker opens on the first person, not on "nobody"
        assert app.screen.query_one("#staff-pick").highlighted == 0
        await pilot.press("down", "enter")  # from AB down to CD
        await settle(app, pilot)
        assert app.sub_title.endswith("· CD at the till")
        assert shop.staff_id == cd

    restarted = Shop.open(shop.location)  # a new start of the app on this computer
    try:
        assert restarted.staff_id is None
        app = make_app(restarted, today=DEMO_DAY, till_file=till)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert app.sub_title.endswith("· CD at the till")
            assert restarted.staff_id == cd
            await pilot.press("s", "tab", "1", "2", "enter")  # a walk-in sale logged now is CD's
            await settle(app, pilot)
            assert isinstance(app.screen, ChecklistScreen)
            await pilot.press("w", "down", "enter")  # then nobody
            await settle(app, pilot)
            assert "at the till" not in app.sub_title and restarted.staff_id is None
        app = make_app(restarted, today=DEMO_DAY, till_file=till)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert "at the till" not in app.sub_title and restarted.staff_id is None
    finally:
        restarted.close()
    from sqlalchemy import select

    from shopkeeper.store.models import Sale

    with shop.reading() as session:
        assert session.execute(select(Sale.staff_id)).all() == [(cd,)]


async def test_mine_on_the_checklist_shows_only_my_promises(empty_shop, tmp_path):
    shop = empty_shop
    ab = shop.add_staff("Anna Berg")
    cd = shop.add_staff("Carl Dahl")
    client = shop.create_customer(NewCustomer("Client"), DEMO_DAY - timedelta(days=10))
    shop.staff_id = ab
    mine = shop.add_promise(client, "my promise", DEMO_DAY, DEMO_DAY - timedelta(days=3))
    shop.staff_id = cd
    theirs = shop.add_promise(client, "their promise", DEMO_DAY, DEMO_DAY - timedelta(days=3))
    shop.staff_id = None
    app = make_app(shop, today=DEMO_DAY, till_file=tmp_path / "till.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        assert {f"promise:{mine}", f"promise:{theirs}"} <= set(screen.items)
        await pilot.press("o")  # nobody at the till: nobody's rows, the list stays whole
        await settle(app, pilot)
        assert {f"promise:{mine}", f"promise:{theirs}"} <= set(screen.items)
        await pilot.press("w", "home", "enter")  # AB is at the till
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert set(screen.items) == {f"promise:{mine}"}
        assert "mine (AB" in str(screen.query_one("#summary").content)
        await pilot.press("o")
        await settle(app, pilot)
        assert {f"promise:{mine}", f"promise:{theirs}"} <= set(screen.items)


async def test_the_card_shows_who_sold_called_and_promised(empty_shop):
    shop = empty_shop
    shop.staff_id = shop.add_staff("Anna Berg")
    client = shop.create_customer(NewCustomer("Client"), DEMO_DAY - timedelta(days=10))
    shop.log_sale(SaleInput(2500, DEMO_DAY - timedelta(days=5), customer_id=client), DEMO_DAY)
    shop.log_contact(client, "reached", DEMO_DAY - timedelta(days=1))
    shop.add_promise(client, "keep the red scarf", DEMO_DAY + timedelta(days=2), DEMO_DAY)
    shop.staff_id = None
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_customer(client)
        await settle(app, pilot)
        body = str(app.screen.query_one("#card-body").content)
        sale_line = next(line for line in body.splitlines() if "item(s)" in line)
        contact_line = next(line for line in body.splitlines() if "reached" in line)
        promise_line = next(line for line in body.splitlines() if "red scarf" in line)
        assert sale_line.rstrip().endswith("AB")
        assert contact_line.rstrip().endswith("· AB")
        assert promise_line.rstrip().endswith("· AB")


async def test_insights_show_a_staff_table_that_fits_80_columns(empty_shop):
    import io

    from rich.console import Console
    from textual.widgets import Static

    shop = empty_shop
    shop.staff_id = shop.add_staff("Anna Maria Bergström-Lindqvist")
    client = shop.create_customer(NewCustomer("Client"), DEMO_DAY - timedelta(days=40))
    shop.log_sale(SaleInput(2500, DEMO_DAY - timedelta(days=40), customer_id=client), DEMO_DAY)
    shop.log_contact(client, "reached", DEMO_DAY - timedelta(days=20))
    shop.staff_id = None
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        console = Console(width=78, file=io.StringIO(), record=True)
        console.print(app.screen.query_one("#insights-overview", Static).content)
        lines = [line.rstrip() for line in console.export_text().splitlines()]
    start = lines.index("Staff")
    table = lines[start:start + 3]
    assert "promises kept" in table[1] and "days to call" in table[1]
    # AB: no promise due, one call 26 days after the first purchase, 6 days after it fell due
    assert table[2].split() == ["AB", "Anna", "Maria", "Berg", "-", "1", "0", "6"]
    assert all(len(line) <= 78 for line in table)
