"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl on a unix socket in a temp folder.

Why our own server: the tests must not touch a real shop's database, and a socket in a temporary
folder has no TCP port to collide with. Root cannot run initdb, so as root the server runs as the
`postgres` user (runuser); as anyone else it runs as that user.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

TEMPLATE = "shopkeeper_template"  # a migrated empty shop; each test's database is a copy of it
PG_BIN_DIRS = [Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14)]


def pg_bin() -> Path | None:
    """The folder with initdb and pg_ctl, or None when PostgreSQL is not installed."""
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    if found and (Path(found).parent / "initdb").exists():
        return Path(found).parent
    return None


class PgServer:
    """One server for a whole test session; `new_database()` gives each test its own database."""

    def __init__(self, port: int = 54329) -> None:
        self.bin = pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb/pg_ctl)")
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="shopkeeper-pg-"))
        self.as_root = os.geteuid() == 0
        self.superuser = "postgres"

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            log = self.dir / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()} {tail}")

    def start(self) -> "PgServer":
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self._run(self.bin / "initdb", "-D", self.dir / "data", "-A", "trust", "-U", self.superuser,
                  "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-l", self.dir / "log", "-w", "-o", options, "start")
        return self

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.superuser}@/{database}?host={self.dir}&port={self.port}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE) as the superuser."""
        import psycopg

        with psycopg.connect(host=str(self.dir), port=self.port, user=self.superuser, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        """A fresh, empty (or copied from `template`) database; its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.split("/")[3].split("?")[0]
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_missing() -> str | None:
    """Why a PostgreSQL test cannot run here, or None."""
    return None if pg_bin() is not None else "PostgreSQL is not installed (no initdb)"


@contextmanager
def pg_server(port: int = 54341) -> Iterator[str]:
    """A server of its own for one test; yields a SQLAlchemy URL of its `postgres` database."""
    server = PgServer(port=port).start()
    try:
        yield server.url().replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        server.stop()
