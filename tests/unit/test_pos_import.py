"""Importing a shop's history from its till or online shop (issue 15), through the command line.

The files in tests/data/pos/ are written from each system's documented columns (see the README there)."""
import shutil
import sqlite3
from pathlib import Path

import pytest

from shopkeeper.services import Shop

DATA = Path(__file__).resolve().parent.parent / "data" / "pos"


def new_shop(tmp_path, zone):
    path = tmp_path / "shop.sqlite3"
    shop = Shop.open(path)
    shop.save_settings({"time_zone": zone})
    shop.close()
    return path


def rows(path, sql):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def sales(path):
    return rows(path, "SELECT import_key, sold_on, sold_at, amount_cents, item_count, customer_id FROM sale ORDER BY import_key")


def counts(path):
    return {t: rows(path, f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("sale", "sale_line", "customer", "customer_phone")}


def imported(run, db, name, *extra):
    code, out, err = run("import", "sales", DATA / name, "--db", db, *extra)
    assert (code, err) == (0, ""), err
    return out.strip()


# Shopify ---------------------------------------------------------------------------------------

def test_shopify_orders_import_without_map_one_sale_per_order(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    assert imported(run, db, "shopify_orders.csv") == (
        "Shopify orders: 8 rows read, added 5 sales (1 refund), added 3 customers; left out: 1 cancelled, 1 unpaid")
    assert sales(db) == [
        ("shopify:#1001", "2025-10-07", "2025-10-07T07:50:26Z", 7480, 2, 1),  # the order's Total, two lines
        ("shopify:#1002", "2025-10-20", "2025-10-20T16:12:00Z", 2440, 3, 1),  # shipping included, as paid
        ("shopify:#1002:refund", "2025-10-20", None, -650, 1, 1),  # Refunded Amount, a refund of that order
        ("shopify:#1005", "2025-10-25", "2025-10-25T12:00:00Z", 1200, 1, 2),
        ("shopify:#1006", "2025-11-01", "2025-11-01T06:30:00Z", 4500, 3, 3),  # 23:30 −07:00 is the 1st in Paris
    ]
    assert rows(db, "SELECT s.import_key, l.description, l.quantity, l.unit_price_cents FROM sale_line l "
                    "JOIN sale s ON s.id = l.sale_id ORDER BY l.id") == [
        ("shopify:#1001", "Masque Argile Rose", 1, 3490), ("shopify:#1001", "Sérum Éclat", 1, 3990),
        ("shopify:#1002", "Savon Lavande", 3, 650), ("shopify:#1005", "Bougie Forêt", 1, 1200),
        ("shopify:#1006", "Crème Mains Karité", 1, 1500), ("shopify:#1006", "Baume Lèvres", 2, 1500),
    ]
    # matched by email across orders (#1002 writes it in capitals); a customer without a name is
    # known by their email; consent from Accepts Marketing; created on their first order's day
    assert rows(db, "SELECT id, name, email, marketing_consent, created_on, total_spend_cents FROM customer ORDER BY id") == [
        (1, "Sophie Gallas", "sophie.gallas@example.fr", 1, "2025-10-07", 7480 + 2440 - 650),
        (2, "lea.b@example.com", "lea.b@example.com", 0, "2025-10-25", 1200),
        (3, "Jürgen Weiß", "jurgen.weiss@example.de", 1, "2025-11-01", 4500),
    ]
    assert rows(db, "SELECT customer_id, e164 FROM customer_phone ORDER BY id") == [(1, "33610826417"), (3, "4915123456789")]
    assert not rows(db, "SELECT 1 FROM customer WHERE name = 'Marc Duval'")  # only cancelled or unpaid orders


def test_shopify_import_twice_adds_nothing_and_a_later_export_adds_only_new_orders(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    imported(run, db, "shopify_orders.csv")
    before = counts(db)
    assert imported(run, db, "shopify_orders.csv") == (
        "Shopify orders: 8 rows read, added 0 sales, 5 already imported, added 0 customers; left out: 1 cancelled, 1 unpaid")
    assert counts(db) == before
    assert imported(run, db, "shopify_orders_later.csv") == (
        "Shopify orders: 11 rows read, added 2 sales, 5 already imported, added 1 customers; left out: 1 cancelled, 1 unpaid")
    after = counts(db)
    assert (after["sale"], after["customer"], after["sale_line"]) == (before["sale"] + 2, before["customer"] + 1,
                                                                      before["sale_line"] + 3)
    assert rows(db, "SELECT customer_id, amount_cents FROM sale WHERE import_key = 'shopify:#1007'") == [(1, 3990)]
    assert imported(run, db, "shopify_orders_later.csv").startswith("Shopify orders: 11 rows read, added 0 sales, 7 already")


def test_the_day_is_the_shops_local_day(run, tmp_path):
    west = tmp_path / "west"
    west.mkdir()
    db = new_shop(west, "America/Los_Angeles")
    imported(run, db, "shopify_orders.csv", "--from", "shopify")
    assert rows(db, "SELECT sold_on FROM sale WHERE import_key = 'shopify:#1006'") == [("2025-10-31",)]
    assert rows(db, "SELECT sold_on FROM sale WHERE import_key = 'shopify:#1001'") == [("2025-10-07",)]  # 00:50 there


def test_dry_run_counts_and_writes_nothing(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    before = counts(db)
    assert imported(run, db, "shopify_orders.csv", "--dry-run") == (
        "Shopify orders: 8 rows read, would add 5 sales (1 refund), would add 3 customers; left out: 1 cancelled, 1 unpaid"
        " (dry run: nothing written)")
    assert counts(db) == before


def test_a_bad_order_refuses_the_whole_file_by_line(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    text = (DATA / "shopify_orders.csv").read_text(encoding="utf-8").replace(",0.00,45.00,", ',0.00,"45,00.0",', 1)
    text = text.replace("2025-10-25 14:00:00 +0200", "2025-10-25 25:00:00 +0200")
    bad = tmp_path / "orders_export.csv"
    bad.write_text(text, encoding="utf-8")
    code, out, err = run("import", "sales", bad, "--db", db)
    assert code == 1 and out == ""
    assert "line 7: time in '2025-10-25 25:00:00 +0200' does not exist" in err
    assert "line 8: total: amount '45,00.0' is not a number like 12.50" in err
    assert "import refused, nothing written: 2 problem(s)" in err
    assert counts(db)["sale"] == 0


def test_from_names_the_export_and_refuses_another(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    code, out, err = run("import", "sales", DATA / "shopify_orders.csv", "--from", "square", "--db", db)
    assert code == 1
    assert "this is not a Square transactions export: no column 'date', 'time', 'time zone', 'transaction id', 'total collected'" in err
    code, out, err = run("import", "sales", DATA / "shopify_orders.csv", "--from", "shopify", "--map", "date=Created at", "--db", db)
    assert code == 2 and "leave out --map" in err
    assert counts(db)["sale"] == 0


def test_a_plain_csv_still_goes_to_the_generic_import(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    plain = tmp_path / "sales.csv"
    plain.write_text("date,amount,customer\n2026-02-01,5.00,Ann\n")
    assert imported(run, db, plain) == "1 rows read, added 1 sales, added 1 customers"


# Square ----------------------------------------------------------------------------------------

def test_square_transactions_decimal_comma_refunds_and_the_zone_column(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    assert imported(run, db, "square_transactions.csv") == (
        "Square transactions: 8 rows read, added 8 sales (2 refunds), added 4 customers; left out: 1 cancelled")
    assert sales(db) == [
        ("square:TX1AAA", "2025-10-07", "2025-10-07T07:50:26Z", 7480, 2, 1),  # "62,33 €" + "12,47 €" tax
        ("square:TX2BBB", "2025-10-20", "2025-10-20T16:12:00Z", 1950, 3, 1),
        ("square:TX2BBB:refund", "2025-10-20", "2025-10-20T16:12:00Z", -650, 1, 1),  # Partial Refunds
        ("square:TX3CCC", "2025-10-14", "2025-10-14T09:00:00Z", 4800, 1, 2),
        ("square:TX3CCC:refund:REF3CCC", "2025-10-15", "2025-10-15T08:30:00Z", -4800, 1, 2),  # Event Type Refund
        ("square:TX4DDD", "2025-10-25", "2025-10-25T12:00:00Z", 1200, 1, 3),  # after its discount
        ("square:TX5EEE", "2025-11-01", "2025-10-31T23:45:00Z", 4500, 3, 4),  # 23:45 in London, 00:45 in Paris
        ("square:TX6FFF", "2025-10-31", "2025-10-31T11:00:00Z", 650, 1, None),  # no customer: a walk-in
    ]
    assert rows(db, "SELECT id, name, external_id FROM customer ORDER BY id") == [
        (1, "Élodie Mercier", "SQCUST01"), (2, "Marc Duval", "SQCUST02"),
        (3, "Customer SQCUST03", "SQCUST03"),  # Square knows them by id only
        (4, "Jürgen Weiß", "SQCUST04"),
    ]
    assert rows(db, "SELECT description, quantity FROM sale_line WHERE sale_id = (SELECT id FROM sale WHERE import_key = 'square:TX5EEE')") == [
        ("Crème Mains Karité", 1), ("Baume Lèvres", 2)]


def test_square_transactions_twice_then_later(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    imported(run, db, "square_transactions.csv")
    before = counts(db)
    assert imported(run, db, "square_transactions.csv").startswith("Square transactions: 8 rows read, added 0 sales, 8 already imported, added 0 customers")
    assert counts(db) == before
    assert imported(run, db, "square_transactions_later.csv").startswith("Square transactions: 9 rows read, added 1 sales, 8 already imported, added 0 customers")
    assert rows(db, "SELECT customer_id, sold_on, amount_cents FROM sale WHERE import_key = 'square:TX8HHH'") == [(1, "2025-11-05", 3990)]
    assert counts(db)["sale"] == before["sale"] + 1


def test_square_item_sales_grouped_by_transaction(run, tmp_path):
    db = new_shop(tmp_path, "America/Los_Angeles")
    assert imported(run, db, "square_item_sales.csv", "--from", "square") == (
        "Square item sales: 5 rows read, added 4 sales (1 refund), added 3 customers")
    assert sales(db) == [
        ("square:ITX1", "2025-10-07", "2025-10-07T16:50:26Z", 3490 + 305 + 7980 - 800 + 628, 3, 1),  # net + tax of its lines
        ("square:ITX1:refund:IREF1", "2025-10-14", "2025-10-14T17:00:00Z", -(3490 + 305), 1, 1),
        ("square:ITX2", "2025-10-13", "2025-10-14T00:00:00Z", 653, 1, 2),
        ("square:ITX3", "2025-10-31", "2025-11-01T05:30:00Z", 4894, 1, 3),  # 1:30 AM in New York is the 31st here
    ]
    assert rows(db, "SELECT description, quantity, unit_price_cents FROM sale_line WHERE sale_id = 1 OR sale_id = 2 ORDER BY id") == [
        ("Clay Mask", 1, 3490), ("Glow Serum (30 ml)", 2, 3990), ("Lavender Soap (0.5 lb)", 1, 600)]
    # the transactions export of the same shop names the same sales: nothing counted twice
    assert rows(db, "SELECT name FROM customer ORDER BY id") == [("Renée Dubois",), ("Customer SQC2",), ("Zoë O'Brien",)]


def test_the_format_is_found_from_the_columns_whatever_the_file_is_called(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    copy = tmp_path / "export.csv"
    shutil.copy(DATA / "square_item_sales.csv", copy)
    assert imported(run, db, copy).startswith("Square item sales: 5 rows read")


def test_an_order_after_today_is_refused(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    code, out, err = run("import", "sales", DATA / "shopify_orders.csv", "--db", db, "--date", "2025-10-31")
    assert code == 1
    assert "line 8: Shopify order #1006 is dated 2025-11-01, after today (2025-10-31)" in err
    assert counts(db)["sale"] == 0


def test_an_order_refunded_again_since_adds_only_the_difference(run, tmp_path):
    db = new_shop(tmp_path, "Europe/Paris")
    imported(run, db, "shopify_orders.csv")
    later = tmp_path / "orders_export_2.csv"
    later.write_text((DATA / "shopify_orders.csv").read_text(encoding="utf-8").replace(
        "partially_refunded", "refunded")
        .replace(",6.50,,0.00,", ",13.00,,0.00,", 1), encoding="utf-8")
    assert ",13.00,,0.00," in later.read_text(encoding="utf-8")
    assert imported(run, db, later).startswith("Shopify orders: 8 rows read, added 1 sales (1 refund), 5 already imported")
    assert rows(db, "SELECT import_key, amount_cents FROM sale WHERE import_key LIKE 'shopify:#1002%' ORDER BY id") == [
        ("shopify:#1002", 2440), ("shopify:#1002:refund", -650), ("shopify:#1002:refund:1300", -650)]
    assert imported(run, db, later).startswith("Shopify orders: 8 rows read, added 0 sales, 5 already imported")
    assert rows(db, "SELECT total_spend_cents FROM customer WHERE id = 1") == [(7480 + 2440 - 1300,)]


def test_a_second_refund_of_a_square_sale_in_a_later_export_is_added(run, tmp_path):
    db = new_shop(tmp_path, "America/Los_Angeles")
    imported(run, db, "square_item_sales.csv")
    text = (DATA / "square_item_sales.csv").read_text(encoding="utf-8")
    refund = next(line for line in text.splitlines() if ",IREF1," in line)
    later = tmp_path / "items-later.csv"
    later.write_text(text + refund.replace("10/14/2025", "10/20/2025").replace(",IREF1,", ",IREF2,") + "\n",
                     encoding="utf-8")
    assert imported(run, db, later).startswith("Square item sales: 6 rows read, added 1 sales (1 refund), 4 already")
    assert rows(db, "SELECT sold_on, amount_cents FROM sale WHERE import_key = 'square:ITX1:refund:IREF2'") == [
        ("2025-10-20", -(3490 + 305))]


def test_a_refund_in_an_export_is_tied_to_its_order_and_a_full_refund_is_no_purchase_day(run, tmp_path):
    """Shopify's Refunded Amount is a refund of that order: tied to its sale as a refund typed at the
    counter is, so an order refunded in full leaves its customer with no purchase day."""
    import csv

    source = tmp_path / "orders.csv"
    with open(DATA / "shopify_orders.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    header = table[0]
    for row in table[1:]:
        if row[header.index("Name")] == "#1005":  # Léa's only order, 12.00, now refunded in full
            row[header.index("Financial Status")] = "refunded"
            row[header.index("Refunded Amount")] = row[header.index("Total")]
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    db = new_shop(tmp_path, "Europe/Paris")
    code, out, err = run("import", "sales", source, "--db", db, "--date", "2026-03-02")
    assert code == 0, err
    tied = rows(db, "SELECT r.import_key, p.import_key FROM sale r JOIN sale p ON p.id = r.refund_of_id ORDER BY 1")
    assert tied == [("shopify:#1002:refund", "shopify:#1002"), ("shopify:#1005:refund", "shopify:#1005")]
    assert rows(db, "SELECT purchase_days, total_spend_cents, first_purchase_on FROM customer"
                    " WHERE id = (SELECT customer_id FROM sale WHERE import_key = 'shopify:#1005')") == [(0, 0, None)]
