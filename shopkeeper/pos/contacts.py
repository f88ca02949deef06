"""Customers exports of the tills and online shops: one `PosContact` per row.

Shopify (Customers > Export, https://help.shopify.com/en/manual/customers/import-export-customers):
First Name, Last Name, Email, Accepts Email Marketing (older exports: Accepts Marketing), Default
Address … Phone, Phone, Accepts SMS Marketing, Total Spent, Total Orders, Note, Tax Exempt, Tags,
and in recent exports Customer ID.
Square (Customers > Export customers, https://squareup.com/help/us/en/article/5196): Reference ID,
First Name, Surname, Email Address, Phone Number, Nickname, Company Name, …, Birthday, Memo, Square
Customer ID, Creation Source, First Visit, Last Visit, Transaction Count, Lifetime Spend, Email
Subscription Status, …
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain.dates import DateError, parse_iso_date
from .records import Cells

SHOPIFY_LABEL = "Shopify customers"
SHOPIFY_REQUIRED = ("first_name", "last_name", "email", "total_spent")
SQUARE_LABEL = "Square customers"
SQUARE_REQUIRED = ("square_customer_id", "first_name", "surname", "email_address")
COLUMNS = SHOPIFY_REQUIRED + SQUARE_REQUIRED + (
    "customer_id", "accepts_email_marketing", "accepts_marketing", "accepts_sms_marketing", "phone",
    "default_address_phone", "note", "tags", "phone_number", "birthday", "memo", "email_subscription_status",
    "reference_id", "nickname")
YES = {"yes", "true", "subscribed", "opted_in", "1"}
NO = {"no", "false", "unsubscribed", "not_subscribed", "opted_out", "0"}


@dataclass
class PosContact:
    line: int
    system: str  # "Shopify", "Square": says where a note came from
    external_id: str = ""  # the system's customer id, when sales carry it too (Square)
    name: str = ""
    email: str = ""
    phones: list[str] = field(default_factory=list)
    consent: bool | None = None
    notes: str = ""  # the export's note and tags, as one block
    birthday: date | None = None


def _consent(cells: Cells, row: dict[str, str], *names: str) -> bool | None:
    for name in names:
        value = cells.text(row, name).lower().replace(" ", "_")
        if value in YES:
            return True
        if value in NO:
            return False
    return None


def _phones(cells: Cells, row: dict[str, str], *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        if (value := cells.text(row, name, 40)) and value not in found:
            found.append(value)
    return found


def read_shopify(rows: list[tuple[int, dict[str, str]]], cells: Cells) -> list[PosContact]:
    out = []
    for line, row in rows:
        name = " ".join(p for p in (cells.text(row, "first_name", 60), cells.text(row, "last_name", 60)) if p)
        notes = cells.text(row, "note", 2000)
        if tags := cells.text(row, "tags", 500):
            notes = f"{notes}\nTags: {tags}".strip()
        out.append(PosContact(line, "Shopify", "", name, cells.text(row, "email"),
                              _phones(cells, row, "phone", "default_address_phone"),
                              _consent(cells, row, "accepts_email_marketing", "accepts_marketing"), notes))
    return out


def read_square(rows: list[tuple[int, dict[str, str]]], cells: Cells) -> list[PosContact]:
    out = []
    for line, row in rows:
        name = " ".join(p for p in (cells.text(row, "first_name", 60), cells.text(row, "surname", 60)) if p)
        birthday = None
        if raw := cells.text(row, "birthday", 20):
            try:
                birthday = parse_iso_date(raw)
            except DateError:
                cells.errors.append(f"line {line}: birthday {raw!r} is not like 1980-03-14 (a birthday without its year "
                                    "cannot be kept; clear it in the file)")
        out.append(PosContact(line, "Square", cells.text(row, "square_customer_id", 80),
                              name or cells.text(row, "nickname", 120), cells.text(row, "email_address"),
                              _phones(cells, row, "phone_number"),
                              _consent(cells, row, "email_subscription_status"), cells.text(row, "memo", 2000),
                              birthday))
    return out
