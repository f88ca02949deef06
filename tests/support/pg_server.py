"""A throwaway PostgreSQL server for tests: initdb + pg_ctl as the postgres user, listening only on
a unix socket in a temporary folder (no TCP port to collide with), stopped and removed afterwards.

`PG_BIN` missing: `pg_missing()` gives the reason to skip with.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PORT = 54341  # only names the socket file; nothing listens on TCP


def pg_missing() -> str | None:
    """Why a PostgreSQL test cannot run here, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL is not installed ({PG_BIN / 'initdb'} missing)"
    return None


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


@contextmanager
def pg_server() -> Iterator[str]:
    """Start a server; yield a SQLAlchemy URL of its `postgres` database (psycopg 3)."""
    folder = Path(tempfile.mkdtemp(prefix="shopkeeper-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    try:
        subprocess.run(_as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                    "-E", "UTF8", "--locale=C.UTF-8"), check=True, capture_output=True)
        subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                                    f"-p {PORT} -k {folder} -c listen_addresses=''", "start"),
                       check=True, capture_output=True)
        try:
            yield f"postgresql+psycopg://postgres@/postgres?host={folder}&port={PORT}"
        finally:
            subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"),
                           capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
