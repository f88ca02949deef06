"""Where the shop's database lives: `--db` wins, then `SHOPKEEPER_DB`, then the user data folder."""
from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """The database in the user's data folder (platformdirs), e.g. ~/.local/share/shopkeeper."""
    from platformdirs import user_data_path

    return user_data_path("shopkeeper", appauthor=False) / "shop.sqlite3"


def resolve_db_path(cli_value: str | None) -> Path:
    """The database path the user asked for, in order of precedence."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("SHOPKEEPER_DB")
    if env:
        return Path(env).expanduser()
    return default_db_path()


DEMO_FILE = "demo.sqlite3"


def demo_db_path(own: Path) -> Path:
    """The practice shop lives in its own file beside the owner's, never in it."""
    own = Path(own)
    return own.with_name("demo-practice.sqlite3" if own.name == DEMO_FILE else DEMO_FILE)


def backups_folder(db: Path) -> Path:
    """Where the daily copies of a shop's file go (store/backup.py): backups/ beside it."""
    return Path(db).parent / "backups"


def keymap_path() -> Path:
    """The owner's key remapping (keymap.toml) in the user data folder, beside the default shop."""
    return default_db_path().with_name("keymap.toml")


def log_path_for(db_path: Path) -> Path:
    """The app's log of faults, beside the shop's database (in the data folder by default)."""
    return Path(db_path).with_name("shopkeeper.log")


def till_path() -> Path:
    """Who is at this till (till.json), per computer, beside keymap.toml: several tills share one
    shop's database, so this is never kept in it."""
    return keymap_path().with_name("till.json")
