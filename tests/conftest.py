"""Fixtures shared by the unit and functional tests: a fixed "today" and a shop on a temp file."""
from __future__ import annotations

from datetime import date

import pytest

from shopkeeper.services import Shop

TODAY = date(2026, 3, 2)  # a Monday; tests never read the real clock


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def shop(tmp_path):
    """An empty shop on a fresh SQLite file in the test's temporary folder."""
    opened = Shop.open(tmp_path / "shop.sqlite3")
    yield opened
    opened.close()
