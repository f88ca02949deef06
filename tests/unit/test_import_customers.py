"""Importing customers: create or update, phones as typed, referrals, all-or-nothing, idempotent."""
from datetime import date

import pytest

from shopkeeper.imports import ImportRefused, import_customers

CUSTOMERS = """customer_id,name,phone,email,birthday,likes,preferred_channel,marketing_consent,referred_by
C001,Zoé Martin,06 28 23 04 55|+33 7 11 22 33 44,zoe@example.com,1980-03-04,green tea,sms,yes,
C002,Hugo Petit,,hugo@example.com,,,,no,C001
"""


def write(tmp_path, body, name="customers.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(body.encode(encoding))
    return path


def test_customers_created_with_their_fields(shop, tmp_path, today):
    report = import_customers(shop, write(tmp_path, CUSTOMERS), {}, today)
    assert (report.rows, report.customers_added, report.customers_updated) == (2, 2, 0)
    zoe = shop.card(shop.lookup("zoe", today)[0].id, today)
    assert zoe.phones == ["06 28 23 04 55", "+33 7 11 22 33 44"]
    assert (zoe.email, zoe.birthday, zoe.likes, zoe.preferred_channel, zoe.marketing_consent, zoe.external_id) == (
        "zoe@example.com", date(1980, 3, 4), "green tea", "sms", True, "C001")
    hugo = shop.card(shop.lookup("hugo", today)[0].id, today)
    assert hugo.referred_by.customer_id == zoe.id
    assert [row.id for row in shop.lookup("07 11 22 33 44", today)] == [zoe.id]


def test_second_import_changes_nothing(shop, tmp_path, today):
    path = write(tmp_path, CUSTOMERS)
    import_customers(shop, path, {}, today)
    report = import_customers(shop, path, {}, today)
    assert (report.customers_added, report.customers_updated) == (0, 0)
    assert shop.count_customers() == 2
    zoe = shop.card(shop.lookup("zoe", today)[0].id, today)
    assert len(zoe.phones) == 2


def test_existing_customer_updated_and_phones_added(shop, make, tmp_path, today):
    cid = make.customer("Zoé Martin", phones=["06 28 23 04 55"])
    body = "name,phone,likes\nZoé Martin,06 28 23 04 55 / 07 00 00 00 01,oolong\n"
    report = import_customers(shop, write(tmp_path, body), {}, today)
    assert (report.customers_added, report.customers_updated) == (0, 1)
    card = shop.card(cid, today)
    assert card.phones == ["06 28 23 04 55", "07 00 00 00 01"] and card.likes == "oolong"


def test_unknown_referrer_is_a_note_not_a_failure(shop, tmp_path, today):
    report = import_customers(shop, write(tmp_path, "name,referred_by\nAnn,Nobody Known\n"), {}, today)
    assert report.customers_added == 1
    assert report.notes == ["line 2: referrer 'Nobody Known' not found; referral skipped"]


def test_bad_rows_refused_with_line_numbers_nothing_written(shop, tmp_path, today):
    body = ("name,phone,email,birthday,preferred_channel\n"
            "Good One,0611111111,,,\n"
            ",,,,\n"
            "No Name Row,,,,\n"
            "Bad Phone,12,,,\n"
            "Bad Mail,,not-an-email,,\n"
            "Bad Day,,,1980-02-30,\n"
            "Bad Channel,,,,pigeon\n")
    with pytest.raises(ImportRefused) as refused:
        import_customers(shop, write(tmp_path, body), {}, today)
    assert [e.split(":")[0] for e in refused.value.errors] == ["line 5", "line 6", "line 7", "line 8"]
    assert shop.count_customers() == 0


def test_dry_run_writes_nothing(shop, make, tmp_path, today):
    make.customer("Zoé Martin", email="zoe@example.com")
    report = import_customers(shop, write(tmp_path, CUSTOMERS), {}, today, dry_run=True)
    assert (report.customers_added, report.customers_updated) == (1, 1)
    assert "dry run" in report.summary()
    assert shop.count_customers() == 1
    assert shop.lookup("zoe", today)[0].phone == ""


def test_mapped_columns_in_a_cp1252_semicolon_file(shop, tmp_path, today):
    body = "Nom;Téléphone\r\nAgnès Guérin;06 12 34 56 78\r\n"
    import_customers(shop, write(tmp_path, body, encoding="cp1252"), {"name": "Nom", "phone": "Téléphone"}, today)
    (row,) = shop.lookup("agnes", today)
    assert (row.name, row.phone) == ("Agnès Guérin", "06 12 34 56 78")


def test_dry_run_counts_equal_the_real_run_with_a_repeated_row(shop, tmp_path, today):
    path = write(tmp_path, "name,phone\nAnn Lee,06 11 11 11 11\nAnn Lee,06 11 11 11 11\nBob Ray,\n")
    dry = import_customers(shop, path, {}, today, dry_run=True)
    assert shop.count_customers() == 0
    real = import_customers(shop, path, {}, today)
    assert (dry.customers_added, dry.customers_updated) == (real.customers_added, real.customers_updated) == (2, 0)
    assert dry.summary() == "3 rows read, would add 2 customers (dry run: nothing written)"


@pytest.mark.parametrize("body, line", [
    ("customer_id,name,referred_by\nA,Ann,B\nB,Bob,A\n", 3),  # A <-> B
    ("customer_id,name,referred_by\nA,Ann,C\nB,Bob,A\nC,Cid,B\n", 4),  # A <- C <- B <- A
    ("customer_id,name,referred_by\nA,Ann,A\n", 2),  # herself
])
def test_referrals_from_a_file_never_go_in_a_circle(shop, tmp_path, today, body, line):
    with pytest.raises(ImportRefused) as refused:
        import_customers(shop, write(tmp_path, body), {}, today)
    (error,) = refused.value.errors
    assert error.startswith(f"line {line}: referred_by ") and "circle" in error
    assert shop.count_customers() == 0  # nothing of the file is kept


def test_a_file_cannot_close_a_circle_with_referrals_already_in_the_shop(shop, make, tmp_path, today):
    ann = make.customer("Ann")
    bob = make.customer("Bob", referred_by=ann)
    with pytest.raises(ImportRefused) as refused:
        import_customers(shop, write(tmp_path, "name,referred_by\nAnn,Bob\n"), {}, today)
    assert refused.value.errors[0].startswith("line 2: referred_by 'Bob' would make referrals go in a circle")
    assert shop.card(ann, today).referred_by is None and shop.card(bob, today).referred_by.customer_id == ann


def test_an_export_of_customers_imports_back_with_its_external_ids(shop, tmp_path, today):
    body = "id,external_id,name,phones,email,level\n7,C9,Ann Lee,06 11 11 11 11,ann@example.com,2\n"
    report = import_customers(shop, write(tmp_path, body), {"phone": "phones"}, today)
    assert report.customers_added == 1
    assert report.ignored == ["column 'id' not imported: add --map FIELD=id to use it (FIELD one of: notes, likes, "
                              "dislikes, birthday, preferred_channel, marketing_consent, household, referred_by, tags)",
                              "column 'level' not imported: add --map FIELD=level to use it (FIELD one of: notes, "
                              "likes, dislikes, birthday, preferred_channel, marketing_consent, household, referred_by, tags)"]
    assert shop.card(shop.lookup("ann", today)[0].id, today).external_id == "C9"


def test_german_customer_headers(shop, tmp_path, today):
    body = "Kundennummer;Name;Telefon;E-Mail;Geburtstag;Empfohlen von\nK1;Anna Maier;06 11 11 11 11;a@example.com;1980-03-04;\n"
    assert import_customers(shop, write(tmp_path, body), {}, today).ignored == []
    card = shop.card(shop.lookup("anna", today)[0].id, today)
    assert (card.external_id, card.email, card.birthday, card.phones) == ("K1", "a@example.com", date(1980, 3, 4),
                                                                           ["06 11 11 11 11"])


def test_a_birthday_after_today_is_a_bad_row(shop, tmp_path, today):
    with pytest.raises(ImportRefused) as refused:
        import_customers(shop, write(tmp_path, "name,birthday\nAnn,2030-01-01\n"), {}, today)
    assert refused.value.errors == ["line 2: birthday '2030-01-01' is after today (2026-03-02)"]
