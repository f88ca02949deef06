"""Square's sales exports, from Square Dashboard > Reports (or Transactions) > Export.

Transactions CSV (https://squareup.com/help/us/en/article/5072 , "Export transactions"): one row per
payment or refund — Date, Time, Time Zone, Gross Sales, Discounts, Net Sales, Tax, Tip, Partial
Refunds, Total Collected, …, Transaction ID, Payment ID, …, Description, Event Type (Payment /
Refund), …, Customer ID, Customer Name, Customer Reference ID.
Item sales CSV (https://squareup.com/help/us/en/article/5211 , "Item sales"): one row per item sold —
Date, Time, Time Zone, Category, Item, Qty, Price Point Name, …, Gross Sales, Discounts, Net Sales,
Tax, Transaction ID, Payment ID, …, Event Type, …, Customer ID, Customer Name, ….
Both key a sale by Square's Transaction ID, so the two exports of one shop never count a sale twice.
Amounts may carry the currency sign and a decimal comma ("12,50 €"), as Square writes them outside
the US; the time zone is a name such as "Pacific Time (US & Canada)".
"""
from __future__ import annotations

import re
from datetime import tzinfo

from .records import Cells, PosCustomer, PosRead, PosSale, column_order

LABEL = "Square transactions"
ITEMS_LABEL = "Square item sales"
COMMON = ("date", "time", "time_zone", "transaction_id")
REQUIRED = COMMON + ("total_collected",)
ITEMS_REQUIRED = COMMON + ("item", "qty")
CANCELLED = {"canceled", "cancelled", "voided", "failed"}
UNPAID = {"pending"}
COLUMNS = REQUIRED + ITEMS_REQUIRED + ("transaction_status", "service_charges",
    "gross_sales", "discounts", "net_sales", "tax", "tip", "partial_refunds", "payment_id", "description",
    "event_type", "customer_id", "customer_name", "customer_reference_id", "price_point_name", "staff_name",
    "location", "unit", "notes")


def _customer(cells: Cells, row: dict[str, str]) -> PosCustomer | None:
    found = PosCustomer(external_id=cells.text(row, "customer_id", 80), name=cells.text(row, "customer_name", 120))
    return found if (found.external_id or found.name) else None


def _event(cells: Cells, row: dict[str, str]) -> str:
    return cells.text(row, "event_type").lower() or "payment"


def _described_items(text: str) -> list[tuple[str, int, int | None]]:
    """"2 x Croissant, Café crème" -> [("Croissant", 2, None), ("Café crème", 1, None)]."""
    items = []
    for part in (p.strip() for p in text.split(", ") if p.strip()):
        match = re.fullmatch(r"(\d{1,5})\s*[x×]\s+(.+)", part)
        items.append((match.group(2), int(match.group(1)), None) if match else (part, 1, None))
    return items


def read_transactions(rows: list[tuple[int, dict[str, str]]], zone: tzinfo) -> PosRead:
    out = PosRead()
    cells = Cells(out.errors, zone, column_order(rows, "date", out.errors))
    refunded = {cells.text(r, "transaction_id", 80) for _, r in rows if _event(cells, r) == "refund"}
    for line, row in rows:
        before = len(out.errors)
        txid, event = cells.text(row, "transaction_id", 80), _event(cells, row)
        if not txid:
            out.errors.append(f"line {line}: no Transaction ID")
            continue
        if event not in ("payment", "refund"):
            out.left_out[event] += 1
            continue
        status = cells.text(row, "transaction_status").lower()
        if status in CANCELLED or status in UNPAID:
            out.left_out["cancelled" if status in CANCELLED else "unpaid"] += 1
            continue
        stamp = cells.stamp(line, row.get("date", ""), row.get("time", ""), row.get("time_zone", ""))
        partial = cells.money(line, row, "partial_refunds")
        if row.get("net_sales", "").strip():
            # what was paid at the time: Total Collected may already have the partial refunds taken off
            total = sum(cells.money(line, row, name) for name in ("net_sales", "service_charges", "tax", "tip"))
        else:
            total = cells.money(line, row, "total_collected", default=None) - partial
        if len(out.errors) != before or stamp is None:
            continue
        who = _customer(cells, row)
        if event == "refund":
            when = cells.text(row, "payment_id", 80) or stamp.utc_text or str(stamp.day)
            out.sales.append(PosSale(f"square:{txid}:refund:{when}", line, stamp, -abs(total), [], who,
                                     f"Refund of Square transaction {txid}"))
            continue
        items = _described_items(cells.text(row, "description", 1000))
        out.sales.append(PosSale(f"square:{txid}", line, stamp, total, items, who, f"Square transaction {txid}"))
        if partial and txid not in refunded:  # a refund row of its own, when there is one, says it already
            out.sales.append(PosSale(f"square:{txid}:refund", line, stamp, -abs(partial), [], who,
                                     f"Refund of Square transaction {txid}"))
    return out


def read_items(rows: list[tuple[int, dict[str, str]]], zone: tzinfo) -> PosRead:
    out = PosRead()
    cells = Cells(out.errors, zone, column_order(rows, "date", out.errors))
    groups: dict[tuple[str, bool, str], list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        txid, event = cells.text(row, "transaction_id", 80), _event(cells, row)
        if not txid:
            out.errors.append(f"line {line}: no Transaction ID")
        elif event not in ("payment", "refund"):
            out.left_out[event] += 1
        else:
            # each refund on its own (its Payment ID), so a later refund of the same sale is new
            refund_id = cells.text(row, "payment_id", 80) if event == "refund" else ""
            groups.setdefault((txid, event == "refund", refund_id), []).append((line, row))
    for (txid, refund, refund_id), lines in groups.items():
        before = len(out.errors)
        line, head = lines[0]
        stamp = cells.stamp(line, head.get("date", ""), head.get("time", ""), head.get("time_zone", ""))
        amount, items = 0, []
        for item_line, row in lines:
            paid = cells.money(item_line, row, "net_sales") + cells.money(item_line, row, "tax")
            amount += paid
            name = cells.text(row, "item", 300)
            point = cells.text(row, "price_point_name", 100)
            if point and point.lower() != "regular":
                name = f"{name} ({point})"
            quantity = cells.quantity(item_line, row.get("qty", ""))
            if quantity is None:  # sold by weight or length: one line, the measure in its name
                name, quantity = f"{name} ({cells.text(row, 'qty', 20)} {cells.text(row, 'unit', 20)})".replace(" )", ")"), 1
            gross = cells.money(item_line, row, "gross_sales")
            unit_price = round(abs(gross) / abs(quantity)) if quantity else None
            items.append((name, abs(quantity) or 1, unit_price))
        if len(out.errors) != before or stamp is None:
            continue
        who = _customer(cells, head)
        if refund:
            key = f"square:{txid}:refund:{refund_id}" if refund_id else f"square:{txid}:refund"
            out.sales.append(PosSale(key, line, stamp, -abs(amount), items, who,
                                     f"Refund of Square transaction {txid}"))
        else:
            out.sales.append(PosSale(f"square:{txid}", line, stamp, amount, items, who, f"Square transaction {txid}"))
    return out
