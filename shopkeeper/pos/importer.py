"""Write a till's or online shop's export as sales: read and checked whole first, then one
transaction or nothing, as the generic CSV import does.

The system's own order or transaction id is each sale's import key, so importing the same
export again adds nothing and a later, longer export adds only the new orders."""
from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..csvfiles import read_table
from ..domain.timestamps import shop_zone
from ..imports import ImportCounts, ImportRefused
from ..services import Shop
from ..store import bulk
from ..store.backend import is_pg
from ..store.db import driver
from ..store.figures import refresh_figures
from ..store.timed_sales import insert_timed_sales, set_consent
from . import COLUMNS, FormatError, detect
from ..progress import NoProgress
from .people import Resolver, people_of
from .records import PosRead, PosSale

CHUNK = 5000  # sales written between two redraws of the progress bar


@dataclass
class PosReport(ImportCounts):
    label: str  # which export it was read as
    refunds_added: int = 0
    left_out: Counter = field(default_factory=Counter)  # orders not imported, by reason

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        sales = f"{verb} {self.sales_added} sales"
        if self.refunds_added:
            sales += " (1 refund)" if self.refunds_added == 1 else f" ({self.refunds_added} refunds)"
        parts = [f"{self.rows} rows read", sales]
        if self.sales_already_there:
            parts.append(f"{self.sales_already_there} already imported")
        parts.append(f"{verb} {self.customers_added} customers")
        text = f"{self.label}: " + ", ".join(parts)
        if self.left_out:
            text += "; left out: " + ", ".join(f"{n} {why}" for why, n in sorted(self.left_out.items()))
        return text + (" (dry run: nothing written)" if self.dry_run else "")


def import_pos_sales(shop: Shop, path: Path, wanted: str | None, today: date, dry_run: bool = False,
                     progress=None) -> PosReport:
    """Import `path`, an export of `wanted` ("shopify", "square"…) or of whichever system its header shows.
    `progress` (progress.TerminalProgress) is told each step and how far the writing is."""
    was_enabled = gc.isenabled()
    gc.disable()  # as imports.import_sales: many small objects that all live to the end
    try:
        return _import(shop, path, wanted, today, dry_run, progress or NoProgress())
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Checked:
    """An export read and checked, before anything is written (also what the import screen previews)."""

    label: str
    rows: int
    read: PosRead  # its sales, the orders left out, and the problems by line
    people: dict  # id(sale) -> its Person or None


def check_export(shop: Shop, path: Path, wanted: str | None, today: date, progress=None) -> Checked:
    """Read `path` as its system's export and check every sale; problems are in `.read.errors`."""
    progress = progress or NoProgress()
    progress.stage(f"reading {path.name}")
    table = read_table(path, {}, COLUMNS)
    try:
        fmt = detect(table.header, wanted)
    except FormatError as exc:
        raise ImportRefused([f"{path}: {exc}"]) from None
    progress.stage(f"checking {len(table.rows):,} rows of {fmt.label}")
    read = fmt.read(table.rows, shop_zone(shop.settings.time_zone))
    people = people_of(read.sales, shop.settings.phone_region, read.errors)
    first_line: dict[str, int] = {}
    for sale in read.sales:
        if sale.key in first_line:
            read.errors.append(f"line {sale.line}: {sale.note} appears again (first on line {first_line[sale.key]})")
        first_line.setdefault(sale.key, sale.line)
        if sale.stamp.day > today:
            read.errors.append(f"line {sale.line}: {sale.note} is dated {sale.stamp.day}, after today ({today})")
    read.errors.sort(key=_by_line)
    return Checked(fmt.label, len(table.rows), read, people)


def _import(shop: Shop, path: Path, wanted: str | None, today: date, dry_run: bool, progress) -> PosReport:
    checked = check_export(shop, path, wanted, today, progress)
    read, people, region = checked.read, checked.people, shop.settings.phone_region
    if read.errors:
        raise ImportRefused(read.errors)
    first_line = {sale.key: sale.line for sale in reversed(read.sales)}
    report = PosReport(checked.label, rows=checked.rows, dry_run=dry_run, left_out=read.left_out)
    with shop.writing() as session:
        existing = bulk.existing_import_keys(session, list(first_line))
        fresh = [s for s in read.sales if s.key not in existing]
        for old, grown in _refunds_grown(session, [s for s in read.sales if s.running_total and s.key in existing]):
            people[id(grown)] = people[id(old)]
            fresh.append(grown)
        todo = sorted(fresh, key=lambda s: (s.stamp.day, s.line))
        report.sales_already_there = len(read.sales) - len([s for s in read.sales if s.key not in existing])
        report.sales_added = len(todo)
        report.refunds_added = sum(1 for s in todo if s.amount < 0)
        customers = Resolver(session, region, [p for p in people.values() if p])
        sale_rows, line_rows, touched, consents = [], {}, set(), {}
        for sale in todo:
            person = people[id(sale)]
            customer_id = customers.resolve(person, sale.stamp.day) if person else None
            touched.add(customer_id)
            if customer_id is not None and customers.created(customer_id) and person.consent is not None:
                consents[customer_id] = person.consent
            sale_rows.append((customer_id, sale.stamp.day, sale.stamp.utc_text, sale.amount, sale.item_count,
                              sale.note, sale.key))
            if sale.items:
                line_rows[sale.key] = sale.items
        report.customers_added = len(customers.new.customers)
        if dry_run:
            session.rollback()
            return report
        progress.stage(f"writing {report.customers_added:,} new customers")
        customers.new.flush()
        set_consent(session, consents)
        for start in range(0, len(sale_rows), CHUNK):
            chunk = sale_rows[start:start + CHUNK]
            insert_timed_sales(session, chunk)
            lines = [(key, line_rows[key]) for *_, key in chunk if key in line_rows]
            if lines:
                ids = bulk.sale_ids_by_key(session, [key for key, _ in lines])
                bulk.insert_sale_lines(session, [(ids[key], d, q, u) for key, items in lines for d, q, u in items])
            progress.advance("writing sales", start + len(chunk), len(sale_rows))
        _tie_refunds(session, [s.key for s in todo if s.amount < 0])
        progress.stage(f"updating the figures of {len(touched):,} customers")
        refresh_figures(session, touched)
    return report


def _tie_refunds(session, refund_keys: list[str]) -> None:
    """A refund in an export is a refund of its order ("shopify:#1002:refund" of "shopify:#1002"):
    tie it to that sale, as a refund typed at the counter is, so an order refunded in full is no
    purchase day. Left untied when the order is not in the shop (bought before the first export),
    belongs to someone else, or would be refunded beyond its amount."""
    parents = {key: key.split(":refund")[0] for key in refund_keys}
    ids = bulk.sale_ids_by_key(session, list(parents) + sorted(set(parents.values())))
    pairs = [(ids[parent], ids[key], ids[parent]) for key, parent in parents.items() if key in ids and parent in ids]
    same = "IS NOT DISTINCT FROM" if is_pg(session) else "IS"  # NULL = NULL too (no customer)
    driver(session).executemany(
        "UPDATE sale SET refund_of_id = ? WHERE id = ? AND refund_of_id IS NULL AND EXISTS ("
        f" SELECT 1 FROM sale p WHERE p.id = ? AND p.amount_cents > 0 AND p.customer_id {same} sale.customer_id"
        " AND p.sold_on <= sale.sold_on AND p.amount_cents + sale.amount_cents + COALESCE("
        "  (SELECT SUM(r.amount_cents) FROM sale r WHERE r.refund_of_id = p.id), 0) >= 0)",
        pairs,
    )


def _refunds_grown(session, refunds: list[PosSale]) -> list[tuple[PosSale, PosSale]]:
    """Refunds an earlier import already holds part of: the order was refunded again since (Shopify
    gives only the total refunded so far), so the difference is a refund of its own, keyed by the
    new total ("shopify:#1002:refund:1300"), which an import of the same export again finds."""
    out = []
    conn = driver(session)
    for sale in refunds:
        held = sum(amount for key, amount in conn.execute(
            "SELECT import_key, amount_cents FROM sale WHERE import_key >= ? AND import_key < ?",
            (sale.key, sale.key + ";")) if key == sale.key or key.startswith(sale.key + ":"))
        if sale.amount < held:  # refunds are negative: more has been refunded
            out.append((sale, replace(sale, key=f"{sale.key}:{-sale.amount}", amount=sale.amount - held)))
    return out


def _by_line(message: str) -> tuple[int, str]:
    """Problems in file order ("line 9" after "line 10" would read as out of order)."""
    head = message.split(":", 1)[0]
    return (int(head[5:]) if head.startswith("line ") and head[5:].isdigit() else 0, message)
