"""Where the shop's database lives: `--db` wins, then `SHOPKEEPER_DB`, then the user data folder."""
from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """The database in the user's data folder (platformdirs), e.g. ~/.local/share/shopkeeper."""
    from platformdirs import user_data_path

    return user_data_path("shopkeeper", appauthor=False) / "shop.sqlite3"


def resolve_db_path(cli_value: str | None) -> Path | str:
    """The database the user asked for, in order of precedence: a file path, or a
    `postgresql://` URL (kept as text) for a shop whose tills share a server."""
    from .store.backend import is_server

    for value in (cli_value, os.environ.get("SHOPKEEPER_DB")):
        if value and value.strip():
            value = value.strip()
            return value if is_server(value) or "://" in value else Path(value).expanduser()
    return default_db_path()


DEMO_FILE = "demo.sqlite3"


def demo_db_path(own: Path | str) -> Path:
    """The practice shop lives in its own file beside the owner's, never in it; for a shop on a
    server, in this till's data folder (practice data never goes onto the shared server)."""
    from .store.backend import is_server

    if is_server(own):
        return default_db_path().with_name(DEMO_FILE)
    own = Path(own)
    return own.with_name("demo-practice.sqlite3" if own.name == DEMO_FILE else DEMO_FILE)


def files_folder(db: Path | str) -> Path:
    """Where a shop's own files go (log, backups): beside its SQLite file, or, for a shop on a
    server, in this till's data folder."""
    from .store.backend import is_server

    return default_db_path().parent if is_server(db) else Path(db).parent


def backups_folder(db: Path | str) -> Path:
    """Where the daily copies of a shop go (store/backup.py): backups/ beside its file, or in this
    till's data folder for a shop on a server."""
    return files_folder(db) / "backups"


def keymap_path() -> Path:
    """The owner's key remapping (keymap.toml) in the user data folder, beside the default shop."""
    return default_db_path().with_name("keymap.toml")


def log_path_for(db_path: Path | str) -> Path:
    """The app's log of faults, beside the shop's database (in the data folder by default)."""
    return files_folder(db_path) / "shopkeeper.log"


def till_path() -> Path:
    """Who is at this till (till.json), per computer, beside keymap.toml: several tills share one
    shop's database, so this is never kept in it."""
    return keymap_path().with_name("till.json")
