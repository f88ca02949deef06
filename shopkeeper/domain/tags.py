"""Free tags on customers ("wholesale", "tea club"): how typed or imported tags are read."""
from __future__ import annotations

import re

from .errors import InputError
from .text import clean_line, fold

MAX_TAG = 40
_SPLIT = re.compile(r"[,;]")


def parse_tags(text: str, field: str = "tags") -> list[str]:
    """Tags separated by commas or semicolons, trimmed, each once (case and accents aside)."""
    tags: list[str] = []
    seen: set[str] = set()
    for part in _SPLIT.split(text or ""):
        tag = clean_line(part, limit=MAX_TAG + 1)
        if not tag:
            continue
        if len(tag) > MAX_TAG:
            raise InputError(f"tag {tag[:20]!r}… is longer than {MAX_TAG} characters", field)
        if fold(tag) not in seen:
            seen.add(fold(tag))
            tags.append(tag)
    return tags


def tag_key(tag: str) -> str:
    """The folded form a tag is found by: "Tea Club" and "tea club" are one tag."""
    return fold(tag)
