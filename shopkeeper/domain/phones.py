"""Phone numbers: stored as typed, plus normalised digit forms so any spelling finds the customer."""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass


@dataclass(frozen=True)
class PhoneKeys:
    """The searchable forms of one number: national digits, international digits, reversed digits."""

    national: str
    e164: str
    reversed_digits: str


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def phone_keys(raw: str, region: str) -> PhoneKeys:
    """Normalise with `phonenumbers` in the shop's region; fall back to plain digits if unparseable."""
    import phonenumbers  # imported on first use, not at start-up (benchmarks/)

    digits = digits_of(raw)
    try:
        number = phonenumbers.parse(raw, region or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
        national = digits_of(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    else:
        e164 = national = digits
    return PhoneKeys(national=national, e164=e164, reversed_digits=e164[::-1])


def validate_phone(raw: str) -> str | None:
    """A problem with a typed phone number, or None if it can be stored."""
    digits = digits_of(raw)
    if not digits:
        return f"phone {raw!r} has no digits"
    if len(digits) < 4 or len(digits) > 17:
        return f"phone {raw!r} should have between 4 and 17 digits"
    if re.search(r"[^\d\s+().\-/]", raw):
        return f"phone {raw!r} may only hold digits, spaces, + ( ) . - /"
    return None


def query_keys(text: str, region: str) -> PhoneKeys | None:
    """The forms a lookup text could match, or None if it is not phone-like (too few digits)."""
    digits = digits_of(text)
    if len(digits) < 3 or re.search(r"[A-Za-z@]", text):
        return None
    return phone_keys(text, region) if len(digits) >= 8 else PhoneKeys(digits, digits, digits[::-1])


def distinct_numbers(phones: list[str], region: str, keys_of=None) -> list[tuple[str, PhoneKeys]]:
    """(as typed, keys) for each number once: blanks dropped, the same number written twice kept once."""
    keys_of = keys_of or phone_keys
    seen: set[str] = set()
    out: list[tuple[str, PhoneKeys]] = []
    for raw in phones:
        raw = raw.strip()
        if not raw:
            continue
        keys = keys_of(raw, region)
        if keys.e164 not in seen:
            seen.add(keys.e164)
            out.append((raw, keys))
    return out


def format_phone(raw: str, region: str) -> str:
    """One way to show a number however it was typed: the shop's own country in its national
    format ("07 26 45 25 23"), others international ("+44 20 7946 0958"); as typed if unparseable."""
    return _format_phone(raw or "", (region or "").upper())


@lru_cache(maxsize=2048)  # a screenful of rows many times over; not every phone of a paged-through shop (~17 MB)
def _format_phone(raw: str, region: str) -> str:
    import phonenumbers

    text = raw.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(number):
        return text
    home = region and phonenumbers.region_code_for_number(number) == region
    if not home and region and number.country_code == phonenumbers.country_code_for_region(region):
        home = True  # a possible but unassigned number of the shop's own country
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
