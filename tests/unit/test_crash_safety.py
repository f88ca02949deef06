"""Kill a process that is logging sales with SIGKILL at random moments; nothing acknowledged is
lost and nothing is half-written. SHOPKEEPER_CRASH_KILLS sets how many kills (CI runs a few;
`SHOPKEEPER_CRASH_KILLS=120 pytest tests/unit/test_crash_safety.py` is the full run)."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path


WRITER = Path(__file__).resolve().parent.parent / "support" / "write_sales.py"
KILLS = int(os.environ.get("SHOPKEEPER_CRASH_KILLS", "6"))


def check_database(path: Path, acknowledged: dict[int, int]) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = dict(conn.execute("SELECT id, amount_cents FROM sale"))
        for sale_id, amount in acknowledged.items():
            assert stored.get(sale_id) == amount, f"acknowledged sale {sale_id} lost or changed"
        # every sale was written with its two lines: none half-written
        assert conn.execute(
            "SELECT COUNT(*) FROM sale s WHERE (SELECT COUNT(*) FROM sale_line l WHERE l.sale_id = s.id) != 2"
        ).fetchone()[0] == 0
        # kept aggregates agree with the sales themselves
        wrong = conn.execute(
            """SELECT COUNT(*) FROM customer c WHERE
                 c.total_spend_cents != COALESCE((SELECT SUM(amount_cents) FROM sale WHERE customer_id = c.id), 0)
              OR c.purchase_days != (SELECT COUNT(DISTINCT sold_on) FROM sale WHERE customer_id = c.id AND amount_cents > 0)
              OR COALESCE(c.first_purchase_on, '') != COALESCE((SELECT MIN(sold_on) FROM sale WHERE customer_id = c.id AND amount_cents > 0), '')
              OR c.visit_days != (SELECT COUNT(DISTINCT sold_on) FROM sale WHERE customer_id = c.id AND amount_cents >= 0)
              OR c.visit_cents != COALESCE((SELECT SUM(amount_cents) FROM sale WHERE customer_id = c.id AND amount_cents >= 0), 0)"""
        ).fetchone()[0]
        assert wrong == 0
    finally:
        conn.close()


def test_sigkill_mid_write_loses_nothing_acknowledged(tmp_path):
    path = tmp_path / "shop.sqlite3"
    rng = random.Random(1234)
    acknowledged: dict[int, int] = {}
    for kill in range(KILLS):
        proc = subprocess.Popen([sys.executable, str(WRITER), str(path), "100000", str(kill)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
        reader.start()
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(timeout=10)
        for line in lines:
            parts = line.split()
            if len(parts) == 4 and parts[0] == "ACK":
                acknowledged[int(parts[1])] = int(parts[3])
        check_database(path, acknowledged)
    assert len(acknowledged) > KILLS  # the writer got real work done between kills
    print(f"\n{KILLS} kills survived, {len(acknowledged)} acknowledged sales checked")


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shop.sqlite3"
    from shopkeeper.services import Shop

    Shop.open(path).close()  # create the schema once, before both start
    count = int(os.environ.get("SHOPKEEPER_CONCURRENT_SALES", "300"))
    procs = [subprocess.Popen([sys.executable, str(WRITER), str(path), str(count), str(seed)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for seed in (1, 2)]
    acknowledged: dict[int, int] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "locked" not in err
        for line in out.splitlines():
            if line.startswith("ACK"):
                _, sale_id, _customer, amount = line.split()
                acknowledged[int(sale_id)] = int(amount)
    assert len(acknowledged) == 2 * count
    check_database(path, acknowledged)
