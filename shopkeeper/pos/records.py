"""What every till or online-shop export is read into: one `PosSale` per order or transaction.

Each format's reader (shopify.py, square.py…) turns its rows into these; `importer.py` writes them
with the same customer matching and all-or-nothing rules as the generic CSV import."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import tzinfo

from ..domain.dates import DateError
from ..domain.money import MoneyError, parse_money
from ..domain.text import clean_line
from ..domain.timestamps import Stamp, detect_stamp_order, read_stamp


@dataclass
class Named:
    """Who an export names (any may be blank): the system's own customer id, the name, the email."""

    external_id: str = ""
    name: str = ""
    email: str = ""


@dataclass
class PosCustomer(Named):
    """The customer as the export names them; `external_id` is the system's own customer id."""

    phone: str = ""
    consent: bool | None = None  # marketing consent, when the export says


@dataclass
class PosSale:
    key: str  # the import key: the system's own order or transaction id ("shopify:#1001")
    line: int  # the first line of the file it was read from
    stamp: Stamp
    amount: int  # cents the customer paid (negative: a refund)
    items: list[tuple[str, int, int | None]] = field(default_factory=list)  # (name, quantity, unit price cents)
    customer: PosCustomer | None = None
    note: str = ""
    running_total: bool = False  # a refund the export gives as the order's total refunded so far

    @property
    def item_count(self) -> int:
        return sum(q for _, q, _ in self.items) or 1


@dataclass
class PosRead:
    """What a reader made of a file: sales, orders left out (by reason), problems by line."""

    sales: list[PosSale] = field(default_factory=list)
    left_out: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


class Cells:
    """Reads a format's cells with the line number in every message."""

    def __init__(self, errors: list[str], zone: tzinfo, order: str = "iso") -> None:
        self.errors, self.zone, self.order = errors, zone, order
        self.stamps: dict[tuple[str, str, str], Stamp] = {}

    @staticmethod
    def text(row: dict[str, str], name: str, limit: int = 200) -> str:
        raw = row.get(name, "")
        if not raw or (raw.isalnum() and len(raw) <= limit):  # most cells: nothing to clean
            return raw
        # spreadsheets' "keep as text" apostrophe ('+33610826417) is not part of the value
        return clean_line(raw.lstrip("'"), limit=limit)

    def money(self, line: int, row: dict[str, str], name: str, default: int | None = 0) -> int:
        raw = self.text(row, name, limit=40)
        if not raw:
            if default is None:
                self.errors.append(f"line {line}: {name.replace('_', ' ')} is empty")
                return 0
            return default
        negative = raw.startswith("(") and raw.endswith(")")  # accountants' ($5.00)
        try:
            cents = parse_money(raw[1:-1] if negative else raw)
        except MoneyError as exc:
            self.errors.append(f"line {line}: {name.replace('_', ' ')}: {exc}")
            return 0
        return -cents if negative else cents

    def quantity(self, line: int, raw: str) -> int | None:
        """A whole quantity ("2", "2.0", "2,0"); None for a weighed one ("1,5")."""
        raw = raw.strip().lstrip("'") or "1"
        match = re.fullmatch(r"([+\-]?\d{1,6})(?:[.,](\d+))?", raw)
        if not match:
            self.errors.append(f"line {line}: quantity {raw!r} is not a number")
            return 1
        if match.group(2) and int(match.group(2)):
            return None
        return int(match.group(1))

    def stamp(self, line: int, text: str, time_text: str = "", zone_text: str = "") -> Stamp | None:
        key = (text, time_text, zone_text)
        found = self.stamps.get(key)  # a till's rows repeat the same moments (one per line of a sale)
        if found is None:
            try:
                found = self.stamps[key] = read_stamp(text, self.zone, time_text=time_text, zone_text=zone_text,
                                                      order=self.order)
            except DateError as exc:
                self.errors.append(f"line {line}: {exc}")
        return found


def column_order(rows: list[tuple[int, dict[str, str]]], name: str, errors: list[str]) -> str:
    """Which way a column writes its dates (day/month or month/day), decided on the whole column."""
    try:
        return detect_stamp_order([row.get(name, "") for _, row in rows])
    except DateError as exc:
        errors.append(f"column {name.replace('_', ' ')}: {exc}")
        return "iso"
