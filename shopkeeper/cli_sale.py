"""`shopkeeper sale void|edit|refund|list`: corrections from the command line, over the same
services as the card. Each prints one line saying what was done; errors are one line too."""
from __future__ import annotations

import json
import sys

from .domain.money import format_cents, parse_money


def _amount(text: str, usage_error) -> int:
    from .domain.money import MoneyError

    try:
        return parse_money(text)
    except MoneyError as exc:
        raise usage_error(f"--amount: {exc}") from None


def _cost(text: str, usage_error) -> int | None:
    """--cost: an amount of zero or more, or "none" to forget it."""
    if text.strip().lower() in ("none", "unknown", ""):
        return None
    from .domain.money import MoneyError

    try:
        return parse_money(text)
    except MoneyError as exc:
        raise usage_error(f"--cost: {exc}") from None


def _today(args):
    """The day the correction is made (and the latest day a sale may have): `--date` given
    before the command, as every other command reads it, else the real day."""
    from .clock import now_date

    return getattr(args, "date", None) or now_date()


def describe(sale) -> str:
    """A sale as one line: "#12 2026-02-10 123.45 (3 items)"."""
    what = f"refund of sale #{sale.refund_of_id}" if sale.refund_of_id else ("refund" if sale.amount_cents < 0 else "")
    items = f"{sale.item_count} item(s)"
    cost = f"cost {format_cents(sale.cost_cents)}" if getattr(sale, "cost_cents", None) is not None else ""
    return " ".join(p for p in (f"#{sale.id}", sale.sold_on.isoformat(), format_cents(sale.amount_cents), items, cost, what)
                    if p)


def run_sale(args, shop, usage_error) -> int:
    today = _today(args)
    command = args.sale_command
    if command == "void":
        sale = shop.void_sale(args.id, args.reason, today)
        print(f"voided {describe(sale)}" + (f": {args.reason.strip()}" if args.reason.strip() else ""))
    elif command == "edit":
        cost_only = args.cost is not None and args.amount is None and args.sold_on is None and args.customer is None \
            and args.items is None
        if args.amount is None and args.sold_on is None and args.customer is None and args.items is None \
                and args.cost is None:
            raise usage_error("say what to change: --amount, --date, --customer, --items or --cost")
        cost = _cost(args.cost, usage_error) if args.cost is not None else None
        if not cost_only:
            amount = _amount(args.amount, usage_error) if args.amount is not None else None
            sale = shop.edit_sale(args.id, amount_cents=amount, sold_on=args.sold_on, item_count=args.items,
                                  customer_id=args.customer, reason=args.reason, day=today)
            print(f"edited {describe(sale)}" + (f" for customer {sale.customer_id}" if sale.customer_id else ""))
        if args.cost is not None:
            sale = shop.set_sale_cost(args.id, cost)
            print(f"cost of #{sale.id}: " + ("not known" if sale.cost_cents is None else format_cents(sale.cost_cents)))
    elif command == "refund":
        sale = shop.sale(args.id)  # None: log_refund says why (no such sale, or voided)
        if args.amount is not None:
            amount = _amount(args.amount, usage_error)
        else:
            amount = sale.refundable_cents if sale is not None else 1
            if sale is not None and amount == 0:
                raise usage_error(f"nothing is left to refund on sale {args.id}")
        refund_id = shop.log_refund(args.id, amount, args.sold_on or today, today, args.note)
        refund = shop.sale(refund_id)
        print(f"refund of {format_cents(-refund.amount_cents)} on sale #{args.id} logged as #{refund_id}")
    else:
        _list(shop, args.customer, args.format)
    return 0


def _list(shop, customer_id: int, fmt: str) -> None:
    sales = shop.customer_sales(customer_id)
    voided = shop.voided_sales(customer_id)
    if fmt == "json":
        print(json.dumps(
            [{"id": s.id, "date": s.sold_on.isoformat(), "amount": format_cents(s.amount_cents), "items": s.item_count,
              "refund_of": s.refund_of_id, "refunded": format_cents(-s.refunded_cents),
              "cost": None if s.cost_cents is None else format_cents(s.cost_cents),
              "edits": [{"on": e.corrected_on.isoformat(), "reason": e.reason,
                         "was": {"amount": format_cents(e.old_amount_cents), "date": e.old_sold_on.isoformat(),
                                 "items": e.old_item_count, "customer_id": e.old_customer_id}} for e in s.edits],
              "voided": None} for s in sales]
            + [{"id": v.sale_id, "date": v.sold_on.isoformat(), "amount": format_cents(v.amount_cents),
                "items": v.item_count, "refund_of": v.refund_of_id, "refunded": "0.00", "edits": [],
                "voided": {"on": v.voided_on.isoformat(), "reason": v.reason}} for v in voided],
            ensure_ascii=False, indent=2))
        return
    for s in sales:
        marks = []
        if s.refunded_cents:
            marks.append(f"refunded {format_cents(-s.refunded_cents)}")
        for e in s.edits:
            marks.append(f"edited {e.corrected_on.isoformat()}" + (f": {e.reason}" if e.reason else ""))
        print("\t".join([describe(s), *marks]))
    for v in voided:
        print(f"#{v.sale_id} {v.sold_on.isoformat()} {format_cents(v.amount_cents)}\tvoided {v.voided_on.isoformat()}"
              + (f": {v.reason}" if v.reason else ""))
    if not sales and not voided:
        print(f"shopkeeper: customer {customer_id} has no sales", file=sys.stderr)
