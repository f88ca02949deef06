"""Each measured area: a function that returns Figures, its baseline measured in the same run."""
from __future__ import annotations

import asyncio
import csv
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from .common import (
    Figure,
    Target,
    at_least,
    at_most,
    ratio_at_most,
    speedup_at_least,
    summary_ms,
    time_calls,
)
from .shops import remove_db, work_copy

ROOT = Path(__file__).resolve().parent.parent


def reader(db):  # noqa: ANN001 - a file path or a PostgreSQL URL
    """A plain driver connection for the baselines: sqlite3 read-only on a file; psycopg on a server,
    with sqlite3's calling style (`?`, `:name`), so each baseline query is written once."""
    from shopkeeper.store.backend import PgRaw, is_server

    if not is_server(db):
        return sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    import psycopg

    from shopkeeper.store.pg_backup import _connection

    conninfo, env = _connection(str(db))
    conn = psycopg.connect(conninfo, password=env.get("PGPASSWORD"), autocommit=True)
    raw = PgRaw(conn)
    raw.close = conn.close
    return raw


# lookup ---------------------------------------------------------------------------------------
def lookup_samples(db: Path, count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, full text) the owner would type: name parts, phone digits any way, last four, email."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        total = conn.execute("SELECT MAX(id) FROM customer").fetchone()[0] or 0
        out: list[tuple[str, str]] = []
        tries = 0
        while len(out) < 4 * count and total and tries < 100 * count:
            tries += 1
            kind = ("name", "phone", "last4", "email")[len(out) % 4]
            cid = rng.randint(1, total)
            name, email = conn.execute("SELECT name, email FROM customer WHERE id = ?", (cid,)).fetchone()
            phone = conn.execute("SELECT raw FROM customer_phone WHERE customer_id = ? ORDER BY id LIMIT 1", (cid,)).fetchone()
            if kind == "name":
                words = name.split()
                text = rng.choice([words[-1], name, f"{words[0]} {words[-1][:3]}"]).lower()
            elif kind == "phone":
                if not phone:
                    continue
                digits = "".join(ch for ch in phone[0] if ch.isdigit())
                text = rng.choice([phone[0], " ".join(digits[i:i + 2] for i in range(0, len(digits), 2))])
            elif kind == "last4":
                if not phone:
                    continue
                text = "".join(ch for ch in phone[0] if ch.isdigit())[-4:]
            else:
                if not email:
                    continue
                text = email.split("@")[0][:8]
            out.append((kind, text))
        return out
    finally:
        conn.close()


def keystrokes(samples: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every prefix the lookup sees while each sample is typed, one per key press."""
    return [(kind, text[:n]) for kind, text in samples for n in range(1, len(text) + 1) if text[:n].strip()]


def naive_lookup(conn: sqlite3.Connection, text: str) -> list:
    """What lookup would cost without its indexes: LIKE '%…%' over every customer and phone."""
    digits = "".join(ch for ch in text if ch.isdigit())
    like = f"%{text.lower()}%"
    return conn.execute(
        "SELECT DISTINCT c.id, c.total_spend_cents FROM customer c LEFT JOIN customer_phone p ON p.customer_id = c.id"
        " WHERE c.name_fold LIKE ? OR c.email_fold LIKE ? OR (? <> '' AND p.e164 LIKE ?)"
        " ORDER BY c.total_spend_cents DESC, c.id LIMIT 21",
        (like, like, digits, f"%{digits}%"),
    ).fetchall()


def lookup_queries(db: Path, today: date, samples, repeat: int) -> Figure:
    from shopkeeper.services import Shop

    typed = keystrokes(samples)
    shop = Shop.open(db)
    conn = reader(db)
    try:
        by_kind: dict[str, list[float]] = {}
        ours: list[float] = []
        naive: list[float] = []
        for kind, text in typed:
            shop.lookup(text, today, limit=21)  # warm
            for _ in range(repeat):
                start = time.perf_counter()
                shop.lookup(text, today, limit=21)
                took = time.perf_counter() - start
                ours.append(took)
                by_kind.setdefault(kind, []).append(took)
            start = time.perf_counter()
            naive_lookup(conn, text)
            naive.append(time.perf_counter() - start)
    finally:
        conn.close()
        shop.close()
    mine, base = summary_ms(ours), summary_ms(naive)
    return Figure(
        "lookup_query_p99", "lookup query per keystroke (p99)", "ms", mine["p99_ms"], base["p99_ms"],
        "naive LIKE scan, p99",
        [at_most(mine["p99_ms"], 5, "ms")],
        {"keystrokes": len(typed), "ours": mine, "naive": base,
         "by_kind": {kind: summary_ms(values) for kind, values in by_kind.items()}},
    )


async def _type_and_time(app, pilot, screen_cls, texts: list[str], input_selector: str) -> list[float]:
    """Type each text key by key; time from the key press to the results painted (in the app)."""
    from textual.widgets import Input

    painted: dict[str, float] = {}
    arrived = asyncio.Event()
    original = screen_cls.show

    def show(self, text, *args):
        original(self, text, *args)

        def mark() -> None:
            painted[text] = time.perf_counter()
            arrived.set()

        self.app.call_after_refresh(mark)

    screen_cls.show = show
    times: list[float] = []
    try:
        for full in texts:
            field = app.screen.query_one(input_selector, Input)
            field.value = ""
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            typed = ""
            for ch in full:
                typed += ch
                painted.pop(typed, None)
                arrived.clear()
                start = time.perf_counter()
                await pilot.press(ch)
                while typed not in painted:
                    arrived.clear()
                    await asyncio.wait_for(arrived.wait(), 10)
                if typed.strip():
                    times.append(painted[typed] - start)
    finally:
        screen_cls.show = original
    return times


def _bare_lookup_app():
    """The floor: the lookup screen's widgets, 20 canned rows per key from a worker thread, no shop."""
    from textual import on, work
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Input, OptionList, Static
    from textual.widgets.option_list import Option

    class BareLookup(Screen):
        def compose(self):
            yield Header()
            yield Input(id="lookup-input")
            yield Static(id="lookup-status")
            yield OptionList(id="lookup-results")
            yield Footer()

        def on_mount(self) -> None:
            self.query_one(Input).focus()

        @on(Input.Changed)
        def _typed(self, event) -> None:
            self.search(event.value)

        @work(thread=True, exclusive=True)
        def search(self, text: str) -> None:
            rows = [f"{text} customer {n:<20} 06 00 00 00 {n:02d}  L1 first-time   €{n}.00" for n in range(20)] if text.strip() else []
            self.app.call_from_thread(self.show, text, rows)

        def show(self, text, rows) -> None:
            results = self.query_one(OptionList)
            results.clear_options()
            results.add_options(Option(row, id=str(n)) for n, row in enumerate(rows))
            self.query_one(Static).update(f"{len(rows)} matches")

    class BareApp(App):
        def on_mount(self) -> None:
            self.push_screen(BareLookup())

    return BareApp(), BareLookup


def keypress_to_results(db: Path, today: date, samples) -> Figure:
    from shopkeeper.app import make_app
    from shopkeeper.screens.lookup import LookupScreen
    from shopkeeper.services import Shop

    texts = [text for _kind, text in samples]

    async def ours() -> list[float]:
        shop = Shop.open(db)
        app = make_app(shop, today=today)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                await pilot.press("slash")
                await pilot.pause()
                return await _type_and_time(app, pilot, LookupScreen, texts, "#lookup-input")
        finally:
            shop.close()

    async def bare() -> list[float]:
        app, screen_cls = _bare_lookup_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            return await _type_and_time(app, pilot, screen_cls, texts, "#lookup-input")

    base = summary_ms(asyncio.run(bare()))
    mine = summary_ms(asyncio.run(ours()))
    return Figure(
        "lookup_keypress_p95", "key press to results shown (p95, in the app)", "ms", mine["p95_ms"], base["p95_ms"],
        "bare Textual lookup screen, p95", [at_most(mine["p95_ms"], 50, "ms")], {"ours": mine, "bare": base},
    )


# command line: find and checklist, large shop against an empty one ---------------------------------
def _cli_ms(args: list[str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "shopkeeper", *args], capture_output=True, cwd=ROOT)
        out.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"shopkeeper {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    return out


def cli_commands(large: Path, empty: Path, today: date, samples, repeat: int) -> list[Figure]:
    figures = []
    name = next(text for kind, text in samples if kind == "name")
    for key, title, args in (
        ("find_cli", f"`shopkeeper find {name}` (whole command)", ["find", name, "--format", "json"]),
        ("checklist_cli", "`shopkeeper checklist` (whole command)", ["checklist", "--format", "json"]),
    ):
        big, small = [], []
        for _ in range(repeat):  # interleaved, so both see the same machine
            big += _cli_ms(["--db", str(large), "--date", today.isoformat(), *args], 1)
            small += _cli_ms(["--db", str(empty), "--date", today.isoformat(), *args], 1)
        mine, base = summary_ms(big), summary_ms(small)
        figures.append(Figure(
            key, title, "ms", mine["median_ms"], base["median_ms"], "same on the empty shop",
            [ratio_at_most(mine["median_ms"], base["median_ms"], 1.2, "empty shop")], {"large": mine, "empty": base},
        ))
    return figures


# checklist ----------------------------------------------------------------------------------
NAIVE_SECOND_SALE = """
    WITH days AS (
      SELECT customer_id, sold_on, SUM(amount_cents) AS cents, SUM(item_count) AS items, MIN(on_sale) AS on_sale
      FROM sale WHERE customer_id IS NOT NULL AND amount_cents > 0 AND sold_on <= :d
      GROUP BY customer_id, sold_on
    ), per AS (
      SELECT customer_id, MIN(sold_on) AS first_on, COUNT(*) AS n FROM days GROUP BY customer_id
    )
    SELECT c.id, c.name, per.first_on, days.cents, days.items, days.on_sale
    FROM per JOIN days ON days.customer_id = per.customer_id AND days.sold_on = per.first_on
    JOIN customer c ON c.id = per.customer_id
    WHERE per.n = 1 AND per.first_on BETWEEN :start AND :end
"""


def checklist(db: Path, today: date, repeat: int) -> list[Figure]:
    from shopkeeper.services import Shop

    shop = Shop.open(db)
    conn = reader(db)
    naive_sql = NAIVE_SECOND_SALE if shop.path is not None else NAIVE_SECOND_SALE.replace("MIN(on_sale)", "bool_and(on_sale)")
    settings = shop.settings
    params = {"d": today.isoformat(),
              "start": (today - timedelta(days=settings.second_sale_give_up_days)).isoformat(),
              "end": (today - timedelta(days=settings.second_sale_after_days)).isoformat()}
    try:
        ours, naive = [], []
        rows = shop.checklist(today).total()
        conn.execute(naive_sql, params).fetchall()
        for _ in range(repeat):
            ours += time_calls(lambda: shop.checklist(today), 3)
            start = time.perf_counter()
            naive_rows = len(conn.execute(naive_sql, params).fetchall())
            naive.append(time.perf_counter() - start)
    finally:
        conn.close()
        shop.close()
    mine, base = summary_ms(ours), summary_ms(naive)
    return [Figure(
        "checklist", "checklist for a day (all sections)", "ms", mine["median_ms"], base["median_ms"],
        "naive: second-sale list by grouping all sales",
        [at_most(mine["median_ms"], 20, "ms"), speedup_at_least(mine["median_ms"], base["median_ms"], 50)],
        {"ours": mine, "naive": base, "checklist_rows": rows, "naive_rows": naive_rows},
    )]


# customer card and logging a sale -------------------------------------------------------------
def card_and_sale(db: Path, today: date, repeat: int, seed: int, workdir: Path) -> list[Figure]:
    from sqlalchemy import text

    from shopkeeper.services import SaleInput, Shop
    from shopkeeper.store.db import reading

    rng = random.Random(seed)
    copy = work_copy(db, workdir / "card-sale.sqlite3")
    shop = Shop.open(copy)
    try:
        total = shop.count_customers()
        ids = [rng.randint(1, total) for _ in range(repeat)]
        ours, floor = [], []
        shop.card(ids[0], today)
        for cid in ids:
            start = time.perf_counter()
            shop.card(cid, today)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            with reading(shop.engine) as session:
                session.execute(text("SELECT * FROM customer WHERE id = :i"), {"i": cid}).all()
            floor.append(time.perf_counter() - start)
        card_mine, card_floor = summary_ms(ours), summary_ms(floor)

        raw = sqlite3.connect(copy, isolation_level=None, timeout=30)
        raw.execute("PRAGMA synchronous=FULL")
        sales, inserts = [], []
        for cid in ids:
            amount = rng.randint(500, 20000)
            start = time.perf_counter()
            shop.log_sale(SaleInput(amount, today, customer_id=cid, item_count=2))
            sales.append(time.perf_counter() - start)
            start = time.perf_counter()
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO sale (customer_id, sold_on, amount_cents, item_count, on_sale, note)"
                        " VALUES (?, ?, ?, 2, 0, '')", (cid, today.isoformat(), amount))
            raw.execute("COMMIT")
            inserts.append(time.perf_counter() - start)
        raw.close()
        sale_mine, sale_floor = summary_ms(sales), summary_ms(inserts)
    finally:
        shop.close()
        remove_db(copy)
    return [
        Figure("card", "open a customer card", "ms", card_mine["median_ms"], card_floor["median_ms"],
               "one customer row by id", [at_most(card_mine["median_ms"], 10, "ms")],
               {"ours": card_mine, "floor": card_floor}),
        Figure("log_sale", "log a sale (write + aggregates + commit)", "ms", sale_mine["median_ms"],
               sale_floor["median_ms"], "raw sqlite3 insert + commit", [at_most(sale_mine["median_ms"], 5, "ms")],
               {"ours": sale_mine, "floor": sale_floor}),
    ]


# import -----------------------------------------------------------------------------------
def sales_csv(db: Path, dest: Path) -> int:
    """The shop's sales as a till would export them: one row per sale, customer named on each row."""
    if dest.exists():
        with open(dest, encoding="utf-8") as handle:
            return sum(1 for _ in handle) - 1
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    partial = dest.with_suffix(".partial")
    rows = 0
    try:
        with open(partial, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["date", "customer_id", "customer", "phone", "email", "amount", "items", "on_sale"])
            query = conn.execute(
                "SELECT s.sold_on, c.id, c.name, (SELECT raw FROM customer_phone p WHERE p.customer_id = c.id"
                " ORDER BY p.id LIMIT 1), c.email, s.amount_cents, s.item_count, s.on_sale"
                " FROM sale s LEFT JOIN customer c ON c.id = s.customer_id ORDER BY s.id")
            for day, cid, name, phone, email, cents, items, on_sale in query:
                sign = "-" if cents < 0 else ""
                amount = f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
                writer.writerow([day, f"C{cid:06d}" if cid else "", name or "", phone or "", email or "",
                                 amount, items, "yes" if on_sale else ""])
                rows += 1
    finally:
        conn.close()
    partial.rename(dest)
    return rows


def raw_rows(db: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT customer_id, sold_on, amount_cents, item_count, on_sale, note FROM sale ORDER BY id").fetchall()
    finally:
        conn.close()


def importing(db: Path, csv_path: Path, repeat: int, workdir: Path) -> list[Figure]:
    from shopkeeper.imports import import_sales
    from shopkeeper.services import Shop

    rows = sales_csv(db, csv_path)
    tuples = raw_rows(db)
    ours, raw = [], []
    for n in range(repeat):
        target = workdir / f"raw-{n}.sqlite3"
        Shop.open(target).close()  # the same schema, indexes and durability
        conn = sqlite3.connect(target, isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO sale (customer_id, sold_on, amount_cents, item_count, on_sale, note)"
                         " VALUES (?,?,?,?,?,?)", tuples)
        conn.execute("COMMIT")
        raw.append(time.perf_counter() - start)
        conn.close()
        remove_db(target)

        target = workdir / f"import-{n}.sqlite3"
        shop = Shop.open(target)
        try:
            start = time.perf_counter()
            report = import_sales(shop, csv_path, {})
            ours.append(time.perf_counter() - start)
        finally:
            shop.close()
            remove_db(target)
        if report.sales_added != rows:
            raise RuntimeError(f"import added {report.sales_added} sales, expected {rows}")
    rate = rows / statistics.median(ours)
    raw_rate = len(tuples) / statistics.median(raw)
    return [Figure(
        "import_rate", f"import {rows:,} sale rows from CSV (new shop)", "rows/s", rate, raw_rate,
        "raw sqlite3 executemany, one transaction",
        [at_least(rate, 30_000, "rows/s"), Target("within 3× of raw", raw_rate <= 3 * rate)],
        {"rows": rows, "customers_created": report.customers_added,
         "import_seconds": [round(s, 2) for s in ours], "raw_seconds": [round(s, 2) for s in raw]},
    )]


# start-up and memory (child processes) ---------------------------------------------------------
def _probe(args: list[str], env: dict | None = None) -> tuple[float, dict]:
    start = time.time()
    done = subprocess.run([sys.executable, "-m", "benchmarks.probe", *args], capture_output=True, cwd=ROOT,
                          timeout=1800, env=env)
    lines = [line for line in done.stdout.decode().splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"probe {' '.join(args)} failed: {done.stderr.decode()[-2000:]}")
    data = json.loads(lines[-1])
    return data.get("painted", 0) - start, data


def as_installed() -> dict:
    """The environment a user's start has: Python's bytecode cache on (an installed package's
    modules are compiled once, then loaded from __pycache__). This machine sets
    PYTHONDONTWRITEBYTECODE, which would make every start compile every one of our modules."""
    import os

    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def startup(large: Path, empty: Path, today: date, repeat: int) -> list[Figure]:
    """Process start to the checklist painted, as a user starts the app (bytecode cache on and
    warm), for the app and the bare baseline alike."""
    big, small, bare, queries = [], [], [], []
    rows = 0
    env = as_installed()
    _probe(["startup", "bare"], env)  # warm the OS file cache and the bytecode cache for every run alike
    _probe(["startup", "app", str(large), today.isoformat()], env)
    _probe(["startup", "app", str(empty), today.isoformat()], env)
    for _ in range(repeat):
        took, data = _probe(["startup", "app", str(large), today.isoformat()], env)
        big.append(took)
        queries.append(data.get("checklist_query_ms", 0.0) / 1000)
        rows = data.get("rows", 0)
        small.append(_probe(["startup", "app", str(empty), today.isoformat()], env)[0])
        bare.append(_probe(["startup", "bare"], env)[0])
    b, s, f = summary_ms(big), summary_ms(small), summary_ms(bare)
    q = summary_ms(queries)  # the large shop's checklist query inside its start (its own figure above)
    return [
        Figure("startup_large_vs_empty", "start-up to checklist painted: large vs empty shop (bytecode cache on)", "ms",
               b["median_ms"], s["median_ms"], "empty shop",
               [ratio_at_most(b["median_ms"], s["median_ms"], 1.10, "empty shop")],
               {"large": b, "empty": s, "checklist_rows": rows, "large_checklist_query": q,
                "bytecode_cache": "on, warmed by one start"}),
        Figure("startup_large_vs_bare", "start-up to checklist painted: large shop vs bare app (bytecode cache on)", "ms",
               b["median_ms"], f["median_ms"], "bare Textual + sqlmodel, same widgets",
               [ratio_at_most(b["median_ms"], f["median_ms"], 1.25, "bare app")],
               {"large": b, "bare": f, "large_checklist_query": q, "bytecode_cache": "on, warmed by one start"}),
    ]


def memory(large: Path, empty: Path, today: date) -> list[Figure]:
    _, big = _probe(["memory", str(large), today.isoformat()])
    _, small = _probe(["memory", str(empty), today.isoformat()])
    return [Figure(
        "peak_rss", "peak memory: large shop open, customers list paged end to end", "MB", big["peak_rss_mb"],
        small["peak_rss_mb"], "same on the empty shop", [at_most(big["peak_rss_mb"], 200, "MB")],
        {"large": big, "empty": small},
    )]


def insights(db: Path, today: date, repeat: int) -> list[Figure]:
    """All the insight figures and both model fits, beside one bare pass over the sales table
    (the least any figure that reads every sale must pay)."""
    from shopkeeper.insights import compute_insights
    from shopkeeper.services import Shop

    shop = Shop.open(db)
    conn = reader(db)
    try:
        result = compute_insights(shop, today, remember_models=False)  # warm: numpy/scipy imported
        ours = time_calls(lambda: compute_insights(shop, today, remember_models=False), repeat)
        scan = time_calls(lambda: conn.execute("SELECT COUNT(*), SUM(amount_cents) FROM sale").fetchone(), repeat)
    finally:
        conn.close()
        shop.close()
    mine, base = summary_ms(ours), summary_ms(scan)
    models = result.models or {}
    return [Figure(
        "insights", "insights on the large shop (figures + model fits)", "ms", mine["median_ms"], base["median_ms"],
        "one bare scan of all sales", [at_most(mine["median_ms"], 1000, "ms")],
        {"ours": mine, "scan": base, "models": bool(models), "reason": result.models_reason,
         "customers_fitted": (models.get("purchases") or {}).get("customers")},
    )]


def scratch() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="shopkeeper-bench-")
