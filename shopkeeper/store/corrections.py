"""Corrections to sales: void (move aside with when and why), edit (in place, with a history row),
and the refunds tied to a sale. Each runs inside the caller's one transaction and recomputes the
kept figures of every customer it touches (their referrers too, through `refresh_figures`).

A voided sale leaves `sale` for `sale_void`, so every query over `sale` (figures, checklist,
insights, exports, call lists) is right without knowing that voids exist.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Iterable

from sqlalchemy import delete, func, select, text
from sqlmodel import Session

from .figures import refresh_figures
from .models import Sale, SaleCorrection, SaleLine, SaleVoid


def next_sale_id(session: Session) -> int:
    """The id for a new sale: never one a voided sale had, so a sale's history stays its own."""
    return next_sale_ids(session, 1)[0]


def next_sale_ids(session: Session, count: int) -> list[int]:
    """Ids for `count` new sales, never a voided sale's: PostgreSQL's sequence never goes back;
    on SQLite (one writer holds the lock) past the largest id of a sale or a voided sale."""
    from .backend import is_pg, next_ids

    if is_pg(session):
        return next_ids(session, "sale", count)
    row = session.execute(
        text("SELECT MAX(COALESCE((SELECT MAX(id) FROM sale), 0), COALESCE((SELECT MAX(sale_id) FROM sale_void), 0))")
    ).scalar()
    start = int(row or 0) + 1
    return list(range(start, start + count))


def import_key_taken(session: Session, keys: Iterable[str]) -> set[str]:
    """The keys among `keys` held by a sale or by a voided sale (re-importing a file must not bring
    back what was voided)."""
    from .db import driver

    taken: set[str] = set()
    session.flush()  # the driver sees only what is written (the ORM's queries would flush first)
    conn = driver(session)
    tables = [table for table in ("sale", "sale_void")  # a shop's first import: one look each (an index)
              if conn.execute(f"SELECT 1 FROM {table} WHERE import_key IS NOT NULL LIMIT 1").fetchone() is not None]
    if not tables:
        return taken
    keys = sorted(set(keys))
    for start in range(0, len(keys), 500):  # the driver's own IN lists: SQLAlchemy's cost 4 s a million keys
        chunk = tuple(keys[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for table in tables:
            taken.update(key for key, in conn.execute(f"SELECT import_key FROM {table} WHERE import_key IN ({marks})", chunk))
    return taken


def voided(session: Session, sale_id: int) -> SaleVoid | None:
    return session.execute(select(SaleVoid).where(SaleVoid.sale_id == sale_id)).scalar()


def tied_refunds(session: Session, sale_id: int) -> list[Sale]:
    return list(session.execute(select(Sale).where(Sale.refund_of_id == sale_id).order_by(Sale.id)).scalars())


def refunded_cents(session: Session, sale_ids: Iterable[int]) -> dict[int, int]:
    """sale id -> the sum of the refunds tied to it (negative), for the ids that have any."""
    ids = list(sale_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Sale.refund_of_id, func.sum(Sale.amount_cents)).where(Sale.refund_of_id.in_(ids)).group_by(Sale.refund_of_id)
    )
    return {sid: int(total) for sid, total in rows}


def void_sale(session: Session, sale: Sale, reason: str, day: date, staff_id: int | None = None) -> None:
    """Move the sale (and its lines) to sale_void; the caller has checked no refund is tied to it."""
    lines = [
        {"description": l.description, "quantity": l.quantity, "unit_price_cents": l.unit_price_cents}
        for l in session.execute(select(SaleLine).where(SaleLine.sale_id == sale.id).order_by(SaleLine.id)).scalars()
    ]
    session.add(
        SaleVoid(
            sale_id=sale.id, customer_id=sale.customer_id, sold_on=sale.sold_on, amount_cents=sale.amount_cents,
            item_count=sale.item_count, on_sale=sale.on_sale, note=sale.note, import_key=sale.import_key,
            refund_of_id=sale.refund_of_id, lines_json=json.dumps(lines, ensure_ascii=False), voided_on=day,
            reason=reason, staff_id=sale.staff_id, voided_by_id=staff_id,
        )
    )
    customer_id = sale.customer_id
    session.execute(delete(SaleLine).where(SaleLine.sale_id == sale.id))
    session.execute(delete(Sale).where(Sale.id == sale.id))
    session.flush()
    refresh_figures(session, [customer_id])


def edit_sale(
    session: Session, sale: Sale, *, amount_cents: int, sold_on: date, item_count: int, customer_id: int | None,
    reason: str, day: date, staff_id: int | None = None,
) -> None:
    """Change the sale in place and record what it was; its tied refunds follow it to a new customer."""
    old_customer = sale.customer_id
    session.add(
        SaleCorrection(
            sale_id=sale.id, corrected_on=day, reason=reason,
            old_customer_id=old_customer, new_customer_id=customer_id,
            old_sold_on=sale.sold_on, new_sold_on=sold_on,
            old_amount_cents=sale.amount_cents, new_amount_cents=amount_cents,
            old_item_count=sale.item_count, new_item_count=item_count, staff_id=staff_id,
        )
    )
    sale.amount_cents, sale.sold_on, sale.item_count, sale.customer_id = amount_cents, sold_on, item_count, customer_id
    session.add(sale)
    if customer_id != old_customer:
        for refund in tied_refunds(session, sale.id):
            refund.customer_id = customer_id
            session.add(refund)
    session.flush()
    refresh_figures(session, [old_customer, customer_id])


def corrections_of(session: Session, sale_ids: Iterable[int]) -> dict[int, list[SaleCorrection]]:
    ids = list(sale_ids)
    out: dict[int, list[SaleCorrection]] = {}
    if ids:
        rows = session.execute(
            select(SaleCorrection).where(SaleCorrection.sale_id.in_(ids)).order_by(SaleCorrection.id)
        ).scalars()
        for row in rows:
            out.setdefault(row.sale_id, []).append(row)
    return out


def voided_of_customer(session: Session, customer_id: int, limit: int = 10) -> list[SaleVoid]:
    return list(
        session.execute(
            select(SaleVoid).where(SaleVoid.customer_id == customer_id)
            .order_by(SaleVoid.voided_on.desc(), SaleVoid.id.desc()).limit(limit)
        ).scalars()
    )
