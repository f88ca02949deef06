"""CSV import of sales and customers: every row checked first, then all written in one
transaction or nothing; re-importing the same file adds nothing (each sale keeps an import key)."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select
from sqlmodel import Session

from .csvfiles import Table, read_table
from .domain.dates import DateError, detect_date_order, parse_date_in_order, parse_iso_date
from .domain.money import MoneyError, line_total_cents, parse_money, parse_unit_price
from .domain.phones import phone_keys, validate_phone
from .domain.text import clean_block, clean_line, fold
from .services import CHANNELS, Shop, validate_email
from .store.db import writing
from .store.figures import refresh_figures
from .store.models import Customer, CustomerPhone, Referral, Sale, SaleLine
from .store.writes import CustomerFields, apply_customer_fields, create_customer

SALE_FIELDS = ["date", "amount", "quantity", "unit_price", "customer", "customer_id", "phone", "email",
               "items", "on_sale", "invoice", "note"]
CUSTOMER_FIELDS = ["name", "customer_id", "phone", "email", "notes", "likes", "dislikes", "birthday",
                   "preferred_channel", "marketing_consent", "household", "referred_by"]
TRUE = {"1", "y", "yes", "true", "oui", "x", "on_sale", "sale", "promo"}
FALSE = {"", "0", "n", "no", "false", "non"}


class ImportRefused(Exception):
    """The file has bad rows; nothing was written. `errors` has one line per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors


@dataclass
class ImportReport:
    rows: int = 0
    sales_added: int = 0
    sales_already_there: int = 0
    customers_added: int = 0
    customers_updated: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        parts = [f"{self.rows} rows read"]
        if self.sales_added or self.sales_already_there:
            parts.append(f"{verb} {self.sales_added} sales")
            if self.sales_already_there:
                parts.append(f"{self.sales_already_there} already imported")
        parts.append(f"{verb} {self.customers_added} customers")
        if self.customers_updated:
            parts.append(f"{'would update' if self.dry_run else 'updated'} {self.customers_updated} customers")
        return ", ".join(parts) + (" (dry run: nothing written)" if self.dry_run else "")


def _bool(text: str, line: int, name: str, errors: list[str]) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    errors.append(f"line {line}: {name} {text!r} should be yes or no")
    return False


def _split_phones(text: str) -> list[str]:
    for sep in ("|", ";", "/"):
        text = text.replace(sep, ",")
    return [p.strip() for p in text.split(",") if p.strip()]


@dataclass
class _Who:
    """How a row names its customer; `key` says which rows are the same customer."""

    external_id: str = ""
    name: str = ""
    phone: str = ""  # international digits, the matching key
    email: str = ""
    phone_raw: str = ""  # as typed, to store on a new customer

    @property
    def key(self) -> tuple[str, str] | None:
        if self.external_id:
            return ("ext", self.external_id)
        if self.phone:
            return ("phone", self.phone)
        if self.email:
            return ("email", fold(self.email))
        if self.name:
            return ("name", fold(self.name))
        return None


@dataclass
class _SaleRow:
    line: int
    day: date
    amount: int
    who: _Who
    quantity: int
    unit_price: int | None
    description: str
    on_sale: bool
    invoice: str
    note: str


def _parse_sale_row(line: int, row: dict[str, str], region: str, errors: list[str], date_order: str) -> _SaleRow | None:
    before = len(errors)
    day = date.min
    try:
        day = parse_date_in_order(row.get("date", ""), date_order)
    except DateError as exc:
        errors.append(f"line {line}: {exc}")
    quantity, unit_price, amount = 1, None, 0
    items_text = clean_line(row.get("items", ""), limit=500)
    if row.get("quantity", ""):
        try:
            quantity = int(row["quantity"].strip())
            if quantity == 0 or abs(quantity) > 100_000:
                raise ValueError
        except ValueError:
            errors.append(f"line {line}: quantity {row['quantity']!r} should be a whole number from 1 to 100000 "
                          "(negative for a return)")
    elif items_text.isdigit():
        quantity = int(items_text)
        items_text = ""
    unit_price_fine = None
    if row.get("unit_price", ""):
        try:
            unit_price_fine = parse_unit_price(row["unit_price"])
            unit_price = line_total_cents(1, unit_price_fine)
        except MoneyError as exc:
            errors.append(f"line {line}: unit price: {exc}")
    if row.get("amount", ""):
        try:
            amount = parse_money(row["amount"])
        except MoneyError as exc:
            errors.append(f"line {line}: {exc}")
    elif unit_price_fine is not None:
        amount = line_total_cents(quantity, unit_price_fine)
    elif len(errors) == before:
        errors.append(f"line {line}: no amount (give amount, or quantity and unit_price)")
    phone = clean_line(row.get("phone", ""), limit=40)
    if phone and (problem := validate_phone(phone)):
        errors.append(f"line {line}: {problem}")
    email = clean_line(row.get("email", ""), limit=200)
    if email and "@" not in email:
        errors.append(f"line {line}: email {email!r} does not look like name@example.com")
    name = clean_line(row.get("customer", ""), limit=120)
    on_sale = _bool(row.get("on_sale", ""), line, "on_sale", errors)
    if len(errors) != before:
        return None
    who = _Who(
        external_id=clean_line(row.get("customer_id", ""), limit=80),
        name=name,
        phone=phone_keys(phone, region).e164 if phone else "",
        email=email,
        phone_raw=phone,
    )
    return _SaleRow(line, day, amount, who, quantity, unit_price, items_text, on_sale,
                    clean_line(row.get("invoice", ""), limit=80), clean_line(row.get("note", ""), limit=500))


@dataclass
class _PlannedSale:
    key: str
    rows: list[_SaleRow]

    @property
    def first(self) -> _SaleRow:
        return self.rows[0]


def _plan_sales(rows: list[_SaleRow], errors: list[str]) -> list[_PlannedSale]:
    """Group invoice lines into sales and give every sale its import key."""
    planned: list[_PlannedSale] = []
    by_invoice: dict[str, _PlannedSale] = {}
    occurrences: Counter[str] = Counter()
    for row in rows:
        if row.invoice:
            group = by_invoice.get(row.invoice)
            if group is None:
                group = by_invoice[row.invoice] = _PlannedSale("inv:" + row.invoice, [row])
                planned.append(group)
                continue
            head = group.first
            if row.day != head.day:
                errors.append(f"line {row.line}: invoice {row.invoice} has date {row.day} but line {head.line} says {head.day}")
            elif row.who.key != head.who.key and row.who.key is not None:
                errors.append(f"line {row.line}: invoice {row.invoice} names another customer than line {head.line}")
            else:
                group.rows.append(row)
            continue
        fingerprint = "|".join(
            [row.day.isoformat(), str(row.amount), repr(row.who.key), str(row.quantity), str(row.unit_price),
             row.description, str(row.on_sale), row.note]
        )
        digest = hashlib.sha1(fingerprint.encode()).hexdigest()
        occurrences[digest] += 1
        planned.append(_PlannedSale(f"row:{digest}:{occurrences[digest]}", [row]))
    return planned


class _Customers:
    """Finds or creates the customer a row names, the same one for the same key."""

    def __init__(self, session: Session, region: str, dry_run: bool, report: ImportReport) -> None:
        self.session, self.region, self.dry_run, self.report = session, region, dry_run, report
        self.cache: dict[tuple[str, str], int | None] = {}
        self.fake_id = 0

    def find(self, who: _Who) -> int | None:
        s = self.session
        if who.external_id:
            found = s.execute(select(Customer.id).where(Customer.external_id == who.external_id)).scalar()
            if found is not None:
                return found
        if who.phone:
            found = s.execute(select(CustomerPhone.customer_id).where(CustomerPhone.e164 == who.phone).order_by(CustomerPhone.customer_id)).scalar()
            if found is not None:
                return found
        if who.email:
            found = s.execute(select(Customer.id).where(Customer.email_fold == fold(who.email)).order_by(Customer.id)).scalar()
            if found is not None:
                return found
        if who.name and not who.external_id:
            # `customer` may hold a name or an external id (PRODUCT.md): try the id first.
            found = s.execute(select(Customer.id).where(Customer.external_id == who.name)).scalar()
            if found is not None:
                return found
            return s.execute(select(Customer.id).where(Customer.name_fold == fold(who.name)).order_by(Customer.id)).scalar()
        return None

    def resolve(self, who: _Who, day: date) -> int | None:
        key = who.key
        if key is None:
            return None  # a walk-in sale
        if key in self.cache:
            return self.cache[key]
        found = self.find(who)
        if found is None:
            self.report.customers_added += 1
            if self.dry_run:
                self.fake_id -= 1
                found = self.fake_id
            else:
                name = who.name or (f"Customer {who.external_id}" if who.external_id else who.email or who.phone_raw or "Customer")
                phones = [who.phone_raw] if who.phone else []
                found = create_customer(
                    self.session,
                    CustomerFields(name=name, phones=phones, email=who.email, external_id=who.external_id or None),
                    self.region,
                    day,
                )
        self.cache[key] = found
        return found


def import_sales(
    shop: Shop, path: Path, mapping: dict[str, str], dry_run: bool = False, date_format: str | None = None
) -> ImportReport:
    table: Table = read_table(path, mapping, SALE_FIELDS)
    fields_present = set(table.rows[0][1]) if table.rows else set()
    if table.rows and "date" not in fields_present:
        raise ImportRefused([f"{path}: no date column (map one with --map date=COLUMN)"])
    if table.rows and "amount" not in fields_present and "unit_price" not in fields_present:
        raise ImportRefused([f"{path}: no amount column (map one with --map amount=COLUMN, or give unit_price)"])
    region = shop.settings.phone_region
    errors: list[str] = []
    try:
        order = date_format or detect_date_order([row.get("date", "") for _, row in table.rows])
    except DateError as exc:
        raise ImportRefused([f"{path}: {exc}"]) from None
    parsed = [_parse_sale_row(line, row, region, errors, order) for line, row in table.rows]
    rows = [row for row in parsed if row is not None]
    planned = _plan_sales(rows, errors)
    if errors:
        raise ImportRefused(errors)
    report = ImportReport(rows=len(table.rows), dry_run=dry_run)
    with writing(shop.engine) as session:
        existing: set[str] = set()
        keys = [p.key for p in planned]
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            existing.update(session.execute(select(Sale.import_key).where(Sale.import_key.in_(chunk))).scalars())
        todo = [p for p in planned if p.key not in existing]
        report.sales_already_there = len(planned) - len(todo)
        report.sales_added = len(todo)
        customers = _Customers(session, region, dry_run, report)
        # first-seen day of each customer, so a new customer's "created on" is their first sale
        todo.sort(key=lambda p: (p.first.day, p.first.line))
        sale_rows, line_rows, touched = [], [], set()
        for sale in todo:
            head = sale.first
            customer_id = customers.resolve(head.who, head.day)
            touched.add(customer_id)
            amount = sum(r.amount for r in sale.rows)
            described = [r for r in sale.rows if r.description or r.unit_price is not None or len(sale.rows) > 1]
            sale_rows.append({
                "customer_id": customer_id, "sold_on": head.day, "amount_cents": amount,
                "item_count": sum(r.quantity for r in sale.rows), "on_sale": all(r.on_sale for r in sale.rows),
                "note": head.note, "import_key": sale.key,
            })
            line_rows.append([(r.description, r.quantity, r.unit_price) for r in described])
        if dry_run:
            session.rollback()
            return report
        if sale_rows:
            ids = session.execute(insert(Sale).returning(Sale.id, sort_by_parameter_order=True), sale_rows).scalars().all()
            lines = [
                {"sale_id": sale_id, "description": d, "quantity": q, "unit_price_cents": u}
                for sale_id, described in zip(ids, line_rows)
                for d, q, u in described
            ]
            if lines:
                session.execute(insert(SaleLine), lines)
        refresh_figures(session, touched)
    return report


def import_customers(shop: Shop, path: Path, mapping: dict[str, str], today: date, dry_run: bool = False) -> ImportReport:
    table = read_table(path, mapping, CUSTOMER_FIELDS)
    region = shop.settings.phone_region
    errors: list[str] = []
    parsed: list[tuple[int, CustomerFields, str]] = []
    for line, row in table.rows:
        before = len(errors)
        name = clean_line(row.get("name", ""), limit=121)
        external = clean_line(row.get("customer_id", ""), limit=80)
        if not name and not external:
            errors.append(f"line {line}: no name")
        if len(name) > 120:
            errors.append(f"line {line}: name is longer than 120 characters")
        phones = _split_phones(row.get("phone", ""))
        for phone in phones:
            if problem := validate_phone(phone):
                errors.append(f"line {line}: {problem}")
        email = ""
        try:
            email = validate_email(row.get("email", ""))
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
        birthday = None
        if row.get("birthday", ""):
            try:
                birthday = parse_iso_date(row["birthday"])
            except DateError as exc:
                errors.append(f"line {line}: birthday: {exc}")
        channel = row.get("preferred_channel", "").strip().lower()
        if channel not in CHANNELS:
            errors.append(f"line {line}: preferred_channel {channel!r} should be one of {', '.join(c for c in CHANNELS if c)}")
        consent = _bool(row.get("marketing_consent", ""), line, "marketing_consent", errors) if "marketing_consent" in row else None
        if len(errors) != before:
            continue
        fields = CustomerFields(
            name=name or f"Customer {external}",
            phones=phones or None,
            email=email or None,
            notes=clean_block(row["notes"]) if row.get("notes") else None,
            likes=clean_line(row["likes"], limit=500) if row.get("likes") else None,
            dislikes=clean_line(row["dislikes"], limit=500) if row.get("dislikes") else None,
            birthday=birthday,
            preferred_channel=channel or None,
            marketing_consent=consent,
            household=clean_line(row["household"], limit=80) if row.get("household") else None,
            external_id=external or None,
        )
        parsed.append((line, fields, clean_line(row.get("referred_by", ""), limit=120)))
    if errors:
        raise ImportRefused(errors)
    report = ImportReport(rows=len(table.rows), dry_run=dry_run)
    with writing(shop.engine) as session:
        finder = _Customers(session, region, True, ImportReport())
        ids: list[int | None] = []
        for line, fields, _ in parsed:
            who = _Who(external_id=fields.external_id or "", name=fields.name or "",
                       phone=phone_keys(fields.phones[0], region).e164 if fields.phones else "",
                       email=fields.email or "")
            found = finder.find(who)
            if found is None:
                report.customers_added += 1
                if not dry_run:
                    found = create_customer(session, fields, region, today)
            else:
                customer = session.get(Customer, found)
                if _changes(session, customer, fields, region):
                    report.customers_updated += 1
                    if not dry_run:
                        if fields.phones is not None:
                            old = list(session.execute(select(CustomerPhone.raw).where(CustomerPhone.customer_id == found)).scalars())
                            fields.phones = old + [p for p in fields.phones if p not in old]
                        apply_customer_fields(session, customer, fields, region)
            ids.append(found)
        for (line, _fields, referrer), customer_id in zip(parsed, ids):
            if not referrer or customer_id is None or dry_run:
                continue
            referrer_id = finder.find(_Who(external_id=referrer)) or finder.find(_Who(name=referrer))
            if referrer_id is None or referrer_id == customer_id:
                report.notes.append(f"line {line}: referrer {referrer!r} not found; referral skipped")
                continue
            if session.execute(select(Referral.id).where(Referral.referee_id == customer_id)).first() is None:
                session.add(Referral(referrer_id=referrer_id, referee_id=customer_id, referred_on=today))
                session.flush()
                refresh_figures(session, [referrer_id])
        if dry_run:
            session.rollback()
    return report


def _changes(session: Session, customer: Customer, fields: CustomerFields, region: str) -> bool:
    """Would applying `fields` change anything? (So a second import reports 0 updated.)"""
    for attr in ("name", "email", "notes", "likes", "dislikes", "birthday", "preferred_channel", "marketing_consent", "external_id"):
        value, current = getattr(fields, attr), getattr(customer, attr)
        # compare as stored; an unset text column (None) equals "" (but False must stay False)
        if value is not None and value != current and not (value == "" and current is None):
            return True
    if fields.phones:
        have = set(session.execute(select(CustomerPhone.e164).where(CustomerPhone.customer_id == customer.id)).scalars())
        if any(phone_keys(p, region).e164 not in have for p in fields.phones):
            return True
    return False
