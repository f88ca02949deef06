"""Small helpers every screen shares: the running app's shop and day, meaning-bearing colours,
and plain formatting. Kept apart from app.py so that file holds the App only."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from rich.text import Text

from .domain.levels import LEVEL_NAMES
from .domain.money import format_money
from .domain.phones import format_phone

if TYPE_CHECKING:
    from textual.app import App

    from .services import Shop
    from .undo import Undoable


def shop_of(app: "App") -> "Shop":
    return app.shop  # type: ignore[attr-defined]


def today_of(app: "App") -> date:
    return app.today  # type: ignore[attr-defined]


def date_order_of(app: "App") -> str:
    """How forms read 04/12: the shop's date_order setting, or the locale's order when "auto"."""
    import os

    from .domain.dates import resolve_order

    locale_name = os.environ.get("LC_ALL") or os.environ.get("LC_TIME") or os.environ.get("LANG") or ""
    return resolve_order(shop_of(app).settings.date_order, locale_name)


def remember(app: "App", entry: "Undoable") -> str:
    """Keep a one-key action for ctrl+z; returns its notice, which names whom and says how to undo."""
    app.undo_stack.push(entry)  # type: ignore[attr-defined]
    return entry.notice


def colour(app: "App", meaning: str) -> str:
    """A theme colour for a meaning: overdue (error), due (warning), done (success), muted, accent."""
    theme = app.current_theme
    return {
        "overdue": theme.error,
        "due": theme.warning,
        "done": theme.success,
        "accent": theme.accent or theme.primary,
        "muted": "dim",
    }.get(meaning, "") or ""


def styled(app: "App", text: str, meaning: str, bold: bool = False) -> Text:
    style = colour(app, meaning)
    if meaning == "muted":
        style = "dim"
    return Text(text, style=f"{style} bold" if bold else style)


def money(app: "App", cents: int) -> str:
    return format_money(cents, shop_of(app).settings.currency)


def phone(app: "App", raw: str) -> str:
    """A phone number as every screen shows it: national for the shop's country, else international."""
    return format_phone(raw, shop_of(app).settings.phone_region)


def level_label(level: int) -> str:
    return f"L{level} {LEVEL_NAMES[level]}"


def short_day(day: date | None) -> str:
    return day.isoformat() if day else "—"


def refresh_bindings_on_change(screen, state) -> None:
    """Refresh the footer only when what is enabled changes: it rebuilds its keys on every
    refresh, and moving through 100,000 rows must not rebuild it (and grow memory) each time."""
    if getattr(screen, "_binding_state", None) != (state,):
        screen._binding_state = (state,)
        screen.refresh_bindings()


def show_highlighted(screen, describe: "Callable[[Any, date], Text]") -> None:
    """A list screen's highlighted row changed: refresh the footer's keys if having a row changed,
    and show describe(row, today) in its #detail line (blank without a row)."""
    from textual.widgets import Static

    row = screen.selected()
    refresh_bindings_on_change(screen, row is not None)
    detail = Text("") if row is None else describe(row, today_of(screen.app))
    screen.query_one("#detail", Static).update(detail)


def counts_line(app: "App", prefix: str, parts: list[tuple[str, str]], width: int | None = None) -> Text:
    """A summary line such as "3 overdue · 2 due · 38 calls", each part coloured by its meaning.
    Given a `width`, the parts that do not fit are left out whole, never cut mid-word."""
    text = Text(prefix)
    for index, (label, meaning) in enumerate(parts):
        sep = " · " if index else ""
        if width is not None and text.cell_len + len(sep) + Text(label).cell_len > width:
            break
        text.append(sep, style="dim")
        text.append(label, style="dim" if meaning == "muted" else colour(app, meaning))
    return text
