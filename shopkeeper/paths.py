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


def log_path_for(db_path: Path) -> Path:
    """The app's log of faults, beside the shop's database (in the data folder by default)."""
    return Path(db_path).with_name("shopkeeper.log")
