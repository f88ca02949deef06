"""Who the customers of an export are: one person per customer across the whole file, then
found among the shop's customers or created, with the generic import's rules (the system's
customer id, then phone, then email, then the name; the lowest id wins), a few set-based
queries for the whole file rather than several per order."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlmodel import Session

from ..domain.phones import phone_keys, validate_phone
from ..domain.text import fold as _fold_uncached
from ..store import bulk
from .records import Named, PosSale

fold = lru_cache(maxsize=1 << 17)(_fold_uncached)  # a customer's email and name come back on each order


@dataclass
class Person(Named):
    phone_raw: str = ""
    e164: str = ""  # international digits, the matching key
    consent: bool | None = None  # the newest order's word


def people_of(sales: list[PosSale], region: str, errors: list[str]) -> dict[int, Person | None]:
    """{id(sale): its Person}: orders sharing an email, a phone or the system's customer id are one
    person, and what one order leaves out (a name, a phone) another fills in."""
    by_key: dict[tuple[str, str], Person] = {}
    numbers: dict[str, tuple[str | None, str]] = {}
    out: dict[int, Person | None] = {}
    for sale in sorted(sales, key=lambda s: (s.stamp.day, s.line)):
        given = sale.customer
        if given is None:
            out[id(sale)] = None
            continue
        e164 = ""
        if given.phone:
            if given.phone not in numbers:
                problem = validate_phone(given.phone)
                numbers[given.phone] = (problem, "" if problem else phone_keys(given.phone, region).e164)
            problem, e164 = numbers[given.phone]
            if problem:
                errors.append(f"line {sale.line}: {problem}")
        if given.email and "@" not in given.email:
            errors.append(f"line {sale.line}: email {given.email!r} does not look like name@example.com")
        keys = [k for k in (("ext", given.external_id), ("phone", e164), ("email", fold(given.email))) if k[1]]
        if not keys and given.name:  # a name alone (Square's Customer Name) still groups its sales
            keys = [("name", fold(given.name))]
        person = next((by_key[k] for k in keys if k in by_key), None)
        if person is None:
            person = Person(given.external_id, given.name, given.email, given.phone if e164 else "", e164)
        else:
            person.external_id = person.external_id or given.external_id
            person.name = person.name or given.name
            person.email = person.email or given.email
            if e164 and not person.e164:
                person.phone_raw, person.e164 = given.phone, e164
        if given.consent is not None:
            person.consent = given.consent  # sales come oldest first: the newest order's word stays
        for key in keys:
            by_key.setdefault(key, person)
        out[id(sale)] = person
    return out


class Resolver:
    """The shop's customer id of each Person, creating (with plain inserts) those not found."""

    def __init__(self, session: Session, region: str, people: list[Person]) -> None:
        self.new = bulk.NewCustomers(session, region)
        self.ids: dict[int, int] = {}
        self.known = bulk.KnownCustomers(session, {p.external_id for p in people if p.external_id},
                                         {p.e164 for p in people if p.e164}, {fold(p.email) for p in people if p.email},
                                         {fold(p.name) for p in people if p.name and not p.external_id})

    def find(self, p: Person) -> int | None:
        """The order of imports._Matcher (external id, phone, email, name), without its "name as an
        external id" step: a POS export gives the customer's id in its own column, never as the name."""
        k = self.known
        for found in (k.by_external.get(p.external_id) if p.external_id else None,
                      k.by_phone.get(p.e164) if p.e164 else None,
                      k.by_email.get(fold(p.email)) if p.email else None,
                      k.by_name.get(fold(p.name)) if p.name and not p.external_id else None):
            if found is not None:
                return found
        return None

    def resolve(self, p: Person, day: date) -> int:
        """The id of `p` (the first call decides; `day` is a new customer's first sale day)."""
        if id(p) in self.ids:
            return self.ids[id(p)]
        found = self.find(p)
        if found is None:
            name = p.name or p.email or (f"Customer {p.external_id}" if p.external_id else p.phone_raw or "Customer")
            found, _ = self.new.add(name, [p.phone_raw] if p.e164 else [], p.email, p.external_id or None, day)
        self.ids[id(p)] = found
        return found

    def created(self, customer_id: int) -> bool:
        return customer_id in self.new.made
