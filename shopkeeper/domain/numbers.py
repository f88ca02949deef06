"""Whole numbers typed by people, strictly: ASCII digits 0-9 only, within a range.

`str.isdigit()` is true for "²" (which `int()` refuses) and `int()` accepts "٣" and "１"; a number
field accepts neither silently. Every form and setting parses its whole numbers here.
"""
from __future__ import annotations

import re

from .errors import InputError

_ASCII_WHOLE = re.compile(r"[0-9]{1,12}")


def is_ascii_whole(text: str) -> bool:
    """True for text that is only the digits 0-9 (at most 12 of them)."""
    return _ASCII_WHOLE.fullmatch(text or "") is not None


def parse_whole(text: str, low: int, high: int, message: str, field: str = "") -> int:
    """The whole number in `text` (spaces around allowed) if it lies in [low, high]; otherwise
    InputError(message, field). Digits other than 0-9 get their own hint."""
    raw = (text or "").strip()
    if not is_ascii_whole(raw):
        if any((ch.isdigit() or ch.isnumeric()) and not ch.isascii() for ch in raw):
            raise InputError(f"{message} (type it with the digits 0-9)", field)
        raise InputError(message, field)
    value = int(raw)
    if not low <= value <= high:
        raise InputError(message, field)
    return value
