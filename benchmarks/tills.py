"""Several tills logging sales at once (issue 12), on either engine: 4 till processes against one
till alone, on a copy of the large shop, all selling to the same few hundred customers.

Run as a module, this is one till: `python -m benchmarks.tills LOCATION COUNT SEED TODAY` prints
READY once the shop is open, waits for a line on stdin (so the tills start together), logs COUNT
sales, and prints the seconds each took as one JSON line.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from .common import Figure, Target, at_most, percentile, summary_ms

ROOT = Path(__file__).resolve().parent.parent
HOT_CUSTOMERS = 300  # the regulars every till sells to: the tills wait for each other on the same rows


def _till_main(location: str, count: int, seed: int, today: date) -> None:
    from shopkeeper.services import SaleInput, Shop

    rng = random.Random(seed)
    shop = Shop.open(location)
    customers = min(HOT_CUSTOMERS, shop.count_customers())
    print("READY", flush=True)
    sys.stdin.readline()
    took = []
    for _ in range(count):
        start = time.perf_counter()
        shop.log_sale(SaleInput(rng.randint(500, 20000), today, customer_id=rng.randint(1, customers), item_count=2),
                      today)
        took.append(time.perf_counter() - start)
    shop.close()
    print(json.dumps({"seconds": took}), flush=True)


def run_tills(location, today: date, tills: int, per_till: int, seed: int) -> tuple[float, list[float]]:
    """(sales per second over all tills, each sale's seconds) with `tills` processes at once."""
    procs = [subprocess.Popen([sys.executable, "-m", "benchmarks.tills", str(location), str(per_till), str(seed + n),
                               today.isoformat()], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT) for n in range(tills)]
    for proc in procs:
        line = proc.stdout.readline()
        if line.strip() != "READY":
            raise RuntimeError(f"a till did not start: {proc.stderr.read()[-1000:]}")
    start = time.perf_counter()
    for proc in procs:
        proc.stdin.write("GO\n")
        proc.stdin.flush()
    took: list[float] = []
    for proc in procs:
        out, err = proc.communicate(timeout=1800)
        if proc.returncode != 0:
            raise RuntimeError(f"a till failed: {err[-1000:]}")
        took += json.loads(out.strip().splitlines()[-1])["seconds"]
    elapsed = time.perf_counter() - start
    return len(took) / elapsed, took


def tills(location, today: date, per_till: int, seed: int, engine: str) -> list[Figure]:
    """4 tills at once against one till alone, on a copy of the large shop (`location`)."""
    alone_rate, alone = run_tills(location, today, 1, per_till, seed)
    four_rate, four = run_tills(location, today, 4, per_till, seed + 100)
    four_ms, alone_ms = summary_ms(four), summary_ms(alone)
    p95 = round(percentile(four, 95) * 1000, 3)
    return [
        # writes are one at a time per shop: 4 tills together should sell about as fast as one alone
        Figure("tills_rate", "4 tills logging sales at once: sales per second", "sales/s", four_rate, alone_rate,
               "one till alone", [Target("≥ 0.8× one till alone", four_rate >= 0.8 * alone_rate)],
               {"engine": engine, "per_till": per_till, "four": four_ms, "alone": alone_ms}),
        # and a sale at the counter still feels instant while the others sell
        Figure("tills_p95", "4 tills logging sales at once: p95 per sale", "ms", p95,
               round(percentile(alone, 95) * 1000, 3), "one till alone, p95", [at_most(p95, 100, "ms")],
               {"engine": engine}),
    ]


if __name__ == "__main__":
    _till_main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), date.fromisoformat(sys.argv[4]))
