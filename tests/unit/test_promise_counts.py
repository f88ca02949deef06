"""One rule for snoozed promises, shared by the checklist and the promises screen: a promise due
by the day whose snooze runs past it is counted "snoozed", not overdue or due, until it ends."""
from __future__ import annotations

from datetime import date, timedelta

from shopkeeper.domain.promises import PromiseCounts, count_promises, promise_state

DAY = date(2026, 11, 25)


def test_a_snoozed_overdue_promise_counts_as_snoozed_until_the_snooze_ends():
    late = DAY - timedelta(days=4)
    assert promise_state(late, DAY, DAY + timedelta(days=2)) == "snoozed"
    assert promise_state(late, DAY, DAY) == "overdue"  # the snooze ended today: back on the list
    assert promise_state(DAY, DAY, DAY + timedelta(days=1)) == "snoozed"
    assert promise_state(DAY + timedelta(days=3), DAY, DAY + timedelta(days=1)) == "later"


def test_counts():
    promises = [(DAY - timedelta(days=4), DAY + timedelta(days=3)), (DAY - timedelta(days=4), None),
                (DAY, None), (DAY + timedelta(days=2), None)]
    assert count_promises(promises, DAY) == PromiseCounts(overdue=1, due=1, later=1, snoozed=1)


def test_checklist_and_promises_screen_count_a_snooze_alike(shop, make):
    ann = make.customer("Ann", phones=["0611111111"])
    late = shop.add_promise(ann, "Order the blue cup set", make.today, make.ago(10))
    shop.add_promise(ann, "Call back", make.today, make.ago(10))
    day = make.today + timedelta(days=4)  # both promises 4 days late
    shop.snooze("promise", late, ann, day, day + timedelta(days=3))
    checklist = shop.checklist(day)
    screen = count_promises([(p.due_on, p.snoozed_until) for p in shop.open_promises(day)], day)
    assert checklist.promise_counts() == screen == PromiseCounts(overdue=1, due=0, later=0, snoozed=1)
    assert len(checklist.promises_overdue) == 1
