"""`shopkeeper sale void|edit|refund|list` and `export sales --include-voided`: one line for what
was done, one line for what went wrong, a non-zero exit and nothing changed."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from shopkeeper.services import NewCustomer, SaleInput, Shop


@pytest.fixture
def db(tmp_path, today):
    path = tmp_path / "shop.sqlite3"
    shop = Shop.open(path)
    ann = shop.create_customer(NewCustomer("Ann Client"), date(2026, 1, 1))
    shop.log_sale(SaleInput(2500, date(2026, 2, 1), customer_id=ann), today)  # 1
    shop.log_sale(SaleInput(1234567, date(2026, 2, 2), customer_id=ann), today)  # 2
    shop.close()
    return path


def one_line_error(code, out, err):
    assert code != 0 and out == ""
    assert err.startswith("shopkeeper: ") and err.count("\n") == 1, err


def test_void_then_list_shows_it_voided_and_export_leaves_it_out(run, db):
    code, out, err = run("sale", "void", 2, "--reason", "typed twice", "--db", db)
    assert (code, err) == (0, "") and out == "voided #2 2026-02-02 12345.67 1 item(s): typed twice\n"
    code, out, _ = run("sale", "list", "--customer", 1, "--db", db)
    assert out.splitlines() == ["#1 2026-02-01 25.00 1 item(s)", f"#2 2026-02-02 12345.67\tvoided {date.today().isoformat()}: typed twice"]
    rows = list(csv.DictReader(io.StringIO(run("export", "sales", "--db", db)[1])))
    assert [r["id"] for r in rows] == ["1"]
    rows = list(csv.DictReader(io.StringIO(run("export", "sales", "--include-voided", "--db", db)[1])))
    assert [(r["id"], r["voided_on"], r["void_reason"]) for r in rows] == [
        ("1", "", ""), ("2", date.today().isoformat(), "typed twice")]
    data = json.loads(run("export", "sales", "--format", "json", "--include-voided", "--db", db)[1])
    assert [(s["id"], s["voided_on"], s["void_reason"]) for s in data] == [
        (1, None, ""), (2, date.today().isoformat(), "typed twice")]


def test_edit_and_refund_from_the_command_line(run, db):
    code, out, err = run("sale", "edit", 2, "--amount", "123.45", "--date", "2026-02-03", "--items", "2", "--db", db)
    assert (code, err) == (0, "") and out == "edited #2 2026-02-03 123.45 2 item(s) for customer 1\n"
    code, out, err = run("sale", "refund", 2, "--amount", "23.45", "--db", db)
    assert (code, err) == (0, "") and out == "refund of 23.45 on sale #2 logged as #3\n"
    code, out, _ = run("sale", "list", "--customer", 1, "--format", "json", "--db", db)
    sales = {s["id"]: s for s in json.loads(out)}
    assert sales[2]["refunded"] == "23.45" and sales[3]["refund_of"] == 2
    assert sales[2]["edits"][0]["was"] == {"amount": "12345.67", "date": "2026-02-02", "items": 1, "customer_id": 1}


@pytest.mark.parametrize("args, message", [
    (["void", 9], "there is no sale number 9"),
    (["edit", 1], "say what to change"),
    (["edit", 1, "--amount", "0"], "amount is zero"),
    (["edit", 1, "--amount", "abc"], "--amount"),
    (["edit", 1, "--customer", 99], "no customer number 99"),
    (["edit", 1, "--date", "2999-01-01"], "in the future"),
    (["refund", 1, "--amount", "26.00"], "bigger than what is left of sale 1 (25.00)"),
    (["list", "--customer", 99], "no customer number 99"),
])
def test_bad_corrections_say_why_in_one_line_and_change_nothing(run, db, args, message):
    before = db.read_bytes()
    code, out, err = run("sale", *args, "--db", db)
    one_line_error(code, out, err)
    assert message in err
    assert db.read_bytes() == before


def test_voiding_twice_says_when_it_was_voided(run, db):
    run("sale", "void", 2, "--db", db)
    code, out, err = run("sale", "void", 2, "--db", db)
    one_line_error(code, out, err)
    assert f"sale 2 was voided on {date.today().isoformat()}" in err


def test_sale_commands_take_today_from_the_global_date_like_every_command(run, db):
    """`shopkeeper --date D sale …` makes the correction on D (it used the real day)."""
    code, out, err = run("--date", "2026-02-10", "sale", "void", 2, "--reason", "typed twice", "--db", db)
    assert (code, err) == (0, "")
    code, out, err = run("--date", "2026-02-10", "sale", "refund", 1, "--amount", "5", "--db", db)
    assert (code, err) == (0, "")
    data = json.loads(run("sale", "list", "--customer", 1, "--format", "json", "--db", db)[1])
    assert {(s["id"], s["date"], (s["voided"] or {}).get("on")) for s in data} == {
        (1, "2026-02-01", None), (3, "2026-02-10", None), (2, "2026-02-02", "2026-02-10")}
    code, out, err = run("--date", "2026-02-10", "sale", "edit", 1, "--date", "2026-02-11", "--db", db)
    one_line_error(code, out, err)
    assert "2026-02-11 is in the future" in err
