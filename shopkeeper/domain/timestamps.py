"""Dates with times and zones as tills and online shops export them, and the shop's local day.

An export says when something happened in its own way: "2025-10-07 09:50:26 +0200" (Shopify),
"2025-10-07T07:50:26Z", "10/07/2025 9:50 AM", or separate Date / Time / Time Zone columns (Square,
whose zone is a name such as "Pacific Time (US & Canada)"). A sale belongs to the day it was in the
shop's own time zone: an order at 23:30 −07:00 is the next morning in Paris. Pure: the machine's
zone is looked up only by `machine_zone_name`, at the edges.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .dates import DateError, detect_date_order, order_of_counted

# Names Square (and other Rails-based systems) write in a "Time Zone" column, as IANA zones.
RAILS_ZONES = {
    "international date line west": "Etc/GMT+12", "midway island": "Pacific/Midway",
    "american samoa": "Pacific/Pago_Pago", "hawaii": "Pacific/Honolulu", "alaska": "America/Juneau",
    "pacific time (us & canada)": "America/Los_Angeles", "tijuana": "America/Tijuana",
    "mountain time (us & canada)": "America/Denver", "arizona": "America/Phoenix",
    "chihuahua": "America/Chihuahua", "mazatlan": "America/Mazatlan",
    "central time (us & canada)": "America/Chicago", "saskatchewan": "America/Regina",
    "guadalajara": "America/Mexico_City", "mexico city": "America/Mexico_City", "monterrey": "America/Monterrey",
    "central america": "America/Guatemala", "eastern time (us & canada)": "America/New_York",
    "indiana (east)": "America/Indiana/Indianapolis", "bogota": "America/Bogota", "lima": "America/Lima",
    "quito": "America/Lima", "atlantic time (canada)": "America/Halifax", "caracas": "America/Caracas",
    "la paz": "America/La_Paz", "santiago": "America/Santiago", "newfoundland": "America/St_Johns",
    "brasilia": "America/Sao_Paulo", "buenos aires": "America/Argentina/Buenos_Aires",
    "montevideo": "America/Montevideo", "greenland": "America/Godthab", "mid-atlantic": "Atlantic/South_Georgia",
    "azores": "Atlantic/Azores", "cape verde is.": "Atlantic/Cape_Verde", "dublin": "Europe/Dublin",
    "edinburgh": "Europe/London", "lisbon": "Europe/Lisbon", "london": "Europe/London",
    "casablanca": "Africa/Casablanca", "monrovia": "Africa/Monrovia", "utc": "Etc/UTC",
    "belgrade": "Europe/Belgrade", "bratislava": "Europe/Bratislava", "budapest": "Europe/Budapest",
    "ljubljana": "Europe/Ljubljana", "prague": "Europe/Prague", "sarajevo": "Europe/Sarajevo",
    "skopje": "Europe/Skopje", "warsaw": "Europe/Warsaw", "zagreb": "Europe/Zagreb",
    "brussels": "Europe/Brussels", "copenhagen": "Europe/Copenhagen", "madrid": "Europe/Madrid",
    "paris": "Europe/Paris", "amsterdam": "Europe/Amsterdam", "berlin": "Europe/Berlin",
    "bern": "Europe/Zurich", "zurich": "Europe/Zurich", "rome": "Europe/Rome", "stockholm": "Europe/Stockholm",
    "vienna": "Europe/Vienna", "west central africa": "Africa/Algiers", "bucharest": "Europe/Bucharest",
    "cairo": "Africa/Cairo", "helsinki": "Europe/Helsinki", "kyiv": "Europe/Kiev", "riga": "Europe/Riga",
    "sofia": "Europe/Sofia", "tallinn": "Europe/Tallinn", "vilnius": "Europe/Vilnius", "athens": "Europe/Athens",
    "istanbul": "Europe/Istanbul", "minsk": "Europe/Minsk", "jerusalem": "Asia/Jerusalem",
    "harare": "Africa/Harare", "pretoria": "Africa/Johannesburg", "moscow": "Europe/Moscow",
    "kuwait": "Asia/Kuwait", "riyadh": "Asia/Riyadh", "nairobi": "Africa/Nairobi", "baghdad": "Asia/Baghdad",
    "tehran": "Asia/Tehran", "abu dhabi": "Asia/Muscat", "muscat": "Asia/Muscat", "baku": "Asia/Baku",
    "tbilisi": "Asia/Tbilisi", "yerevan": "Asia/Yerevan", "kabul": "Asia/Kabul", "karachi": "Asia/Karachi",
    "tashkent": "Asia/Tashkent", "chennai": "Asia/Kolkata", "kolkata": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata", "kathmandu": "Asia/Kathmandu", "dhaka": "Asia/Dhaka", "almaty": "Asia/Almaty",
    "rangoon": "Asia/Rangoon", "bangkok": "Asia/Bangkok", "hanoi": "Asia/Bangkok", "jakarta": "Asia/Jakarta",
    "beijing": "Asia/Shanghai", "chongqing": "Asia/Chongqing", "hong kong": "Asia/Hong_Kong",
    "kuala lumpur": "Asia/Kuala_Lumpur", "singapore": "Asia/Singapore", "taipei": "Asia/Taipei",
    "perth": "Australia/Perth", "osaka": "Asia/Tokyo", "sapporo": "Asia/Tokyo", "tokyo": "Asia/Tokyo",
    "seoul": "Asia/Seoul", "adelaide": "Australia/Adelaide", "darwin": "Australia/Darwin",
    "brisbane": "Australia/Brisbane", "canberra": "Australia/Melbourne", "melbourne": "Australia/Melbourne",
    "sydney": "Australia/Sydney", "hobart": "Australia/Hobart", "guam": "Pacific/Guam",
    "vladivostok": "Asia/Vladivostok", "auckland": "Pacific/Auckland", "wellington": "Pacific/Auckland",
    "fiji": "Pacific/Fiji",
}
# Abbreviations written after a time ("9:50 AM PDT"): fixed offsets, as the text says.
ABBREVIATIONS = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 60, "ist": 60, "west": 60, "cet": 60, "cest": 120, "eet": 120,
    "eest": 180, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480,
    "pdt": -420, "akst": -540, "akdt": -480, "hst": -600, "aest": 600, "aedt": 660, "jst": 540,
}

_DATE = r"(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2}))"
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?\s*(?P<half>[AaPp]\.?[Mm]\.?)?"
_OFFSET = r"(?P<offset>[Zz]|[+\-−]\d{2}(?::?\d{2})?)"
_STAMP = re.compile(rf"{_DATE}(?:(?:[Tt]|\s+|,\s*)(?:{_TIME}))?\s*{_OFFSET}?\s*(?P<zone>[A-Za-z][\w/+\-() &.]*)?")


def _offset(text: str) -> timezone:
    """"Z", "+02", "+0200", "+02:00", "−07:00" as a fixed offset."""
    if text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] in "-−" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        raise DateError(f"time zone offset {text!r} is not like +02:00")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_zone(text: str) -> tzinfo:
    """A zone as exports write it: an IANA name ("Europe/Paris"), a Rails name ("Pacific Time
    (US & Canada)"), an offset ("+02:00", "UTC+2", "GMT-07:00") or a common abbreviation ("PDT")."""
    raw = " ".join((text or "").split())
    if not raw:
        raise DateError("time zone is empty")
    lower = raw.lower()
    if lower in RAILS_ZONES:
        return ZoneInfo(RAILS_ZONES[lower])
    wrapped = re.fullmatch(r"\((?:utc|gmt)([+\-−]\d{1,2}(?::?\d{2})?)?\)\s*(.*)", lower)
    if wrapped and wrapped.group(2) in RAILS_ZONES:  # "(GMT-08:00) Pacific Time (US & Canada)"
        return ZoneInfo(RAILS_ZONES[wrapped.group(2)])
    if lower in ABBREVIATIONS:
        minutes = ABBREVIATIONS[lower]
        return timezone.utc if minutes == 0 else timezone(timedelta(minutes=minutes))
    match = re.fullmatch(r"(?:utc|gmt)?\s*([+\-−])(\d{1,2})(?::?(\d{2}))?", lower)
    if match:
        return _offset(f"{match.group(1)}{int(match.group(2)):02d}{match.group(3) or '00'}")
    if "/" in raw or raw in ("UTC", "GMT"):
        try:
            return ZoneInfo(raw)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise DateError(f"time zone {raw!r} is not a zone name like Europe/Paris or an offset like +02:00")


def valid_zone_name(name: str) -> str:
    """An IANA zone name for the shop's setting ("" means the machine's); raises DateError."""
    name = (name or "").strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError(f"time zone {name!r} is not a zone name like Europe/Paris or America/New_York") from None
    return name


def machine_zone_name(environ: dict | None = None, localtime: Path = Path("/etc/localtime"),
                      timezone_file: Path = Path("/etc/timezone")) -> str:
    """The machine's IANA zone without tzlocal: $TZ, the /etc/localtime link, /etc/timezone; else UTC."""
    env = os.environ if environ is None else environ
    candidates = [env.get("TZ", "").lstrip(":")]
    try:
        target = str(localtime.resolve()) if localtime.is_symlink() else ""
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        candidates.append(timezone_file.read_text().strip())
    except OSError:
        pass
    for name in candidates:
        try:
            if name and valid_zone_name(name):
                return name
        except DateError:
            continue
    return "UTC"


def shop_zone(setting: str) -> ZoneInfo:
    """The zone a sale's day is counted in: the shop's setting, else the machine's."""
    return ZoneInfo(valid_zone_name(setting) or machine_zone_name())


@dataclass(frozen=True)
class Stamp:
    """When a sale happened: its day in the shop's zone, and the instant in UTC when a time was given."""

    day: date
    at: datetime | None = None  # aware, UTC

    @property
    def utc_text(self) -> str | None:
        """The instant as stored: "2025-10-07T07:50:26Z"."""
        return self.at.strftime("%Y-%m-%dT%H:%M:%SZ") if self.at else None


def leading_date(text: str) -> str:
    """The date part of a stamp ("10/07/2025 9:50 AM" -> "10/07/2025"), to tell its order."""
    return re.split(r"[\sT,]", (text or "").strip(), maxsplit=1)[0]


def detect_stamp_order(values: list[str]) -> str:
    """"iso", "dmy" or "mdy" for a column of stamps, decided from their dates (see detect_date_order)."""
    dates: Counter = Counter()
    for value, times in Counter(values).items():
        dates[leading_date(value)] += times
    return order_of_counted(dates)


def _date(text: str, order: str) -> date:
    tokens = re.split(r"[/.\-]", text)
    parts = [int(p) for p in tokens]
    if len(tokens[0]) == 4:
        year, month, day = parts
    else:
        a, b, year = parts
        year += 2000 if year < 100 else 0
        if order == "iso":
            raise DateError(f"date {text!r} could be day/month or month/day; say which with --date-format dmy or mdy")
        day, month = (a, b) if order == "dmy" else (b, a)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"date {text!r} does not exist") from None


def read_stamp(text: str, shop: tzinfo, *, time_text: str = "", zone_text: str = "", order: str = "iso") -> Stamp:
    """Read a date with an optional time and zone, in one cell or split over Date / Time / Time Zone.

    The zone is the one written after the time, else `zone_text`, else the shop's own (a till
    writes local times). The day is the day it was in the shop's zone. A date without a time is
    taken as written: there is nothing to shift."""
    raw = " ".join(((text or "").strip() + " " + (time_text or "").strip()).split())
    if not raw:
        raise DateError("date is empty")
    match = _STAMP.fullmatch(raw)
    if not match:
        raise DateError(f"date {raw!r} is not like 2025-03-14 or 2025-03-14 09:50 +02:00")
    day = _date(match.group("date"), order)
    if match.group("hour") is None:
        if match.group("offset") or match.group("zone"):
            raise DateError(f"date {raw!r} has a time zone but no time")
        return Stamp(day)
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    second = int(match.group("second") or 0)
    micro = int(((match.group("fraction") or "") + "000000")[:6])
    half = (match.group("half") or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise DateError(f"time in {raw!r} is not a 12-hour time like 9:50 AM")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"time in {raw!r} does not exist")
    if match.group("offset"):
        if match.group("zone"):
            raise DateError(f"date {raw!r} gives two time zones")
        zone = _offset(match.group("offset"))
    elif match.group("zone"):
        zone = parse_zone(match.group("zone"))
    elif (zone_text or "").strip():
        zone = parse_zone(zone_text)
    else:
        zone = shop
    local = datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=zone)
    at = local.astimezone(timezone.utc)
    return Stamp(at.astimezone(shop).date(), at)


def stamp_day(text: str, shop: tzinfo, order: str = "iso") -> date | None:
    """For the generic import's date column: the shop's day of a date written with a time and a
    zone, an offset or AM/PM ("2025-10-07 09:50:26 +0200"), or None when `text` has no time (then
    the plain date reader's own message stands). Raises DateError for a stamp that is wrong."""
    if not re.search(r"\d:\d\d", text or ""):
        return None
    return read_stamp(text, shop, order=order).day
