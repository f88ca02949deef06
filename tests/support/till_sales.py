"""One till process for the several-tills tests: logs sales to customers the other tills sell to too.

    till_sales.py LOCATION COUNT SEED CUSTOMER_IDS         log COUNT sales (some refunds tied to them)
    till_sales.py LOCATION hold SEED CUSTOMER_ID           take the write lock, write half a sale, sleep

It prints READY once the shop is open and waits for a line on stdin (so all tills start together),
then "ACK sale_id customer_id amount_cents seconds" after each commit, seconds being how long that
sale took. In hold mode it prints HOLDING with the write transaction open, to be SIGKILLed.
"""
from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from shopkeeper.services import SaleInput, Shop
from shopkeeper.store.writes import LineInput

TODAY = date(2026, 3, 2)
HALF_WRITTEN = "half-written by a till killed mid-sale"


def sell(shop: Shop, count: int, seed: int, customers: list[int]) -> None:
    rng = random.Random(seed)
    mine: list[tuple[int, int, int, date]] = []  # (sale, customer, what is left to refund, day)
    for _ in range(count):
        started = time.perf_counter()
        if mine and rng.random() < 0.1:  # give part of an earlier sale back, tied to it
            index = rng.randrange(len(mine))
            sale_id, customer, left, day = mine[index]
            amount = -min(left, rng.randrange(100, 1000))
            new_id = shop.log_sale(SaleInput(amount, day, customer_id=customer, refund_of_id=sale_id), TODAY)
            mine[index] = (sale_id, customer, left + amount, day)
            if left + amount <= 0:
                mine.pop(index)
        else:
            customer = rng.choice(customers)
            price = rng.randrange(500, 5000)
            quantity = rng.randrange(1, 3)
            amount = price * quantity
            day = date(2026, 1, 1) + timedelta(days=rng.randrange(60))
            new_id = shop.log_sale(SaleInput(amount, day, customer_id=customer, item_count=quantity,
                                             on_sale=rng.random() < 0.3, lines=[LineInput("tea", quantity, price)]),
                                   TODAY)
            mine.append((new_id, customer, amount, day))
        print(f"ACK {new_id} {customer} {amount} {time.perf_counter() - started:.6f}", flush=True)


def hold(shop: Shop, customer: int) -> None:
    """Half a sale inside the write transaction (the sale row and its customer's total, no line yet),
    then wait to be killed: the lock and the rows must go with the process."""
    from sqlalchemy import text

    from shopkeeper.store.db import writing

    with writing(shop.engine) as session:
        session.execute(text("INSERT INTO sale (customer_id, sold_on, amount_cents, item_count, on_sale, note) "
                             "VALUES (:c, :d, 777, 1, false, :n)"), {"c": customer, "d": TODAY, "n": HALF_WRITTEN})
        session.execute(text("UPDATE customer SET total_spend_cents = total_spend_cents + 777 WHERE id = :c"),
                        {"c": customer})
        session.flush()
        print("HOLDING", flush=True)
        time.sleep(600)


def main(location: str, count: str, seed: str, customers: str) -> None:
    shop = Shop.open(location)
    ids = [int(i) for i in customers.split(",")]
    print("READY", flush=True)
    sys.stdin.readline()
    if count == "hold":
        hold(shop, ids[0])
    else:
        sell(shop, int(count), int(seed), ids)
    shop.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
