"""Hostile and odd input through every entry point: a clear message, nothing written, no crash.
Property-based tests (hypothesis) on the parsers of money, dates, phone numbers and CSV rows."""
from __future__ import annotations

import os
import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopkeeper.cli import main
from shopkeeper.csvfiles import CsvError, read_table
from shopkeeper.domain.dates import DateError, parse_user_date, parse_iso_date
from shopkeeper.domain.money import MAX_CENTS, MoneyError, format_cents, parse_money
from shopkeeper.domain.phones import digits_of, phone_keys, query_keys, validate_phone
from shopkeeper.imports import SALE_FIELDS, ImportRefused, _parse_sale_row, import_sales
from shopkeeper.services import Shop
from shopkeeper.store import db as store_db

HOSTILE = [
    "", " ", "\x00\x01\x07", "x" * 1_000_000, "مرحبا بالعالم", "👩‍👩‍👧 Émoji Family", "[red]boss[/]", "[/]",
    "Robert'); DROP TABLE customer;--", "\u202eevil\u202c", "NaN", "1e309", "-0", "12.345", "2025-02-30",
    "\r\n", "%_\\", "\ufeffBOM",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(TEXT)
def test_money_parser_returns_cents_or_a_clear_error(text):
    try:
        cents = parse_money(text)
    except MoneyError as exc:
        assert str(exc)
    else:
        assert isinstance(cents, int) and abs(cents) <= MAX_CENTS


@given(st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS))
def test_money_round_trips(cents):
    assert parse_money(format_cents(cents)) == cents


@given(TEXT)
def test_date_parsers_return_a_date_or_a_clear_error(text):
    for parse in (parse_iso_date, lambda t: parse_user_date(t, date(2026, 3, 2))):
        try:
            assert isinstance(parse(text), date)
        except DateError as exc:
            assert str(exc)


@given(st.dates())
def test_iso_dates_round_trip(day):
    assert parse_iso_date(day.isoformat()) == day


@given(TEXT)
def test_phone_functions_never_raise_and_keep_their_promises(text):
    problem = validate_phone(text)
    assert problem is None or (isinstance(problem, str) and problem.startswith("phone "))
    if problem is None:  # storable: 4 to 17 digits and nothing but phone punctuation
        assert 4 <= len(digits_of(text)) <= 17
    keys = phone_keys(text, "FR")
    assert all(part == "" or part.isdigit() for part in (keys.national, keys.e164, keys.reversed_digits))
    assert keys.reversed_digits == keys.e164[::-1]
    found = query_keys(text, "FR")
    if len(digits_of(text)) < 3:
        assert found is None
    if found is not None:
        assert found.reversed_digits == found.e164[::-1] and found.e164


@pytest.mark.parametrize("text,problem", [("06 12 34 56 78", None), ("12", "between 4 and 17"), ("1" * 18, "between 4 and 17"), ("call me", "no digits"),
                                          ("06 12 34 56 78 ext", "may only hold")])
def test_phone_validation_says_what_is_wrong(text, problem):
    found = validate_phone(text)
    assert found is None if problem is None else problem in found


@given(st.dictionaries(st.sampled_from(SALE_FIELDS), TEXT, max_size=len(SALE_FIELDS)))
def test_a_csv_row_is_parsed_or_reported_never_raises(row):
    errors: list[str] = []
    parsed = _parse_sale_row(7, row, "FR", errors, "iso")
    assert (parsed is None) == bool(errors)
    assert all(e.startswith("line 7: ") for e in errors)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.binary(max_size=300))
def test_any_file_is_a_table_or_a_clear_error(tmp_path, data):
    path = tmp_path / "junk.csv"
    path.write_bytes(data)
    try:
        read_table(path, {}, SALE_FIELDS)
    except CsvError as exc:
        assert str(exc)


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:12]))
def test_hostile_text_through_the_cli(tmp_path, capsys, value):
    db = tmp_path / "shop.sqlite3"
    Shop.open(db).close()
    before = db.read_bytes()
    for args in (["find", value], ["checklist", "--date", value], ["export", "customer", value]):
        try:
            code = main([*args, "--db", str(db)])
        except SystemExit as exit_:  # pragma: no cover - argparse must not exit on its own
            code = exit_.code
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        if code != 0:
            assert err.count("\n") == 1 and out == ""
    assert db.read_bytes() == before


def test_hostile_names_import_literally_and_safely(tmp_path, shop, today):
    names = ["مرحبا بالعالم", "👩‍👩‍👧 Émoji Family", "[red]boss[/]", "Robert'); DROP TABLE customer;--", "Tab\there"]
    body = "date,amount,customer\n" + "".join(f'2026-01-0{i + 1},1.00,"{n}"\n' for i, n in enumerate(names))
    path = tmp_path / "names.csv"
    path.write_text(body, encoding="utf-8")
    assert import_sales(shop, path, {}).customers_added == 5
    stored = sorted(shop.card(row.id, today).name for row in shop.customers_page(today, "name", 0, 10))
    assert "[red]boss[/]" in stored and "Robert'); DROP TABLE customer;--" in stored and "Tab here" in stored
    assert shop.lookup("[red]", today)[0].name == "[red]boss[/]"


def test_huge_and_junk_csv_are_refused_with_nothing_written(tmp_path, shop):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    with pytest.raises(CsvError, match="binary"):
        import_sales(shop, junk, {})
    huge = tmp_path / "huge.csv"
    huge.write_text("date,amount,customer\n2026-01-01,1.00," + "x" * 1_000_000 + "\n")
    report = import_sales(shop, huge, {})  # a long name is cut, not a crash
    assert report.sales_added == 1
    assert len(shop.lookup("xxx", date(2026, 1, 2))[0].name) <= 120


@pytest.mark.parametrize("header", ["date,amount,amount\n", ",,\n", "foo,bar\n"])
def test_duplicate_or_missing_headers(tmp_path, shop, header):
    path = tmp_path / "h.csv"
    path.write_text(header + "2026-01-01,1.00,x\n")
    with pytest.raises((CsvError, ImportRefused)):
        import_sales(shop, path, {})


@pytest.mark.parametrize("encoding,sep,newline", [("utf-8-sig", ";", "\r\n"), ("cp1252", ";", "\r\n"), ("utf-8", ",", "\n")])
def test_what_excel_writes_imports(tmp_path, shop, today, encoding, sep, newline):
    rows = [["date", "amount", "customer"], ["2026-01-05", "12,50" if sep == ";" else "12.50", "Zoé Müller"]]
    path = tmp_path / "excel.csv"
    path.write_bytes(newline.join(sep.join(r) for r in rows).encode(encoding) + newline.encode())
    assert import_sales(shop, path, {}).sales_added == 1
    found = shop.lookup("zoe muller", today)
    assert found and found[0].name == "Zoé Müller" and found[0].total_spend_cents == 1250


def test_read_only_file_is_refused_and_untouched(tmp_path, capsys):
    db = tmp_path / "shop.sqlite3"
    Shop.open(db).close()
    before = db.read_bytes()
    os.chmod(db, 0o400)
    try:
        assert main(["checklist", "--db", str(db)]) != 0
        assert "read-only" in capsys.readouterr().err
        assert db.read_bytes() == before
    finally:
        os.chmod(db, 0o600)


def test_read_only_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        assert main(["demo", "--no-open", "--db", str(folder / "shop.sqlite3")]) != 0
        err = capsys.readouterr().err
        assert "not writable" in err and err.count("\n") == 1
        assert not (folder / "shop.sqlite3").exists()
    finally:
        os.chmod(folder, 0o700)


def test_a_file_locked_by_another_program_gets_a_clear_message(tmp_path, capsys, monkeypatch):
    db = tmp_path / "shop.sqlite3"
    Shop.open(db).close()
    monkeypatch.setattr(store_db, "OPEN_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE held (x)")
    try:
        code = main(["checklist", "--db", str(db)])
        err = capsys.readouterr().err
        assert code != 0 and "locked by another program" in err and err.count("\n") == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_cleaning_keeps_emoji_joiners_and_drops_control_characters():
    from shopkeeper.domain.text import clean_line

    assert clean_line("👩\u200d👩\u200d👧 Family\x00\x07") == "👩\u200d👩\u200d👧 Family"
