"""Use cases shared by the CLI and the app. Each write is one transaction; "today" is passed in."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .domain.amounts import RECENT_SALES, large_sale_cents
from .domain.checklist import Checklist
from .domain.errors import InputError
from .domain.phones import validate_phone
from .domain.records import CustomerCard, CustomerRow, DuplicatePair, PromiseView
from .domain.settings import SettingError, ShopSettings, coerce, validate_window
from .domain.text import clean_block, clean_line
from .store import reads, writes
from .store.backup import backup_file
from .store.checklist_query import build_checklist
from .store.db import open_database, reading, writing
from .store.lookup import lookup_ids, same_customer_ids
from .store import merge as merge_store
from .store.merge import duplicate_pairs, history_counts, merge_customers
from .store import reversals
from .store.models import Customer, Promise, Referral, Sale
from .store.privacy import customer_data, erase_customer
from .store.writes import CustomerFields, LineInput
from .undo import Step

OUTCOMES = ("reached", "no_answer", "left_message", "bought", "declined", "do_not_contact")
CHANNELS = ("", "phone", "sms", "email", "visit")
PROMISE_ACTIONS = {"kept": "kept", "missed": "missed", "cancelled": "cancelled"}
MAX_NAME = 120


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


class Shop:
    """The shop's database and the things one can do with it."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self._settings: ShopSettings | None = None

    @classmethod
    def open(cls, path: Path | str) -> "Shop":
        return cls(open_database(path), Path(path))

    def close(self) -> None:
        self.engine.dispose()

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
        checked: dict[str, str] = {}
        for key, value in values.items():
            try:
                checked[key] = str(coerce(key, value))
            except SettingError as exc:
                raise InputError(str(exc), key) from None
        merged = ShopSettings.from_strings({**current, **checked})
        try:
            validate_window(merged)
        except SettingError as exc:
            raise InputError(str(exc), "second_sale_give_up_days") from None
        with writing(self.engine) as session:
            writes.save_settings(session, checked)
        self._settings = merged
        return merged

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

    def open_promises(self) -> list[PromiseView]:
        with reading(self.engine) as session:
            return reads.open_promises(session)

    def promise(self, promise_id: int) -> PromiseView | None:
        with reading(self.engine) as session:
            return reads.promise_view(session, promise_id)

    def call_list(self, kind: str, day: date, words: str = "", before: date | None = None, days: int = 90) -> list[CustomerRow]:
        """Customers for a call list: "items" bought before a day, "lapsed" one-timers,
        "birthdays" next month, "quiet" top 20% not seen in `days` days."""
        from .store import call_lists

        with reading(self.engine) as session:
            if kind == "items":
                if len(words.strip()) < 2:
                    raise InputError("type at least two letters of the item", "words")
                ids = call_lists.bought_items(session, words.strip(), before or day)
            elif kind == "lapsed":
                ids = call_lists.lapsed_one_timers(session, day, self.settings.second_sale_give_up_days)
            elif kind == "birthdays":
                ids = call_lists.birthdays_next_month(session, day)
            elif kind == "quiet":
                if not 1 <= days <= 3650:
                    raise InputError("days must be between 1 and 3650", "days")
                ids = call_lists.top_not_seen(session, day, days)
            else:
                raise InputError(f"unknown call list {kind!r}", "kind")
            return reads.customer_rows(session, ids, day)

    def duplicates(self, day: date) -> list[DuplicatePair]:
        with reading(self.engine) as session:
            pairs = duplicate_pairs(session)
            rows = {r.id: r for r in reads.customer_rows(session, sorted({i for a, b, _ in pairs for i in (a, b)}), day)}
        return [DuplicatePair(rows[a], rows[b], reason) for a, b, reason in pairs if a in rows and b in rows]

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

    def add_family_date(self, customer_id: int, label: str, on: date) -> None:
        label = clean_line(label, limit=60)
        if not label:
            raise InputError("label is empty (e.g. daughter's birthday)", "label")
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            writes.add_family_date(session, customer_id, label, on)

    def log_sale(self, sale: SaleInput) -> int:
        """Record a sale (creating the new customer inline if given); returns the sale id."""
        if sale.amount_cents == 0:
            raise InputError("amount is zero", "amount")
        if sale.item_count < 0 or sale.item_count > 100_000:
            raise InputError("item count must be between 0 and 100000", "items")
        new = sale.new_customer
        if new is not None:
            new = NewCustomer(validate_name(new.name), validate_phones(new.phones), validate_email(new.email), new.referred_by_id)
        with writing(self.engine) as session:
            customer_id = sale.customer_id
            if customer_id is not None:
                self._require_customer(session, customer_id)
            elif new is not None:
                customer_id = self._create_customer(session, new, sale.sold_on)
            return writes.insert_sale(
                session,
                customer_id,
                sale.sold_on,
                sale.amount_cents,
                item_count=sale.item_count,
                on_sale=sale.on_sale,
                note=clean_line(sale.note, limit=500),
                lines=sale.lines,
            )

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

    def log_contact(
        self,
        customer_id: int,
        outcome: str,
        day: date,
        note: str = "",
        *,
        channel: str = "phone",
        purpose: str = "general",
        subject_id: int | None = None,
    ) -> int:
        if outcome not in OUTCOMES:
            raise InputError(f"outcome must be one of {', '.join(OUTCOMES)}", "outcome")
        with writing(self.engine) as session:
            self._require_customer(session, customer_id)
            return writes.add_contact(
                session, customer_id, day, outcome, clean_block(note, limit=2000),
                channel=channel, purpose=purpose, subject_id=subject_id,
            )

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
        """Take back a sale just logged: deleted with its lines, the kept figures recomputed, and
        the customer created with it deleted too if nothing else of theirs was recorded since.
        The one place to switch to voiding the sale once sales can be voided:
        `self.void_sale(sale_id, "undone", day)` (`day` is passed for it)."""
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
        if self.path is None:
            raise InputError("this shop has no file to back up")
        return backup_file(self.path, dest)


def default_snooze(day: date, settings: ShopSettings) -> date:
    return day + timedelta(days=settings.snooze_days)
