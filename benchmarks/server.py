"""The same benchmarks on a PostgreSQL server (`python3 dev.py bench --db postgresql://…`).

The URL says which server and user; the benchmark makes its own databases there (names starting
with `shopkeeper_bench_`), never touching the one the URL names: the large shop copied row for row
from the cached SQLite one (kept between runs), an empty shop, and throwaway copies to write into.
Figures that are about the SQLite file or the app's screen (key press, start-up, memory, import)
are measured on SQLite only.
"""
from __future__ import annotations

import random
import sqlite3
import time
from datetime import date
from pathlib import Path

from . import measures
from .common import Figure, at_most, summary_ms
from .generate import ShopInfo

PREFIX = "shopkeeper_bench_"
SQLITE_ONLY = {"keypress", "import", "startup", "memory"}


class BenchServer:
    """The server the URL points at, and the benchmark's databases on it."""

    def __init__(self, url: str) -> None:
        from shopkeeper.store.backend import engine_url

        self.url = engine_url(url)

    def db_url(self, name: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def _admin(self):  # noqa: ANN202
        from shopkeeper.store.pg_backup import _admin

        return _admin(self.url)

    def exists(self, name: str) -> bool:
        with self._admin() as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None

    def create(self, name: str, template: str | None = None) -> str:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
            conn.execute(query)
        return self.db_url(name)

    def drop(self, name: str) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _name(info: ShopInfo) -> str:
    stem = Path(info.path).stem.replace("shop-", "")
    return (PREFIX + "".join(ch if ch.isalnum() else "_" for ch in stem)).lower()[:63]


def copy_shop(sqlite_path: Path, url: str) -> None:
    """Every row of the SQLite shop into the (new, migrated) PostgreSQL shop at `url`, table by
    table in foreign-key order with COPY; then the id sequences and the planner's statistics."""
    import psycopg

    from shopkeeper.store.models import SQLModel
    from shopkeeper.store.pg_backup import _connection

    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    conninfo, env = _connection(url)
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as conn:
        server_tables = {row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in server_tables or table.name == "alembic_version":
                continue
            columns = [f'"{c.name}"' for c in table.columns]
            conn.execute(f'DELETE FROM "{table.name}"')  # the settings a new shop starts with
            order = " ORDER BY id" if '"id"' in columns else ""
            rows = source.execute(f'SELECT {", ".join(columns)} FROM "{table.name}"{order}')
            with conn.cursor().copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            if '"id"' in columns:
                conn.execute(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                             f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)")
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
    source.close()


def large_server_shop(server: BenchServer, info: ShopInfo) -> str:
    """The large shop on the server, copied from the cached SQLite one the first time."""
    from shopkeeper.services import Shop

    name = _name(info)
    if server.exists(name):
        shop = Shop.open(server.db_url(name))
        try:
            if shop.count_customers() == info.customers:
                return server.db_url(name)
        finally:
            shop.close()
    print(f"copying the shop into {name} on the server …", flush=True)
    url = server.create(name)
    Shop.open(url).close()
    copy_shop(Path(info.path), url)
    return url


def empty_server_shop(server: BenchServer, day: date) -> str:
    from shopkeeper.services import Shop

    url = server.create(PREFIX + "empty")
    shop = Shop.open(url)
    shop.start_shop("My shop", "EUR", "FR", day)
    shop.close()
    return url


def card_and_sale(server: BenchServer, large_name: str, day: date, repeat: int, seed: int) -> list[Figure]:
    """Open a card and log a sale on a copy of the large shop; baselines: one row by id, and a bare
    insert + commit through the driver."""
    from sqlalchemy import text

    from shopkeeper.services import SaleInput, Shop
    from shopkeeper.store.db import reading

    rng = random.Random(seed)
    url = server.create(PREFIX + "work", template=large_name)
    shop = Shop.open(url)
    raw = measures.reader(url)
    try:
        total = shop.count_customers()
        ids = [rng.randint(1, total) for _ in range(repeat)]
        ours, floor = [], []
        shop.card(ids[0], day)
        for cid in ids:
            start = time.perf_counter()
            shop.card(cid, day)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            with reading(shop.engine) as session:
                session.execute(text("SELECT * FROM customer WHERE id = :i"), {"i": cid}).all()
            floor.append(time.perf_counter() - start)
        sales, inserts = [], []
        for cid in ids:
            amount = rng.randint(500, 20000)
            start = time.perf_counter()
            shop.log_sale(SaleInput(amount, day, customer_id=cid, item_count=2), day)
            sales.append(time.perf_counter() - start)
            start = time.perf_counter()
            raw.execute("BEGIN")
            raw.execute("INSERT INTO sale (customer_id, sold_on, amount_cents, item_count, on_sale, note)"
                        " VALUES (?, ?, ?, 2, false, '')", (cid, day, amount))
            raw.execute("COMMIT")
            inserts.append(time.perf_counter() - start)
    finally:
        raw.close()
        shop.close()
        server.drop(PREFIX + "work")
    card_mine, card_floor = summary_ms(ours), summary_ms(floor)
    sale_mine, sale_floor = summary_ms(sales), summary_ms(inserts)
    return [
        Figure("card", "open a customer card", "ms", card_mine["median_ms"], card_floor["median_ms"],
               "one customer row by id", [at_most(card_mine["median_ms"], 10, "ms")], {"ours": card_mine, "floor": card_floor}),
        Figure("log_sale", "log a sale (write + aggregates + commit)", "ms", sale_mine["median_ms"],
               sale_floor["median_ms"], "bare insert + commit", [at_most(sale_mine["median_ms"], 5, "ms")], {"ours": sale_mine, "floor": sale_floor}),
    ]


def run_server(url: str, info: ShopInfo, day: date, reps: dict, samples, seed: int, quick: bool,
               only: set[str] | None) -> list[Figure]:
    """The PostgreSQL half of `dev.py bench --db URL`: the same steps, on the server."""
    from .tills import tills

    server = BenchServer(url)
    large = large_server_shop(server, info)
    large_name = _name(info)
    empty = empty_server_shop(server, day)
    figures: list[Figure] = []

    def step(name: str, fn) -> None:
        if only and name not in only:
            return
        t0 = time.perf_counter()
        print(f"· PostgreSQL {name} …", end="", flush=True)
        figures.extend(fn())
        print(f" {time.perf_counter() - t0:.1f} s", flush=True)

    def tills_on_copy() -> list[Figure]:
        copy = server.create(PREFIX + "tills", template=large_name)
        try:
            return tills(copy, day, 50 if quick else 250, seed, "postgresql")
        finally:
            server.drop(PREFIX + "tills")

    try:
        step("lookup", lambda: [measures.lookup_queries(large, day, samples, reps["lookup_repeat"])])
        step("cli", lambda: measures.cli_commands(large, empty, day, samples, reps["cli"]))
        step("checklist", lambda: measures.checklist(large, day, reps["checklist"]))
        step("card+sale", lambda: card_and_sale(server, large_name, day, reps["card"], seed))
        step("insights", lambda: measures.insights(large, day, reps["insights"]))
        step("tills", tills_on_copy)
    finally:
        server.drop(PREFIX + "empty")
    return figures


def side_by_side(sqlite: list[Figure], server: list[Figure]) -> list[list[str]]:
    """figure | SQLite | PostgreSQL, one row per figure measured on either."""
    from .common import _number

    on_server = {f.key: f for f in server}
    rows = [["figure", "SQLite", "PostgreSQL"]]
    for f in sqlite:
        other = on_server.get(f.key)
        rows.append([f.title, _number(f.value, f.unit),
                     _number(other.value, other.unit) if other else "(SQLite only)"])
    return rows


def render_rows(rows: list[list[str]], markdown: bool = False) -> str:
    if markdown:
        out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        return "\n".join(out + ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows[1:]])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
