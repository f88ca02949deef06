"""Bulk insert of imported sales that know their instant (sale.sold_at), for the POS imports."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session

from .backend import insert_rows
from .db import driver


def insert_timed_sales(session: Session, rows: Sequence[tuple]) -> None:
    """rows: (customer_id, sold_on: date, sold_at: str | None, amount_cents, item_count, note, import_key)."""
    if rows:
        from .corrections import next_sale_ids

        ids = next_sale_ids(session, len(rows))
        insert_rows(session, "sale", ("id", "customer_id", "sold_on", "sold_at", "amount_cents", "item_count", "on_sale",
                                      "note", "import_key"),
                    [(ids[i], c, d.isoformat(), at, a, n, False, note, key)
                     for i, (c, d, at, a, n, note, key) in enumerate(rows)])


def set_consent(session: Session, consents: dict[int, bool]) -> None:
    """Marketing consent of customers this import created, as the export says."""
    if consents:
        driver(session).executemany("UPDATE customer SET marketing_consent = ? WHERE id = ?",
                                    [(bool(yes), cid) for cid, yes in consents.items()])
