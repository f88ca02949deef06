"""Fixtures for driving the app: a demo shop on a fixed day, and small pilot helpers."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from shopkeeper.demo import build_demo
from shopkeeper.services import Shop
from support.pg_server import TEMPLATE

DEMO_DAY = date(2026, 11, 25)  # the fixed "today" of every app test


_DEMO_BUILT: dict[str, object] = {}  # engine -> the demo built once this session (a file, or a template database)


@pytest.fixture
def demo_shop(engine_name, request, tmp_path, tmp_path_factory):
    """A fresh copy of the demo shop on this run's engine. Built once per session and engine, then
    copied for each test (a file copy, or CREATE DATABASE … TEMPLATE): building it takes seconds."""
    if engine_name == "sqlite":
        if "sqlite" not in _DEMO_BUILT:
            source = tmp_path_factory.mktemp("demo-source") / "demo.sqlite3"
            built = Shop.open(source)
            build_demo(built, DEMO_DAY)
            built.close()
            _DEMO_BUILT["sqlite"] = source
        path = tmp_path / "demo.sqlite3"
        shutil.copyfile(_DEMO_BUILT["sqlite"], path)
        shop = Shop.open(path)
        yield shop
        shop.close()
        return
    server = request.getfixturevalue("pg_server")
    if "postgresql" not in _DEMO_BUILT:
        server.admin(f'CREATE DATABASE "demo_template" TEMPLATE "{TEMPLATE}"')
        built = Shop.open(server.url("demo_template"))
        build_demo(built, DEMO_DAY)
        built.close()
        _DEMO_BUILT["postgresql"] = "demo_template"
    url = server.new_database(template="demo_template")
    shop = Shop.open(url)
    yield shop
    shop.close()
    server.drop_database(url)


@pytest.fixture
def empty_shop(db_location):
    """A shop its owner has started (past the welcome screen), with no customers yet."""
    shop = Shop.open(db_location)
    shop.start_shop("My shop", "EUR", "FR", DEMO_DAY)
    yield shop
    shop.close()


@pytest.fixture
def new_shop(db_location):
    """A brand-new shop file, as on the very first run: the app opens the welcome screen."""
    shop = Shop.open(db_location)
    yield shop
    shop.close()


async def settle(app, pilot) -> None:
    """Let workers finish and the screen repaint: no sleeps."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
