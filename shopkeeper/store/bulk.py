"""Bulk writes for imports: many rows per statement, inside the caller's one transaction.

The ORM's per-object flush and RETURNING over a million rows are far too slow for a till's
five-year history (see benchmarks/); these go through the driver's executemany (SQLite) or COPY
(PostgreSQL) instead, with ids taken up front (backend.next_ids, corrections.next_sale_ids).
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, Sequence

from sqlmodel import Session

from ..domain.phones import PhoneKeys, distinct_numbers, phone_keys
from ..domain.text import fold
from .backend import insert_rows, insert_rows_together, is_pg, next_ids
from .db import driver

CHUNK = 500


def insert_sales(session: Session, rows: Sequence[tuple]) -> None:
    """rows: (customer_id, sold_on: date, amount_cents, item_count, on_sale: bool, note, import_key[,
    cost_cents]). Ids are given from `next_sale_id`, so a new sale never takes a voided sale's id."""
    if not rows:
        return
    from .corrections import next_sale_ids

    ids = next_sale_ids(session, len(rows))
    insert_rows(session, "sale", ("id", "customer_id", "sold_on", "amount_cents", "item_count", "on_sale", "note",
                                  "import_key", "cost_cents"),
                [(ids[i], c, d.isoformat(), a, n, bool(s), note, key, cost[0] if cost else None)
                 for i, (c, d, a, n, s, note, key, *cost) in enumerate(rows)])


def sale_ids_by_key(session: Session, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    conn = driver(session)
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start : start + CHUNK])
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT import_key, id FROM sale WHERE import_key IN ({marks})", tuple(chunk)).fetchall())
    return found


def existing_import_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Keys already imported, voided sales' included (see `corrections.import_key_taken`)."""
    from .corrections import import_key_taken

    return import_key_taken(session, keys)


def insert_sale_lines(session: Session, rows: Sequence[tuple]) -> None:
    """rows: (sale_id, description, quantity, unit_price_cents)."""
    insert_rows(session, "sale_line", ("sale_id", "description", "quantity", "unit_price_cents"), list(rows))


def ids_where_in(session: Session, sql: str, values: Iterable[str]) -> dict[str, int]:
    """{value: smallest id} for `sql` ("SELECT value, MIN(id) … WHERE value IN ({marks}) GROUP BY value")."""
    values = sorted(set(values))
    out: dict[str, int] = {}
    conn = driver(session)
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        out.update(conn.execute(sql.format(marks=",".join("?" * len(chunk))), tuple(chunk)).fetchall())
    return out


class KnownCustomers:
    """The customers already on file that an import's rows may name: the lowest id for each external
    id, phone (E.164), folded email and folded name among the given values, read with four set-based
    queries for the whole file. The importers apply their matching rules on top (`by_*.get`)."""

    def __init__(self, session: Session, externals: Iterable[str], phones: Iterable[str], emails: Iterable[str],
                 names: Iterable[str]) -> None:
        self.by_external = ids_where_in(
            session, "SELECT external_id, MIN(id) FROM customer WHERE external_id IN ({marks}) GROUP BY external_id", externals)
        self.by_phone = ids_where_in(
            session, "SELECT e164, MIN(customer_id) FROM customer_phone WHERE e164 IN ({marks}) GROUP BY e164", phones)
        self.by_email = ids_where_in(
            session, "SELECT email_fold, MIN(id) FROM customer WHERE email_fold IN ({marks}) GROUP BY email_fold", emails)
        self.by_name = ids_where_in(
            session, "SELECT name_fold, MIN(id) FROM customer WHERE name_fold IN ({marks}) GROUP BY name_fold", names)


class NewCustomers:
    """New customers for one import, as `writes.create_customer` makes them from these fields, given
    their ids at once and written together by `flush` (two bulk inserts instead of two statements
    per customer). Ids come from backend.next_ids in blocks: PostgreSQL's sequence, or on SQLite
    past the largest id, safe because the import's transaction holds the write lock from its start."""

    def __init__(self, session: Session, region: str, keys_of: Callable[[str, str], PhoneKeys] = phone_keys) -> None:
        self.session = session
        self.region, self.keys_of = region, keys_of
        self.free_ids: list[int] = []
        self.made: set[int] = set()  # the ids this import created
        self.customers: list[tuple] = []
        self.phones: list[tuple] = []

    def add(self, name: str, phones: list[str], email: str, external_id: str | None, day: date) -> tuple[int, list[str]]:
        """Queue one customer; returns (its id, the international digits of its phones)."""
        if not self.free_ids:
            taken = next_ids(self.session, "customer", CHUNK)
            if self.customers and not is_pg(self.session):  # SQLite: past the ones queued, not yet written
                taken = [i + len(self.customers) for i in taken]
            self.free_ids = taken[::-1]
        customer_id = self.free_ids.pop()
        self.made.add(customer_id)
        self.customers.append((customer_id, name, fold(name), email or None, fold(email) or None, "", "", "", "",
                               False, external_id or None, day.isoformat(), 0, 0, 0))
        numbers = distinct_numbers(phones, self.region, self.keys_of)
        self.phones += [(customer_id, raw, keys.national, keys.e164, keys.reversed_digits) for raw, keys in numbers]
        return customer_id, [keys.e164 for _, keys in numbers]

    def flush(self) -> None:
        """Write the queued customers and their phones (before any row that refers to them)."""
        insert_rows_together(self.session, "customer", (
            "id", "name", "name_fold", "email", "email_fold", "notes", "likes", "dislikes", "preferred_channel",
            "marketing_consent", "external_id", "created_on", "purchase_days", "total_spend_cents", "first_day_cents"),
            self.customers)
        insert_rows(self.session, "customer_phone", ("customer_id", "raw", "national", "e164", "reversed_digits"),
                    self.phones)
        self.customers, self.phones = [], []


def sales_by_import_key(session: Session, keys: Sequence[str]) -> dict[str, tuple[date, int | None]]:
    """{import key: (day, customer id)} of the sales already stored under those keys."""
    found: dict[str, tuple[date, int | None]] = {}
    conn = driver(session)
    keys = sorted(set(keys))
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        for key, day, customer in conn.execute(
            f"SELECT import_key, sold_on, customer_id FROM sale WHERE import_key IN ({marks})", tuple(chunk)
        ):
            found[key] = (date.fromisoformat(str(day)[:10]), customer)
    return found


def any_import_key_starting(session: Session, prefix: str) -> bool:
    """Is any sale's import key written `prefix`…? (An index range: instant on any shop.)"""
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return driver(session).execute(
        "SELECT 1 FROM sale WHERE import_key >= ? AND import_key < ? LIMIT 1", (prefix, after)).fetchone() is not None
