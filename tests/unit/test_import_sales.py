"""Importing sales from a CSV: invoice grouping, idempotence, all-or-nothing, encodings."""
from datetime import date

import pytest
from sqlalchemy import text

from shopkeeper.csvfiles import CsvError
from shopkeeper.imports import ImportRefused, import_customers, import_sales


def write(tmp_path, body, name="sales.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(body.encode(encoding) if isinstance(body, str) else body)
    return path


def counts(shop):
    with shop.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in ("sale", "sale_line", "customer", "customer_phone")}


def sales(shop):
    with shop.engine.connect() as conn:
        return conn.execute(text("SELECT customer_id, sold_on, amount_cents, item_count, on_sale FROM sale ORDER BY id")).all()


INVOICES = """date,invoice,customer,phone,items,quantity,unit_price
2026-02-01,A1,Zoé Martin,06 28 23 04 55,Earl Grey,2,8.50
2026-02-01,A1,Zoé Martin,06 28 23 04 55,Cup,1,14.50
2026-02-03,A2,Hugo Petit,,Teapot,1,49.00
"""


def test_invoice_lines_form_one_sale_with_its_lines(shop, tmp_path):
    report = import_sales(shop, write(tmp_path, INVOICES), {})
    assert (report.rows, report.sales_added, report.customers_added) == (3, 2, 2)
    rows = sales(shop)
    assert [(r.amount_cents, r.item_count) for r in rows] == [(3150, 3), (4900, 1)]
    with shop.engine.connect() as conn:
        lines = conn.execute(text("SELECT sale_id, description, quantity, unit_price_cents FROM sale_line ORDER BY id")).all()
    assert [tuple(line[1:]) for line in lines] == [("Earl Grey", 2, 850), ("Cup", 1, 1450), ("Teapot", 1, 4900)]
    assert lines[0].sale_id == lines[1].sale_id != lines[2].sale_id
    zoe = shop.lookup("0628230455", date(2026, 3, 2))[0]
    assert (zoe.name, zoe.total_spend_cents, zoe.purchase_days) == ("Zoé Martin", 3150, 1)


def test_importing_the_same_file_twice_adds_nothing(shop, tmp_path):
    path = write(tmp_path, INVOICES + "2026-02-04,,Walk In Person,,,,3\n2026-02-04,,Walk In Person,,,,3\n")
    first = import_sales(shop, path, {})
    before = counts(shop)
    second = import_sales(shop, path, {})
    assert counts(shop) == before
    assert (first.sales_added, second.sales_added, second.sales_already_there, second.customers_added) == (4, 0, 4, 0)
    assert "already imported" in second.summary()


def test_two_identical_rows_are_two_sales(shop, tmp_path):
    path = write(tmp_path, "date,amount,customer\n2026-02-01,5.00,Ann\n2026-02-01,5.00,Ann\n")
    assert import_sales(shop, path, {}).sales_added == 2
    assert [r.amount_cents for r in sales(shop)] == [500, 500]


def test_bad_rows_reported_with_line_numbers_and_nothing_written(shop, tmp_path):
    import_sales(shop, write(tmp_path, "date,amount,customer\n2026-01-01,1,Old\n", "old.csv"), {})
    before = counts(shop)
    body = ("date,amount,customer\n"
            "2026-02-01,12.50,Ann\n"
            "2026-02-31,3.00,Bob\n"
            "2026-02-02,abc,Cid\n"
            "\n"
            "2026-02-03,4.00,Dee\n"
            "2026-02-03,1e309,Eve\n")
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, body), {})
    errors = refused.value.errors
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4", "line 7"]
    assert "does not exist" in errors[0] and "abc" in errors[1] and "1e309" in errors[2]
    assert counts(shop) == before


def test_zero_amount_sales_are_kept_but_are_no_purchase(shop, tmp_path, today):
    body = "date,amount,customer\n2026-02-01,12.50,Ann\n2026-02-03,0,Eve\n2026-02-04,0.00,Ann\n"
    report = import_sales(shop, write(tmp_path, body), {})
    assert report.sales_added == 3
    assert [r.amount_cents for r in sales(shop)] == [1250, 0, 0]
    eve = shop.lookup("Eve", today)[0]
    assert (eve.purchase_days, eve.level) == (0, 0)


def test_invoice_lines_naming_two_customers_the_same_day_are_refused(shop, tmp_path):
    body = "date,invoice,amount,customer\n2026-02-01,A1,1,Ann\n2026-02-02,A1,1,Ann\n2026-02-01,B1,1,Ann\n2026-02-01,B1,1,Bob\n"
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, body), {})
    assert [e.split(":")[0] for e in refused.value.errors] == ["line 5"]
    assert counts(shop)["sale"] == 0


def test_dry_run_writes_nothing_and_counts(shop, tmp_path):
    report = import_sales(shop, write(tmp_path, INVOICES), {}, dry_run=True)
    assert (report.sales_added, report.customers_added) == (2, 2)
    assert "dry run" in report.summary() and "would add 2 sales" in report.summary()
    assert counts(shop) == {"sale": 0, "sale_line": 0, "customer": 0, "customer_phone": 0}
    assert import_sales(shop, write(tmp_path, INVOICES), {}).sales_added == 2  # not marked as imported


def test_quantity_times_unit_price(shop, tmp_path):
    body = "date,customer,quantity,unit_price\n2026-02-01,Ann,3,2.50\n2026-02-01,Bob,,4\n"
    import_sales(shop, write(tmp_path, body), {})
    assert [(r.amount_cents, r.item_count) for r in sales(shop)] == [(750, 3), (400, 1)]


def test_external_customer_id_groups_rows_to_one_customer(shop, tmp_path):
    body = ("date,amount,customer_id,customer\n"
            "2026-01-01,10,C7,Zoé Martin\n"
            "2026-02-01,20,C7,Z. Martin\n"
            "2026-02-01,30,C8,Zoé Martin\n")
    report = import_sales(shop, write(tmp_path, body), {})
    assert report.customers_added == 2
    rows = sales(shop)
    assert rows[0].customer_id == rows[1].customer_id != rows[2].customer_id
    card = shop.card(rows[0].customer_id, date(2026, 3, 2))
    assert (card.external_id, card.purchase_days, card.total_spend_cents) == ("C7", 2, 3000)


def test_customer_column_may_hold_an_external_id(shop, tmp_path, today):
    import_customers(shop, write(tmp_path, "customer_id,name\nC001,Zoé Martin\n", "c.csv"), {}, today)
    report = import_sales(shop, write(tmp_path, "date,amount,customer\n2026-02-01,10,C001\n"), {})
    assert report.customers_added == 0
    assert shop.count_customers() == 1
    assert shop.lookup("zoe", today)[0].total_spend_cents == 1000


def test_existing_customer_found_by_phone_in_another_format(shop, make, tmp_path, today):
    cid = make.customer("Zoé Martin", phones=["06 28 23 04 55"])
    import_sales(shop, write(tmp_path, "date,amount,phone\n2026-02-01,10,+33628230455\n"), {})
    assert shop.count_customers() == 1
    assert sales(shop)[0].customer_id == cid


def test_rows_without_a_customer_are_walk_ins(shop, tmp_path):
    report = import_sales(shop, write(tmp_path, "date,amount,customer\n2026-02-01,10,\n"), {})
    assert report.customers_added == 0
    assert sales(shop)[0].customer_id is None


def test_decimal_comma_with_semicolons_and_a_bom(shop, tmp_path):
    body = "\ufeffDate;Montant;Client;Promo\n2026-02-01;12,50;Zoé;oui\n2026-02-02;1 234,50;Zoé;non\n"
    import_sales(shop, write(tmp_path, body), {"amount": "Montant", "customer": "Client", "on_sale": "Promo"})
    assert [(r.amount_cents, bool(r.on_sale)) for r in sales(shop)] == [(1250, True), (123450, False)]
    assert shop.lookup("zoé", date(2026, 3, 2))[0].name == "Zoé"


def test_windows_1252_file(shop, tmp_path):
    body = "date;amount;customer\r\n2026-02-01;9,90;Zoé Lefèvre\r\n"
    import_sales(shop, write(tmp_path, body, encoding="cp1252"), {})
    (row,) = shop.lookup("lefevre", date(2026, 3, 2))
    assert (row.name, row.total_spend_cents) == ("Zoé Lefèvre", 990)


def test_refund_rows_are_imported_as_negative_sales(shop, tmp_path):
    body = "date,amount,customer\n2026-02-01,30,Ann\n2026-02-05,-10,Ann\n"
    import_sales(shop, write(tmp_path, body), {})
    (row,) = shop.lookup("ann", date(2026, 3, 2))
    assert (row.total_spend_cents, row.purchase_days, row.level) == (2000, 1, 1)


def test_map_and_missing_columns(shop, tmp_path):
    path = write(tmp_path, "when,sum\n2026-02-01,10\n")  # names no field in any language
    with pytest.raises(CsvError, match="no column 'nope'"):
        import_sales(shop, path, {"date": "nope"})
    with pytest.raises(CsvError, match="unknown field 'colour'"):
        import_sales(shop, path, {"colour": "when"})
    with pytest.raises(CsvError, match="no known column"):
        import_sales(shop, path, {})
    with pytest.raises(ImportRefused, match="1 bad row"):
        import_sales(shop, path, {"date": "when"})
    assert import_sales(shop, path, {"date": "when", "amount": "sum"}).sales_added == 1


@pytest.mark.parametrize("body, message", [(b"", "is empty"), (b"\x00\x01binary", "binary")])
def test_unreadable_files(shop, tmp_path, body, message):
    with pytest.raises(CsvError, match=message):
        import_sales(shop, write(tmp_path, body), {})


def test_import_keys_stay_those_earlier_versions_stored(shop, tmp_path):
    """Re-importing a file must recognise sales imported by any earlier version: the key of a row
    without invoice is the SHA-1 of its fields joined by "|" (the customer key as repr)."""
    import hashlib

    import_sales(shop, write(tmp_path, "date,customer,phone,amount,items,note\n2026-02-01,Zoé Martin,06 28 23 04 55,12.50,Earl Grey,gift\n"), {})
    fields = ["2026-02-01", "1250", repr(("phone", "33628230455")), "1", "None", "Earl Grey", "False", "gift"]
    expected = "row:" + hashlib.sha1("|".join(fields).encode()).hexdigest() + ":1"
    with shop.engine.connect() as conn:
        assert conn.execute(text("SELECT import_key FROM sale")).scalar() == expected
