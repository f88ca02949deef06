"""Promises: due today, overdue, kept (on time or late), missed, cancelled."""
import pytest

from shopkeeper.domain.errors import InputError
from shopkeeper.domain.promises import due_state, kept_late, status_on


@pytest.fixture
def cid(make):
    return make.customer("Promised", phones=["06 12 34 56 78"])


def test_due_today_and_overdue(shop, make, cid):
    today_pid = shop.add_promise(cid, "Call about the teapot", make.today, make.ago(5))
    late_pid = shop.add_promise(cid, "Send the price list", make.ago(3), make.ago(10))
    shop.add_promise(cid, "Later", make.ago(-4), make.ago(1))
    checklist = shop.checklist(make.today)
    assert [(p.promise_id, p.text, p.due_on) for p in checklist.promises_due] == [
        (today_pid, "Call about the teapot", make.today)]
    assert [(p.promise_id, p.days_late, p.phone) for p in checklist.promises_overdue] == [(late_pid, 3, "06 12 34 56 78")]


def test_overdue_sorted_by_due_date(shop, make, cid):
    b = shop.add_promise(cid, "b", make.ago(2), make.ago(10))
    a = shop.add_promise(cid, "a", make.ago(7), make.ago(10))
    assert [p.promise_id for p in shop.checklist(make.today).promises_overdue] == [a, b]


@pytest.mark.parametrize("status", ["kept", "missed", "cancelled"])
def test_closed_promises_leave_the_list(shop, make, cid, status):
    pid = shop.add_promise(cid, "x", make.ago(3), make.ago(10))
    shop.set_promise_status(pid, status, make.today)
    checklist = shop.checklist(make.today)
    assert checklist.promises_overdue == [] and checklist.promises_due == []
    view = shop.promise(pid)
    assert (view.status, view.closed_on) == (status, make.today)
    assert pid not in [p.id for p in shop.open_promises()]


def test_kept_late_is_overdue_until_kept(shop, make, cid):
    pid = shop.add_promise(cid, "Order the cups", make.ago(4), make.ago(10))
    shop.set_promise_status(pid, "kept", make.ago(1))
    assert [p.promise_id for p in shop.checklist(make.ago(2)).promises_overdue] == [pid]
    assert shop.checklist(make.ago(1)).promises_overdue == []
    view = shop.promise(pid)
    assert kept_late(view.due_on, view.closed_on) is True
    assert kept_late(make.ago(1), make.ago(1)) is False


def test_snoozed_promise_hidden_until_date(shop, make, cid):
    pid = shop.add_promise(cid, "x", make.today, make.ago(3))
    shop.snooze("promise", pid, cid, make.today, make.ago(-2))
    assert shop.checklist(make.today).promises_due == []
    assert [p.promise_id for p in shop.checklist(make.ago(-2)).promises_overdue] == [pid]


def test_bad_promises_are_refused(shop, make, cid):
    with pytest.raises(InputError):
        shop.add_promise(cid, "   ", make.today, make.today)
    with pytest.raises(InputError):
        shop.add_promise(cid, "past", make.ago(1), make.today)
    with pytest.raises(InputError):
        shop.add_promise(9999, "nobody", make.today, make.today)
    pid = shop.add_promise(cid, "ok", make.today, make.today)
    with pytest.raises(InputError):
        shop.set_promise_status(pid, "done", make.today)
    with pytest.raises(InputError):
        shop.set_promise_status(9999, "kept", make.today)
    assert [p.id for p in shop.open_promises()] == [pid]


def test_status_and_due_state_rules(today):
    from datetime import timedelta

    later = today + timedelta(days=1)
    assert status_on("kept", later, today) == "open"
    assert status_on("kept", today, today) == "kept"
    assert status_on("open", None, today) == "open"
    assert due_state(today - timedelta(days=1), today) == "overdue"
    assert due_state(today, today) == "due"
    assert due_state(later, today) == "later"
