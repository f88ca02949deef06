"""Correcting sales through the services: void, edit, refunds tied to their sale, and the figures
that follow; plus the merge and erase paths that must recompute everyone they affect."""
from __future__ import annotations

import sqlite3

import pytest

from shopkeeper.domain.errors import InputError
from shopkeeper.imports import import_sales
from shopkeeper.services import NewCustomer, SaleInput
from support.db_rows import connect


def raw(shop, sql, *params):
    conn = connect(shop)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- void ----------------------------------------------------------------------------------------

def test_a_voided_sale_counts_nowhere_and_stays_in_the_history(shop, make, today):
    cid = make.customer("Mira")
    make.sale(cid, make.ago(30), 2500)
    typo = make.sale(cid, make.ago(20), 1234567)
    assert shop.card(cid, today).purchase_days == 2

    shop.void_sale(typo, "typed twice", today)

    card = shop.card(cid, today)
    assert (card.purchase_days, card.total_spend_cents, card.level) == (1, 2500, 1)
    assert [s.id for s in card.sales] == [typo - 1]
    assert [(v.sale_id, v.amount_cents, v.voided_on, v.reason) for v in card.voided_sales] == [
        (typo, 1234567, today, "typed twice")]
    assert make.due_ids() == [cid]  # a one-timer again: the second-sale call is back


def test_voiding_twice_or_a_missing_sale_says_why(shop, make, today):
    cid = make.buyer("Noor", 20)
    sale = shop.customer_sales(cid)[0].id
    shop.void_sale(sale, "", today)
    with pytest.raises(InputError, match=f"sale {sale} was voided on {today.isoformat()}"):
        shop.void_sale(sale, "", today)
    with pytest.raises(InputError, match="there is no sale number 999"):
        shop.void_sale(999, "", today)
    with pytest.raises(InputError, match="was voided"):
        shop.edit_sale(sale, amount_cents=100, day=today)


def test_a_new_sale_never_takes_a_voided_sales_number(shop, make, today):
    cid = make.customer("Ola")
    last = make.sale(cid, make.ago(3), 900)
    shop.void_sale(last, "wrong customer", today)
    again = make.sale(cid, make.ago(3), 900)
    assert again > last
    assert shop.sale(last) is None and shop.sale(again).amount_cents == 900


def test_a_sale_with_a_refund_tied_to_it_cannot_be_voided_first(shop, make, today):
    cid = make.buyer("Pia", 20, cents=3000)
    sale = shop.customer_sales(cid)[0].id
    refund = shop.log_refund(sale, 1000, make.ago(10), today)
    with pytest.raises(InputError, match=f"refund\\(s\\) {refund} tied to it"):
        shop.void_sale(sale, "", today)
    shop.void_sale(refund, "refund typed by mistake", today)
    shop.void_sale(sale, "", today)
    assert shop.card(cid, today).total_spend_cents == 0


def test_reimporting_a_file_does_not_bring_back_a_voided_sale(shop, tmp_path, today):
    path = tmp_path / "sales.csv"
    path.write_text("date,invoice,customer,amount\n2026-02-01,A1,Zoé Martin,31.50\n2026-02-03,A2,Zoé Martin,49.00\n")
    import_sales(shop, path, {})
    (zoe,) = [row.id for row in shop.lookup("zoé", today)]
    voided = [s.id for s in shop.customer_sales(zoe) if s.amount_cents == 4900][0]
    shop.void_sale(voided, "not hers", today)

    report = import_sales(shop, path, {})

    assert report.sales_added == 0
    assert [s.amount_cents for s in shop.customer_sales(zoe)] == [3150]


# --- edit ----------------------------------------------------------------------------------------

def test_editing_the_amount_date_and_items_changes_every_figure(shop, make, today):
    cid = make.customer("Quinn")
    first = make.sale(cid, make.ago(40), 123456)
    shop.edit_sale(first, amount_cents=1234, sold_on=make.ago(30), item_count=3, reason="wrong amount", day=today)

    (item,) = shop.checklist(today).second_sale
    assert (item.first_purchase_cents, item.first_purchase_on, item.item_count) == (1234, make.ago(30), 3)
    sale = shop.sale(first)
    assert [(e.old_amount_cents, e.new_amount_cents, e.old_sold_on, e.reason) for e in sale.edits] == [
        (123456, 1234, make.ago(40), "wrong amount")]
    assert raw(shop, "SELECT old_item_count, new_item_count, corrected_on FROM sale_correction") == [
        (1, 3, today.isoformat())]


def test_moving_a_sale_to_another_customer_recomputes_both_and_their_referrers(shop, make, today):
    referrer = make.customer("Rosa Referrer")
    wrong = make.customer("Sam Wrong", referred_by=referrer, on=make.ago(100))
    right = make.customer("Sam Right")
    sale = make.sale(wrong, make.ago(20), 5000)
    assert shop.card(referrer, today).level == 3  # her referee bought

    shop.edit_sale(sale, customer_id=right, reason="wrong Sam", day=today)

    assert shop.card(wrong, today).purchase_days == 0 and shop.card(wrong, today).total_spend_cents == 0
    assert shop.card(right, today).purchase_days == 1 and shop.card(right, today).total_spend_cents == 5000
    assert shop.card(referrer, today).level == 0  # nobody she referred has bought any more
    assert raw(shop, "SELECT advocate_since FROM customer WHERE id = ?", referrer) == [(None,)]


def test_a_moved_sale_takes_its_refunds_along(shop, make, today):
    wrong, right = make.customer("Tia One"), make.customer("Tia Two")
    sale = make.sale(wrong, make.ago(20), 5000)
    shop.log_refund(sale, 1000, make.ago(10), today)
    shop.edit_sale(sale, customer_id=right, day=today)
    assert shop.card(wrong, today).total_spend_cents == 0
    assert shop.card(right, today).total_spend_cents == 4000


@pytest.mark.parametrize("changes, message", [
    ({"amount_cents": 0}, "amount is zero"),
    ({"amount_cents": -100}, "stays a sale"),
    ({"sold_on_days_ago": -1}, "in the future"),
    ({"customer_id": 999}, "no customer number 999"),
    ({"item_count": -1}, "item count"),
    ({}, "nothing to change"),
])
def test_a_bad_edit_changes_nothing(shop, make, today, changes, message):
    cid = make.buyer("Uma", 20, cents=2000)
    sale = shop.customer_sales(cid)[0].id
    changes = dict(changes)  # the parameter is shared by both engines' runs: never change it
    if "sold_on_days_ago" in changes:
        changes = {"sold_on": make.ago(changes.pop("sold_on_days_ago"))}
    before = raw(shop, "SELECT * FROM sale"), raw(shop, "SELECT * FROM customer")
    with pytest.raises(InputError, match=message):
        shop.edit_sale(sale, day=today, **changes)
    assert (raw(shop, "SELECT * FROM sale"), raw(shop, "SELECT * FROM customer")) == before
    assert raw(shop, "SELECT COUNT(*) FROM sale_correction") == [(0,)]


def test_a_sale_cannot_shrink_below_what_was_refunded(shop, make, today):
    cid = make.buyer("Vera", 20, cents=3000)
    sale = shop.customer_sales(cid)[0].id
    shop.log_refund(sale, 2000, make.ago(10), today)
    with pytest.raises(InputError, match="20.00 was already refunded"):
        shop.edit_sale(sale, amount_cents=1500, day=today)
    with pytest.raises(InputError, match="after its refund"):
        shop.edit_sale(sale, sold_on=make.ago(5), day=today)


# --- refunds -------------------------------------------------------------------------------------

def test_a_visit_refunded_in_full_is_not_a_purchase_day(shop, make, today):
    cid = make.customer("Wes")
    make.sale(cid, make.ago(60), 2000)
    second = make.sale(cid, make.ago(30), 4000)
    assert shop.card(cid, today).purchase_days == 2
    shop.log_refund(second, 4000, make.ago(29), today)
    card = shop.card(cid, today)
    assert (card.purchase_days, card.last_purchase_on, card.level, card.total_spend_cents) == (1, make.ago(60), 1, 2000)


def test_first_visit_spend_is_net_of_its_refunds(shop, make, today):
    cid = make.customer("Xena")
    sale = make.sale(cid, make.ago(30), 1234567)
    shop.log_refund(sale, 1230000, make.ago(25), today)
    (item,) = shop.checklist(today).second_sale
    assert item.first_purchase_cents == 4567
    assert "45.67" in " ".join(item.reasons)


def test_a_refund_of_the_only_purchase_leaves_a_prospect(shop, make, today):
    cid = make.buyer("Yann", 20, cents=2000)
    shop.log_refund(shop.customer_sales(cid)[0].id, 2000, make.ago(19), today)
    card = shop.card(cid, today)
    assert (card.level, card.purchase_days, card.first_purchase_on) == (0, 0, None)
    assert make.due_ids() == []


def test_a_refund_is_never_a_new_customers_first_sale(shop, make, today):
    with pytest.raises(InputError, match="new customer's first sale"):
        shop.log_sale(SaleInput(-500, today, new_customer=NewCustomer("Minus Five")), today)
    with pytest.raises(InputError, match="against the sale it refunds"):
        shop.log_sale(SaleInput(-500, today), today)
    assert shop.count_customers() == 0 and raw(shop, "SELECT COUNT(*) FROM sale") == [(0,)]


def test_a_refund_goes_against_a_sale_of_the_same_customer_and_no_more_than_is_left(shop, make, today):
    a = make.buyer("Zed A", 20, cents=3000)
    b = make.buyer("Zed B", 20, cents=3000)
    sale_a = shop.customer_sales(a)[0].id
    with pytest.raises(InputError, match="not this customer's"):
        shop.log_sale(SaleInput(-500, today, customer_id=b, refund_of_id=sale_a), today)
    shop.log_refund(sale_a, 2000, today, today)
    with pytest.raises(InputError, match="bigger than what is left of sale .* \\(10.00\\)"):
        shop.log_refund(sale_a, 1001, today, today)
    refund = shop.log_refund(sale_a, 1000, today, today)
    with pytest.raises(InputError, match="is itself a refund"):
        shop.log_refund(refund, 100, today, today)
    with pytest.raises(InputError, match="before its sale"):
        shop.log_refund(shop.customer_sales(b)[0].id, 100, make.ago(21), today)
    assert shop.card(a, today).total_spend_cents == 0


def test_log_sale_refuses_a_date_after_today(shop, make, today):
    cid = make.customer("Abe")
    with pytest.raises(InputError, match="in the future"):
        shop.log_sale(SaleInput(500, make.ago(-1), customer_id=cid), today)


def test_customer_sales_show_what_is_left_to_refund(shop, make, today):
    cid = make.buyer("Bea", 20, cents=3000)
    sale = shop.customer_sales(cid)[0].id
    shop.log_refund(sale, 500, make.ago(5), today)
    views = {s.id: s for s in shop.customer_sales(cid)}
    assert views[sale].refundable_cents == 2500 and views[sale].refunded_cents == -500
    assert [s.refund_of_id for s in views.values() if s.is_refund] == [sale]


# --- merges and erases recompute everyone they affect (issue 11) --------------------------------

def test_a_merge_recomputes_the_referrer_of_the_dropped_record(shop, make, today):
    rita = make.customer("Rita Referrer")
    xavi = make.customer("Xavi Referrer")
    keep = make.customer("Zoé Martin", referred_by=xavi, on=make.ago(100))
    drop = make.customer("Zoe Martin", referred_by=rita, on=make.ago(100))
    make.sale(drop, make.ago(50), 1000)
    assert shop.card(rita, today).level == 3

    shop.merge(keep, drop)  # keep has a referrer already: Rita's referral goes

    assert shop.card(rita, today).level == 0
    assert raw(shop, "SELECT advocate_since FROM customer WHERE id = ?", rita) == [(None,)]
    assert shop.card(xavi, today).level == 3  # Zoé, whom he referred, has bought (the moved sale)


def test_a_merge_moves_voided_sales_too(shop, make, today):
    keep, drop = make.customer("Ann A"), make.customer("Ann B")
    sale = make.sale(drop, make.ago(5), 100)
    shop.void_sale(sale, "test", today)
    shop.merge(keep, drop)
    assert [v.sale_id for v in shop.card(keep, today).voided_sales] == [sale]


def test_erasing_a_customer_recomputes_their_level(shop, make, today):
    cid = make.customer("Fan")
    shop.add_feedback(cid, 5, "Lovely", True, make.ago(10))
    assert shop.card(cid, today).level == 3
    shop.erase_customer(cid, today)
    assert shop.card(cid, today).level == 0
    assert raw(shop, "SELECT advocate_since FROM customer WHERE id = ?", cid) == [(None,)]
