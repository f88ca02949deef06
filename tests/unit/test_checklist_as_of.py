"""A checklist for a past day D ignores what happened after D."""
def test_second_purchase_after_d_does_not_remove_them_from_ds_list(shop, make):
    d = make.ago(10)
    cid = make.buyer("Came back", 40)
    make.sale(cid, make.ago(5), 1000)
    assert cid in make.due_ids(d)
    assert cid not in make.due_ids()


def test_sales_after_d_do_not_change_the_first_purchase_amount_on_d(shop, make):
    d = make.ago(10)
    cid = make.buyer("Came back", 40, cents=2000)
    make.sale(cid, make.ago(5), 99999)
    (item,) = shop.checklist(d).second_sale
    assert (item.customer_id, item.first_purchase_cents, item.days_since_first) == (cid, 2000, 30)


def test_first_purchase_after_d_is_not_on_ds_list(shop, make):
    cid = make.buyer("Later buyer", 20)
    assert cid not in make.due_ids(make.ago(21))
    assert shop.checklist(make.ago(21)).total() == 0


def test_contact_after_d_is_ignored(shop, make):
    d = make.ago(10)
    cid = make.buyer("Called later", 40)
    shop.log_contact(cid, "reached", make.ago(5), purpose="second_sale")
    assert cid in make.due_ids(d)
    assert cid not in make.due_ids()


def test_do_not_contact_after_d_is_ignored(shop, make):
    d = make.ago(10)
    cid = make.buyer("Opted out later", 40)
    shop.log_contact(cid, "do_not_contact", make.ago(5))
    assert cid in make.due_ids(d)
    assert cid not in make.due_ids()


def test_snooze_or_close_made_after_d_is_ignored(shop, make):
    d = make.ago(10)
    snoozed = make.buyer("Snoozed later", 40, phones=["0611111111"])
    closed = make.buyer("Closed later", 40, phones=["0622222222"])
    shop.snooze("second_sale", snoozed, snoozed, make.ago(5), make.ago(-5))
    shop.close_follow_up("second_sale", closed, closed, make.ago(5))
    assert set(make.due_ids(d)) == {snoozed, closed}
    assert make.due_ids() == []


def test_promise_kept_after_d_is_still_open_on_d(shop, make):
    cid = make.customer("Promised")
    overdue = shop.add_promise(cid, "Order the blue teapot", make.ago(12), make.ago(20))
    due = shop.add_promise(cid, "Call back", make.ago(10), make.ago(20))
    shop.set_promise_status(overdue, "kept", make.ago(2))
    shop.set_promise_status(due, "kept", make.ago(2))
    on_d = shop.checklist(make.ago(10))
    assert [p.promise_id for p in on_d.promises_overdue] == [overdue]
    assert on_d.promises_overdue[0].days_late == 2
    assert [p.promise_id for p in on_d.promises_due] == [due]
    now = shop.checklist(make.today)
    assert now.promises_overdue == [] and now.promises_due == []


def test_promise_made_after_d_is_not_on_ds_list(shop, make):
    cid = make.customer("Promised")
    shop.add_promise(cid, "Set aside a cup", make.ago(5), make.ago(5))
    d = shop.checklist(make.ago(6))
    assert d.promises_due == [] and d.promises_overdue == []
    assert len(shop.checklist(make.ago(5)).promises_due) == 1


def test_referral_recorded_after_d_is_ignored(shop, make):
    rita = make.customer("Rita", phones=["0699999999"])
    ned = make.buyer("Ned", 25)
    shop.set_referrer(ned, rita, make.ago(3))
    d = make.ago(5)
    on_d = shop.checklist(d)
    assert on_d.thank_referrer == []
    assert not any("referred by" in r for r in on_d.second_sale[0].reasons)
    now = shop.checklist(make.today)
    assert [t.customer_id for t in now.thank_referrer] == [rita]
    assert "referred by Rita (+15)" in now.second_sale[0].reasons


def test_done_today_counts_only_that_days_actions(shop, make):
    cid = make.buyer("Worked", 20)
    shop.log_contact(cid, "reached", make.ago(1))
    shop.log_contact(cid, "reached", make.today)
    shop.log_contact(cid, "no_answer", make.today)  # an attempt is not done (issue 10)
    pid = shop.add_promise(cid, "Call", make.ago(3), make.ago(3))
    shop.set_promise_status(pid, "kept", make.today)
    assert shop.checklist(make.today).done_today == 2
    assert shop.checklist(make.ago(1)).done_today == 1


def test_promises_open_on_d_and_kept_after_d_are_listed_together_by_due_day(shop, make):
    """The open ones and those kept after D come from two index ranges: one list, by due day then id;
    one kept after D but due after D is not listed."""
    cid = make.customer("Promised")
    ids = [shop.add_promise(cid, f"promise {n}", make.ago(due), make.ago(30)) for n, due in enumerate((13, 16, 12, 15, 5, 12))]
    for pid in (ids[1], ids[2], ids[4]):
        shop.set_promise_status(pid, "kept", make.ago(2))
    on_d = shop.checklist(make.ago(12))
    assert [p.promise_id for p in on_d.promises_overdue] == [ids[1], ids[3], ids[0]]
    assert [p.promise_id for p in on_d.promises_due] == [ids[2], ids[5]]


def test_enquiries_open_on_d_and_answered_after_d_are_listed_together_oldest_first(shop, make):
    """Unanswered and answered-after-D enquiries come from two index ranges: one list, oldest first
    (then by id); one asked after D is not on D's list even if it was answered later still."""
    cid = make.customer("Asker")
    asked = (14, 16, 12, 15, 5, 12)
    ids = [shop.add_enquiry(f"question {n}", make.ago(ago), make.today, customer_id=cid) for n, ago in enumerate(asked)]
    for eid in (ids[1], ids[2], ids[4]):
        shop.answer_enquiry(eid, make.ago(2))
    on_d = shop.checklist(make.ago(12))
    assert [e.enquiry_id for e in on_d.enquiries] == [ids[1], ids[3], ids[0], ids[2], ids[5]]
    assert [e.enquiry_id for e in shop.checklist(make.today).enquiries] == [ids[3], ids[0], ids[5]]
