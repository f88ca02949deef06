"""CSV import of sales and customers: every row checked first, then all written in one
transaction or nothing; re-importing the same file adds nothing (each sale keeps an import key)."""
from __future__ import annotations

import gc
import hashlib
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from .csvfiles import Table, read_table
from .domain.dates import DateError, detect_date_order, parse_date_in_order, parse_iso_date
from .domain.money import MoneyError, line_total_cents, parse_money, parse_unit_price
from .domain.phones import phone_keys, validate_phone
from .domain.timestamps import detect_stamp_order, shop_zone, stamp_day
from .domain.text import clean_block, clean_line, fold
from .services import CHANNELS, Shop, validate_email
from .store import bulk
from .store.db import writing
from .store.figures import refresh_figures
from .store.models import Customer, CustomerPhone, Referral
from .store.writes import CustomerFields, apply_customer_fields, create_customer

SALE_FIELDS = ["date", "amount", "quantity", "unit_price", "customer", "customer_id", "phone", "email",
               "items", "on_sale", "invoice", "note"]
CUSTOMER_FIELDS = ["name", "customer_id", "phone", "email", "notes", "likes", "dislikes", "birthday",
                   "preferred_channel", "marketing_consent", "household", "referred_by"]
_fold = lru_cache(maxsize=1 << 17)(fold)  # names and emails repeat on every row of a customer
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
            return ("email", _fold(self.email))
        if self.name:
            return ("name", _fold(self.name))
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


class _Memo:
    """Per-import memory of values already read: a five-year till export repeats the same dates,
    phone numbers and names on thousands of rows, and phonenumbers' parse is slow (benchmarks/)."""

    def __init__(self, region: str, date_order: str, zone=None) -> None:
        self.region, self.date_order = region, date_order
        self.zone = zone  # the shop's time zone: a date with a time and zone counts on its day there
        self.dates: dict[str, date] = {}
        self.amounts: dict[str, int] = {}
        self.phones: dict[str, tuple[str | None, str]] = {}
        self.phone_keys: dict[tuple[str, str], object] = {}

    def date(self, text: str) -> date:
        found = self.dates.get(text)
        if found is None:
            try:
                found = parse_date_in_order(text, self.date_order)  # errors are not kept
            except DateError:
                found = stamp_day(text, self.zone, self.date_order) if self.zone else None
                if found is None:
                    raise
            self.dates[text] = found
        return found

    def money(self, text: str) -> int:
        found = self.amounts.get(text)
        if found is None:
            found = self.amounts[text] = parse_money(text)  # errors are not kept
        return found

    def phone(self, raw: str) -> tuple[str | None, str]:
        """(problem or None, international digits)."""
        found = self.phones.get(raw)
        if found is None:
            problem = validate_phone(raw)
            found = self.phones[raw] = (problem, "" if problem else self.keys(raw, self.region).e164)
        return found

    def keys(self, raw: str, region: str):
        found = self.phone_keys.get((raw, region))
        if found is None:
            found = self.phone_keys[(raw, region)] = phone_keys(raw, region)
        return found



def _parse_sale_row(line: int, row: dict[str, str], region: str, errors: list[str], date_order: str,
                    memo: _Memo | None = None) -> _SaleRow | None:
    memo = memo or _Memo(region, date_order)
    before = len(errors)
    day = date.min
    try:
        day = memo.date(row.get("date", ""))
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
    elif items_text.isdecimal():  # not isdigit(): "¹" is a digit that int() refuses
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
            amount = memo.money(row["amount"])
        except MoneyError as exc:
            errors.append(f"line {line}: {exc}")
    elif unit_price_fine is not None:
        amount = line_total_cents(quantity, unit_price_fine)
    elif len(errors) == before:
        errors.append(f"line {line}: no amount (give amount, or quantity and unit_price)")
    phone = clean_line(row.get("phone", ""), limit=40)
    phone_problem, phone_e164 = memo.phone(phone) if phone else (None, "")
    if phone_problem:
        errors.append(f"line {line}: {phone_problem}")
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
        phone=phone_e164,
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


class _CustomerFinder:
    """Finds the existing customer a row names: external id, then phone, then email, then name."""

    def __init__(self, session: Session) -> None:
        self.session = session

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


def import_sales(
    shop: Shop, path: Path, mapping: dict[str, str], dry_run: bool = False, date_format: str | None = None
) -> ImportReport:
    # A big file holds millions of small objects that all live until the end: the cyclic garbage
    # collector would walk them again and again for nothing (a sixth of a 1,000,000-row import).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_sales(shop, path, mapping, dry_run, date_format)
    finally:
        if was_enabled:
            gc.enable()


def _import_sales(
    shop: Shop, path: Path, mapping: dict[str, str], dry_run: bool, date_format: str | None
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
        order = date_format or detect_stamp_order([row.get("date", "") for _, row in table.rows])
    except DateError as exc:
        raise ImportRefused([f"{path}: {exc}"]) from None
    memo = _Memo(region, order, shop_zone(shop.settings.time_zone))
    parsed = [_parse_sale_row(line, row, region, errors, order, memo) for line, row in table.rows]
    rows = [row for row in parsed if row is not None]
    planned = _plan_sales(rows, errors)
    if errors:
        raise ImportRefused(errors)
    report = ImportReport(rows=len(table.rows), dry_run=dry_run)
    with writing(shop.engine) as session:
        existing = bulk.existing_import_keys(session, [p.key for p in planned])
        todo = [p for p in planned if p.key not in existing]
        report.sales_already_there = len(planned) - len(todo)
        report.sales_added = len(todo)
        customers = _SaleCustomers(session, region, dry_run, report, [p.first.who for p in todo], memo)
        # first-seen day of each customer, so a new customer's "created on" is their first sale
        todo.sort(key=lambda p: (p.first.day, p.first.line))
        sale_rows, line_rows, touched = [], [], set()
        for sale in todo:
            head = sale.first
            customer_id = customers.resolve(head.who, head.day)
            touched.add(customer_id)
            amount = sum(r.amount for r in sale.rows)
            described = [r for r in sale.rows if r.description or r.unit_price is not None or len(sale.rows) > 1]
            sale_rows.append((customer_id, head.day, amount, sum(r.quantity for r in sale.rows),
                              all(r.on_sale for r in sale.rows), head.note, sale.key))
            if described:
                line_rows.append((sale.key, [(r.description, r.quantity, r.unit_price) for r in described]))
        if dry_run:
            session.rollback()
            return report
        customers.new.flush()
        bulk.insert_sales(session, sale_rows)
        if line_rows:
            ids = bulk.sale_ids_by_key(session, [key for key, _ in line_rows])
            bulk.insert_sale_lines(session, [(ids[key], d, q, u) for key, lines in line_rows for d, q, u in lines])
        refresh_figures(session, touched)
    return report


class _SaleCustomers:
    """`_CustomerFinder` for a sales import of any size: which customer each row names, found with a few
    set-based queries for the whole file instead of several queries per row, and new customers
    written together with plain inserts. The same rules as `_CustomerFinder.find`: external id, then phone, then
    email, then the name (tried as an external id first); the lowest id wins; a customer created
    earlier in this import is found by later rows exactly as if it had been there before."""

    def __init__(self, session: Session, region: str, dry_run: bool, report: ImportReport, whos: list[_Who],
                 memo: _Memo) -> None:
        self.session, self.region, self.dry_run, self.report, self.memo = session, region, dry_run, report, memo
        self.cache: dict[tuple[str, str], int | None] = {}
        self.fake_id = 0
        self.new = bulk.NewCustomers(session, region, memo.keys)
        externals = {w.external_id for w in whos if w.external_id} | {w.name for w in whos if w.name and not w.external_id}
        self.by_external = bulk.ids_where_in(
            session, "SELECT external_id, MIN(id) FROM customer WHERE external_id IN ({marks}) GROUP BY external_id", externals)
        self.by_phone = bulk.ids_where_in(
            session, "SELECT e164, MIN(customer_id) FROM customer_phone WHERE e164 IN ({marks}) GROUP BY e164",
            {w.phone for w in whos if w.phone})
        self.by_email = bulk.ids_where_in(
            session, "SELECT email_fold, MIN(id) FROM customer WHERE email_fold IN ({marks}) GROUP BY email_fold",
            {_fold(w.email) for w in whos if w.email})
        self.by_name = bulk.ids_where_in(
            session, "SELECT name_fold, MIN(id) FROM customer WHERE name_fold IN ({marks}) GROUP BY name_fold",
            {_fold(w.name) for w in whos if w.name and not w.external_id})

    def find(self, who: _Who) -> int | None:
        if who.external_id and (found := self.by_external.get(who.external_id)) is not None:
            return found
        if who.phone and (found := self.by_phone.get(who.phone)) is not None:
            return found
        if who.email and (found := self.by_email.get(_fold(who.email))) is not None:
            return found
        if who.name and not who.external_id:
            found = self.by_external.get(who.name)
            return found if found is not None else self.by_name.get(_fold(who.name))
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
                found, e164s = self.new.add(name, phones, who.email, who.external_id or None, day)
                # later rows find it as the queries would have (new ids are the highest: setdefault)
                if who.external_id:
                    self.by_external.setdefault(who.external_id, found)
                for e164 in e164s:
                    self.by_phone.setdefault(e164, found)
                if who.email and _fold(who.email):
                    self.by_email.setdefault(_fold(who.email), found)
                self.by_name.setdefault(_fold(name), found)
        self.cache[key] = found
        return found


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
        finder = _CustomerFinder(session)
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
