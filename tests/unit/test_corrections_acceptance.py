"""Issue 10, "Corrections", done when: void one sale and edit another, through the services and
through the command line; the checklist JSON, the customer export and the insights JSON then equal
those of a shop where those sales were typed right the first time (compared on content: sale
numbers differ between the two shops, customer numbers do not)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from shopkeeper.services import NewCustomer, SaleInput, Shop

DAY = "2026-03-02"
TODAY = date(2026, 3, 2)


def build(path, typed_wrong: bool) -> tuple[int, int]:
    """A small shop; typed wrong, it also holds a duplicate typo for Hugo and Inès's sale typed as
    3,000.00 for Zoé on the wrong day. Returns (the typo's id, the mistyped sale's id) or (0, 0)."""
    shop = Shop.open(path)
    try:
        rita = shop.create_customer(NewCustomer("Rita Referrer", ["07 11 22 33 44"]), date(2025, 1, 5))
        zoe = shop.create_customer(NewCustomer("Zoé Martin", ["06 28 23 04 55"], "zoe@example.com", rita), date(2026, 1, 20))
        hugo = shop.create_customer(NewCustomer("Hugo Petit", ["0612345678"]), date(2026, 1, 10))
        ines = shop.create_customer(NewCustomer("Inès Roy", ["0698765432"]), date(2026, 1, 15))
        shop.log_sale(SaleInput(4000, date(2025, 1, 5), customer_id=rita), TODAY)
        shop.log_sale(SaleInput(9900, date(2026, 1, 10), customer_id=hugo, item_count=3), TODAY)
        shop.log_sale(SaleInput(1250, date(2026, 2, 16), customer_id=zoe), TODAY)
        shop.log_sale(SaleInput(2200, date(2026, 2, 20), customer_id=rita), TODAY)
        shop.add_promise(hugo, "Call when the matcha is back", date(2026, 3, 1), date(2026, 2, 20))
        if not typed_wrong:
            shop.log_sale(SaleInput(3000, date(2026, 2, 1), customer_id=ines), TODAY)
            return 0, 0
        typo = shop.log_sale(SaleInput(1234567, date(2026, 2, 10), customer_id=hugo, item_count=2), TODAY)
        mistyped = shop.log_sale(SaleInput(300000, date(2026, 2, 11), customer_id=zoe, item_count=4), TODAY)
        return typo, mistyped
    finally:
        shop.close()


def views(run, db) -> dict:
    """What a script sees: the checklist, the customers export and the insights, as of DAY; the sales
    export on content (without the sale numbers)."""
    out = {}
    for name, args in (("checklist", ["checklist", "--format", "json", "--date", DAY]),
                       ("customers", ["export", "customers", "--format", "json", "--date", DAY]),
                       ("customers_csv", ["export", "customers", "--date", DAY]),
                       ("insights", ["insights", "--format", "json", "--date", DAY]),
                       ("sales", ["export", "sales", "--format", "json"])):
        code, text, err = run(*args, "--db", db)
        assert (code, err) == (0, ""), (name, err)
        out[name] = text if name.endswith("_csv") else json.loads(text)
    out["sales"] = sorted((s["date"], s["customer_id"], s["amount"], s["items"]) for s in out["sales"])
    return out


@pytest.fixture
def right(run, tmp_path):
    build(tmp_path / "right.sqlite3", typed_wrong=False)
    return views(run, tmp_path / "right.sqlite3")


def test_corrected_through_the_services_equals_typed_right(run, tmp_path, right):
    db = tmp_path / "wrong.sqlite3"
    typo, mistyped = build(db, typed_wrong=True)
    assert views(run, db) != right  # the mistakes show before they are corrected
    shop = Shop.open(db)
    try:
        ines = [r.id for r in shop.lookup("Inès", TODAY)][0]
        shop.void_sale(typo, "typed twice", TODAY)
        shop.edit_sale(mistyped, amount_cents=3000, sold_on=date(2026, 2, 1), item_count=1, customer_id=ines,
                       reason="wrong customer and amount", day=TODAY)
    finally:
        shop.close()
    assert views(run, db) == right


def test_corrected_through_the_command_line_equals_typed_right(run, tmp_path, right):
    db = tmp_path / "wrong.sqlite3"
    typo, mistyped = build(db, typed_wrong=True)
    code, out, _ = run("find", "Inès", "--format", "json", "--db", db)
    ines = json.loads(out)[0]["id"]

    assert run("sale", "void", typo, "--reason", "typed twice", "--db", db)[0] == 0
    code, out, err = run("sale", "edit", mistyped, "--amount", "30.00", "--date", "2026-02-01", "--customer", ines,
                         "--items", "1", "--reason", "wrong customer", "--db", db)
    assert (code, err) == (0, "") and out.startswith(f"edited #{mistyped} 2026-02-01 30.00")

    assert views(run, db) == right
    code, out, _ = run("export", "sales", "--include-voided", "--db", db)
    assert f"{typo},2026-02-10,3,Hugo Petit,12345.67,2,no,,,,{date.today().isoformat()},typed twice" in out.splitlines()
