"""`import customers --from shopify|square` laid over the customers their sales import created (issue 15)."""
import sqlite3
from pathlib import Path

from shopkeeper.services import Shop

DATA = Path(__file__).resolve().parent.parent / "data" / "pos"


def shop_with_sales(run, tmp_path, sales_file):
    db = tmp_path / "shop.sqlite3"
    shop = Shop.open(db)
    shop.save_settings({"time_zone": "Europe/Paris"})
    shop.close()
    code, _, err = run("import", "sales", DATA / sales_file, "--db", db, "--date", "2026-03-02")
    assert (code, err) == (0, "")
    return db


def customers(db):
    with sqlite3.connect(db) as conn:
        people = conn.execute("SELECT id, name, email, marketing_consent, notes, external_id, birthday, created_on"
                              " FROM customer ORDER BY id").fetchall()
        phones = conn.execute("SELECT customer_id, e164 FROM customer_phone ORDER BY customer_id, id").fetchall()
    return people, phones


def test_shopify_customers_fill_in_the_customers_the_orders_created(run, tmp_path):
    db = shop_with_sales(run, tmp_path, "shopify_orders.csv")
    code, out, err = run("import", "customers", DATA / "shopify_customers.csv", "--db", db, "--date", "2026-03-02")
    assert (code, err) == (0, "")
    assert out == "Shopify customers: 3 rows read, added 1 customers, updated 2 customers\n"
    people, phones = customers(db)
    assert people == [
        # matched by email; unsubscribed since (Accepts Email Marketing: no); note and tags kept
        (1, "Sophie Gallas", "sophie.gallas@example.fr", 0, "Shopify: Préfère les parfums doux\nTags: fidèle, VIP",
         None, None, "2025-10-07"),
        # the orders knew only her email: now her name and a phone
        (2, "Léa Bernard", "lea.b@example.com", 1, "", None, None, "2025-10-25"),
        (3, "Jürgen Weiß", "jurgen.weiss@example.de", 1, "", None, None, "2025-11-01"),  # not in this export: untouched
        (4, "Chloé Martin", "chloe.martin@example.fr", 1, "Shopify: Inscrite au salon\nTags: salon-2025", None, None,
         "2026-03-02"),
    ]
    assert phones == [(1, "33610826417"), (2, "33698765432"), (3, "4915123456789"), (4, "33712345678")]
    code, out, err = run("import", "customers", DATA / "shopify_customers.csv", "--db", db, "--date", "2026-03-02")
    assert out == "Shopify customers: 3 rows read, added 0 customers, updated 0 customers\n"
    assert customers(db) == (people, phones)


def test_square_customers_matched_by_square_customer_id(run, tmp_path):
    db = shop_with_sales(run, tmp_path, "square_transactions.csv")
    code, out, err = run("import", "customers", DATA / "square_customers.csv", "--from", "square", "--db", db,
                         "--date", "2026-03-02")
    assert (code, err) == (0, "")
    assert out == "Square customers: 3 rows read, added 1 customers, updated 2 customers\n"
    people, phones = customers(db)
    assert [p[:7] for p in people] == [
        (1, "Élodie Mercier", "elodie.mercier@example.fr", 1, "Square: Allergique aux noix", "SQCUST01", "1985-04-12"),
        (2, "Marc Duval", None, 0, "", "SQCUST02", None),
        (3, "Nadia Benali", None, 0, "", "SQCUST03", None),  # was "Customer SQCUST03" from the sales
        (4, "Jürgen Weiß", None, 0, "", "SQCUST04", None),
        (5, "Paul Lefèvre", "paul.lefevre@example.fr", 1, "Square: Client du marché", "SQCUST09", None),
    ]
    assert phones == [(1, "33611223344"), (3, "33655443322")]


def test_the_owners_own_name_and_email_are_kept(run, tmp_path):
    db = shop_with_sales(run, tmp_path, "square_transactions.csv")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE customer SET name = 'Élo Mercier', name_fold = 'elo mercier', email = 'elo@example.fr',"
                     " email_fold = 'elo@example.fr' WHERE id = 1")
    run("import", "customers", DATA / "square_customers.csv", "--db", db, "--date", "2026-03-02")
    people, _ = customers(db)
    assert people[0][1:3] == ("Élo Mercier", "elo@example.fr")


def test_a_bad_phone_refuses_the_customers_file(run, tmp_path):
    db = shop_with_sales(run, tmp_path, "shopify_orders.csv")
    bad = tmp_path / "customers_export.csv"
    bad.write_text((DATA / "shopify_customers.csv").read_text(encoding="utf-8").replace("06 98 76 54 32", "call me"),
                   encoding="utf-8")
    before = customers(db)
    code, out, err = run("import", "customers", bad, "--db", db, "--date", "2026-03-02")
    assert code == 1 and "line 3: phone 'call me' has no digits" in err
    assert customers(db) == before
