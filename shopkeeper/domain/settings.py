"""The shop's settings with their defaults (PRODUCT.md); stored in the database as text."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from .errors import InputError
from .numbers import parse_whole


@dataclass(frozen=True)
class ShopSettings:
    shop_name: str = "My shop"
    currency: str = "EUR"
    phone_region: str = "FR"
    second_sale_after_days: int = 14
    second_sale_give_up_days: int = 90
    thank_referrer_days: int = 30  # how long "thank the referrer" stays on the list
    birthday_days: int = 7  # "birthdays this week": today and the next six days
    snooze_days: int = 3
    backup_keep_days: int = 14
    date_order: str = "auto"  # how 04/12 is read in forms: dmy (4 Dec), mdy (12 Apr), auto (from the locale)
    time_zone: str = ""  # IANA name, e.g. Europe/Paris; "" = the machine's (a sale's day is counted there)
    large_sale: str = "auto"  # ask before saving a sale above this amount; auto: 10x the median sale
    keep_in_touch_days: int = 90  # "not in touch for N days": no contact that reached them, no purchase
    # how many of them the checklist offers a day; 0 = the section is off (the list is always there)
    keep_in_touch_per_day: int = 0
    margin_percent: str = ""  # gross margin on a sale with no cost typed, e.g. "40"; "" = not known
    ideal_shape: str = "20/30/50"  # the owner's ideal % of first-time / repeat / advocate customers

    @classmethod
    def from_strings(cls, values: dict[str, str]) -> "ShopSettings":
        """Build from stored text, ignoring unknown keys; a bad value raises SettingError (as `coerce`)."""
        settings = cls()
        for field in fields(cls):
            if field.name in values:
                settings = replace(settings, **{field.name: coerce(field.name, values[field.name])})
        return settings

    @property
    def margin(self) -> int | None:
        """The shop-wide margin in percent, or None when the owner has not said."""
        return int(self.margin_percent) if self.margin_percent else None

    @property
    def ideal(self) -> tuple[int, int, int]:
        return ideal_percentages(self.ideal_shape)

    def to_strings(self) -> dict[str, str]:
        return {field.name: str(getattr(self, field.name)) for field in fields(self)}


class SettingError(ValueError):
    """A setting value that can't be used."""


def coerce(name: str, text: str):
    """Turn a typed setting into its value, or raise SettingError saying what is wrong."""
    defaults = ShopSettings()
    if name not in {f.name for f in fields(ShopSettings)}:
        raise SettingError(f"unknown setting {name!r}")
    default = getattr(defaults, name)
    text = (text or "").strip()
    if name == "large_sale":
        return _large_sale(text)
    if name == "keep_in_touch_per_day":
        try:
            return parse_whole(text, 0, 100, "keep_in_touch_per_day must be a whole number from 0 (off) to 100")
        except InputError as exc:
            raise SettingError(exc.message) from None
    if name == "margin_percent":
        return _margin(text)
    if name == "ideal_shape":
        return "/".join(str(p) for p in ideal_percentages(text))
    if isinstance(default, int):
        try:
            return parse_whole(text, 1, 3650, f"{name} must be a whole number of days between 1 and 3650")
        except InputError as exc:
            raise SettingError(exc.message) from None
    if name == "currency":
        if not (1 <= len(text) <= 5) or not text.isprintable():
            raise SettingError("currency must be a short code such as EUR or USD")
        return text.upper()
    if name == "date_order":
        order = text.lower()
        if order not in ("auto", "dmy", "mdy"):
            raise SettingError("date order must be dmy (04/12 is 4 December), mdy (04/12 is 12 April) or auto")
        return order
    if name == "phone_region":
        import phonenumbers

        if text.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise SettingError(f"phone region {text!r} is not a two-letter country code such as FR or US")
        return text.upper()
    if name == "time_zone":
        from .dates import DateError
        from .timestamps import valid_zone_name

        try:
            return valid_zone_name(text)
        except DateError as exc:
            raise SettingError(str(exc)) from None
    if not text or len(text) > 80:
        raise SettingError(f"{name} must be between 1 and 80 characters")
    return text


def _large_sale(text: str) -> str:
    from .money import MoneyError, format_cents, parse_money

    if text.lower() in ("", "auto"):
        return "auto"
    try:
        cents = parse_money(text)
    except MoneyError:
        cents = 0
    if cents <= 0:
        raise SettingError(f"large_sale must be an amount above zero such as 500, or auto (not {text!r})")
    return format_cents(cents)


def _margin(text: str) -> str:
    if text.lower() in ("", "none", "unknown"):
        return ""
    try:
        return str(parse_whole(text.rstrip("%").strip(), 0, 100, ""))
    except InputError:
        raise SettingError(f"margin_percent must be a whole number from 0 to 100, or empty when not known (not {text!r})") from None


def ideal_percentages(text: str) -> tuple[int, int, int]:
    """"20/30/50" -> (20, 30, 50): the owner's ideal share of first-time, repeat and advocate
    customers, three whole numbers that add up to 100 (SettingError otherwise)."""
    parts = [p.strip().rstrip("%").strip() for p in text.replace(",", "/").replace(" ", "/").split("/") if p.strip()]
    problem = (f"ideal_shape must be three whole percentages for first-time/repeat/advocate customers "
               f"that add up to 100, such as 20/30/50 (not {text!r})")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise SettingError(problem)
    values = tuple(int(p) for p in parts)
    if sum(values) != 100:
        raise SettingError(f"ideal_shape adds up to {sum(values)}, not 100: {'/'.join(map(str, values))}")
    return values  # type: ignore[return-value]


def validate_window(settings: ShopSettings) -> None:
    if settings.second_sale_give_up_days < settings.second_sale_after_days:
        raise SettingError("second_sale_give_up_days must not be before second_sale_after_days")
