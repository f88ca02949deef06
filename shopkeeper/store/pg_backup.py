"""Backups of a shop on a PostgreSQL server: pg_dump's custom format out, pg_restore into a fresh
database in.

Why the server's own tools: they take one consistent snapshot while the tills keep selling, and a
custom-format dump restores on a newer server too. A restore never overwrites a shop: it goes into a
new (or empty) database, which the till then opens (migrating an older dump). The daily copy is taken
by the first till that opens the shop that day: it claims the day in the database, under the write
lock, so two tills starting together take one copy.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

from .backend import database_name, engine_url, shown_url
from .errors import StoreError

DUMP_MAGIC = b"PGDMP"
DUMP_SUFFIX = ".dump"
DAILY_CLAIM = "daily_backup_on"  # setting: the day a till took (or is taking) the shop's daily copy
TOOL_DIRS = "/usr/lib/postgresql/*/bin"
SHOP_TABLES = ("alembic_version", "customer")
log = logging.getLogger("shopkeeper")


def find_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest in Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/").glob(TOOL_DIRS.lstrip("/") + f"/{name}"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return str(candidates[-1])
    raise StoreError(f"{name} not found: install PostgreSQL's client tools (e.g. apt install postgresql-client) "
                     "or put their folder on PATH")


def _connection(url: str, database: str | None = None) -> tuple[str, dict[str, str]]:
    """libpq connection string (without the password) and the environment carrying the password,
    so the password never shows in the process list."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    libpq_url = "postgresql://" + engine_url(url).split("://", 1)[1]
    params = {k: str(v) for k, v in conninfo_to_dict(libpq_url).items() if v is not None}
    password = params.pop("password", None)
    if database is not None:
        params["dbname"] = database
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password
    return make_conninfo(**params), env


def _run(command: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit code {done.returncode}"
        raise StoreError(f"{what} failed: {reason}")
    return done


def dump_database(url: str, dest: Path) -> Path:
    """A consistent pg_dump (custom format) of the shop at `url` to `dest`, readable by the owner only;
    written to dest.partial first, so a failed dump never sits under the final name."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    conninfo, env = _connection(url)
    try:
        _run([find_tool("pg_dump"), "-Fc", "-f", str(tmp), "--dbname", conninfo], env,
             f"backup of {shown_url(url)}")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, dest)
    return dest


def dump_tables(path: Path) -> set[str]:
    """The tables a pg_dump custom-format file holds; StoreError for any other file."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    with open(path, "rb") as handle:
        head = handle.read(len(DUMP_MAGIC))
    if head != DUMP_MAGIC:
        raise StoreError(f"{path} is not a PostgreSQL backup (pg_dump custom format)")
    listing = _run([find_tool("pg_restore"), "-l", str(path)], dict(os.environ), f"reading {path}").stdout
    return {match.group(1) for match in re.finditer(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.MULTILINE)}


def check_dump(path: Path) -> None:
    """Refuse a file that is not a pg_dump of a shopkeeper database."""
    tables = dump_tables(path)
    if not all(table in tables for table in SHOP_TABLES):
        raise StoreError(f"{path} is a backup of another database, not of a shopkeeper shop")


def _admin(url: str):  # noqa: ANN202 - a psycopg connection to the server's `postgres` database
    import psycopg

    conninfo, env = _connection(url, "postgres")
    try:
        return psycopg.connect(conninfo, password=env.get("PGPASSWORD"), autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StoreError(f"cannot reach the server of {shown_url(url)}: {reason}") from None


def _table_count(url: str) -> int:
    import psycopg

    conninfo, env = _connection(url)
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD"), connect_timeout=5) as conn:
        return conn.execute("SELECT COUNT(*) FROM information_schema.tables "
                            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')").fetchone()[0]


def prepare_target(url: str) -> bool:
    """Make sure the restore target is a database with nothing in it; create it when missing.
    True when it was created here."""
    from psycopg import sql

    name = database_name(url)
    with _admin(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    if _table_count(url):
        raise StoreError(f"{shown_url(url)} is not empty: restore into a new database "
                         f"(e.g. --db …/{name}_restored), it is created for you")
    return False


def drop_database(url: str) -> None:
    from psycopg import sql

    with _admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database_name(url))))


def restore_dump(path: Path, url: str) -> None:
    """Restore the shop dumped in `path` into the fresh database at `url` (created if missing), in one
    transaction; a database created here is dropped again if the restore fails."""
    check_dump(path)
    created = prepare_target(url)
    conninfo, env = _connection(url)
    try:
        # --no-owner/--no-privileges: the user restoring owns the copy, whoever made the dump
        _run([find_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
              "--dbname", conninfo, str(path)], env, f"restore into {shown_url(url)}")
    except BaseException:
        if created:
            drop_database(url)
        raise


def _dated_dumps(folder: Path, stem: str) -> list[tuple[date, Path]]:
    found = []
    for candidate in folder.glob(f"{stem}-????-??-??{DUMP_SUFFIX}"):
        try:
            found.append((date.fromisoformat(candidate.name[len(stem) + 1: -len(DUMP_SUFFIX)]), candidate))
        except ValueError:
            continue
    return sorted(found)


def claim_day(engine, today: date) -> str | None:  # noqa: ANN001
    """Claim today's daily copy for this till: True-ish (the previous claim, "" if none) when this till
    should take it, None when another till already did today. Runs under the shop's write lock, so two
    tills opening at once claim it once."""
    from sqlalchemy import text

    from .db import writing

    with writing(engine) as session:
        row = session.execute(text("SELECT value FROM setting WHERE key = :key"), {"key": DAILY_CLAIM}).first()
        if row is not None and row[0] == today.isoformat():
            return None
        if row is None:
            session.execute(text("INSERT INTO setting (key, value) VALUES (:key, :value)"),
                            {"key": DAILY_CLAIM, "value": today.isoformat()})
        else:
            session.execute(text("UPDATE setting SET value = :value WHERE key = :key"),
                            {"key": DAILY_CLAIM, "value": today.isoformat()})
        return row[0] if row is not None else ""


def give_back_claim(engine, today: date, previous: str) -> None:  # noqa: ANN001
    """A failed copy: the day goes back unclaimed, so the next till to open tries again."""
    from sqlalchemy import text

    from .db import writing

    with writing(engine) as session:
        session.execute(text("UPDATE setting SET value = :previous WHERE key = :key AND value = :today"),
                        {"key": DAILY_CLAIM, "previous": previous, "today": today.isoformat()})


def daily_dump(engine, url: str, folder: Path, today: date, keep_days: int) -> Path | None:  # noqa: ANN001
    """The first till to open the shop today dumps it into `folder` (this till's backups/); copies older
    than keep_days go. Never raises: a failed copy is logged and the day given back."""
    try:
        previous = claim_day(engine, today)
    except Exception as exc:  # noqa: BLE001 - a backup must never stop the shop from opening
        log.warning("daily backup of %s not claimed: %s", shown_url(url), exc)
        return None
    if previous is None:
        return None
    stem = database_name(url)
    try:
        made = dump_database(url, Path(folder) / f"{stem}-{today.isoformat()}{DUMP_SUFFIX}")
    except Exception as exc:  # noqa: BLE001
        log.warning("daily backup of %s failed: %s", shown_url(url), exc)
        try:
            give_back_claim(engine, today, previous)
        except Exception as again:  # noqa: BLE001
            log.warning("daily backup claim of %s not given back: %s", shown_url(url), again)
        return None
    for day, old in _dated_dumps(Path(folder), stem):
        if (today - day).days >= keep_days:
            old.unlink(missing_ok=True)
    return made
