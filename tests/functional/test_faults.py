"""Faults never crash the app or lose a keypress's work.

A second connection holds the shop file's write lock (as an import or a backup does) during each
kind of write: the app stays open and responsive, says the file is busy, and the write lands once
the lock is released, or is abandoned with a message and nothing written. A failure injected into
each loader is shown once as a notice and written with its traceback to the log file."""
from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest
from textual.widgets import Input, OptionList, Static
from textual.worker import WorkerFailed

from shopkeeper import ui_work
from shopkeeper.app import make_app
from shopkeeper.logfile import start_log, stop_log
from shopkeeper.screens import insights as insights_screen
from shopkeeper.services import Shop

from .conftest import DEMO_DAY, settle
from support.db_rows import connect, hold_write_lock


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo shop, built once for this module (building it takes seconds)."""
    from shopkeeper.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shop = Shop.open(path)
    build_demo(shop, DEMO_DAY)
    shop.close()
    return path


@pytest.fixture
def demo_shop(demo_file, tmp_path):
    """A fresh copy of the demo shop for each test."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_file, path)
    shop = Shop.open(path)
    yield shop
    shop.close()


def record_notices(app) -> list[str]:
    """Every notice the app shows, in order (the app's own notify, wrapped)."""
    seen: list[str] = []
    real = app.notify

    def notify(message, **kwargs):
        seen.append(message)
        real(message, **kwargs)

    app.notify = notify
    return seen


async def until(pilot, condition, what: str) -> None:
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


def count(shop: Shop, sql: str, *args) -> int:
    with closing(sqlite3.connect(shop.path)) as conn:
        return conn.execute(sql, args).fetchone()[0]


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(ui_work, "WAIT_MS", 20)
    monkeypatch.setattr(ui_work, "RETRY_PAUSE_S", 0.01)


def select_row(app, prefix: str):
    """Put the checklist's cursor on its first row whose key starts with `prefix`; return the item."""
    options = app.screen.query_one("#checklist", OptionList)
    index = next(i for i in range(options.option_count) if (options.get_option_at_index(i).id or "").startswith(prefix))
    options.highlighted = index
    return app.screen.selected()


# each kind of write: (start it, how many rows it adds or changes in the database)
async def press_kept(app, pilot, shop):
    item = select_row(app, "promise:")
    await pilot.press("k")
    return lambda: count(shop, "SELECT count(*) FROM promise WHERE id = ? AND status = 'kept'", item.promise_id)


async def press_missed(app, pilot, shop):
    item = select_row(app, "promise:")
    await pilot.press("m")
    return lambda: count(shop, "SELECT count(*) FROM promise WHERE id = ? AND status = 'missed'", item.promise_id)


async def press_snooze(app, pilot, shop):
    item = select_row(app, "second_sale:")
    await pilot.press("z")
    await settle(app, pilot)
    await pilot.press("enter")
    return lambda: count(shop, "SELECT count(*) FROM follow_up WHERE customer_id = ? AND action = 'snooze'", item.customer_id)


async def press_close(app, pilot, shop):
    item = select_row(app, "second_sale:")
    await pilot.press("x")
    return lambda: count(shop, "SELECT count(*) FROM follow_up WHERE customer_id = ? AND action = 'close'", item.customer_id)


async def press_contact(app, pilot, shop):
    item = select_row(app, "second_sale:")
    before = count(shop, "SELECT count(*) FROM contact WHERE customer_id = ?", item.customer_id)
    await pilot.press("c")
    await settle(app, pilot)
    await pilot.press("1", "enter")
    return lambda: count(shop, "SELECT count(*) FROM contact WHERE customer_id = ?", item.customer_id) - before


async def press_sale(app, pilot, shop):
    await pilot.press("s")
    await settle(app, pilot)
    app.screen.query_one("#customer", Input).value = "Busy Day Buyer"
    app.screen.query_one("#amount", Input).value = "12.50"
    await pilot.press("ctrl+s")
    return lambda: count(shop, "SELECT count(*) FROM sale JOIN customer ON customer.id = sale.customer_id "
                               "WHERE customer.name = 'Busy Day Buyer' AND amount_cents = 1250")


async def press_settings(app, pilot, shop):
    await pilot.press("comma")
    await settle(app, pilot)
    app.screen.query_one("#shop_name", Input).value = "Busy Day Shop"
    await pilot.press("ctrl+s")
    return lambda: count(shop, "SELECT count(*) FROM setting WHERE key = 'shop_name' AND value = 'Busy Day Shop'")


async def still_answers_keys(app, pilot) -> None:
    """The UI thread is free while the write waits: a key does what it does at once."""
    if isinstance(app.focused, Input):
        field = app.focused
        before = field.value
        await pilot.press("end", "exclamation_mark")
        await until(pilot, lambda: field.value == before + "!", "the key is typed")
        await pilot.press("backspace")
    else:
        await pilot.press("question_mark")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "help opens")
        await pilot.press("escape")


WRITES = [press_kept, press_missed, press_snooze, press_close, press_contact, press_sale, press_settings]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
async def test_a_write_waits_out_a_lock_held_elsewhere_then_lands_once(demo_shop, quick_retries, write):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        notices = record_notices(app)
        await settle(app, pilot)
        subtitle = app.sub_title
        holder = hold_write_lock(demo_shop)  # an import holds the write lock
        try:
            landed = await write(app, pilot, demo_shop)
            await until(pilot, lambda: app.sub_title == ui_work.BUSY_SUBTITLE, "the header says the file is busy")
            assert ui_work.BUSY_NOTICE in notices
            assert app.is_running and landed() == 0
            await still_answers_keys(app, pilot)
        finally:
            holder.release()
        await until(pilot, lambda: landed() == 1, "the write landed")
        await settle(app, pilot)
        assert app.is_running and app.sub_title == subtitle
        assert not [n for n in notices if "not saved" in n or n.startswith("Could not")]
    assert landed() == 1  # once, not twice


async def test_a_sale_is_abandoned_with_a_message_when_the_file_stays_busy(demo_shop, quick_retries, monkeypatch):
    monkeypatch.setattr(ui_work, "GIVE_UP_S", 0.3)
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        notices = record_notices(app)
        await settle(app, pilot)
        holder = hold_write_lock(demo_shop)
        try:
            landed = await press_sale(app, pilot, demo_shop)
            await until(pilot, lambda: any("was not saved" in n for n in notices), "the sale is abandoned")
            await pilot.pause()
            assert app.is_running and landed() == 0
            # the form is still there with what was typed: press ctrl+s again once the file is free
            assert type(app.screen).__name__ == "SaleDialog"
            assert app.screen.query_one("#amount", Input).value == "12.50"
        finally:
            holder.release()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert landed() == 1 and type(app.screen).__name__ == "ChecklistScreen"


async def test_a_second_press_while_a_write_waits_saves_nothing_twice(demo_shop, quick_retries):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        notices = record_notices(app)
        await settle(app, pilot)
        holder = hold_write_lock(demo_shop)
        try:
            landed = await press_sale(app, pilot, demo_shop)
            await until(pilot, lambda: app.sub_title == ui_work.BUSY_SUBTITLE, "busy")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "Still saving the sale…" in notices
        finally:
            holder.release()
        await until(pilot, lambda: landed() == 1, "the sale landed")
        await settle(app, pilot)
    assert landed() == 1


# loaders -------------------------------------------------------------------------------------------
def boom(*args, **kwargs):
    raise RuntimeError("injected fault")


async def open_checklist(app, pilot, shop):
    pass


async def open_promises(app, pilot, shop):
    await pilot.press("p")


async def open_customers(app, pilot, shop):
    await pilot.press("u")


async def open_lookup(app, pilot, shop):
    await pilot.press("slash")
    await settle(app, pilot)
    app.screen.query_one(Input).value = "ann"


async def open_card(app, pilot, shop):
    app.open_customer(1)


async def open_call_list(app, pilot, shop):
    from shopkeeper.screens.call_list import CallListScreen

    app.push_screen(CallListScreen("lapsed"))


async def open_insights(app, pilot, shop):
    await pilot.press("i")


async def open_picker(app, pilot, shop):
    await pilot.press("s")
    await settle(app, pilot)
    app.screen.query_one("#customer", Input).value = "ann"


LOADERS = [
    (open_checklist, Shop, "checklist", "load the checklist"),
    (open_promises, Shop, "open_promises", "load the promises"),
    (open_customers, Shop, "customers_page", "load the customer list"),
    (open_lookup, Shop, "lookup", "look up customers"),
    (open_card, Shop, "card", "load the customer card"),
    (open_call_list, Shop, "call_list", "build the call list"),
    (open_insights, insights_screen, "compute_insights", "compute the insights"),
    (open_picker, Shop, "lookup", "look up customers"),
]


async def settle_despite_failures(app, pilot) -> None:
    """settle(), but a failed worker (the injected fault) does not stop the wait: Textual's
    wait_for_complete re-raises a worker's error when the worker is still being tracked."""
    for _ in range(3):
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass
        await pilot.pause()


@pytest.mark.parametrize("open_screen,owner,name,what", LOADERS, ids=[entry[0].__name__ for entry in LOADERS])
async def test_a_failing_loader_is_shown_once_and_logged(demo_shop, tmp_path, monkeypatch, open_screen, owner, name, what):
    log_file = tmp_path / "shopkeeper.log"
    handler = start_log(log_file)
    try:
        app = make_app(demo_shop, today=DEMO_DAY, log_file=log_file)
        notices = record_notices(app)
        if name == "checklist":  # the very first screen: it stayed blank, with no word
            monkeypatch.setattr(owner, name, boom)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle_despite_failures(app, pilot)
            monkeypatch.setattr(owner, name, boom)
            await open_screen(app, pilot, demo_shop)
            await settle_despite_failures(app, pilot)
            failures = [n for n in notices if n.startswith("Could not")]
            assert failures == [f"Could not {what}: RuntimeError: injected fault — details in {log_file}"]
            assert app.is_running
    finally:
        stop_log(handler)
    logged = log_file.read_text()
    assert f"could not {what}" in logged and "Traceback" in logged and "RuntimeError: injected fault" in logged
    assert logged.count("Traceback") == 1


async def test_help_and_settings_say_where_faults_are_logged(demo_shop, tmp_path):
    log_file = tmp_path / "shopkeeper.log"
    app = make_app(demo_shop, today=DEMO_DAY, log_file=log_file)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert any(str(log_file) in str(p.content) for p in app.screen.query(Static))
        await pilot.press("escape", "comma")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SettingsScreen"
        assert any(str(log_file) in str(p.content) for p in app.screen.query(Static))


async def test_insights_open_while_the_file_is_busy(demo_shop, quick_retries):
    """Insights keep the fitted models for the card (a write): a busy file skips that, not the figures."""
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        notices = record_notices(app)
        await settle(app, pilot)
        holder = hold_write_lock(demo_shop)
        try:
            await pilot.press("i")
            await settle(app, pilot)
            assert app.screen.result is not None and not [n for n in notices if n.startswith("Could not")]
        finally:
            holder.release()
