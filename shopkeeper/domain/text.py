"""Folding names and emails so lookup ignores case and accents ("Zoé" finds "zoe")."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accents removed, whitespace squeezed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


JOINERS = "\u200c\u200d"  # zero-width (non-)joiners hold emoji and some scripts together


def clean_line(text: str, *, limit: int = 200) -> str:
    """One line of user text: control characters removed, trimmed, capped at `limit` characters."""
    if not text:
        return ""
    if text.isprintable() and text[0] != " " and text[-1] != " " and "  " not in text:
        return text[:limit]  # already clean (the only printable whitespace is " "): the common case, fast
    kept = "".join(ch if ch.isprintable() or ch in JOINERS else " " for ch in text)
    return " ".join(kept.split())[:limit]


def clean_block(text: str, *, limit: int = 10_000) -> str:
    """Multi-line user text (notes): keeps newlines, drops other control characters, capped."""
    lines = ["".join(ch for ch in line if ch.isprintable() or ch in "\t" + JOINERS).rstrip()
             for line in (text or "").splitlines()]
    return "\n".join(lines).strip()[:limit]
