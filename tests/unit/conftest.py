"""Builders for unit tests: short ways to put customers, sales and referrals into a shop."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from shopkeeper.services import NewCustomer, SaleInput, Shop


class Make:
    """Writes through the same services the app uses, so aggregates stay exact."""

    def __init__(self, shop: Shop, today: date) -> None:
        self.shop = shop
        self.today = today

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def customer(self, name: str = "Ann Client", phones=(), email: str = "", referred_by: int | None = None,
                 on: date | None = None) -> int:
        return self.shop.create_customer(
            NewCustomer(name, list(phones), email, referred_by), on or self.ago(400)
        )

    def sale(self, customer_id: int | None, on: date, cents: int, items: int = 1, on_sale: bool = False) -> int:
        return self.shop.log_sale(SaleInput(cents, on, customer_id=customer_id, item_count=items, on_sale=on_sale))

    def buyer(self, name: str, first_days_ago: int, cents: int = 2000, phones=("06 11 22 33 44",), **kw) -> int:
        """A customer with one purchase `first_days_ago` days before today."""
        cid = self.customer(name, phones=phones, on=self.ago(first_days_ago), **kw)
        self.sale(cid, self.ago(first_days_ago), cents)
        return cid

    def due_ids(self, day: date | None = None) -> list[int]:
        return [item.customer_id for item in self.shop.checklist(day or self.today).second_sale]


@pytest.fixture
def make(shop, today) -> Make:
    return Make(shop, today)


@pytest.fixture(autouse=True)
def no_env_db(monkeypatch):
    """No test reaches the owner's real database through the environment."""
    monkeypatch.delenv("SHOPKEEPER_DB", raising=False)
    monkeypatch.delenv("SHOPKEEPER_DEBUG", raising=False)


@pytest.fixture
def run(capsys):
    """Run the command line in-process: (exit code, stdout, stderr), never a traceback."""
    from shopkeeper.cli import main

    def _run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return _run
