"""Consistent copies of the live database through SQLite's online backup API."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path


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
