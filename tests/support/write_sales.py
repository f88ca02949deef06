"""A process that logs sales in a loop, printing "ACK id customer amount" after each commit.

Used by the crash-safety and concurrency tests: they kill it, or run two at once, and then
check that every acknowledged sale is in the file, whole, with exact aggregates.
"""
from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from shopkeeper.services import NewCustomer, SaleInput, Shop
from shopkeeper.store.writes import LineInput


def main(path: str, count: int, seed: int) -> None:
    rng = random.Random(seed)
    shop = Shop.open(Path(path))
    customers = [shop.create_customer(NewCustomer(f"Writer {seed} customer {i}", [f"06{seed:02d}{i:06d}"]), date(2026, 1, 1))
                 for i in range(5)]
    print("READY", flush=True)
    for n in range(count):
        customer = rng.choice(customers)
        lines = [LineInput("tea", 1, rng.randrange(100, 5000)), LineInput("cup", 2, rng.randrange(100, 3000))]
        amount = sum(line.quantity * line.unit_price_cents for line in lines)
        if rng.random() < 0.1:
            amount = -amount  # a refund now and then
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
        sale_id = shop.log_sale(SaleInput(amount, day, customer_id=customer, item_count=3, lines=lines))
        print(f"ACK {sale_id} {customer} {amount}", flush=True)
    shop.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
