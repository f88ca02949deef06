"""Who is at this till, remembered on this computer (issue 12): a small JSON file beside
keymap.toml mapping each shop (its database file) to the initials of the person at the till.

Several tills share one shop's database, so the choice is per computer, never in the database.
Initials, not ids: they are what people see, and they stay unique in a shop. A missing or damaged
file means "nobody", never an error: the till works as a one-person shop does.
"""
from __future__ import annotations

import json
import os
from pathlib import Path


def shop_key(db_path: Path | str | None) -> str:
    """The shop a choice belongs to: its database file, resolved (a URL as it is)."""
    if db_path is None:
        return ""
    text = str(db_path)
    return text if "://" in text else str(Path(text).expanduser().resolve())


def _read(file: Path) -> dict:
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("shops"), dict) else {}


def load_initials(file: Path | None, key: str) -> str | None:
    """The initials last chosen at this till for this shop, or None."""
    if file is None:
        return None
    value = _read(file).get("shops", {}).get(key)
    return value if isinstance(value, str) and value else None


def save_initials(file: Path | None, key: str, initials: str | None) -> None:
    """Remember the choice (None: nobody) for this shop; written whole, then moved in place."""
    if file is None:
        return
    file = Path(file)
    data = _read(file) or {"shops": {}}
    if initials:
        data["shops"][key] = initials
    else:
        data["shops"].pop(key, None)
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(file.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, file)
