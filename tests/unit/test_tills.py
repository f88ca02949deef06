"""Several tills selling at once (issue 12): 4 till processes × 500 sales to the same customers on
PostgreSQL lose nothing and every kept total equals a recount from the sales; a till SIGKILLed in
the middle of a sale leaves nothing half-written and the other tills go on. The same overlap with
two processes on one SQLite file."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from shopkeeper.services import NewCustomer, Shop
from shopkeeper.store.figures import refresh_figures

TILL = Path(__file__).resolve().parent.parent / "support" / "till_sales.py"
ROOT = Path(__file__).resolve().parent.parent.parent
KEPT = ("first_purchase_on", "second_purchase_on", "last_purchase_on", "purchase_days", "total_spend_cents",
        "first_day_cents", "visit_days", "first_visit_on", "last_visit_on", "visit_cents", "first_visit_cents",
        "first_day_items", "first_day_on_sale", "advocate_since")
CUSTOMERS = 12  # few customers, many tills: nearly every sale overlaps another till's customer


@pytest.fixture
def server_shop(engine_name, db_location):
    if engine_name != "postgresql":
        pytest.skip("several till processes on one shop: the PostgreSQL server (SQLite: test below)")
    return db_location


def make_customers(location) -> list[int]:
    shop = Shop.open(location)
    try:
        return [shop.create_customer(NewCustomer(f"Regular {i}", [f"0611{i:06d}"]), date(2025, 12, 1))
                for i in range(CUSTOMERS)]
    finally:
        shop.close()


class Till:
    """A till process; its output lines are read as they come, each with the moment it arrived."""

    def __init__(self, location, count, seed: int, customers: list[int]) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen(
            [sys.executable, str(TILL), str(location), str(count), str(seed), ",".join(map(str, customers))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: list[tuple[float, str]] = []
        self.ready = threading.Event()
        self.holding = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line.strip()))
            if line.startswith("READY"):
                self.ready.set()
            elif line.startswith("HOLDING"):
                self.holding.set()

    def go(self) -> None:
        assert self.ready.wait(60), self.proc.stderr.read() if self.proc.poll() is not None else "not ready"
        self.proc.stdin.write("GO\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float = 120) -> list[tuple[float, int, int, int]]:
        """Wait for the till to end; its acknowledged sales (moment, sale id, customer, amount)."""
        self.proc.stdin.close()
        self.proc.wait(timeout=timeout)
        self.reader.join(timeout=10)  # the reader alone reads stdout, to the end
        assert self.proc.returncode == 0, self.proc.stderr.read()[-2000:]
        return [(moment, int(p[1]), int(p[2]), int(p[3])) for moment, line in self.lines
                if (p := line.split())[:1] == ["ACK"]]


def kept_totals(session: Session) -> dict[int, tuple]:
    columns = ", ".join(KEPT)
    return {row[0]: tuple(row[1:]) for row in session.execute(text(f"SELECT id, {columns} FROM customer ORDER BY id"))}


def check_against_recount(location, acknowledged: list[tuple[float, int, int, int]]) -> None:
    """Nothing lost, nothing extra, and every kept total equals a recount from the sales."""
    shop = Shop.open(location)
    try:
        with Session(shop.engine) as session:
            sales = {row[0]: (row[1], row[2]) for row in session.execute(
                text("SELECT id, customer_id, amount_cents FROM sale ORDER BY id"))}
            assert len(sales) == len(acknowledged), "sales lost or half-written ones left"
            assert {sale_id: (customer, amount) for _t, sale_id, customer, amount in acknowledged} == sales
            spend: dict[int, int] = defaultdict(int)
            for _t, _sale, customer, amount in acknowledged:
                spend[customer] += amount
            kept = kept_totals(session)
            assert {c: kept[c][KEPT.index("total_spend_cents")] for c in spend} == dict(spend)
            assert session.execute(text(
                "SELECT COUNT(*) FROM sale s WHERE s.amount_cents > 0 AND "
                "(SELECT COUNT(*) FROM sale_line l WHERE l.sale_id = s.id) != 1")).scalar() == 0
            refresh_figures(session, kept)  # the recount from the sales, in a transaction rolled back
            recount = kept_totals(session)
            session.rollback()
        wrong = {c: (kept[c], recount[c]) for c in kept if kept[c] != recount[c]}
        assert not wrong, f"{len(wrong)} customers' kept totals differ from a recount: {list(wrong.items())[:3]}"
    finally:
        shop.close()


def test_four_tills_selling_500_each_to_the_same_customers_lose_nothing(server_shop):
    customers = make_customers(server_shop)
    tills = [Till(server_shop, 500, seed, customers) for seed in range(4)]
    for till in tills:
        till.ready.wait(60)
    for till in tills:
        till.go()
    acknowledged = [ack for till in tills for ack in till.finish()]
    assert len(acknowledged) == 4 * 500
    check_against_recount(server_shop, acknowledged)


def test_a_till_killed_mid_sale_leaves_nothing_and_the_others_go_on(server_shop):
    customers = make_customers(server_shop)
    holder = Till(server_shop, "hold", 0, customers)
    holder.go()
    assert holder.holding.wait(60), "the till never took the write lock"
    others = [Till(server_shop, 50, seed, customers) for seed in (1, 2)]
    for till in others:
        till.go()
    time.sleep(1.0)  # the others are now waiting for the lock the held sale keeps
    assert not any(line.startswith("ACK") for till in others for _t, line in till.lines)
    killed_at = time.monotonic()
    holder.proc.send_signal(signal.SIGKILL)
    holder.proc.wait()
    acknowledged = [ack for till in others for ack in till.finish()]
    assert len(acknowledged) == 100
    waited = min(moment for moment, *_ in acknowledged) - killed_at
    assert waited < 5, f"the other tills waited {waited:.1f} s after the kill"  # not the 30 s lock timeout
    check_against_recount(server_shop, acknowledged)  # the half-written sale and its total are gone


def test_two_processes_on_one_sqlite_file_selling_to_the_same_customers(tmp_path):
    path = tmp_path / "shop.sqlite3"
    customers = make_customers(path)
    tills = [Till(path, 150, seed, customers) for seed in (1, 2)]
    for till in tills:
        till.go()
    acknowledged = [ack for till in tills for ack in till.finish()]
    assert len(acknowledged) == 300
    check_against_recount(path, acknowledged)
