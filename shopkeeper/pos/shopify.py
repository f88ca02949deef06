"""Shopify's orders export (Orders > Export > "All orders", CSV for Excel or plain CSV).

Documented at https://help.shopify.com/en/manual/fulfillment/managing-orders/exporting-orders :
one row per line item; the order-level fields (Total, Financial Status, Billing Name, Accepts
Marketing…) only on the order's first row; rows sharing `Name` ("#1001") are one order.
An order is one sale at its Total; `Refunded Amount` becomes a refund of that sale; cancelled
(`Cancelled at` set) and unpaid (pending, voided, expired) orders are left out and counted.
"""
from __future__ import annotations

from datetime import tzinfo

from ..domain.timestamps import Stamp
from .records import Cells, PosCustomer, PosRead, PosSale, column_order

LABEL = "Shopify orders"
REQUIRED = ("name", "financial_status", "created_at", "total", "lineitem_name", "lineitem_quantity")
COLUMNS = REQUIRED + ("email", "paid_at", "accepts_marketing", "currency", "refunded_amount", "cancelled_at",
                      "lineitem_price", "billing_name", "billing_phone", "shipping_name", "shipping_phone",
                      "phone", "id", "tags", "notes")
UNPAID = {"pending", "voided", "expired"}


def read(rows: list[tuple[int, dict[str, str]]], zone: tzinfo) -> PosRead:
    out = PosRead()
    cells = Cells(out.errors, zone, column_order(rows, "created_at", out.errors))
    orders: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        name = cells.text(row, "name", limit=80)
        if not name:
            out.errors.append(f"line {line}: no order Name")
            continue
        orders.setdefault(name, []).append((line, row))
    for name, lines in orders.items():
        _order(name, lines, cells, out)
    return out


def _order(name: str, lines: list[tuple[int, dict[str, str]]], cells: Cells, out: PosRead) -> None:
    # the order-level fields are on the first row that has them (normally the order's first)
    line, head = next(((n, r) for n, r in lines if r.get("total", "").strip() or r.get("financial_status", "").strip()),
                      lines[0])
    if cells.text(head, "cancelled_at"):
        out.left_out["cancelled"] += 1
        return
    if cells.text(head, "financial_status").lower() in UNPAID:
        out.left_out["unpaid"] += 1
        return
    before = len(out.errors)
    stamp = cells.stamp(line, cells.text(head, "created_at", limit=60))
    total = cells.money(line, head, "total", default=None)
    refunded = cells.money(line, head, "refunded_amount")
    items = []
    for item_line, row in lines:
        item = cells.text(row, "lineitem_name", limit=500)
        quantity = cells.quantity(item_line, row.get("lineitem_quantity", ""))
        price = cells.money(item_line, row, "lineitem_price", default=0) if row.get("lineitem_price", "").strip() else None
        if item or quantity:
            items.append((item, quantity or 1, price))
    if len(out.errors) != before or stamp is None:
        return
    email = next((e for _, r in lines if (e := cells.text(r, "email"))), "")
    consent = cells.text(head, "accepts_marketing").lower()
    customer = PosCustomer(
        name=cells.text(head, "billing_name", limit=120) or cells.text(head, "shipping_name", limit=120),
        email=email,
        phone=cells.text(head, "billing_phone", 40) or cells.text(head, "phone", 40) or cells.text(head, "shipping_phone", 40),
        consent=True if consent in ("yes", "true") else False if consent in ("no", "false") else None,
    )
    who = customer if (customer.name or customer.email or customer.phone) else None
    out.sales.append(PosSale(f"shopify:{name}", line, stamp, total, items, who, f"Shopify order {name}"))
    if refunded:  # the export does not say when it was refunded: on the order's day, no instant
        out.sales.append(PosSale(f"shopify:{name}:refund", line, Stamp(stamp.day), -abs(refunded), [], who,
                                 f"Refund of Shopify order {name}", running_total=True))
