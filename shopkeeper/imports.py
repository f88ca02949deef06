"""CSV import of sales, customers and contacts: every row checked first, then all written in one
transaction or nothing; re-importing the same file adds nothing (each sale keeps an import key).
A dry run runs the very same code and rolls the transaction back, so its counts are the real ones."""
from __future__ import annotations

import gc
import hashlib
import re
import shlex
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from .clock import now_date
from .csvfiles import Table, read_table
from .domain.dates import DateError, detect_date_order, parse_date_in_order, parse_iso_date
from .domain.money import MAX_CENTS, MoneyError, line_total_cents, parse_money, parse_unit_price
from .domain.phones import phone_keys, validate_phone
from .domain.timestamps import detect_stamp_order, shop_zone, stamp_day
from .domain.tags import parse_tags
from .domain.text import clean_block, clean_line, fold
from .services import CHANNELS, OUTCOMES, Shop, validate_email
from .store import bulk
from .store.backend import page_cache_for
from .store.figures import refresh_figures
from .store.models import Contact, Customer, CustomerPhone, Referral
from .store.writes import CustomerFields, add_contact, apply_customer_fields, create_customer

SALE_FIELDS = ["date", "amount", "quantity", "unit_price", "customer", "customer_id", "phone", "email",
               "items", "on_sale", "invoice", "note", "cost"]
CUSTOMER_FIELDS = ["name", "customer_id", "phone", "email", "notes", "likes", "dislikes", "birthday",
                   "preferred_channel", "marketing_consent", "household", "referred_by", "tags"]
# `id` is the customer's number in shopkeeper (the `id` column of its exports and call lists);
# `customer_id` is the shop's own id for the customer, as in the other imports.
CONTACT_FIELDS = ["id", "customer_id", "phone", "email", "date", "outcome", "channel", "note"]
_fold = lru_cache(maxsize=1 << 17)(fold)  # names and emails repeat on every row of a customer
TRUE = {"1", "y", "yes", "true", "oui", "x", "on_sale", "sale", "promo"}
FALSE = {"", "0", "n", "no", "false", "non"}
MAX_ITEMS = 100_000  # per row and per sale, as a sale typed at the counter
EARLIEST = date(1900, 1, 1)  # older dates in a till's file are typing errors
_WHOLE = re.compile(r"[+-]?[0-9]{1,9}")
# A sales file this long, with this many distinct phone numbers, has them parsed by a second
# process while its rows are read (phone_worker); below, one process is faster (a process start).
PARALLEL_FROM = 50_000
PARALLEL_PHONES = 2_000


class ImportRefused(Exception):
    """The file has bad rows; nothing was written. `errors` has one line per problem, `hints`
    what may help (the columns nobody read, with the --map that would read them)."""

    def __init__(self, errors: list[str], hints: list[str] | None = None) -> None:
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors
        self.hints = hints or []


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


@dataclass(kw_only=True)
class ImportCounts:
    """What every import reports, a CSV one or a till system's (keyword-only: a report's own
    fields keep their places)."""

    rows: int = 0
    sales_added: int = 0
    sales_already_there: int = 0
    customers_added: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport(ImportCounts):
    customers_updated: int = 0
    contacts_added: int = 0
    contacts_already_there: int = 0
    kind: str = "sales"
    ignored: list[str] = field(default_factory=list)  # one line per column no field read

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        parts = [f"{self.rows} rows read"]
        if self.kind == "contacts":
            parts.append(f"{verb} {self.contacts_added} contacts")
            if self.contacts_already_there:
                parts.append(f"{self.contacts_already_there} already imported")
        else:
            if self.sales_added or self.sales_already_there:
                parts.append(f"{verb} {self.sales_added} sales")
                if self.sales_already_there:
                    parts.append(f"{self.sales_already_there} already imported")
            parts.append(f"{verb} {self.customers_added} customers")
            if self.customers_updated:
                parts.append(f"{'would update' if self.dry_run else 'updated'} {self.customers_updated} customers")
        text = ", ".join(parts) + (" (dry run: nothing written)" if self.dry_run else "")
        return "\n".join([text, *self.ignored])


def _shell(argument: str) -> str:
    """The argument as typed in a shell: quoted only when it must be ("Total TTC", not "Téléphone")."""
    return argument if re.fullmatch(r"[\w@%+=:,./-]+", argument) else shlex.quote(argument)


def ignored_columns(table: Table, known_fields: list[str]) -> list[str]:
    """One line per column the import did not read, with the --map that would read it."""
    free = [f for f in known_fields if f not in table.fields]
    lines = []
    for position, column, suggested in table.ignored:
        if not column:
            lines.append(f"column {position} has no name in the header and was not imported")
            continue
        if suggested:
            lines.append(f"column {column!r} not imported: add --map {_shell(f'{suggested}={column}')} to use it")
        else:
            lines.append(f"column {column!r} not imported: add --map {_shell(f'FIELD={column}')} to use it"
                         f" (FIELD one of: {', '.join(free or known_fields)})")
    return lines


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
    cost: int | None = None  # what the line cost the shop, when the file says (profit)


class _Memo:
    """Per-import memory of values already read: a five-year till export repeats the same dates,
    phone numbers and names on thousands of rows, and phonenumbers' parse is slow (benchmarks/)."""

    def __init__(self, region: str, date_order: str, today: date | None = None, zone=None, feed=None) -> None:
        self.region, self.date_order = region, date_order
        self.today = today or now_date()  # only the property tests leave it out; importers pass it
        self.zone = zone  # the shop's time zone: a date with a time and zone counts on its day there
        self.feed = feed  # phone_worker.PhoneFeed: numbers parsed by a second process, or None
        self.dates: dict[str, date] = {}
        self.amounts: dict[str, int] = {}
        self.phones: dict[str, tuple[str | None, str]] = {}
        self.phone_keys: dict[tuple[str, str], object] = {}

    def date(self, text: str) -> date:
        found = self.dates.get(text)
        if found is None:
            try:
                found = read_file_date(text, self.date_order, self.today)  # errors are not kept
            except DateError:
                stamped = stamp_day(text, self.zone, self.date_order) if self.zone else None
                if stamped is None:
                    raise
                found = check_file_day(text, stamped, self.today)
            self.dates[text] = found
        return found

    def money(self, text: str) -> int:
        found = self.amounts.get(text)
        if found is None:
            found = self.amounts[text] = _money(text, parse_money)  # errors are not kept
        return found

    def phone(self, raw: str) -> tuple[str | None, str]:
        """(problem or None, international digits)."""
        found = self.phones.get(raw)
        if found is None and self.feed is not None:
            self.feed.drain(self._learn)  # what the phone worker has parsed since
            found = self.phones.get(raw)
        if found is None:
            problem = validate_phone(raw)
            found = self.phones[raw] = (problem, "" if problem else self.keys(raw, self.region).e164)
        return found

    def _learn(self, raw: str, problem: str | None, keys) -> None:
        """One number from the phone worker: what `phone` and `keys` would have found here."""
        if raw not in self.phones:
            self.phones[raw] = (problem, "" if problem else keys.e164)
            if keys is not None:
                self.phone_keys.setdefault((raw, self.region), keys)

    def phone_cell(self, row: dict, line: int, errors: list[str]) -> tuple[str, str]:
        """The row's phone as typed and its international digits ("" without one); a bad phone
        is a line in `errors`."""
        raw = clean_line(row.get("phone", ""), limit=40)
        problem, e164 = self.phone(raw) if raw else (None, "")
        if problem:
            errors.append(f"line {line}: {problem}")
        return raw, e164

    def keys(self, raw: str, region: str):
        found = self.phone_keys.get((raw, region))
        if found is None:
            found = self.phone_keys[(raw, region)] = phone_keys(raw, region)
        return found


def read_file_date(text: str, order: str, today: date) -> date:
    """A date from a file, which must be a day that has been: not after `today`, not before 1900."""
    return check_file_day(text, parse_date_in_order(text, order, today), today)


def check_file_day(text: str, found: date, today: date) -> date:
    """A day read from a file must be one that has been: not after `today`, not before 1900."""
    if found > today:
        raise DateError(f"date {text.strip()!r} is after today ({today.isoformat()})")
    if found < EARLIEST:
        raise DateError(f"date {text.strip()!r} is before {EARLIEST.year}")
    return found


def _money(text: str, parse) -> int:
    """parse_money / parse_unit_price, with any failure (even a number too long for int()) as MoneyError."""
    try:
        return parse(text)
    except MoneyError:
        raise
    except ValueError:
        raise MoneyError(f"amount {text.strip()[:30]!r}… is not a number like 12.50") from None


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
        text = row["quantity"].strip()
        quantity = int(text) if _WHOLE.fullmatch(text) else 0
        if quantity == 0 or abs(quantity) > MAX_ITEMS:
            quantity = 1
            errors.append(f"line {line}: quantity {row['quantity'][:30]!r} should be a whole number from 1 to "
                          f"{MAX_ITEMS} (negative for a return)")
    elif items_text.isdecimal():  # not isdigit(): "¹" is a digit that int() refuses
        if len(items_text.lstrip("0")) > 6 or int(items_text) > MAX_ITEMS:
            errors.append(f"line {line}: items {items_text[:30]!r} is more than {MAX_ITEMS} items")
        else:
            quantity = int(items_text)
        items_text = ""
    unit_price_fine = None
    if row.get("unit_price", ""):
        try:
            unit_price_fine = _money(row["unit_price"], parse_unit_price)
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
        if abs(amount) > MAX_CENTS:
            errors.append(f"line {line}: quantity × unit price is more than {MAX_CENTS // 100:,} (a typing error?)")
    elif len(errors) == before:
        errors.append(f"line {line}: no amount (give amount, or quantity and unit_price)")
    phone, phone_e164 = memo.phone_cell(row, line, errors)
    email = clean_line(row.get("email", ""), limit=200)
    if email and "@" not in email:
        errors.append(f"line {line}: email {email!r} does not look like name@example.com")
    name = clean_line(row.get("customer", ""), limit=120)
    on_sale = _bool(row.get("on_sale", ""), line, "on_sale", errors)
    cost = None
    if row.get("cost", "").strip():
        try:
            cost = memo.money(row["cost"])
            if cost < 0:
                errors.append(f"line {line}: cost {row['cost'].strip()[:30]!r} is below zero")
        except MoneyError as exc:
            errors.append(f"line {line}: cost: {exc}")
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
                    clean_line(row.get("invoice", ""), limit=80), clean_line(row.get("note", ""), limit=500), cost)


@dataclass
class _PlannedSale:
    key: str
    rows: list[_SaleRow]
    legacy_key: str | None = None  # what earlier versions stored for an invoice: "inv:" + its number

    @property
    def first(self) -> _SaleRow:
        return self.rows[0]


def invoice_key(invoice: str, day: date, who_key: tuple[str, str] | None) -> str:
    """An invoice number identifies a sale only with its day and its customer (two files may both
    have an invoice 1001). The customer is hashed, as in row keys: no personal data in the key."""
    customer = hashlib.sha1(repr(who_key).encode()).hexdigest()[:16]
    return f"invoice:{day.isoformat()}:{customer}:{invoice}"


def _plan_sales(rows: list[_SaleRow], errors: list[str]) -> list[_PlannedSale]:
    """Group invoice lines into sales and give every sale its import key.

    Lines with the same invoice number and day are one sale; the same number on another day is
    another sale (numbering restarts, two tills). Lines of one sale naming two customers are refused."""
    planned: list[_PlannedSale] = []
    by_invoice: dict[tuple[str, date], _PlannedSale] = {}
    occurrences: Counter[str] = Counter()
    for row in rows:
        if row.invoice:
            group = by_invoice.get((row.invoice, row.day))
            if group is None:
                group = by_invoice[(row.invoice, row.day)] = _PlannedSale(
                    invoice_key(row.invoice, row.day, row.who.key), [row], "inv:" + row.invoice)
                planned.append(group)
                continue
            head = group.first
            if row.who.key != head.who.key and row.who.key is not None:
                errors.append(f"line {row.line}: invoice {row.invoice} of {row.day} names another customer than line {head.line}")
                continue
            group.rows.append(row)
            if abs(sum(r.amount for r in group.rows)) > MAX_CENTS:
                errors.append(f"line {row.line}: invoice {row.invoice} adds up to more than {MAX_CENTS // 100:,}")
            if abs(sum(r.quantity for r in group.rows)) > MAX_ITEMS:
                errors.append(f"line {row.line}: invoice {row.invoice} adds up to more than {MAX_ITEMS} items")
            continue
        fingerprint = "|".join(
            [row.day.isoformat(), str(row.amount), repr(row.who.key), str(row.quantity), str(row.unit_price),
             row.description, str(row.on_sale), row.note]
        )
        digest = hashlib.sha1(fingerprint.encode()).hexdigest()
        occurrences[digest] += 1
        planned.append(_PlannedSale(f"row:{digest}:{occurrences[digest]}", [row]))
    return planned


class _Matcher:
    """The one rule for which existing customer a row names: external id, then phone, then email,
    then the name (tried as an external id first: `customer` may hold either, PRODUCT.md); the
    lowest id wins. Subclasses say how one kind of value is looked up."""

    def lookup(self, kind: str, value: str) -> int | None:  # kind: external, phone, email (folded), name (folded)
        raise NotImplementedError

    def find(self, who: _Who) -> int | None:
        if who.external_id and (found := self.lookup("external", who.external_id)) is not None:
            return found
        if who.phone and (found := self.lookup("phone", who.phone)) is not None:
            return found
        if who.email and (found := self.lookup("email", _fold(who.email))) is not None:
            return found
        if who.name and not who.external_id:
            found = self.lookup("external", who.name)
            return found if found is not None else self.lookup("name", _fold(who.name))
        return None


class _CustomerFinder(_Matcher):
    """A query per value: the customers import creates customers as it goes and must see them."""

    COLUMNS = {"external": Customer.external_id, "email": Customer.email_fold, "name": Customer.name_fold}

    def __init__(self, session: Session) -> None:
        self.session = session

    def lookup(self, kind: str, value: str) -> int | None:
        if kind == "phone":
            query = select(CustomerPhone.customer_id).where(CustomerPhone.e164 == value).order_by(CustomerPhone.customer_id)
        else:
            query = select(Customer.id).where(self.COLUMNS[kind] == value).order_by(Customer.id)
        return self.session.execute(query.limit(1)).scalar()


def import_sales(
    shop: Shop, path: Path, mapping: dict[str, str], dry_run: bool = False, date_format: str | None = None,
    today: date | None = None,
) -> ImportReport:
    """`today` (the CLI's day; left out, the clock's): sales dated after it are bad rows."""
    # A big file holds millions of small objects that all live until the end: the cyclic garbage
    # collector would walk them again and again for nothing (a sixth of a 1,000,000-row import).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_sales(shop, path, mapping, dry_run, date_format, today or now_date())
    finally:
        if was_enabled:
            gc.enable()


def _phone_feed(table: Table, region: str):
    """For a big file, a second process parsing its distinct phone numbers (phone_worker), last
    first, while this one parses the rows from the top; None for a small file, where starting a
    process costs more than it saves (measured: benchmarks/, README "Performance")."""
    if len(table.rows) < PARALLEL_FROM or "phone" not in table.fields:
        return None
    raws = dict.fromkeys(row.get("phone", "") for _, row in table.rows)
    texts = [text for text in dict.fromkeys(clean_line(raw, limit=40) for raw in raws) if text]
    if len(texts) < PARALLEL_PHONES:
        return None
    from .phone_worker import PhoneFeed

    try:
        return PhoneFeed(texts[::-1], region)
    except (OSError, RuntimeError):  # no process to be had: the import parses every number itself
        return None


def _date_order(path: Path, table: Table, date_format: str | None, detect) -> str:
    """The file's date order: as given (--date-format), else read from its date column by `detect`;
    a column that cannot tell refuses the file."""
    try:
        return date_format or detect([row.get("date", "") for _, row in table.rows])
    except DateError as exc:
        raise ImportRefused([f"{path}: {exc}"]) from None


def _missing(path: Path, what: str, table: Table, known_fields: list[str]) -> ImportRefused:
    return ImportRefused([f"{path}: no {what} column (map one with --map {what}=COLUMN"
                          + (", or give unit_price)" if what == "amount" else ")")],
                         ignored_columns(table, known_fields))


def _import_sales(
    shop: Shop, path: Path, mapping: dict[str, str], dry_run: bool, date_format: str | None, today: date
) -> ImportReport:
    table: Table = read_table(path, mapping, SALE_FIELDS)
    fields_present = set(table.fields)
    if table.rows and "date" not in fields_present:
        raise _missing(path, "date", table, SALE_FIELDS)
    if table.rows and "amount" not in fields_present and "unit_price" not in fields_present:
        raise _missing(path, "amount", table, SALE_FIELDS)
    region = shop.settings.phone_region
    errors: list[str] = list(table.problems)
    feed = _phone_feed(table, region)
    try:
        order = _date_order(path, table, date_format, detect_stamp_order)
        memo = _Memo(region, order, today, shop_zone(shop.settings.time_zone), feed)
        parsed = [_parse_sale_row(line, row, region, errors, order, memo) for line, row in table.rows]
    finally:
        if feed is not None:
            feed.close()
    memo.feed = None
    rows = [row for row in parsed if row is not None]
    planned = _plan_sales(rows, errors)
    for sale in planned:
        _sale_cost(sale, errors)
    if errors:
        raise ImportRefused(sorted(errors, key=_line_number))
    report = ImportReport(rows=len(table.rows), dry_run=dry_run, ignored=ignored_columns(table, SALE_FIELDS))
    try:
        with shop.writing() as session, page_cache_for(session, len(planned)):
            _write_sales(session, planned, region, report, memo)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _sale_cost(sale: _PlannedSale, errors: list[str]) -> int | None:
    """A sale's cost: the sum of its lines' costs, None when no line gives one. A cost on some lines
    of an invoice only, or on a refund, is a bad row (the profit would be wrong)."""
    costs = [r.cost for r in sale.rows if r.cost is not None]
    if not costs:
        return None
    head = sale.first
    if len(costs) != len(sale.rows):
        errors.append(f"line {head.line}: invoice {head.invoice} gives a cost on some lines only")
    elif sum(r.amount for r in sale.rows) < 0:
        errors.append(f"line {head.line}: a refund has no cost of its own (leave the cost empty)")
    return sum(costs)


def _line_number(error: str) -> int:
    match = re.match(r"line (\d+):", error)
    return int(match.group(1)) if match else 0


def _write_sales(session: Session, planned: list[_PlannedSale], region: str, report: ImportReport, memo: _Memo) -> None:
    existing = bulk.existing_import_keys(session, [p.key for p in planned])
    todo = [p for p in planned if p.key not in existing]
    customers = _SaleCustomers(session, region, report, [p.first.who for p in todo], memo)
    # A file imported by an earlier version keyed each invoice by its number alone: that sale is
    # this one if it has the same day and the same customer (else it is another shop day's 1001).
    legacy = {}
    if any(p.legacy_key for p in todo) and bulk.any_import_key_starting(session, "inv:"):
        legacy = bulk.sales_by_import_key(session, [p.legacy_key for p in todo if p.legacy_key])
    if legacy:
        still = []
        for sale in todo:
            old = legacy.get(sale.legacy_key) if sale.legacy_key else None
            if old is not None and old == (sale.first.day, customers.find(sale.first.who)):
                del legacy[sale.legacy_key]  # one old sale stands for one sale of the file
            else:
                still.append(sale)
        todo = still
    report.sales_already_there = len(planned) - len(todo)
    report.sales_added = len(todo)
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
                          all(r.on_sale for r in sale.rows), head.note, sale.key, _sale_cost(sale, [])))
        if described:
            line_rows.append((sale.key, [(r.description, r.quantity, r.unit_price) for r in described]))
    customers.new.flush()
    bulk.insert_sales(session, sale_rows)
    if line_rows:
        ids = bulk.sale_ids_by_key(session, [key for key, _ in line_rows])
        bulk.insert_sale_lines(session, [(ids[key], d, q, u) for key, lines in line_rows for d, q, u in lines])
    refresh_figures(session, touched)


class _SaleCustomers(_Matcher):
    """`_Matcher` for a sales import of any size: which customer each row names, found with a few
    set-based queries for the whole file instead of several queries per row, and new customers
    written together with plain inserts; a customer created earlier in this import is found by
    later rows exactly as if it had been there before (through the cache of `resolve`)."""

    def __init__(self, session: Session, region: str, report: ImportReport, whos: list[_Who], memo: _Memo) -> None:
        self.session, self.region, self.report, self.memo = session, region, report, memo
        self.cache: dict[tuple[str, str], int | None] = {}
        self.new = bulk.NewCustomers(session, region, memo.keys)
        externals = {w.external_id for w in whos if w.external_id} | {w.name for w in whos if w.name and not w.external_id}
        self.known = bulk.KnownCustomers(session, externals, {w.phone for w in whos if w.phone},
                                         {_fold(w.email) for w in whos if w.email},
                                         {_fold(w.name) for w in whos if w.name and not w.external_id})

    def lookup(self, kind: str, value: str) -> int | None:
        return getattr(self.known, "by_" + kind).get(value)

    def resolve(self, who: _Who, day: date) -> int | None:
        key = who.key
        if key is None:
            return None  # a walk-in sale
        if key in self.cache:
            return self.cache[key]
        found = self.find(who)
        if found is None:
            self.report.customers_added += 1
            name = who.name or (f"Customer {who.external_id}" if who.external_id else who.email or who.phone_raw or "Customer")
            phones = [who.phone_raw] if who.phone else []
            found, e164s = self.new.add(name, phones, who.email, who.external_id or None, day)
            # later rows find it as the queries would have (new ids are the highest: setdefault)
            if who.external_id:
                self.known.by_external.setdefault(who.external_id, found)
            for e164 in e164s:
                self.known.by_phone.setdefault(e164, found)
            if who.email and _fold(who.email):
                self.known.by_email.setdefault(_fold(who.email), found)
            self.known.by_name.setdefault(_fold(name), found)
        self.cache[key] = found
        return found


def import_customers(shop: Shop, path: Path, mapping: dict[str, str], today: date, dry_run: bool = False) -> ImportReport:
    table = read_table(path, mapping, CUSTOMER_FIELDS)
    region = shop.settings.phone_region
    errors: list[str] = list(table.problems)
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
                if birthday > today:
                    errors.append(f"line {line}: birthday {row['birthday'].strip()!r} is after today ({today.isoformat()})")
            except DateError as exc:
                errors.append(f"line {line}: birthday: {exc}")
        channel = row.get("preferred_channel", "").strip().lower()
        if channel not in CHANNELS:
            errors.append(f"line {line}: preferred_channel {channel!r} should be one of {', '.join(c for c in CHANNELS if c)}")
        consent = _bool(row.get("marketing_consent", ""), line, "marketing_consent", errors) if "marketing_consent" in row else None
        tags: list[str] = []
        try:
            tags = parse_tags(row.get("tags", ""))  # "wholesale; tea club": added to the customer's tags
        except InputError as exc:
            errors.append(f"line {line}: {exc.message}")
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
            tags=tags or None,
        )
        parsed.append((line, fields, clean_line(row.get("referred_by", ""), limit=120)))
    report = ImportReport(rows=len(table.rows), dry_run=dry_run, ignored=ignored_columns(table, CUSTOMER_FIELDS))
    try:
        with shop.writing() as session:
            _write_customers(session, parsed, region, today, report, errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _write_customers(session: Session, parsed: list[tuple[int, CustomerFields, str]], region: str, today: date,
                     report: ImportReport, errors: list[str]) -> None:
    """Create or update every good row, then set referrals; if the file has any problem (its bad
    rows in `errors`, or a referral circle found here) refuse it: the transaction keeps nothing."""
    finder = _CustomerFinder(session)
    ids: list[int] = []
    for line, fields, _ in parsed:
        who = _Who(external_id=fields.external_id or "", name=fields.name or "",
                   phone=phone_keys(fields.phones[0], region).e164 if fields.phones else "",
                   email=fields.email or "")
        found = finder.find(who)
        if found is None:
            report.customers_added += 1
            found = create_customer(session, fields, region, today)
        else:
            customer = session.get(Customer, found)
            if _changes(session, customer, fields, region):
                report.customers_updated += 1
                if fields.phones is not None:
                    old = list(session.execute(select(CustomerPhone.raw).where(CustomerPhone.customer_id == found)).scalars())
                    fields.phones = old + [p for p in fields.phones if p not in old]
                apply_customer_fields(session, customer, fields, region)
        ids.append(found)
    for (line, _fields, referrer), customer_id in zip(parsed, ids):
        if not referrer:
            continue
        referrer_id = finder.find(_Who(external_id=referrer)) or finder.find(_Who(name=referrer))
        if referrer_id is None:
            report.notes.append(f"line {line}: referrer {referrer!r} not found; referral skipped")
            continue
        if session.execute(select(Referral.id).where(Referral.referee_id == customer_id)).first() is not None:
            continue  # a customer keeps the referrer they have
        if _refers_back(session, referrer_id, customer_id):
            errors.append(f"line {line}: referred_by {referrer!r} would make referrals go in a circle"
                          f" ({'a customer cannot refer themselves' if referrer_id == customer_id else 'that customer was referred, directly or through others, by this one'})")
            continue
        session.add(Referral(referrer_id=referrer_id, referee_id=customer_id, referred_on=today))
        session.flush()
        refresh_figures(session, [referrer_id])
    if errors:
        raise ImportRefused(sorted(errors, key=_line_number))  # inside the transaction: nothing is kept


def _refers_back(session: Session, referrer_id: int, customer_id: int) -> bool:
    """Would "customer_id was referred by referrer_id" close a circle of referrals?"""
    seen: set[int] = set()
    current: int | None = referrer_id
    while current is not None and current not in seen:
        if current == customer_id:
            return True
        seen.add(current)
        current = session.execute(select(Referral.referrer_id).where(Referral.referee_id == current)).scalar()
    return False


def _changes(session: Session, customer: Customer, fields: CustomerFields, region: str) -> bool:
    """Would applying `fields` change anything? (So a second import reports 0 updated.)"""
    for attr in ("name", "email", "notes", "likes", "dislikes", "birthday", "preferred_channel", "marketing_consent", "external_id"):
        value, current = getattr(fields, attr), getattr(customer, attr)
        # compare as stored; an unset text column (None) equals "" (but False must stay False)
        if value is not None and value != current and not (value == "" and current is None):
            return True
    if fields.tags:
        from .domain.tags import tag_key
        from .store.tags import tags_of

        have_tags = {tag_key(t) for t in tags_of(session, [customer.id]).get(customer.id, [])}
        if any(tag_key(t) not in have_tags for t in fields.tags):
            return True
    if fields.phones:
        have = set(session.execute(select(CustomerPhone.e164).where(CustomerPhone.customer_id == customer.id)).scalars())
        if any(phone_keys(p, region).e164 not in have for p in fields.phones):
            return True
    return False


# --- contacts ----------------------------------------------------------------------------------

def _words(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


# Outcomes as phone and SMS tools write them, and as the app's codes (compared without case,
# accents, "_" or "-").
OUTCOME_WORDS = {
    **{_words(code): code for code in OUTCOMES},
    "answered": "reached", "spoke": "reached", "talked": "reached", "contacted": "reached",
    "no reply": "no_answer", "not reached": "no_answer", "unanswered": "no_answer", "busy": "no_answer",
    "missed": "no_answer",
    "left a message": "left_message", "message left": "left_message", "voicemail": "left_message",
    "voice mail": "left_message",
    "bought again": "bought", "purchased": "bought", "sale": "bought",
    "not interested": "declined", "refused": "declined",
    "do not contact again": "do_not_contact", "dnc": "do_not_contact", "opt out": "do_not_contact",
    "opted out": "do_not_contact", "unsubscribed": "do_not_contact", "stop": "do_not_contact",
}
CHANNEL_WORDS = {
    **{c: c for c in CHANNELS if c},
    "call": "phone", "phone call": "phone", "telephone": "phone", "tel": "phone", "voice": "phone",
    "text": "sms", "text message": "sms", "message": "sms",
    "e mail": "email", "mail": "email",
    "in person": "visit", "in store": "visit", "shop": "visit", "store": "visit",
}


def parse_outcome(text: str) -> str:
    """"No answer", "no_answer", "Left a message", "DNC" … -> the app's outcome code."""
    found = OUTCOME_WORDS.get(_words(text))
    if found is None:
        raise ValueError(f"outcome {text.strip()[:40]!r} should be one of: reached, no answer, left message, bought, "
                         "declined, do not contact")
    return found


def parse_channel(text: str) -> str:
    """A contact's channel; empty means a phone call, as in the app."""
    if not text.strip():
        return "phone"
    found = CHANNEL_WORDS.get(_words(text))
    if found is None:
        raise ValueError(f"channel {text.strip()[:40]!r} should be one of: phone, sms, email, visit")
    return found


@dataclass
class _ContactRow:
    line: int
    day: date
    outcome: str
    channel: str
    note: str
    number: int | None  # shopkeeper's customer id, from the `id` column
    external_id: str
    phone: str  # international digits
    email: str


def import_contacts(shop: Shop, path: Path, mapping: dict[str, str], today: date, dry_run: bool = False,
                    date_format: str | None = None) -> ImportReport:
    """Contact outcomes from a phone or SMS tool, logged as `Shop.log_contact` logs them
    (`writes.add_contact`, so "do not contact" takes its customer off every list from that day),
    all in one transaction. Contacts never create customers: a row whose customer is not found
    (or whose phone belongs to several) is a bad row. A contact already there (same customer, day,
    outcome, channel and note, however it was logged) is not added again."""
    table = read_table(path, mapping, CONTACT_FIELDS)
    fields_present = set(table.fields)
    if table.rows:
        for needed in ("date", "outcome"):
            if needed not in fields_present:
                raise _missing(path, needed, table, CONTACT_FIELDS)
        if not fields_present & {"id", "customer_id", "phone", "email"}:
            raise ImportRefused([f"{path}: no column says who was contacted (map id, customer_id, phone or email, "
                                 "e.g. --map phone=COLUMN)"], ignored_columns(table, CONTACT_FIELDS))
    region = shop.settings.phone_region
    errors: list[str] = list(table.problems)
    order = _date_order(path, table, date_format, detect_date_order)
    memo = _Memo(region, order, today)
    rows: list[_ContactRow] = []
    for line, row in table.rows:
        before = len(errors)
        day, outcome, channel, number = date.min, "", "", None
        try:
            day = memo.date(row.get("date", ""))
        except DateError as exc:
            errors.append(f"line {line}: {exc}")
        try:
            outcome = parse_outcome(row.get("outcome", ""))
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
        try:
            channel = parse_channel(row.get("channel", ""))
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
        text = row.get("id", "").strip()
        if text:
            if re.fullmatch(r"[0-9]{1,18}", text):
                number = int(text)
            else:
                errors.append(f"line {line}: id {text[:30]!r} should be a customer number from shopkeeper")
        phone, e164 = memo.phone_cell(row, line, errors)
        email = clean_line(row.get("email", ""), limit=200)
        external = clean_line(row.get("customer_id", ""), limit=80)
        if number is None and not (external or e164 or email) and len(errors) == before:
            errors.append(f"line {line}: no customer (give id, customer_id, phone or email)")
        if len(errors) == before:
            rows.append(_ContactRow(line, day, outcome, channel, clean_block(row.get("note", ""), limit=2000),
                                    number, external, e164, email))
    report = ImportReport(rows=len(table.rows), dry_run=dry_run, kind="contacts",
                          ignored=ignored_columns(table, CONTACT_FIELDS))
    try:
        with shop.writing() as session:
            _write_contacts(session, rows, report, errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _contact_customer(session: Session, row: _ContactRow) -> tuple[int | None, str]:
    """(customer id, or None and why not) for a contact row: id, then customer_id, then phone, then email."""
    if row.number is not None:
        if session.get(Customer, row.number) is not None:
            return row.number, ""
        if not (row.external_id or row.phone or row.email):
            return None, f"there is no customer number {row.number}"
    if row.external_id:
        found = session.execute(select(Customer.id).where(Customer.external_id == row.external_id)).scalar()
        if found is not None:
            return found, ""
    for what, query in (("phone", select(CustomerPhone.customer_id).where(CustomerPhone.e164 == row.phone)),
                        ("email", select(Customer.id).where(Customer.email_fold == fold(row.email)))):
        if not getattr(row, what):
            continue
        ids = sorted(set(session.execute(query).scalars()))
        if len(ids) == 1:
            return ids[0], ""
        if len(ids) > 1:
            return None, (f"{what} {getattr(row, what)} belongs to {len(ids)} customers "
                          f"({', '.join(map(str, ids[:5]))}); say which with an id or customer_id column")
    given = ", ".join(f"{k} {v}" for k, v in (("id", row.number), ("customer_id", row.external_id),
                                               ("phone", row.phone), ("email", row.email)) if v)
    return None, f"no customer with {given}"


def _write_contacts(session: Session, rows: list[_ContactRow], report: ImportReport, errors: list[str]) -> None:
    """Find every row's customer (adding to the file's `errors`), refuse the file if anything is
    wrong, else add the contacts not already there."""
    planned: list[tuple[int, _ContactRow]] = []
    for row in rows:
        customer_id, problem = _contact_customer(session, row)
        if customer_id is None:
            errors.append(f"line {row.line}: {problem}")
        else:
            planned.append((customer_id, row))
    if errors:
        raise ImportRefused(sorted(errors, key=_line_number))
    seen: Counter[tuple] = Counter()
    for customer_id, row in planned:
        same = (customer_id, row.day, row.outcome, row.channel, row.note)
        seen[same] += 1
        stored = session.execute(
            select(func.count()).select_from(Contact).where(
                Contact.customer_id == customer_id, Contact.contacted_on == row.day, Contact.outcome == row.outcome,
                Contact.channel == row.channel, Contact.note == row.note)
        ).scalar_one()
        if stored >= seen[same]:  # the n-th identical row of the file is there once n are stored
            report.contacts_already_there += 1
            continue
        add_contact(session, customer_id, row.day, row.outcome, row.note, channel=row.channel, purpose="general")
        report.contacts_added += 1
