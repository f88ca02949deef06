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


# --- an invoice is a sale only with its day and its customer ----------------------------------

def test_the_same_invoice_number_in_another_file_is_another_sale(shop, tmp_path, today):
    first = write(tmp_path, "date,invoice,amount,customer\n2026-02-01,1001,12.50,Ann\n", "jan.csv")
    second = write(tmp_path, "date,invoice,amount,customer\n2026-02-20,1001,30.00,Bob\n", "feb.csv")
    assert import_sales(shop, first, {}, today=today).sales_added == 1
    report = import_sales(shop, second, {}, today=today)
    assert (report.sales_added, report.sales_already_there) == (1, 0)
    assert [r.amount_cents for r in sales(shop)] == [1250, 3000]
    again = import_sales(shop, second, {}, today=today)  # the same file again still adds nothing
    assert (again.sales_added, again.sales_already_there) == (0, 1)


def test_the_same_invoice_number_on_another_day_in_one_file_is_another_sale(shop, tmp_path, today):
    body = "date,invoice,amount,customer\n2025-01-03,7,10,Ann\n2026-01-03,7,20,Ann\n2026-01-03,7,5,Ann\n"
    assert import_sales(shop, write(tmp_path, body), {}, today=today).sales_added == 2
    assert [r.amount_cents for r in sales(shop)] == [1000, 2500]


def test_invoice_import_keys_are_day_customer_and_number(shop, tmp_path, today):
    """Pins the invoice key (as the test below pins the row key): files imported now must be
    recognised by later versions."""
    import hashlib

    import_sales(shop, write(tmp_path, "date,invoice,amount,phone\n2026-02-01,A-7,12.50,06 28 23 04 55\n"), {}, today=today)
    customer = hashlib.sha1(repr(("phone", "33628230455")).encode()).hexdigest()[:16]
    with shop.engine.connect() as conn:
        assert conn.execute(text("SELECT import_key FROM sale")).scalar() == f"invoice:2026-02-01:{customer}:A-7"


def test_invoices_imported_by_an_earlier_version_are_still_recognised(shop, tmp_path, today):
    """Earlier versions keyed an invoice by "inv:" + its number alone. Re-importing that file adds
    nothing; another customer's invoice with the same number, on another day, is still added."""
    path = write(tmp_path, INVOICES)
    import_sales(shop, path, {}, today=today)
    with shop.engine.begin() as conn:  # what an earlier version stored for these two invoices
        conn.execute(text("UPDATE sale SET import_key = 'inv:' || substr(import_key, length(import_key) - 1)"))
        assert sorted(conn.execute(text("SELECT import_key FROM sale")).scalars()) == ["inv:A1", "inv:A2"]
    before = counts(shop)
    again = import_sales(shop, path, {}, today=today)
    assert (again.sales_added, again.sales_already_there, again.customers_added) == (0, 2, 0)
    assert counts(shop) == before
    other = write(tmp_path, "date,invoice,amount,customer\n2026-02-10,A1,9.00,Hugo Petit\n", "other.csv")
    assert import_sales(shop, other, {}, today=today).sales_added == 1
    assert counts(shop)["sale"] == before["sale"] + 1


# --- dates that have not happened ----------------------------------------------------------------

def test_sales_dated_after_today_are_bad_rows(shop, tmp_path, today):
    body = "date,amount,customer\n2026-03-02,10,Ann\n2026-03-03,10,Bob\n2031-01-01,10,Cid\n"
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, body), {}, today=today)
    assert refused.value.errors == ["line 3: date '2026-03-03' is after today (2026-03-02)",
                                    "line 4: date '2031-01-01' is after today (2026-03-02)"]
    assert counts(shop)["sale"] == 0


@pytest.mark.parametrize("written, stored", [("31/12/99", "1999-12-31"), ("01/03/26", "2026-03-01"),
                                             ("15/06/05", "2005-06-15"), ("31/12/1999", "1999-12-31")])
def test_two_digit_years_are_the_most_recent_past_year(shop, tmp_path, today, written, stored):
    import_sales(shop, write(tmp_path, f"date,amount\n{written},1\n"), {}, date_format="dmy", today=today)
    assert str(sales(shop)[0].sold_on) == stored


def test_a_two_digit_year_later_this_year_is_refused_not_moved_a_century(shop, tmp_path, today):
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, "date,amount\n31/12/26,1\n"), {}, date_format="dmy", today=today)
    assert refused.value.errors == ["line 2: date '31/12/26' is after today (2026-03-02)"]


def test_dates_before_1900_are_bad_rows(shop, tmp_path, today):
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, "date,amount\n0001-01-01,1\n"), {}, today=today)
    assert refused.value.errors == ["line 2: date '0001-01-01' is before 1900"]


# --- numbers too big for their column -------------------------------------------------------------

@pytest.mark.parametrize("header, value, expected", [
    ("items", "1234567890123456789012345", "line 2: items '1234567890123456789012345' is more than 100000 items"),
    ("items", "100001", "more than 100000 items"),
    ("quantity", "1234567890123456789012345", "line 2: quantity '1234567890123456789012345' should be a whole number"),
    ("amount", "99999999999999999999999", "is too large"),
    ("amount", "1" * 5000, "is not a number"),
    ("unit_price", "1" * 5000, "unit price"),
    ("unit_price", "99999999999", "quantity × unit price is more than"),
])
def test_numbers_too_big_for_their_column_are_bad_rows(shop, tmp_path, today, header, value, expected):
    extra = {"items": ",10", "quantity": ",10", "amount": "", "unit_price": ""}[header]
    quantity = {"unit_price": ",100000"}.get(header, "")
    columns = f"date,{header}" + (",amount" if extra else "") + (",quantity" if quantity else "")
    body = f"{columns}\n2026-01-01,{value}{extra}{quantity}\n"
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, body), {}, today=today)
    assert len(refused.value.errors) == 1 and refused.value.errors[0].startswith("line 2: ")
    assert expected in refused.value.errors[0]
    assert counts(shop)["sale"] == 0


def test_an_invoice_adding_up_to_too_many_items_is_refused(shop, tmp_path, today):
    body = "date,invoice,quantity,unit_price\n" + "2026-01-01,A,60000,1\n" * 2
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, body), {}, today=today)
    assert refused.value.errors == ["line 3: invoice A adds up to more than 100000 items"]


# --- dry runs count what the real run does ------------------------------------------------------

def test_dry_run_counts_equal_the_real_run_when_rows_name_one_customer_differently(shop, tmp_path, today):
    """The second row names by name the customer the first row created with a phone: the real
    run finds her, so the dry run must too (it used to count two new customers)."""
    body = "date,amount,customer,phone\n2026-02-01,10,Zoé Martin,06 28 23 04 55\n2026-02-02,5,Zoé Martin,\n"
    path = write(tmp_path, body)
    dry = import_sales(shop, path, {}, dry_run=True, today=today)
    assert counts(shop) == {"sale": 0, "sale_line": 0, "customer": 0, "customer_phone": 0}
    real = import_sales(shop, path, {}, today=today)
    assert (dry.sales_added, dry.customers_added) == (real.sales_added, real.customers_added) == (2, 1)


# --- columns: common POS headers, and every column left out is named ------------------------------

def test_french_till_headers_are_recognised_without_any_map(shop, tmp_path, today):
    body = "Date;Montant;Client;Téléphone;E-mail;Articles;N° Facture;Qté\n" \
           "14/02/2026;12,50;Zoé Martin;06 28 23 04 55;zoe@example.com;Thé vert;F1;2\n"
    report = import_sales(shop, write(tmp_path, body), {}, today=today)
    assert report.ignored == []
    (row,) = shop.lookup("0628230455", today)
    card = shop.card(row.id, today)
    assert (card.name, card.email, row.total_spend_cents) == ("Zoé Martin", "zoe@example.com", 1250)
    assert [(r.item_count, str(r.sold_on)) for r in sales(shop)] == [(2, "2026-02-14")]


@pytest.mark.parametrize("header", [
    "Datum,Betrag,Kunde,Telefon,Rechnung,Menge,Preis,Artikel",
    "Fecha,Importe,Cliente,Teléfono,Factura,Cantidad,Precio,Artículos",
    "Data,Importo,Cliente,Telefono,Fattura,Quantità,Prezzo,Articoli",
    "Datum,Bedrag,Klant,Telefoon,Factuur,Aantal,Prijs,Artikelen",
    "DATE,TOTAL,CUSTOMER,PHONE,INVOICE,QTY,PRICE,ITEMS",
])
def test_pos_headers_in_german_spanish_italian_dutch_and_english(shop, tmp_path, today, header):
    body = header + "\n2026-02-01,6.00,Zoé Martin,06 28 23 04 55,F1,2,3.00,Tea\n"
    report = import_sales(shop, write(tmp_path, body), {}, today=today)
    assert (report.sales_added, report.customers_added, report.ignored) == (1, 1, [])
    with shop.engine.connect() as conn:
        line = conn.execute(text("SELECT description, quantity, unit_price_cents FROM sale_line")).one()
    assert tuple(line) == ("Tea", 2, 300)
    assert shop.lookup("0628230455", today)[0].name == "Zoé Martin"


def test_the_summary_lists_every_column_it_ignored_with_the_map_that_would_use_it(shop, tmp_path, today):
    """With only --map amount=Montant, the Client and Téléphone columns were ignored without a word
    and every sale was imported without its customer."""
    body = "Jour;Montant;Client;Téléphone;Total TTC;Vendeur\n2026-02-01;12,50;Zoé;06 28 23 04 55;12,50;Paul\n"
    report = import_sales(shop, write(tmp_path, body), {"amount": "Montant"}, today=today)
    assert report.summary().splitlines() == [
        "1 rows read, added 1 sales, added 1 customers",
        "column 'Total TTC' not imported: add --map 'amount=Total TTC' to use it",
        "column 'Vendeur' not imported: add --map FIELD=Vendeur to use it (FIELD one of: quantity, unit_price, "
        "customer_id, email, items, on_sale, invoice, note, cost)",
    ]
    assert sales(shop)[0].customer_id is not None
    assert shop.lookup("0628230455", today)[0].name == "Zoé"


def test_a_map_may_name_a_column_without_its_accents(shop, tmp_path, today):
    body = "Jour;Montant;Téléphone\n2026-02-01;12,50;06 28 23 04 55\n"
    import_sales(shop, write(tmp_path, body), {"date": "Jour", "phone": "telephone"}, today=today)
    assert shop.lookup("0628230455", today)[0].total_spend_cents == 1250


def test_a_refused_file_names_the_columns_it_could_not_place(shop, tmp_path, today):
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, write(tmp_path, "Quand,Montant\n2026-02-01,3\n"), {}, today=today)
    assert refused.value.errors == [f"{tmp_path / 'sales.csv'}: no date column (map one with --map date=COLUMN)"]
    assert refused.value.hints[0].startswith("column 'Quand' not imported: add --map FIELD=Quand")
