"""Write a till's or online shop's export as sales: read and checked whole first, then one
transaction or nothing, like the generic CSV import whose customer matching it shares.

The system's own order or transaction id is each sale's import key, so importing the same
export again adds nothing and a later, longer export adds only the new orders."""
from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..csvfiles import read_table
from ..domain.text import fold
from ..domain.timestamps import shop_zone
from ..imports import ImportRefused, ImportReport, _Memo, _SaleCustomers, _Who
from ..services import Shop
from ..store import bulk
from ..store.db import writing
from ..store.figures import refresh_figures
from ..store.timed_sales import insert_timed_sales, set_consent
from . import COLUMNS, FormatError, detect
from .records import PosSale


@dataclass
class PosReport(ImportReport):
    label: str = ""
    left_out: Counter = field(default_factory=Counter)
    refunds_added: int = 0

    def summary(self) -> str:
        text = super().summary()
        suffix = " (dry run: nothing written)"
        dry = text.endswith(suffix)
        text = text.removesuffix(suffix)
        if self.refunds_added:
            refunds = "1 refund" if self.refunds_added == 1 else f"{self.refunds_added} refunds"
            text = text.replace(" sales", f" sales ({refunds})", 1)
        if self.left_out:
            text += "; left out: " + ", ".join(f"{n} {why}" for why, n in sorted(self.left_out.items()))
        return f"{self.label}: {text}" + (suffix if dry else "")


def import_pos_sales(shop: Shop, path: Path, wanted: str | None = None, dry_run: bool = False) -> PosReport:
    """Import `path`, an export of `wanted` ("shopify", "square"…) or of whichever system its header shows."""
    was_enabled = gc.isenabled()
    gc.disable()  # as imports.import_sales: millions of small objects that live to the end
    try:
        return _import(shop, path, wanted, dry_run)
    finally:
        if was_enabled:
            gc.enable()


def _import(shop: Shop, path: Path, wanted: str | None, dry_run: bool) -> PosReport:
    table = read_table(path, {}, COLUMNS)
    try:
        fmt = detect(table.header, wanted)
    except FormatError as exc:
        raise ImportRefused([f"{path}: {exc}"]) from None
    read = fmt.read(table.rows, shop_zone(shop.settings.time_zone))
    region = shop.settings.phone_region
    memo = _Memo(region, "iso")
    whos = _customers(read.sales, memo, read.errors)
    seen: dict[str, int] = {}
    for sale in read.sales:
        if sale.key in seen:
            read.errors.append(f"line {sale.line}: {sale.key.split(':', 1)[1]} appears again (first on line {seen[sale.key]})")
        seen.setdefault(sale.key, sale.line)
    if read.errors:
        raise ImportRefused(read.errors)
    report = PosReport(rows=len(table.rows), dry_run=dry_run, label=fmt.label, left_out=read.left_out)
    with writing(shop.engine) as session:
        existing = bulk.existing_import_keys(session, list(seen))
        todo = sorted((s for s in read.sales if s.key not in existing), key=lambda s: (s.stamp.day, s.line))
        report.sales_already_there = len(read.sales) - len(todo)
        report.sales_added = len(todo)
        report.refunds_added = sum(1 for s in todo if s.amount < 0)
        customers = _SaleCustomers(session, region, dry_run, report, [w for w in whos.values() if w], memo)
        first_new = customers.new.next_id
        sale_rows, line_rows, touched, consents = [], [], set(), {}
        for sale in todo:
            who = whos[id(sale)]
            customer_id = customers.resolve(who, sale.stamp.day) if who else None
            touched.add(customer_id)
            if customer_id is not None and customer_id >= first_new and sale.customer.consent is not None:
                consents[customer_id] = sale.customer.consent  # the newest order's word wins
            sale_rows.append((customer_id, sale.stamp.day, sale.stamp.utc_text, sale.amount, sale.item_count,
                              sale.note, sale.key))
            if sale.items:
                line_rows.append((sale.key, sale.items))
        if dry_run:
            session.rollback()
            return report
        customers.new.flush()
        set_consent(session, consents)
        insert_timed_sales(session, sale_rows)
        if line_rows:
            ids = bulk.sale_ids_by_key(session, [key for key, _ in line_rows])
            bulk.insert_sale_lines(session, [(ids[key], d, q, u) for key, lines in line_rows for d, q, u in lines])
        refresh_figures(session, touched)
    return report


def _customers(sales: list[PosSale], memo: _Memo, errors: list[str]) -> dict[int, _Who | None]:
    """One `_Who` per person across the file: orders sharing an email, a phone or the system's
    customer id are the same customer, and what one order leaves out (a name, a phone) another fills in."""
    by_key: dict[tuple[str, str], _Who] = {}
    out: dict[int, _Who | None] = {}
    for sale in sorted(sales, key=lambda s: (s.stamp.day, s.line)):
        given = sale.customer
        if given is None:
            out[id(sale)] = None
            continue
        phone = ""
        if given.phone:
            problem, phone = memo.phone(given.phone)
            if problem:
                errors.append(f"line {sale.line}: {problem}")
        if given.email and "@" not in given.email:
            errors.append(f"line {sale.line}: email {given.email!r} does not look like name@example.com")
        keys = [k for k in (("ext", given.external_id), ("phone", phone), ("email", fold(given.email))) if k[1]]
        who = next((by_key[k] for k in keys if k in by_key), None)
        if who is None:
            who = _Who(external_id=given.external_id, name=given.name, phone=phone, email=given.email,
                       phone_raw=given.phone if phone else "")
        else:
            who.name = who.name or given.name
            who.email = who.email or given.email
            if phone and not who.phone:
                who.phone, who.phone_raw = phone, given.phone
        for key in keys:
            by_key.setdefault(key, who)
        if not keys and given.name:  # a name alone (Square's Customer Name) still groups its sales
            who = by_key.setdefault(("name", fold(given.name)), who)
        out[id(sale)] = who
    return out
