"""Fixtures for driving the app: a demo shop on a fixed day, and small pilot helpers."""
from __future__ import annotations

from datetime import date

import pytest

from shopkeeper.demo import build_demo
from shopkeeper.services import Shop

DEMO_DAY = date(2026, 11, 25)  # the fixed "today" of every app test


@pytest.fixture
def demo_shop(db_location):
    shop = Shop.open(db_location)
    build_demo(shop, DEMO_DAY)
    yield shop
    shop.close()


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
