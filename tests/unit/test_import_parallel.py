"""A big sales file's phone numbers parsed by a second process (imports._phone_feed,
phone_worker): the database ends up exactly as with one process — every table, row for row — and
a bad row, or a worker that dies, changes nothing about what the import says or writes."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import inspect, text

import shopkeeper.imports as imports
from shopkeeper.imports import ImportRefused, import_sales
from shopkeeper.services import Shop

FIRST = "Zoé Hugo Léa Jules Inès Louis Chloé Adam Emma Noah Jade Paul".split()
LAST = "Martin Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia".split()


def big_file(tmp_path, rows: int = 900, bad: dict[int, str] | None = None):
    """A till's export: 300 customers, each with its own number (written several ways), some
    with an email or an id, some invoices of several lines, walk-ins; `bad` puts phones on lines."""
    rng = random.Random(13)
    people = []
    for n in range(300):
        digits = f"06{rng.randrange(10**8):08d}"
        spelled = rng.choice([" ".join(digits[i:i + 2] for i in range(0, 10, 2)), digits,
                              "+33 " + digits[1:], ".".join(digits[i:i + 2] for i in range(0, 10, 2))])
        if n % 17 == 0:
            spelled = f"+44 20 7946 {n:04d}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}" + (f" {n}" if n % 4 else "")  # some share a name
        people.append((f"C{n:04d}" if n % 5 == 0 else "", name, spelled,
                       f"{name.split()[0].lower()}{n}@example.com" if n % 3 == 0 else ""))
    lines = ["date,customer_id,customer,phone,email,amount,items,invoice,on_sale"]
    for i in range(rows):
        day = f"2025-{1 + i * 12 // rows:02d}-{1 + i % 28:02d}"
        cid, name, phone, email = rng.choice(people) if i % 11 else ("", "", "", "")
        if bad and i + 2 in bad:
            phone = bad[i + 2]
        invoice = f"F{i // 3}" if i % 7 == 0 else ""
        lines.append(f"{day},{cid},{name},{phone},{email},{rng.randrange(100, 20000) / 100:.2f},"
                     f"{rng.randrange(1, 4)},{invoice},{'yes' if i % 9 == 0 else ''}")
    path = tmp_path / "till.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def earlier_file(tmp_path):
    """Customers already in the shop before the big file: matched by phone, email and id."""
    path = tmp_path / "earlier.csv"
    path.write_text("date,customer_id,customer,phone,email,amount\n"
                    "2024-05-01,C0000,Someone Else,07 11 22 33 44,,10.00\n"
                    "2024-05-02,,Ann Old,+44 20 7946 0017,ann@example.com,12.00\n", encoding="utf-8")
    return path


def every_table(shop: Shop) -> dict[str, list[tuple]]:
    """Every row of every table (the search index's own tables on SQLite included), in id order."""
    with shop.engine.connect() as conn:
        names = inspect(conn).get_table_names()
        out = {}
        for name in sorted(names):
            width = len(conn.execute(text(f'SELECT * FROM "{name}" LIMIT 1')).keys())
            order = ", ".join(str(i) for i in range(1, width + 1))
            out[name] = [tuple(row) for row in conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}'))]
    return out


def one_process(monkeypatch) -> None:
    monkeypatch.setattr(imports, "PARALLEL_FROM", 10**9)


def two_processes(monkeypatch, then=None) -> list:
    """Force the worker on for any file; `then(feed)` runs once it has started. Returns the feeds."""
    monkeypatch.setattr(imports, "PARALLEL_FROM", 0)
    monkeypatch.setattr(imports, "PARALLEL_PHONES", 0)
    started = imports._phone_feed
    feeds = []

    def feed_then(table, region):
        feed = started(table, region)
        feeds.append(feed)
        if then is not None and feed is not None:
            then(feed)
        return feed

    monkeypatch.setattr(imports, "_phone_feed", feed_then)
    return feeds


def wait_for_every_number(feed) -> None:
    """Let the worker send every number before the rows are read: then the import parses none itself."""
    feed.process.join(60)
    assert feed.process.exitcode == 0


def counting_own_phone_parses(monkeypatch) -> list[int]:
    own = [0]
    parse = imports.validate_phone

    def counted(raw):
        own[0] += 1
        return parse(raw)

    monkeypatch.setattr(imports, "validate_phone", counted)
    return own


def imported(location, path, today, tmp_path) -> tuple[dict, str]:
    shop = Shop.open(location)
    try:
        import_sales(shop, earlier_file(tmp_path), {}, today=today)
        report = import_sales(shop, path, {}, today=today)
        return every_table(shop), report.summary()
    finally:
        shop.close()


def test_the_database_is_the_same_whichever_process_parsed_the_numbers(db_location, new_location, tmp_path,
                                                                        today, monkeypatch):
    path = big_file(tmp_path)
    one_process(monkeypatch)
    alone, alone_summary = imported(db_location, path, today, tmp_path)
    feeds = two_processes(monkeypatch, then=wait_for_every_number)
    own = counting_own_phone_parses(monkeypatch)
    shared, shared_summary = imported(new_location("two"), path, today, tmp_path)
    assert len(feeds) == 2 and None not in feeds
    assert own == [0]  # every number came from the worker
    assert shared_summary == alone_summary
    assert "added 900 sales" in shared_summary
    assert len(alone["sale"]) > 800 and len(alone["customer"]) > 250 and len(alone["customer_phone"]) > 250
    assert shared.keys() == alone.keys()
    for name in alone:
        assert shared[name] == alone[name], name


def test_a_worker_that_dies_changes_nothing(db_location, new_location, tmp_path, today, monkeypatch):
    path = big_file(tmp_path)
    one_process(monkeypatch)
    alone, alone_summary = imported(db_location, path, today, tmp_path)
    killed = []

    def kill(feed):
        feed.process.kill()
        feed.process.join(60)
        killed.append(feed.process.exitcode)

    two_processes(monkeypatch, then=kill)
    own = counting_own_phone_parses(monkeypatch)
    shared, shared_summary = imported(new_location("killed"), path, today, tmp_path)
    assert killed == [-9, -9]  # the earlier file's worker and the big file's
    assert own[0] > 250  # the import parsed the big file's numbers itself
    assert (shared, shared_summary) == (alone, alone_summary)


@pytest.mark.parametrize("workers", ["one process", "two processes"])
def test_bad_phones_refuse_the_file_with_the_same_lines(shop, tmp_path, today, monkeypatch, workers):
    path = big_file(tmp_path, bad={40: "06 1", 41: "06 12 34 56 7x", 500: "phone", 899: "06 1"})
    if workers == "one process":
        one_process(monkeypatch)
    else:
        two_processes(monkeypatch, then=wait_for_every_number)
    with pytest.raises(ImportRefused) as refused:
        import_sales(shop, path, {}, today=today)
    assert refused.value.errors == [
        "line 40: phone '06 1' should have between 4 and 17 digits",
        "line 41: phone '06 12 34 56 7x' may only hold digits, spaces, + ( ) . - /",
        "line 500: phone 'phone' has no digits",
        "line 899: phone '06 1' should have between 4 and 17 digits",
    ]
    with shop.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM sale")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM customer")).scalar() == 0


def test_customers_written_many_per_statement_are_all_found_by_lookup(shop, tmp_path, today, monkeypatch):
    """NewCustomers writes up to 1,000 customers per statement (backend.insert_rows_together): each
    one still has its search entry, by any part of its name or email, and (SQLite) the full-text
    index agrees with the customers row for row."""
    lines = ["date,customer,email,amount"]
    for n in range(2500):  # more than one statement's worth
        lines.append(f"2025-06-{1 + n % 28:02d},Quentin Zarbowski{n:04d},qz{n:04d}@wanadoo.fr,{10 + n % 50}.00")
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_sales(shop, path, {}, today=today)
    assert report.customers_added == 2500
    for n in (0, 999, 1000, 1999, 2499):
        found = shop.lookup(f"zarbowski{n:04d}", today)
        assert [row.name for row in found] == [f"Quentin Zarbowski{n:04d}"]
        assert [row.name for row in shop.lookup(f"qz{n:04d}@wanad", today)] == [f"Quentin Zarbowski{n:04d}"]
    if shop.engine.dialect.name == "sqlite":
        with shop.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO customer_fts(customer_fts) VALUES('integrity-check')")


@pytest.mark.sqlite_only
def test_a_big_import_has_a_big_page_cache_then_the_connection_gets_its_own_back(shop, tmp_path, today, monkeypatch):
    seen = []
    write = imports._write_sales

    def watching(session, *args):
        seen.append(session.connection().exec_driver_sql("PRAGMA cache_size").scalar())
        return write(session, *args)

    monkeypatch.setattr(imports, "_write_sales", watching)
    path = big_file(tmp_path, rows=12_000)
    for dry_run in (True, False):
        import_sales(shop, path, {}, today=today, dry_run=dry_run)
    with shop.engine.connect() as conn:
        after = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    assert len(seen) == 2 and all(size < -2000 for size in seen)  # KiB: bigger than the default 2,000
    assert after == -2000
