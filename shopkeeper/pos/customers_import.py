"""`import customers --from shopify|square`: a system's customers export laid over the customers
its sales import created (found by the system's customer id, phone, email, then name).

The owner's own typing wins: a name is replaced only when it was a stand-in (the email, or
"Customer <id>"), an email or birthday only filled in when missing, phones only added. The
export's note and tags are added to the notes once. Marketing consent is the system's current
word (a customer who unsubscribed there is unsubscribed here)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timezone
from pathlib import Path

from sqlalchemy import select

from ..csvfiles import read_table
from ..domain.phones import phone_keys, validate_phone
from ..domain.text import fold
from ..imports import ImportRefused
from ..services import Shop
from ..store import bulk
from ..store.models import Customer, CustomerPhone
from ..store.writes import CustomerFields, apply_customer_fields, create_customer
from . import CUSTOMER_COLUMNS, FormatError, detect
from .contacts import PosContact
from .records import Cells


@dataclass
class PosCustomersReport:
    label: str
    rows: int = 0
    customers_added: int = 0
    customers_updated: int = 0
    dry_run: bool = False
    notes: list[str] | None = None

    def __post_init__(self) -> None:
        self.notes = self.notes or []

    def summary(self) -> str:
        verb, update = ("would add", "would update") if self.dry_run else ("added", "updated")
        return (f"{self.label}: {self.rows} rows read, {verb} {self.customers_added} customers, "
                f"{update} {self.customers_updated} customers" + (" (dry run: nothing written)" if self.dry_run else ""))


def import_pos_customers(shop: Shop, path: Path, wanted: str | None, today: date, dry_run: bool = False) -> PosCustomersReport:
    table = read_table(path, {}, CUSTOMER_COLUMNS)
    try:
        fmt = detect(table.header, wanted, kind="customers")
    except FormatError as exc:
        raise ImportRefused([f"{path}: {exc}"]) from None
    errors: list[str] = []
    people = fmt.read(table.rows, Cells(errors, timezone.utc))
    region = shop.settings.phone_region
    for person in people:
        for phone in person.phones:
            if problem := validate_phone(phone):
                errors.append(f"line {person.line}: {problem}")
        if person.email and "@" not in person.email:
            errors.append(f"line {person.line}: email {person.email!r} does not look like name@example.com")
        if not (person.name or person.email or person.phones or person.external_id):
            errors.append(f"line {person.line}: no name, email, phone or customer id")
    if errors:
        raise ImportRefused(errors)
    report = PosCustomersReport(fmt.label, rows=len(table.rows), dry_run=dry_run)
    with shop.writing() as session:
        finder = _Finder(session, region, people)
        for person in people:
            found = finder.find(person)
            if found is None:
                report.customers_added += 1
                name = person.name or person.email or (f"Customer {person.external_id}" if person.external_id
                                                       else person.phones[0])
                fields = CustomerFields(name=name, phones=person.phones, email=person.email or None,
                                        notes=f"{person.system}: {person.notes}" if person.notes else None,
                                        birthday=person.birthday, marketing_consent=person.consent,
                    external_id=person.external_id or None)
                finder.remember(person, create_customer(session, fields, region, today))
            elif _update(session, session.get(Customer, found), person, region):
                report.customers_updated += 1
        if dry_run:
            session.rollback()
    return report


class _Finder:
    def __init__(self, session, region: str, people: list[PosContact]) -> None:
        self.session, self.region = session, region
        self.e164 = {p: phone_keys(p, region).e164 for person in people for p in person.phones}
        known = bulk.KnownCustomers(session, {p.external_id for p in people if p.external_id}, set(self.e164.values()),
                                    {fold(p.email) for p in people if p.email}, {fold(p.name) for p in people if p.name})
        self.by_external, self.by_phone, self.by_email, self.by_name = (
            known.by_external, known.by_phone, known.by_email, known.by_name)

    def find(self, person: PosContact) -> int | None:
        """imports._Matcher's order (external id, phone, email, name) with two differences of a
        customers export: each of the row's phones is tried, and the name is used only when the row
        has no id, phone or email (two people of the same name with other details stay two)."""
        if person.external_id and (found := self.by_external.get(person.external_id)) is not None:
            return found
        for phone in person.phones:
            if (found := self.by_phone.get(self.e164[phone])) is not None:
                return found
        if person.email and (found := self.by_email.get(fold(person.email))) is not None:
            return found
        if person.name and not (person.external_id or person.phones or person.email):
            return self.by_name.get(fold(person.name))
        return None

    def remember(self, person: PosContact, customer_id: int) -> None:
        """A customer created by this import is found by the later rows that name it too."""
        if person.external_id:
            self.by_external.setdefault(person.external_id, customer_id)
        for phone in person.phones:
            self.by_phone.setdefault(self.e164[phone], customer_id)
        if person.email:
            self.by_email.setdefault(fold(person.email), customer_id)


def _update(session, customer: Customer, person: PosContact, region: str) -> bool:
    """Lay the export's row over a found customer (see the module's rules); True if anything changed."""
    fields = CustomerFields()
    stand_ins = {fold(customer.email or ""), fold(f"Customer {customer.external_id}"), "customer"}
    if person.name and fold(customer.name) in stand_ins and fold(person.name) != fold(customer.name):
        fields.name = person.name
    if person.email and not customer.email:
        fields.email = person.email
    if person.birthday and not customer.birthday:
        fields.birthday = person.birthday
    if person.consent is not None and person.consent != customer.marketing_consent:
        fields.marketing_consent = person.consent
    if person.notes and person.notes not in (customer.notes or ""):
        fields.notes = f"{customer.notes}\n{person.system}: {person.notes}".strip()
    if person.external_id and not customer.external_id and session.execute(
            select(Customer.id).where(Customer.external_id == person.external_id)).first() is None:
        fields.external_id = person.external_id
    held = list(session.execute(select(CustomerPhone.raw).where(CustomerPhone.customer_id == customer.id)
                                .order_by(CustomerPhone.id)).scalars())
    held_keys = {phone_keys(p, region).e164 for p in held}
    extra = [p for p in person.phones if phone_keys(p, region).e164 not in held_keys]
    if extra:
        fields.phones = held + extra
    if fields == CustomerFields():
        return False
    apply_customer_fields(session, customer, fields, region)
    return True
