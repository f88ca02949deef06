"""Exports for scripts and spreadsheets: customers, sales and the checklist as CSV or JSON."""
from __future__ import annotations

import csv
import json
from datetime import date
from typing import IO, Iterable

from .domain.checklist import Checklist
from .domain.money import format_cents
from .domain.records import CustomerRow
from .services import Shop
from .store import reads


def _dump_json(data, out: IO[str]) -> None:
    """Indented for a person at a terminal; compact for scripts, where json's fast C encoder
    does the work (indenting falls back to pure Python, seconds on a big shop)."""
    indent = 2 if out.isatty() else None
    out.write(json.dumps(data, ensure_ascii=False, indent=indent))
    out.write("\n")


CUSTOMER_COLUMNS = ["id", "external_id", "name", "phones", "email", "level", "purchase_days", "first_purchase_on",
                    "last_purchase_on", "birthday", "preferred_channel", "marketing_consent", "referred_by", "notes",
                    "likes", "dislikes", "total_spend", "tags"]


def export_customers(shop: Shop, day: date, fmt: str, out: IO[str]) -> None:
    with shop.reading() as session:
        rows = reads.iter_customers_export(session, day)
        if fmt == "json":
            _dump_json(list(rows), out)
            return
        writer = csv.DictWriter(out, fieldnames=CUSTOMER_COLUMNS, lineterminator="\n")
        writer.writeheader()  # the same header whether the shop is empty or not
        for row in rows:
            cents = row.pop("total_spend_cents")  # the CSV has spend once, as 12.50
            writer.writerow({**row, "phones": " | ".join(row["phones"]), "total_spend": format_cents(cents),
                             "tags": "; ".join(row["tags"])})


SALE_COLUMNS = ["id", "date", "customer_id", "customer", "amount", "items", "on_sale", "note", "lines", "refund_of"]
VOID_COLUMNS = ["voided_on", "void_reason"]


def _voided_as_sales(session, include: bool):
    """Voided sales as (SaleView, voided_on, reason) in id order, when asked for."""
    if not include:
        return
    from .domain.records import SaleView

    for v, name, lines in reads.iter_voided_export(session):
        yield SaleView(v.sale_id, v.customer_id, name, v.sold_on, v.amount_cents, v.item_count, v.on_sale, v.note,
                       lines, v.refund_of_id), v.voided_on, v.reason


def export_sales(shop: Shop, fmt: str, out: IO[str], include_voided: bool = False) -> None:
    """Every sale in id order; voided ones only with `include_voided` (then with when and why)."""
    from heapq import merge

    with shop.reading() as session:
        live = ((s, None, "") for s in reads.iter_sales_export(session))
        sales = merge(live, _voided_as_sales(session, include_voided), key=lambda row: row[0].id)
        if fmt == "json":
            _dump_json(
                [
                    {
                        "id": s.id, "date": s.sold_on.isoformat(), "customer_id": s.customer_id,
                        "customer": s.customer_name, "amount": format_cents(s.amount_cents),
                        "items": s.item_count, "on_sale": s.on_sale, "note": s.note,
                        "lines": [
                            {"description": l.description, "quantity": l.quantity,
                             "unit_price": format_cents(l.unit_price_cents) if l.unit_price_cents is not None else None}
                            for l in s.lines
                        ],
                        "refund_of": s.refund_of_id,
                        **({"voided_on": voided_on.isoformat() if voided_on else None, "void_reason": reason}
                           if include_voided else {}),
                    }
                    for s, voided_on, reason in sales
                ],
                out,
            )
            return
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(SALE_COLUMNS + (VOID_COLUMNS if include_voided else []))
        for s, voided_on, reason in sales:
            lines = "; ".join(
                f"{l.quantity} x {l.description}" + (f" @ {format_cents(l.unit_price_cents)}" if l.unit_price_cents is not None else "")
                for l in s.lines
            )
            row = [s.id, s.sold_on.isoformat(), s.customer_id or "", s.customer_name, format_cents(s.amount_cents),
                   s.item_count, "yes" if s.on_sale else "no", s.note, lines, s.refund_of_id or ""]
            writer.writerow(row + ([voided_on.isoformat() if voided_on else "", reason] if include_voided else []))


CHECKLIST_COLUMNS = ["section", "customer_id", "name", "phone", "what", "date", "priority", "reasons"]


def checklist_csv_rows(checklist: Checklist) -> list[list]:
    rows: list[list] = []
    for p in checklist.promises_overdue:
        rows.append(["promise_overdue", p.customer_id, p.name, p.phone, p.text, p.due_on.isoformat(), "", f"{p.days_late} days late"])
    for p in checklist.promises_due:
        rows.append(["promise_due", p.customer_id, p.name, p.phone, p.text, p.due_on.isoformat(), "", ""])
    for s in checklist.second_sale:
        rows.append(["second_sale", s.customer_id, s.name, s.phone or s.email, f"first purchase {format_cents(s.first_purchase_cents)}",
                     s.first_purchase_on.isoformat(), s.priority, "; ".join(s.reasons)])
    for t in checklist.thank_referrer:
        rows.append(["thank_referrer", t.customer_id, t.name, t.phone, f"referred {t.referee_name}", t.first_purchase_on.isoformat(), "", ""])
    for b in checklist.birthdays:
        rows.append(["birthday", b.customer_id, b.name, b.phone, b.label, b.on.isoformat(), "", f"in {b.in_days} days"])
    for f in checklist.feedback_to_answer:
        rows.append(["feedback_to_answer", f.customer_id, f.name, f.phone or f.email,
                     f"{f.score}★{' complaint' if f.complaint else ''}: {f.text}".rstrip(": "), f.given_on.isoformat(), "", ""])
    for k in checklist.keep_in_touch:
        rows.append(["keep_in_touch", k.customer_id, k.name, k.phone or k.email, "keep in touch",
                     k.last_in_touch_on.isoformat(), "", k.reason])
    for g in checklist.big_orders:
        rows.append(["big_order", g.customer_id, g.name, g.phone, f"big order {format_cents(g.amount_cents)}",
                     g.sold_on.isoformat(), "", f"{g.times_usual:g}× their usual {format_cents(g.usual_visit_cents)}"])
    for e in checklist.enquiries:
        rows.append(["enquiry", e.customer_id or "", e.name, e.phone, e.what, e.asked_on.isoformat(), "",
                     f"{e.channel}, waiting {e.days_waiting} days"])
    return rows


def write_checklist(checklist: Checklist, fmt: str, out: IO[str]) -> None:
    """The checklist as JSON or CSV (the text table for a person is report.print_checklist)."""
    if fmt == "json":
        _dump_json(checklist.to_json(), out)
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CHECKLIST_COLUMNS)
        writer.writerows(checklist_csv_rows(checklist))


CALL_LIST_COLUMNS = ["id", "name", "phone", "email", "marketing_consent", "level", "spend", "last_purchase", "reason",
                     "tags"]


def write_call_list(rows: Iterable[CustomerRow], out: IO[str]) -> int:
    """A call list as CSV (the call-list screen's export); returns how many rows it wrote."""
    writer = csv.writer(out)
    writer.writerow(CALL_LIST_COLUMNS)
    count = 0
    for r in rows:
        writer.writerow([r.id, r.name, r.phone, r.email, "yes" if r.marketing_consent else "no", r.level,
                         f"{r.total_spend_cents / 100:.2f}", r.last_purchase_on.isoformat() if r.last_purchase_on else "—",
                         r.reason, "; ".join(r.tags)])
        count += 1
    return count
