"""The second-sale follow-up: due from day 14 to day 90 after a single purchase day, both ends included."""
import pytest

from shopkeeper.domain.second_sale import window_state


@pytest.mark.parametrize("days, due", [(0, False), (13, False), (14, True), (45, True), (90, True), (91, False)])
def test_window_edges(shop, make, days, due):
    cid = make.buyer("Edge", days)
    assert (cid in make.due_ids()) is due


@pytest.mark.parametrize("days, state", [(13, "early"), (14, "due"), (90, "due"), (91, "lapsed")])
def test_window_state_rule(make, days, state):
    assert window_state(make.ago(days), make.today, 14, 90) == state


def test_days_since_first_is_reported(shop, make):
    make.buyer("Edge", 14)
    (item,) = shop.checklist(make.today).second_sale
    assert item.days_since_first == 14 and item.first_purchase_on == make.ago(14)


def test_same_day_second_visit_is_one_purchase_day_so_still_due(shop, make):
    cid = make.buyer("Twice", 20, cents=1250)
    make.sale(cid, make.ago(20), 800, items=2)
    (item,) = shop.checklist(make.today).second_sale
    assert item.customer_id == cid
    assert item.first_purchase_cents == 2050
    assert item.item_count == 3


def test_a_second_purchase_day_ends_the_follow_up(shop, make):
    cid = make.buyer("Back", 30)
    make.sale(cid, make.ago(2), 500)
    assert cid not in make.due_ids()


def test_a_refund_on_a_later_day_is_not_a_second_purchase(shop, make):
    cid = make.buyer("Refunded", 30, cents=3000)
    make.sale(cid, make.ago(25), -1000)
    assert make.due_ids() == [cid]


def test_first_purchase_amount_excludes_refunds_of_that_day(shop, make):
    cid = make.buyer("Refund same day", 30, cents=3000)
    make.sale(cid, make.ago(30), -1000)
    (item,) = shop.checklist(make.today).second_sale
    assert item.first_purchase_cents == 3000
    assert shop.card(cid, make.today).total_spend_cents == 2000


def test_walk_in_sales_appear_nowhere_and_break_nothing(shop, make):
    walk_in = make.sale(None, make.ago(20), 1500)
    shop.log_refund(walk_in, 200, make.ago(20), make.today)  # a walk-in refund goes against the walk-in sale
    cid = make.buyer("Known", 20)
    checklist = shop.checklist(make.today)
    assert [i.customer_id for i in checklist.second_sale] == [cid]
    assert checklist.total() == 1
    assert shop.count_customers() == 1
    assert shop.card(cid, make.today).total_spend_cents == 2000
    assert shop.lookup("walk", make.today) == []


@pytest.mark.parametrize("outcome", ["reached", "bought", "declined", "do_not_contact"])
def test_closing_outcomes_end_the_follow_up(shop, make, outcome):
    cid = make.buyer("Called", 20)
    shop.log_contact(cid, outcome, make.ago(1), purpose="second_sale")
    assert cid not in make.due_ids()


@pytest.mark.parametrize("outcome", ["no_answer", "left_message"])
def test_no_answer_keeps_it_open(shop, make, outcome):
    cid = make.buyer("Called", 20)
    shop.log_contact(cid, outcome, make.ago(1), purpose="second_sale")
    assert make.due_ids() == [cid]


def test_a_general_contact_after_the_first_purchase_also_closes_it(shop, make):
    cid = make.buyer("Chatted", 20)
    shop.log_contact(cid, "reached", make.ago(3), purpose="general")
    assert cid not in make.due_ids()


def test_contact_before_the_first_purchase_does_not_close_it(shop, make):
    cid = make.customer("Known before", phones=["0611223344"], on=make.ago(60))
    shop.log_contact(cid, "reached", make.ago(50))
    make.sale(cid, make.ago(20), 1000)
    assert make.due_ids() == [cid]


def test_snooze_hides_until_the_date(shop, make):
    cid = make.buyer("Later", 20)
    shop.snooze("second_sale", cid, cid, make.today, make.ago(-3))
    assert cid not in make.due_ids()
    assert cid not in make.due_ids(make.ago(-2))
    assert cid in make.due_ids(make.ago(-3))


def test_close_by_hand_removes_it(shop, make):
    cid = make.buyer("Done", 20)
    shop.close_follow_up("second_sale", cid, cid, make.today)
    assert cid not in make.due_ids()
    assert cid in make.due_ids(make.ago(1))  # closed today, still due yesterday


def test_window_follows_the_settings(shop, make):
    early = make.buyer("Early", 8)
    late = make.buyer("Late", 40)
    shop.save_settings({"second_sale_after_days": "7", "second_sale_give_up_days": "30"})
    assert make.due_ids() == [early]
    assert late not in make.due_ids()


def test_give_up_before_after_is_refused_and_nothing_saved(shop):
    from shopkeeper.domain.errors import InputError
    from shopkeeper.services import Shop

    with pytest.raises(InputError):
        shop.save_settings({"second_sale_after_days": "60", "second_sale_give_up_days": "30"})
    with pytest.raises(InputError):
        shop.save_settings({"second_sale_after_days": "abc"})
    reopened = Shop.open(shop.location)
    assert reopened.settings.second_sale_after_days == 14
    assert reopened.settings.second_sale_give_up_days == 90
    reopened.close()
