"""The one place the clock is read, at the edges (CLI commands, the app's start-up): everything
below them, domain and store above all, is given "today"."""
from __future__ import annotations

from datetime import date, datetime


def now_date() -> date:
    return datetime.now().date()
