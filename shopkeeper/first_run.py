"""The first run: defaults for a new shop from the computer's locale, and the practice shop.

No Textual here: the welcome screen and the CLI both use it.
"""
from __future__ import annotations

import locale
import os
from datetime import date
from pathlib import Path
from typing import Mapping

from .domain.settings import ShopSettings
from .paths import demo_db_path
from .services import Shop

EURO = {"AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PT",
        "SI", "SK", "MC", "AD", "SM", "VA", "ME", "XK", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF"}
CURRENCIES = {
    "GB": "GBP", "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "CH": "CHF", "LI": "CHF", "JP": "JPY",
    "CN": "CNY", "IN": "INR", "BR": "BRL", "MX": "MXN", "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN",
    "CZ": "CZK", "HU": "HUF", "RO": "RON", "BG": "BGN", "TR": "TRY", "ZA": "ZAR", "MA": "MAD", "TN": "TND",
    "DZ": "DZD", "SN": "XOF", "CI": "XOF", "IL": "ILS", "KR": "KRW", "SG": "SGD", "HK": "HKD", "AR": "ARS",
    "CL": "CLP", "CO": "COP", "IS": "ISK", "UA": "UAH", "RS": "RSD",
}


def _territory(name: str | None) -> str | None:
    """"fr_FR.UTF-8" → "FR"; "C", "POSIX", "en" and "C.UTF-8" have no country."""
    if not name:
        return None
    head = name.split(".")[0].split("@")[0]
    _, sep, country = head.partition("_")
    country = country.upper()
    return country if sep and len(country) == 2 and country.isalpha() else None


def locale_defaults(env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(currency, phone country) for a new shop from LC_ALL / LC_MONETARY / LANG (then Python's
    locale), e.g. fr_FR → ("EUR", "FR"), en_GB → ("GBP", "GB"); the settings' defaults otherwise."""
    import phonenumbers

    env = os.environ if env is None else env
    candidates = [env.get("LC_ALL"), env.get("LC_MONETARY"), env.get("LC_TELEPHONE"), env.get("LANG")]
    if env is os.environ:
        try:
            candidates.append(locale.getlocale()[0])
        except ValueError:
            pass
    defaults = ShopSettings()
    for candidate in candidates:
        country = _territory(candidate)
        if country and country in phonenumbers.SUPPORTED_REGIONS:
            currency = "EUR" if country in EURO else CURRENCIES.get(country, defaults.currency)
            return currency, country
    return defaults.currency, defaults.phone_region


def open_demo(own: Path, today: date) -> Shop:
    """The practice shop beside the owner's file, built on first use (a few seconds, once)."""
    from .demo import build_demo

    shop = Shop.open(demo_db_path(own))
    try:
        if shop.count_customers() == 0:
            build_demo(shop, today)
    except BaseException:
        shop.close()
        raise
    return shop


def short_path(path: Path) -> str:
    """~/.local/share/shopkeeper/shop.sqlite3 rather than /home/anna/.local/…: shorter, same file."""
    try:
        return str(Path("~") / Path(path).resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


def where_it_lives(path: Path | str | None, keep_days: int, demo: bool = False) -> str:
    """One sentence for help and settings: the shop's file (or server) and its backups folder."""
    from .paths import backups_folder
    from .store.backend import is_server, shown_url

    if path is None:
        return "This shop is not kept in a file."
    if is_server(path):
        return (f"Your shop is on a PostgreSQL server (several tills): {shown_url(str(path))}\n"
                f"Backups: {short_path(backups_folder(path))}{os.sep} — the first till to open the shop each day "
                f"keeps a copy, kept {keep_days} days (shopkeeper restore FILE --db URL puts one back).")
    what = "The practice shop's file (demo)" if demo else "Your shop's file"
    return (f"{what}: {short_path(path)}\nBackups: {short_path(backups_folder(path))}{os.sep} — a copy on the first open of each day, "
            f"kept {keep_days} days (shopkeeper restore FILE puts one back).")
