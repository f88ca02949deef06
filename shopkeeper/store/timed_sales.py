"""Bulk insert of imported sales that know their instant (sale.sold_at), for the POS imports."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session

from .db import driver


def insert_timed_sales(session: Session, rows: Sequence[tuple]) -> None:
    """rows: (customer_id, sold_on: date, sold_at: str | None, amount_cents, item_count, note, import_key)."""
    if rows:
        driver(session).executemany(
            "INSERT INTO sale (customer_id, sold_on, sold_at, amount_cents, item_count, on_sale, note, import_key)"
            " VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
            [(c, d.isoformat(), at, a, n, note, key) for c, d, at, a, n, note, key in rows],
        )


def set_consent(session: Session, consents: dict[int, bool]) -> None:
    """Marketing consent of customers this import created, as the export says."""
    if consents:
        driver(session).executemany("UPDATE customer SET marketing_consent = ? WHERE id = ?",
                                    [(1 if yes else 0, cid) for cid, yes in consents.items()])
