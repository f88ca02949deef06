"""Kept totals always true: random sequences of every write that can change a customer's figures
(sales, tied and untied refunds, voids, edits, merges, erases, referrals, testimonials) go through
services.Shop on a temporary SQLite shop; after every step each kept figure of every customer is
compared with a recomputation from the raw rows, written here in plain Python (not the SQL under
test), following PRODUCT.md's rules.
"""
from __future__ import annotations

import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from shopkeeper.domain.errors import InputError
from shopkeeper.services import NewCustomer, SaleInput, Shop
from support.db_rows import connect

START = date(2026, 1, 1)
TODAY = START + timedelta(days=40)
DAYS = st.integers(0, 40).map(lambda n: START + timedelta(days=n))
PICK = st.integers(0, 10_000)
MAX_CUSTOMERS = 7  # few, so the random picks meet: the same customer refers, buys, merges, is erased
AMOUNT = st.sampled_from([100, 250, 999, 2000, 5000, 123456])

KEPT = ("first_purchase_on", "second_purchase_on", "last_purchase_on", "purchase_days", "total_spend_cents",
        "first_day_cents", "first_day_items", "first_day_on_sale", "advocate_since", "visit_days", "first_visit_on",
        "last_visit_on", "visit_cents", "first_visit_cents")

# Memory-backed when the system has it: each write syncs to disk (synchronous=FULL), and 3,000 of
# them on a real disk take minutes.
_TMP = "/dev/shm" if Path("/dev/shm").is_dir() else None
# Every table a sequence writes, children first: each sequence starts from an emptied shop. One
# shop (one engine) serves every sequence, so SQLAlchemy compiles each statement once, not 200 times.
TABLES = ("sale_line", "sale_correction", "sale_void", "sale", "referral", "feedback", "contact", "follow_up",
          "promise", "family_date", "customer_phone", "customer", "household")
_SHOP: dict[str, Shop] = {}


def _empty_shop() -> Shop:
    if "shop" not in _SHOP:
        folder = Path(tempfile.mkdtemp(prefix="kept-", dir=_TMP))
        _SHOP["shop"] = Shop.open(folder / "shop.sqlite3")
    shop = _SHOP["shop"]
    conn = sqlite3.connect(shop.path)  # its own SQLite file; foreign keys off to empty it in any order
    try:
        with conn:
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")
    finally:
        conn.close()
    return shop


def expected_figures(conn: sqlite3.Connection) -> dict[int, dict]:
    """Every customer's figures from the rows alone (dates as ISO text, as SQLite keeps them)."""
    sales = conn.execute("SELECT id, customer_id, sold_on, amount_cents, item_count, on_sale, refund_of_id FROM sale").fetchall()
    tied: dict[int, int] = {}
    for _id, _c, _d, amount, _n, _s, refund_of in sales:
        if refund_of is not None:
            tied[refund_of] = tied.get(refund_of, 0) + amount
    out: dict[int, dict] = {}
    for (cid,) in conn.execute("SELECT id FROM customer").fetchall():
        mine = [s for s in sales if s[1] == cid]
        # a purchase: a positive sale not refunded in full by the refunds tied to it
        purchases = [s for s in mine if s[3] > 0 and s[3] + tied.get(s[0], 0) > 0]
        days = sorted({s[2] for s in purchases})
        first = days[0] if days else None
        first_day = [s for s in purchases if s[2] == first]
        visits = [s for s in mine if s[3] >= 0]
        visit_days = sorted({s[2] for s in visits})
        out[cid] = {
            "first_purchase_on": first,
            "second_purchase_on": days[1] if len(days) > 1 else None,
            "last_purchase_on": days[-1] if days else None,
            "purchase_days": len(days),
            "total_spend_cents": sum(s[3] for s in mine),
            "first_day_cents": sum(s[3] + tied.get(s[0], 0) for s in first_day),
            "first_day_items": sum(s[4] for s in first_day),
            "first_day_on_sale": int(bool(first_day) and all(s[5] for s in first_day)),
            "visit_days": len(visit_days),
            "first_visit_on": visit_days[0] if visit_days else None,
            "last_visit_on": visit_days[-1] if visit_days else None,
            "visit_cents": sum(s[3] for s in visits),
            "first_visit_cents": sum(s[3] for s in visits if s[2] == visit_days[0]) if visit_days else 0,
        }
    for cid, figures in out.items():
        # advocate since: the earliest day one of their referees had bought (and was referred),
        # or the earliest testimonial, or the earliest "would recommend us: yes"
        days = [max(on, out[referee]["first_purchase_on"])
                for referee, on in conn.execute("SELECT referee_id, referred_on FROM referral WHERE referrer_id = ?", (cid,))
                if out[referee]["first_purchase_on"] is not None]
        days += [on for (on,) in conn.execute("SELECT given_on FROM feedback WHERE customer_id = ? AND (testimonial_ok OR would_recommend)", (cid,))]
        figures["advocate_since"] = min(days) if days else None
    return out


class KeptTotals(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.shop = _empty_shop()
        self.customers: list[int] = []

    # helpers ----------------------------------------------------------------------------------
    def _rows(self, sql: str, *params) -> list[tuple]:
        conn = connect(self.shop)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def _pick(self, items: list, pick: int):
        return items[pick % len(items)]

    def _sales(self) -> list[tuple]:
        return self._rows("SELECT id, customer_id, sold_on, amount_cents, refund_of_id FROM sale ORDER BY id")

    # writes -----------------------------------------------------------------------------------
    @initialize(people=st.lists(st.tuples(st.one_of(st.none(), PICK, PICK), DAYS,
                                          st.lists(st.tuples(DAYS, AMOUNT), max_size=2)), min_size=4, max_size=6))
    def a_small_shop(self, people):
        """Start from a few customers who refer each other and have bought: the writes that follow
        meet referrers, referees and buyers from their first step."""
        for referrer, on, sales in people:
            by = self._pick(self.customers, referrer) if referrer is not None and self.customers else None
            cid = self.shop.create_customer(NewCustomer(f"Customer {len(self.customers)}", referred_by_id=by), on)
            self.customers.append(cid)
            for day, cents in sales:
                self.shop.log_sale(SaleInput(cents, day, customer_id=cid), TODAY)

    @precondition(lambda self: len(self.customers) < MAX_CUSTOMERS)
    @rule(on=DAYS, referrer=PICK, referred=st.booleans())
    def add_customer(self, on, referrer, referred):
        by = self._pick(self.customers, referrer) if referred and self.customers else None
        self.customers.append(self.shop.create_customer(NewCustomer(f"Customer {len(self.customers)}", referred_by_id=by), on))

    @precondition(lambda self: self.customers)
    @rule(who=PICK, walk_in=st.booleans(), on=DAYS, cents=AMOUNT, items=st.integers(0, 4), on_sale=st.booleans())
    def log_sale(self, who, walk_in, on, cents, items, on_sale):
        customer = None if walk_in else self._pick(self.customers, who)
        self.shop.log_sale(SaleInput(cents, on, customer_id=customer, item_count=items, on_sale=on_sale), TODAY)

    @precondition(lambda self: len(self.customers) < MAX_CUSTOMERS)
    @rule(on=DAYS, cents=AMOUNT, referrer=PICK, referred=st.booleans())
    def log_sale_new_customer(self, on, cents, referrer, referred):
        by = self._pick(self.customers, referrer) if referred and self.customers else None
        sale = self.shop.log_sale(SaleInput(cents, on, new_customer=NewCustomer(f"New {len(self.customers)}",
                                                                                  referred_by_id=by)), TODAY)
        self.customers.append(self.shop.sale(sale).customer_id)

    @precondition(lambda self: self.customers)
    @rule(pick=PICK, part=st.sampled_from([1, 2, 3]), later=st.integers(0, 10))
    def refund(self, pick, part, later):
        """A refund tied to a sale: all of what is left of it, half of it, or one cent."""
        open_sales = [s for s in self._sales() if s[3] > 0]
        if not open_sales:
            return
        sale_id, _customer, sold_on, _amount, _ = self._pick(open_sales, pick)
        left = self.shop.sale(sale_id).refundable_cents
        if left <= 0:
            return
        cents = {1: left, 2: max(left // 2, 1), 3: 1}[part]
        on = min(date.fromisoformat(sold_on) + timedelta(days=later), TODAY)
        self.shop.log_refund(sale_id, cents, on, TODAY)

    @precondition(lambda self: self.customers)
    @rule(who=PICK, on=DAYS, cents=AMOUNT)
    def untied_refund(self, who, on, cents):
        """A refund of before refunds were tied (old data): reduces spend, never a purchase day."""
        self.shop.log_sale(SaleInput(-cents, on, customer_id=self._pick(self.customers, who)), TODAY)

    @rule(pick=PICK)
    def void(self, pick):
        sales = self._sales()
        if not sales:
            return
        sale_id = self._pick(sales, pick)[0]
        try:
            self.shop.void_sale(sale_id, "state machine", TODAY)
        except InputError as exc:
            assert "tied to it" in exc.message

    @rule(pick=PICK, cents=st.none() | AMOUNT, on=st.none() | DAYS, items=st.none() | st.integers(0, 4),
          who=st.none() | PICK)
    def edit(self, pick, cents, on, items, who):
        sales = self._sales()
        if not sales:
            return
        sale_id, _customer, _day, amount, _ = self._pick(sales, pick)
        if cents is not None and amount < 0:
            cents = -min(cents, 100)
        customer = self._pick(self.customers, who) if who is not None and self.customers else None
        try:
            self.shop.edit_sale(sale_id, amount_cents=cents, sold_on=on, item_count=items, customer_id=customer,
                                reason="state machine", day=TODAY)
        except InputError:
            pass  # refused edits change nothing: the invariant checks it

    @precondition(lambda self: len(self.customers) >= 2)
    @rule(a=PICK, b=PICK)
    def merge(self, a, b):
        keep, drop = self._pick(self.customers, a), self._pick(self.customers, b)
        if keep == drop:
            return
        self.shop.merge(keep, drop)
        self.customers.remove(drop)

    @precondition(lambda self: self.customers)
    @rule(who=PICK)
    def erase(self, who):
        self.shop.erase_customer(self._pick(self.customers, who), TODAY)

    @precondition(lambda self: len(self.customers) >= 2)
    @rule(a=PICK, b=PICK, on=DAYS)
    def set_referral(self, a, b, on):
        try:
            self.shop.set_referrer(self._pick(self.customers, a), self._pick(self.customers, b), on)
        except InputError:
            pass  # themselves, or a circle

    @precondition(lambda self: self.customers)
    @rule(who=PICK, on=DAYS, testimonial=st.booleans(), recommend=st.sampled_from([None, False, True]))
    def feedback(self, who, on, testimonial, recommend):
        self.shop.add_feedback(self._pick(self.customers, who), 5, "Lovely", testimonial, on, would_recommend=recommend)

    # the check --------------------------------------------------------------------------------
    @invariant()
    def every_kept_figure_is_true(self):
        conn = connect(self.shop)
        try:
            expected = expected_figures(conn)
            kept = {row[0]: dict(zip(KEPT, row[1:]))
                    for row in conn.execute(f"SELECT id, {', '.join(KEPT)} FROM customer").fetchall()}
        finally:
            conn.close()
        assert kept == expected

    @invariant()
    def no_refund_exceeds_its_sale(self):
        over = self._rows("""SELECT s.id FROM sale s JOIN sale r ON r.refund_of_id = s.id
                             GROUP BY s.id HAVING s.amount_cents + SUM(r.amount_cents) < 0""")
        assert over == []


KeptTotals.TestCase.settings = settings(
    max_examples=200, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_kept_totals = KeptTotals.TestCase


def teardown_module() -> None:
    if "shop" in _SHOP:
        shop = _SHOP.pop("shop")
        shop.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{shop.path}{suffix}").unlink(missing_ok=True)
        shop.path.parent.rmdir()
