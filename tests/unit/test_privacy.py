"""Erasing a customer removes their personal data but not the shop's figures."""
from __future__ import annotations

import pytest

import os
import stat
from datetime import timedelta

from sqlalchemy import select

from shopkeeper.services import NewCustomer, SaleInput
from shopkeeper.store.db import reading
from shopkeeper.store.models import Contact, CustomerPhone, Sale


def test_erase_keeps_sales_as_anonymous_totals(shop, today):
    ann = shop.create_customer(NewCustomer("Ann Secret", ["06 11 22 33 44"], "ann@example.com", notes="lives at 3 rue X"), today)
    shop.log_sale(SaleInput(4200, today - timedelta(days=20), customer_id=ann))
    shop.log_contact(ann, "reached", today - timedelta(days=5), "talked about her divorce")
    shop.add_promise(ann, "Call Ann about the teapot", today + timedelta(days=2), today)
    shop.erase_customer(ann, today)
    card = shop.card(ann, today)
    assert card.name == f"Erased customer #{ann}" and card.phones == [] and card.email == "" and card.notes == ""
    assert card.total_spend_cents == 4200 and card.purchase_days == 1
    assert shop.lookup("Ann", today) == [] and shop.lookup("0611223344", today) == []
    with reading(shop.engine) as session:
        assert session.execute(select(Sale.amount_cents)).scalars().all() == [4200]
        assert session.execute(select(Contact.note)).scalars().all() == [""]
        assert session.execute(select(CustomerPhone.id)).all() == []
    checklist = shop.checklist(today)
    assert all(item.customer_id != ann for item in checklist.second_sale + checklist.promises_due + checklist.promises_overdue)


def test_customer_data_export_holds_everything(shop, today):
    ann = shop.create_customer(NewCustomer("Ann Example", ["06 11 22 33 44"], "ann@example.com"), today)
    shop.log_sale(SaleInput(4200, today, customer_id=ann))
    shop.log_contact(ann, "reached", today, "likes green tea")
    data = shop.customer_data(ann)
    assert data["name"] == "Ann Example" and data["phones"] == ["06 11 22 33 44"]
    assert [s["amount_cents"] for s in data["sales"]] == [4200]
    assert data["contacts"][0]["note"] == "likes green tea"


@pytest.mark.sqlite_only
def test_database_file_is_readable_by_the_owner_only(shop):
    mode = stat.S_IMODE(os.stat(shop.path).st_mode)
    assert mode == 0o600


@pytest.mark.sqlite_only
def test_backup_file_is_readable_by_the_owner_only(shop, tmp_path):
    dest = shop.backup(tmp_path / "copy.sqlite3")
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
