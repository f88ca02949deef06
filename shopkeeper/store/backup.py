"""Consistent copies of the live database through SQLite's online backup API."""
from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

from .errors import StoreError


def backup_file(source: Path, dest: Path) -> Path:
    """Copy the database at `source` to `dest` while others may be writing; dest is owner-only."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    if tmp.exists():
        tmp.unlink()
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, dest)  # never leave a half-written backup under the final name
    return dest


def _dated_backups(folder: Path, stem: str) -> list[tuple[date, Path]]:
    found = []
    for candidate in folder.glob(f"{stem}-????-??-??.sqlite3"):
        try:
            found.append((date.fromisoformat(candidate.stem[len(stem) + 1 :]), candidate))
        except ValueError:
            continue
    return sorted(found)


def daily_backup(path: Path, today: date, keep_days: int) -> Path | None:
    """On the first open of each day, copy the database to backups/; drop copies older than keep_days."""
    path = Path(path)
    folder = path.parent / "backups"
    dest = folder / f"{path.stem}-{today.isoformat()}.sqlite3"
    made = None
    if not dest.exists():
        made = backup_file(path, dest)
    for day, old in _dated_backups(folder, path.stem):
        if (today - day).days >= keep_days:
            old.unlink(missing_ok=True)
    return made


def verify_database_file(path: Path) -> str:
    """Check that `path` is a whole shopkeeper database; return its schema revision or raise StoreError."""
    from .db import check_file, stored_revision

    path = Path(path)
    if check_file(path):
        raise StoreError(f"{path}: no such file")
    revision = stored_revision(path)
    if revision is None:
        raise StoreError(f"{path} is an empty SQLite file, not a shopkeeper database")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is damaged ({exc})") from None
    finally:
        conn.close()
    if result != "ok":
        raise StoreError(f"{path} is damaged (integrity check: {result})")
    return revision


def restore_file(source: Path, target: Path, stamp: str) -> Path | None:
    """Replace the database at `target` by the good copy `source`; the current file is backed up
    first (returned). Run only while no one else has the shop open."""
    from .migrate import known_revisions

    revision = verify_database_file(source)
    if revision not in known_revisions():
        raise StoreError(f"{source} was made by a newer shopkeeper (schema {revision}); it cannot be restored here")
    target = Path(target)
    saved = None
    if target.exists():
        saved = backup_file(target, target.parent / "backups" / f"{target.stem}-before-restore-{stamp}.sqlite3")
    tmp = target.with_name(target.name + ".restoring")
    backup_file(source, tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(tmp, target)
    return saved
