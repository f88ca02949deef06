"""Use cases shared by the CLI and the app. Each write is one transaction; "today" is passed in."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .clock import now_date
from .domain.amounts import RECENT_SALES, large_sale_cents
from .domain.checklist import Checklist
from .domain.contacts import CHANNELS as CONTACT_CHANNELS, CONTACT_ALLOWED
from .domain.dates import YearlyDate
from .domain.errors import InputError
from .domain.phones import validate_phone
from .domain.money import format_cents
from .domain.records import CustomerCard, CustomerRow, DuplicatePair, PromiseView, SaleView, VoidedSaleView
from .domain.settings import SettingError, ShopSettings, coerce, validate_window
from .domain.text import clean_block, clean_line
from .store import corrections, reads, writes
from .store.backup import backup_file
from .store.checklist_query import build_checklist
from .store.backend import is_server, shown_url
from .store.db import open_database, reading, waiting_at_most, writing
from .store.errors import StoreBusy, StoreError  # noqa: F401 - the UI tells these apart through services
from .store.lookup import lookup_ids, same_customer_ids
from .store import merge as merge_store
from .store.merge import history_counts, merge_customers
from .store import reversals
from .store.models import Customer, FamilyDate, Promise, Referral, Sale
from .store.privacy import customer_data, erase_customer
from .store.writes import CustomerFields, LineInput
from .undo import Step

OUTCOMES = ("reached", "no_answer", "left_message", "bought", "declined", "do_not_contact")
CHANNELS = ("", "phone", "sms", "email", "visit")
PROMISE_ACTIONS = {"kept": "kept", "missed": "missed", "cancelled": "cancelled"}
MAX_NAME = 120
SETUP_DONE = "setup_done"  # setting: the day the owner started their own shop
DEMO_MARK = "demo"  # setting: "yes" in the practice shop


@dataclass
class NewCustomer:
    """A customer typed into a form or created inline while logging a sale."""

    name: str
    phones: list[str] = field(default_factory=list)
    email: str = ""
    referred_by_id: int | None = None
    notes: str = ""
    marketing_consent: bool = False


@dataclass
class SaleInput:
    """A sale as the counter form gives it. Exactly one of customer_id / new_customer, or walk-in."""

    amount_cents: int
    sold_on: date
    customer_id: int | None = None
    new_customer: NewCustomer | None = None
    item_count: int = 1
    on_sale: bool = False
    note: str = ""
    lines: list[LineInput] = field(default_factory=list)
    refund_of_id: int | None = None  # a refund (negative amount) of this earlier sale


def validate_email(email: str) -> str:
    email = clean_line(email, limit=200)
    if email and ("@" not in email or " " in email or email.startswith("@") or email.endswith("@")):
        raise InputError(f"email {email!r} does not look like name@example.com", "email")
    return email


def validate_name(name: str) -> str:
    name = clean_line(name, limit=MAX_NAME + 1)
    if not name:
        raise InputError("name is empty", "name")
    if len(name) > MAX_NAME:
        raise InputError(f"name is longer than {MAX_NAME} characters", "name")
    return name


def validate_phones(phones: list[str]) -> list[str]:
    cleaned = [clean_line(p, limit=40) for p in phones if p and p.strip()]
    for phone in cleaned:
        problem = validate_phone(phone)
        if problem:
            raise InputError(problem, "phone")
    return cleaned


def _checked_settings(values: dict[str, str]) -> dict[str, str]:
    """Each typed setting as it will be stored; the first bad one raises InputError naming it."""
    checked: dict[str, str] = {}
    for key, value in values.items():
        try:
            checked[key] = str(coerce(key, value))
        except SettingError as exc:
            raise InputError(str(exc), key) from None
    return checked


class Shop:
    """The shop's database and the things one can do with it."""

    def __init__(self, engine: Engine, path: Path | None = None, url: str | None = None) -> None:
        self.engine = engine
        self.path = path  # the SQLite file; None for a shop on a PostgreSQL server
        self.url = url  # the server's URL (with any password) for a shop on PostgreSQL
        self._settings: ShopSettings | None = None

    @classmethod
    def open(cls, location: Path | str) -> "Shop":
        """Open the shop at a file path or a `postgresql://` URL."""
        if is_server(location):
            return cls(open_database(str(location)), None, str(location).strip())
        return cls(open_database(location), Path(location))

    @property
    def location(self) -> Path | str:
        """Where the shop lives: its file, or its server's URL."""
        return self.path if self.path is not None else self.url

    @property
    def where(self) -> str:
        """Where the shop lives, as help and settings say it (a server's URL without its password)."""
        return str(self.path) if self.path is not None else shown_url(self.url or "")

    @property
    def on_server(self) -> bool:
        return self.path is None and self.url is not None

    def close(self) -> None:
        self.engine.dispose()

    def reading(self):
        """A session on one snapshot of the shop, for the importers, exports, insights and demo:
        they go through the Shop rather than opening sessions on its engine themselves."""
        return reading(self.engine)

    def writing(self):
        """One transaction (BEGIN IMMEDIATE) for a bulk write: all of it or nothing."""
        return writing(self.engine)

    def waiting_at_most(self, ms: int):
        """Within the block, a write in this thread waits at most `ms` for another program's write
        lock, then raises StoreBusy with nothing written (the app retries off the UI thread)."""
        return waiting_at_most(ms)

    # settings -------------------------------------------------------------------------------
    @property
    def settings(self) -> ShopSettings:
        if self._settings is None:
            with reading(self.engine) as session:
                self._settings = ShopSettings.from_strings(reads.load_settings(session))
        return self._settings

    def reload_settings(self) -> ShopSettings:
        """Forget cached settings (after a bulk write such as the demo) and read them again."""
        self._settings = None
        return self.settings

    def save_settings(self, values: dict[str, str]) -> ShopSettings:
        """Validate every value first; save all or nothing."""
        current = self.settings.to_strings()
        checked = _checked_settings(values)
        merged = ShopSettings.from_strings({**current, **checked})
        try:
            validate_window(merged)
        except SettingError as exc:
            raise InputError(str(exc), "second_sale_give_up_days") from None
        with writing(self.engine) as session:
            writes.save_settings(session, checked)
        self._settings = merged
        return merged

    # first run ------------------------------------------------------------------------------
    def needs_welcome(self) -> bool:
        """A brand-new shop: never started by its owner, no name given, no customers, no sales."""
        from .store.models import Sale

        with reading(self.engine) as session:
            stored = reads.load_settings(session)
            if SETUP_DONE in stored or "shop_name" in stored:
                return False
            return reads.count_customers(session) == 0 and session.execute(select(Sale.id).limit(1)).first() is None

    @property
    def is_demo(self) -> bool:
        """The practice shop built by `shopkeeper demo` or the welcome screen's `d`."""
        with reading(self.engine) as session:
            return reads.load_settings(session).get(DEMO_MARK) == "yes"

    def start_shop(self, name: str, currency: str, phone_region: str, today: date) -> ShopSettings:
        """The owner starts their own shop: name, currency and phone country checked first, then
        saved with the day it was started, so the welcome never comes back (all or nothing)."""
        values = {"shop_name": name, "currency": currency, "phone_region": phone_region}
        checked = _checked_settings(values)
        with writing(self.engine) as session:
            writes.save_settings(session, {**checked, SETUP_DONE: today.isoformat()})
        return self.reload_settings()

    # reading --------------------------------------------------------------------------------
    def checklist(self, day: date) -> Checklist:
        with reading(self.engine) as session:
            return build_checklist(session, day, self.settings)

    def lookup(self, text: str, day: date, limit: int = 20, offset: int = 0) -> list[CustomerRow]:
        with reading(self.engine) as session:
            ids = lookup_ids(session, text, self.settings.phone_region, limit, offset)
            return reads.customer_rows(session, ids, day)

    def card(self, customer_id: int, day: date) -> CustomerCard | None:
        with reading(self.engine) as session:
            return reads.customer_card(session, customer_id, day)

    def customers_page(self, day: date, sort: str = "name", offset: int = 0, limit: int = 100) -> list[CustomerRow]:
        with reading(self.engine) as session:
            return reads.customer_page(session, day, sort, offset, limit)

    def count_customers(self) -> int:
        with reading(self.engine) as session:
            return reads.count_customers(session)

    def open_promises(self, day: date | None = None) -> list[PromiseView]:
        """Open promises; given `day`, with the snoozes running on it (see domain.promises)."""
        with reading(self.engine) as session:
            return reads.open_promises(session, day=day)

    def promise(self, promise_id: int) -> PromiseView | None:
        with reading(self.engine) as session:
            return reads.promise_view(session, promise_id)

    def call_list(self, kind: str, day: date, words: str = "", before: date | None = None, days: int = 90,
                  consent_only: bool = True) -> list[CustomerRow]:
        """Customers for a call list: "items" bought before a day, "lapsed" one-timers,
        "birthdays" next month, "quiet" top 20% not seen in `days` days. Never anyone who asked not
        to be contacted; only customers with marketing consent unless `consent_only` is False."""
        from .store import call_lists

        with reading(self.engine) as session:
            if kind == "items":
                if len(words.strip()) < 2:
                    raise InputError("type at least two letters of the item", "words")
                ids = call_lists.bought_items(session, words.strip(), before or day, day, consent_only)
            elif kind == "lapsed":
                ids = call_lists.lapsed_one_timers(session, day, self.settings.second_sale_give_up_days, consent_only)
            elif kind == "birthdays":
                ids = call_lists.birthdays_next_month(session, day, consent_only)
            elif kind == "quiet":
                if not 1 <= days <= 3650:
                    raise InputError("days must be between 1 and 3650", "days")
                ids = call_lists.top_not_seen(session, day, days, consent_only)
            else:
                raise InputError(f"unknown call list {kind!r}", "kind")
            return reads.customer_rows(session, ids, day)

    def called_from_list(self, kind: str, ids: list[int], day: date) -> set[int]:
        """Who on a call list was already called from that list on `day` (a rebuilt list shows them done)."""
        from .store import call_lists

        with reading(self.engine) as session:
            return call_lists.called_from_list(session, kind, ids, day)

    def preferred_channel(self, customer_id: int) -> str:
        """How the customer likes to be contacted ("" when not said)."""
        with reading(self.engine) as session:
            customer = session.get(Customer, customer_id)
            return customer.preferred_channel if customer is not None else ""

    def duplicates_of(self, customer_id: int, day: date) -> list[DuplicatePair]:
        """Likely duplicates of one customer, from the indexes (instant on a big shop)."""
        with reading(self.engine) as session:
            pairs = merge_store.duplicates_of(session, customer_id, self.settings.phone_region)
            rows = {r.id: r for r in reads.customer_rows(session, [customer_id, *(o for o, _ in pairs)], day)}
        return [DuplicatePair(rows[customer_id], rows[o], reason) for o, reason in pairs if o in rows and customer_id in rows]

    def same_customers(self, new: NewCustomer, day: date) -> list[tuple[CustomerRow, str]]:
        """Customers already on file that a new one would duplicate: the same phone, email or
        name (case, accents, punctuation and word order aside), with the reason."""
        with reading(self.engine) as session:
            found = same_customer_ids(session, new.name, new.phones, new.email, self.settings.phone_region)
            rows = {r.id: r for r in reads.customer_rows(session, [i for i, _ in found], day)}
        return [(rows[i], reason) for i, reason in found if i in rows]

    def large_sale_cents(self) -> int:
        """Above this amount the sale form asks "is that right?" (setting large_sale)."""
        with reading(self.engine) as session:
            recent = reads.recent_sale_amounts(session, RECENT_SALES)
        return large_sale_cents(self.settings.large_sale, recent)

    def history_counts(self, customer_id: int) -> dict[str, int]:
        with reading(self.engine) as session:
            return history_counts(session, customer_id)

    # writing --------------------------------------------------------------------------------
    def _require_customer(self, session, customer_id: int, field_name: str = "customer") -> Customer:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise InputError(f"there is no customer number {customer_id}", field_name)
        return customer

    def create_customer(self, new: NewCustomer, day: date) -> int:
        name = validate_name(new.name)
        phones = validate_phones(new.phones)
        email = validate_email(new.email)
        with writing(self.engine) as session:
            return self._create_customer(
                session, NewCustomer(name, phones, email, new.referred_by_id, new.notes, new.marketing_consent), day
            )

    def _create_customer(self, session, new: NewCustomer, day: date) -> int:
        if new.referred_by_id is not None:
            self._require_customer(session, new.referred_by_id, "referred_by")
        fields = CustomerFields(name=new.name, phones=new.phones, email=new.email, notes=clean_block(new.notes),
                                marketing_consent=new.marketing_consent)
        customer_id = writes.create_customer(session, fields, self.settings.phone_region, day)
        if new.referred_by_id is not None:
            writes.set_referral(session, customer_id, new.referred_by_id, day)
        return customer_id

    def update_customer(self, customer_id: int, data: CustomerFields) -> None:
        if data.name is not None:
            data.name = validate_name(data.name)
        if data.phones is not None:
            data.phones = validate_phones(data.phones)
        if data.email is not None:
            data.email = validate_email(data.email)
        for attr in ("notes", "likes", "dislikes"):
            if getattr(data, attr) is not None:
                setattr(data, attr, clean_block(getattr(data, attr)))
        if data.preferred_channel is not None and data.preferred_channel not in CHANNELS:
            raise InputError(f"channel must be one of {', '.join(c for c in CHANNELS if c)}", "preferred_channel")
        with writing(self.engine) as session:
            customer = self._require_customer(session, customer_id)
            if data.external_id:
                other = session.execute(select(Customer.id).where(Customer.external_id == data.external_id)).scalar()
                if other is not None and other != customer_id:
                    raise InputError(f"external id {data.external_id!r} belongs to customer {other}", "external_id")
            writes.apply_customer_fields(session, customer, data, self.settings.phone_region)

    def add_family_date(self, customer_id: int, label: str, on: date | YearlyDate) -> int:
        """A family or other personal date (a child's birthday, an anniversary), with or without its year."""
        label = self._family_label(label)
        when = YearlyDate.of(None, on) if isinstance(on, date) else on
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            return writes.add_family_date(session, customer_id, label, when.as_date(), when.md)

    def update_family_date(self, family_date_id: int, label: str, when: YearlyDate) -> None:
        label = self._family_label(label)
        with writing(self.engine) as session:
            row = session.get(FamilyDate, family_date_id)
            if row is None:
                raise InputError(f"there is no family date number {family_date_id}", "label")
            row.label, row.on, row.md = label, when.as_date(), when.md
            session.add(row)

    def remove_family_date(self, family_date_id: int) -> None:
        with writing(self.engine) as session:
            row = session.get(FamilyDate, family_date_id)
            if row is None:
                raise InputError(f"there is no family date number {family_date_id}", "label")
            session.delete(row)

    @staticmethod
    def _family_label(label: str) -> str:
        label = clean_line(label, limit=61)
        if not label:
            raise InputError("say what the date is (e.g. daughter's birthday)", "label")
        if len(label) > 60:
            raise InputError("the label is longer than 60 characters", "label")
        return label

    def log_sale(self, sale: SaleInput, today: date | None = None) -> int:
        """Record a sale (creating the new customer inline if given); returns the sale id.

        A refund (negative amount) is tied to the sale it gives money back on (`refund_of_id`),
        of the same customer; it can never be a new customer's first sale, nor a walk-in's without
        the walk-in sale it refunds. Untied refunds of known customers still work as before.
        A sale dated after `today` (the app's day; left out, the real one) is refused."""
        if sale.sold_on > (today or now_date()):
            raise InputError(f"date {sale.sold_on.isoformat()} is in the future", "date")
        if sale.amount_cents == 0:
            raise InputError("amount is zero", "amount")
        if sale.item_count < 0 or sale.item_count > 100_000:
            raise InputError("item count must be between 0 and 100000", "items")
        if sale.refund_of_id is not None and sale.amount_cents > 0:
            raise InputError("a refund is a negative amount (e.g. -5)", "amount")
        if sale.amount_cents < 0 and sale.refund_of_id is None and sale.customer_id is None:
            raise InputError(
                "a refund goes against the sale it refunds: pick the customer and the sale (card: R)"
                if sale.new_customer is None else "a refund cannot be a new customer's first sale", "amount")
        new = sale.new_customer
        if new is not None:
            new = NewCustomer(validate_name(new.name), validate_phones(new.phones), validate_email(new.email), new.referred_by_id)
        with writing(self.engine) as session:
            customer_id = sale.customer_id
            if customer_id is not None:
                self._require_customer(session, customer_id)
            elif new is not None:
                customer_id = self._create_customer(session, new, sale.sold_on)
            if sale.refund_of_id is not None:
                self._check_refund(session, sale.refund_of_id, customer_id, -sale.amount_cents, sale.sold_on)
            return writes.insert_sale(
                session,
                customer_id,
                sale.sold_on,
                sale.amount_cents,
                item_count=sale.item_count,
                on_sale=sale.on_sale,
                note=clean_line(sale.note, limit=500),
                lines=sale.lines,
                refund_of_id=sale.refund_of_id,
            )

    # corrections ----------------------------------------------------------------------------
    def _live_sale(self, session, sale_id: int, field_name: str = "sale") -> Sale:
        sale = session.get(Sale, sale_id)
        if sale is None:
            gone = corrections.voided(session, sale_id)
            if gone is not None:
                raise InputError(f"sale {sale_id} was voided on {gone.voided_on.isoformat()}", field_name)
            raise InputError(f"there is no sale number {sale_id}", field_name)
        return sale

    def _check_refund(self, session, sale_id: int, customer_id: int | None, cents: int, on: date,
                      already: int | None = None) -> None:
        """A refund of `cents` (> 0) on `on` against sale `sale_id`, by this customer (None: walk-in);
        `already` is the refund being edited, whose own amount is left out of what was refunded."""
        sale = self._live_sale(session, sale_id)
        if sale.amount_cents <= 0:
            raise InputError(f"sale {sale_id} is itself a refund", "sale")
        if sale.customer_id != customer_id:
            raise InputError(f"sale {sale_id} is not this customer's", "sale")
        if on < sale.sold_on:
            raise InputError(f"a refund cannot come before its sale ({sale.sold_on.isoformat()})", "date")
        refunds = [r for r in corrections.tied_refunds(session, sale_id) if r.id != already]
        left = sale.amount_cents + sum(r.amount_cents for r in refunds)
        if cents > left:
            raise InputError(f"the refund is bigger than what is left of sale {sale_id} ({format_cents(left)})", "amount")

    def log_refund(self, sale_id: int, amount_cents: int, on: date, today: date, note: str = "", item_count: int = 1) -> int:
        """Give money back on an earlier sale: `amount_cents` is what is given back (positive, or
        negative as typed); the refund goes to the sale's customer."""
        cents = abs(amount_cents)
        if cents == 0:
            raise InputError("amount is zero", "amount")
        with reading(self.engine) as session:
            customer_id = self._live_sale(session, sale_id).customer_id
        return self.log_sale(SaleInput(-cents, on, customer_id=customer_id, item_count=item_count, note=note,
                                       refund_of_id=sale_id), today)

    def sale(self, sale_id: int) -> SaleView | None:
        with reading(self.engine) as session:
            return reads.sale_view(session, sale_id)

    def customer_sales(self, customer_id: int) -> list[SaleView]:
        """The customer's sales and refunds, newest first: what the card's corrections pick from."""
        with reading(self.engine) as session:
            self._require_customer(session, customer_id)
            return reads.customer_sales(session, customer_id)

    def voided_sales(self, customer_id: int) -> list[VoidedSaleView]:
        with reading(self.engine) as session:
            self._require_customer(session, customer_id)
            return [reads.voided_view(v) for v in corrections.voided_of_customer(session, customer_id, limit=1000)]

    def void_sale(self, sale_id: int, reason: str, day: date) -> SaleView:
        """Void a sale typed by mistake: it leaves every figure and stays in the history with the
        day and the reason. Returns the sale as it was."""
        reason = clean_line(reason, limit=200)
        with writing(self.engine) as session:
            sale = self._live_sale(session, sale_id)
            refunds = corrections.tied_refunds(session, sale_id)
            if refunds:
                ids = ", ".join(str(r.id) for r in refunds)
                raise InputError(f"sale {sale_id} has refund(s) {ids} tied to it; void those first", "sale")
            view = reads.sale_view(session, sale_id)
            corrections.void_sale(session, sale, reason, day)
            return view

    def edit_sale(
        self,
        sale_id: int,
        amount_cents: int | None = None,
        sold_on: date | None = None,
        item_count: int | None = None,
        customer_id: int | None = None,
        reason: str = "",
        day: date | None = None,
    ) -> SaleView:
        """Correct a sale's amount, date, items or customer; every figure is then as if it had been
        typed right, and the old values stay in its history. Returns the sale as it now is."""
        if day is None:
            raise InputError("the day of the correction is needed", "date")
        reason = clean_line(reason, limit=200)
        if amount_cents == 0:
            raise InputError("amount is zero", "amount")
        if item_count is not None and not 0 <= item_count <= 100_000:
            raise InputError("item count must be between 0 and 100000", "items")
        if sold_on is not None and sold_on > day:
            raise InputError(f"date {sold_on.isoformat()} is in the future", "date")
        with writing(self.engine) as session:
            sale = self._live_sale(session, sale_id)
            new_amount = sale.amount_cents if amount_cents is None else amount_cents
            new_day = sale.sold_on if sold_on is None else sold_on
            new_items = sale.item_count if item_count is None else item_count
            new_customer = sale.customer_id if customer_id is None else customer_id
            if (new_amount > 0) != (sale.amount_cents > 0):
                raise InputError("a sale stays a sale and a refund a refund; void it and log it again", "amount")
            if customer_id is not None and customer_id != sale.customer_id:
                self._require_customer(session, customer_id)
                if sale.refund_of_id is not None:
                    raise InputError("a refund belongs to its sale's customer: change the sale's customer instead",
                                     "customer")
            if sale.refund_of_id is not None:
                self._check_refund(session, sale.refund_of_id, new_customer, -new_amount, new_day, already=sale.id)
            refunds = corrections.tied_refunds(session, sale_id)
            if refunds:
                given = -sum(r.amount_cents for r in refunds)
                if new_amount < given:
                    raise InputError(f"{format_cents(given)} was already refunded on this sale", "amount")
                if new_day > min(r.sold_on for r in refunds):
                    raise InputError("a sale cannot come after its refund "
                                     f"({min(r.sold_on for r in refunds).isoformat()})", "date")
            if (new_amount, new_day, new_items, new_customer) == (sale.amount_cents, sale.sold_on, sale.item_count,
                                                                   sale.customer_id):
                raise InputError("nothing to change: give a new amount, date, items or customer", "amount")
            corrections.edit_sale(session, sale, amount_cents=new_amount, sold_on=new_day, item_count=new_items,
                                  customer_id=new_customer, reason=reason, day=day)
            return reads.sale_view(session, sale_id)

    def add_promise(self, customer_id: int, text: str, due_on: date, day: date) -> int:
        text = self._promise_text(text, due_on, day)
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            return writes.add_promise(session, customer_id, text, day, due_on)

    def add_promise_to_new(self, new: NewCustomer, text: str, due_on: date, day: date) -> tuple[int, int]:
        """A promise to someone not yet on file: the customer and the promise in one transaction.
        Returns (customer id, promise id)."""
        text = self._promise_text(text, due_on, day)
        new = NewCustomer(validate_name(new.name), validate_phones(new.phones), validate_email(new.email),
                          new.referred_by_id, new.notes, new.marketing_consent)
        with writing(self.engine) as session:
            customer_id = self._create_customer(session, new, day)
            return customer_id, writes.add_promise(session, customer_id, text, day, due_on)

    @staticmethod
    def _promise_text(text: str, due_on: date, day: date) -> str:
        text = clean_line(text, limit=500)
        if not text:
            raise InputError("say what was promised", "text")
        if due_on < day:
            raise InputError(f"due date {due_on.isoformat()} is in the past", "due_on")
        return text

    def set_promise_status(self, promise_id: int, status: str, day: date) -> None:
        if status not in PROMISE_ACTIONS:
            raise InputError(f"status must be kept, missed or cancelled, not {status!r}", "status")
        with writing(self.engine) as session:
            promise = session.get(Promise, promise_id)
            if promise is None:
                raise InputError(f"there is no promise number {promise_id}", "promise")
            promise.status = status
            promise.closed_on = day
            session.add(promise)

    def log_contact(self, customer_id: int, outcome: str, day: date, note: str = "", *, channel: str = "phone",
                    purpose: str = "general", subject_id: int | None = None, close: bool = False) -> int:
        """Log a contact; returns its id. With `close`, see `log_contact_and_close`."""
        return self.log_contact_and_close(customer_id, outcome, day, note, channel=channel, purpose=purpose,
                                          subject_id=subject_id, close=close)[0]

    def log_contact_and_close(self, customer_id: int, outcome: str, day: date, note: str = "", *,
                              channel: str = "phone", purpose: str = "general", subject_id: int | None = None,
                              close: bool = False) -> tuple[int, int | None]:
        """Log a contact and, with `close`, close the checklist row it was about (follow-up kind
        `purpose`, `subject_id`) in the same transaction, so a retried write never logs it twice.
        Returns (contact id, follow-up id or None), what ctrl+z needs to take both back."""
        if outcome not in OUTCOMES:
            raise InputError(f"outcome must be one of {', '.join(OUTCOMES)}", "outcome")
        if channel not in CONTACT_CHANNELS:
            raise InputError(f"channel must be one of {', '.join(CONTACT_CHANNELS)}", "channel")
        if close and subject_id is None:
            raise InputError("closing a row needs the row's subject", "subject")
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            contact_id = writes.add_contact(
                session, customer_id, day, outcome, clean_block(note, limit=2000),
                channel=channel, purpose=purpose, subject_id=subject_id,
            )
            follow_up_id = writes.add_follow_up(session, customer_id, purpose, subject_id, "close", day) if close else None
            return contact_id, follow_up_id

    def lift_do_not_contact(self, customer_id: int, day: date) -> None:
        """The customer agrees to be contacted again: kept as an event after their do-not-contact,
        so lists built for earlier days stay as they were (store/consent.py)."""
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            writes.add_contact(session, customer_id, day, CONTACT_ALLOWED, "do not contact lifted", channel="")

    def snooze(self, kind: str, subject_id: int, customer_id: int, day: date, until: date) -> int:
        """Hide a checklist row until a day; returns the follow-up id (for undo)."""
        if until <= day:
            raise InputError("snooze until a day after today", "until")
        with writing(self.engine) as session:
            return writes.add_follow_up(session, customer_id, kind, subject_id, "snooze", day, until)

    def close_follow_up(self, kind: str, subject_id: int, customer_id: int, day: date) -> int:
        """Close a checklist row without a call; returns the follow-up id (for undo)."""
        with writing(self.engine) as session:
            return writes.add_follow_up(session, customer_id, kind, subject_id, "close", day)

    # undo (ctrl+z): each reversal is one transaction ------------------------------------------
    def undo_contact(self, contact_id: int) -> None:
        self.undo([Step("contact", contact_id)])

    def reopen_promise(self, promise_id: int) -> None:
        self.undo([Step("promise", promise_id)])

    def remove_follow_up(self, follow_up_id: int) -> None:
        self.undo([Step("follow_up", follow_up_id)])

    def undo_sale(self, sale_id: int, new_customer: bool = False, day: date | None = None) -> None:
        """Take back a sale just logged. One that created its customer is deleted with its lines and
        that customer (if nothing else of theirs was recorded since), the kept figures recomputed.
        A sale of a customer already on file is voided instead ("undone"): it leaves every figure
        but stays in the history, as every correction does."""
        if not new_customer and day is not None:
            self.void_sale(sale_id, "undone (ctrl+z)", day)
            return
        with writing(self.engine) as session:
            if session.get(Sale, sale_id) is None:
                raise InputError("that sale is no longer there; nothing to undo", "sale")
            reversals.delete_sale(session, sale_id, new_customer)

    def undo(self, steps: list[Step] | tuple[Step, ...], day: date | None = None) -> None:
        """Reverse what one action wrote, all in one transaction (a sale through undo_sale)."""
        if len(steps) == 1 and steps[0].kind == "sale":
            self.undo_sale(steps[0].id, steps[0].new_customer, day)
            return
        reverse = {"contact": reversals.delete_contact, "promise": reversals.reopen_promise,
                   "follow_up": reversals.delete_follow_up}
        with writing(self.engine) as session:
            touched = [reverse[step.kind](session, step.id) for step in steps]
            if all(customer is None for customer in touched):
                raise InputError("that was already changed elsewhere; nothing to undo", steps[0].kind if steps else "")

    def set_referrer(self, customer_id: int, referrer_id: int, day: date) -> None:
        if customer_id == referrer_id:
            raise InputError("a customer cannot refer themselves", "referred_by")
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            self._require_customer(session, referrer_id, "referred_by")
            loop = session.execute(
                select(Referral.id).where(Referral.referrer_id == customer_id, Referral.referee_id == referrer_id)
            ).first()
            if loop is not None:
                raise InputError("that customer was referred by this one; referrals cannot go in a circle", "referred_by")
            writes.set_referral(session, customer_id, referrer_id, day)

    def add_feedback(self, customer_id: int, score: int, text: str, testimonial_ok: bool, day: date) -> None:
        if not 1 <= score <= 5:
            raise InputError("score must be 1 to 5", "score")
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            writes.add_feedback(session, customer_id, day, score, clean_block(text, limit=2000), testimonial_ok)

    def merge(self, keep_id: int, drop_id: int) -> None:
        if keep_id == drop_id:
            raise InputError("pick two different customers to merge", "customer")
        with writing(self.engine) as session:
            self._require_customer(session, keep_id)
            self._require_customer(session, drop_id)
            merge_customers(session, keep_id, drop_id)

    def erase_customer(self, customer_id: int, day: date) -> None:
        """Forget a person on request: personal data goes, their sales stay as anonymous totals."""
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            erase_customer(session, customer_id, day)

    def customer_data(self, customer_id: int) -> dict:
        with reading(self.engine) as session:
            data = customer_data(session, customer_id)
        if data is None:
            raise InputError(f"there is no customer number {customer_id}", "customer")
        return data

    def backup(self, dest: Path) -> Path:
        """A consistent copy while the tills keep selling: SQLite's online backup of the file, or
        pg_dump's custom format for a shop on a server."""
        if self.on_server:
            from .store.pg_backup import dump_database

            return dump_database(self.url or "", dest)
        if self.path is None:
            raise InputError("this shop has no file to back up")
        return backup_file(self.path, dest)

    def daily_backup(self, today: date) -> Path | None:
        """The first open of the day keeps a copy in backups/ for backup_keep_days days. On a server
        the first till to open the shop that day takes it (the day is claimed in the database);
        a failed copy is logged, never stops the shop from opening."""
        from .paths import backups_folder

        if not self.count_customers():
            return None
        if self.on_server:
            from .store.pg_backup import daily_dump

            return daily_dump(self.engine, self.url or "", backups_folder(self.location), today,
                              self.settings.backup_keep_days)
        from .store.backup import daily_backup

        return daily_backup(self.path, today, self.settings.backup_keep_days)


def default_snooze(day: date, settings: ShopSettings) -> date:
    return day + timedelta(days=settings.snooze_days)
