"""Dates typed by people: strict ISO for files, parse_user_date for every form. "today" is passed in."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta


class DateError(ValueError):
    """Text that is not a date we can read without guessing."""


def parse_iso_date(text: str) -> date:
    """Read "2025-03-14", "2025-03-14 10:22[:05]", "2025-03-14T10:22" or "20250314"."""
    raw = (text or "").strip()
    if not raw:
        raise DateError("date is empty")
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", raw)
    if not match:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw)
    if not match:
        raise DateError(f"date {raw!r} is not like 2025-03-14")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"date {raw!r} does not exist") from None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def month_day(day: date) -> int:
    """The yearly anniversary key: month*100 + day (29 Feb is 229; next_month_day puts it on 28 Feb
    in common years)."""
    return day.month * 100 + day.day


def next_anniversary(born: date, today: date) -> date:
    """The next day on or after `today` that falls on `born`'s month and day."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, born.month, born.day)
        except ValueError:  # Feb 29 in a common year
            candidate = date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")


_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
DATE_ORDERS = ("iso", "dmy", "mdy")


def detect_date_order(values: list[str]) -> str:
    """Which way a file writes its dates: "iso", "dmy" (31/12/2025) or "mdy" (12/31/2025).

    Decided from the whole column, never guessed row by row: a day above 12 settles it.
    Raises DateError when the column mixes both or cannot tell them apart.
    """
    return order_of_counted(Counter(values))


def order_of_counted(counts: Counter) -> str:
    """`detect_date_order` of a column given as {value: how many rows hold it}: a till's file
    repeats each day on hundreds of rows, and each value is looked at once."""
    first_big = second_big = False
    numeric = filled = 0
    for value, times in counts.items():
        text = value.strip()
        if text:
            filled += times
        match = _NUMERIC.fullmatch(text)
        if not match:
            continue
        numeric += times
        first_big |= int(match.group(1)) > 12
        second_big |= int(match.group(2)) > 12
    if numeric * 2 <= filled:
        return "iso"  # mostly ISO: the odd 14/03/2025 is reported on its own line
    if first_big and second_big:
        raise DateError("the dates mix day/month and month/day orders")
    if first_big:
        return "dmy"
    if second_big:
        return "mdy"
    raise DateError("dates like 01/02/2025 could be day/month or month/day; say which with --date-format dmy or mdy")


def parse_date_in_order(text: str, order: str, today: date) -> date:
    """Read a file's date in the order `detect_date_order` found (ISO is always accepted too).
    A two-digit year is the most recent year up to today's ending in those digits (99 -> 1999)."""
    raw = (text or "").strip()
    match = _NUMERIC.fullmatch(raw) if order != "iso" else None
    if match is None:
        return parse_iso_date(raw)
    a, b, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if len(match.group(3)) == 2:
        year = recent_year(year, today)
    day, month = (a, b) if order == "dmy" else (b, a)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"date {raw!r} does not exist") from None


def recent_year(two_digits: int, today: date) -> int:
    """The most recent year, up to today's, that ends in `two_digits` (in 2026: 26 -> 2026, 27 -> 1927)."""
    year = today.year - today.year % 100 + two_digits
    return year if year <= today.year else year - 100
# --- dates as people type them in forms: one parser for every date field ------------------------
# Kept apart from the file-date functions above (imports own those).

USER_ORDERS = ("dmy", "mdy")  # how 04/12 reads: day first (most of the world) or month first (US)
DIRECTIONS = ("future", "past", "any")
MONTH_FIRST_TERRITORIES = frozenset({"US", "PH", "FM", "MH", "PW", "GU", "AS", "MP", "PR", "VI", "UM"})
_MONTH_WORDS = {
    1: ("jan", "january", "janv", "janvier"), 2: ("feb", "february", "fev", "fevr", "fevrier"),
    3: ("mar", "march", "mars"), 4: ("apr", "april", "avr", "avril"), 5: ("may", "mai"),
    6: ("jun", "june", "juin"), 7: ("jul", "july", "juil", "juillet"), 8: ("aug", "august", "aou", "aout"),
    9: ("sep", "sept", "september", "septembre"), 10: ("oct", "october", "octobre"),
    11: ("nov", "november", "novembre"), 12: ("dec", "december", "decembre"),
}
MONTHS = {word: month for month, words in _MONTH_WORDS.items() for word in words}
_WEEKDAY_WORDS = [
    ("mon", "monday", "lun", "lundi"), ("tue", "tues", "tuesday", "mar", "mardi"),
    ("wed", "wednesday", "mer", "mercredi"), ("thu", "thur", "thurs", "thursday", "jeu", "jeudi"),
    ("fri", "friday", "ven", "vendredi"), ("sat", "saturday", "sam", "samedi"),
    ("sun", "sunday", "dim", "dimanche"),
]
WEEKDAY_NAMES = {word: index for index, words in enumerate(_WEEKDAY_WORDS) for word in words}
_UNITS = {"d": "d", "day": "d", "days": "d", "j": "d", "jour": "d", "jours": "d",
          "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w", "sem": "w", "semaine": "w", "semaines": "w",
          "m": "m", "mo": "m", "month": "m", "months": "m", "mois": "m",
          "y": "y", "yr": "y", "year": "y", "years": "y", "an": "y", "ans": "y"}
_WORDS = {"today": 0, "tdy": 0, "now": 0, "aujourd'hui": 0, "auj": 0,
          "tomorrow": 1, "tmr": 1, "tmrw": 1, "demain": 1, "yesterday": -1, "hier": -1}
_RELATIVE = re.compile(r"(in |dans |il y a )?([+-])?\s*(\d{1,4})\s*([a-z]*)( ago)?")
_NUMERIC_DM = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?\.?")
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er|e)\b")


def order_for_locale(locale_name: str) -> str:
    """Day-first unless the locale's territory writes month first ("en_US.UTF-8" → "mdy")."""
    territory = re.split(r"[._@]", (locale_name or "").replace("-", "_") + "__")[1].upper()
    return "mdy" if territory in MONTH_FIRST_TERRITORIES else "dmy"


def resolve_order(setting: str, locale_name: str = "") -> str:
    """The date order a form uses: the shop's setting, or the locale's when set to "auto"."""
    return setting if setting in USER_ORDERS else order_for_locale(locale_name)


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().lower().replace("’", "'"))
    return re.sub(r"\s+", " ", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _year(two_or_four: str, today: date, direction: str) -> int:
    year = int(two_or_four)
    if len(two_or_four) <= 2:
        year += 2000
        if year > today.year + 50 or (direction == "past" and year > today.year):
            year -= 100
    return year


def _month_day(text: str, order: str) -> tuple[int, int, str | None] | None:
    """(month, day, year text or None) of "4 dec", "dec 4", "4 December 2026", "04/12", "4.12."."""
    match = _NUMERIC_DM.fullmatch(text)
    if match:
        a, b, year = int(match.group(1)), int(match.group(2)), match.group(3)
        day, month = (a, b) if order == "dmy" else (b, a)
        return month, day, year
    words = _ORDINAL.sub(r"\1", text.replace(",", " ").replace(".", " ")).split()
    if len(words) not in (2, 3):
        return None
    year = words.pop() if len(words) == 3 else None
    if year is not None and not re.fullmatch(r"\d{2}|\d{4}", year):
        return None
    first, second = words
    if first.isdigit() and second in MONTHS:
        return MONTHS[second], int(first), year
    if second.isdigit() and first in MONTHS:
        return MONTHS[first], int(second), year
    return None


def _add(today: date, amount: int, unit: str) -> date:
    if unit == "m":
        return add_months(today, amount)
    if unit == "y":
        return add_months(today, 12 * amount)
    return today + timedelta(days=amount * (7 if unit == "w" else 1))


def _weekday(word: str, today: date, direction: str) -> date | None:
    step = -1 if direction == "past" else 1
    for prefix, forced in (("next ", 1), ("last ", -1), ("prochain ", 1), ("dernier ", -1), ("", 0)):
        if word.startswith(prefix) and word[len(prefix):].rstrip(".") in WEEKDAY_NAMES:
            target = WEEKDAY_NAMES[word[len(prefix):].rstrip(".")]
            step = forced or step
            ahead = (target - today.weekday()) % 7 or 7  # "fri" on a Friday means the next Friday
            return today + timedelta(days=ahead if step > 0 else ahead - 7 if ahead != 7 else -7)
    return None


def date_examples(order: str) -> str:
    """What a date field accepts, in the shop's date order (for hints and error messages)."""
    return f"4 dec, {'04/12' if order == 'dmy' else '12/04'}, in 3 days, 3d, fri, next week"


def parse_user_date(text: str, today: date, order: str = "dmy", direction: str = "any") -> date:
    """A date typed into a form, read the same way in every form.

    Accepts ISO (2026-12-04), "4 dec", "4 December", "dec 4", "04/12", "04/12/2026", "4.12."
    (day or month first by `order`), "in 3 days", "3d", "+2w", "-3m", "3 days ago", "today",
    "tomorrow", "yesterday", "next week" (next Monday), "next month", weekday names ("fri",
    "friday", "ven", "vendredi": the next one, or the last one when `direction` is "past").
    A day and month without a year is put in the year that suits the field: the next such day
    for "future" fields (due dates), the last one for "past" fields (sale dates), this year's
    otherwise. Unsigned amounts ("3d") count forward, or back for "past" fields.
    Raises DateError with a one-line reason.
    """
    raw = (text or "").strip()
    word = _fold(raw)
    if not word:
        raise DateError("date is empty")
    if word in _WORDS:
        return today + timedelta(days=_WORDS[word])
    if word in ("next week", "semaine prochaine"):
        return today + timedelta(days=7 - today.weekday())  # next Monday
    if word in ("next month", "mois prochain"):
        return add_months(today, 1)
    found = _weekday(word, today, direction)
    if found is not None:
        return found
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{8}|\d{4}-\d{2}-\d{2}[ t].*", word):
        return _iso_or_error(raw)
    match = _RELATIVE.fullmatch(word)
    if match and (match.group(4) in _UNITS or (match.group(4) == "" and (match.group(1) or match.group(2)))):
        before, sign, amount, unit, ago = match.groups()
        back = sign == "-" or ago is not None or before == "il y a " or (
            sign is None and before is None and direction == "past")
        return _add(today, -int(amount) if back else int(amount), _UNITS.get(unit, "d"))
    parts = _month_day(word, order)
    if parts is None:
        raise DateError(f"{raw!r} is not a date: try {date_examples(order)}")
    month, day, year_text = parts
    if not 1 <= month <= 12:
        raise DateError(f"{raw!r} has no month {month}" + (" (dates are read day first)" if order == "dmy" else ""))
    if year_text is not None:
        try:
            return date(_year(year_text, today, direction), month, day)
        except ValueError:
            raise DateError(f"date {raw!r} does not exist") from None
    return _place_in_year(raw, month, day, today, direction)


def _iso_or_error(raw: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw.strip())
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            raise DateError(f"date {raw.strip()!r} does not exist") from None
    return parse_iso_date(raw)


def _place_in_year(raw: str, month: int, day: int, today: date, direction: str) -> date:
    if direction == "future":
        years = range(today.year, today.year + 9)
    elif direction == "past":
        years = range(today.year, today.year - 9, -1)
    else:
        years = range(today.year, today.year + 1)
    for year in years:
        try:
            candidate = date(year, month, day)
        except ValueError:
            if not (month == 2 and day == 29):
                raise DateError(f"date {raw!r} does not exist") from None
            continue  # 29 Feb: the next (or last) leap year
        if (direction == "future" and candidate < today) or (direction == "past" and candidate > today):
            continue
        return candidate
    raise DateError(f"date {raw!r} does not exist")


@dataclass(frozen=True)
class YearlyDate:
    """A birthday or family date: month and day, and the year only when it is known."""

    month: int
    day: int
    year: int | None = None

    @property
    def md(self) -> int:
        return self.month * 100 + self.day

    def as_date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.year else None

    def show(self) -> str:
        """"14 Mar" or "14 Mar 1980": a day shown the same way on the card and in forms."""
        return f"{self.day} {date(2000, self.month, 1):%b}" + (f" {self.year}" if self.year else "")

    def age_on(self, today: date) -> int | None:
        if not self.year:
            return None
        return today.year - self.year - ((today.month, today.day) < (self.month, self.day))

    @classmethod
    def of(cls, md: int | None, full: date | None = None) -> "YearlyDate | None":
        if full is not None:
            return cls(full.month, full.day, full.year)
        return cls(md // 100, md % 100) if md else None


def parse_yearly_date(text: str, today: date, order: str = "dmy") -> YearlyDate:
    """A birthday or anniversary, with or without its year: "14 mar", "14/03", "14 March 1980",
    "14/03/1980", "1980-03-14" or "--03-14". Never in the future."""
    raw = (text or "").strip()
    word = _fold(raw)
    if not word:
        raise DateError("date is empty")
    match = re.fullmatch(r"--(\d{2})-?(\d{2})", word)
    if match:
        parts = (int(match.group(1)), int(match.group(2)), None)
    elif re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{8}", word):
        full = _iso_or_error(raw)
        parts = (full.month, full.day, str(full.year))
    else:
        parts = _month_day(word, order)
    if parts is None:
        example = "14 mar, 14/03 or 14/03/1980" if order == "dmy" else "mar 14, 03/14 or 03/14/1980"
        raise DateError(f"{raw!r} is not a day: try {example} (the year may be left out)")
    month, day, year_text = parts
    try:
        date(2000, month, day)  # a leap year: 29 Feb is a real day without a year
    except ValueError:
        raise DateError(f"date {raw!r} does not exist") from None
    if year_text is None:
        return YearlyDate(month, day)
    year = _year(year_text, today, "past")
    try:
        full = date(year, month, day)
    except ValueError:
        raise DateError(f"date {raw!r} does not exist") from None
    if full > today:
        raise DateError(f"date {raw!r} is in the future")
    if year < 1900:
        raise DateError(f"year {year} is too long ago")
    return YearlyDate(month, day, year)


def show_date(day: date, today: date) -> str:
    """"Fri 4 Dec" (with the year when it is not this year): how a field shows what it read."""
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if day.year != today.year else "")


def next_month_day(md: int, today: date) -> date:
    """The next day on or after `today` with this month*100+day (29 Feb → 28 Feb in common years)."""
    return next_anniversary(date(2000, md // 100, md % 100), today)
