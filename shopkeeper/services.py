"""Use cases shared by the CLI and the app. Each write is one transaction; "today" is passed in."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

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
from .domain.settings import SettingError, ShopSettings, coerce, validate_window
from .domain.staff import StaffView, check_initials, check_staff_name
from .domain.text import clean_block, clean_line
from .lazy import LazyModule
from .store import first_reads
from .store.backup import backup_file
from .store.changes import ChangeWatcher
from .store.checklist_query import build_checklist
from .store.backend import is_server, shown_url
from .store.db import open_database, reading, waiting_at_most, writing
from .store.errors import StoreBusy, StoreError  # noqa: F401 - the UI tells these apart through services
from .store.lookup import lookup_ids, same_customer_ids
from .undo import Step

# The ORM models and the stores built on them are imported on first use, not at start-up: the first
# screen reads through first_reads and the checklist query (see lazy.py; the app imports them just
# after its first paint).
models = LazyModule("shopkeeper.store.models")
corrections = LazyModule("shopkeeper.store.corrections")
reads = LazyModule("shopkeeper.store.reads")
writes = LazyModule("shopkeeper.store.writes")
merge_store = LazyModule("shopkeeper.store.merge")
privacy = LazyModule("shopkeeper.store.privacy")
reversals = LazyModule("shopkeeper.store.reversals")
staff_store = LazyModule("shopkeeper.store.staff")


def load_store() -> None:
    """Import what the lazy names above stand for (the app does it off the UI thread just after
    its first paint, so the first key that needs them does not wait)."""
    for lazy in (models, corrections, reads, writes, merge_store, privacy, reversals, staff_store):
        lazy.module


if TYPE_CHECKING:  # the plain shapes the stores build: imported with them, on first use
    from .domain.records import (CustomerCard, CustomerFields, CustomerRow, DuplicatePair, LineInput, PromiseView,
                                 SaleView, VoidedSaleView)

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
    cost_cents: int | None = None  # what the goods cost the shop, when known (profit)


def check_cost(cost_cents: int | None, amount_cents: int) -> None:
    """A sale's cost: none, or zero or more on a sale (a refund's profit follows its sale)."""
    if cost_cents is None:
        return
    if amount_cents < 0:
        raise InputError("a refund has no cost of its own: its profit follows the sale it refunds", "cost")
    if cost_cents < 0:
        raise InputError("cost cannot be below zero", "cost")


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
        # who is at this till (a staff id, None: nobody said): every write records it (issue 12)
        self.staff_id: int | None = None
        self._watcher: ChangeWatcher | None = None

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
        if self._watcher is not None:
            self._watcher.close()
        self.engine.dispose()

    def watch_changes(self) -> None:
        """Start noticing other tills' writes (see changed_elsewhere, whose first call starts it)."""
        if self._watcher is None:
            self._watcher = ChangeWatcher(self.engine)

    def changed_elsewhere(self) -> bool:
        """Has another till (a process, an app window, the CLI) committed a change since the last
        call? Not this Shop's own writes. Cheap when nothing changed; a busy database answers False
        (asked again on the next tick). The cached settings are read again after a change."""
        self.watch_changes()
        assert self._watcher is not None
        if not self._watcher.changed():
            return False
        self._settings = None  # another till may have changed them: read here, off the UI thread
        try:
            self.reload_settings()
        except StoreError:
            pass  # read again on first use
        return True

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
                self._settings = ShopSettings.from_strings(first_reads.load_settings(session))
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
        with reading(self.engine) as session:
            stored = first_reads.load_settings(session)
            if SETUP_DONE in stored or "shop_name" in stored:
                return False
            return first_reads.count_customers(session) == 0 and not first_reads.has_sales(session)

    @property
    def is_demo(self) -> bool:
        """The practice shop built by `shopkeeper demo` or the welcome screen's `d`."""
        with reading(self.engine) as session:
            return first_reads.load_settings(session).get(DEMO_MARK) == "yes"

    def start_shop(self, name: str, currency: str, phone_region: str, today: date) -> ShopSettings:
        """The owner starts their own shop: name, currency and phone country checked first, then
        saved with the day it was started, so the welcome never comes back (all or nothing)."""
        values = {"shop_name": name, "currency": currency, "phone_region": phone_region}
        checked = _checked_settings(values)
        with writing(self.engine) as session:
            writes.save_settings(session, {**checked, SETUP_DONE: today.isoformat()})
        return self.reload_settings()

    # reading --------------------------------------------------------------------------------
    def checklist(self, day: date, staff_id: int | None = None) -> Checklist:
        """The day's checklist; given `staff_id`, only that person's rows ("mine": the promises
        they made, the calls whose latest contact was theirs)."""
        with reading(self.engine) as session:
            checklist = build_checklist(session, day, self.settings)
            if staff_id is not None:
                checklist = staff_store.only_mine(session, checklist, staff_id, day)
            return checklist

    def lookup(self, text: str, day: date, limit: int = 20, offset: int = 0) -> list[CustomerRow]:
        with reading(self.engine) as session:
            ids = lookup_ids(session, text, self.settings.phone_region, limit, offset)
            return reads.customer_rows(session, ids, day)

    def card(self, customer_id: int, day: date) -> CustomerCard | None:
        with reading(self.engine) as session:
            return reads.customer_card(session, customer_id, day)

    def customers_page(self, day: date, sort: str = "name", offset: int = 0, limit: int = 100,
                       tag: str | None = None) -> list[CustomerRow]:
        """One page of customers in `sort` order; given a tag, only the customers with it."""
        with reading(self.engine) as session:
            return reads.customer_page(session, day, sort, offset, limit, (tag or "").strip() or None)

    def count_customers(self, tag: str | None = None) -> int:
        with reading(self.engine) as session:
            tag = (tag or "").strip() or None
            return reads.count_customers(session, tag) if tag else first_reads.count_customers(session)

    def open_promises(self, day: date | None = None) -> list[PromiseView]:
        """Open promises; given `day`, with the snoozes running on it (see domain.promises)."""
        with reading(self.engine) as session:
            return reads.open_promises(session, day=day)

    def promise(self, promise_id: int) -> PromiseView | None:
        with reading(self.engine) as session:
            return reads.promise_view(session, promise_id)

    def call_list(self, kind: str, day: date, words: str = "", before: date | None = None, days: int = 90,
                  consent_only: bool = True, tag: str | None = None) -> list[CustomerRow]:
        """Customers for a call list, each row with its reason: "items" bought before a day,
        "lapsed" one-timers, "birthdays" next month, "quiet" top 20% not seen in `days` days,
        "referral-ask" satisfied repeat customers who never referred anyone, "keep-in-touch" not in
        touch for the keep_in_touch_days setting, "feedback" low scores and complaints to answer.
        Never anyone who asked not to be contacted; only customers with marketing consent unless
        `consent_only` is False (answering feedback is service, not marketing: consent is not
        asked there); only customers with `tag` when given."""
        from dataclasses import replace as with_reason

        from .domain import call_reasons
        from .store import call_lists, feedback_query
        from .store.sqlvalues import as_date

        tag = (tag or "").strip() or None
        with reading(self.engine) as session:
            if kind == "items":
                if len(words.strip()) < 2:
                    raise InputError("type at least two letters of the item", "words")
                found = call_lists.bought_items(session, words.strip(), before or day, day, consent_only, tag)
            elif kind == "lapsed":
                found = call_lists.lapsed_one_timers(session, day, self.settings.second_sale_give_up_days,
                                                     consent_only, tag)
            elif kind == "birthdays":
                found = call_lists.birthdays_next_month(session, day, consent_only, tag)
            elif kind == "quiet":
                if not 1 <= days <= 3650:
                    raise InputError("days must be between 1 and 3650", "days")
                found = call_lists.top_not_seen(session, day, days, consent_only, tag)
            elif kind == "referral-ask":
                reasons = {cid: call_reasons.referral_ask_reason(visits, score, on)
                           for cid, visits, score, on in call_lists.referral_asks(session, day, consent_only, tag)}
            elif kind == "keep-in-touch":
                reasons = {cid: call_reasons.keep_in_touch_reason(last, how, day) for cid, last, how in
                           call_lists.keep_in_touch(session, day, self.settings.keep_in_touch_days, consent_only, tag)}
            elif kind == "feedback":
                reasons = {}
                for _fid, cid, _n, _p, _e, on, score, complaint, body in feedback_query.to_answer(session, day, tag):
                    reason = call_reasons.feedback_reason(score, complaint, on, body)
                    reasons[cid] = f"{reasons[cid]}; {reason}" if cid in reasons else reason
            else:
                raise InputError(f"unknown call list {kind!r}", "kind")
            if kind in ("items", "lapsed", "birthdays", "quiet"):
                reasons = {}
                for cid, value in found:
                    value = value if kind == "birthdays" else as_date(value)
                    reasons[cid] = call_reasons.list_reason(kind, value, day, words.strip())
            rows = reads.customer_rows(session, list(reasons), day)
            return [with_reason(row, reason=reasons[row.id]) for row in rows]

    def called_from_list(self, kind: str, ids: list[int], day: date) -> set[int]:
        """Who on a call list was already called from that list on `day` (a rebuilt list shows them done)."""
        from .store import call_lists

        with reading(self.engine) as session:
            return call_lists.called_from_list(session, kind, ids, day)

    def preferred_channel(self, customer_id: int) -> str:
        """How the customer likes to be contacted ("" when not said)."""
        with reading(self.engine) as session:
            customer = session.get(models.Customer, customer_id)
            return customer.preferred_channel if customer is not None else ""

    def duplicates_of(self, customer_id: int, day: date) -> list[DuplicatePair]:
        """Likely duplicates of one customer, from the indexes (instant on a big shop)."""
        with reading(self.engine) as session:
            pairs = merge_store.duplicates_of(session, customer_id, self.settings.phone_region)
            rows = {r.id: r for r in reads.customer_rows(session, [customer_id, *(o for o, _ in pairs)], day)}
        from .domain.records import DuplicatePair

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
            return merge_store.history_counts(session, customer_id)

    # writing --------------------------------------------------------------------------------
    def _require_customer(self, session, customer_id: int, field_name: str = "customer") -> "models.Customer":
        customer = session.get(models.Customer, customer_id)
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
        from .domain.records import CustomerFields

        fields = CustomerFields(name=new.name, phones=new.phones, email=new.email, notes=clean_block(new.notes),
                                marketing_consent=new.marketing_consent)
        customer_id = writes.create_customer(session, fields, self.settings.phone_region, day)
        if new.referred_by_id is not None:
            writes.set_referral(session, customer_id, new.referred_by_id, day, staff_id=self.staff_id)
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
                other = session.execute(select(models.Customer.id).where(models.Customer.external_id == data.external_id)).scalar()
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
            row = session.get(models.FamilyDate, family_date_id)
            if row is None:
                raise InputError(f"there is no family date number {family_date_id}", "label")
            row.label, row.on, row.md = label, when.as_date(), when.md
            session.add(row)

    def remove_family_date(self, family_date_id: int) -> None:
        with writing(self.engine) as session:
            row = session.get(models.FamilyDate, family_date_id)
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
        check_cost(sale.cost_cents, sale.amount_cents)
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
                staff_id=self.staff_id,
                cost_cents=sale.cost_cents,
            )

    def set_sale_cost(self, sale_id: int, cost_cents: int | None) -> SaleView:
        """Say (or, with None, forget) what a sale cost the shop; returns the sale as it now is."""
        with writing(self.engine) as session:
            sale = self._live_sale(session, sale_id)
            check_cost(cost_cents, sale.amount_cents)
            sale.cost_cents = cost_cents
            session.add(sale)
            session.flush()
            return reads.sale_view(session, sale_id)

    # corrections ----------------------------------------------------------------------------
    def _live_sale(self, session, sale_id: int, field_name: str = "sale") -> "models.Sale":
        sale = session.get(models.Sale, sale_id)
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
            corrections.void_sale(session, sale, reason, day, staff_id=self.staff_id)
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
                                  customer_id=new_customer, reason=reason, day=day, staff_id=self.staff_id)
            return reads.sale_view(session, sale_id)

    def add_promise(self, customer_id: int, text: str, due_on: date, day: date) -> int:
        text = self.promise_text(text, due_on, day)
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            return writes.add_promise(session, customer_id, text, day, due_on, staff_id=self.staff_id)

    def add_promise_to_new(self, new: NewCustomer, text: str, due_on: date, day: date) -> tuple[int, int]:
        """A promise to someone not yet on file: the customer and the promise in one transaction.
        Returns (customer id, promise id)."""
        text = self.promise_text(text, due_on, day)
        new = NewCustomer(validate_name(new.name), validate_phones(new.phones), validate_email(new.email),
                          new.referred_by_id, new.notes, new.marketing_consent)
        with writing(self.engine) as session:
            customer_id = self._create_customer(session, new, day)
            return customer_id, writes.add_promise(session, customer_id, text, day, due_on, staff_id=self.staff_id)

    @staticmethod
    def promise_text(text: str, due_on: date, day: date) -> str:
        """The promise's text as stored; InputError when it is empty or due in the past (the form
        asks it too, to show every problem at once)."""
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
            promise = session.get(models.Promise, promise_id)
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
                channel=channel, purpose=purpose, subject_id=subject_id, staff_id=self.staff_id,
            )
            follow_up_id = writes.add_follow_up(session, customer_id, purpose, subject_id, "close", day) if close else None
            return contact_id, follow_up_id

    def lift_do_not_contact(self, customer_id: int, day: date) -> None:
        """The customer agrees to be contacted again: kept as an event after their do-not-contact,
        so lists built for earlier days stay as they were (store/consent.py)."""
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            writes.add_contact(session, customer_id, day, CONTACT_ALLOWED, "do not contact lifted", channel="",
                               staff_id=self.staff_id)

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
            if session.get(models.Sale, sale_id) is None:
                raise InputError("that sale is no longer there; nothing to undo", "sale")
            reversals.delete_sale(session, sale_id, new_customer)

    def undo(self, steps: list[Step] | tuple[Step, ...], day: date | None = None) -> None:
        """Reverse what one action wrote, all in one transaction (a sale through undo_sale)."""
        if len(steps) == 1 and steps[0].kind == "sale":
            self.undo_sale(steps[0].id, steps[0].new_customer, day)
            return
        if len(steps) == 1 and steps[0].kind == "enquiry":
            self.reopen_enquiry(steps[0].id)
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
                select(models.Referral.id).where(models.Referral.referrer_id == customer_id, models.Referral.referee_id == referrer_id)
            ).first()
            if loop is not None:
                raise InputError("that customer was referred by this one; referrals cannot go in a circle", "referred_by")
            writes.set_referral(session, customer_id, referrer_id, day, staff_id=self.staff_id)

    def add_feedback(self, customer_id: int, score: int, text: str, testimonial_ok: bool, day: date,
                     would_recommend: bool | None = None, complaint: bool = False) -> None:
        """Feedback: a 1-5 score; a yes to "would you recommend us?" makes the customer an advocate
        (level 3); 2 stars or less, or a complaint, is to be answered on the checklist."""
        if not 1 <= score <= 5:
            raise InputError("score must be 1 to 5", "score")
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            writes.add_feedback(session, customer_id, day, score, clean_block(text, limit=2000), testimonial_ok,
                                would_recommend, complaint, staff_id=self.staff_id)

    def feedback_by_month(self, day: date) -> list[tuple[str, int, int, int]]:
        """(YYYY-MM, count, sum of scores, "would recommend" yes) of the feedback up to `day`."""
        from .store import feedback_query

        with reading(self.engine) as session:
            return feedback_query.by_month(session, day)

    def testimonials(self, day: date) -> list[tuple]:
        """(feedback id, customer id, name, given on, score, text) customers let us quote, newest first."""
        from .store import feedback_query

        with reading(self.engine) as session:
            return feedback_query.testimonials(session, day)

    # tags -------------------------------------------------------------------------------------
    def add_tags(self, customer_id: int, text: str) -> list[str]:
        """Add tags typed as "wholesale, tea club" (commas or semicolons); returns the customer's tags."""
        from .domain.tags import parse_tags
        from .store import tags as tag_store

        tags = parse_tags(text)
        if not tags:
            raise InputError("type a tag, e.g. wholesale", "tags")
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            tag_store.add_tags(session, customer_id, tags)
            return tag_store.tags_of(session, [customer_id]).get(customer_id, [])

    def change_tags(self, customer_id: int, typed: str) -> list[str]:
        """Tags typed on the card: "wholesale, -tea club" adds wholesale and takes tea club off, in
        one transaction; a tag to take off that the customer does not have is refused (nothing
        changes). Returns the customer's tags."""
        from .domain.tags import parse_tags
        from .store import tags as tag_store

        tags = parse_tags(typed)
        if not tags:
            raise InputError("type a tag, e.g. wholesale (or -wholesale to take it off)", "tags")
        removed = [t[1:].strip() for t in tags if t.startswith("-") and t[1:].strip()]
        added = [t for t in tags if not t.startswith("-")]
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            for tag in removed:
                if not tag_store.remove_tag(session, customer_id, tag):
                    raise InputError(f"there is no tag {tag!r} to take off", "tags")
            tag_store.add_tags(session, customer_id, added)
            return tag_store.tags_of(session, [customer_id]).get(customer_id, [])

    def remove_tag(self, customer_id: int, tag: str) -> list[str]:
        """Take one tag off a customer; returns the tags left."""
        from .store import tags as tag_store

        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            if not tag_store.remove_tag(session, customer_id, tag):
                raise InputError(f"customer {customer_id} has no tag {tag!r}", "tags")
            return tag_store.tags_of(session, [customer_id]).get(customer_id, [])

    def all_tags(self) -> list[str]:
        from .store import tags as tag_store

        with reading(self.engine) as session:
            return tag_store.all_tags(session)

    # enquiries ------------------------------------------------------------------------------
    def add_enquiry(self, what: str, asked_on: date, today: date, *, customer_id: int | None = None, name: str = "",
                    phone: str = "", channel: str = "phone") -> int:
        """Log a question someone asked: an existing customer, or a name (and phone) not on file."""
        from .domain.enquiries import CHANNELS as ENQUIRY_CHANNELS
        from .store import enquiries

        what = clean_line(what, limit=501)
        if not what:
            raise InputError("say what they asked", "what")
        if len(what) > 500:
            raise InputError("what they asked is longer than 500 characters", "what")
        if channel not in ENQUIRY_CHANNELS:
            raise InputError(f"channel must be one of {', '.join(ENQUIRY_CHANNELS)}", "channel")
        if asked_on > today:
            raise InputError(f"date {asked_on.isoformat()} is in the future", "date")
        phone = validate_phones([phone])[0] if phone and phone.strip() else ""
        name = clean_line(name, limit=MAX_NAME + 1)
        if customer_id is None and not name and not phone:
            raise InputError("say who asked: a customer, or a name or phone", "who")
        if name:
            name = validate_name(name)
        with writing(self.engine) as session:
            if customer_id is not None:
                self._require_customer(session, customer_id, "who")
            return enquiries.add(session, customer_id, name, phone, what, channel, asked_on)

    def answer_enquiry(self, enquiry_id: int, day: date, answer: str = "") -> None:
        """The enquiry was answered on `day` (it leaves the checklist from that day)."""
        from .store.models import Enquiry

        answer = clean_line(answer, limit=500)
        with writing(self.engine) as session:
            enquiry = session.get(Enquiry, enquiry_id)
            if enquiry is None:
                raise InputError(f"there is no enquiry number {enquiry_id}", "enquiry")
            if enquiry.answered_on is not None:
                raise InputError(f"enquiry {enquiry_id} was already answered on {enquiry.answered_on.isoformat()}",
                                 "enquiry")
            if day < enquiry.asked_on:
                raise InputError(f"an answer cannot come before the enquiry ({enquiry.asked_on.isoformat()})", "date")
            enquiry.answered_on, enquiry.answer = day, answer
            session.add(enquiry)

    def reopen_enquiry(self, enquiry_id: int) -> None:
        """Take an answer back (undo)."""
        from .store.models import Enquiry

        with writing(self.engine) as session:
            enquiry = session.get(Enquiry, enquiry_id)
            if enquiry is None or enquiry.answered_on is None:
                raise InputError("that enquiry is no longer answered; nothing to undo", "enquiry")
            enquiry.answered_on, enquiry.answer = None, ""
            session.add(enquiry)

    def enquiries(self, day: date, open_only: bool = False):
        """Enquiries asked by `day` as it saw them (an answer after it is not yet given)."""
        from .store import enquiries

        with reading(self.engine) as session:
            return enquiries.views(session, day, open_only)

    def merge(self, keep_id: int, drop_id: int) -> None:
        if keep_id == drop_id:
            raise InputError("pick two different customers to merge", "customer")
        with writing(self.engine) as session:
            self._require_customer(session, keep_id)
            self._require_customer(session, drop_id)
            merge_store.merge_customers(session, keep_id, drop_id)

    def erase_customer(self, customer_id: int, day: date) -> None:
        """Forget a person on request: personal data goes, their sales stay as anonymous totals."""
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            privacy.erase_customer(session, customer_id, day)

    def customer_data(self, customer_id: int) -> dict:
        with reading(self.engine) as session:
            data = privacy.customer_data(session, customer_id)
        if data is None:
            raise InputError(f"there is no customer number {customer_id}", "customer")
        return data

    # staff (issue 12) ---------------------------------------------------------------------------
    def staff(self, include_retired: bool = False) -> list[StaffView]:
        """The people who work here, by initials (retired ones too when asked)."""
        with reading(self.engine) as session:
            return first_reads.staff_list(session, include_retired)

    def staff_by_initials(self, initials: str, include_retired: bool = False) -> StaffView | None:
        wanted = initials.strip().upper()
        return next((s for s in self.staff(include_retired) if s.initials == wanted), None)

    def add_staff(self, name: str, initials: str = "") -> int:
        """Add someone; initials default to those of the name. Returns their id."""
        name = check_staff_name(name)
        initials = check_initials(initials, name)
        with writing(self.engine) as session:
            return staff_store.add_staff(session, name, initials)

    def rename_staff(self, staff_id: int, name: str, initials: str = "") -> None:
        name = check_staff_name(name)
        initials = check_initials(initials, name)
        with writing(self.engine) as session:
            staff_store.rename_staff(session, staff_id, name, initials)

    def retire_staff(self, staff_id: int, day: date) -> StaffView:
        """They no longer work here: not offered at the tills any more; what they did keeps their
        initials. A till they were at becomes nobody's."""
        with writing(self.engine) as session:
            retired = staff_store.retire_staff(session, staff_id, day)
        if self.staff_id == staff_id:
            self.staff_id = None
        return retired

    def set_staff_at_till(self, staff_id: int | None) -> StaffView | None:
        """Who is at this till from now on (None: nobody); refuses a retired or unknown person."""
        if staff_id is None:
            self.staff_id = None
            return None
        found = next((s for s in self.staff() if s.id == staff_id), None)
        if found is None:
            raise InputError(f"there is no working staff member number {staff_id}", "staff")
        self.staff_id = found.id
        return found

    def staff_at_till(self) -> StaffView | None:
        if self.staff_id is None:
            return None
        return next((s for s in self.staff() if s.id == self.staff_id), None)

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
