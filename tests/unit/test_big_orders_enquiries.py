"""Issue 14: "thank for the big order" and unanswered enquiries on the checklist, as of a day;
the enquiry commands; what the database holds after each."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shopkeeper.domain.errors import InputError
from shopkeeper.services import SaleInput
from shopkeeper.store.models import Enquiry


def regular(make, name="Rita Regular", visits=(1000, 3000, 2000), start=60):
    """A customer with visits of the given amounts, ten days apart, the last one `start - 10*(n-1)` days ago."""
    cid = make.customer(name, phones=("06 11 22 33 44",), on=make.ago(start + 1))
    for i, cents in enumerate(visits):
        make.sale(cid, make.ago(start - 10 * i), cents)
    return cid


def big(shop, day):
    return [(g.customer_id, g.sold_on, g.amount_cents, g.usual_visit_cents) for g in shop.checklist(day).big_orders]


def test_a_visit_three_times_the_usual_is_on_the_next_days_checklist_for_a_week(shop, make, today):
    cid = regular(make)  # visits of 10, 30, 20: the usual visit (median) is 20.00
    order_day = today - timedelta(days=5)
    make.sale(cid, order_day, 6000)
    assert big(shop, order_day) == []  # the day of the order: not yet
    assert big(shop, order_day + timedelta(days=1)) == [(cid, order_day, 6000, 2000)]
    assert big(shop, order_day + timedelta(days=7)) == [(cid, order_day, 6000, 2000)]
    assert big(shop, order_day + timedelta(days=8)) == []  # aged out after a week
    row = shop.checklist(order_day + timedelta(days=1)).to_json()["big_orders"][0]
    assert (row["amount"], row["usual_visit"], row["times_usual"], row["visits_before"]) == ("60.00", "20.00", 3.0, 3)


def test_a_visit_just_below_three_times_or_with_too_few_visits_before_is_not_a_big_order(shop, make, today):
    below = regular(make, "Bea Below")
    make.sale(below, make.ago(3), 5999)
    few = regular(make, "Fay Few", visits=(1000, 1000))
    make.sale(few, make.ago(3), 9000)
    assert big(shop, today) == []


def test_the_days_sales_together_are_the_visit(shop, make, today):
    cid = regular(make)
    make.sale(cid, make.ago(2), 3000)
    make.sale(cid, make.ago(2), 3000)  # two sales the same day: one visit of 60.00
    assert big(shop, today) == [(cid, make.ago(2), 6000, 2000)]


def test_a_contact_on_or_after_the_order_closes_the_row_but_not_one_before(shop, make, today):
    cid = regular(make)
    order = make.sale(cid, make.ago(4), 6000)
    shop.log_contact(cid, "reached", make.ago(5))  # before the order: still to thank
    assert [g[0] for g in big(shop, today)] == [cid]
    shop.log_contact(cid, "no_answer", make.ago(1), purpose="big_order", subject_id=order)  # an attempt leaves it listed
    assert [g[0] for g in big(shop, today)] == [cid]
    assert shop.checklist(today).big_orders[0].attempts == 1
    shop.log_contact(cid, "reached", make.ago(1))
    assert big(shop, today) == []
    assert [g[0] for g in big(shop, make.ago(2))] == [cid]  # as of a day before the call: still listed


def test_close_and_do_not_contact_take_the_row_away(shop, make, today):
    closed = regular(make, "Cleo Closed")
    order = make.sale(closed, make.ago(3), 6000)
    quiet = regular(make, "Quentin Quiet")
    make.sale(quiet, make.ago(3), 6000)
    shop.log_contact(quiet, "do_not_contact", make.ago(40))
    item = shop.checklist(today).big_orders
    assert [g.customer_id for g in item] == [closed]
    shop.close_follow_up("big_order", order, closed, today)
    assert big(shop, today) == []


def test_a_sale_dated_after_the_day_does_not_count(shop, make, today):
    cid = regular(make)
    make.sale(cid, make.ago(1), 9000)
    assert big(shop, make.ago(1)) == []  # the order of a day shows from the next day
    assert big(shop, make.ago(2)) == []  # nor before it was made
    assert [g[0] for g in big(shop, today)] == [cid]


def test_enquiries_waiting_on_the_day_are_listed_oldest_first_until_answered(shop, make, today):
    ann = make.customer("Ann Asker", phones=("06 12 12 12 12",))
    first = shop.add_enquiry("Is the blue teapot back?", make.ago(3), today, customer_id=ann, channel="sms")
    second = shop.add_enquiry("Do you deliver?", make.ago(1), today, name="Bob Passer", phone="06 22 33 44 55")
    rows = shop.checklist(today).to_json()["enquiries"]
    assert [(r["enquiry_id"], r["name"], r["phone"], r["what"], r["channel"], r["days_waiting"]) for r in rows] == [
        (first, "Ann Asker", "06 12 12 12 12", "Is the blue teapot back?", "sms", 3),
        (second, "Bob Passer", "06 22 33 44 55", "Do you deliver?", "phone", 1),
    ]
    assert [r["enquiry_id"] for r in shop.checklist(make.ago(2)).to_json()["enquiries"]] == [first]
    shop.answer_enquiry(first, make.ago(1), "back on Friday")
    assert [r.enquiry_id for r in shop.checklist(today).enquiries] == [second]
    assert [r.enquiry_id for r in shop.checklist(make.ago(2)).enquiries] == [first]  # not answered yet then
    with shop.reading() as session:
        stored = session.execute(select(Enquiry.answered_on, Enquiry.answer).where(Enquiry.id == first)).one()
    assert tuple(stored) == (make.ago(1), "back on Friday")


def test_bad_enquiries_are_refused_and_nothing_is_written(shop, make, today):
    for kwargs, field in [(dict(what=""), "what"), (dict(what="x", name="", phone=""), "who"),
                          (dict(what="x", name="A", channel="fax"), "channel"),
                          (dict(what="x", customer_id=99), "who")]:
        with pytest.raises(InputError) as caught:
            shop.add_enquiry(kwargs.pop("what"), today, today, **kwargs)
        assert caught.value.field == field
    with pytest.raises(InputError, match="future"):
        shop.add_enquiry("x", today + timedelta(days=1), today, name="A")
    assert shop.enquiries(today) == []


def test_enquiry_commands_log_answer_and_list_with_one_line_errors(shop, run, today):
    db = str(shop.location)
    shop.close()
    code, out, _ = run("--db", db, "--date", today, "enquiry", "add", "Teapot back?", "--name", "Bob", "--phone",
                       "0622334455", "--channel", "email", "--on", today - timedelta(days=2))
    assert (code, out.strip()) == (0, "enquiry #1 logged")
    code, out, _ = run("--db", db, "--date", today, "checklist", "--format", "json")
    assert [(e["enquiry_id"], e["days_waiting"]) for e in json.loads(out)["enquiries"]] == [(1, 2)]
    assert json.loads(out)["big_orders"] == []
    code, out, err = run("--db", db, "--date", today, "enquiry", "answer", "1", "--note", "yes")
    assert (code, out.strip()) == (0, f"enquiry #1 answered on {today.isoformat()}")
    code, out, err = run("--db", db, "--date", today, "enquiry", "list", "--format", "json")
    assert [(e["id"], e["answered_on"], e["answer"]) for e in json.loads(out)] == [(1, today.isoformat(), "yes")]
    for args, message in [(("answer", "1"), "already answered"), (("answer", "7"), "no enquiry number 7"),
                          (("add", "x"), "say who asked"), (("add", "x", "--name", "A", "--channel", "fax"), "channel")]:
        code, out, err = run("--db", db, "--date", today, "enquiry", *args)
        assert code == 1 and message in err and len(err.strip().splitlines()) == 1, err


def test_checklist_json_has_the_big_orders_key_as_of_the_day(shop, make, run, today):
    cid = regular(make)
    make.sale(cid, make.ago(2), 6000)
    db = str(shop.location)
    code, out, _ = run("--db", db, "--date", today, "checklist", "--format", "json")
    rows = json.loads(out)["big_orders"]
    assert [(r["customer_id"], r["sold_on"], r["amount"]) for r in rows] == [(cid, make.ago(2).isoformat(), "60.00")]
    code, out, _ = run("--db", db, "--date", make.ago(2), "checklist", "--format", "json")
    assert json.loads(out)["big_orders"] == []


def test_a_customers_enquiries_are_in_their_data_and_erased_with_them(shop, make, today):
    ann = make.customer("Ann Asker", phones=("06 12 12 12 12",))
    shop.add_enquiry("Is my order for Mme Roy, 3 rue Haute, ready?", make.ago(1), today, customer_id=ann)
    assert [e["what"] for e in shop.customer_data(ann)["enquiries"]] == ["Is my order for Mme Roy, 3 rue Haute, ready?"]
    shop.erase_customer(ann, today)
    assert [(e["what"], e["name"], e["phone"]) for e in shop.customer_data(ann)["enquiries"]] == [("(erased)", "", "")]


def test_merging_customers_keeps_the_enquiry_with_the_one_kept(shop, make, today):
    keep, drop = make.customer("Ann Asker"), make.customer("Ann Asker (dup)")
    eid = shop.add_enquiry("Teapot?", make.ago(1), today, customer_id=drop)
    shop.merge(keep, drop)
    assert [(r.enquiry_id, r.customer_id, r.name) for r in shop.checklist(today).enquiries] == [(eid, keep, "Ann Asker")]
