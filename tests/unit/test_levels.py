"""Levels: 0 prospect, 1 first-time, 2 repeat, 3 advocate (which wins), and the profile shape."""
from datetime import date

import pytest

from shopkeeper.domain.levels import level_on, profile_shape


def level(shop, cid, day):
    return shop.card(cid, day).level


def test_prospect_first_time_and_repeat(shop, make, today):
    cid = make.customer("Lea")
    assert level(shop, cid, today) == 0
    make.sale(cid, make.ago(30), 1000)
    assert level(shop, cid, today) == 1
    make.sale(cid, make.ago(10), 1000)
    assert level(shop, cid, today) == 2
    assert level(shop, cid, make.ago(20)) == 1  # as of a day between the two purchases


def test_two_sales_on_one_day_are_one_purchase_day(shop, make, today):
    cid = make.customer("Lea")
    make.sale(cid, make.ago(30), 1000)
    make.sale(cid, make.ago(30), 500)
    card = shop.card(cid, today)
    assert (card.level, card.purchase_days, card.total_spend_cents) == (1, 1, 1500)


def test_refund_is_never_a_purchase_day_but_reduces_spend(shop, make, today):
    cid = make.customer("Lea")
    make.sale(cid, make.ago(30), 4000)
    make.sale(cid, make.ago(10), -1500)
    card = shop.card(cid, today)
    assert (card.level, card.purchase_days, card.total_spend_cents) == (1, 1, 2500)
    assert card.last_purchase_on == make.ago(30)


def test_only_a_refund_is_still_a_prospect(shop, make, today):
    cid = make.customer("Lea")
    make.sale(cid, make.ago(10), -1500)
    card = shop.card(cid, today)
    assert (card.level, card.purchase_days, card.first_purchase_on, card.total_spend_cents) == (0, 0, None, -1500)


def test_advocate_through_a_referred_customer_who_has_bought(shop, make, today):
    referrer = make.customer("Rita Referrer")
    make.sale(referrer, make.ago(100), 1000)
    referee = make.customer("Ned New", referred_by=referrer, on=make.ago(20))
    assert level(shop, referrer, today) == 1  # referred someone who has not bought yet
    make.sale(referee, make.ago(5), 1000)
    assert level(shop, referrer, today) == 3
    assert level(shop, referrer, make.ago(6)) == 1  # not yet an advocate before the referee bought
    assert level(shop, referee, today) == 1


def test_advocate_even_without_buying_themselves(shop, make, today):
    referrer = make.customer("Rita Referrer")
    referee = make.customer("Ned New", referred_by=referrer, on=make.ago(20))
    make.sale(referee, make.ago(5), 1000)
    assert level(shop, referrer, today) == 3


def test_advocate_through_a_testimonial_only(shop, make, today):
    fan, polite = make.customer("Fan"), make.customer("Polite")
    for cid in (fan, polite):
        make.sale(cid, make.ago(50), 1000)
        make.sale(cid, make.ago(40), 1000)
    shop.add_feedback(fan, 5, "Lovely shop", True, make.ago(30))
    shop.add_feedback(polite, 5, "Lovely shop", False, make.ago(30))
    assert level(shop, fan, today) == 3  # 3 wins over 2
    assert level(shop, polite, today) == 2
    assert level(shop, fan, make.ago(31)) == 2


def test_level_3_wins_over_1(shop, make, today):
    cid = make.customer("One visit")
    make.sale(cid, make.ago(50), 1000)
    shop.add_feedback(cid, 4, "ok", True, make.ago(40))
    assert level(shop, cid, today) == 3


def test_level_on_rules():
    d = date(2026, 3, 2)
    assert level_on(d, None, None, None) == 0
    assert level_on(d, d, None, None) == 1
    assert level_on(d, date(2026, 1, 1), d, None) == 2
    assert level_on(d, date(2026, 1, 1), d, d) == 3
    assert level_on(d, None, None, d) == 3
    assert level_on(d, d, None, date(2026, 3, 3)) == 1  # advocacy in the future does not count yet


@pytest.mark.parametrize(
    "pcts, shape",
    [
        ((60, 30, 10), "pyramid"),
        ((10, 30, 60), "inverted pyramid"),
        ((45, 10, 45), "hourglass"),
        ((20, 60, 20), "hexagon"),
    ],
)
def test_profile_shape(pcts, shape):
    assert profile_shape(*pcts) == shape
