"""restore, erase, export of one customer, the daily backup, and files that are not plain CSV."""
import json
import sqlite3
from datetime import date

import pytest

from shopkeeper.services import NewCustomer, SaleInput, Shop


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "shop.sqlite3"
    shop = Shop.open(path)
    ann = shop.create_customer(NewCustomer("Ann Secret", ["06 11 22 33 44"], "ann@example.com"), date(2026, 1, 5))
    shop.log_sale(SaleInput(4200, date(2026, 1, 5), customer_id=ann))
    shop.close()
    return path


def sales_total(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COALESCE(SUM(amount_cents), 0) FROM sale").fetchone()[0]


def test_erase_asks_on_a_terminal_and_scripts_need_yes(run, db):
    code, out, err = run("erase", "customer", 1, "--db", db)
    assert code != 0 and "--yes" in err and err.count("\n") == 1
    code, out, err = run("erase", "customer", 1, "--yes", "--db", db)
    assert code == 0 and "erased" in out
    code, out, err = run("export", "customer", 1, "--db", db)
    data = json.loads(out)
    assert data["name"] == "Erased customer #1" and data["phones"] == [] and data["email"] is None
    assert sales_total(db) == 4200


def test_erase_unknown_customer_is_one_line(run, db):
    code, out, err = run("erase", "customer", 99, "--yes", "--db", db)
    assert code != 0 and out == "" and err.count("\n") == 1 and "99" in err


def test_export_one_customer_holds_their_sales(run, db):
    code, out, err = run("export", "customer", 1, "--db", db)
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "Ann Secret" and [s["amount_cents"] for s in data["sales"]] == [4200]


def test_restore_brings_back_a_backup_and_keeps_the_current_one(run, db, tmp_path):
    assert run("backup", tmp_path / "copy.sqlite3", "--db", db)[0] == 0
    shop = Shop.open(db)
    shop.log_sale(SaleInput(1000, date(2026, 1, 6), customer_id=1))
    shop.close()
    code, out, err = run("restore", tmp_path / "copy.sqlite3", "--yes", "--db", db)
    assert code == 0, err
    assert sales_total(db) == 4200
    kept = list((db.parent / "backups").glob("shop-before-restore-*.sqlite3"))
    assert len(kept) == 1 and sales_total(kept[0]) == 5200


def test_restore_refuses_a_file_that_is_not_a_shopkeeper_database(run, db, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    before = db.read_bytes()
    code, out, err = run("restore", bad, "--yes", "--db", db)
    assert code != 0 and out == "" and err.count("\n") == 1
    assert db.read_bytes() == before


def test_import_takes_a_daily_backup_first(run, db, tmp_path):
    csv_file = tmp_path / "s.csv"
    csv_file.write_text("date,amount,customer\n2026-01-07,5.00,Bob\n")
    assert run("import", "sales", csv_file, "--db", db, "--date", "2026-01-07")[0] == 0
    copies = list((db.parent / "backups").glob("shop-2026-01-07.sqlite3"))
    assert len(copies) == 1 and sales_total(copies[0]) == 4200  # the state before the import


def test_whitespace_file_without_header_imports_by_column_number(run, tmp_path):
    data = tmp_path / "log.txt"
    data.write_text(" 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00021 0002 19970101  3   63.34\n")
    db = tmp_path / "cd.sqlite3"
    code, out, err = run("import", "sales", data, "--db", db, "--map", "customer_id=1", "--map", "date=3",
                         "--map", "quantity=4", "--map", "amount=5")
    assert code == 0, err
    assert "added 3 sales" in out and "added 2 customers" in out
    code, out, err = run("import", "sales", data, "--db", tmp_path / "x.sqlite3")
    assert code != 0 and "no header line" in err


def test_us_dates_are_told_from_the_column_and_ambiguous_ones_need_date_format(run, tmp_path):
    us = tmp_path / "us.csv"
    us.write_text("InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID,Description\n"
                  "536365,12/1/2010 8:26,6,2.55,17850,WHITE HANGING HEART\n"
                  "536365,12/1/2010 8:26,6,3.39,17850,WHITE METAL LANTERN\n"
                  "C536379,12/13/2010 9:41,-1,27.5,17850,Discount\n"
                  "536380,12/13/2010 9:41,24,0.001,,PAPER\n")
    db = tmp_path / "r.sqlite3"
    code, out, err = run("import", "sales", us, "--db", db, "--map", "invoice=InvoiceNo", "--map", "date=InvoiceDate",
                         "--map", "quantity=Quantity", "--map", "unit_price=UnitPrice", "--map", "customer_id=CustomerID",
                         "--map", "items=Description")
    assert code == 0, err
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT sold_on, amount_cents FROM sale ORDER BY id").fetchall()
    assert rows == [("2010-12-01", 3564), ("2010-12-13", -2750), ("2010-12-13", 2)]
    ambiguous = tmp_path / "a.csv"
    ambiguous.write_text("date,amount\n01/02/2025,3.00\n")
    code, out, err = run("import", "sales", ambiguous, "--db", tmp_path / "b.sqlite3")
    assert code != 0 and "--date-format" in err
    code, out, err = run("import", "sales", ambiguous, "--db", tmp_path / "b.sqlite3", "--date-format", "dmy")
    assert code == 0
    with sqlite3.connect(tmp_path / "b.sqlite3") as conn:
        assert conn.execute("SELECT sold_on FROM sale").fetchone() == ("2025-02-01",)
