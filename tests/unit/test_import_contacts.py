"""Importing contact outcomes from a phone or SMS tool: all or nothing, idempotent, same effect as the app."""
from datetime import date

import pytest

from support.db_rows import rows
from sqlalchemy import text

from shopkeeper.imports import ImportRefused, import_contacts


def write(tmp_path, body, name="contacts.csv"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def contacts(shop):
    return rows(shop, "SELECT customer_id, contacted_on, outcome, channel, note, purpose FROM contact ORDER BY id")


@pytest.fixture
def people(make):
    ann = make.customer("Ann Lee", phones=["06 11 11 11 11"], email="ann@example.com")
    bob = make.customer("Bob Ray", phones=["06 22 22 22 22"])
    make.shop.update_customer(bob, __import__("shopkeeper.store.writes", fromlist=["CustomerFields"]).CustomerFields(external_id="B7"))
    return ann, bob


def test_outcomes_in_plain_words_and_codes_by_phone_email_id_and_customer_id(shop, people, tmp_path, today):
    ann, bob = people
    body = ("id,customer_id,phone,email,date,outcome,channel,note\n"
            f"{ann},,,,2026-02-01,Reached,Phone,said yes\n"
            ",B7,,,2026-02-02,no answer,call,\n"
            ",,+33 6 11 11 11 11,,2026-02-03,Left a message,SMS,\n"
            ",,,ANN@example.com,2026-02-04,bought,e-mail,\n"
            ",,0622222222,,2026-02-05,declined,,\n"
            ",,0611111111,,2026-02-06,do_not_contact,text,asked us to stop\n")
    report = import_contacts(shop, write(tmp_path, body), {}, today)
    assert (report.rows, report.contacts_added, report.ignored) == (6, 6, [])
    assert report.summary() == "6 rows read, added 6 contacts"
    assert contacts(shop) == [
        (ann, "2026-02-01", "reached", "phone", "said yes", "general"),
        (bob, "2026-02-02", "no_answer", "phone", "", "general"),
        (ann, "2026-02-03", "left_message", "sms", "", "general"),
        (ann, "2026-02-04", "bought", "email", "", "general"),
        (bob, "2026-02-05", "declined", "phone", "", "general"),
        (ann, "2026-02-06", "do_not_contact", "sms", "asked us to stop", "general"),
    ]


def test_importing_the_same_file_again_adds_nothing(shop, people, tmp_path, today):
    ann, _ = people
    path = write(tmp_path, "phone,date,outcome\n0611111111,2026-02-01,no answer\n0611111111,2026-02-01,no answer\n")
    assert import_contacts(shop, path, {}, today).contacts_added == 2  # two calls unanswered that day
    again = import_contacts(shop, path, {}, today)
    assert (again.contacts_added, again.contacts_already_there) == (0, 2)
    assert again.summary() == "2 rows read, added 0 contacts, 2 already imported"
    assert len(contacts(shop)) == 2


def test_a_contact_logged_in_the_app_is_not_added_twice(shop, people, tmp_path, today):
    ann, _ = people
    shop.log_contact(ann, "reached", date(2026, 2, 1), "said yes")
    report = import_contacts(shop, write(tmp_path, f"id,date,outcome,note\n{ann},2026-02-01,reached,said yes\n"), {}, today)
    assert (report.contacts_added, report.contacts_already_there) == (0, 1)


def test_every_row_is_checked_first_and_nothing_is_written(shop, people, tmp_path, today):
    body = ("phone,id,date,outcome,channel\n"
            "0611111111,,2026-02-01,reached,\n"
            "0699999999,,2026-02-01,reached,\n"
            ",999,2026-02-01,reached,\n"
            "0611111111,,2026-02-01,maybe,\n"
            "0611111111,,2026-02-01,reached,pigeon\n"
            "0611111111,,2027-01-01,reached,\n"
            ",,2026-02-01,reached,\n")
    with pytest.raises(ImportRefused) as refused:
        import_contacts(shop, write(tmp_path, body), {}, today)
    assert [e.split(":")[0] for e in refused.value.errors] == ["line 3", "line 4", "line 5", "line 6", "line 7", "line 8"]
    errors = "\n".join(refused.value.errors)
    for fragment in ("no customer with phone 33699999999", "there is no customer number 999", "outcome 'maybe'",
                     "channel 'pigeon'", "is after today", "no customer (give id"):
        assert fragment in errors
    assert contacts(shop) == []


def test_a_phone_shared_by_two_customers_must_say_which(shop, make, tmp_path, today):
    make.customer("Ann Lee", phones=["06 11 11 11 11"])
    make.customer("Max Lee", phones=["06 11 11 11 11"])
    with pytest.raises(ImportRefused) as refused:
        import_contacts(shop, write(tmp_path, "phone,date,outcome\n0611111111,2026-02-01,reached\n"), {}, today)
    assert "belongs to 2 customers" in refused.value.errors[0]


def test_dry_run_counts_what_the_real_run_adds(shop, people, tmp_path, today):
    path = write(tmp_path, "phone,date,outcome\n0611111111,2026-02-01,reached\n0611111111,2026-02-01,reached\n")
    dry = import_contacts(shop, path, {}, today, dry_run=True)
    assert contacts(shop) == []
    assert dry.contacts_added == import_contacts(shop, path, {}, today).contacts_added == 2


def test_do_not_contact_from_a_file_has_the_same_effect_as_in_the_app(tmp_path, today):
    """Two identical shops: one logs "do not contact" in the app, the other imports it. Every list
    the customer was on (second-sale calls here) drops them the same way."""
    from shopkeeper.services import NewCustomer, SaleInput, Shop

    shops = []
    for name in ("app", "file"):
        shop = Shop.open(tmp_path / f"{name}.sqlite3")
        ann = shop.create_customer(NewCustomer("Ann Lee", ["06 11 11 11 11"]), date(2026, 2, 10))
        shop.log_sale(SaleInput(2000, date(2026, 2, 10), customer_id=ann), today=today)
        assert [i.customer_id for i in shop.checklist(today).second_sale] == [ann]
        shops.append(shop)
    app, imported = shops
    app.log_contact(1, "do_not_contact", date(2026, 2, 20), "")
    import_contacts(imported, write(tmp_path, "phone,date,outcome\n06 11 11 11 11,20/02/2026,Do not contact\n"), {}, today)
    for day in (date(2026, 2, 19), today):
        assert app.checklist(day).to_json() == imported.checklist(day).to_json()
    assert imported.checklist(today).second_sale == []
    assert app.card(1, today) == imported.card(1, today)
    for shop in shops:
        shop.close()


def test_call_list_columns_and_foreign_headers(shop, people, tmp_path, today):
    ann, _ = people
    body = ("id;name;Téléphone;Datum;Ergebnis;Kanal;Notiz\n"
            f"{ann};Ann Lee;06 11 11 11 11;03/02/2026;keine Antwort;SMS;\n")
    with pytest.raises(ImportRefused) as refused:  # "keine Antwort" is not an outcome it knows: say so
        import_contacts(shop, write(tmp_path, body), {}, today, date_format="dmy")
    assert "outcome 'keine Antwort' should be one of: reached, no answer" in refused.value.errors[0]
    report = import_contacts(shop, write(tmp_path, body.replace("keine Antwort", "no answer")), {}, today,
                             date_format="dmy")
    assert report.contacts_added == 1
    assert report.ignored == ["column 'name' not imported: add --map FIELD=name to use it (FIELD one of: customer_id, "
                              "email)"]
    assert contacts(shop) == [(ann, "2026-02-03", "no_answer", "sms", "", "general")]
