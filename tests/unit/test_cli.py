"""The command line contract, through shopkeeper.cli.main([...]): output, exit codes, one-line errors."""
import csv
import io
import json
import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from shopkeeper.services import NewCustomer, SaleInput, Shop
from shopkeeper.store.writes import CustomerFields

DAY = "2026-03-02"


@pytest.fixture
def db(tmp_path, today):
    """A small shop on disk: two due first-timers (one referred), an overdue and a due promise."""
    path = tmp_path / "shop.sqlite3"
    shop = Shop.open(path)
    rita = shop.create_customer(NewCustomer("Rita Referrer", ["07 11 22 33 44"], "rita@example.com"), date(2025, 1, 5))
    zoe = shop.create_customer(NewCustomer("Zoé Martin", ["06 28 23 04 55", "+33 7 00 00 00 01"], "zoe@example.com", rita),
                               date(2026, 2, 1))
    hugo = shop.create_customer(NewCustomer("Hugo Petit", ["0612345678"]), date(2026, 1, 10))
    shop.log_sale(SaleInput(1250, date(2026, 2, 16), customer_id=zoe))
    shop.log_sale(SaleInput(9900, date(2026, 1, 10), customer_id=hugo, item_count=3))
    shop.log_sale(SaleInput(500, date(2026, 2, 20)))  # a walk-in
    shop.log_sale(SaleInput(4000, date(2025, 1, 5), customer_id=rita))
    shop.update_customer(hugo, CustomerFields(birthday=date(1980, 3, 5)))
    shop.add_promise(hugo, "Call when the matcha is back", date(2026, 2, 27), date(2026, 2, 20))
    shop.add_promise(zoe, "Put aside a teapot", today, date(2026, 2, 25))
    shop.close()
    return path


def one_line_error(code, out, err, expected_code=None):
    assert code != 0
    if expected_code is not None:
        assert code == expected_code
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("shopkeeper: ")


def state(path):
    return path.read_bytes(), path.stat().st_mtime_ns


# --- checklist ---------------------------------------------------------------------------------

def test_checklist_json(run, db):
    code, out, err = run("checklist", "--db", db, "--date", DAY, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {"date", "promises_overdue", "promises_due", "second_sale", "thank_referrer", "birthdays"} <= set(data)
    assert data["date"] == DAY
    assert [s["name"] for s in data["second_sale"]] == ["Hugo Petit", "Zoé Martin"]
    zoe = data["second_sale"][1]
    assert {"customer_id", "name", "phone", "email", "first_purchase_on", "days_since_first", "first_purchase_amount",
            "priority", "reasons"} <= set(zoe)
    assert (zoe["phone"], zoe["email"], zoe["first_purchase_on"], zoe["days_since_first"], zoe["first_purchase_amount"]) == (
        "06 28 23 04 55", "zoe@example.com", "2026-02-16", 14, "12.50")
    assert isinstance(zoe["priority"], int) and zoe["reasons"] and all(isinstance(r, str) for r in zoe["reasons"])
    assert "referred by Rita Referrer (+15)" in zoe["reasons"]
    priorities = [s["priority"] for s in data["second_sale"]]
    assert priorities == sorted(priorities, reverse=True)
    (overdue,) = data["promises_overdue"]
    (due,) = data["promises_due"]
    assert {"promise_id", "customer_id", "name", "text", "due_on"} <= set(overdue)
    assert (overdue["name"], overdue["text"], overdue["due_on"]) == ("Hugo Petit", "Call when the matcha is back", "2026-02-27")
    assert (due["name"], due["due_on"]) == ("Zoé Martin", DAY)
    assert [t["name"] for t in data["thank_referrer"]] == ["Rita Referrer"]
    assert [(b["name"], b["on"]) for b in data["birthdays"]] == [("Hugo Petit", "2026-03-05")]


def test_checklist_for_a_past_day(run, db):
    code, out, _ = run("checklist", "--db", db, "--date", "2026-02-20", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["date"] == "2026-02-20"
    assert [s["name"] for s in data["second_sale"]] == ["Hugo Petit"]
    assert data["promises_overdue"] == [] and data["promises_due"] == []


def test_checklist_table(run, db):
    code, out, err = run("checklist", "--db", db, "--date", DAY)
    assert (code, err) == (0, "")
    assert "Checklist for 2026-03-02" in out
    for text in ("Zoé Martin", "Hugo Petit", "Call when the matcha is back", "Rita Referrer", "12.50"):
        assert text in out


def test_checklist_csv(run, db):
    code, out, _ = run("checklist", "--db", db, "--date", DAY, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [r["section"] for r in rows] == ["promise_overdue", "promise_due", "second_sale", "second_sale",
                                            "thank_referrer", "birthday"]
    assert rows[3]["name"] == "Zoé Martin" and "first purchase 12.50" in rows[3]["what"]


def test_db_before_the_subcommand_and_from_the_environment(run, db, monkeypatch):
    code, out, _ = run("--db", db, "checklist", "--date", DAY, "--format", "json")
    assert code == 0 and json.loads(out)["second_sale"]
    monkeypatch.setenv("SHOPKEEPER_DB", str(db))
    code, out, _ = run("checklist", "--date", DAY, "--format", "json")
    assert code == 0 and len(json.loads(out)["second_sale"]) == 2


def test_date_given_before_the_subcommand_is_honoured(run, db):
    code, out, _ = run("--date", "2026-02-20", "checklist", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["date"] == "2026-02-20"


# --- find --------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["06 28 23 04 55", "+33628230455", "0455", "zoe", "zoe@example.com"])
def test_find(run, db, query):
    code, out, err = run("find", query, "--db", db, "--date", DAY)
    assert (code, err) == (0, "")
    (line,) = out.splitlines()
    assert line.split("\t")[1:] == ["Zoé Martin", "06 28 23 04 55", "zoe@example.com", "first-time", "12.50"]


def test_find_json(run, db):
    code, out, _ = run("find", "rita", "--db", db, "--date", DAY, "--format", "json")
    (row,) = json.loads(out)
    assert code == 0
    assert (row["name"], row["level"], row["total_spend"], row["last_purchase_on"]) == ("Rita Referrer", 3, "40.00", "2025-01-05")


def test_find_nothing(run, db):
    code, out, err = run("find", "nobody", "--db", db)
    assert (code, out, err) == (1, "", "shopkeeper: no customer matches 'nobody'\n")


# --- export ------------------------------------------------------------------------------------

def test_export_customers_json(run, db):
    code, out, _ = run("export", "customers", "--format", "json", "--db", db, "--date", DAY)
    data = json.loads(out)
    assert code == 0 and isinstance(data, list)
    by_name = {c["name"]: c for c in data}
    assert set(by_name) == {"Rita Referrer", "Zoé Martin", "Hugo Petit"}
    zoe = by_name["Zoé Martin"]
    assert {"id", "name", "phones", "email", "level"} <= set(zoe)
    assert zoe["phones"] == ["06 28 23 04 55", "+33 7 00 00 00 01"]
    assert (zoe["email"], zoe["level"]) == ("zoe@example.com", 1)
    assert by_name["Rita Referrer"]["level"] == 3
    assert by_name["Zoé Martin"]["referred_by"] == by_name["Rita Referrer"]["id"]


def test_export_customers_csv(run, db):
    code, out, _ = run("export", "customers", "--db", db, "--date", DAY)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 3
    assert "total_spend" in rows[0] and "total_spend_cents" not in rows[0]
    zoe = next(r for r in rows if r["name"] == "Zoé Martin")
    assert zoe["phones"] == "06 28 23 04 55 | +33 7 00 00 00 01" and zoe["total_spend"] == "12.50"


def test_export_sales_csv(run, db):
    code, out, _ = run("export", "sales", "--format", "csv", "--db", db)
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert rows[0] == ["id", "date", "customer_id", "customer", "amount", "items", "on_sale", "note", "lines", "refund_of"]
    assert len(rows) == 1 + 4
    assert [(r[1], r[3], r[4]) for r in rows[1:]] == [
        ("2026-02-16", "Zoé Martin", "12.50"), ("2026-01-10", "Hugo Petit", "99.00"),
        ("2026-02-20", "walk-in", "5.00"), ("2025-01-05", "Rita Referrer", "40.00")]


def test_export_sales_json(run, db):
    code, out, _ = run("export", "sales", "--format", "json", "--db", db)
    data = json.loads(out)
    assert code == 0 and [s["amount"] for s in data] == ["12.50", "99.00", "5.00", "40.00"]
    assert data[2]["customer_id"] is None


def test_export_checklist(run, db):
    code, out, _ = run("export", "checklist", "--format", "json", "--db", db, "--date", DAY)
    assert code == 0 and [s["name"] for s in json.loads(out)["second_sale"]] == ["Hugo Petit", "Zoé Martin"]
    code, out, _ = run("export", "checklist", "--db", db, "--date", DAY)
    assert code == 0 and out.splitlines()[0].startswith("section,customer_id,name")


def test_export_on_an_empty_shop(run, tmp_path):
    Shop.open(tmp_path / "empty.sqlite3").close()
    code, out, _ = run("export", "customers", "--db", tmp_path / "empty.sqlite3")
    assert code == 0 and out.startswith("id,")
    code, out, _ = run("export", "sales", "--format", "json", "--db", tmp_path / "empty.sqlite3")
    assert code == 0 and json.loads(out) == []


# --- import ------------------------------------------------------------------------------------

def write(tmp_path, body, name="in.csv"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def count(db, table="sale"):
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_import_sales_with_map_dry_run_then_real_then_again(run, db, tmp_path):
    csv_path = write(tmp_path, "Quand;Total;Client\n2026-02-25;12,50;Zoé Martin\n2026-02-26;3,00;Nouveau Client\n")
    mapping = ["--map", "date=Quand", "--map", "amount=Total", "--map", "customer=Client"]
    code, out, err = run("import", "sales", csv_path, "--db", db, *mapping, "--dry-run")
    assert (code, err) == (0, "")
    assert out.strip() == "2 rows read, would add 2 sales, would add 1 customers (dry run: nothing written)"
    assert count(db) == 4
    code, out, _ = run("import", "sales", csv_path, "--db", db, *mapping)
    assert code == 0 and out.strip() == "2 rows read, added 2 sales, added 1 customers"
    assert (count(db), count(db, "customer")) == (6, 4)
    code, out, _ = run("import", "sales", csv_path, "--db", db, *mapping)
    assert code == 0 and "added 0 sales, 2 already imported" in out
    assert (count(db), count(db, "customer")) == (6, 4)


def test_import_customers(run, db, tmp_path):
    csv_path = write(tmp_path, "Nom,Tel,email\nAgnès Guérin,06 99 88 77 66,agnes@example.com\n")
    mapping = ["--map", "name=Nom", "--map", "phone=tel"]
    code, out, _ = run("import", "customers", csv_path, "--db", db, "--date", DAY, *mapping, "--dry-run")
    assert code == 0 and out.strip() == "1 rows read, would add 1 customers (dry run: nothing written)"
    assert count(db, "customer") == 3
    code, out, _ = run("import", "customers", csv_path, "--db", db, "--date", DAY, *mapping)
    assert code == 0 and out.strip() == "1 rows read, added 1 customers"
    assert count(db, "customer") == 4
    code, out, _ = run("find", "7766", "--db", db)
    assert code == 0 and "Agnès Guérin" in out


def test_import_into_a_new_database_creates_it(run, tmp_path):
    csv_path = write(tmp_path, "date,amount,customer\n2026-02-25,10,Ann\n")
    target = tmp_path / "fresh.sqlite3"
    code, out, _ = run("import", "sales", csv_path, "--db", target)
    assert code == 0 and count(target) == 1


def test_dry_run_into_a_new_database_creates_nothing(run, tmp_path):
    csv_path = write(tmp_path, "date,amount,customer\n2026-02-25,10,Ann\n")
    target = tmp_path / "fresh.sqlite3"
    code, out, _ = run("import", "sales", csv_path, "--db", target, "--dry-run")
    assert code == 0 and "would add 1 sales" in out
    assert list(tmp_path.iterdir()) == [csv_path]


def refused(code, out, err):
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[-1].startswith("shopkeeper: import refused, nothing written")
    return lines


@pytest.mark.parametrize(
    "body, expected",
    [
        ("date,amount,customer\n2026-02-25,10,Ann\n2026-02-26,ten,Bob\n", "line 3: amount 'ten' is not a number"),
        ("date,amount,customer\n2026-02-25,10,Ann\n\n26/02/2026,1,Bob\n", "line 4: date '26/02/2026' is not like"),
    ],
)
def test_import_refuses_bad_rows_with_line_numbers(run, db, tmp_path, body, expected):
    before = state(db)
    lines = refused(*run("import", "sales", write(tmp_path, body), "--db", db))
    assert lines[0].startswith(expected)
    assert "1 problem(s)" in lines[-1]
    assert state(db) == before
    assert count(db) == 4


def test_refused_import_into_a_new_database_leaves_nothing(run, tmp_path):
    csv_path = write(tmp_path, "date,amount\nnot a date,1\n")
    refused(*run("import", "sales", csv_path, "--db", tmp_path / "fresh.sqlite3"))
    assert list(tmp_path.iterdir()) == [csv_path]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--map", "date=Nope"], "the file has no column 'Nope'"),
        (["--map", "colour=date"], "unknown field 'colour'"),
    ],
)
def test_import_map_errors(run, db, tmp_path, args, message):
    before = state(db)
    code, out, err = run("import", "sales", write(tmp_path, "date,amount\n2026-02-25,10\n"), "--db", db, *args)
    one_line_error(code, out, err, 1)
    assert message in err
    assert state(db) == before


def test_import_missing_file(run, tmp_path, db):
    code, out, err = run("import", "sales", tmp_path / "missing.csv", "--db", db)
    one_line_error(code, out, err)
    assert "no such file" in err
    code, out, err = run("import", "sales", tmp_path / "missing.csv", "--db", tmp_path / "new.sqlite3")
    one_line_error(code, out, err)
    assert not (tmp_path / "new.sqlite3").exists()


def test_import_a_folder_or_a_binary_file(run, tmp_path, db):
    code, out, err = run("import", "sales", tmp_path, "--db", db)
    one_line_error(code, out, err, 1)
    assert "folder" in err
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\x00\x00\x00")
    code, out, err = run("import", "customers", binary, "--db", db)
    one_line_error(code, out, err, 1)
    assert "binary" in err


# --- backup ------------------------------------------------------------------------------------

def test_backup_to_a_file_opens_with_the_same_data(run, db, tmp_path, today):
    dest = tmp_path / "copies" / "copy.sqlite3"
    code, out, err = run("backup", dest, "--db", db)
    assert (code, err) == (0, "") and out.strip() == f"backup written to {dest}"
    original, copy = Shop.open(db), Shop.open(dest)
    assert copy.count_customers() == original.count_customers() == 3
    assert copy.checklist(today).to_json() == original.checklist(today).to_json()
    original.close()
    copy.close()


def test_backup_default_name_and_into_a_folder(run, db, tmp_path):
    code, out, _ = run("backup", "--db", db)
    assert code == 0
    (beside,) = tmp_path.glob("shop-backup-*.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, _ = run("backup", folder, "--db", db)
    assert code == 0
    (inside,) = folder.glob("shop-backup-*.sqlite3")
    assert count(inside, "customer") == count(beside, "customer") == 3


def test_backup_onto_itself_is_refused(run, db):
    before = state(db)
    code, out, err = run("backup", db, "--db", db)
    one_line_error(code, out, err, 2)
    assert state(db) == before


# --- demo --------------------------------------------------------------------------------------

def test_demo_no_open(run, tmp_path):
    target = tmp_path / "demo.sqlite3"
    code, out, err = run("demo", "--no-open", "--date", DAY, "--db", target)
    assert (code, err) == (0, "") and out.strip() == f"demo shop created in {target}"
    assert count(target, "customer") == 320
    code, out, _ = run("checklist", "--db", target, "--date", DAY, "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data["second_sale"]) >= 10 and data["promises_due"] and data["promises_overdue"]
    before = state(target)
    code, out, err = run("demo", "--no-open", "--date", DAY, "--db", target)
    one_line_error(code, out, err, 2)
    assert "already holds a shop" in err
    assert state(target) == before


# --- errors ------------------------------------------------------------------------------------

def test_missing_database_is_not_created(run, tmp_path):
    for args in (["checklist"], ["export", "sales"], ["find", "zoe"], ["backup"]):
        code, out, err = run(*args, "--db", tmp_path / "nowhere.sqlite3")
        one_line_error(code, out, err, 2)
        assert "no database at" in err
    assert list(tmp_path.iterdir()) == []


def _text(p):
    p.write_text("date,amount\n2026-01-01,1\n")


def _empty(p):
    p.write_bytes(b"")


def _folder(p):
    p.mkdir()


def _other_app(p):
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def _newer(p):
    Shop.open(p).close()
    conn = sqlite3.connect(p)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_newer'")
    conn.commit()
    conn.close()


def snapshot(p):
    return sorted(x.name for x in p.iterdir()) if p.is_dir() else state(p)


@pytest.mark.parametrize(
    "make_file, message",
    [(_text, "not an SQLite file"), (_empty, "empty file"), (_folder, "is a folder"),
     (_other_app, "not a shopkeeper database"), (_newer, "newer shopkeeper")],
    ids=["text", "empty", "folder", "other-app", "newer-schema"],
)
@pytest.mark.parametrize(
    "command", [["checklist", "--date", DAY], ["find", "zoe"], ["export", "customers"], ["backup"],
                ["import", "sales", "CSV"], ["demo", "--no-open", "--date", DAY]],
    ids=lambda c: c[0],
)
def test_not_a_shopkeeper_database(run, tmp_path, make_file, message, command):
    target = tmp_path / "shop.sqlite3"
    make_file(target)
    csv_path = write(tmp_path, "date,amount\n2026-02-01,1\n")
    before = snapshot(target)
    args = [str(csv_path) if a == "CSV" else a for a in command]
    code, out, err = run(*args, "--db", target)
    one_line_error(code, out, err, 1)
    assert message in err
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "shop.sqlite3"]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["checklist", "--date", "2026-02-30"], "does not exist"),
        (["checklist", "--date", "02/03/2026"], "--date"),
        (["checklist", "--format", "xml"], "invalid choice"),
        (["export", "invoices"], "invalid choice"),
        (["import", "sales", "x.csv", "--map", "date"], "--map wants FIELD=COLUMN"),
        (["frobnicate"], "invalid choice"),
        (["find"], "required"),
        (["find", "x", "--limit", "many"], "invalid int"),
    ],
)
def test_usage_errors_are_one_line(run, db, args, fragment):
    before = state(db)
    code, out, err = run(*args, "--db", db)
    one_line_error(code, out, err, 2)
    assert fragment in err
    assert state(db) == before


def test_the_installed_command_in_a_real_process(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    done = subprocess.run([sys.executable, "-m", "shopkeeper", "checklist", "--db", str(bad)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert bad.read_text() == "hello\n"


# --- help --------------------------------------------------------------------------------------

def _every_command():
    """[] for the program, then every subcommand, as the parser itself lists them."""
    import argparse

    from shopkeeper.cli import build_parser

    (subparsers,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return [[]] + [[name] for name in subparsers.choices]


@pytest.mark.parametrize("command", _every_command(), ids=lambda c: " ".join(c) or "shopkeeper")
def test_help_works_for_the_program_and_every_subcommand(command):
    done = subprocess.run([sys.executable, "-m", "shopkeeper", *command, "--help"], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert "Traceback" not in done.stdout and done.stdout.startswith("usage: shopkeeper")


# --- import: hostile files ---------------------------------------------------------------------

def test_a_25_digit_item_count_is_a_bad_row_not_a_crash(run, db, tmp_path):
    before = state(db)
    csv_path = write(tmp_path, "date,amount,items,customer\n2026-02-25,10,1234567890123456789012345,Ann\n")
    lines = refused(*run("import", "sales", csv_path, "--db", db))
    assert lines[0] == "line 2: items '1234567890123456789012345' is more than 100000 items"
    assert state(db) == before


def test_a_sale_dated_after_the_day_given_is_a_bad_row(run, db, tmp_path):
    csv_path = write(tmp_path, "date,amount,customer\n2026-03-02,10,Ann\n2031-01-01,10,Bob\n")
    lines = refused(*run("import", "sales", csv_path, "--db", db, "--date", DAY))
    assert lines[0] == "line 3: date '2031-01-01' is after today (2026-03-02)"
    assert count(db) == 4


def test_space_aligned_names_are_imported_whole(run, db, tmp_path):
    csv_path = write(tmp_path, "date       amount  customer\n2026-02-25 10      Marie Dupont\n", "till.txt")
    code, out, _ = run("import", "sales", csv_path, "--db", db, "--date", DAY)
    assert code == 0
    code, out, _ = run("find", "dupont", "--db", db)
    assert code == 0 and out.split("\t")[1] == "Marie Dupont"


def test_import_sales_lists_ignored_columns_in_its_summary(run, db, tmp_path):
    csv_path = write(tmp_path, "Datum;Betrag;Kunde;Verkäufer\n25.02.2026;12,50;Zoé Martin;Paul\n")
    code, out, err = run("import", "sales", csv_path, "--db", db, "--date", DAY, "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "1 rows read, would add 1 sales, would add 0 customers (dry run: nothing written)",
        "column 'Verkäufer' not imported: add --map FIELD=Verkäufer to use it (FIELD one of: quantity, unit_price, "
        "customer_id, phone, email, items, on_sale, invoice, note, cost)"]


def test_import_contacts(run, db, tmp_path):
    csv_path = write(tmp_path, "phone,date,outcome,channel,note\n06 28 23 04 55,2026-03-01,Left a message,SMS,back at 5\n")
    code, out, err = run("import", "contacts", csv_path, "--db", db, "--date", DAY, "--dry-run")
    assert (code, err, out.strip()) == (0, "", "1 rows read, would add 1 contacts (dry run: nothing written)")
    assert count(db, "contact") == 0
    code, out, err = run("import", "contacts", csv_path, "--db", db, "--date", DAY)
    assert (code, err, out.strip()) == (0, "", "1 rows read, added 1 contacts")
    code, out, err = run("import", "contacts", csv_path, "--db", db, "--date", DAY)
    assert out.strip() == "1 rows read, added 0 contacts, 1 already imported"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT c.name, k.outcome, k.channel, k.note FROM contact k JOIN customer c"
                            " ON c.id = k.customer_id").fetchall() == [("Zoé Martin", "left_message", "sms", "back at 5")]
    lines = refused(*run("import", "contacts", write(tmp_path, "phone,date,outcome\n0699999999,2026-03-01,reached\n"),
                         "--db", db, "--date", DAY))
    assert lines[0] == "line 2: no customer with phone 33699999999"


def test_another_kind_of_database_url_is_refused_in_one_line(run, tmp_path):
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("date,amount\n2026-03-01,10.00\n")
    for args in (("checklist",), ("import", "sales", csv_file)):
        code, out, err = run(*args, "--db", "mysql://till@backoffice/shop")
        assert code == 2 and out == ""
        assert err.strip() == "shopkeeper: mysql://till@backoffice/shop: shopkeeper opens a shop file or a postgresql:// URL, nothing else"


def test_an_unreachable_server_is_one_line_without_the_password(run, tmp_path):
    code, out, err = run("checklist", "--db", f"postgresql://till:s3cret@/shop?host={tmp_path}&port=5999")
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("shopkeeper: cannot open the shop at postgresql://till:***@/shop") and "s3cret" not in err
