"""The shops the benchmark runs on, built once and cached in benchmarks/.cache/.

The cache key holds the scale, the seed, the generator's version and the schema head, so a new
migration or a changed generator builds a new file instead of migrating an old one.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import asdict
from pathlib import Path

from .generate import END, GENERATOR_VERSION, ShopInfo, generate

CACHE = Path(__file__).resolve().parent / ".cache"


def _key(scale: float, seed: int) -> str:
    from shopkeeper.store.db import SCHEMA_HEAD

    return f"s{scale:g}-seed{seed}-g{GENERATOR_VERSION}-schema{SCHEMA_HEAD}"


def large_shop(scale: float, seed: int, rebuild: bool = False) -> ShopInfo:
    """The generated shop for (scale, seed): from the cache, or built now (a few minutes at most)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = _key(scale, seed)
    path = CACHE / f"shop-{key}.sqlite3"
    meta = CACHE / f"shop-{key}.json"
    if rebuild or not (path.exists() and meta.exists()):
        for stale in (path, meta, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        partial = CACHE / f"shop-{key}.partial.sqlite3"
        for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            stale.unlink(missing_ok=True)
        print(f"building the shop at scale {scale:g}, seed {seed} (cached in {CACHE}) …", flush=True)
        info = generate(partial, scale, seed)
        partial.rename(path)
        info.path = str(path)
        meta.write_text(json.dumps(asdict(info), indent=2))
    return ShopInfo(**{**json.loads(meta.read_text()), "path": str(path)})  # where it is now, if the cache moved


def empty_shop() -> Path:
    """A shop with the schema and no data at all (the same for every scale)."""
    from shopkeeper.services import Shop

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"empty-{_key(0, 0)}.sqlite3"
    shop = Shop.open(path)
    if shop.needs_welcome():  # started by its owner: the app opens on the checklist, as on the large shop
        shop.start_shop("My shop", "EUR", "FR", END)
    shop.close()
    return path


def work_copy(source: Path | str, dest: Path) -> Path:
    """A private copy to write into (the cached shop stays as built), made as the app's backups are."""
    from shopkeeper.store.backup import backup_file

    backup_file(Path(source), dest)
    conn = sqlite3.connect(dest, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    return dest


def today():
    return END


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_file(source: Path, dest: Path) -> None:
    shutil.copyfile(source, dest)
